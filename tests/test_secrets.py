"""Tools never see the user's secrets: a stack of its own, started with a token and a provider key in its environment.

The provider is OpenAI with ``OPENAI_API_BASE`` pointed at a small recording proxy in front of the offline model
(there is no internet here): it proves that the server still has the key (models listed, the key sent upstream on
every request) while a tool that dumps its environment, or its parent's, finds neither the key nor the token.
"""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from letta_client import Letta

from letta_nb.config import OFFLINE_EMBEDDING_HANDLE, OFFLINE_LLM_HANDLE, StackConfig
from letta_nb.local.stack import PASSED_ENV, Stack

TOKEN = "wx-4f8a1c2e9b7d3f60"  # a token-like variable of the user's shell
PROVIDER_KEY = "sk-test-lnb-0123456789abcdef"
AGENT_SECRET = "agent-secret-5e6f7a8b"
# What a tool may see: the allow-list, LETTA_BASE_URL, what Letta sets for it (ids, the agent's secrets) and the
# sandbox's own output settings (services/tool_sandbox/local_sandbox.py).
TOOL_MAY_SEE = set(PASSED_ENV) | {"LETTA_BASE_URL", "LETTA_AGENT_ID", "LETTA_TOOL_ID", "LETTA_PROJECT_ID", "PYTHONUNBUFFERED",
                                  "PYTHONWARNINGS", "NO_COLOR", "TERM", "MY_AGENT_SECRET", "PYTHONPATH"}

