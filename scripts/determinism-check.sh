#!/usr/bin/env bash
# Determinism across compilers (DESIGN.md §3 "Proof"): every catalog scenario, run with its seed
# and one more, must give a byte-identical trace from the gcc build and the clang build.
# Usage: scripts/determinism-check.sh GCC_DTLSIM CLANG_DTLSIM [CATALOG_DIR]
set -euo pipefail
gcc_bin=${1:?usage: determinism-check.sh GCC_DTLSIM CLANG_DTLSIM [CATALOG_DIR]}
clang_bin=${2:?usage: determinism-check.sh GCC_DTLSIM CLANG_DTLSIM [CATALOG_DIR]}
catalog=${3:-scenarios/catalog}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

checked=0
failed=0
for scenario in "$catalog"/*.textproto; do
  name=$(basename "$scenario" .textproto)
  for seed_arg in "" "--seed 7"; do
    # Exit status 1 (an expectation failed) is fine here: only the bytes are compared.
    "$gcc_bin" run "$scenario" $seed_arg --trace "$out/gcc.trace" >/dev/null || [ $? -eq 1 ]
    "$clang_bin" run "$scenario" $seed_arg --trace "$out/clang.trace" >/dev/null || [ $? -eq 1 ]
    checked=$((checked + 1))
    if ! cmp -s "$out/gcc.trace" "$out/clang.trace"; then
      echo "DIFFERENT: $name ${seed_arg:-(own seed)}: gcc and clang traces differ" >&2
      failed=$((failed + 1))
    fi
  done
done
echo "determinism: $checked traces compared between gcc and clang builds, $failed differ"
[ "$failed" -eq 0 ]
