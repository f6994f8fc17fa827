"""Memory diffs: what changed in each core block between two snapshots (agent states, block lists or dicts)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from ..words import plural
from .model import Bar, Card, Chip, Diff, Inline, Node, Para, Span
from .view import View

CONTEXT_LINES = 2
_TONES = {"added": "ok", "removed": "error", "changed": "warn"}


@dataclass
class BlockChange:
    """One block's change: ``status`` is added, removed, changed or unchanged; ``lines`` are (op, text) pairs."""

    label: str
    status: str
    before: str | None
    after: str | None
    limit: int | None = None
    lines: list[tuple[str, str]] = field(default_factory=list)

    @property
    def added(self) -> list[str]:
        return [text for op, text in self.lines if op == "+"]

    @property
    def removed(self) -> list[str]:
        return [text for op, text in self.lines if op == "-"]


def _blocks(snapshot: Any) -> dict[str, tuple[str, int | None]]:
    """label -> (value, limit) from an agent state, a Memory, a list/page of blocks, or a {label: value} dict."""
    if isinstance(snapshot, dict):
        return {str(k): (v if isinstance(v, str) else getattr(v, "value", str(v)), getattr(v, "limit", None))
                for k, v in snapshot.items()}
    memory = getattr(snapshot, "memory", None)
    blocks = (getattr(memory, "blocks", None) if memory is not None else None) or getattr(snapshot, "blocks", None)
    if blocks == [] and hasattr(snapshot, "agent_type"):
        # agents.retrieve leaves blocks out unless asked: diffing that against a full state would "remove" everything.
        raise ValueError("this AgentState carries no memory blocks: retrieve it with "
                         "client.agents.retrieve(agent_id, include=[\"agent.blocks\"]) or pass client.agents.blocks.list(agent_id)")
    if blocks is None:
        items = getattr(snapshot, "items", None)
        blocks = items if isinstance(items, list) else list(snapshot)
    return {(b.label or ""): (b.value or "", b.limit) for b in blocks}


def _lines(before: str, after: str) -> list[tuple[str, str]]:
    """Changed lines with CONTEXT_LINES around them; a gap in the middle becomes one '…' context line."""
    old, new = before.split("\n"), after.split("\n")
    out: list[tuple[str, str]] = []
    for group in difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(CONTEXT_LINES):
        if out:
            out.append((" ", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend((" ", line) for line in old[i1:i2])
                continue
            if tag in ("replace", "delete"):
                out.extend(("-", line) for line in old[i1:i2])
            if tag in ("replace", "insert"):
                out.extend(("+", line) for line in new[j1:j2])
    return out


def compare(before: Any, after: Any) -> list[BlockChange]:
    old, new = _blocks(before), _blocks(after)
    changes = []
    for label in sorted(old.keys() | new.keys()):
        a, a_limit = old.get(label, (None, None))
        b, b_limit = new.get(label, (None, None))
        limit = b_limit or a_limit
        if a is None:
            assert b is not None  # the label is in one of the two
            changes.append(BlockChange(label, "added", None, b, limit, [("+", line) for line in b.split("\n")]))
        elif b is None:
            changes.append(BlockChange(label, "removed", a, None, limit, [("-", line) for line in a.split("\n")]))
        elif a != b:
            changes.append(BlockChange(label, "changed", a, b, limit, _lines(a, b)))
        else:
            changes.append(BlockChange(label, "unchanged", a, b, limit))
    return changes


class MemoryDiff(View):
    """The result of :func:`memory_diff`: ``changes`` per block, truthy when anything changed; displays as a diff."""

    __slots__ = ("changes",)

    def __init__(self, changes: list[BlockChange]) -> None:
        self.changes = changes
        super().__init__(_node(changes))

    def __bool__(self) -> bool:
        return any(c.status != "unchanged" for c in self.changes)

    def __getitem__(self, label: str) -> BlockChange:
        for change in self.changes:
            if change.label == label:
                return change
        raise KeyError(label)


def _node(changes: list[BlockChange]) -> Node:
    changed = [c for c in changes if c.status != "unchanged"]
    same = [c.label for c in changes if c.status == "unchanged"]
    body: list[Node] = []
    for c in changed:
        sizes = f"{len(c.before or ''):,} → {len(c.after or ''):,} chars"
        title: list[Inline] = [Span(c.label), Chip(c.status, _TONES[c.status], flag=True), Span(f" {sizes}", "muted")]
        section: list[Node] = [Diff(c.lines)]
        if c.after is not None and c.limit:
            section.append(Bar(len(c.after), c.limit))
        body.append(Card("block", title, section))
    if same:
        body.append(Para([Span("unchanged: ", "muted"), Span(", ".join(same))]))
    if not changes:
        body.append(Para([Span("(no blocks)", "muted")]))
    heading = f"{plural(len(changed), 'block')} changed" if changed else "no changes"
    return Card("memory diff", [Span(heading)], body)


def memory_diff(before: Any, after: Any) -> MemoryDiff:
    """Compare two memory snapshots block by block (``client.agents.retrieve`` before and after a turn, two block
    lists, or ``{label: value}`` dicts). Added and removed lines per block, as a view and as data."""
    return MemoryDiff(compare(before, after))
