#!/usr/bin/env bash
# Queues a sharded sweep and its merge on Slurm.
# Usage: deploy/slurm/submit.sh SCENARIO SEEDS SHARDS RESULTS_DIR [SWEEP_OPTIONS...]
#   deploy/slurm/submit.sh scenarios/catalog/lossless.textproto 1..200000 16 /shared/lossless \
#     --swarm --backends openssl,mbedtls,gnutls,wolfssl
# dtlsim must be on PATH on every node (or set DTLSIM_BIN).
set -euo pipefail
if [ $# -lt 4 ]; then
  sed -n 3,7p "$0" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")/.." && pwd)"
export DTLSIM_DEPLOY="$here"
export DTLSIM_SCENARIO="$(realpath "$1")" DTLSIM_SEEDS="$2" DTLSIM_SHARDS="$3"
export DTLSIM_RESULTS="$4"
shift 4
export DTLSIM_SWEEP_ARGS="$*"
mkdir -p "$DTLSIM_RESULTS"
array=$(sbatch --parsable --export=ALL --array="1-$DTLSIM_SHARDS" "$here/slurm/sweep.sbatch")
sbatch --parsable --export=ALL --dependency="afterok:$array" "$here/slurm/merge.sbatch"
echo "submitted array $array (shards 1..$DTLSIM_SHARDS) and its merge; summary: $DTLSIM_RESULTS/summary.txt" >&2
