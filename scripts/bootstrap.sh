#!/usr/bin/env bash
# Everything a fresh machine needs before `letta-nb lab` or the tests: uv, redis-server, the project
# environment (.venv) and the Letta server's own environment; with --browser also chromium, for the tests.
# Safe to run again; it skips what is done.
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

# `--browser` (make test): tests/test_browser.py drives Debian's chromium; Playwright never downloads a browser here.
if [ "${1:-}" = "--browser" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing chromium (browser test)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "bootstrap: chromium not found; the browser test will fail until you run: sudo apt-get install chromium"
  fi
fi

# Bytecode at install time: kernels and tests then start fast even where PYTHONDONTWRITEBYTECODE is set.
# The `lab` extra: JupyterLab (pip users get it with `letta-nb[lab]`); the dev and docs groups come by default.
uv sync --quiet --frozen --compile-bytecode --extra lab
uv run --frozen --extra lab letta-nb install
