"""`letta-nb doctor`: every check that explains why the local stack (or connect()) would not work."""

from __future__ import annotations

import ipaddress
import os
import shutil
from dataclasses import dataclass

import httpx

from ..config import OFFLINE_EMBEDDING_HANDLE, OFFLINE_LLM_HANDLE, Settings, load_settings
from .stack import PROVIDER_KEYS, Stack
from .supervision import listening_addresses, port_in_use


def exposure(port: int, base_url: str, addresses: list[str] | None = None) -> Check | None:
    """A warning when the server listens beyond loopback (``addresses``, default: its listening sockets) and answers
    without a password."""
    addresses = listening_addresses(port) if addresses is None else addresses
    outside = [a for a in addresses if not _loopback(a)]
    if not outside:
        return Check("network exposure", "ok", f"port {port} listens on loopback only") if addresses else None
    try:
        open_door = httpx.get(f"{base_url}/v1/agents/?limit=1", timeout=5).status_code == 200
    except httpx.HTTPError:
        open_door = False
    if not open_door:
        return Check("network exposure", "warn", f"port {port} listens on {', '.join(outside)}; it asks for a password, "
                     "but letta 0.16.8 gets no security fixes: keep it behind a firewall")
    return Check("network exposure", "fail", f"port {port} listens on {', '.join(outside)} and answers without a "
                 "password: anyone who can reach this machine can read and change every agent. Bind it to 127.0.0.1 "
                 "(`letta-nb up` does) or set a password and a firewall")


def _loopback(address: str) -> bool:
    """127.0.0.0/8, ::1, or an IPv4 loopback address mapped into IPv6 (``::ffff:127.0.0.1``)."""
    ip = ipaddress.ip_address(address)
    mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
    return ip.is_loopback or (mapped is not None and mapped.is_loopback)


@dataclass
class Check:
    name: str
    status: str  # ok | warn | fail
    detail: str


def run_checks(stack: Stack | None = None, settings: Settings | None = None) -> list[Check]:
    settings = settings or load_settings()
    stack = stack or Stack(settings.stack)
    cfg = stack.cfg
    checks: list[Check] = []

    def add(name: str, status: str, detail: str) -> None:
        checks.append(Check(name, status, detail))

    add("state directory", "ok", str(cfg.home))
    add("uv", "ok" if shutil.which("uv") else "warn",
        shutil.which("uv") or "not on PATH; `pip install uv` (needed once, to install the server)")
    add("server environment", "ok" if stack.server_env_ready() else "warn",
        str(cfg.venv) if stack.server_env_ready() else "not installed yet; `letta-nb up` installs it")
    redis = shutil.which("redis-server")
    if redis:
        add("redis-server", "ok", redis)
    else:
        add("redis-server", "warn", "not installed: background streams (background=True, resumable runs) are "
            "unavailable and the server answers 503 for them. Fix: `apt-get install redis-server`, then `letta-nb down && letta-nb up`.")
    for state in stack.status():
        if state.state == "running":
            add(f"service {state.name}", "ok", f"pid {state.pid}" + (f", {state.detail}" if state.detail else ""))
        elif state.state == "crashed":
            add(f"service {state.name}", "fail", f"crashed: {state.detail}. Fix: `letta-nb down && letta-nb up`; "
                f"read `letta-nb logs {state.name}`")
        elif state.state == "unavailable":
            continue
        else:
            busy = state.port is not None and port_in_use(state.port)
            add(f"service {state.name}", "fail" if busy else "warn",
                f"stopped, and port {state.port} is taken by another program (set LETTA_NB_*PORT)" if busy
                else "stopped; `letta-nb up` starts it")
    exposed = stack.exposed_env()
    if exposed:
        shown = ", ".join(exposed[:6]) + (f" and {len(exposed) - 6} more" if len(exposed) > 6 else "")
        add("tool environment", "fail", f"the server was started with {shown} in its environment, so every tool can "
            "read them (an older letta-nb started it). Fix: `letta-nb down && letta-nb up`")
    elif stack.running("letta"):
        add("tool environment", "ok", "tools see only PATH, HOME, locale, TZ, LETTA_BASE_URL and their agent's secrets")
    if stack.healthy():
        add("letta /v1/health/", "ok", cfg.base_url)
        exposed_port = exposure(cfg.letta_port, cfg.base_url)
        if exposed_port:
            checks.append(exposed_port)
        try:
            llms = [m["handle"] for m in httpx.get(f"{cfg.base_url}/v1/models/", timeout=10).json()]
            embs = [m["handle"] for m in httpx.get(f"{cfg.base_url}/v1/models/embedding", timeout=10).json()]
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            add("models", "fail", f"could not list models: {exc}")
        else:
            add("offline model", "ok" if OFFLINE_LLM_HANDLE in llms else "fail",
                OFFLINE_LLM_HANDLE if OFFLINE_LLM_HANDLE in llms else f"{OFFLINE_LLM_HANDLE} not offered; `letta-nb logs offline`")
            add("embeddings", "ok" if embs else "fail", ", ".join(h for h in embs if h == OFFLINE_EMBEDDING_HANDLE) or ", ".join(embs) or "none")
            add("models offered", "ok", ", ".join(h for h in llms if h != "letta/letta-free"))
    else:
        add("letta /v1/health/", "warn", f"no answer at {cfg.base_url}; `letta-nb up` starts the stack")
    keys = [k for k in PROVIDER_KEYS if os.environ.get(k)]
    add("provider keys", "ok", ", ".join(keys) + " (given to the server at `up` as settings; tools cannot read them)"
        if keys else "none: offline model only")
    if settings.base_url:
        add("connect() target", "warn", f"LETTA_BASE_URL is set: connect() uses {settings.base_url}, not the local stack")
    elif settings.api_key:
        add("connect() target", "warn", "LETTA_API_KEY is set: connect() uses Letta Cloud, not the local stack")
    else:
        add("connect() target", "ok", f"local stack at {cfg.base_url}")
    return checks
