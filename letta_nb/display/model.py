"""The render model: a small tree of nodes built once per object, then written by two sinks (``html``, ``text``).

Builders decide *what* is shown; sinks decide only *how*. Anything a sink must not show (ids and timestamps in
text/plain unless asked) is marked on the node with ``only="html"`` by the builder, so the sinks never need to
know the options and cannot drift apart.

Where long text is cut is decided here too (:func:`cut`), so both sinks truncate at the same place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence, Union

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


class Node:
    __slots__ = ("only",)

    def __init__(self, only: str | None = None) -> None:
        self.only = only  # None: both sinks; "html" / "text": that sink only


# ------------------------------------------------------------------------------------------------- inline
class Span(Node):
    """A run of text. ``tone`` colours it (ok, warn, error, muted, accent, role names); ``mono`` sets code font."""

    __slots__ = ("text", "tone", "mono")

    def __init__(self, text: str, tone: str | None = None, *, mono: bool = False, only: str | None = None) -> None:
        super().__init__(only)
        self.text, self.tone, self.mono = text, tone, mono


class Chip(Node):
    """A small labelled pill: a tag, a tool with its type, a status. A ``flag`` (status, read-only) is bracketed in
    text so it reads as a marker, not as a name."""

    __slots__ = ("label", "tone", "note", "flag")

    def __init__(self, label: str, tone: str | None = None, note: str | None = None, *, flag: bool = False,
                 only: str | None = None) -> None:
        super().__init__(only)
        self.label, self.tone, self.note, self.flag = label, tone, note, flag


class Ident(Node):
    """An object id: shown short and selectable in one click in HTML, in full in text (when the builder asks)."""

    __slots__ = ("value",)

    def __init__(self, value: str, *, only: str | None = None) -> None:
        super().__init__(only)
        self.value = value


Inline = Union[Span, Chip, Ident]
Inlines = Sequence[Inline]


# -------------------------------------------------------------------------------------------------- block
class Group(Node):
    """Children one after the other. ``log=True`` lays them out as a transcript (a column of entries)."""

    __slots__ = ("children", "log")

    def __init__(self, children: Sequence[Node], *, log: bool = False, only: str | None = None) -> None:
        super().__init__(only)
        self.children, self.log = children, log


class Card(Node):
    """The outer box of one object: a title line (kind, name, chips) and a body."""

    __slots__ = ("kind", "title", "body")

    def __init__(self, kind: str, title: Inlines, body: Sequence[Node], *, only: str | None = None) -> None:
        super().__init__(only)
        self.kind, self.title, self.body = kind, title, body


class Section(Node):
    """A titled part of a card (Memory, Tools, ...)."""

    __slots__ = ("title", "body")

    def __init__(self, title: Inlines, body: Sequence[Node], *, only: str | None = None) -> None:
        super().__init__(only)
        self.title, self.body = title, body


class Fields(Node):
    """Key/value rows. A row whose value is empty is dropped by the builder, not here."""

    __slots__ = ("rows",)

    def __init__(self, rows: Sequence[tuple[str, Inlines, str | None]], *, only: str | None = None) -> None:
        super().__init__(only)
        self.rows = rows  # (key, value, only)


class Para(Node):
    """One line (or wrapped paragraph) of inlines."""

    __slots__ = ("inlines", "tone")

    def __init__(self, inlines: Inlines, tone: str | None = None, *, only: str | None = None) -> None:
        super().__init__(only)
        self.inlines, self.tone = inlines, tone


class Bar(Node):
    """Usage of a limit (block characters): warns from ``WARN_AT`` on, errors over the limit."""

    WARN_AT = 0.9
    __slots__ = ("used", "limit", "unit")

    def __init__(self, used: int, limit: int | None, unit: str = "chars", *, only: str | None = None) -> None:
        super().__init__(only)
        self.used, self.limit, self.unit = used, limit, unit

    @property
    def ratio(self) -> float | None:
        return self.used / self.limit if self.limit else None

    @property
    def tone(self) -> str:
        ratio = self.ratio
        if ratio is None:
            return "muted"
        return "error" if ratio > 1 else "warn" if ratio >= self.WARN_AT else "ok"


class Code(Node):
    """Preformatted text (JSON, source, tool output), cut after ``limit`` characters."""

    __slots__ = ("text", "lang", "limit", "lines")

    def __init__(self, text: str, lang: str | None = None, *, limit: int = PREVIEW_CHARS, lines: int = PREVIEW_LINES,
                 only: str | None = None) -> None:
        super().__init__(only)
        self.text, self.lang, self.limit, self.lines = text, lang, limit, lines


class Markdown(Node):
    """Prose that may hold the safe markdown subset; HTML renders it, text shows the source."""

    __slots__ = ("text", "limit", "lines")

    def __init__(self, text: str, *, limit: int = PREVIEW_CHARS, lines: int = PREVIEW_LINES, only: str | None = None) -> None:
        super().__init__(only)
        self.text, self.limit, self.lines = text, limit, lines


class Details(Node):
    """Collapsible: closed by default in HTML; text shows the summary and the body indented."""

    __slots__ = ("summary", "body", "open")

    def __init__(self, summary: Inlines, body: Sequence[Node], *, open: bool = False, only: str | None = None) -> None:
        super().__init__(only)
        self.summary, self.body, self.open = summary, body, open


class Table(Node):
    """Columns and rows of inlines; ``only_cols`` hides a column from one sink. The text sink cuts cells at ``max_cell``."""

    MAX_CELL = 40
    __slots__ = ("columns", "rows", "only_cols", "max_cell")

    def __init__(self, columns: Sequence[str], rows: Sequence[Sequence[Inlines]], *,
                 only_cols: Sequence[str | None] | None = None, max_cell: int = MAX_CELL, only: str | None = None) -> None:
        super().__init__(only)
        self.columns, self.rows, self.max_cell = columns, rows, max_cell
        self.only_cols = only_cols or [None] * len(columns)


class Items(Node):
    """A list; ``ordered`` numbers it (tool rules, where order matters)."""

    __slots__ = ("items", "ordered")

    def __init__(self, items: Sequence[Sequence[Node]], *, ordered: bool = False, only: str | None = None) -> None:
        super().__init__(only)
        self.items, self.ordered = items, ordered


class Entry(Node):
    """One transcript message: a role label, then its body. ``tone`` colours the label and the rail."""

    __slots__ = ("label", "tone", "body", "head")

    def __init__(self, label: str, tone: str, body: Sequence[Node], *, head: Inlines = (), only: str | None = None) -> None:
        super().__init__(only)
        self.label, self.tone, self.body, self.head = label, tone, body, head


class Diff(Node):
    """Lines of a unified-style diff: op is ``+``, ``-`` or `` `` (context)."""

    __slots__ = ("lines",)

    def __init__(self, lines: Sequence[tuple[str, str]], *, only: str | None = None) -> None:
        super().__init__(only)
        self.lines = lines
