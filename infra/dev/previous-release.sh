#!/usr/bin/env bash
# Builds the previous release's `jinbao` — the commit in infra/prod/previous-release — into
# target/previous-release/jinbao, for the upgrade test (tests/it/upgrade.rs): the previous
# release's server must keep serving on the current schema while new servers start (migrations
# expand first and contract a release later; docs/operations.md "Start and stop"). Built once per
# commit; a second run does nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
rev=$(tr -d ' \n' < infra/prod/previous-release)
out=target/previous-release
if [ -x "$out/jinbao" ] && [ "$(cat "$out/rev" 2>/dev/null)" = "$rev" ]; then exit 0; fi
if ! git cat-file -e "$rev^{commit}" 2>/dev/null; then
  git fetch -q origin "$rev" 2>/dev/null || git fetch -q --unshallow 2>/dev/null || true
fi
git cat-file -e "$rev^{commit}" 2>/dev/null || { echo "[previous-release] commit $rev is not in this clone" >&2; exit 1; }
echo "[previous-release] building jinbao at ${rev:0:10} (once)" >&2
rm -rf "$out/src"; mkdir -p "$out/src"
git archive "$rev" | tar -x -C "$out/src"
cargo build -q -p jinbao --manifest-path "$out/src/Cargo.toml" --target-dir "$out/target"
cp "$out/target/debug/jinbao" "$out/jinbao"
echo "$rev" > "$out/rev"
