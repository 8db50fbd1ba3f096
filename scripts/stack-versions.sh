#!/usr/bin/env bash
# stack-versions.sh — DTLS stack versions as a dimension of the testbed.
#
# The Debian 12 archive publishes several builds of a stack at once (libssl3: one in bookworm,
# one in bookworm-updates, one in bookworm-security). This script fetches each published build
# of a library package from the Debian archive (apt-get download + dpkg -x, nothing built from
# source), keeps it in a cache folder outside the repository, and runs one dtlsim binary against
# each through the loader path (the 3.0 ABI is stable, so one binary serves every 3.0.x build).
#
#   scripts/stack-versions.sh list [PACKAGE]
#       the builds of PACKAGE (default libssl3) the archive publishes, oldest first
#   scripts/stack-versions.sh table [--package P] [--sweep N] [--jobs N] [--dtlsim BIN] [DIR]
#       runs the catalog DIR (default scenarios/catalog) under every build and prints a
#       story x version table; a cell that differs from the build before it is marked '*'
#   scripts/stack-versions.sh exec PACKAGE=VERSION -- COMMAND [ARG...]
#       runs COMMAND with that build's libraries first on the loader path
#
# Environment: DTLSIM_STACK_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/dtlsim/stacks).
# Exit status: table — 0 when it ran (whatever the cells say), 2 on bad input or a failed fetch;
# exec — COMMAND's status, 2 if the build cannot be fetched or does not load.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${DTLSIM_STACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dtlsim/stacks}"
usage="usage: stack-versions.sh list [PACKAGE] | table [--package P] [--sweep N] [--jobs N] [--dtlsim BIN] [DIR] | exec PACKAGE=VERSION -- COMMAND..."

die() { echo "stack-versions: $*" >&2; exit 2; }

# The published versions of $1, oldest first (apt's lists must know the package).
published_versions() {
  local out
  out=$(apt-cache madison "$1" 2>/dev/null | awk -F'|' '{gsub(/ /, "", $2); print $2}' | sort -u -V)
  [ -n "$out" ] || die "the Debian archive lists no build of '$1' (run apt-get update, or check the name)"
  echo "$out"
}

