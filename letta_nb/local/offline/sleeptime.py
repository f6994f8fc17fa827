"""The sleeptime agent's work: read the conversation it is given, and fold every fact the main agent would have
understood (new facts, changes, things taken back or to forget) into the shared blocks, one rewrite per block that
changes (``memory_rethink``), then ``memory_finish_edits``. Repeated lines are merged and, per single-valued key,
the latest value wins."""

from __future__ import annotations

import re

from . import facts as F
from . import language as L
from . import memory as M
from .context import Context
from .plans import Action, Plan
from .statements import line_key

MARKER = "You are a sleeptime agent"
_WRITING = {"tell", "correct", "forget"}


def said_by_user(transcript: str) -> list[str]:
    return [line.split(":", 1)[1].strip() for line in transcript.splitlines() if re.match(r"^\s*user:", line)]


def facts_in(messages: list[str]) -> list[F.Fact]:
    """Every fact in these messages that the main agent reads as one: sentences it understands as telling, correcting
    or forgetting; questions and remarks give none."""
    from .intents.remember import _FORGET  # forgetting is read the same way as by the main agent
    from .meaning import bank
    from .statements import read

    found: list[F.Fact] = []
    floor, _ = bank().thresholds
    for message in messages:
        for unit in L.units(message):
            if L.form(unit) == "question":
                continue
            best = next(iter(bank().rank(unit)), None)
            if best is None or best.intent not in _WRITING or best.score < floor:
                continue
            if best.intent == "forget":
                match = _FORGET.match(L.normal(unit))
                if match:
                    found += [F.Fact(f.key, f.value, True) for f in read(match.group("what"))]
                continue
            found += read(unit)
    return found


def plan(ctx: Context) -> Plan:
    transcript = ctx.user_text.split("Messages:", 1)[-1]
    found = facts_in(said_by_user(transcript))
    actions = []
    rethink = ctx.offers("memory_rethink")
    destination = [((M.where(ctx, f) or (M.home(ctx, f),))[0], f) for f in found]
    for block in M.writable(ctx):
        if block.label == "memory_persona" or not rethink:
            continue
        mine = [f for home, f in destination if home == block]
        lines, notes = consolidate(block.lines, mine)
        if lines != block.lines:
            actions.append(Action(rethink, {"label": block.label, "new_memory": "\n".join(lines)},
                                  f"Reviewing the conversation: {notes}; I'll rewrite my {block.label} block as one "
                                  f"consolidated list."))
    finish = ctx.offers("memory_finish_edits")
    if finish:
        actions.append(Action(finish, {}, "My memory now holds everything worth keeping from this conversation; "
                                          "I'm done." if actions else "Nothing new in this conversation needs saving."))
    return Plan(actions, lambda ctx: "Memory is up to date.", "Memory is up to date.", "sleeptime")


def consolidate(lines: list[str], new: list[F.Fact]) -> tuple[list[str], str]:
    """A block's lines with repeats merged, one line per single-valued key (the latest), and new facts folded in."""
    out: list[str] = []  # a removed line becomes None until the end
    keyed: dict[str, int] = {}
    index: int | None
    notes = {"added": 0, "updated": 0, "merged": 0, "removed": 0}
    for line in lines:
        found, value = line_key(line)
        if found is None:
            if any(F.same(line, seen) for seen in out):
                notes["merged"] += 1
                continue
            out.append(line.strip())
            continue
        if found.name in keyed:
            index = keyed[found.name]
            _, before = line_key(out[index])
            out[index] = f"{found.name}: {F.merge(before, value) if found.multi else value}"
            notes["merged" if found.multi or F.same(before, value) else "updated"] += 1
            continue
        keyed[found.name] = len(out)
        out.append(line.strip() if ":" in line and not F.unknown(value) else f"{found.name}: {value}")
    for fact in new:
        index = keyed.get(fact.key.name)
        if fact.removed:
            if index is None or out[index] is None:
                continue
            _, before = line_key(out[index])
            left = F.without(before, fact.value) if fact.key.multi else ("" if L.words(fact.value) & L.words(before) else before)
            if not F.same(left, before):
                out[index] = f"{fact.key.name}: {left}" if left else None  # type: ignore[assignment]  # see out
                notes["removed"] += 1
            continue
        if index is not None and out[index] is not None:
            _, before = line_key(out[index])
            value = F.merge(before, fact.value) if fact.key.multi and not F.unknown(before) else fact.value
            if not F.same(value, before):
                out[index] = f"{fact.key.name}: {value}"
                notes["updated"] += 1
        else:
            keyed[fact.key.name] = len(out)
            out.append(fact.line)
            notes["added"] += 1
    told = [L.plural(n, one, many) for one, many, n in (
        ("new fact", "new facts", notes["added"]), ("fact changed", "facts changed", notes["updated"]),
        ("repeat merged", "repeats merged", notes["merged"]), ("fact removed", "facts removed", notes["removed"])) if n]
    return [line for line in out if line is not None], L.listing(told) if told else "nothing changed"
