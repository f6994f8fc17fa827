"""connect() under each setting, and the messages it gives when something is wrong."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import letta_nb
from letta_nb.config import OFFLINE_EMBEDDING_HANDLE, OFFLINE_LLM_HANDLE, load_settings

SETTINGS = ("LETTA_BASE_URL", "LETTA_API_KEY", "LETTA_NB_MODEL", "LETTA_NB_EMBEDDING")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    # setenv first so that monkeypatch records the variable even when it was unset: whatever a test or a
    # .env then sets is undone afterwards (delenv alone records nothing for an unset variable).
    for name in SETTINGS:
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env from the checkout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def unauthorized_server():
    """A local server that answers 401 to everything, like Letta with a bad key."""

    class Handler(BaseHTTPRequestHandler):
        def _deny(self):
            body = json.dumps({"detail": "Invalid API key"}).encode()
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _deny

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_no_settings_uses_the_local_stack(stack):
    client = letta_nb.connect()
    assert str(client.base_url).rstrip("/") == stack.cfg.base_url
    assert letta_nb.target().kind == "local"


def test_base_url_setting_wins(stack, monkeypatch):
    monkeypatch.setenv("LETTA_BASE_URL", stack.cfg.base_url + "/")
    assert letta_nb.target() == ("server", stack.cfg.base_url)
    assert str(letta_nb.connect().base_url).rstrip("/") == stack.cfg.base_url


def test_api_key_alone_means_cloud(monkeypatch):
    monkeypatch.setenv("LETTA_API_KEY", "sk-let-not-a-real-key")
    assert letta_nb.target().kind == "cloud"
    client = letta_nb.connect(check=False)
    assert "api.letta.com" in str(client.base_url)


def test_dotenv_is_read(stack, tmp_path):
    (tmp_path / ".env").write_text(f"LETTA_BASE_URL={stack.cfg.base_url}\n")
    assert letta_nb.target() == ("server", stack.cfg.base_url)


def test_dotenv_fills_in_what_the_environment_lacks(tmp_path, monkeypatch):
    monkeypatch.setenv("LETTA_NB_PORT", "8299")
    (tmp_path / ".env").write_text("LETTA_NB_PORT=9999\nLETTA_BASE_URL= http://127.0.0.1:1/ \n")
    settings = load_settings()
    assert settings.stack.letta_port == 8299, "the environment wins over .env"
    assert letta_nb.target(settings) == ("server", "http://127.0.0.1:1") == letta_nb.target()


def test_wrong_url_names_the_fix(monkeypatch):
    monkeypatch.setenv("LETTA_BASE_URL", f"http://127.0.0.1:{_free_port()}")
    with pytest.raises(letta_nb.ServerUnreachable) as raised:
        letta_nb.connect(max_retries=0)
    assert "letta-nb up" in str(raised.value) and "LETTA_BASE_URL" in str(raised.value)


def test_bad_key_names_the_fix(monkeypatch, unauthorized_server):
    monkeypatch.setenv("LETTA_BASE_URL", unauthorized_server)
    monkeypatch.setenv("LETTA_API_KEY", "wrong")
    with pytest.raises(letta_nb.KeyRejected) as raised:
        letta_nb.connect(max_retries=0)
    assert raised.value.status_code == 401
    assert "401" in str(raised.value) and "LETTA_API_KEY" in str(raised.value)
    assert "wrong" not in str(raised.value), "the key itself must never be echoed"


def test_local_stack_not_running_without_start(monkeypatch):
    monkeypatch.setenv("LETTA_NB_PORT", str(_free_port()))
    with pytest.raises(letta_nb.StackNotRunning, match="letta-nb up"):
        letta_nb.connect(start=False)


def test_default_models_are_offline_locally(client, monkeypatch):
    for key in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY"):
        monkeypatch.delenv(key, raising=False)
    assert letta_nb.default_models(client) == (OFFLINE_LLM_HANDLE, OFFLINE_EMBEDDING_HANDLE)
    monkeypatch.setenv("LETTA_NB_MODEL", "openai/gpt-4o-mini")
    assert letta_nb.default_models(client).model == "openai/gpt-4o-mini"


def test_explain_unknown_agent_and_422(client):
    import letta_client

    with pytest.raises(letta_client.NotFoundError) as raised:
        client.agents.retrieve("agent-00000000-0000-4000-8000-000000000000")
    assert "404" in str(letta_nb.explain(raised.value))
    with pytest.raises(letta_client.APIStatusError) as raised:
        client.agents.messages.create(agent_id="agent-00000000-0000-4000-8000-000000000000", messages=[{"role": "user"}])
    message = str(letta_nb.explain(raised.value))
    assert "422" in message and "content" in message
