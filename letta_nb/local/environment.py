"""What the stack's services start with: a pure function of the settings and the user's environment, so that what
reaches the server (and every tool it runs) can be checked without starting anything.

Two parts for the Letta server (see ``_serverlaunch.py``): its *environment*, which every tool run in its local
sandbox inherits, and its *private settings* (database, Redis, models, provider keys, a room's password), which
reach only letta's settings objects, through the server's stdin, never ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..config import HOST, OFFLINE_HANDLE_BASE, StackConfig

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
WORKERS_VARIABLE = "LETTA_NB_WORKERS"  # read by _serverlaunch.py: a room, served by that many supervised processes
# Names the server's own start-up environment holds beside the allow-list (see server_environment).
SERVER_ADDED = ("PYTHONUNBUFFERED", "LETTA_BASE_URL", "PYTHONPATH")
_TOOLSITE = Path(__file__).with_name("toolsite")


def passed_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The allow-listed part of ``environ`` (default: this process's): what every service of the stack starts with."""
    environ = os.environ if environ is None else environ
    extra = set(environ.get(EXTRA_ENV_VARIABLE, "").replace(",", " ").split())
    return {k: v for k, v in environ.items() if k in PASSED_ENV or k.startswith("LC_") or k in extra}


def _with_user(uri: str, user: str = "postgres") -> str:
    """The URI with ``user`` in its query: letta drops the user name from a unix-socket URI (the netloc has no host),
    and without it asyncpg falls back to PGUSER or the login name (``role "root" does not exist``)."""
    parts = urlsplit(uri)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("user", "sslmode")] + [("user", user), ("sslmode", "disable")]
    return urlunsplit(parts._replace(query=urlencode(query, safe="/")))


def server_environment(cfg: StackConfig, environ: Mapping[str, str], pg_uri: str, *, redis: bool,
                       room: Mapping | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """The Letta server's environment and its private settings, for the stack ``cfg`` started from the user's
    ``environ``, with PostgreSQL at ``pg_uri``, Redis when ``redis``, and ``room`` (``Stack.room()``) when serving one.

    The environment is what every tool run in the server's local sandbox also gets: the allow-list
    (:func:`passed_env`) plus ``LETTA_BASE_URL``. The settings reach only letta's settings objects, so no tool can
    read them.

    Why not register the keys as BYOK providers (``POST /v1/providers``) at ``up``: their handles would change
    (a BYOK provider may not take a base provider's name, so not ``openai/...``), they would belong to the
    default organization only (workshop participants' organizations would not see them), ``up`` would have to
    keep them in step with ``.env`` (update, delete), and the database would hold the keys.
    """
    env = {
        **passed_env(environ),
        "PYTHONUNBUFFERED": "1",
        # Not a server setting: tools run in the local sandbox inherit it, so a tool that calls back into its
        # own server (Letta(base_url=os.getenv("LETTA_BASE_URL"))) finds this one, whatever port it is on.
        "LETTA_BASE_URL": cfg.base_url,
    }
    private = {k: environ[k] for k in PROVIDER_KEYS + PROVIDER_SETTINGS if environ.get(k)}
    if room:  # letta's own password check: every request but the health probes needs it
        private.update({"LETTA_SERVER_SECURE": "true", "LETTA_SERVER_PASSWORD": room["password"],
                        # supervised even with one process, so that a room whose server process dies gets another
                        WORKERS_VARIABLE: str(room.get("workers", 1))})
    if environ.get(DEFAULTS_VARIABLE):
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
        "LETTA_DIR": str(cfg.letta_dir),
        "VLLM_API_BASE": cfg.model_url,
        "VLLM_HANDLE_BASE": OFFLINE_HANDLE_BASE,
    })
    if not environ.get("OPENAI_API_KEY"):
        # Without a real key, the OpenAI provider serves the offline embeddings (and lists no chat models).
        private["OPENAI_API_KEY"] = "offline"
        private["OPENAI_API_BASE"] = f"http://{HOST}:{cfg.model_port}/embeddings-only/v1"
    if redis:
        private["LETTA_REDIS_HOST"] = HOST
        private["LETTA_REDIS_PORT"] = str(cfg.redis_port)
    return env, private


def exposed(names: set[str], environ: Mapping[str, str]) -> list[str]:
    """Of the names in a running server's start-up environment, those beyond what :func:`server_environment` puts
    there for a user whose environment is ``environ``: every tool can read them."""
    allowed = set(PASSED_ENV) | set(passed_env(environ)) | set(SERVER_ADDED)
    return sorted(n for n in names if n not in allowed and not n.startswith("LC_"))
