"""The local stack: a real Letta server, embedded PostgreSQL, Redis and the offline model, all on 127.0.0.1.

Everything lives under one state directory (``LETTA_NB_HOME``, default ``~/.letta-nb``)::

    server-venv/   letta==0.16.8 in its own uv-managed environment (created on first ``up``)
    pgdata/        PostgreSQL data (schema created once; ``down`` never drops it)
    logs/          letta.log, offline.log, redis.log, postgres.log
    run/           one pid file per service ``up`` started; ``down`` stops exactly those

Each service runs in its own session (process group) so that it outlives the command or kernel that started it,
and so that ``down`` can stop a service together with its children.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import httpx

from .config import HOST, OFFLINE_HANDLE_BASE, SERVER_REQUIREMENTS, StackConfig
from .errors import LettaNbError

SERVICES = ("postgres", "redis", "offline", "letta")
READY_TIMEOUT_S = 180
# Provider keys passed through to the server so it offers real models beside the offline one.
PROVIDER_KEYS = (
    "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "GROQ_API_KEY", "TOGETHER_API_KEY", "XAI_API_KEY",
    "DEEPSEEK_API_KEY", "OPENROUTER_API_KEY", "MISTRAL_API_KEY", "AZURE_API_KEY", "OLLAMA_BASE_URL",
)
_SERVERDB = Path(__file__).with_name("_serverdb.py")

Say = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


@dataclass
class ServiceState:
    name: str
    state: str  # running | stopped | crashed | unavailable
    pid: int | None = None
    port: int | None = None
    detail: str = ""


# ------------------------------------------------------------------------------------------------ helpers
def _uv() -> str:
    found = shutil.which("uv")
    if found:
        return found
    try:
        from uv import find_uv_bin

        return find_uv_bin()
    except ImportError:
        raise LettaNbError("uv is not installed. Install it with `pip install uv`, then run `letta-nb up` again.") from None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers kill(0); it is not running.
    with contextlib.suppress(OSError):
        if Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z"):
            return False
    return True


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((HOST, port)) == 0


def _tail(path: Path, lines: int = 20) -> str:
    if not path.exists():
        return "(no log yet)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@contextlib.contextmanager
def _lock(cfg: StackConfig) -> Iterator[None]:
    cfg.home.mkdir(parents=True, exist_ok=True)
    with open(cfg.home / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Stack:
    """Start, stop and inspect the local stack for one configuration."""

    def __init__(self, cfg: StackConfig | None = None) -> None:
        self.cfg = cfg or StackConfig.from_env()

    # -------------------------------------------------------------------------------------- pid files
    def _pidfile(self, name: str) -> Path:
        return self.cfg.run / f"{name}.pid"

    def _log(self, name: str) -> Path:
        return self.cfg.logs / f"{name}.log"

    def _read_pid(self, name: str) -> int | None:
        if name == "postgres":
            pidfile = self.cfg.pgdata / "postmaster.pid"
            if not pidfile.exists():
                return None
            return int(pidfile.read_text().split("\n", 1)[0])
        pidfile = self._pidfile(name)
        if not pidfile.exists():
            return None
        return int(json.loads(pidfile.read_text())["pid"])

    def _ports(self) -> dict[str, int | None]:
        return {"postgres": None, "redis": self.cfg.redis_port, "offline": self.cfg.model_port, "letta": self.cfg.letta_port}

    # ----------------------------------------------------------------------------------------- status
    def healthy(self, timeout: float = 2.0) -> bool:
        try:
            return httpx.get(f"{self.cfg.base_url}/v1/health/", timeout=timeout).status_code == 200
        except httpx.HTTPError:
            return False

    def status(self) -> list[ServiceState]:
        states = []
        for name in SERVICES:
            port = self._ports()[name]
            pid = self._read_pid(name)
            if name == "redis" and not shutil.which("redis-server") and pid is None:
                states.append(ServiceState(name, "unavailable", port=port,
                                           detail="redis-server not on PATH: background streams off (apt-get install redis-server)"))
            elif pid is None:
                states.append(ServiceState(name, "stopped", port=port))
            elif _pid_alive(pid):
                detail = ""
                if name == "letta":
                    detail = self.cfg.base_url if self.healthy() else "process up, /v1/health/ not answering yet"
                states.append(ServiceState(name, "running", pid, port, detail))
            else:
                states.append(ServiceState(name, "crashed", pid, port, f"pid {pid} is gone; see {self._log(name)}"))
        return states

    def is_up(self) -> bool:
        return all(s.state in ("running", "unavailable") for s in self.status()) and self.healthy()

    # ------------------------------------------------------------------------------------ server env
    def server_env_ready(self) -> bool:
        marker = self.cfg.venv / ".letta-nb-requirements"
        return self.cfg.venv_python.exists() and marker.exists() and marker.read_text() == "\n".join(SERVER_REQUIREMENTS)

    def install(self, say: Say = print) -> None:
        """Create the server's own environment (letta==0.16.8); a no-op once it matches our requirements."""
        if self.server_env_ready():
            return
        uv = _uv()
        say(f"Installing the Letta server into {self.cfg.venv} (first run only, about a minute)...")
        self.cfg.home.mkdir(parents=True, exist_ok=True)
        steps = [
            [uv, "venv", "--quiet", "--allow-existing", "--python", f"{sys.version_info.major}.{sys.version_info.minor}", str(self.cfg.venv)],
            # Bytecode now, once: with PYTHONDONTWRITEBYTECODE set (common in containers and CI) Python would compile
            # letta from source at every server start and letta_client at every tool run (measured: 60 s -> 35 s for
            # chapter 13, whose tools run in the local sandbox).
            [uv, "pip", "install", "--quiet", "--compile-bytecode", "--python", str(self.cfg.venv_python), *SERVER_REQUIREMENTS],
        ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True)
            if done.returncode:
                raise LettaNbError(f"Installing the Letta server failed ({' '.join(step[:3])}):\n{done.stderr[-2000:]}\n"
                                   "Check that PyPI is reachable, then run `letta-nb up` again.")
        (self.cfg.venv / ".letta-nb-requirements").write_text("\n".join(SERVER_REQUIREMENTS))

    # --------------------------------------------------------------------------------------------- up
    def _spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> int:
        self.cfg.logs.mkdir(parents=True, exist_ok=True)
        self.cfg.run.mkdir(parents=True, exist_ok=True)
        with open(self._log(name), "ab") as log:
            proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    env=env, cwd=self.cfg.home, start_new_session=True)
        self._pidfile(name).write_text(json.dumps({"pid": proc.pid, "argv": argv[:3]}))
        return proc.pid

    def running(self, name: str) -> bool:
        pid = self._read_pid(name)
        return pid is not None and _pid_alive(pid)

    def _check_port_free(self, name: str, port: int, variable: str) -> None:
        if _port_in_use(port):
            raise LettaNbError(f"Port {port} on {HOST} (for {name}) is already in use by another program. "
                               f"Stop that program, or choose another port with {variable}=<port>.")

    def _server_env(self, pg_uri: str, redis: bool) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LETTA_")}
        env.update({
            "LETTA_PG_URI": pg_uri,
            "PGUSER": "postgres",  # letta drops the user from a unix-socket URI
            "LETTA_DIR": str(self.cfg.letta_dir),
            "VLLM_API_BASE": self.cfg.model_url,
            "VLLM_HANDLE_BASE": OFFLINE_HANDLE_BASE,
            "PYTHONUNBUFFERED": "1",
            # Not a server setting: tools run in the local sandbox inherit it, so a tool that calls back into its
            # own server (Letta(base_url=os.getenv("LETTA_BASE_URL"))) finds this one, whatever port it is on.
            "LETTA_BASE_URL": self.cfg.base_url,
        })
        if not os.environ.get("OPENAI_API_KEY"):
            # Without a real key, the OpenAI provider serves the offline embeddings (and lists no chat models).
            env["OPENAI_API_KEY"] = "offline"
            env["OPENAI_API_BASE"] = f"http://{HOST}:{self.cfg.model_port}/embeddings-only/v1"
            env.pop("OPENAI_BASE_URL", None)
        if redis:
            env["LETTA_REDIS_HOST"] = HOST
            env["LETTA_REDIS_PORT"] = str(self.cfg.redis_port)
        return env

    def _start_postgres(self) -> str:
        self.cfg.logs.mkdir(parents=True, exist_ok=True)
        done = subprocess.run([str(self.cfg.venv_python), str(_SERVERDB), "start", str(self.cfg.pgdata)],
                              capture_output=True, text=True, cwd=self.cfg.home)
        with open(self._log("postgres"), "a") as log:
            log.write(done.stderr)
        if done.returncode:
            raise LettaNbError(f"PostgreSQL did not start:\n{done.stderr[-2000:]}\n"
                               f"See {self.cfg.pgdata / 'log'}; `letta-nb doctor` checks the rest.")
        result = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
        return json.loads(result.removeprefix("RESULT "))["uri"]

    def up(self, say: Say = print, timeout: float = READY_TIMEOUT_S) -> str:
        """Start whatever is not running and wait until the server answers; returns its URL. Safe to repeat."""
        with _lock(self.cfg):
            redis = shutil.which("redis-server") is not None
            wanted = ["postgres", "offline", "letta"] + (["redis"] if redis else [])
            if all(self.running(name) for name in wanted) and self.healthy():
                say(f"The local Letta stack is already running at {self.cfg.base_url}")
                return self.cfg.base_url
            checks = [("letta", self.cfg.letta_port, "LETTA_NB_PORT"), ("offline", self.cfg.model_port, "LETTA_NB_MODEL_PORT")]
            if redis:
                checks.append(("redis", self.cfg.redis_port, "LETTA_NB_REDIS_PORT"))
            for name, port, variable in checks:
                if not self.running(name):
                    self._check_port_free(name, port, variable)
            self.install(say)
            started = time.monotonic()
            pg_uri = self._start_postgres()
            if redis and not self.running("redis"):
                (self.cfg.home / "redis").mkdir(exist_ok=True)
                self._spawn("redis", ["redis-server", "--bind", HOST, "--port", str(self.cfg.redis_port), "--save", "",
                                      "--appendonly", "no", "--dir", str(self.cfg.home / "redis"), "--protected-mode", "yes"])
            if not redis:
                say("redis-server not found: background streams are off (install it with `apt-get install redis-server`).")
            if not self.running("offline"):
                self._spawn("offline", [sys.executable, "-m", "letta_nb.offline", "--host", HOST, "--port", str(self.cfg.model_port)],
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
            if not self.running("letta"):
                self._spawn("letta", [str(self.cfg.venv / "bin" / "letta"), "server", "--host", HOST, "--port", str(self.cfg.letta_port)],
                            env=self._server_env(pg_uri, redis))
            say(f"Waiting for the Letta server at {self.cfg.base_url} ...")
            self._wait_ready(timeout)
            say(f"Letta is up at {self.cfg.base_url} ({time.monotonic() - started:.0f} s). Stop it with `letta-nb down`.")
            return self.cfg.base_url

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name in ("letta", "offline", "redis"):
                pid = self._read_pid(name)
                if pid is not None and not _pid_alive(pid):
                    raise LettaNbError(f"The {name} service exited during start-up. Last lines of {self._log(name)}:\n"
                                       f"{_tail(self._log(name))}\nRun `letta-nb doctor` for a full check.")
            if self.healthy():
                return
            time.sleep(0.5)
        raise LettaNbError(f"The Letta server did not answer {self.cfg.base_url}/v1/health/ within {timeout:.0f} s. "
                           f"Last lines of {self._log('letta')}:\n{_tail(self._log('letta'))}")

    # ------------------------------------------------------------------------------------------- down
    def down(self, say: Say = print) -> list[str]:
        """Stop exactly the processes ``up`` started (by pid); data stays. Returns the names stopped."""
        stopped = []
        with _lock(self.cfg):
            for name in ("letta", "offline", "redis"):
                pid = self._read_pid(name)
                if pid is not None and _pid_alive(pid):
                    _stop_group(pid)
                    stopped.append(name)
                self._pidfile(name).unlink(missing_ok=True)
            if self.running("postgres") and self.cfg.venv_python.exists():
                subprocess.run([str(self.cfg.venv_python), str(_SERVERDB), "stop", str(self.cfg.pgdata)],
                               capture_output=True, text=True, cwd=self.cfg.home)
                stopped.append("postgres")
        say(f"Stopped: {', '.join(stopped)}." if stopped else "Nothing was running.")
        return stopped

    def logs(self, name: str = "letta", lines: int = 50) -> str:
        if name not in SERVICES:
            raise LettaNbError(f"Unknown service {name!r}; choose one of {', '.join(SERVICES)}.")
        path = self.cfg.pgdata / "log" if name == "postgres" else self._log(name)
        return _tail(path, lines)


def _stop_group(pid: int, grace: float = 10.0) -> None:
    """SIGTERM the service's process group, then SIGKILL whatever is left after ``grace`` seconds."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reap it when this process started it (tests, notebooks)
        if not _group_alive(pid):
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def _group_alive(pgid: int) -> bool:
    """True while any non-zombie process is left in the group."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(") ", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                return True
    return False
