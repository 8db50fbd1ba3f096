#!/usr/bin/env bash
# Runs one shard of a sweep and writes its JSON lines to $DTLSIM_RESULTS/shard-K-of-N.jsonl.
# The shard comes from the scheduler: a Kubernetes Indexed Job sets JOB_COMPLETION_INDEX
# (0-based), a Slurm array (--array=1-N) sets SLURM_ARRAY_TASK_ID (1-based); DTLSIM_SHARD
# (1-based) overrides both. N is DTLSIM_SHARDS (Slurm: SLURM_ARRAY_TASK_COUNT when unset).
# Environment: DTLSIM_SCENARIO, DTLSIM_SEEDS (A..B), DTLSIM_RESULTS (a directory all shards and
# the merge share), DTLSIM_BIN (default: dtlsim on PATH), DTLSIM_SWEEP_ARGS (more sweep options,
# e.g. "--swarm --backends openssl,mbedtls --jobs 2").
# Exit status: 0 when the shard ran (failing seeds are results, not errors), 2 on bad input.
set -euo pipefail

: "${DTLSIM_SCENARIO:?set DTLSIM_SCENARIO to the scenario file}"
: "${DTLSIM_SEEDS:?set DTLSIM_SEEDS to the seed range A..B}"
: "${DTLSIM_RESULTS:?set DTLSIM_RESULTS to the shared results directory}"
bin="${DTLSIM_BIN:-dtlsim}"
count="${DTLSIM_SHARDS:-${SLURM_ARRAY_TASK_COUNT:-}}"
: "${count:?set DTLSIM_SHARDS to the number of shards}"

# Bash arithmetic would read a non-number as 0; dtlsim sweep checks DTLSIM_SHARD's own form.
case "${JOB_COMPLETION_INDEX:-0}${SLURM_ARRAY_TASK_ID:-0}" in
  *[!0-9]*)
    echo "run-shard: JOB_COMPLETION_INDEX and SLURM_ARRAY_TASK_ID must be numbers" >&2
    exit 2
    ;;
esac
if [ -n "${DTLSIM_SHARD:-}" ]; then
  index="$DTLSIM_SHARD"
elif [ -n "${JOB_COMPLETION_INDEX:-}" ]; then
  index=$((JOB_COMPLETION_INDEX + 1))
elif [ -n "${SLURM_ARRAY_TASK_ID:-}" ]; then
  index="$SLURM_ARRAY_TASK_ID"
else
  echo "run-shard: no shard index (JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID or DTLSIM_SHARD)" >&2
  exit 2
fi

mkdir -p "$DTLSIM_RESULTS"
out="$DTLSIM_RESULTS/shard-$index-of-$count.jsonl"
# Written under a temporary name and renamed when complete: the merge never reads half a shard.
# shellcheck disable=SC2086  # DTLSIM_SWEEP_ARGS is a list of options
set +e
"$bin" sweep "$DTLSIM_SCENARIO" --seeds "$DTLSIM_SEEDS" --shard "$index/$count" --json \
  ${DTLSIM_SWEEP_ARGS:-} > "$out.partial"
status=$?
set -e
if [ "$status" -gt 1 ]; then
  echo "run-shard: dtlsim sweep failed with status $status (shard $index/$count)" >&2
  rm -f "$out.partial"
  exit "$status"
fi
mv "$out.partial" "$out"
echo "run-shard: shard $index/$count -> $out" >&2