DUMP_ENV = '''
def dump_env() -> str:
    """Everything this tool can find in its environment and in its parent's (the server's) start-up environment.

    Returns:
        JSON with both.
    """
    import json
    import os

    try:
        with open(f"/proc/{os.getppid()}/environ", "rb") as handle:
            parent = handle.read().decode(errors="replace")
    except OSError as exc:
        parent = f"unreadable: {exc}"
    return json.dumps({"env": dict(os.environ), "parent": parent})
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Recorder(ThreadingHTTPServer):
    """Forwards /v1/... to the offline model and records each request's path and Authorization header."""

    daemon_threads = True

    def __init__(self, upstream: str) -> None:
        self.upstream, self.seen = upstream, []
        super().__init__(("127.0.0.1", 0), _Forward)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Forward(BaseHTTPRequestHandler):
    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or None
        self.server.seen.append((self.command, self.path, self.headers.get("Authorization")))
        request = urllib.request.Request(self.server.upstream + self.path.removeprefix("/v1"), data=body, method=self.command,
                                         headers={"Content-Type": self.headers.get("Content-Type", "application/json")})
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                status, kind, payload = answer.status, answer.headers.get("Content-Type", ""), answer.read()
        except urllib.error.HTTPError as exc:
            status, kind, payload = exc.code, exc.headers.get("Content-Type", ""), exc.read()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _forward

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def secret_stack(stack, tmp_path_factory):
    """A stack of its own (fresh state, own ports) started with a token and an OpenAI key in its environment.

    It shares the session stack's server environment (a symlink) rather than installing a second one.
    """
    home = tmp_path_factory.mktemp("letta-nb-secrets")
    (home / "server-venv").symlink_to(stack.cfg.venv)
    cfg = StackConfig(home=home, letta_port=_free_port(), model_port=_free_port(), redis_port=_free_port())
    recorder = _Recorder(cfg.model_url)
    threading.Thread(target=recorder.serve_forever, daemon=True).start()
    fresh = Stack(cfg)
    try:
        with pytest.MonkeyPatch.context() as env:
            env.setenv("WEATHER_API_TOKEN", TOKEN)
            env.setenv("OPENAI_API_KEY", PROVIDER_KEY)
            env.setenv("OPENAI_API_BASE", recorder.url)
            fresh.up(say=lambda _: None)
        yield fresh, recorder
    finally:  # also after a failed start: stop whatever it did start
        fresh.down(say=lambda _: None)
        recorder.shutdown()


@pytest.fixture(scope="module")
def dumped(secret_stack):
    """What the dump_env tool saw, run by an offline-model agent that has a secret of its own."""
    fresh, _ = secret_stack
    client = Letta(base_url=fresh.cfg.base_url)
    tool = client.tools.upsert(source_code=DUMP_ENV)
    agent = client.agents.create(name="env-dumper", model=OFFLINE_LLM_HANDLE, embedding=OFFLINE_EMBEDDING_HANDLE,
                                 tool_ids=[tool.id], memory_blocks=[{"label": "human", "value": ""}],
                                 secrets={"MY_AGENT_SECRET": AGENT_SECRET})
    try:
        reply = client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": "call dump_env {}"}])
    finally:
        client.agents.delete(agent.id)
    returns = [m for m in reply.messages if m.message_type == "tool_return_message"]
    assert [r.status for r in returns] == ["success"], returns
    return json.loads(returns[0].tool_return)


def test_a_tool_sees_neither_the_shell_token_nor_the_provider_key(dumped):
    everything = json.dumps(dumped)
    assert TOKEN not in everything and "WEATHER_API_TOKEN" not in everything
    assert PROVIDER_KEY not in everything and "OPENAI_API_KEY" not in everything
    # Nor the stack's own settings: the database (and with it every agent's secrets), Redis.
    assert not {"LETTA_PG_URI", "PGUSER", "LETTA_REDIS_HOST", "VLLM_API_BASE"} & set(dumped["env"])
    assert "LETTA_PG_URI" not in dumped["parent"], "the server was started with its settings in its environment"


def test_a_tool_sees_only_what_letta_defines_for_it(dumped):
    env = dumped["env"]
    assert set(env) - TOOL_MAY_SEE - {k for k in env if k.startswith("LC_")} == set()
    assert env["LETTA_AGENT_ID"].startswith("agent-") and env["LETTA_BASE_URL"].startswith("http://127.0.0.1:")


def test_an_agent_secret_is_still_visible_to_its_tool(dumped):
    assert dumped["env"]["MY_AGENT_SECRET"] == AGENT_SECRET


def test_the_provider_still_works_with_the_key(secret_stack):
    fresh, recorder = secret_stack
    client = Letta(base_url=fresh.cfg.base_url)
    handles = [m.handle for m in client.models.list()]
    assert "openai-proxy/offline" in handles and OFFLINE_LLM_HANDLE in handles, handles
    agent = client.agents.create(name="byo-key", model="openai-proxy/offline", embedding=OFFLINE_EMBEDDING_HANDLE,
                                 memory_blocks=[{"label": "human", "value": ""}])
    try:
        before = len(recorder.seen)
        reply = client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": "Hello"}])
    finally:
        client.agents.delete(agent.id)
    assert any(m.message_type == "assistant_message" for m in reply.messages)
    chats = [auth for method, path, auth in recorder.seen[before:] if path.endswith("/chat/completions")]
    assert chats and set(chats) == {f"Bearer {PROVIDER_KEY}"}, recorder.seen[before:]
    assert ("GET", "/v1/models", f"Bearer {PROVIDER_KEY}") in recorder.seen, "the models were listed with the key"


def _restart_server(fresh: Stack, **env: str) -> None:
    """Restart only the Letta server, with exactly these provider settings in the environment of `up`."""
    fresh.processes.stop("letta")
    with pytest.MonkeyPatch.context() as patch:
        for name in ("OPENAI_API_KEY", "OPENAI_API_BASE", "WEATHER_API_TOKEN"):
            patch.delenv(name, raising=False)
        for name, value in env.items():
            patch.setenv(name, value)
        fresh.up(say=lambda _: None)


def _chat(client: Letta, model: str) -> list[str]:
    agent = client.agents.create(name="chatter", model=model, embedding=OFFLINE_EMBEDDING_HANDLE,
                                 memory_blocks=[{"label": "human", "value": ""}])
    try:
        reply = client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": "Hello"}])
    finally:
        client.agents.delete(agent.id)
    return [m.message_type for m in reply.messages]


def test_without_the_key_its_models_go_and_the_offline_model_stays(secret_stack):
    fresh, _ = secret_stack
    _restart_server(fresh)
    client = Letta(base_url=fresh.cfg.base_url)
    handles = [m.handle for m in client.models.list()]
    assert "openai-proxy/offline" not in handles and OFFLINE_LLM_HANDLE in handles, handles
    assert OFFLINE_EMBEDDING_HANDLE in [m.handle for m in client.models.embeddings.list()]
    assert "assistant_message" in _chat(client, OFFLINE_LLM_HANDLE)


def test_the_key_back_at_a_new_address_brings_its_models_back_there(secret_stack):
    """letta 0.16.8 alone would keep the old base URL and never recreate the models (see _serverlaunch.py)."""
    fresh, first = secret_stack
    second = _Recorder(fresh.cfg.model_url)
    threading.Thread(target=second.serve_forever, daemon=True).start()
    try:
        _restart_server(fresh, OPENAI_API_KEY=PROVIDER_KEY, OPENAI_API_BASE=second.url)
        client = Letta(base_url=fresh.cfg.base_url)
        assert "openai-proxy/offline" in [m.handle for m in client.models.list()]
        before = len(first.seen)
        assert "assistant_message" in _chat(client, "openai-proxy/offline")
    finally:
        second.shutdown()
    chats = [auth for _, path, auth in second.seen if path.endswith("/chat/completions")]
    assert chats and set(chats) == {f"Bearer {PROVIDER_KEY}"}, second.seen
    assert len(first.seen) == before, "nothing may go to the old address any more"
