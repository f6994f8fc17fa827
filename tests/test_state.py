"""The widgets' models (letta_nb.state), driven with no widget at all: what a view observes is in their traits."""

from __future__ import annotations

import sys
import subprocess

import pytest

from letta_nb.client_tools import Call, Decision
from letta_nb.errors import LettaNbError
from letta_nb.state import ApprovalQueue, ChatSession, MemoryModel


def _shout(text: str) -> str:
    """Repeat text in capitals.

    Args:
        text: What to repeat.
    """
    return text.upper()


def test_the_models_import_no_widgets():
    code = "import sys, letta_nb.state; assert 'ipywidgets' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_an_approval_queue_hands_over_the_batch_once_every_call_is_decided():
    queue = ApprovalQueue({"shout": _shout})
    calls = [Call("c1", "shout", '{"text": "a"}'), Call("c2", "fetch_url", "{}")]
    seen, batches = [], []
    queue.observe(lambda change: seen.append((change["name"], len(change["new"]))), ["pending", "decisions"])

    assert queue.ask(calls, batches.append) is None
    assert queue.pending == calls and queue.decisions == {}
    with pytest.raises(LettaNbError, match="no local function"):
        queue.run_locally("c2")  # fetch_url is a server tool: nothing here can run it
    with pytest.raises(LettaNbError, match="exists only here"):
        queue.approve("c1")  # shout is a client tool: the server cannot run it

    queue.run_locally("c1")
    assert queue.decisions == {"c1": Decision.run()} and batches == []
    queue.deny(reason="not now")
    assert batches == [[(calls[0], Decision.run()), (calls[1], Decision.deny("not now"))]]
    assert queue.pending == [] and queue.decisions == {} and len(queue.history) == 2
    assert ("pending", 2) in seen and ("pending", 0) in seen, "a view sees the calls come and go"


def test_auto_decides_at_once_only_what_it_can_run():
    queue = ApprovalQueue({"shout": _shout}, auto=True)
    call = Call("c1", "shout", '{"text": "a"}')
    assert queue.ask([call], lambda batch: None) == [(call, Decision.run())] and queue.pending == []
    server = Call("c2", "fetch_url", "{}")
    assert queue.ask([call, server], lambda batch: None) is None and queue.pending == [call, server]
    assert repr(queue) == "1 local tools, 2 pending, auto"


def test_a_chat_session_streams_into_its_traits(letta, new_agent):
    agent = new_agent()
    session = ChatSession(letta, agent.id)
    session.open()
    live, statuses = [], []
    session.observe(lambda change: live.append(change["new"]), "live")
    session.observe(lambda change: statuses.append(change["new"]), "status")

    assert session.say("echo: hello model", wait=True)
    assert (session.reply, session.busy, session.status, session.error, session.turns) == ("hello model", False, "", "", 1)
    assert [m.message_type for m in session.messages] == ["user_message", "reasoning_message", "assistant_message"]
    assert any(m is not None and "hello" in str(getattr(m, "content", "")) for m in live) and live[-1] is None
    assert statuses == ["streaming", ""]
    assert not session.say("   ")


def test_a_session_waits_for_its_queue(letta, new_agent):
    agent = new_agent()
    session = ChatSession(letta, agent.id, approvals=ApprovalQueue({"shout": _shout}))
    session.open()
    session.say('call shout {"text": "hi"}', wait=True)
    assert (session.status, session.busy) == ("awaiting approval", True)
    assert [c.name for c in session.approvals.pending] == ["shout"]
    session.approvals.run_locally()
    session.join(timeout=60)
    assert session.reply == "I repeated text in capitals: HI." and not session.busy


def test_a_memory_model_records_what_the_agent_changed(letta, new_agent):
    agent = new_agent()
    session = ChatSession(letta, agent.id)
    memory = MemoryModel(letta, agent.id)
    memory.refresh()
    memory.follow(session)
    assert list(memory.blocks) == ["human", "persona"] and repr(memory) == "2 blocks: human, persona"

    session.say("remember in human: my name is Ada", wait=True)
    human = memory.blocks["human"]
    assert memory.changed == ["human"] and human.changed and human.change.status == "changed"
    assert human.value == human.base == "Name: unknown\nmy name is Ada"

    human.value = "Name: Ada"
    assert human.dirty and memory.save() == {"human": "saved", "persona": "unchanged"}
    assert letta.agents.blocks.retrieve("human", agent_id=agent.id).value == "Name: Ada"
