#!/usr/bin/env bash
# Runs .clusterfuzzlite/build.sh as ClusterFuzzLite would (OSS-Fuzz variables pointing at temp
# dirs) and checks $OUT: every fuzzer of the build's fuzz/fuzzers.txt (each harness on each DTLS
# backend), its .options, its non-empty <name>_seed_corpus.zip, the dictionary; that no fuzzer
# loads OpenSSL or protobuf and that every other library it loads, but libc's and the C++
# runtime's, comes from $OUT/lib (the runner image has none of them); then each fuzzer runs its
# seed corpus once (-runs=0).
# Opt-in (it compiles everything with clang + ASan: many minutes on a 2-core machine): without
# DTLSIM_TEST_CLUSTERFUZZLITE=1 it exits 77, which ctest reports as skipped.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [ "${DTLSIM_TEST_CLUSTERFUZZLITE:-0}" != 1 ]; then
  echo "skipped: set DTLSIM_TEST_CLUSTERFUZZLITE=1 to build the ClusterFuzzLite fuzzers"
  exit 77
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src" "$tmp/out" "$tmp/work"
export CC=clang CXX=clang++
export CFLAGS="-O1 -gline-tables-only -fsanitize=address,undefined -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS -stdlib=libc++"  # as OSS-Fuzz sets it; build.sh must cope
export LIB_FUZZING_ENGINE=-fsanitize=fuzzer
export SRC="$tmp/src" OUT="$tmp/out" WORK="$tmp/work"
export DTLSIM_BUILD_JOBS="${DTLSIM_BUILD_JOBS:-2}"
(cd "$root" && .clusterfuzzlite/build.sh) > "$tmp/build.log" 2>&1 || {
  tail -n 40 "$tmp/build.log"; echo "FAIL: build.sh failed"; exit 1; }

status=0
count=0
[ -s "$OUT/dtls.dict" ] || { echo "FAIL: no dtls.dict"; status=1; }
[ -e "$OUT/lib/libgnutls.so.30" ] || { echo "FAIL: no lib/libgnutls.so.30"; status=1; }
manifest="$WORK/dtlsim-build/fuzz/fuzzers.txt"
[ -s "$manifest" ] || { echo "FAIL: no $manifest"; exit 1; }
while read -r f harness backend; do
  t="${f#fuzz_}"
  count=$((count + 1))
  [ -x "$OUT/$f" ] || { echo "FAIL: no fuzzer $f ($harness on $backend)"; status=1; continue; }
  # The runner image has no OpenSSL 3 and no protobuf: the fuzzer must not load them.
  if ldd "$OUT/$f" | grep -E 'lib(ssl|crypto|protobuf)'; then
    echo "FAIL: $f loads OpenSSL or protobuf at run time"; status=1
  fi
  # Nor GnuTLS and its dependencies: those must come from $OUT/lib, through the RPATH.
  if ldd "$OUT/$f" | awk '$2 == "=>" { print $1, $3 }' |
       grep -vE '^(libc|libm|libdl|libpthread|librt|libresolv|libgcc_s|libstdc\+\+)\.so' |
       grep -vF " $OUT/lib/"; then
    echo "FAIL: $f loads the libraries above from outside \$OUT/lib"; status=1
  fi
  # ClusterFuzz reads .options with Python's configparser: every section must parse there.
  python3 - "$OUT/$f.options" <<'PY' || { echo "FAIL: $f.options"; status=1; }
import configparser, sys
c = configparser.ConfigParser()
c.read(sys.argv[1])
assert c["libfuzzer"]["dict"] == "dtls.dict" and int(c["libfuzzer"]["max_len"]) > 0
assert all(s in ("libfuzzer", "asan", "ubsan") for s in c.sections()), c.sections()
PY
  python3 - "$OUT/${f}_seed_corpus.zip" "$tmp/corpus/$t" <<'PY' || { echo "FAIL: ${f}_seed_corpus.zip"; status=1; continue; }
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    names = z.namelist()
    assert names, "empty seed corpus"
    z.extractall(sys.argv[2])
print(f"{sys.argv[1]}: {len(names)} inputs")
PY
  "$OUT/$f" -runs=0 "$tmp/corpus/$t" > "$tmp/$f.log" 2>&1 < /dev/null || {
    tail -n 20 "$tmp/$f.log"; echo "FAIL: $f on its seed corpus"; status=1; }
done < "$manifest"
[ $status -eq 0 ] &&
  echo "clusterfuzzlite build: $count fuzzers, options, seed corpora, dictionary, lib/"
exit $status
