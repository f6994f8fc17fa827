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
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import psutil
from letta_client import Letta

from ..config import HOST, OFFLINE_HANDLE_BASE, SERVER_REQUIREMENTS, StackConfig
from ..errors import LettaNbError
from ..room import mark

SERVICES = ("postgres", "redis", "offline", "letta")
READY_TIMEOUT_S = 180
# Provider keys passed to the server so it offers real models beside the offline one.
PROVIDER_KEYS = (
    "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "GROQ_API_KEY", "TOGETHER_API_KEY", "XAI_API_KEY",
    "DEEPSEEK_API_KEY", "OPENROUTER_API_KEY", "MISTRAL_API_KEY", "AZURE_API_KEY", "OLLAMA_BASE_URL",
)
# Settings that go with those keys (letta's ModelSettings reads them), passed when set.
PROVIDER_SETTINGS = (
    "OPENAI_API_BASE", "AZURE_BASE_URL", "AZURE_API_VERSION", "GEMINI_BASE_URL", "OPENROUTER_HANDLE_BASE",
    "OPENROUTER_REFERER", "OPENROUTER_TITLE", "LMSTUDIO_BASE_URL",
)
# All that the stack's services get from the user's environment (plus LC_*). Tools run by the server inherit the
# server's environment (see _serverlaunch.py), so nothing else from the shell may reach it: tokens, cloud credentials
# and provider keys stay out. The CA variables are not secret, and real providers behind a TLS-inspecting proxy need
# them. Anything more (a proxy, say) only when named in LETTA_NB_SERVER_ENV, and then every tool can read it.
PASSED_ENV = ("PATH", "HOME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE")
EXTRA_ENV_VARIABLE = "LETTA_NB_SERVER_ENV"
# Set, letta runs with its own defaults (no connection pool, OpenAPI generated at start, all of letta imported in
# every tool run): slower, and what to compare with (benchmarks/stack.py) or fall back on.
DEFAULTS_VARIABLE = "LETTA_NB_LETTA_DEFAULTS"
WORKERS_VARIABLE = "LETTA_NB_WORKERS"  # read by _serverlaunch.py: how many server processes
_SERVERDB = Path(__file__).with_name("_serverdb.py")
_SERVERLAUNCH = Path(__file__).with_name("_serverlaunch.py")
_TOOLSITE = Path(__file__).with_name("toolsite")
# Where `letta-nb serve` may listen: every interface (v4 or v6) or loopback. Internally the stack keeps talking to
# 127.0.0.1, which each of these also answers.
ROOM_HOSTS = ("0.0.0.0", "::", HOST)

Say = Callable[[str], None]


def room_workers() -> int:
    """How many server processes a room gets by default: one per core, at most four. On 2 cores, 20 participants
    finished soonest with 2 (benchmarks/results.md); each costs about 500 MB."""
    return max(1, min(4, os.cpu_count() or 1))


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
    """Whether ``pid`` runs. A zombie (killed, not yet reaped) still answers kill(0); it is not running."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.AccessDenied:
        return True  # another user's process
    except psutil.NoSuchProcess:  # ZombieProcess too, where a zombie's status cannot be read
        return False


def passed_env() -> dict[str, str]:
    """The allow-listed part of this process's environment: what every service of the stack starts with."""
    extra = set(os.environ.get(EXTRA_ENV_VARIABLE, "").replace(",", " ").split())
    return {k: v for k, v in os.environ.items() if k in PASSED_ENV or k.startswith("LC_") or k in extra}


def _with_user(uri: str, user: str = "postgres") -> str:
    """The URI with ``user`` in its query: letta drops the user name from a unix-socket URI (the netloc has no host),
    and without it asyncpg falls back to PGUSER or the login name (``role "root" does not exist``)."""
    parts = urlsplit(uri)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("user", "sslmode")] + [("user", user), ("sslmode", "disable")]
    return urlunsplit(parts._replace(query=urlencode(query, safe="/")))


