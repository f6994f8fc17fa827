"""The render model: a small tree of nodes built once per object, then written by two sinks (``html``, ``text``).

Builders decide *what* is shown; sinks decide only *how*. Anything a sink must not show (ids and timestamps in
text/plain unless asked) is marked on the node with ``only="html"`` by the builder, so the sinks never need to
know the options and cannot drift apart.

Where long text is cut is decided here too (:func:`cut`), so both sinks truncate at the same place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

# Long content: a preview of this many characters (and lines), the rest behind an expander (HTML) or counted (text).
PREVIEW_CHARS = 1_000
PREVIEW_LINES = 24
# An expander never holds more than this: a 5 MB tool return must not end up in a saved notebook.
EXPAND_CHARS = 20_000


@dataclass(frozen=True)
class Options:
    """What a render shows. ``ids``/``times`` add ids and timestamps/durations to text/plain (HTML always has them,
    in a form the notebook sanitizer normalises)."""

    ids: bool = False
    times: bool = False
    max_chars: int = PREVIEW_CHARS
    max_lines: int = PREVIEW_LINES


def cut(text: str, limit: int, max_lines: int = PREVIEW_LINES) -> tuple[str, str]:
    """Split ``text`` into the preview and the rest (empty when it fits)."""
    if len(text) <= limit and text.count("\n") < max_lines:
        return text, ""
    end = min(len(text), limit)
    newline = -1
    for _ in range(max_lines):
        newline = text.find("\n", newline + 1, end)
        if newline < 0:
            break
    else:
        end = newline
    return text[:end], text[end:]


@dataclass(frozen=True, slots=True)
class Node:
    only: str | None = field(default=None, kw_only=True)  # None: both sinks; "html" / "text": that sink only


# ------------------------------------------------------------------------------------------------- inline
@dataclass(frozen=True, slots=True)
class Span(Node):
    """A run of text. ``tone`` colours it (ok, warn, error, muted, accent, role names); ``mono`` sets code font."""

    text: str
    tone: str | None = None
    mono: bool = field(default=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Chip(Node):
    """A small labelled pill: a tag, a tool with its type, a status. A ``flag`` (status, read-only) is bracketed in
    text so it reads as a marker, not as a name."""

    label: str
    tone: str | None = None
    note: str | None = None
    flag: bool = field(default=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Ident(Node):
    """An object id: shown short and selectable in one click in HTML, in full in text (when the builder asks)."""

    value: str


Inline = Span | Chip | Ident
# Both sinks skip a None among inlines, so builders pass ``ctx.ident(...)``, ``ctx.when(...)`` (None: nothing to show)
# as they come.
Inlines = Sequence[Inline | None]


# -------------------------------------------------------------------------------------------------- block
@dataclass(frozen=True, slots=True)
class Group(Node):
    """Children one after the other. ``log=True`` lays them out as a transcript (a column of entries)."""

    children: Sequence[Node]
    log: bool = field(default=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Card(Node):
    """The outer box of one object: a title line (kind, name, chips) and a body."""

    kind: str
    title: Inlines
    body: Sequence[Node]


@dataclass(frozen=True, slots=True)
class Section(Node):
    """A titled part of a card (Memory, Tools, ...)."""

    title: Inlines
    body: Sequence[Node]


@dataclass(frozen=True, slots=True)
class Fields(Node):
    """Key/value rows ``(key, value, only)``. A row whose value is empty is dropped by the builder, not here."""

    rows: Sequence[tuple[str, Inlines, str | None]]


@dataclass(frozen=True, slots=True)
class Para(Node):
    """One line (or wrapped paragraph) of inlines."""

    inlines: Inlines
    tone: str | None = None


@dataclass(frozen=True, slots=True)
class Bar(Node):
    """Usage of a limit (block characters): warns from ``WARN_AT`` on, errors over the limit."""

    WARN_AT = 0.9
    used: int
    limit: int | None
    unit: str = "chars"

    @property
    def ratio(self) -> float | None:
        return self.used / self.limit if self.limit else None

    @property
    def tone(self) -> str:
        ratio = self.ratio
        if ratio is None:
            return "muted"
        return "error" if ratio > 1 else "warn" if ratio >= self.WARN_AT else "ok"


@dataclass(frozen=True, slots=True)
class Stacked(Node):
    """Parts of one limit side by side (a context window's tokens by section), each ``(label, amount)``, with a
    legend giving each part's amount and share of the whole used. Colours follow the parts' order."""

    parts: Sequence[tuple[str, int]]
    limit: int
    unit: str = "tokens"

    @property
    def used(self) -> int:
        return sum(amount for _, amount in self.parts)


@dataclass(frozen=True, slots=True)
class Timeline(Node):
    """Rows on one axis from 0 to ``total`` (a run's steps in time): ``(label, start, parts, note)``, the parts
    ``(name, length)`` laid end to end from ``start``. A part's colour follows its name's first appearance."""

    rows: Sequence[tuple[str, int, Sequence[tuple[str, int]], str]]
    total: int

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(name for _, _, parts, _ in self.rows for name, _ in parts))


@dataclass(frozen=True, slots=True)
class Code(Node):
    """Preformatted text (JSON, source, tool output), cut after ``limit`` characters."""

    text: str
    lang: str | None = None
    limit: int = field(default=PREVIEW_CHARS, kw_only=True)
    lines: int = field(default=PREVIEW_LINES, kw_only=True)


@dataclass(frozen=True, slots=True)
class Markdown(Node):
    """Prose that may hold the safe markdown subset; HTML renders it, text shows the source."""

    text: str
    limit: int = field(default=PREVIEW_CHARS, kw_only=True)
    lines: int = field(default=PREVIEW_LINES, kw_only=True)


@dataclass(frozen=True, slots=True)
class Details(Node):
    """Collapsible: closed by default in HTML; text shows the summary and the body indented."""

    summary: Inlines
    body: Sequence[Node]
    open: bool = field(default=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Table(Node):
    """Columns and rows of inlines; ``only_cols`` hides a column from one sink. The text sink cuts cells at ``max_cell``."""

    MAX_CELL = 40
    columns: Sequence[str]
    rows: Sequence[Sequence[Inlines]]
    only_cols: Sequence[str | None] | None = field(default=None, kw_only=True)
    max_cell: int = field(default=MAX_CELL, kw_only=True)

    def __post_init__(self) -> None:
        if self.only_cols is None:
            object.__setattr__(self, "only_cols", [None] * len(self.columns))


@dataclass(frozen=True, slots=True)
class Items(Node):
    """A list; ``ordered`` numbers it (tool rules, where order matters)."""

    items: Sequence[Sequence[Node]]
    ordered: bool = field(default=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Entry(Node):
    """One transcript message: a role label, then its body. ``tone`` colours the label and the rail."""

    label: str
    tone: str
    body: Sequence[Node]
    head: Inlines = field(default=(), kw_only=True)


@dataclass(frozen=True, slots=True)
class Diff(Node):
    """Lines of a unified-style diff: op is ``+``, ``-`` or `` `` (context)."""

    lines: Sequence[tuple[str, str]]
