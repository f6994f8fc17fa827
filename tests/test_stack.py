"""The stack's life cycle on a fresh state directory and its own ports (the shared test stack is not touched)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from letta_nb import LettaNbError
from letta_nb.config import OFFLINE_EMBEDDING_HANDLE, OFFLINE_LLM_HANDLE, StackConfig
from letta_nb.local.doctor import run_checks
from letta_nb.local.stack import Stack
from letta_nb.local.supervision import group_alive, pid_alive, port_in_use, stop_group


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    cfg = StackConfig(home=tmp_path_factory.mktemp("letta-nb-home"), letta_port=_free_port(),
                      model_port=_free_port(), redis_port=_free_port())
    stack = Stack(cfg)
    yield stack
    stack.down(say=lambda _: None)


def _env(stack: Stack) -> dict:
    return {**os.environ, "LETTA_NB_HOME": str(stack.cfg.home), "LETTA_NB_PORT": str(stack.cfg.letta_port),
            "LETTA_NB_MODEL_PORT": str(stack.cfg.model_port), "LETTA_NB_REDIS_PORT": str(stack.cfg.redis_port)}


def _pids(stack: Stack) -> dict:
    return {s.name: s.pid for s in stack.status()}


def test_up_from_a_fresh_state_directory(fresh):
    said = []
    assert fresh.up(say=said.append) == fresh.cfg.base_url
    assert fresh.healthy()
    assert {s.name: s.state for s in fresh.status()} == {n: "running" for n in ("postgres", "redis", "offline", "letta")}
    assert (fresh.cfg.pgdata / ".letta-nb-schema").exists()
    assert any("Letta is up at" in line for line in said)


def test_up_twice_is_harmless(fresh):
    before = _pids(fresh)
    said = []
    fresh.up(say=said.append)
    assert _pids(fresh) == before
    assert said == [f"The local Letta stack is already running at {fresh.cfg.base_url}"]


def test_cli_status_and_doctor(fresh):
    status = subprocess.run([sys.executable, "-m", "letta_nb.cli", "status"], env=_env(fresh), capture_output=True, text=True)
    assert status.returncode == 0, status.stderr
    assert f"letta    :{fresh.cfg.letta_port}" in status.stdout
    doctor = subprocess.run([sys.executable, "-m", "letta_nb.cli", "doctor"], env=_env(fresh), capture_output=True, text=True)
    assert doctor.returncode == 0, doctor.stdout
    assert OFFLINE_LLM_HANDLE in doctor.stdout and OFFLINE_EMBEDDING_HANDLE in doctor.stdout


def test_port_in_use_is_reported(fresh, tmp_path):
    other = Stack(StackConfig(home=tmp_path / "other", letta_port=fresh.cfg.letta_port,
                              model_port=_free_port(), redis_port=_free_port()))
    with pytest.raises(LettaNbError) as raised:
        other.up(say=lambda _: None)
    assert f"Port {fresh.cfg.letta_port}" in str(raised.value) and "LETTA_NB_PORT" in str(raised.value)
    assert not (tmp_path / "other" / "server-venv").exists(), "a refused start must not install anything"


def test_a_crashed_service_is_reported_and_restarted(fresh):
    pid = _pids(fresh)["offline"]
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    assert {s.name: s.state for s in fresh.status()}["offline"] == "crashed"
    assert any(c.status == "fail" and c.name == "service offline" for c in run_checks(fresh))
    fresh.up(say=lambda _: None)
    assert {s.name: s.state for s in fresh.status()}["offline"] == "running"


SELF_TOOL = """
def whoami_block() -> str:
    \"\"\"Read my own human block back through the Letta API.

    Returns:
        The value of my human block.
    \"\"\"
    import os

    from letta_client import Letta

    api = Letta(base_url=os.environ["LETTA_BASE_URL"])
    return api.agents.blocks.retrieve("human", agent_id=os.environ["LETTA_AGENT_ID"]).value
