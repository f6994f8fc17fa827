"""Time Binder's two phases without Docker: build (binder/postBuild on a fresh HOME) and launch (binder/start until
/v1/health/ answers, and until a first cell's `letta_nb.connect()` returns). Runs on a temporary HOME, state directory
and ports; the usual stack is not touched.

    uv run python benchmarks/binder.py [--launches 2] [--cold-cache]

By default the server environment installs from this machine's uv cache (a rebuild on a warm builder);
``--cold-cache`` uses an empty cache, so every package is downloaded as on a fresh Binder build.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from _report import table

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FIRST_CELL = "import letta_nb; letta_nb.connect()"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and not stat.read_text().rsplit(") ", 1)[1].startswith("Z")


def launch(env: dict, state: Path) -> tuple[float, float, float]:
    """binder/start with a no-op command; returns (start returned, health OK, first cell done), seconds from start."""
    url = f"http://127.0.0.1:{env['LETTA_NB_PORT']}/v1/health/"
    t0 = time.perf_counter()
    subprocess.run([str(ROOT / "binder" / "start"), "true"], env=env, cwd=ROOT, check=True, capture_output=True)
    returned = time.perf_counter() - t0
    cell = subprocess.Popen([sys.executable, "-c", FIRST_CELL], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    healthy = None
    while healthy is None and time.perf_counter() - t0 < 300:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                healthy = time.perf_counter() - t0
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    cell.wait(timeout=300)
    first_cell = time.perf_counter() - t0
    if healthy is None or cell.returncode:
        raise SystemExit(f"launch failed: {cell.stderr[-2000:]}\n{(state / 'logs' / 'letta-nb-start.log').read_text()}")
    starter = state / "run" / "autostart.pid"
    while starter.exists() and pid_alive(int(starter.read_text())):
        time.sleep(0.2)
    return returned, healthy, first_cell


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--launches", type=int, default=2)
    parser.add_argument("--cold-cache", action="store_true", help="install with an empty uv cache (downloads everything)")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="letta-nb-binder-bench-"))
    state = home / ".letta-nb"
    uv_cache = (str(home / "uv-cache") if args.cold_cache else
                subprocess.run([str(BIN / "uv"), "cache", "dir"], capture_output=True, text=True).stdout.strip())
    env = {k: v for k, v in os.environ.items() if not k.startswith("LETTA_")}
    env.update(HOME=str(home), LETTA_NB_HOME=str(state), UV_CACHE_DIR=uv_cache, PATH=f"{BIN}:{os.environ.get('PATH', '')}",
               LETTA_NB_PORT=str(free_port()), LETTA_NB_MODEL_PORT=str(free_port()), LETTA_NB_REDIS_PORT=str(free_port()))
    rows = []
    try:
        t0 = time.perf_counter()
        built = subprocess.run([str(ROOT / "binder" / "postBuild")], env=env, cwd=ROOT, capture_output=True, text=True)
        build = time.perf_counter() - t0
        if built.returncode:
            raise SystemExit(f"postBuild failed:\n{built.stdout[-3000:]}\n{built.stderr[-3000:]}")
        steps = dict(re.findall(r"postBuild: (server environment installed|database schema created)\D+(\d+) s", built.stdout))
        size = subprocess.run(["du", "-sm", str(state)], capture_output=True, text=True).stdout.split()[0]
        cache = "empty uv cache" if args.cold_cache else "warm uv cache"
        rows += [(f"build: postBuild total ({cache})", f"{build:.0f} s"),
                 ("build: server environment install", f"{steps.get('server environment installed', '?')} s"),
                 ("build: schema + first start and stop", f"{steps.get('database schema created', '?')} s"),
                 ("build: state directory added to the image", f"{size} MB")]
        launches = []
        for _ in range(args.launches):
            launches.append(launch(env, state))
            subprocess.run([str(BIN / "letta-nb"), "down"], env=env, cwd=ROOT, capture_output=True, check=True)
        for i, label in enumerate(("launch: binder/start hands over to Jupyter", "launch: start -> /v1/health/ OK",
                                   "launch: start -> first cell's connect() returns")):
            values = [run[i] for run in launches]
            rows.append((f"{label} (median of {len(values)})", f"{statistics.median(values):.1f} s"))
    finally:
        subprocess.run([str(BIN / "letta-nb"), "down"], env=env, cwd=ROOT, capture_output=True)
        shutil.rmtree(home, ignore_errors=True)
    table(rows)


if __name__ == "__main__":
    main()
