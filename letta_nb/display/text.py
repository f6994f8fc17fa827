"""Text sink: the same node tree as plain, indented lines (text/plain in notebooks, ``print`` elsewhere).

Stored notebook outputs are compared as text, so this output holds no ids, timestamps or durations unless the
builder put them in (``show(x, ids=True, times=True)``), and no trailing whitespace.
"""

from __future__ import annotations

from ..words import shorten
from .model import (
    Bar,
    Card,
    Chip,
    Code,
    Details,
    Diff,
    Entry,
    Fields,
    Group,
    Ident,
    Items,
    Markdown,
    Node,
    Para,
    Section,
    Span,
    Stacked,
    Table,
    Timeline,
    cut,
)

INDENT = "  "
BAR_CELLS = 20
TIMELINE_CELLS = 40
_GLYPHS = "█▒▓#=+*%"
_OPEN = (" ", "\n", "(", "[")
_CLOSE = (" ", "\n", ")", "]", ",", ":", ";", ".")


def inline_text(items) -> str:
    """Inlines as one string; adjacent chips are separated by commas, other neighbours by a space where needed."""
    parts: list[str] = []
    last, last_flag = None, False
    for item in items:
        if item is None or item.only == "html":
            continue
        kind = type(item)
        if kind is Span:
            piece = item.text
        elif kind is Chip:
            piece = f"{item.label} ({item.note})" if item.note else item.label
            if item.flag:
                piece = f"[{piece}]"
        elif kind is Ident:
            piece = item.value
        else:
            raise TypeError(f"not an inline node: {kind.__name__}")
        if parts:
            # Spans carry their own spacing; chips and ids are boxes in HTML and need a separator here.
            if kind is Chip and last is Chip and not item.flag and not last_flag:
                parts.append(", ")
            elif (kind is not Span or last is not Span) and not parts[-1].endswith(_OPEN) and not piece.startswith(_CLOSE):
                parts.append(" ")
        parts.append(piece)
        last, last_flag = kind, kind is Chip and item.flag
    return "".join(parts)


def _lines(text: str, out: list[str], ind: str) -> None:
    for line in text.split("\n"):
        out.append((ind + line).rstrip())


def _long(text: str, limit: int, max_lines: int, out: list[str], ind: str) -> None:
    head, rest = cut(text, limit, max_lines)
    _lines(head, out, ind)
    if rest:
        out.append(f"{ind}… ({len(rest):,} more chars)")


def bar_text(node: Bar) -> str:
    ratio = node.ratio
    if ratio is None:
        return f"{node.used:,} {node.unit}"
    filled = min(BAR_CELLS, round(ratio * BAR_CELLS))
    label = f"[{'█' * filled}{'░' * (BAR_CELLS - filled)}] {node.used:,} / {node.limit:,} {node.unit} · {ratio:.0%}"
    if node.tone != "ok":
        label += " · over the limit" if ratio > 1 else " · near the limit"
    return label


def _stacked(node: Stacked, out: list[str], ind: str) -> None:
    used = node.used
    out.append(ind + bar_text(Bar(used, node.limit, node.unit)))
    width = max((len(label) for label, _ in node.parts), default=0)
    digits = max((len(f"{amount:,}") for _, amount in node.parts), default=0)
    for label, amount in node.parts:
        share = f"  {amount / used:>4.0%}" if used else ""
        out.append(f"{ind}{INDENT}{label.ljust(width)}  {f'{amount:,}'.rjust(digits)}{share}")


def _timeline(node: Timeline, out: list[str], ind: str) -> None:
    glyph = {name: _GLYPHS[i % len(_GLYPHS)] for i, name in enumerate(node.names)}
    total = node.total or 1
    width = max((len(label) for label, *_ in node.rows), default=0)
    for label, start, parts, note in node.rows:
        cells = ["·"] * TIMELINE_CELLS
        at = start
        for name, length in parts:
            first, last = round(at / total * TIMELINE_CELLS), round((at + length) / total * TIMELINE_CELLS)
            for i in range(first, max(last, first + 1 if length else first)):
                cells[min(i, TIMELINE_CELLS - 1)] = glyph[name]
            at += length
        out.append(f"{ind}{label.ljust(width)}  {''.join(cells)}  {note}".rstrip())
    out.append(ind + "  ".join(f"{glyph[name]} {name}" for name in node.names))


