#!/usr/bin/env bash
# What the scenario catalog alone reaches of the DTLS layer and the World: builds dtlsim with
# gcc --coverage (preset "coverage"), runs the catalog on every client x server backend pair
# over a few seeds, and prints gcovr's line and branch figures for dtls/src and scenarios/world,
# then per file (also written to build/coverage/coverage.txt).
# Usage: scripts/coverage.sh   Environment: COVERAGE_SWEEP (seeds per story and pair, default 3),
# COVERAGE_JOBS (default: the CPUs).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
if ! command -v gcovr >/dev/null; then
  echo "coverage: installing gcovr" >&2
  $SUDO apt-get install -y -qq --no-install-recommends gcovr >/dev/null
fi

cmake --preset coverage >/dev/null
cmake --build --preset coverage --target dtlsim
build=build/coverage
# Counters from an earlier run would add up with this one's.
find "$build" -name '*.gcda' -delete

sweep=${COVERAGE_SWEEP:-3}
jobs=${COVERAGE_JOBS:-$(nproc)}
# Worlds run on several threads: the preset counts with -fprofile-update=atomic.
# Stories fail on the pairs their findings name: the exit status is not this script's concern.
"$build/scenarios/cli/dtlsim" catalog scenarios/catalog --matrix --sweep "$sweep" --jobs "$jobs" \
  | tail -n 1 || true

# Exception edges and branches the compiler proves unreachable are not branches a story can take.
# CMake's compiler probes carry --coverage notes too; they are not ours.
base=(--root . --object-directory "$build" --exclude-directories "$build/CMakeFiles"
      --exclude-throw-branches --exclude-unreachable-branches)
summary() {  # AREA FILTER...: one line of lines and branches
  local area=$1; shift
  local filters=()
  for f in "$@"; do filters+=(--filter "$f"); done
  gcovr "${base[@]}" "${filters[@]}" --print-summary -o /dev/null 2>/dev/null |
    awk -v area="$area" '/^lines:/ {l = $2 " " $3 " " $4 " " $5 " " $6}
                         /^branches:/ {b = $2 " " $3 " " $4 " " $5 " " $6}
                         END {printf "%-22s lines %-28s branches %s\n", area, l, b}'
}
echo "what the catalog (every pair, seeds 1..$sweep and each story's own) reaches:"
summary "dtls/src + world" 'dtls/src/' 'scenarios/world/'
summary "dtls/src (shared)" 'dtls/src/[^/]*$'
for b in openssl mbedtls gnutls wolfssl; do summary "dtls/src/$b" "dtls/src/$b/"; done
summary "scenarios/world" 'scenarios/world/'
gcovr "${base[@]}" --filter 'dtls/src/' --filter 'scenarios/world/' --txt "$build/coverage.txt" 2>/dev/null
gcovr "${base[@]}" --filter 'dtls/src/' --filter 'scenarios/world/' --branches \
  --txt "$build/coverage-branches.txt" 2>/dev/null
echo "per file: $build/coverage.txt (lines), $build/coverage-branches.txt (branches)"
