"""One way to get a client, whichever Letta you use.

| settings (environment or .env) | target                                                        |
|--------------------------------|---------------------------------------------------------------|
| ``LETTA_BASE_URL``              | that server (with ``LETTA_API_KEY`` if it needs one)          |
| ``LETTA_API_KEY`` only          | Letta Cloud                                                   |
| neither                        | the local stack on 127.0.0.1, started if it is not running    |

With ``LETTA_NB_PARTICIPANT=ada`` against a room (``letta-nb serve``), the client acts as ada, in an organization of
her own (:mod:`letta_nb.room`); :mod:`letta_nb.isolation` says how participants are kept apart elsewhere.
"""

from __future__ import annotations

import os
from typing import NamedTuple

from letta_client import Letta

from .config import OFFLINE_EMBEDDING_HANDLE, OFFLINE_LLM_HANDLE, Settings, load_settings
from .errors import LettaNbError, translated
from .exceptions import StackNotRunning
from .isolation import Isolation, isolation
from .local.stack import Stack
from .room import participant_client

# The workshop's participant (letta_nb.workshop reads it too): against a room server, their own organization.
PARTICIPANT_VARIABLE = "LETTA_NB_PARTICIPANT"

CLOUD_URL = "https://api.letta.com"
# Used in this order when the server offers them and LETTA_NB_MODEL is not set; the offline model comes last
# so that a configured real provider wins.
PREFERRED_MODELS = (
    "openai/gpt-4.1-mini", "openai/gpt-4o-mini", "anthropic/claude-haiku-4-5-20251001",
    "anthropic/claude-sonnet-4-5-20250929", "google_ai/gemini-2.5-flash", OFFLINE_LLM_HANDLE,
)
PREFERRED_EMBEDDINGS = ("openai/text-embedding-3-small", OFFLINE_EMBEDDING_HANDLE)


class Target(NamedTuple):
    kind: str  # "cloud" | "server" | "local"
    base_url: str


def target(settings: Settings | None = None) -> Target:
    """Which Letta ``connect()`` would use, from ``settings`` (default: the environment, after reading .env)."""
    settings = settings or load_settings()
    if settings.base_url:
        return Target("server", settings.base_url)
    if settings.api_key:
        return Target("cloud", CLOUD_URL)
    return Target("local", settings.stack.base_url)


def connect(*, start: bool = True, timeout: float | None = None, max_retries: int = 2, check: bool = True) -> Letta:
    """A ``letta_client.Letta`` for the target in the table above.

    With no settings the local stack is used and, when ``start`` is true, started if needed (saying so).
    With ``check`` (default) one cheap request proves the connection and the key before you use the client,
    so a wrong URL or key fails here with a message that names the fix.
    """
    settings = load_settings()
    where = target(settings)
    api_key = settings.api_key or None
    if where.kind == "local":
        stack = Stack(settings.stack)
        api_key = (stack.room() or {}).get("password", api_key)  # this machine serves a room (`letta-nb serve`)
        if not stack.healthy():
            if not start:
                raise StackNotRunning(f"The local Letta stack is not running at {where.base_url}. Start it with `letta-nb up`.")
            if stack.running("letta"):
                print("The local Letta stack is starting (binder/start or another `letta-nb up`); waiting for it.")
            elif not stack.server_env_ready():
                print("Starting the local Letta stack (letta-nb up); this first time installs the server, about a minute.")
            else:
                print("Starting the local Letta stack (letta-nb up), about 20 s.")
            stack.up()
    options: dict = {"max_retries": max_retries}
    if timeout is not None:
        options["timeout"] = timeout
    # The URL is always explicit: letta-client alone would default to Cloud.
    client = Letta(base_url=where.base_url, api_key=api_key, **options)
    participant = os.environ.get(PARTICIPANT_VARIABLE, "").strip()
    if participant and isolation(where.kind, client) is Isolation.ORGANIZATION:
        client = participant_client(client, participant)
    if check:
        label = {"cloud": "Letta Cloud", "server": f"the Letta server at {where.base_url} (LETTA_BASE_URL)",
                 "local": f"the local stack at {where.base_url}"}[where.kind]
        with translated(label):
            client.agents.list(limit=1)
    return client


class DefaultModels(NamedTuple):
    model: str
    embedding: str


def default_models(client: Letta) -> DefaultModels:
    """The model and embedding handles to use with this client's server.

    ``LETTA_NB_MODEL`` / ``LETTA_NB_EMBEDDING`` win; otherwise the first of ``PREFERRED_MODELS`` /
    ``PREFERRED_EMBEDDINGS`` the server offers (a real provider before the offline model).
    """
    with translated():
        llms = [m.handle for m in client.models.list() if m.handle]
        embeddings = [m.handle for m in client.models.embeddings.list() if m.handle]
    settings = load_settings()
    model = settings.model or next((h for h in PREFERRED_MODELS if h in llms), None)
    embedding = settings.embedding or next((h for h in PREFERRED_EMBEDDINGS if h in embeddings), None)
    if model is None:
        usable = [h for h in llms if h and h != "letta/letta-free"]
        if not usable:
            raise LettaNbError("This server offers no chat model. On the local stack run `letta-nb doctor`; "
                               "elsewhere configure a provider key, or set LETTA_NB_MODEL to a handle it offers.")
        model = usable[0]
    if embedding is None:
        if not embeddings:
            raise LettaNbError("This server offers no embedding model. Set LETTA_NB_EMBEDDING to a handle it offers.")
        embedding = embeddings[0]
    return DefaultModels(model, embedding)
