"""A room (`letta-nb serve`): a password on every request, and each participant in an organization of their own, so
one cannot see or delete another's agents. A stack of its own (fresh state, own ports), served on 127.0.0.1."""

from __future__ import annotations

import socket

import letta_client
import psutil
import pytest
from letta_client import Letta

import letta_nb
from letta_nb import workshop
from letta_nb.config import OFFLINE_EMBEDDING_HANDLE, OFFLINE_LLM_HANDLE, StackConfig
from letta_nb.isolation import Isolation, isolation
from letta_nb.local.stack import Stack

PASSWORD = "room-test-password"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def room(stack, tmp_path_factory):
    """A served stack with two server processes. Shares the session stack's server environment (a symlink) rather
    than installing another."""
    home = tmp_path_factory.mktemp("letta-nb-room")
    (home / "server-venv").symlink_to(stack.cfg.venv)
    served = Stack(StackConfig(home=home, letta_port=_free_port(), model_port=_free_port(), redis_port=_free_port()))
    served.serve("127.0.0.1", PASSWORD, say=lambda _: None, port=_free_port(), workers=2)
    yield served
    served.down(say=lambda _: None)


def _as(monkeypatch, room: Stack, name: str | None):
    """connect() as a participant's kernel would call it: LETTA_BASE_URL, LETTA_API_KEY, LETTA_NB_PARTICIPANT."""
    monkeypatch.setenv("LETTA_BASE_URL", room.cfg.base_url)
    monkeypatch.setenv("LETTA_API_KEY", PASSWORD)
    if name is None:
        monkeypatch.delenv("LETTA_NB_PARTICIPANT", raising=False)
    else:
        monkeypatch.setenv("LETTA_NB_PARTICIPANT", name)
    return letta_nb.connect()


def _agent(client: Letta, name: str):
    return client.agents.create(name=name, model=OFFLINE_LLM_HANDLE, embedding=OFFLINE_EMBEDDING_HANDLE,
                                memory_blocks=[{"label": "human", "value": ""}])


def test_every_request_needs_the_password(room):
    with pytest.raises(letta_client.AuthenticationError):
        Letta(base_url=room.cfg.base_url, max_retries=0).agents.list()
    # a worker's first request builds FastAPI's route dependencies (about 3 s on 2 busy cores): the point here is the
    # password, so the probe gets time to answer
    assert room.healthy(timeout=20), "the health probe needs no password"
    assert room.room() == {"host": "127.0.0.1", "password": PASSWORD, "port": room.cfg.letta_port, "workers": 2}


def test_the_workers_get_the_settings_but_not_in_their_environment(room):
    [letta] = [s for s in room.status() if s.name == "letta"]
    supervisor = psutil.Process(letta.pid)
    workers = [p for p in supervisor.children() if "spawn_main" in " ".join(p.cmdline())]
    assert len(workers) == 2
    for process in [supervisor, *workers]:
        assert not {"LETTA_SERVER_PASSWORD", "LETTA_PG_URI", "OPENAI_API_KEY"} & set(process.environ())
    log = (room.cfg.logs / "letta.log").read_text()
    assert log.count("Lifespan startup completed") == 2 and "Failed to sync provider" not in log, \
        "both workers started cleanly"


def test_participants_cannot_see_or_delete_each_others_agents(room, monkeypatch):
    ada = _as(monkeypatch, room, "ada")
    bo = _as(monkeypatch, room, "bo")
    ada_agent = _agent(ada, "ada--notes")
    bo_agent = _agent(bo, "bo--notes")
    reply = ada.agents.messages.create(agent_id=ada_agent.id, messages=[{"role": "user", "content": "echo: mine"}])
    assert [m.content for m in reply.messages if m.message_type == "assistant_message"] == ["mine"]

    assert [a.id for a in ada.agents.list()] == [ada_agent.id]
    assert [a.id for a in bo.agents.list()] == [bo_agent.id]
    with pytest.raises(letta_client.NotFoundError):
        bo.agents.delete(ada_agent.id)
    with pytest.raises(letta_client.NotFoundError):
        bo.agents.retrieve(ada_agent.id)

    workshop.cleanup(ada, "ada")
    assert list(ada.agents.list()) == []
    assert [a.id for a in bo.agents.list()] == [bo_agent.id], "bo's agent survives ada's cleanup"
    assert _as(monkeypatch, room, "ada").agents.list() is not None, "connecting again finds the same organization"


def test_one_place_says_what_keeps_participants_apart(room, client):
    assert isolation("server", Letta(base_url=room.cfg.base_url, api_key=PASSWORD)) is Isolation.ORGANIZATION
    assert isolation("local", Letta(base_url=room.cfg.base_url, api_key=PASSWORD)) is Isolation.ORGANIZATION, \
        "the room's host reaches it as its local stack"
    assert isolation("local", client) is Isolation.OWN_STACK, "the session stack is no room"
    assert isolation("server", client) is Isolation.PREFIXES, "a shared server that is no room"
    assert isolation("cloud", Letta(base_url="http://127.0.0.1:9", max_retries=0)) is Isolation.ACCOUNT, "no request"


def test_status_and_doctor_show_the_room(room, monkeypatch):
    [letta] = [s for s in room.status() if s.name == "letta"]
    assert letta.state == "running" and "a room on 127.0.0.1" in letta.detail
    monkeypatch.delenv("LETTA_BASE_URL", raising=False)
    monkeypatch.delenv("LETTA_API_KEY", raising=False)
    for name, value in {"LETTA_NB_HOME": room.cfg.home,
                        "LETTA_NB_MODEL_PORT": room.cfg.model_port, "LETTA_NB_REDIS_PORT": room.cfg.redis_port}.items():
        monkeypatch.setenv(name, str(value))
    monkeypatch.delenv("LETTA_NB_PORT", raising=False)
    assert StackConfig.from_env().letta_port == room.cfg.letta_port, "the room's --port is found without LETTA_NB_PORT"
    monkeypatch.delenv("LETTA_NB_PARTICIPANT", raising=False)
    host = letta_nb.connect()  # on the host machine: the local stack, with the room's password
    assert host.agents.list() is not None