def _emit(node: Node, out: list[str], ind: str) -> None:
    if node.only == "html":
        return
    if isinstance(node, Group):
        for child in node.children:
            _emit(child, out, ind)
    elif isinstance(node, Card):
        out.append(f"{ind}{node.kind.capitalize()} {inline_text(node.title)}".rstrip())
        for child in node.body:
            _emit(child, out, ind + INDENT)
    elif isinstance(node, Section):
        out.append((ind + inline_text(node.title)).rstrip())
        for child in node.body:
            _emit(child, out, ind + INDENT)
    elif isinstance(node, Fields):
        rows = [(key, inline_text(value)) for key, value, only in node.rows if only != "html"]
        width = max((len(key) for key, _ in rows), default=0)
        for key, value in rows:
            first, *more = value.split("\n")
            out.append(f"{ind}{key.ljust(width)} : {first}".rstrip())
            if more:
                _lines("\n".join(more), out, ind + " " * (width + 3))
    elif isinstance(node, Para):
        _lines(inline_text(node.inlines), out, ind)
    elif isinstance(node, Bar):
        out.append(ind + bar_text(node))
    elif isinstance(node, (Code, Markdown)):
        _long(node.text, node.limit, node.lines, out, ind)
    elif isinstance(node, Details):
        summary = inline_text(node.summary)
        if summary:
            out.append((ind + summary).rstrip())
        # A summary shown only in HTML (a preview of the body) leaves the body in place, not indented under nothing.
        for child in node.body:
            _emit(child, out, ind + INDENT if summary else ind)
    elif isinstance(node, Table):
        _table(node, out, ind)
    elif isinstance(node, Items):
        for number, item in enumerate(node.items, 1):
            lines: list[str] = []
            for child in item:
                _emit(child, lines, "")
            bullet = f"{number}. " if node.ordered else "- "
            for i, line in enumerate(lines or [""]):
                out.append((ind + (bullet if i == 0 else " " * len(bullet)) + line).rstrip())
    elif isinstance(node, Entry):
        _entry(node, out, ind)
    elif isinstance(node, Stacked):
        _stacked(node, out, ind)
    elif isinstance(node, Timeline):
        _timeline(node, out, ind)
    elif isinstance(node, Diff):
        for op, line in node.lines:
            out.append(f"{ind}{op} {line}".rstrip())
    else:
        raise TypeError(f"no text form for {type(node).__name__}")


def _entry(node: Entry, out: list[str], ind: str) -> None:
    lines: list[str] = []
    for child in node.body:
        _emit(child, lines, "")
    head = inline_text(node.head)
    if head or not lines:
        first, rest = head, lines
    else:
        first, rest = lines[0], lines[1:]
    out.append(f"{ind}{node.label}: {first}".rstrip())
    sub = ind + INDENT
    for line in rest:
        out.append((sub + line).rstrip() if line else "")


def _table(node: Table, out: list[str], ind: str) -> None:
    keep = [i for i, only in enumerate(node.only_cols or ()) if only != "html"]
    cells = [[shorten(inline_text(row[i]), node.max_cell, one_line=True) for i in keep] for row in node.rows]
    header = [node.columns[i] for i in keep]
    widths = [max([len(header[c])] + [len(row[c]) for row in cells]) for c in range(len(keep))]
    out.append((ind + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))).rstrip())
    out.append((ind + "  ".join("─" * w for w in widths)).rstrip())
    for row in cells:
        out.append((ind + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))).rstrip())


def to_text(node: Node) -> str:
    """The text of a node tree: lines joined by newlines, no trailing newline."""
    out: list[str] = []
    _emit(node, out, "")
    return "\n".join(out)
