#!/usr/bin/env bash
# Installs the Debian 12 packages dtlsim needs, only those that are missing, and brings every
# installed DTLS stack (OpenSSL, GnuTLS, mbedTLS, wolfSSL) to the version a fresh Debian 12
# machine gets today: a security update of the library under the application is the change users
# most need to test, so the tests run on the newest build, not on whatever this machine holds.
# Works on a minimal Debian 12 root (debootstrap --variant=minbase) as root.
# Usage: scripts/install-deps.sh [build|test]   (test adds the real peers and tools tests use)
# Environment: DTLSIM_KEEP_STACKS=1 skips the stack upgrade (to test an older build on purpose;
# scripts/stack-versions.sh runs one binary against every published build without installing).
set -euo pipefail

build_pkgs=(build-essential make cmake ninja-build pkg-config git
            libssl-dev openssl libmbedtls-dev libgnutls28-dev libwolfssl-dev libprotobuf-dev protobuf-compiler nlohmann-json3-dev
            qt6-base-dev qt6-svg-dev libgl-dev libgtest-dev libgmock-dev libbenchmark-dev
            clang libclang-rt-14-dev)
test_pkgs=(gnutls-bin tshark xvfb xauth)
# Source packages of the DTLS stacks: every binary package built from one of them is kept at
# the candidate version (libssl3 and libssl-dev must move together, so they all move).
stack_sources=(openssl gnutls28 mbedtls wolfssl)

want=("${build_pkgs[@]}")
[ "${1:-build}" = test ] && want+=("${test_pkgs[@]}")

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

# apt's package lists: refreshed when missing or older than six hours, so a prepared machine
# pays nothing and a fresh one (which has no lists at all) learns the current versions.
lists_fresh() {
  [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -360 2>/dev/null | head -n 1)" ]
}
refresh_lists() {
  lists_fresh && return 0
  echo "install-deps: apt-get update" >&2
  $SUDO apt-get update -qq || echo "install-deps: apt-get update failed; using the lists as they are" >&2
}

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  # tshark asks whether non-root users may capture; answer for it.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
  refresh_lists
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Installed packages of a DTLS stack whose version is not apt's candidate.
stale_stack_packages() {
  dpkg-query -W -f='${db:Status-Abbrev} ${binary:Package} ${source:Package} ${Version}\n' |
    while read -r status pkg src ver; do
      [ "$status" = "ii" ] || continue
      src=${src%% *}
      case " ${stack_sources[*]} " in *" $src "*) ;; *) continue ;; esac
      cand=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2}')
      [ -n "$cand" ] && [ "$cand" != "(none)" ] && [ "$cand" != "$ver" ] && echo "$pkg"
    done
}
if [ "${DTLSIM_KEEP_STACKS:-0}" != 1 ]; then
  refresh_lists
  mapfile -t stale < <(stale_stack_packages)
  if [ ${#stale[@]} -gt 0 ]; then
    echo "upgrading DTLS stacks to the current Debian 12 builds: ${stale[*]}" >&2
    $SUDO apt-get install -y -qq --no-install-recommends --only-upgrade "${stale[@]}" >/dev/null
  fi
fi

# Which builds this run tests: the report's first lines name them.
# (dpkg-query fails for a package never installed: not an error here.)
{ dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\n' \
    libssl3 libgnutls30 libmbedtls14 libwolfssl35 2>/dev/null || true; } |
  awk '$1 == "ii" { v = v (v ? ", " : "") $2 " " $3 } END { if (v) print "DTLS stacks: " v }' >&2