"""


def test_a_tool_finds_its_own_server_on_any_port(fresh):
    from letta_client import Letta

    fresh.up(say=lambda _: None)
    client = Letta(base_url=fresh.cfg.base_url)
    tool = client.tools.upsert(source_code=SELF_TOOL)
    agent = client.agents.create(name="self-caller", model=OFFLINE_LLM_HANDLE, embedding=OFFLINE_EMBEDDING_HANDLE,
                                 tool_ids=[tool.id], memory_blocks=[{"label": "human", "value": f"port {fresh.cfg.letta_port}"}])
    try:
        reply = client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": "call whoami_block {}"}])
        returns = [m for m in reply.messages if m.message_type == "tool_return_message"]
        assert [(r.status, r.tool_return) for r in returns] == [("success", f"port {fresh.cfg.letta_port}")]
    finally:
        client.agents.delete(agent.id)


def test_down_stops_everything_and_keeps_data(fresh):
    from letta_client import Letta

    client = Letta(base_url=fresh.cfg.base_url)
    agent = client.agents.create(name="survivor", model=OFFLINE_LLM_HANDLE, embedding=OFFLINE_EMBEDDING_HANDLE,
                                 memory_blocks=[{"label": "human", "value": "kept across restarts"}])
    pids = _pids(fresh)
    assert sorted(fresh.down(say=lambda _: None)) == ["letta", "offline", "postgres", "redis"]
    for name, pid in pids.items():
        assert not pid_alive(pid), f"{name} (pid {pid}) is still running"
        assert not group_alive(pid), f"a child of {name} is still running"
    for port in (fresh.cfg.letta_port, fresh.cfg.model_port, fresh.cfg.redis_port):
        assert not port_in_use(port)
    assert fresh.down(say=lambda _: None) == []
    fresh.up(say=lambda _: None)
    assert client.agents.blocks.retrieve("human", agent_id=agent.id).value == "kept across restarts"


def test_the_stack_knows_its_own_url():
    stack = Stack(StackConfig(Path("/state"), 8383, 2, 3))
    assert stack.serves("http://127.0.0.1:8383/") and stack.serves("http://127.0.0.1:8383/v1/agents/?limit=1")
    assert not stack.serves("http://127.0.0.1:8283") and not stack.serves("https://api.letta.com")
    assert not stack.serves("http://127.0.0.1:port"), "a malformed URL is not the stack"
    assert stack.server_started() is None, "nothing runs under this state directory"


def test_a_zombie_is_not_running_and_a_group_lives_while_a_member_does():
    """No stack: a session like a service's, whose leader is killed (left unreaped) before its child."""
    import time

    leader = subprocess.Popen(["sh", "-c", "sleep 60 & wait"], start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while not group_alive(leader.pid) or len(psutil.Process(leader.pid).children()) < 1:
            assert time.monotonic() < deadline, "sh never started its child"
            time.sleep(0.05)
        assert pid_alive(leader.pid)
        os.kill(leader.pid, signal.SIGKILL)
        while psutil.Process(leader.pid).status() != psutil.STATUS_ZOMBIE:
            assert time.monotonic() < deadline, "the leader never became a zombie"
            time.sleep(0.05)
        assert not pid_alive(leader.pid), "a zombie still answers kill(0) but is not running"
        assert group_alive(leader.pid), "the leader's child still runs"
        stop_group(leader.pid, grace=5)
        assert not group_alive(leader.pid)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(leader.pid, signal.SIGKILL)
        leader.wait()


def test_lab_serves_jupyterlab_on_the_notebooks(fresh):
    import time

    import httpx

    fresh.up(say=lambda _: None)
    port = _free_port()
    lab = subprocess.Popen([sys.executable, "-m", "letta_nb.cli", "lab", "--no-browser", "--port", str(port)],
                           env=_env(fresh), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           cwd=Path(__file__).resolve().parent.parent)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if lab.poll() is not None:
                pytest.fail(f"letta-nb lab exited with {lab.returncode}:\n{lab.stdout.read()}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/lab", timeout=2).status_code in (200, 302):
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within 60 s")
    finally:
        lab.terminate()
        output = lab.communicate(timeout=30)[0]
    assert "Opening JupyterLab on" in output and "notebooks" in output


MODULES_PROBE = '''
def letta_modules_loaded(note: str) -> str:
    """Say whether all of letta was imported in this tool run.

    Args:
        note: Anything.
    """
    import sys
    return "all of letta" if "letta.orm" in sys.modules else "letta's submodules only"
'''

STATE_PROBE = '''
def my_agent_name(agent_state: "AgentState") -> str:
    """The name of the agent that runs this tool."""
    return agent_state.name
'''


def test_a_tool_run_imports_only_the_letta_it_needs(client, make_agent):
    """toolsite/sitecustomize.py: a tool with arguments runs without letta's __init__ (seconds of imports), and a tool
    that takes agent_state still gets the whole of letta."""
    tools = [client.tools.upsert(source_code=MODULES_PROBE), client.tools.upsert(source_code=STATE_PROBE)]
    try:
        agent = make_agent(tool_ids=[t.id for t in tools])
        reply = client.agents.messages.create(agent_id=agent.id, messages=[
            {"role": "user", "content": 'call letta_modules_loaded {"note": "x"}'}])
        [returned] = [m for m in reply.messages if m.message_type == "tool_return_message"]
        assert (returned.status, returned.tool_return) == ("success", "letta's submodules only")
        reply = client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": "call my_agent_name {}"}])
        [returned] = [m for m in reply.messages if m.message_type == "tool_return_message"]
        assert (returned.status, returned.tool_return) == ("success", agent.name)
    finally:
        for tool in tools:
            client.tools.delete(tool.id)
