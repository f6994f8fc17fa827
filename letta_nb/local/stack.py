"""The local stack: a real Letta server, embedded PostgreSQL, Redis and the offline model, all on 127.0.0.1.

Everything lives under one state directory (``LETTA_NB_HOME``, default ``~/.letta-nb``)::

    server-venv/   letta==0.16.8 in its own uv-managed environment (created on first ``up``)
    pgdata/        PostgreSQL data (schema created once; ``down`` never drops it)
    logs/          letta.log, offline.log, redis.log, postgres.log
    run/           one pid file per service ``up`` started; ``down`` stops exactly those

``Stack`` is the one door to it; the work is done by job:

| module                        | job                                                                    |
|-------------------------------|------------------------------------------------------------------------|
| :mod:`.supervision`           | spawn, pid files, stop, liveness (psutil), a room's server processes   |
| :mod:`.environment`           | what the server starts with: a pure function of settings and env       |
| :mod:`.install`               | the server's own environment                                           |
| :mod:`.status`                | service states, logs, the health probe                                 |

Other modules ask a ``Stack`` instead of reading its files: :meth:`Stack.serves` (is this URL the local server?),
:meth:`Stack.server_started` (since when has it run?), :meth:`Stack.status` (workers included).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
import time
from dataclasses import replace
from pathlib import Path

from letta_client import Letta

from ..config import HOST, StackConfig
from ..exceptions import LettaNbError
from ..room import mark
from . import install as _install
from . import status as _status
from .environment import (
    DEFAULTS_VARIABLE,
    EXTRA_ENV_VARIABLE,
    PASSED_ENV,
    PROVIDER_KEYS,
    PROVIDER_SETTINGS,
    WORKERS_VARIABLE,
    passed_env,
    server_environment,
)
from .install import Say
from .status import ServiceState
from .supervision import SERVICES, Supervisor, pid_alive, port_in_use

__all__ = [
    "DEFAULTS_VARIABLE", "EXTRA_ENV_VARIABLE", "PASSED_ENV", "PROVIDER_KEYS", "PROVIDER_SETTINGS", "READY_TIMEOUT_S",
    "ROOM_HOSTS", "SERVICES", "WORKERS_VARIABLE", "Say", "ServiceState", "Stack", "passed_env", "port_in_use",
    "room_workers",
]

READY_TIMEOUT_S = 180
_SERVERLAUNCH = Path(__file__).with_name("_serverlaunch.py")
# Where `letta-nb serve` may listen: every interface (v4 or v6) or loopback. Internally the stack keeps talking to
# 127.0.0.1, which each of these also answers.
ROOM_HOSTS = ("0.0.0.0", "::", HOST)


def room_workers() -> int:
    """How many server processes a room gets by default: one per core, at most four. On 2 cores, 20 participants
    finished soonest with 2 (benchmarks/results.md); each costs about 500 MB."""
    return max(1, min(4, os.cpu_count() or 1))


class Stack:
    """Start, stop and inspect the local stack for one configuration."""

    def __init__(self, cfg: StackConfig | None = None) -> None:
        self.cfg = cfg or StackConfig.from_env()
        self.processes = Supervisor(self.cfg)

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
        ``workers`` processes (default: :func:`room_workers`), each replaced when it dies, and asks every request for
        ``password`` (default: LETTA_SERVER_PASSWORD, else the room's last one, else a new one). The other services
        stay on 127.0.0.1. Returns the room; ``down`` ends it."""
        if host not in ROOM_HOSTS:
            raise LettaNbError(f"--host {host} is not supported: use 0.0.0.0 (every interface; a firewall decides who "
                               "reaches it), :: (the same for IPv6) or 127.0.0.1 (this machine only).")
        if workers is not None and not 1 <= workers <= 32:
            raise LettaNbError(f"--workers {workers}: give a number of server processes between 1 and 32.")
        current = self.room() or {}
        password = password or os.environ.get("LETTA_SERVER_PASSWORD") or current.get("password") or secrets.token_urlsafe(18)
        port = port or self.cfg.letta_port
        wanted = {"host": host, "password": password, "port": port, "workers": workers or room_workers()}
        with self.processes.lock():
            if current != wanted and self.processes.running("letta"):
                say("Restarting the Letta server for the room.")
                self.processes.stop("letta")
            if port != self.cfg.letta_port:
                self.cfg = replace(self.cfg, letta_port=port)
            self.cfg.run.mkdir(parents=True, exist_ok=True)
            self.cfg.room_file.touch(mode=0o600)
            self.cfg.room_file.write_text(json.dumps(wanted))
        self.up(say)
        mark(Letta(base_url=self.cfg.base_url, api_key=password))
        return wanted

    # ------------------------------------------------------------------------------------- questions
    def healthy(self, timeout: float = 2.0) -> bool:
        return _status.healthy(self.cfg.base_url, timeout)

    def status(self) -> list[ServiceState]:
        return _status.states(self.cfg, self.processes, self.room())

    def exposed_env(self) -> list[str]:
        return _status.exposed_env(self.processes)

    def is_up(self) -> bool:
        return all(s.state in ("running", "unavailable") for s in self.status()) and self.healthy()

    def running(self, name: str) -> bool:
        """Whether the process ``up`` started for ``name`` still runs."""
        return self.processes.running(name)

    def pid(self, name: str) -> int | None:
        """The pid recorded for service ``name`` (it may have died since), or None."""
        return self.processes.pid(name)

    def server_started(self) -> float | None:
        """Since when (epoch seconds) every process of the Letta server now running has run; None when it is not
        running. A run created before then cannot still be running: the process that ran it is gone."""
        return self.processes.started("letta")

    def serves(self, url: object) -> bool:
        """Whether ``url`` (a client's base URL or a request's) goes to this stack's Letta server."""
        return self.cfg.serves(url)

    def logs(self, name: str = "letta", lines: int = 50) -> str:
        return _status.logs(self.cfg, self.processes, name, lines)

    # --------------------------------------------------------------------------------- installation
    def server_env_ready(self) -> bool:
        return _install.server_env_ready(self.cfg)

    def install(self, say: Say = print) -> None:
        """Create the server's own environment (letta==0.16.8); a no-op once it matches our requirements."""
        _install.install(self.cfg, say)

    # ------------------------------------------------------------------------------------------- up, down
    def _check_port_free(self, name: str, port: int, variable: str) -> None:
        if port_in_use(port):
            raise LettaNbError(f"Port {port} on {HOST} (for {name}) is already in use by another program. "
                               f"Stop that program, or choose another port with {variable}=<port>.")

    def up(self, say: Say = print, timeout: float = READY_TIMEOUT_S) -> str:
        """Start whatever is not running and wait until the server answers; returns its URL. Safe to repeat."""
        processes = self.processes
        with processes.lock():
            redis = shutil.which("redis-server") is not None
            wanted = ["postgres", "offline", "letta"] + (["redis"] if redis else [])
            if all(processes.running(name) for name in wanted) and self.healthy():
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
                if not processes.running(name):
                    self._check_port_free(name, port, variable)
            self.install(say)
            started = time.monotonic()
            pg_uri = processes.start_postgres(passed_env())
            if redis and not processes.running("redis"):
                (self.cfg.home / "redis").mkdir(exist_ok=True)
                processes.spawn("redis", ["redis-server", "--bind", HOST, "--port", str(self.cfg.redis_port), "--save", "",
                                          "--appendonly", "no", "--dir", str(self.cfg.home / "redis"),
                                          "--protected-mode", "yes"], env=passed_env())
            if not redis:
                say("redis-server not found: background streams are off (install it with `apt-get install redis-server`).")
            if not processes.running("offline"):
                processes.spawn("offline", [sys.executable, "-m", "letta_nb.local.offline", "--host", HOST,
                                            "--port", str(self.cfg.model_port)],
                                env={**passed_env(), "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
            if not processes.running("letta"):
                room = self.room()
                env, private = server_environment(self.cfg, os.environ, pg_uri, redis=redis, room=room)
                processes.spawn("letta", [str(self.cfg.venv_python), str(_SERVERLAUNCH), "server", "--host",
                                          (room or {}).get("host", HOST), "--port", str(self.cfg.letta_port)],
                                env=env, private=private)
            say(f"Waiting for the Letta server at {self.cfg.base_url} ...")
            self._wait_ready(timeout)
            say(f"Letta is up at {self.cfg.base_url} ({time.monotonic() - started:.0f} s). Stop it with `letta-nb down`.")
            return self.cfg.base_url

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name in ("letta", "offline", "redis"):
                pid = self.processes.pid(name)
                if pid is not None and not pid_alive(pid):
                    log = self.processes.log(name)
                    raise LettaNbError(f"The {name} service exited during start-up. Last lines of {log}:\n"
                                       f"{_status.tail(log)}\nRun `letta-nb doctor` for a full check.")
            if self.healthy():
                return
            time.sleep(0.5)
        log = self.processes.log("letta")
        raise LettaNbError(f"The Letta server did not answer {self.cfg.base_url}/v1/health/ within {timeout:.0f} s. "
                           f"Last lines of {log}:\n{_status.tail(log)}")

    def down(self, say: Say = print) -> list[str]:
        """Stop exactly the processes ``up`` started (by pid); data stays. Returns the names stopped."""
        with self.processes.lock():
            stopped = [name for name in ("letta", "offline", "redis") if self.processes.stop(name)]
            self.cfg.room_file.unlink(missing_ok=True)
            if self.processes.stop_postgres():
                stopped.append("postgres")
        say(f"Stopped: {', '.join(stopped)}." if stopped else "Nothing was running.")
        return stopped
