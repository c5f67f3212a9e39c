#!/usr/bin/env bash
# rinse against the peers on the hand-written held-out pages (tests/fixtures/unseen): the
# same harness as run.sh (same decoding, same scorer), on those pages and their gold bodies.
#
# usage: bash benches/peers/unseen.sh [VENV]
# VENV is a virtual environment with the peers installed (default: benches/peers/.venv, made
# by run.sh). The whole-page text dumps (tests/fixtures/unseen/dumps) are scored for rinse
# alone: the peers read HTML only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${1:-$here/.venv}"
unseen="$root/tests/fixtures/unseen"
score="$root/../shared/eval/score.py"
(cd "$root" && cargo build --release -q)
"$venv/bin/python" "$here/peers.py" --rinse "$root/target/release/rinse" --repeat 1 \
  --corpus "$unseen/html" --gold "$unseen/gold" --score "$score" --out "$here/out-unseen"
out="$here/out-unseen/rinse-dumps"
rm -rf "$out"
"$root/target/release/rinse" clean "$unseen/dumps" -o "$out" -q
echo "rinse on the dumps: $(python3 "$score" "$unseen/gold" "$out" | tail -1)"
