#!/usr/bin/env bash
# The main job: build dtlsim and run the scenario catalog in simulation, with a summary.
# Works on a fresh Debian 12 as root: it installs what is missing (make included) first.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh build
exec make run "$@"
