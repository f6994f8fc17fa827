"""A room (`letta-nb serve`): a password on every request, and each participant in an organization of their own, so
one cannot see or delete another's agents. A stack of its own (fresh state, own ports), served on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

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
    shown = subprocess.run([sys.executable, "-m", "letta_nb.cli", "status"], capture_output=True, text=True,
                           env={**os.environ, "LETTA_NB_HOME": str(room.cfg.home)})
    workers = [line for line in shown.stdout.splitlines() if line.startswith("up     worker")]
    assert shown.returncode == 0 and sorted(int(line.split()[3]) for line in workers) == _workers(room), shown.stdout


def _workers(room: Stack) -> list[int]:
    """The pids of the room's live server processes, as `status` reports them."""
    [letta] = [s for s in room.status() if s.name == "letta"]
    return sorted(w.pid for w in letta.workers if w.alive)


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout:.0f} s for: {what}"
        time.sleep(0.1)


def _busy(pid: int) -> bool:
    """Whether a server process is working (its CPU time grows), read from /proc/<pid>/stat, which, unlike its fds,
    a non-dumpable process leaves readable."""
    before = psutil.Process(pid).cpu_times()
    time.sleep(0.3)
    after = psutil.Process(pid).cpu_times()
    return after.user + after.system - before.user - before.system > 0.03


def test_a_worker_killed_mid_turn_is_replaced_and_nothing_acknowledged_is_lost(room, monkeypatch):
    """Three participants send turns without pause; one server process is killed (-9) while it serves them. Every
    turn begun after the kill succeeds, a new process takes the dead one's place, and once it is up it carries the
    room alone while the other original is killed too. Every message the room acknowledged is in its agent."""
    names = ("ada", "bo", "cy")
    clients = {name: _as(monkeypatch, room, name) for name in names}  # as their kernels would: connect()
    agents = {name: _agent(client, f"{name}--healing") for name, client in clients.items()}
    acknowledged: dict[str, list[str]] = {name: [] for name in names}
    turns: list[tuple[str, float, float, str]] = []  # participant, began, ended, "ok" or the error
    stop = threading.Event()

    def participant(name: str) -> None:
        for turn in range(10_000):
            if stop.is_set():
                return
            text = f"{name} turn {turn}"
            began = time.monotonic()
            try:
                reply = clients[name].agents.messages.create(agent_id=agents[name].id,
                                                             messages=[{"role": "user", "content": f"echo: {text}"}])
                said = [m.content for m in reply.messages if m.message_type == "assistant_message"]
                outcome = "ok" if said == [text] else f"replied {said}"
            except letta_client.APIError as exc:
                outcome = f"{type(exc).__name__}: {exc}"[:300]
            if outcome == "ok":
                acknowledged[name].append(f"echo: {text}")
            turns.append((name, began, time.monotonic(), outcome))

    original = _workers(room)
    assert len(original) == 2, original
    starts = room.logs("letta", 100_000).count("Lifespan startup completed")
    threads = [threading.Thread(target=participant, args=(name,), daemon=True) for name in names]
    for thread in threads:
        thread.start()
    try:
        _wait_for(lambda: all(acknowledged.values()), 120, "a first turn of every participant")
        # the kernel hands each connection to either process, so under load one of them may serve everyone for a
        # while: the one to kill is whichever is at work
        at_work: list[int] = []
        _wait_for(lambda: at_work.extend(p for p in original if _busy(p)) or bool(at_work), 60,
                  f"one of the server processes {original} at work")
        victim = at_work[0]
        [other] = [p for p in original if p != victim]
        killed = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        _wait_for(lambda: victim not in _workers(room) and len(_workers(room)) == 2, 10, "a replacement process")
        [replacement] = set(_workers(room)) - set(original)
        _wait_for(lambda: room.logs("letta", 100_000).count("Lifespan startup completed") == starts + 1, 180,
                  f"the replacement {replacement} up")
        ready = time.monotonic() - killed
        mark = len(turns)
        _wait_for(lambda: {t[0] for t in turns[mark:] if t[3] == "ok"} == set(names), 60,
                  "a turn of every participant with both processes serving")
        os.kill(other, signal.SIGKILL)
        alone = time.monotonic()
        mark = len(turns)
        _wait_for(lambda: {t[0] for t in turns[mark:] if t[1] > alone and t[3] == "ok"} == set(names), 60,
                  f"a turn of every participant served by {replacement} alone")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)

    after = [t for t in turns if t[1] > killed]
    assert after and all(t[3] == "ok" for t in after), [t for t in after if t[3] != "ok"]
    in_flight = [t for t in turns if t[1] <= killed < t[2]]
    assert in_flight, "the kill came while turns ran"
    print(f"{len(turns)} turns, {len(after)} begun after the first kill, all answered; of {len(in_flight)} in flight "
          f"at it, {sum(t[3] != 'ok' for t in in_flight)} failed; the replacement served {ready:.0f} s after the kill")
    for name in names:
        kept = [m.content for m in clients[name].agents.messages.list(agent_id=agents[name].id, limit=1000)
                if m.message_type == "user_message"]
        assert set(acknowledged[name]) <= set(kept), f"{name}: acknowledged but lost: {set(acknowledged[name]) - set(kept)}"
    _wait_for(lambda: len(_workers(room)) == 2 and not set(_workers(room)) & set(original), 30,
              "two live processes, neither of them an original")
    for name in names:
        clients[name].agents.delete(agents[name].id)
