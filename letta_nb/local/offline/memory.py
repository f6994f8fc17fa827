"""Where facts live in the agent's memory blocks, and the tool calls that change them.

A new fact goes to the writable block whose label or description fits its topic best (``family`` for a daughter,
``household`` for what Cy plays), else to the human block. A fact whose key a block already holds replaces that line
(single-valued keys) or joins it (lists); a fact the user takes back removes its line or its item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import facts as F
from . import language as L
from .context import Block, Context
from .plans import Action
from .statements import line_key

HUMAN_LABELS = ("human", "user", "customer", "person", "profile", "client", "student", "member", "guest")
_TOPIC_WORDS = {
    "identity": {"human", "user", "person", "profile", "about", "customer", "identity", "client", "student", "member"},
    "work": {"work", "job", "career", "professional", "occupation", "employment"},
    "place": {"location", "home", "place", "address", "travel"},
    "family": {"family", "kids", "children", "relationships", "relatives", "pets", "people", "household", "members"},
    "people": {"household", "family", "people", "members", "friends", "contacts", "relationships", "relatives", "who",
               "housemates", "team", "colleagues"},
    "preferences": {"preferences", "preference", "likes", "tastes", "interests", "hobbies", "food", "music", "hobby"},
    "health": {"health", "medical", "allergies", "diet", "dietary", "allergy"},
}


def writable(ctx: Context) -> list[Block]:
    return [b for b in ctx.blocks if not b.read_only and "persona" not in b.label]


def own_blocks(ctx: Context) -> list[Block]:
    """The blocks that are neither the user's facts nor my persona: a list, the notes, the house rules, a policy."""
    return [b for b in ctx.blocks if "persona" not in b.label and not any(h in b.label for h in HUMAN_LABELS)]


def home(ctx: Context, fact: F.Fact) -> Block | None:
    """The block a new fact belongs in: one whose label or description fits its topic best, else the human block."""
    blocks = writable(ctx)
    if not blocks:
        # a request with no memory section at all (a bare chat-completions call): the human block Letta always has
        return None if ctx.blocks else Block("human", "", "")
    topic = _TOPIC_WORDS[fact.key.topic]

    def fit(block: Block) -> tuple[int, int]:
        label_words = set(re.findall(r"[a-z]+", block.label.lower()))
        described = set(re.findall(r"[a-z]+", block.description.lower()))
        return (2 * len(label_words & topic) + len(described & topic) if fact.key.topic != "identity" else 0,
                int(any(h in block.label.lower() for h in HUMAN_LABELS)))

    best = max(blocks, key=lambda b: (*fit(b), -blocks.index(b)))
    return best if fit(best) != (0, 0) else None


def where(ctx: Context, fact: F.Fact) -> tuple[Block, str, str] | None:
    """The block and line that already hold this fact's key, with that line's value."""
    for block in writable(ctx):
        for line in block.lines:
            found, value = line_key(line)
            if found is not None and found.name.lower() == fact.key.name.lower():
                return block, line, value
    return None


@dataclass(frozen=True)
class Edit:
    """One change to memory for one fact: a new line, a replaced or removed line, or nothing (already known)."""

    fact: F.Fact
    block: Block | None
    old_line: str | None = None
    new_line: str | None = None  # "" removes the line

    @property
    def known(self) -> bool:
        return self.block is not None and self.new_line is None

    @property
    def removes(self) -> bool:
        return self.new_line == ""


# A like said now takes the thing out of the dislikes, and the other way round: memory never holds both.
_CONTRARY = {"Likes": "Dislikes", "Dislikes": "Likes"}


