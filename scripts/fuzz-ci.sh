#!/usr/bin/env bash
# fuzz-ci.sh — builds the `fuzz` preset (clang, libFuzzer, ASan + UBSan) and runs every fuzzer
# for a bounded time from its committed seed corpus: every harness on every DTLS backend
# (build/fuzz/fuzz/fuzzers.txt, written by fuzz/CMakeLists.txt from DTLSIM_BACKENDS). A crash,
# leak, timeout or oracle failure fails the script and prints the reproducer path (libFuzzer
# writes it to the artifact dir).
#
#   scripts/fuzz-ci.sh                 # every fuzzer: 60 s each on OpenSSL (or no backend), 30 s
#                                      # each on the other backends
#   FUZZ_SECONDS=300 scripts/fuzz-ci.sh fuzz_decrypt fuzz_faults_mbedtls
#
# Environment: FUZZ_SEED (libFuzzer -seed, default 1, so CI runs the same mutations),
# FUZZ_SECONDS (per fuzzer on the default backend or on none, default 60),
# FUZZ_BACKEND_SECONDS (per fuzzer on another backend, default FUZZ_SECONDS / 2: the OpenSSL
# harnesses stay the deepest-fuzzed, the other backends get a shorter run each), FUZZ_JOBS
# (build parallelism, default 2), FUZZ_WORK (scratch dir, default build/fuzz/fuzz-ci). Named
# fuzzers run FUZZ_SECONDS each, whatever their backend. The committed corpora are read only:
# new units go to $FUZZ_WORK/corpus/<name>. Wall time: the build, plus FUZZ_SECONDS for each of
# the 7 fuzzers on the default backend or none, plus FUZZ_BACKEND_SECONDS for each of the 5 on
# every other backend (with mbedTLS and GnuTLS: 7 x FUZZ_SECONDS + 10 x FUZZ_BACKEND_SECONDS),
# plus a few seconds each for corpus loading.
#
# fuzz_wire's throughput goal is a ratio (fuzz/README.md, "Throughput"): whenever fuzz_wire runs,
# its baseline fuzz_empty (an input handler that does nothing, built with fuzz_wire's flags; not
# in fuzzers.txt) runs at the same time (with fewer than 2 CPUs: just before it), for the same
# seconds, with the same options and the same starting corpus (a copy of fuzz_wire's scratch
# corpus, and its committed one, read only; the baseline's own new units go to a folder emptied
# each time), and the script prints
#   fuzz_wire: <n> exec/s, empty harness: <n> exec/s (per CPU-second), ratio <r> (goal >= 0.6):
#   met|MISSED; wall clock (libFuzzer's average_exec_per_sec): <n> and <n> exec/s, ratio <r>
# after both runs and again at the end. Side by side, both runs see the same load; per
# CPU-second (executed units over the user + sys seconds of each process) is the goal's figure,
# which a process that got less of the machine than the other does not move. A MISSED goal is
# printed, never a failure: speed is measured, not asserted. With fewer than 2 CPUs, the
# baseline adds fuzz_wire's seconds to the wall time.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
seconds="${FUZZ_SECONDS:-60}"
backend_seconds="${FUZZ_BACKEND_SECONDS:-$(( seconds / 2 > 0 ? seconds / 2 : 1 ))}"
jobs="${FUZZ_JOBS:-2}"
work="${FUZZ_WORK:-$root/build/fuzz/fuzz-ci}"
manifest="$root/build/fuzz/fuzz/fuzzers.txt"

cmake --preset fuzz >/dev/null
# "<executable> <harness> <backend>" per fuzzer ("-": no backend); the first backend named is
# the default one (the fuzzer without a suffix).
declare -A harness_of seconds_of
all=()
default_backend=""
while read -r exe harness backend; do
  all+=("$exe")
  harness_of[$exe]="$harness"
  if [ "$backend" != - ] && [ -z "$default_backend" ]; then default_backend="$backend"; fi
  if [ "$backend" = - ] || [ "$backend" = "$default_backend" ]; then
    seconds_of[$exe]="$seconds"
  else
    seconds_of[$exe]="$backend_seconds"
  fi
