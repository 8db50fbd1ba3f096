#!/usr/bin/env bash
# Installs the Debian 12 packages dtlsim needs, only those that are missing, so the README's
# two commands work on a fresh machine and cost nothing on a prepared one.
# Usage: scripts/install-deps.sh [build|test]   (test adds the real peers and tools tests use)
set -euo pipefail

build_pkgs=(build-essential cmake ninja-build pkg-config git
            libssl-dev openssl libmbedtls-dev libprotobuf-dev protobuf-compiler
            qt6-base-dev qt6-svg-dev libgl-dev libgtest-dev libgmock-dev libbenchmark-dev
            clang libclang-rt-14-dev)
test_pkgs=(gnutls-bin tshark xvfb xauth)

want=("${build_pkgs[@]}")
[ "${1:-build}" = test ] && want+=("${test_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer for it.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
