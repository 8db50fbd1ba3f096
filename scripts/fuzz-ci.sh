#!/usr/bin/env bash
# fuzz-ci.sh — builds the `fuzz` preset (clang, libFuzzer, ASan + UBSan) and runs every harness
# for a bounded time from its committed seed corpus. A crash, leak, timeout or oracle failure
# fails the script and prints the reproducer path (libFuzzer writes it to the artifact dir).
#
#   scripts/fuzz-ci.sh                 # every harness, 60 s each
#   FUZZ_SECONDS=300 scripts/fuzz-ci.sh fuzz_decrypt fuzz_faults
#
# Environment: FUZZ_SEED (libFuzzer -seed, default 1, so CI runs the same mutations),
# FUZZ_SECONDS (per harness, default 60), FUZZ_JOBS (build parallelism, default
# 2), FUZZ_WORK (scratch dir, default build/fuzz/fuzz-ci). The committed corpora are read only:
# new units go to $FUZZ_WORK/corpus/<target>. Wall time: the build plus FUZZ_SECONDS per
# harness plus a few seconds each for corpus loading.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
seconds="${FUZZ_SECONDS:-60}"
jobs="${FUZZ_JOBS:-2}"
work="${FUZZ_WORK:-$root/build/fuzz/fuzz-ci}"
all=(fuzz_wire fuzz_server_hello fuzz_server_handshake fuzz_client_handshake fuzz_decrypt
     fuzz_scenario fuzz_faults)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$jobs" --target "${targets[@]}"

option() {  # option <options file> <key>: the value of `key = value` in a .options file
  sed -n "s/^$2[[:space:]]*=[[:space:]]*//p" "$1" | head -n1
}

failed=()
for t in "${targets[@]}"; do
  name="${t#fuzz_}"
  bin="$root/build/fuzz/fuzz/$t"
  opts="$root/fuzz/$t.options"
  max_len="$(option "$opts" max_len)"
  mkdir -p "$work/corpus/$name" "$work/artifacts/$name"
  log="$work/$t.log"
  echo "== $t: ${seconds}s, -max_len=${max_len:-default}"
  set +e
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}" \
  UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
    "$bin" -seed="${FUZZ_SEED:-1}" -max_total_time="$seconds" -print_final_stats=1 -timeout=25 -rss_limit_mb=4096 \
      ${max_len:+-max_len=$max_len} -dict="$root/fuzz/dtls.dict" \
      -artifact_prefix="$work/artifacts/$name/" \
      "$work/corpus/$name" "$root/fuzz/corpus/$name" >"$log" 2>&1
  rc=$?
  set -e
  grep -E "^stat::(number_of_executed_units|average_exec_per_sec)" "$log" | sed "s/^/   /" || true
  if [ $rc -ne 0 ]; then
    echo "FAIL $t (exit $rc); log: $log"
    grep -E "^(==[0-9]+==ERROR|SUMMARY|dtlsim fuzz oracle failed|artifact_prefix|Test unit written)" "$log" | sed "s/^/   /" || true
    for a in "$work/artifacts/$name"/*; do
      [ -e "$a" ] && echo "   reproduce: $bin $a"
    done
    failed+=("$t")
  fi
done

if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz-ci: FAILED: ${failed[*]}"
  echo "Save a reproducer as fuzz/regressions/<target>/<name> once the bug is fixed."
  exit 1
fi
echo "fuzz-ci: ${#targets[@]} harnesses ran ${seconds}s each without a finding"
