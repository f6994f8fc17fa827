"""binder/ as repo2docker uses it, without Docker: postBuild once on a fresh HOME, then start (the launch) with a command.

Runs on its own HOME, state directory and ports, so the usual stack is not touched; the server environment installs
from uv's cache on this machine (postBuild cleans only a cache inside $HOME, i.e. in a Binder image). Slow: about
40 s install + 30 s schema and first start + 20 s launch.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from letta_nb.local.supervision import pid_alive, port_in_use

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
BIN = Path(sys.executable).parent  # the project environment: letta-nb, jupyter, uv (what Binder puts on PATH)

pytestmark = pytest.mark.timeout(900)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(argv, env, timeout=600, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, **kwargs)


def _wait_for_starter(state: Path, timeout: float = 240) -> None:
    """Wait until the background `letta-nb up` that binder/start launched has finished."""
    pidfile = state / "run" / "autostart.pid"
    if not pidfile.exists():
        return
    pid = int(pidfile.read_text())
    deadline = time.monotonic() + timeout
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.5)


def _lock_is_held(state: Path) -> bool:
    with open(state / ".lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


@pytest.fixture(scope="module")
def binder(tmp_path_factory):
    home = tmp_path_factory.mktemp("binder-home")
    uv_cache = _run([str(BIN / "uv"), "cache", "dir"], dict(os.environ)).stdout.strip()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LETTA_")}
    ports = {"LETTA_NB_PORT": _free_port(), "LETTA_NB_MODEL_PORT": _free_port(), "LETTA_NB_REDIS_PORT": _free_port()}
    env.update({k: str(v) for k, v in ports.items()})
    env.update(HOME=str(home), LETTA_NB_HOME=str(home / ".letta-nb"), UV_CACHE_DIR=uv_cache,
               PATH=f"{BIN}:{os.environ.get('PATH', '')}", PYTHONUNBUFFERED="1")
    yield env
    state = home / ".letta-nb"
    _wait_for_starter(state)
    _run([str(BIN / "letta-nb"), "down"], {**env, "LETTA_NB_HOME": str(state)}, timeout=120)
    shutil.rmtree(home, ignore_errors=True)  # ~1 GB of server environment


@pytest.fixture(scope="module")
def built(binder):
    done = _run([str(BINDER / "postBuild")], binder, timeout=840)
    assert done.returncode == 0, f"postBuild failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def test_postbuild_prepares_the_server_and_the_schema_inside_home(binder, built):
    state = Path(binder["HOME"]) / ".letta-nb"
    assert "postBuild: done" in built.stdout
    assert (state / "server-venv" / "bin" / "letta").exists()
    assert (state / "pgdata" / ".letta-nb-schema").exists()
    # Nothing of the build is left running or lying around: an image holds files, not processes.
    assert not (state / "pgdata" / "postmaster.pid").exists()
    assert not (state / "run").exists() and not (state / "logs").exists()
    for variable in ("LETTA_NB_PORT", "LETTA_NB_MODEL_PORT", "LETTA_NB_REDIS_PORT"):
        assert not port_in_use(int(binder[variable]))


def test_start_hands_over_at_once_and_a_first_cell_waits_for_the_stack(binder, built):
    state = Path(binder["LETTA_NB_HOME"])
    base_url = f"http://127.0.0.1:{binder['LETTA_NB_PORT']}"
    started = _run([str(BINDER / "start"), sys.executable, "-c", "print('handed over')"], binder, timeout=60)
    assert started.returncode == 0, started.stderr
    assert "handed over" in started.stdout and "letta-nb-start.log" in started.stdout

    # The first notebook cell, while the background start holds the stack's lock: connect() waits for it.
    deadline = time.monotonic() + 60
    while not _lock_is_held(state) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _lock_is_held(state), (state / "logs" / "letta-nb-start.log").read_text()
    cell = _run([sys.executable, "-c", "import letta_nb; c = letta_nb.connect(); print('agents:', len(list(c.agents.list())))"],
                binder, timeout=300)
    assert cell.returncode == 0, cell.stdout + cell.stderr
    assert f"already running at {base_url}" in cell.stdout and "agents:" in cell.stdout

    _wait_for_starter(state)
    assert httpx.get(f"{base_url}/v1/health/", timeout=5).status_code == 200
    log = (state / "logs" / "letta-nb-start.log").read_text()
    assert "binder/start: letta-nb up" in log and f"Letta is up at {base_url}" in log
    assert (state / "logs" / "letta.log").exists()


def test_jupyter_lab_runs_through_start(binder, built):
    done = _run([str(BINDER / "start"), "jupyter", "lab", "--version"], binder, timeout=120)
    _wait_for_starter(Path(binder["LETTA_NB_HOME"]))
    assert done.returncode == 0, done.stderr
    assert re.search(r"^\d+\.\d+\.\d+", done.stdout, re.M), done.stdout


def test_start_leaves_the_stack_alone_when_pointed_elsewhere(binder, built):
    done = _run([str(BINDER / "start"), "true"], {**binder, "LETTA_BASE_URL": "http://letta.example:8283"}, timeout=60)
    assert done.returncode == 0 and "starting the local Letta stack" not in done.stdout
