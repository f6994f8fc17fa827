"""The reply once facts are saved, replaced or removed: what the agent now knows, said back in its own words."""

from __future__ import annotations

from .. import facts as F
from .. import language as L
from ..context import Context
from ..memory import Edit
from ..plans import MEMORY_EDITS


def told(ctx: Context, planned: list[Edit]) -> str:
    failed = [c for c in ctx.turn if c.failed and c.name in MEMORY_EDITS]
    if failed:
        from ..replies import tool_message

        return f"I couldn't save that: {tool_message(failed[0])[:200]}"
    done = any(c.name in MEMORY_EDITS for c in ctx.turn)
    known = [e for e in planned if e.known]
    # a line that held no value yet ("Name: unknown") is news, not a change
    new = [e for e in planned if e.new_line and (not e.old_line or F.unknown(e.old_line.partition(":")[2]))]
    changed = [e for e in planned if e.old_line and e.new_line and e not in new]
    removed = [e for e in planned if e.removes or (e.fact.removed and e.old_line)]
    name = next((e.fact.value.split()[0] for e in new + changed if e.fact.key.name == "Name"), "")
    parts = []
    if name and any(e.fact.key.name == "Name" for e in new):
        parts.append(f"Nice to meet you, {name}!")
    elif name:
        parts.append(f"Got it, {name}.")
    if not done and not known:
        return "Thanks for telling me."
    said_new = [e.fact.says for e in new if e.fact.key.name != "Name"]
    said_changed = [e.fact.says for e in changed if e.fact.key.name != "Name" and not e.fact.removed]
    if said_new:
        parts.append(f"{'' if parts else 'Got it! '}I've noted that {L.listing(said_new)}.".strip())
    if said_changed:
        parts.append(f"I've updated my memory: {L.listing(said_changed)} now.")
    if removed:
        gone = L.listing([e.fact.says for e in removed])
        parts.append(f"I've taken out of my memory that {gone}.")
    if known and not (new or changed or removed):
        parts.append(f"I already knew that {L.listing([e.fact.says for e in known])}.")
    elif known:
        parts.append(f"(I already knew that {L.listing([e.fact.says for e in known])}.)")
    return " ".join(parts) or "Got it, I've noted that."
