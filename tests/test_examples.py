"""The README's promise, end to end: examples/tour.py drives every basic feature through connect(), offline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import letta_nb

ROOT = Path(__file__).resolve().parent.parent


def test_tour_runs_every_step_offline(stack, client):  # the tour is a subprocess: live only
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "tour.py")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "1 message   : Hello! How can I help you today?"
    assert "-> \"I don't know anything about you yet.\"" in lines[1]
    assert lines[2] == "3 memory    : I am a concise guide who loves maps. | Name: Ada"
    assert lines[3] == "4 tool      : Tokyo (success)"
    assert lines[4] == "5 archival  : ['The office wifi password is on the fridge.']"
    assert lines[5] == "6 conversation: Hello, Ada! How can I help you today?"
    assert lines[6] == '7 approval  : requires_approval guarded_capital {"country": "Peru"}'
    assert lines[7] == "  approved  : I looked up the capital city of Peru: Lima."
    assert lines[-1] == "cleaned up  : agent deleted"
    assert not list(client.agents.list(name="tour-agent")), "the tour left its agent behind"


def test_fresh_agent_replaces_an_agent_of_the_same_name(letta):
    first = letta_nb.fresh_agent(letta, "test-fresh-agent", memory_blocks=[{"label": "human", "value": "one"}])
    second = letta_nb.fresh_agent(letta, "test-fresh-agent", memory_blocks=[{"label": "human", "value": "two"}])
    try:
        assert [a.id for a in letta.agents.list(name="test-fresh-agent")] == [second.id]
        assert first.id != second.id
    finally:
        letta_nb.delete_agents(letta, name="test-fresh-agent")
    assert not list(letta.agents.list(name="test-fresh-agent"))


def test_fresh_agent_leaves_an_unrelated_agent_of_the_same_name_alone(letta, new_agent):
    theirs = new_agent(name="test-fresh-not-mine")
    mine = letta_nb.fresh_agent(letta, "test-fresh-not-mine", tags=["mine"])
    again = letta_nb.fresh_agent(letta, "test-fresh-not-mine", tags=["mine"])
    try:
        ids = {a.id for a in letta.agents.list(name="test-fresh-not-mine")}
        assert ids == {theirs.id, again.id}, "fresh_agent replaced its own agent only"
        assert mine.id not in ids
        assert sorted(again.tags) == ["letta-nb", "mine"]
    finally:
        letta_nb.delete_agents(letta, name="test-fresh-not-mine", tags=["letta-nb"])


def test_deleting_an_agent_takes_its_own_memory_but_not_shared_blocks(letta):
    import letta_client

    shared = letta.blocks.create(label="test-team", value="shared notes")
    standalone = letta.blocks.create(label="test-keep", value="reused")
    try:
        agent = letta_nb.fresh_agent(letta, "test-delete-memory", memory_blocks=[{"label": "human", "value": "own"}],
                                     block_ids=[shared.id, standalone.id])
        other = letta_nb.fresh_agent(letta, "test-delete-memory-other", block_ids=[shared.id])
        own = [b.id for b in letta.agents.blocks.list(agent_id=agent.id) if b.label == "human"]
        letta.agents.passages.create(agent_id=agent.id, text="a fact")
        archives = [a.id for a in letta.archives.list(agent_id=agent.id)]
        assert own and archives

        again = letta_nb.fresh_agent(letta, "test-delete-memory", block_ids=[shared.id, standalone.id])
        for block_id in own:
            with pytest.raises(letta_client.NotFoundError):
                letta.blocks.retrieve(block_id)
        for archive_id in archives:
            with pytest.raises(letta_client.NotFoundError):
                letta.archives.retrieve(archive_id)
        assert {b.label for b in letta.agents.blocks.list(agent_id=again.id)} == {"test-team", "test-keep"}
        assert [a.id for a in letta.blocks.agents.list(shared.id)] != [], "a block shared with another agent was deleted"
        assert other.id in {a.id for a in letta.blocks.agents.list(shared.id)}
    finally:
        letta_nb.delete_agents(letta, name="test-delete-memory-other")
        letta_nb.delete_agents(letta, name="test-delete-memory")
    for block_id in (shared.id, standalone.id):  # their last agent went, so they went too
        with pytest.raises(letta_client.NotFoundError):
            letta.blocks.retrieve(block_id)


def test_deleting_a_sleeptime_agent_takes_its_helper_and_every_block(letta):
    import letta_client

    agent = letta_nb.fresh_agent(letta, "test-delete-sleeptime", enable_sleeptime=True,
                                 memory_blocks=[{"label": "human", "value": ""}, {"label": "persona", "value": "p"}])
    helper_id = next(i for i in agent.multi_agent_group.agent_ids if i != agent.id)
    blocks = {b.id for a in (agent.id, helper_id) for b in letta.agents.blocks.list(agent_id=a)}
    assert len(blocks) == 3, "human and persona shared, memory_persona the helper's own"
    assert letta_nb.delete_agents(letta, name="test-delete-sleeptime") == 1
    for block_id in blocks:
        with pytest.raises(letta_client.NotFoundError):
            letta.blocks.retrieve(block_id)
    with pytest.raises(letta_client.NotFoundError):
        letta.agents.retrieve(helper_id)
