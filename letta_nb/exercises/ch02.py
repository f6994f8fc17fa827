"""Chapter 02: append a line to a memory block, within its limit."""

from __future__ import annotations

from . import NotYet, checker, require, stub_returned


@checker("02", hint="read the block with client.agents.blocks.retrieve(label, agent_id=...), compare the new length "
                    "with block.limit, then write it with client.agents.blocks.update(label, agent_id=..., value=...)")
def check(append_line, *, client, agent_id: str, label: str = "preferences") -> str:
    client.agents.blocks.update(label, agent_id=agent_id, value="Channel: email")
    result = append_line(client, agent_id, label, "Tone: friendly")
    stub_returned(result, "append_line")
    require(result == "Channel: email\nTone: friendly", f"expected the line appended on a new line, got {result!r}")
    stored = client.agents.blocks.retrieve(label, agent_id=agent_id)
    require(stored.value == result, "append_line should store the new value on the server, not only return it")
    client.agents.blocks.update(label, agent_id=agent_id, value="")
    first = append_line(client, agent_id, label, "Tone: formal")
    require(first == "Tone: formal", f"on an empty block the line should stand alone, got {first!r}")
    room = stored.limit - len(first) - 1
    exact = append_line(client, agent_id, label, "x" * room)
    require(len(exact) == stored.limit, "a line that fills the block exactly to its limit should be accepted")
    try:
        append_line(client, agent_id, label, "y")
    except ValueError:
        pass
    else:
        raise NotYet(f"one character over the limit of {stored.limit} should raise ValueError")
    after = client.agents.blocks.retrieve(label, agent_id=agent_id).value
    require(after == exact, "a refused append must leave the block unchanged")
    return "append_line appends, stores, and respects the limit"
