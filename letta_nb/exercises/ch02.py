"""Chapter 02: set one `Key: value` line of a memory block: replace it where it stands, or add it, within the limit.

The checker runs the learner's function on a block of a scratch agent of its own, so the chapter's agents keep only
what the learner wrote into them.
"""

from __future__ import annotations

from . import NotYet, checker, require, stub_returned
from .scratch import scratch

LIMIT = 80
START = "Channel: email\nTone: formal\nTone of voice: calm"


@checker("02", hint="read the block with client.agents.blocks.retrieve(label, agent_id=...); in block.value.splitlines() "
                    "replace the line that starts with f'{key}: ' (or append one), compare len('\\n'.join(lines)) "
                    "with block.limit, then write it with client.agents.blocks.update(label, agent_id=..., value=...)")
def check(set_preference, *, client, agent_id: str = "", label: str = "preferences") -> str:
    # agent_id (the chapter's agent) is left alone: the checker works on a block of its own scratch agent.
    with scratch(client, "02") as made:
        agent = made.agent(memory_blocks=[{"label": "persona", "value": "I am a support agent."},
                                          {"label": label, "value": START, "limit": LIMIT}])

        def stored() -> str:
            return client.agents.blocks.retrieve(label, agent_id=agent.id).value

        def call(key: str, value: str) -> str:
            return set_preference(client, agent.id, label, key, value)

        changed = call("Tone", "friendly")
        stub_returned(changed, "set_preference")
        expected = "Channel: email\nTone: friendly\nTone of voice: calm"
        if changed != expected:
            lines = str(changed).splitlines()
            require("Tone: formal" not in lines, f"set_preference(..., 'Tone', 'friendly') returned {changed!r}: the "
                                                 "old 'Tone: formal' line is still there; replace it, don't add another")
            require("Tone of voice: calm" in lines, f"set_preference(..., 'Tone', 'friendly') returned {changed!r}: it "
                                                    "changed the 'Tone of voice' line too; a line is the key's only if "
                                                    "it starts with the key and ': '")
            raise NotYet(f"on a block holding {START!r}, set_preference(..., 'Tone', 'friendly') returned {changed!r}, "
                         f"not {expected!r}: replace the line where it stands, keeping the others in order")
        require(stored() == changed, f"set_preference returned {changed!r} but the block on the server holds "
                                     f"{stored()!r}: store the new value with client.agents.blocks.update")

        added = call("Language", "French")
        require(added == expected + "\nLanguage: French" == stored(),
                f"a key the block does not have yet should become a new last line; set_preference(..., 'Language', "
                f"'French') returned {added!r} and the block holds {stored()!r}")

        room = LIMIT - len(added) - len("\nNote: ")
        try:
            exact = call("Note", "x" * room)
        except ValueError:
            raise NotYet(f"set_preference raised ValueError for a line that makes the block exactly {LIMIT} "
                         "characters long, its limit: a value of exactly the limit fits") from None
        require(exact == stored() and len(exact) == LIMIT,
                f"after a line that makes the block exactly {LIMIT} characters long, set_preference returned "
                f"{exact!r:.90} and the block holds {stored()!r:.90}")
        try:
            call("Note", "x" * (room + 1))  # a replaced line counts too: one character more than fits
        except ValueError:
            pass
        else:
            raise NotYet(f"set_preference stored {len(stored())} characters in a block whose limit is {LIMIT} "
                         "(replacing the Note line with a longer one), instead of raising ValueError")
        require(stored() == exact, f"set_preference raised ValueError but changed the block to {stored()!r:.90} "
                                   "first: check the length before writing")

        client.agents.blocks.update(label, agent_id=agent.id, value="")
        first = call("Tone", "formal")
        require(first == "Tone: formal", f"on an empty block, set_preference(..., 'Tone', 'formal') returned "
                                         f"{first!r}, not the line alone (no new line before it)")
    return "set_preference replaces a key's line in place, adds new keys, and respects the limit"