done < "$manifest"
if [ $# -gt 0 ]; then
  targets=("$@")
  for t in "${targets[@]}"; do
    [ -n "${harness_of[$t]:-}" ] || { echo "fuzz-ci: no fuzzer $t (see $manifest)" >&2; exit 1; }
    seconds_of[$t]="$seconds"
  done
else
  targets=("${all[@]}")
fi

# fuzz_wire's baseline (fuzz/CMakeLists.txt): built and run whenever fuzz_wire is.
baseline=fuzz_empty
baseline_of_wire=()
for t in "${targets[@]}"; do
  [ "$t" = fuzz_wire ] && baseline_of_wire=("$baseline")
done
wire_goal=0.6

cmake --build --preset fuzz -j"$jobs" --target "${targets[@]}" "${baseline_of_wire[@]}"

# section <options file> <section>: the `key = value` lines of one [section] of a .options
# file (the format ClusterFuzz reads), as key=value.
section() {
  sed -n "/^\[$2\]/,/^\[/{/^[A-Za-z0-9_][A-Za-z0-9_]*[[:space:]]*=/{s/[[:space:]]*=[[:space:]]*/=/;s/[[:space:]]*\$//;p}}" "$1"
}

# run_fuzzer <executable> <seconds> <artifact dir> <log> <corpus folder>...: one bounded run
# with the current `flags` and `asan`; sets rc (its exit status) and cpu (its user + sys
# seconds). The first corpus folder receives the new units, the others are only read.
run_fuzzer() {
  local exe="$1" secs="$2" artifacts="$3" out="$4" times TIMEFORMAT='%U %S'
  shift 4
  times="$(mktemp)"
  set +e
  { time ASAN_OPTIONS="$asan${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
    UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
      "$exe" -seed="${FUZZ_SEED:-1}" -max_total_time="$secs" -print_final_stats=1 -timeout=25 -rss_limit_mb=4096 \
        "${flags[@]}" -artifact_prefix="$artifacts/" "$@" >"$out" 2>&1; } 2>"$times"
  rc=$?
  set -e
  # The last line is `time`'s; any before it are the shell's (a fuzzer killed by a signal).
  sed '$d' "$times" >&2
  cpu="$(awk 'END { print $1 + $2 }' "$times")"
  rm -f "$times"
}

# fuzzer_stat <log> <name>: libFuzzer's stat::<name> in it (empty if it has none).
fuzzer_stat() {
  sed -n "s/^stat::$2:[[:space:]]*//p" "$1"
}

failed=()
wire_line=""
for t in "${targets[@]}"; do
  name="${t#fuzz_}"  # its corpus folder: fuzz/corpus/<name>
  bin="$root/build/fuzz/fuzz/$t"
  opts="$root/fuzz/fuzz_${harness_of[$t]}.options"
  t_seconds="${seconds_of[$t]}"
  [ -f "$opts" ] || { echo "fuzz-ci: no $opts" >&2; exit 1; }
  # A line that is none of these would otherwise be skipped without a word.
  awk 'NF == 0 || /^[[:space:]]*[#;]/ || /^\[[A-Za-z0-9_]+\][[:space:]]*$/ ||
       /^[A-Za-z0-9_]+[[:space:]]*=/ { next }
       { printf "fuzz-ci: %s:%d: not a [section], a comment or key = value: %s\n", FILENAME, FNR, $0
         bad = 1 }
       END { exit bad }' "$opts" >&2 || exit 1
  # Every [libfuzzer] option of the .options file, as ClusterFuzzLite would pass it; the
  # dictionary it names is in fuzz/. Its [asan] options go after the defaults (and before any
  # ASAN_OPTIONS of the caller, which win).
  flags=()
  while IFS='=' read -r key value || [ -n "$key" ]; do
    [ "$key" = dict ] && value="$root/fuzz/$value"
    flags+=("-$key=$value")
  done < <(section "$opts" libfuzzer)
  asan="detect_leaks=1:abort_on_error=1"
  while read -r kv || [ -n "$kv" ]; do asan="$asan:$kv"; done < <(section "$opts" asan)
  mkdir -p "$work/corpus/$name" "$work/artifacts/$name"
  base_pid=""
  if [ "$t" = fuzz_wire ]; then
    # The baseline starts from the corpus fuzz_wire starts from: a copy, taken before fuzz_wire
    # adds to it.
    base_log="$work/$baseline.log"
    base_status="$work/baseline/status"
    rm -rf "$work/baseline"
    mkdir -p "$work/baseline/corpus" "$work/baseline/seeds" "$work/baseline/artifacts"
    cp -R "$work/corpus/$name/." "$work/baseline/seeds/"
    base_run=(run_fuzzer "$root/build/fuzz/fuzz/$baseline" "$t_seconds" "$work/baseline/artifacts"
              "$base_log" "$work/baseline/corpus" "$work/baseline/seeds" "$root/fuzz/corpus/$name")
    if [ "$(nproc)" -ge 2 ]; then
      echo "== $baseline: fuzz_wire's baseline, beside it (the same ${t_seconds}s, options, corpus)"
      ( "${base_run[@]}"; echo "$rc $cpu" >"$base_status" ) &
      base_pid=$!
    else
      echo "== $baseline: fuzz_wire's baseline, before it (the same ${t_seconds}s, options, corpus)"
      "${base_run[@]}"
      echo "$rc $cpu" >"$base_status"
    fi
  fi
  log="$work/$t.log"
  echo "== $t: ${t_seconds}s, ${flags[*]}, ASAN_OPTIONS=$asan"
  run_fuzzer "$bin" "$t_seconds" "$work/artifacts/$name" "$log" \
    "$work/corpus/$name" "$root/fuzz/corpus/$name"
  grep -E "^stat::(number_of_executed_units|average_exec_per_sec)" "$log" | sed "s/^/   /" || true
  if [ "$t" = fuzz_wire ]; then
    [ -z "$base_pid" ] || wait "$base_pid" || true
    base_rc=1 base_cpu=0
    [ -f "$base_status" ] && read -r base_rc base_cpu <"$base_status"
    grep -E "^stat::(number_of_executed_units|average_exec_per_sec)" "$base_log" |
      sed "s/^/   $baseline /" || true
    if [ "$base_rc" -ne 0 ]; then
      echo "FAIL $baseline (fuzz_wire's baseline, exit $base_rc); log: $base_log"
      failed+=("$baseline")
    fi
    # The goal's exec/s: executed units over the user + sys seconds of the process. Wall
    # clock: libFuzzer's stat::average_exec_per_sec, executed units over the whole seconds since
    # the process started (a -max_total_time=N run stops once N + 1 have begun, so both runs
    # divide by N + 1).
    wire_rate="$(fuzzer_stat "$log" average_exec_per_sec)"
    base_rate="$(fuzzer_stat "$base_log" average_exec_per_sec)"
    wire_units="$(fuzzer_stat "$log" number_of_executed_units)"
    base_units="$(fuzzer_stat "$base_log" number_of_executed_units)"
    if [ $rc -eq 0 ] && [ "$base_rc" -eq 0 ] && [ "${wire_units:-0}" -gt 0 ] &&
       [ "${base_units:-0}" -gt 0 ] && [ "${wire_rate:-0}" -gt 0 ] && [ "${base_rate:-0}" -gt 0 ]
    then
      wire_line="$(awk -v wu="$wire_units" -v bu="$base_units" -v wc="$cpu" -v bc="$base_cpu" \
        -v w="$wire_rate" -v b="$base_rate" -v g="$wire_goal" 'BEGIN {
          wc = wc > 0.001 ? wc : 0.001; bc = bc > 0.001 ? bc : 0.001
          r = (wu / wc) / (bu / bc)
          printf "fuzz_wire: %.0f exec/s, empty harness: %.0f exec/s (per CPU-second), ratio %.2f",
            wu / wc, bu / bc, r
          printf " (goal >= %s): %s;", g, (r >= g ? "met" : "MISSED")
          printf " wall clock (libFuzzer'"'"'s average_exec_per_sec): %d and %d exec/s, ratio %.2f",
            w, b, w / b
        }')"
    else
      wire_line="fuzz_wire: no ratio to the empty harness (a run failed or printed no stat::)"
    fi
    echo "   $wire_line"
  fi
  if [ $rc -ne 0 ]; then
    echo "FAIL $t (exit $rc); log: $log"
    grep -E "^(==[0-9]+==ERROR|SUMMARY|dtlsim fuzz oracle failed|artifact_prefix|Test unit written)" "$log" | sed "s/^/   /" || true
    for a in "$work/artifacts/$name"/*; do
      # Without the .options' [asan] settings: full allocation and free stacks.
      [ -e "$a" ] && echo "   reproduce: $bin $a"
    done
    failed+=("$t")
  fi
done

# Measured, never asserted: a MISSED goal does not fail the script.
[ -n "$wire_line" ] && echo "fuzz-ci: $wire_line"
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz-ci: FAILED: ${failed[*]}"
  echo "Save a reproducer as fuzz/regressions/<name>/ (the fuzzer's name without fuzz_) once"
  echo "the bug is fixed."
  exit 1
fi
if [ $# -gt 0 ]; then
  echo "fuzz-ci: ${#targets[@]} fuzzers ran ${seconds}s each without a finding"
else
  echo "fuzz-ci: ${#targets[@]} fuzzers ran without a finding (${seconds}s each on the default" \
    "backend or none, ${backend_seconds}s each on the others)"
fi
