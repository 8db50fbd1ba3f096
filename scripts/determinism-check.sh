#!/usr/bin/env bash
# Determinism across builds (DESIGN.md §3 "Proof"): every catalog scenario, run with its own seed
# and with one more, on its own backends and with every endpoint that names none on mbedTLS,
# GnuTLS or wolfSSL (--backend mbedtls, --backend gnutls, --backend wolfssl), must give a
# byte-identical trace from every given dtlsim executable — the default (gcc, optimized) build,
# the asan (gcc, Debug, sanitizers) build and the clang build.
# The first executable is the reference; each other one is compared with it.
# Usage: scripts/determinism-check.sh REFERENCE_DTLSIM OTHER_DTLSIM... [--catalog DIR]
set -euo pipefail
usage="usage: determinism-check.sh REFERENCE_DTLSIM OTHER_DTLSIM... [--catalog DIR]"
catalog=scenarios/catalog
bins=()
while [ $# -gt 0 ]; do
  case "$1" in
    --catalog) catalog=${2:?$usage}; shift 2 ;;
    *) bins+=("$1"); shift ;;
  esac
done
[ "${#bins[@]}" -ge 2 ] || { echo "$usage" >&2; exit 2; }
for bin in "${bins[@]}"; do
  [ -x "$bin" ] || { echo "determinism-check: $bin is not an executable" >&2; exit 2; }
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

checked=0
failed=0
for scenario in "$catalog"/*.textproto; do
  name=$(basename "$scenario" .textproto)
  for backend_arg in "" "--backend mbedtls" "--backend gnutls" "--backend wolfssl"; do
    for seed_arg in "" "--seed 7"; do
      for i in "${!bins[@]}"; do
        # Exit status 1 (an expectation failed) is fine here: only the bytes are compared.
        "${bins[$i]}" run "$scenario" $seed_arg $backend_arg --trace "$out/$i.trace" >/dev/null ||
          [ $? -eq 1 ]
        [ "$i" -eq 0 ] && continue
        checked=$((checked + 1))
        if ! cmp -s "$out/0.trace" "$out/$i.trace"; then
          echo "DIFFERENT: $name ${seed_arg:-(own seed)} ${backend_arg}: ${bins[0]} and" \
               "${bins[$i]} differ" >&2
          failed=$((failed + 1))
        fi
      done
    done
  done
done
echo "determinism: $checked trace pairs compared against ${bins[0]}" \
     "(${#bins[@]} builds), $failed differ"
[ "$failed" -eq 0 ]