# Fetches PACKAGE=VERSION into the cache once; prints the folder holding its shared libraries.
fetch_build() {
  local pkg=$1 ver=$2
  local dir="$cache/$pkg/$ver"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    mkdir -p "$dir/root"
    local tmp
    tmp=$(mktemp -d)
    # apt drops privileges to _apt for downloads; a folder it may write to avoids the warning.
    chmod 0777 "$tmp"
    if ! (cd "$tmp" && apt-get download -q "$pkg=$ver" >/dev/null 2>"$tmp/err"); then
      cat "$tmp/err" >&2
      rm -rf "$tmp"
      die "cannot download $pkg=$ver from the Debian archive"
    fi
    dpkg -x "$tmp"/*.deb "$dir/root"
    rm -rf "$tmp"
    touch "$dir/.complete"
  fi
  local libdir
  libdir=$(find "$dir/root" -name 'lib*.so*' -printf '%h\n' | sort -u | head -n 1)
  [ -n "$libdir" ] || die "$pkg=$ver holds no shared library"
  echo "$libdir"
}

# What the library itself reports once loaded, for checking that the loader took the cached
# build and not the system's (dtlsim --version names the library it runs with).
expected_banner() {
  local pkg=$1 ver=$2
  local upstream=${ver%%-*}
  case "$pkg" in
    libssl3) echo "OpenSSL $upstream" ;;
    *) echo "" ;;
  esac
}

run_with_build() {
  local pkg=$1 ver=$2
  shift 2
  local libdir
  libdir=$(fetch_build "$pkg" "$ver")
  LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$@"
}

check_loaded() {
  local pkg=$1 ver=$2 dtlsim=$3
  local want banner
  want=$(expected_banner "$pkg" "$ver")
  banner=$(run_with_build "$pkg" "$ver" "$dtlsim" --version)
  if [ -n "$want" ] && [[ "$banner" != *"$want "* ]]; then
    die "$pkg=$ver: dtlsim reports '$banner', not $want: the loader did not take the cached build"
  fi
  echo "$banner"
}

cmd_list() {
  published_versions "${1:-libssl3}"
}

cmd_exec() {
  [ $# -ge 3 ] && [ "$2" = "--" ] || die "$usage"
  local spec=$1
  shift 2
  [[ "$spec" == *=* ]] || die "exec: expected PACKAGE=VERSION, got '$spec'"
  local pkg=${spec%%=*} ver=${spec#*=}
  local published
  published=$(published_versions "$pkg")
  grep -qxF "$ver" <<<"$published" ||
    die "exec: the Debian archive does not publish $pkg=$ver (published: $(tr '\n' ' ' <<<"$published"))"
  run_with_build "$pkg" "$ver" "$@"
}

cmd_table() {
  local pkg=libssl3 sweep=20 jobs=2 dtlsim="$root/build/default/scenarios/cli/dtlsim" dir=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --package) pkg=${2:?$usage}; shift 2 ;;
      --sweep) sweep=${2:?$usage}; shift 2 ;;
      --jobs) jobs=${2:?$usage}; shift 2 ;;
      --dtlsim) dtlsim=${2:?$usage}; shift 2 ;;
      -*) die "table: unknown option '$1'" ;;
      *) [ -z "$dir" ] || die "table: expected one DIR"; dir=$1; shift ;;
    esac
  done
  dir=${dir:-$root/scenarios/catalog}
  [[ "$sweep" =~ ^[1-9][0-9]*$ ]] || die "table: --sweep must be a positive number, got '$sweep'"
  [ -x "$dtlsim" ] || die "table: $dtlsim is not an executable (build first: make build)"
  [ -d "$dir" ] || die "table: '$dir' is not a folder"

  local versions out
  mapfile -t versions < <(published_versions "$pkg")
  out=$(mktemp -d)
  trap 'rm -rf "$out"' RETURN
  local i=0
  for ver in "${versions[@]}"; do
    local banner
    banner=$(check_loaded "$pkg" "$ver" "$dtlsim")
    echo "== $pkg $ver: $banner" >&2
    # Exit status 1 (a story failed) is a result here, not an error.
    run_with_build "$pkg" "$ver" "$dtlsim" catalog "$dir" --sweep "$sweep" --jobs "$jobs" \
      >"$out/$i.txt" || [ $? -eq 1 ] || die "table: dtlsim catalog failed under $pkg=$ver (see above)"
    i=$((i + 1))
  done

  # Rows of `dtlsim catalog`: NAME PASS|FAIL SEED HANDSHAKE RETX SENT DROPPED DELIVERED PASSING.
  # A cell: the verdict, the seeds passing, and the payloads the scenario's own seed delivered
  # (a build can change what arrives and still meet a per-build expectation).
  printf '%s\n' "${versions[@]}" >"$out/versions"
  awk -v sweep="$sweep" -v pkg="$pkg" '
    FNR == 1 { file++ }
    file == 1 { ver[++nv] = $1; next }
    /^[^ ]/ && ($2 == "PASS" || $2 == "FAIL") && NF >= 9 {
      v = file - 1
      if (!($1 in seen)) { seen[$1] = 1; story[++ns] = $1 }
      cell[$1, v] = $2 " " $NF " d" $8
    }
    END {
      w = 44
      printf "%-" w "s", "story (" pkg ", seeds 1.." sweep ")"
      for (v = 1; v <= nv; v++) printf "  %-20s", ver[v]
      printf "\n"
      changed = 0
      for (s = 1; s <= ns; s++) {
        printf "%-" w "s", story[s]
        for (v = 1; v <= nv; v++) {
          c = ((story[s], v) in cell) ? cell[story[s], v] : "-"
          mark = (v > 1 && c != prev) ? "*" : " "
          if (mark == "*") { changed++; diff[changed] = story[s] ": " ver[v-1] " " prev " -> " ver[v] " " c }
          printf "  %-20s", c mark
          prev = c
        }
        printf "\n"
      }
      printf "\n%d stories x %d builds; cell: verdict, seeds passing, payloads delivered (dN) at the\n", ns, nv
      printf "story'"'"'s own seed; %d cells changed from the build before (*)\n", changed
      for (k = 1; k <= changed; k++) printf "  %s\n", diff[k]
    }' "$out/versions" $(for ((k = 0; k < i; k++)); do echo "$out/$k.txt"; done)
}

[ $# -ge 1 ] || die "$usage"
command=$1
shift
case "$command" in
  list) cmd_list "$@" ;;
  table) cmd_table "$@" ;;
  exec) cmd_exec "$@" ;;
  -h|--help) echo "$usage" ;;
  *) die "unknown command '$command'; $usage" ;;
esac
