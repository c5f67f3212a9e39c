#!/usr/bin/env bash
# The text path side by side (rinse, a plain Python regex cleaner of the same rules, cat),
# on copies of the shared texts: seeds, repost-dev, repost-dev2 and text-dev.
#
# usage: bash benches/peers/text.sh [MB]     (default 64; inputs are made in a temp folder)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="$root/../shared"
mb="${1:-64}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$root" && cargo build --release -q)
python3 "$here/text.py" --make "$work" --mb "$mb" \
  "$shared/seeds" "$shared/corpus/repost-dev" "$shared/corpus/repost-dev2" "$shared/corpus/text-dev"
python3 "$here/text.py" --rinse "$root/target/release/rinse" "$work/files" "$work/texts.jsonl"
