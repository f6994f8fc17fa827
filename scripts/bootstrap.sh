#!/usr/bin/env bash
# Everything a fresh machine needs before `letta-nb lab` or the tests: uv, redis-server, the project
# environment (.venv) and the Letta server's own environment. Safe to run again; it skips what is done.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v uv >/dev/null 2>&1 && ! python3 -m uv --version >/dev/null 2>&1; then
  echo "bootstrap: installing uv from PyPI"
  python3 -m pip install --quiet --disable-pip-version-check uv
fi
uv() { if command -v uv >/dev/null 2>&1; then command uv "$@"; else python3 -m uv "$@"; fi; }

if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing redis-server (background streams)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "bootstrap: redis-server not found; background streams stay off until you run: sudo apt-get install redis-server"
  fi
fi

uv sync --quiet --frozen
uv run --frozen letta-nb install
