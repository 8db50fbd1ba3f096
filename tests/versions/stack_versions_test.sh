#!/usr/bin/env bash
# Stack versions as a dimension (scripts/stack-versions.sh), run by ctest: one dtlsim binary
# against builds of libssl3 fetched from the Debian 12 archive.
#   - it really runs on the fetched build (dtlsim --version names it);
#   - CVE-2026-84782's story fails on 3.0.20 with the stale-offset ServerHello and the failed
#     handshake, and passes on 3.0.22 (an expected failure that tells when the bug is back);
#   - the 80-record story holds on both, with its per-build expectation (80 vs 16 payloads).
# Exit 77 (ctest: skipped) when the archive cannot be reached.
# Usage: stack_versions_test.sh DTLSIM SOURCE_DIR
set -uo pipefail
dtlsim=${1:?usage: stack_versions_test.sh DTLSIM SOURCE_DIR}
src=${2:?usage: stack_versions_test.sh DTLSIM SOURCE_DIR}
sv="$src/scripts/stack-versions.sh"
old=3.0.20-1~deb12u2
new=3.0.22-1~deb12u2
cve="$src/scenarios/catalog/sndbuf-full-mid-flight-cve-2026-84782.textproto"
early="$src/scenarios/catalog/appdata-overtakes-finished-80-records.textproto"
failures=0
check() {  # check WHAT CONDITION
  if eval "$2"; then echo "ok: $1"; else echo "FAILED: $1"; failures=$((failures + 1)); fi
}

published=$("$sv" list libssl3 2>&1) || { echo "skipped: $published"; exit 77; }
for v in $old $new; do
  grep -qxF "$v" <<<"$published" || { echo "skipped: the archive no longer publishes libssl3=$v"; exit 77; }
  "$sv" exec "libssl3=$v" -- true || { echo "skipped: cannot fetch libssl3=$v"; exit 77; }
done

banner=$("$sv" exec "libssl3=$old" -- "$dtlsim" --version)
check "dtlsim runs on the fetched 3.0.20 build ($banner)" '[[ "$banner" == *"OpenSSL 3.0.20 "* ]]'
banner=$("$sv" exec "libssl3=$new" -- "$dtlsim" --version)
check "dtlsim runs on the fetched 3.0.22 build ($banner)" '[[ "$banner" == *"OpenSSL 3.0.22 "* ]]'

out=$("$sv" exec "libssl3=$old" -- "$dtlsim" run "$cve" --timeline); code=$?
check "CVE-2026-84782 story fails on 3.0.20 (exit $code)" '[ $code -eq 1 ]'
check "3.0.20 retransmits a ServerHello alone, from the stale offset" \
  'grep -q "server -> client  #7   ServerHello (msg 1, frag 0-61)  86 B" <<<"$out"'
check "3.0.20's server then fails its handshake" 'grep -q "server.*TlsFatalError" <<<"$out"'
out=$("$sv" exec "libssl3=$new" -- "$dtlsim" sweep "$cve" --seeds 1..20); code=$?
check "CVE-2026-84782 story passes on 3.0.22, seeds 1..20 (exit $code)" '[ $code -eq 0 ]'

for v in $old $new; do
  out=$("$sv" exec "libssl3=$v" -- "$dtlsim" sweep "$early" --seeds 1..20); code=$?
  check "80-record story holds on $v (exit $code)" '[ $code -eq 0 ]'
done

[ $failures -eq 0 ]
