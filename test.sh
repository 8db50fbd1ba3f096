#!/usr/bin/env bash
# Every test: fuzzing for a bounded time, the determinism check across three builds, and the
# default and ASan+UBSan test suites. Works on a fresh Debian 12 as root: it installs what is
# missing (make included) and brings the DTLS stacks to the current Debian 12 versions first.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh test
exec make test "$@"
