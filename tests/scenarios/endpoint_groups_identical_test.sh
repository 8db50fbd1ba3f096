#!/usr/bin/env bash
# hundred-clients-noise and many-clients are written with endpoint_groups since the commit after
# e24a7fa; before, each client was a block of its own (3588 and 1225 lines). The rewrite must
# not change a run: the trace of each seed and backend pair below is byte-identical to the one
# of the old file, taken from git history. Exit 77 (skipped) without that history.
# Usage: endpoint_groups_identical_test.sh DTLSIM SOURCE_DIR
set -euo pipefail
bin="$1"
src="$2"
before=e24a7fa
if ! git -C "$src" cat-file -e "$before^{commit}" 2>/dev/null; then
  echo "no git history with $before: skipped"
  exit 77
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# The files name their certificates ../../tests/data/certs/...: two levels below a tests link.
mkdir -p "$tmp/old/catalog"
ln -s "$src/tests" "$tmp/tests"
status=0
for story in hundred-clients-noise many-clients; do
  git -C "$src" show "$before:scenarios/catalog/$story.textproto" > "$tmp/old/catalog/$story.textproto"
  new_lines=$(wc -l < "$src/scenarios/catalog/$story.textproto")
  old_lines=$(wc -l < "$tmp/old/catalog/$story.textproto")
  for run in "--seed 1" "--seed 2 --backend mbedtls" "--seed 3 --client-backend wolfssl --server-backend gnutls" \
             "--seed 4 --client-backend gnutls --server-backend openssl"; do
    # A run that held (0) or failed an expectation (1) wrote its trace; anything else (2: bad
    # input) is this test's failure, and no trace of an earlier run may stand in for it.
    rm -f "$tmp/old.trace" "$tmp/new.trace"
    for side in old new; do
      file="$src/scenarios/catalog/$story.textproto"
      [ "$side" = old ] && file="$tmp/old/catalog/$story.textproto"
      code=0
      # shellcheck disable=SC2086  # $run is a list of options
      "$bin" run "$file" $run --trace "$tmp/$side.trace" > /dev/null || code=$?
      if [ "$code" -gt 1 ] || [ ! -s "$tmp/$side.trace" ]; then
        echo "FAILED: $side $story $run exited $code without a trace"
        exit 1
      fi
    done
    if cmp -s "$tmp/old.trace" "$tmp/new.trace"; then
      echo "identical: $story $run ($old_lines -> $new_lines lines, trace $(stat -c %s "$tmp/new.trace") bytes)"
    else
      echo "DIFFERENT: $story $run"
      status=1
    fi
  done
done
exit "$status"
