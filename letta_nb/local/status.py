"""Status and logs: what ``letta-nb status``, ``doctor`` and ``logs`` read about the stack's services."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from ..config import StackConfig
from ..exceptions import LettaNbError
from .environment import exposed
from .supervision import SERVICES, Supervisor, Worker, pid_alive


@dataclass
class ServiceState:
    name: str
    state: str  # running | stopped | crashed | unavailable
    pid: int | None = None
    port: int | None = None
    detail: str = ""
    workers: list[Worker] = field(default_factory=list)  # a room's server processes, under the pid above


def healthy(base_url: str, timeout: float = 2.0) -> bool:
    try:
        return httpx.get(f"{base_url}/v1/health/", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def tail(path: Path, lines: int = 20) -> str:
    if not path.exists():
        return "(no log yet)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def states(cfg: StackConfig, processes: Supervisor, room: dict | None) -> list[ServiceState]:
    """One state per service, in ``SERVICES`` order; the server's says where it answers and whether it is a room."""
    ports = {"postgres": None, "redis": cfg.redis_port, "offline": cfg.model_port, "letta": cfg.letta_port}
    found = []
    for name in SERVICES:
        port, pid = ports[name], processes.pid(name)
        if name == "redis" and not shutil.which("redis-server") and pid is None:
            found.append(ServiceState(name, "unavailable", port=port,
                                      detail="redis-server not on PATH: background streams off (apt-get install redis-server)"))
        elif pid is None:
            found.append(ServiceState(name, "stopped", port=port))
        elif pid_alive(pid):
            detail, workers = "", []
            if name == "letta":
                detail = cfg.base_url if healthy(cfg.base_url) else "process up, /v1/health/ not answering yet"
                if room:
                    detail += f" (a room on {room['host']}: `letta-nb serve` prints what to hand out)"
                workers = processes.workers(name)
            found.append(ServiceState(name, "running", pid, port, detail, workers))
        else:
            found.append(ServiceState(name, "crashed", pid, port, f"pid {pid} is gone; see {processes.log(name)}"))
    return found


def exposed_env(processes: Supervisor) -> list[str]:
    """Names in the running server's start-up environment beyond the allow-list: every tool can read them.

    Empty for a server this version started; a server started by an older letta-nb has the user's whole
    environment. Empty too when the server is not running or its environment cannot be read."""
    pid = processes.pid("letta")
    if pid is None or not pid_alive(pid):
        return []
    try:
        names = set(psutil.Process(pid).environ())
    except psutil.Error:
        return []
    return exposed(names, os.environ)


def logs(cfg: StackConfig, processes: Supervisor, name: str = "letta", lines: int = 50) -> str:
    if name not in SERVICES:
        raise LettaNbError(f"Unknown service {name!r}; choose one of {', '.join(SERVICES)}.")
    return tail(cfg.pgdata / "log" if name == "postgres" else processes.log(name), lines)