def edits(ctx: Context, found: list[F.Fact]) -> list[Edit]:
    planned = []
    found = found + [F.Fact(F.KEYS[_CONTRARY[f.key.name]], f.value, True) for f in found
                     if f.key.name in _CONTRARY and not f.removed]
    for fact in found:
        held = where(ctx, fact)
        if fact.removed:
            if held is None:
                continue
            block, line, value = held
            if fact.key.multi:
                left = F.without(value, fact.value)
                if not F.same(left, value):
                    planned.append(Edit(fact, block, line, f"{fact.key.name}: {left}" if left else ""))
            elif L.words(fact.value) & L.words(value) or F.same(fact.value, value):
                planned.append(Edit(fact, block, line, ""))
            continue
        if held is None:
            planned.append(Edit(fact, home(ctx, fact), None, fact.line))
            continue
        block, line, value = held
        new_value = F.merge(value, fact.value) if fact.key.multi and not F.unknown(value) else fact.value
        if F.same(new_value, value):
            planned.append(Edit(fact, block))
        else:
            planned.append(Edit(fact, block, line, f"{fact.key.name}: {new_value}"))
    return planned


def removal(block: Block, line: str) -> tuple[str, str]:
    """(old, new) strings for memory_replace that take a whole line out, with its line break."""
    lines = block.value.split("\n")
    at = lines.index(line) if line in lines else -1
    if at > 0:
        return "\n" + line, ""
    if at == 0 and len(lines) > 1:
        return line + "\n", ""
    return line, ""


def actions(ctx: Context, planned: list[Edit]) -> list[Action]:
    insert = ctx.offers("memory_insert", "core_memory_append")
    replace = ctx.offers("memory_replace", "core_memory_replace")
    out = []
    new = [e for e in planned if e.block and e.new_line and not e.old_line]
    for label in dict.fromkeys(e.block.label for e in new if e.block):
        mine = [e for e in new if e.block and e.block.label == label]
        if insert:
            text = "\n".join(e.new_line for e in mine if e.new_line)
            args = {"label": label, "new_string": text} if insert == "memory_insert" else {"label": label, "content": text}
            told = L.listing([e.fact.key.what for e in mine])
            out.append(Action(insert, args, f"The user told me {told}; I'll save {'it' if len(mine) == 1 else 'them'} "
                                            f"to my {label} block."))
    for e in planned:
        if not (e.block and e.old_line and replace and e.new_line is not None):
            continue
        old, new_line = removal(e.block, e.old_line) if e.removes else (e.old_line, e.new_line)
        args = ({"label": e.block.label, "old_string": old, "new_string": new_line} if replace == "memory_replace"
                else {"label": e.block.label, "old_content": old, "new_content": new_line})
        if e.removes:
            why = f"The user says {e.fact.key.what} is no longer \"{e.fact.value}\"; I'll remove \"{e.old_line}\" from my " \
                  f"{e.block.label} block."
        elif e.fact.removed:
            why = f"The user no longer has \"{e.fact.value}\"; I'll take it out of that line in my {e.block.label} block."
        else:
            then = ("I'll add to that line rather than start a second one" if e.fact.key.multi
                    else "I'll replace that line so that my memory does not contradict itself")
            why = f"My {e.block.label} block says \"{e.old_line}\", but the user just told me {e.fact.key.what}; {then}."
        out.append(Action(replace, args, why))
    return out


def known_lines(ctx: Context) -> list[tuple[Block, str]]:
    return [(b, line) for b in ctx.blocks if "persona" not in b.label for line in b.lines]


def _held(ctx: Context, key: str) -> str:
    """The value of the first line of a writable block that holds ``key`` and is not unknown; "" when none does."""
    for block in writable(ctx):
        for line in block.lines:
            found, value = line_key(line)
            if found is not None and found.name == key and not F.unknown(value):
                return value
    return ""


def name_of_user(ctx: Context) -> str:
    name = _held(ctx, "Name")
    return name.split()[0] if name else ""


def known(ctx: Context) -> dict[str, str]:
    """What memory says about the user that fills a tool's parameter the message leaves out, by the parameter's kind
    (:mod:`.arguments`): where they live, for "do I need a coat today?"."""
    place = _held(ctx, "Location")
    return {"place": place} if place else {}
