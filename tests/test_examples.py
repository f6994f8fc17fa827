"""The README's promise, end to end: examples/tour.py drives every basic feature through connect(), offline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import letta_nb

ROOT = Path(__file__).resolve().parent.parent


def test_tour_runs_every_step_offline(stack, client):
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "tour.py")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "1 message   : You said: Hello!"
    assert "-> 'You said: stream this reply'" in lines[1]
    assert lines[2] == "3 memory    : I am a concise guide who loves maps. | Name: unknown / my name is Ada"
    assert lines[3] == "4 tool      : Tokyo (success)"
    assert lines[4] == "5 archival  : ['The office wifi password is on the fridge']"
    assert lines[5] == "6 conversation: You said: hi from a conversation"
    assert lines[6] == '7 approval  : requires_approval guarded_capital {"country": "Peru"}'
    assert lines[7] == "  approved  : guarded_capital returned: Lima"
    assert lines[-1] == "cleaned up  : agent deleted"
    assert not list(client.agents.list(name="tour-agent")), "the tour left its agent behind"


def test_fresh_agent_replaces_an_agent_of_the_same_name(client):
    first = letta_nb.fresh_agent(client, "test-fresh-agent", memory_blocks=[{"label": "human", "value": "one"}])
    second = letta_nb.fresh_agent(client, "test-fresh-agent", memory_blocks=[{"label": "human", "value": "two"}])
    try:
        assert [a.id for a in client.agents.list(name="test-fresh-agent")] == [second.id]
        assert first.id != second.id
    finally:
        letta_nb.delete_agents(client, name="test-fresh-agent")
    assert not list(client.agents.list(name="test-fresh-agent"))
