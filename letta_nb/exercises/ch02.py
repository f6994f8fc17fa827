"""Chapter 02: append a line to a memory block, within its limit.

The checker runs the learner's function on a block of a scratch agent of its own, so the chapter's agents keep only
what the learner wrote into them.
"""

from __future__ import annotations


from . import NotYet, checker, require, stub_returned
from .scratch import scratch

LIMIT = 60


@checker("02", hint="read the block with client.agents.blocks.retrieve(label, agent_id=...), compare the new length "
                    "with block.limit, then write it with client.agents.blocks.update(label, agent_id=..., value=...)")
def check(append_line, *, client, agent_id: str = "", label: str = "preferences") -> str:
    # agent_id (the chapter's agent) is left alone: the checker appends to a block of its own scratch agent.
    with scratch(client, "02") as made:
        agent = made.agent(memory_blocks=[{"label": "persona", "value": "I am a support agent."},
                                          {"label": label, "value": "Channel: email", "limit": LIMIT}])

        def stored() -> str:
            return client.agents.blocks.retrieve(label, agent_id=agent.id).value

        result = append_line(client, agent.id, label, "Tone: friendly")
        stub_returned(result, "append_line")
        require(result == "Channel: email\nTone: friendly",
                f"on a block holding 'Channel: email', append_line(..., 'Tone: friendly') returned {result!r}, "
                "not the two lines 'Channel: email\\nTone: friendly'")
        require(stored() == result, f"append_line returned {result!r} but the block on the server holds {stored()!r}: "
                                    "store the new value with client.agents.blocks.update")

        client.agents.blocks.update(label, agent_id=agent.id, value="")
        first = append_line(client, agent.id, label, "Tone: formal")
        require(first == "Tone: formal", f"on an empty block, append_line(..., 'Tone: formal') returned {first!r}, "
                                         "not the line alone (no new line before it)")

        room = LIMIT - len(first) - 1
        try:
            exact = append_line(client, agent.id, label, "x" * room)
        except ValueError:
            raise NotYet(f"append_line raised ValueError for a line that makes the block exactly {LIMIT} characters "
                         "long, its limit: a value of exactly the limit fits") from None
        require(exact == stored() and len(exact) == LIMIT,
                f"after a line that makes the block exactly {LIMIT} characters long, append_line returned "
                f"{exact!r:.80} and the block holds {stored()!r:.80}")
        try:
            append_line(client, agent.id, label, "y")
        except ValueError:
            pass
        else:
            raise NotYet(f"append_line stored a value of {len(stored())} characters in a block whose limit is {LIMIT}, "
                         "instead of raising ValueError")
        require(stored() == exact, f"append_line raised ValueError but changed the block to {stored()!r:.80} first: "
                                   "check the length before writing")
    return "append_line appends, stores, and respects the limit"
