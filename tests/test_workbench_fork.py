"""letta_nb.fork: an independent copy of an agent's current state through an agent file, on the real server."""

from __future__ import annotations

import inspect
import uuid

import pytest

import letta_nb
from letta_nb import LettaNbError
from letta_nb.agents import FRESH_TAG
from letta_nb.content import text_of

CHAT = ("user_message", "assistant_message", "tool_call_message", "tool_return_message")
SECRET = "fork-secret-value-31337"


def wbf_lookup(topic: str) -> str:
    """Look a topic up.

    Args:
        topic: What to look up.
    """
    return f"notes on {topic}"


@pytest.fixture
def original(letta, new_agent):
    tool = letta.tools.upsert(source_code=inspect.getsource(wbf_lookup))
    agent = new_agent(tool_ids=[tool.id], tags=["wbf-test"], secrets={"WBF_KEY": SECRET},
                       tool_rules=[{"type": "max_count_per_step", "tool_name": "wbf_lookup", "max_count_limit": 2}])
    letta.agents.messages.create(agent.id, messages=[{"role": "user", "content": "My name is Sam"}])
    yield letta.agents.retrieve(agent.id, include=["agent.blocks", "agent.tools", "agent.tags", "agent.secrets"])
    letta.tools.delete(tool.id)  # new_agent deletes the agent


@pytest.fixture
def fork_name(letta):
    name = f"wbf-fork-{uuid.uuid4().hex[:8]}"
    yield name
    letta_nb.delete_agents(letta, name=name)


def _history(client, agent_id):
    return [(m.message_type, text_of(m)) for m in client.agents.messages.list(agent_id, order="asc", limit=200)
            if m.message_type in CHAT]


def _memory(client, agent_id):
    return {b.label: b.value for b in client.agents.blocks.list(agent_id=agent_id)}


def test_fork_has_the_same_state_and_is_independent(letta, original, fork_name):
    made = letta_nb.fork(letta, original, name=fork_name)
    copy = made.agent
    assert made.name == fork_name and made.id != original.id and made.original_id == original.id
    assert _memory(letta, copy.id) == _memory(letta, original.id)
    assert "Sam" in _memory(letta, copy.id)["human"]  # the state as it is now, after the turn edited memory
    history = _history(letta, original.id)
    assert len(history) >= 2 and _history(letta, copy.id) == history
    assert {t.name for t in copy.tools} == {t.name for t in original.tools}
    rules = lambda agent: sorted(str(r.model_dump(exclude_none=True)) for r in agent.tool_rules)  # noqa: E731
    assert rules(copy) == rules(original)
    assert sorted(copy.tags) == sorted([*original.tags, FRESH_TAG])
    assert copy.model == original.model
    assert {s.key: s.value for s in copy.secrets} == {"WBF_KEY": SECRET}
    assert not {b.id for b in copy.memory.blocks} & {b.id for b in original.memory.blocks}

    # Editing the fork, its memory and its history, leaves the original as it was.
    before_memory, before_history = _memory(letta, original.id), _history(letta, original.id)
    letta.agents.blocks.update("human", agent_id=copy.id, value="Name: Alex")
    letta.agents.messages.create(copy.id, messages=[{"role": "user", "content": "Hello from the fork"}])
    assert _memory(letta, copy.id)["human"] == "Name: Alex"
    assert _memory(letta, original.id) == before_memory
    assert _history(letta, original.id) == before_history

    text = repr(made)
    assert text.startswith(f"Fork {fork_name} [of {original.name}]")
    assert "WBF_KEY" in text and SECRET not in text and SECRET not in made._repr_html_()
    assert made.id not in text and made.id in made._repr_html_()  # ids only in HTML


def test_rerun_replaces_the_earlier_fork(letta, original, fork_name):
    first = letta_nb.fork(letta, original.id, name=fork_name)
    second = letta_nb.fork(letta, original.name, name=fork_name)
    assert first.id != second.id
    assert [a.id for a in letta.agents.list(name=fork_name)] == [second.id]
    assert letta_nb.delete_agents(letta, tags=[FRESH_TAG, "wbf-test"]) == 1  # cleaned up by the usual helper
    assert letta.agents.retrieve(original.id).id == original.id


def test_default_name_and_the_original_name_refused(letta, original):
    with pytest.raises(LettaNbError, match="needs a name of its own"):
        letta_nb.fork(letta, original, name=original.name)
    made = letta_nb.fork(letta, original)
    try:
        assert made.name == f"{original.name}-fork"
    finally:
        letta_nb.delete_agents(letta, name=made.name)


def test_unknown_agent_is_a_sentence(letta):
    with pytest.raises(LettaNbError, match="No agent is called 'wbf-no-such-agent'"):
        letta_nb.fork(letta, "wbf-no-such-agent")


def test_sleeptime_agent_fork_has_one_agent_of_its_name(letta, fork_name):
    """The agent file of a sleeptime agent holds its helper too; the import would give both the fork's name."""
    original = letta_nb.fresh_agent(letta, f"wbf-sleep-{uuid.uuid4().hex[:8]}", enable_sleeptime=True,
                                    memory_blocks=[{"label": "human", "value": ""}])
    try:
        made = letta_nb.fork(letta, original, name=fork_name)
        assert [a.id for a in letta.agents.list(name=fork_name)] == [made.id]
        group = letta.agents.retrieve(made.id, include=["agent.managed_group"]).multi_agent_group
        (helper_id,) = group.agent_ids
        assert letta.agents.retrieve(helper_id).name == f"{fork_name}-sleeptime"
        assert letta_nb.delete_agents(letta, name=fork_name) == 1
        assert not list(letta.agents.list(name=f"{fork_name}-sleeptime"))  # the helper went with the fork
    finally:
        letta_nb.delete_agents(letta, name=original.name)
