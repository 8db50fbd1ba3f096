#!/usr/bin/env bash
# hundred-clients-noise and many-clients are written with endpoint_groups since the commit after
# e24a7fa; before, each client was a block of its own (3588 and 1225 lines). The rewrite must
# not change a run: the trace of each seed and backend pair below is byte-identical to the one
# of the old file, taken from git history. Exit 77 (skipped) without that history.
# Usage: endpoint_groups_identical_test.sh DTLSIM SOURCE_DIR
set -euo pipefail
bin="$1"
src="$2"
before=e24a7fa
if ! git -C "$src" cat-file -e "$before^{commit}" 2>/dev/null; then
  echo "no git history with $before: skipped"
  exit 77
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# The files name their certificates ../../tests/data/certs/...: two levels below a tests link.
mkdir -p "$tmp/old/catalog"
ln -s "$src/tests" "$tmp/tests"
status=0
for story in hundred-clients-noise many-clients; do
  git -C "$src" show "$before:scenarios/catalog/$story.textproto" > "$tmp/old/catalog/$story.textproto"
  new_lines=$(wc -l < "$src/scenarios/catalog/$story.textproto")
  old_lines=$(wc -l < "$tmp/old/catalog/$story.textproto")
  for run in "--seed 1" "--seed 2 --backend mbedtls" "--seed 3 --client-backend wolfssl --server-backend gnutls" \
             "--seed 4 --client-backend gnutls --server-backend openssl"; do
    # shellcheck disable=SC2086  # $run is a list of options
    "$bin" run "$tmp/old/catalog/$story.textproto" $run --trace "$tmp/old.trace" > /dev/null || true
    # shellcheck disable=SC2086
    "$bin" run "$src/scenarios/catalog/$story.textproto" $run --trace "$tmp/new.trace" > /dev/null || true
    if cmp -s "$tmp/old.trace" "$tmp/new.trace"; then
      echo "identical: $story $run ($old_lines -> $new_lines lines, trace $(stat -c %s "$tmp/new.trace") bytes)"
    else
      echo "DIFFERENT: $story $run"
      status=1
    fi
  done
done
exit "$status"
