"""A minimal, safe markdown subset for assistant text: paragraphs, **bold**, *em*, `code`, fenced code, lists, headings.

Everything is HTML-escaped *first*; the few tags below are added to escaped text only, so no input can inject markup
(``<script>`` stays text). No links or images: a model's reply must not load anything.
"""

from __future__ import annotations

import html
import re

_FENCE = re.compile(r"^```[^\n`]*\n(.*?)(?:^```[ \t]*$|\Z)", re.S | re.M)
_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
_EM = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_BULLET = re.compile(r"^\s{0,3}[-*+]\s+(.*)$")
_NUMBER = re.compile(r"^\s{0,3}\d{1,9}[.)]\s+(.*)$")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
# Placeholders for code spans keep their content away from the bold/em rules; \x00 cannot survive escaping input.
_SLOT = "\x00{}\x00"
_SLOT_RE = re.compile("\x00(\\d+)\x00")


def inline(escaped: str) -> str:
    """Inline rules on already escaped text."""
    if "`" not in escaped and "*" not in escaped and "_" not in escaped:
        return escaped  # the common case, and the fast one
    codes: list[str] = []

    def keep(match: re.Match) -> str:
        codes.append(f"<code>{match.group(1)}</code>")
        return _SLOT.format(len(codes) - 1)

    text = _CODE.sub(keep, escaped)
    text = _BOLD.sub(lambda m: f"<strong>{m.group(1) or m.group(2)}</strong>", text)
    text = _EM.sub(lambda m: f"<em>{m.group(1) or m.group(2)}</em>", text)
    return _SLOT_RE.sub(lambda m: codes[int(m.group(1))], text) if codes else text


def _blocks(escaped: str, out: list[str]) -> None:
    """Paragraphs, lists and headings of text that holds no fenced code."""
    lines = escaped.split("\n")
    para: list[str] = []
    items: list[str] = []
    kind = ""

    def flush() -> None:
        nonlocal kind
        if para:
            out.append("<p>" + "<br>".join(inline(p) for p in para) + "</p>")
            para.clear()
        if items:
            out.append(f"<{kind}>" + "".join(f"<li>{inline(i)}</li>" for i in items) + f"</{kind}>")
            items.clear()
        kind = ""

    for line in lines:
        if not line.strip():
            flush()
            continue
        bullet, number = _BULLET.match(line), _NUMBER.match(line)
        if bullet or number:
            wanted = "ul" if bullet else "ol"
            if para or kind != wanted:
                flush()
            kind = wanted
            items.append((bullet or number).group(1))
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            out.append(f"<p class=\"lnb-mdh\"><strong>{inline(heading.group(2))}</strong></p>")
            continue
        if items and line.startswith((" ", "\t")):
            items[-1] += " " + line.strip()  # a wrapped list item
            continue
        if items:
            flush()
        para.append(line)
    flush()


def to_html(text: str) -> str:
    """Markdown subset to HTML; the input is escaped before any rule runs."""
    escaped = html.escape(text, quote=False)
    out: list[str] = []
    start = 0
    if "```" in escaped:
        for match in _FENCE.finditer(escaped):
            _blocks(escaped[start:match.start()], out)
            out.append(f"<pre class=\"lnb-code\">{match.group(1).rstrip(chr(10))}</pre>")
            start = match.end()
    _blocks(escaped[start:], out)
    return "".join(out)