def port_in_use(port: int) -> bool:
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

    # ------------------------------------------------------------------------------------------- a room
    def room(self) -> dict | None:
        """``{"host", "password", "port", "workers"}`` while the stack serves a room (``letta-nb serve``), else None."""
        try:
            return json.loads(self.cfg.room_file.read_text())
        except (OSError, ValueError):
            return None

    def serve(self, host: str = "0.0.0.0", password: str | None = None, say: Say = print, port: int | None = None,
              workers: int | None = None) -> dict:
        """Start the stack for a room: the Letta server listens on ``host`` (and ``port``, default LETTA_NB_PORT) with
        ``workers`` processes (default: :func:`room_workers`) and asks every request for ``password`` (default:
        LETTA_SERVER_PASSWORD, else the room's last one, else a new one). The other services stay on 127.0.0.1.
        Returns the room; ``down`` ends it."""
        if host not in ROOM_HOSTS:
            raise LettaNbError(f"--host {host} is not supported: use 0.0.0.0 (every interface; a firewall decides who "
                               "reaches it), :: (the same for IPv6) or 127.0.0.1 (this machine only).")
        if workers is not None and not 1 <= workers <= 32:
            raise LettaNbError(f"--workers {workers}: give a number of server processes between 1 and 32.")
        current = self.room() or {}
        password = password or os.environ.get("LETTA_SERVER_PASSWORD") or current.get("password") or secrets.token_urlsafe(18)
        wanted = {"host": host, "password": password, "port": port or self.cfg.letta_port,
                  "workers": workers or room_workers()}
        with _lock(self.cfg):
            pid = self._read_pid("letta")
            if current != wanted and pid is not None and _pid_alive(pid):
                say("Restarting the Letta server for the room.")
                _stop_group(pid)
                self._pidfile("letta").unlink(missing_ok=True)
            if wanted["port"] != self.cfg.letta_port:
                self.cfg = replace(self.cfg, letta_port=wanted["port"])
            self.cfg.run.mkdir(parents=True, exist_ok=True)
            self.cfg.room_file.touch(mode=0o600)
            self.cfg.room_file.write_text(json.dumps(wanted))
        self.up(say)
        mark(Letta(base_url=self.cfg.base_url, api_key=password))
        return wanted

    # -------------------------------------------------------------------------------------- pid files
    def _pidfile(self, name: str) -> Path:
        return self.cfg.run / f"{name}.pid"

    def _log(self, name: str) -> Path:
        return self.cfg.logs / f"{name}.log"

    def _pid_source(self, name: str) -> Path:
        """Where a service's pid is written: PostgreSQL writes its own postmaster.pid; ``up`` writes the others."""
        return self.cfg.pgdata / "postmaster.pid" if name == "postgres" else self._pidfile(name)

    def _read_pid(self, name: str) -> int | None:
        pidfile = self._pid_source(name)
        if not pidfile.exists():
            return None
        if name == "postgres":
            return int(pidfile.read_text().split("\n", 1)[0])
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
                    room = self.room()
                    if room:
                        detail += f" (a room on {room['host']}: `letta-nb serve` prints what to hand out)"
                states.append(ServiceState(name, "running", pid, port, detail))
            else:
                states.append(ServiceState(name, "crashed", pid, port, f"pid {pid} is gone; see {self._log(name)}"))
        return states

    def exposed_env(self) -> list[str]:
        """Names in the running server's start-up environment beyond the allow-list: every tool can read them.

        Empty for a server this version started; a server started by an older letta-nb has the user's whole
        environment. Empty too when the server is not running or its environment cannot be read."""
        pid = self._read_pid("letta")
        if pid is None or not _pid_alive(pid):
            return []
        try:
            names = set(psutil.Process(pid).environ())
        except psutil.Error:
            return []
        allowed = set(PASSED_ENV) | set(passed_env()) | {"PYTHONUNBUFFERED", "LETTA_BASE_URL", "PYTHONPATH"}
        return sorted(n for n in names if n not in allowed and not n.startswith("LC_"))

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
            # No --compile-bytecode: compiling every module of the environment takes 42 s instead of 19 s, while the
            # server's first start compiles only what it imports (+10 s, once) and writes the bytecode, as its
            # allow-list environment never carries PYTHONDONTWRITEBYTECODE (nor do the tool runs, which inherit it).
            [uv, "pip", "install", "--quiet", "--python", str(self.cfg.venv_python), *SERVER_REQUIREMENTS],
        ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True)
            if done.returncode:
                raise LettaNbError(f"Installing the Letta server failed ({' '.join(step[:3])}):\n{done.stderr[-2000:]}\n"
                                   "Check that PyPI is reachable, then run `letta-nb up` again.")
        (self.cfg.venv / ".letta-nb-requirements").write_text("\n".join(SERVER_REQUIREMENTS))

    # --------------------------------------------------------------------------------------------- up
    def _spawn(self, name: str, argv: list[str], env: dict[str, str], private: dict[str, str] | None = None) -> int:
        """Start a service in its own session with exactly ``env``; ``private`` goes to its stdin as JSON."""
        self.cfg.logs.mkdir(parents=True, exist_ok=True)
        self.cfg.run.mkdir(parents=True, exist_ok=True)
        with open(self._log(name), "ab") as log:
            proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL if private is None else subprocess.PIPE,
                                    env=env, cwd=self.cfg.home, start_new_session=True)
        if private is not None:
            with contextlib.suppress(BrokenPipeError):
                proc.stdin.write(json.dumps(private).encode())
            proc.stdin.close()
        self._pidfile(name).write_text(json.dumps({"pid": proc.pid, "argv": argv[:3]}))
        return proc.pid

    def running(self, name: str) -> bool:
        """Whether the process ``up`` started for ``name`` still runs. A live pid is not enough: pids are reused
        quickly on a busy machine, so a process that started after its pid file was written is someone else."""
        pid = self._read_pid(name)
        if pid is None or not _pid_alive(pid):
            return False
        try:
            return psutil.Process(pid).create_time() <= self._pid_source(name).stat().st_mtime + 2
        except (psutil.Error, OSError):
            return False

    def _check_port_free(self, name: str, port: int, variable: str) -> None:
        if port_in_use(port):
            raise LettaNbError(f"Port {port} on {HOST} (for {name}) is already in use by another program. "
                               f"Stop that program, or choose another port with {variable}=<port>.")

    def _server_env(self, pg_uri: str, redis: bool) -> tuple[dict[str, str], dict[str, str]]:
        """The server's environment, and its private settings (see _serverlaunch.py).

        The environment is what every tool run in the server's local sandbox also gets: the allow-list
        (``passed_env``) plus ``LETTA_BASE_URL``. The settings (database, Redis, models, provider keys) reach only
        letta's settings objects, never ``os.environ``, so no tool can read them.

        Why not register the keys as BYOK providers (``POST /v1/providers``) at ``up``: their handles would change
        (a BYOK provider may not take a base provider's name, so not ``openai/...``), they would belong to the
        default organization only (workshop participants' organizations would not see them), ``up`` would have to
        keep them in step with ``.env`` (update, delete), and the database would hold the keys.
        """
        env = {
            **passed_env(),
            "PYTHONUNBUFFERED": "1",
            # Not a server setting: tools run in the local sandbox inherit it, so a tool that calls back into its
            # own server (Letta(base_url=os.getenv("LETTA_BASE_URL"))) finds this one, whatever port it is on.
            "LETTA_BASE_URL": self.cfg.base_url,
        }
        private = {k: os.environ[k] for k in PROVIDER_KEYS + PROVIDER_SETTINGS if os.environ.get(k)}
        room = self.room()
        if room:  # letta's own password check: every request but the health probes needs it
            private.update({"LETTA_SERVER_SECURE": "true", "LETTA_SERVER_PASSWORD": room["password"]})
            if room.get("workers", 1) > 1:
                private[WORKERS_VARIABLE] = str(room["workers"])
        if os.environ.get(DEFAULTS_VARIABLE):
            private[DEFAULTS_VARIABLE] = "1"  # _serverlaunch.py then lets letta generate its OpenAPI schema
        else:
            # letta 0.16.8 opens a new PostgreSQL connection for every session by default (NullPool): a fresh backend
            # and asyncpg's type introspection, several times per message. A pool of kept connections serves the
            # same turn in about half the time. (The socket is local: no TLS, which letta would otherwise require.)
            private["LETTA_DISABLE_SQLALCHEMY_POOLING"] = "false"
            # toolsite/sitecustomize.py: a tool run skips importing all of letta (see there); a path, no secret.
            env["PYTHONPATH"] = str(_TOOLSITE)
        private.update({
            "LETTA_PG_URI": _with_user(pg_uri),
            "LETTA_DIR": str(self.cfg.letta_dir),
            "VLLM_API_BASE": self.cfg.model_url,
            "VLLM_HANDLE_BASE": OFFLINE_HANDLE_BASE,
        })
        if not os.environ.get("OPENAI_API_KEY"):
            # Without a real key, the OpenAI provider serves the offline embeddings (and lists no chat models).
            private["OPENAI_API_KEY"] = "offline"
            private["OPENAI_API_BASE"] = f"http://{HOST}:{self.cfg.model_port}/embeddings-only/v1"
        if redis:
            private["LETTA_REDIS_HOST"] = HOST
            private["LETTA_REDIS_PORT"] = str(self.cfg.redis_port)
        return env, private

    def _start_postgres(self) -> str:
        self.cfg.logs.mkdir(parents=True, exist_ok=True)
        done = subprocess.run([str(self.cfg.venv_python), str(_SERVERDB), "start", str(self.cfg.pgdata)],
                              capture_output=True, text=True, cwd=self.cfg.home, env=passed_env())
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
                exposed = self.exposed_env()
                if exposed:
                    say(f"Warning: its server was started with {len(exposed)} variables of your environment that every "
                        "tool can read (an older letta-nb did that). Restart it: `letta-nb down && letta-nb up`.")
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
                                      "--appendonly", "no", "--dir", str(self.cfg.home / "redis"), "--protected-mode", "yes"],
                            env=passed_env())
            if not redis:
                say("redis-server not found: background streams are off (install it with `apt-get install redis-server`).")
            if not self.running("offline"):
                self._spawn("offline", [sys.executable, "-m", "letta_nb.local.offline", "--host", HOST, "--port", str(self.cfg.model_port)],
                            env={**passed_env(), "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
            if not self.running("letta"):
                env, private = self._server_env(pg_uri, redis)
                self._spawn("letta", [str(self.cfg.venv_python), str(_SERVERLAUNCH), "server", "--host",
                                      (self.room() or {}).get("host", HOST),
                                      "--port", str(self.cfg.letta_port)], env=env, private=private)
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
            self.cfg.room_file.unlink(missing_ok=True)
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
    for pid in psutil.pids():
        with contextlib.suppress(OSError):  # gone meanwhile
            if os.getpgid(pid) == pgid and _pid_alive(pid):
                return True
    return False
