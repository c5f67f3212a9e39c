#!/usr/bin/env bash
# Peers harness: rinse against trafilatura, readability-lxml, resiliparse and magic-html on
# the shared html-dev pages, P/R/F1 (../shared/eval/score.py) and pages/s side by side.
#
# usage: bash benches/peers/run.sh [CORPUS_DIR GOLD_DIR]
# Creates benches/peers/.venv (Python >= 3.12: python3.13/python3.12 on PATH, a pyenv
# 3.12+, or one fetched by `uv`), installs the peers from PyPI, builds rinse, runs all.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
corpus="${1:-$root/../shared/corpus/html-dev}"
gold="${2:-$root/../shared/gold/html-dev}"
venv="$here/.venv"

ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }

find_python() {
  for p in python3.13 python3.12 python3; do
    ok "$p" && { command -v "$p"; return; }
  done
  if command -v pyenv >/dev/null 2>&1; then
    for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9])' | sort -V -r); do
      p="$(pyenv root)/versions/$v/bin/python3"
      ok "$p" && { echo "$p"; return; }
    done
  fi
  python3 -m pip install -q uv >/dev/null 2>&1 || true
  if python3 -m uv python install 3.12 >/dev/null 2>&1; then
    python3 -m uv python find 3.12
    return
  fi
  echo "no Python >= 3.12 found (tried PATH, pyenv, uv)" >&2
  exit 2
}

if [ ! -x "$venv/bin/python" ]; then
  py="$(find_python)"
  echo "creating $venv with $py" >&2
  "$py" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -r "$here/requirements.txt"
fi

(cd "$root" && cargo build --release -q)
"$venv/bin/python" "$here/peers.py" --rinse "$root/target/release/rinse" \
  --corpus "$corpus" --gold "$gold" --score "$root/../shared/eval/score.py" --out "$here/out"
