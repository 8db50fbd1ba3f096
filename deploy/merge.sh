#!/usr/bin/env bash
# Merges the shard outputs run-shard.sh wrote to $DTLSIM_RESULTS and prints the summary one
# `dtlsim sweep` over every seed prints; also writes it to $DTLSIM_RESULTS/summary.txt.
# Environment: DTLSIM_RESULTS, DTLSIM_SHARDS, DTLSIM_BIN (default: dtlsim on PATH).
# Exit status: dtlsim merge's (0 every seed passed, 1 some failed, 2 missing or bad shards).
set -euo pipefail

: "${DTLSIM_RESULTS:?set DTLSIM_RESULTS to the shared results directory}"
: "${DTLSIM_SHARDS:?set DTLSIM_SHARDS to the number of shards}"
bin="${DTLSIM_BIN:-dtlsim}"

files=()
for ((k = 1; k <= DTLSIM_SHARDS; k++)); do
  f="$DTLSIM_RESULTS/shard-$k-of-$DTLSIM_SHARDS.jsonl"
  # A missing shard is left out: dtlsim merge then names the shard and the seeds it lacks.
  if [ -f "$f" ]; then files+=("$f"); else echo "merge: $f is missing" >&2; fi
done
set +e
"$bin" merge "${files[@]}" > "$DTLSIM_RESULTS/summary.txt"
status=$?
set -e
cat "$DTLSIM_RESULTS/summary.txt"
exit "$status"
