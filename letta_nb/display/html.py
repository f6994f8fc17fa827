"""HTML sink: static, self-contained markup (no script), every text escaped, themed by JupyterLab's CSS variables.

Each output carries the same ``<style>`` block, scoped under ``.lnb`` with ``lnb-`` class names, so an output is
self-contained (a saved notebook, nbviewer, GitHub) and identical across runs: no random ids, no clock.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from . import markdown
from .model import (
    EXPAND_CHARS,
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

# Every colour goes through a --lnb-* variable that falls back from JupyterLab's theme variable to a light default,
# so one stylesheet follows the light and dark themes (and plain HTML viewers get the light one).
CSS = """
.lnb{--lnb-fg:var(--jp-ui-font-color1,#1f2328);--lnb-muted:var(--jp-ui-font-color2,#656d76);
--lnb-bg:var(--jp-layout-color1,#ffffff);--lnb-bg2:var(--jp-layout-color2,#f3f4f6);
--lnb-border:var(--jp-border-color2,#d8dee4);--lnb-accent:var(--jp-brand-color1,#1976d2);
--lnb-ok:var(--jp-success-color1,#2e7d32);--lnb-warn:var(--jp-warn-color1,#e65100);
--lnb-error:var(--jp-error-color1,#d32f2f);--lnb-info:var(--jp-info-color1,#0288d1);
--lnb-violet:#8e24aa;--lnb-violet:color-mix(in srgb,#ab47bc 70%,var(--lnb-fg));
--lnb-mono:var(--jp-code-font-family,ui-monospace,SFMono-Regular,Menlo,Consolas,monospace);
font-family:var(--jp-ui-font-family,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);
font-size:var(--jp-ui-font-size1,13px);line-height:1.45;color:var(--lnb-fg);max-width:960px}
.lnb *{box-sizing:border-box}
.lnb p{margin:0 0 .35em}.lnb p:last-child{margin-bottom:0}
.lnb ul,.lnb ol{margin:.1em 0 .35em;padding-left:1.6em}
.lnb code{font-family:var(--lnb-mono);font-size:.92em;background:var(--lnb-bg2);border-radius:3px;padding:0 .25em}
.lnb-card{border:1px solid var(--lnb-border);border-radius:6px;background:var(--lnb-bg);padding:8px 12px;margin:4px 0}
.lnb-card .lnb-card{margin:6px 0}
.lnb-title{font-weight:600;font-size:1.08em;margin-bottom:4px;display:flex;flex-wrap:wrap;gap:6px;align-items:baseline}
.lnb-kind{font-weight:600;font-size:.78em;text-transform:uppercase;letter-spacing:.04em;color:var(--lnb-muted)}
.lnb-section{margin-top:8px}
.lnb-h{font-weight:600;font-size:.8em;text-transform:uppercase;letter-spacing:.04em;color:var(--lnb-muted);
border-bottom:1px solid var(--lnb-border);padding-bottom:2px;margin-bottom:4px;display:flex;flex-wrap:wrap;gap:6px}
.lnb-kv{border-collapse:collapse;margin:0}
.lnb-kv td{padding:1px 12px 1px 0;vertical-align:top;text-align:left;border:0;background:none}
.lnb-kv td:first-child{color:var(--lnb-muted);white-space:nowrap}
.lnb-chip{display:inline-block;border:1px solid var(--lnb-border);border-radius:10px;padding:0 7px;margin:1px 2px 1px 0;
font-size:.9em;white-space:nowrap;background:var(--lnb-bg2)}
.lnb-chip small{color:var(--lnb-muted);margin-left:4px}
.lnb-id{font-family:var(--lnb-mono);font-size:.85em;color:var(--lnb-muted);user-select:all;display:inline-block;
max-width:15ch;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;vertical-align:bottom;cursor:copy}
.lnb-mono{font-family:var(--lnb-mono);font-size:.92em}
.lnb-t-muted{color:var(--lnb-muted)}.lnb-t-accent,.lnb-t-user{color:var(--lnb-accent)}
.lnb-t-ok,.lnb-t-assistant{color:var(--lnb-ok)}.lnb-t-warn,.lnb-t-approval{color:var(--lnb-warn)}
.lnb-t-error{color:var(--lnb-error)}.lnb-t-tool{color:var(--lnb-info)}.lnb-t-reasoning,.lnb-t-system{color:var(--lnb-violet)}
.lnb-chip.lnb-t-ok{border-color:var(--lnb-ok)}.lnb-chip.lnb-t-warn{border-color:var(--lnb-warn)}
.lnb-chip.lnb-t-error{border-color:var(--lnb-error)}.lnb-chip.lnb-t-accent{border-color:var(--lnb-accent)}
.lnb-bar{display:flex;align-items:center;gap:8px;font-size:.88em;color:var(--lnb-muted)}
.lnb-track{flex:0 0 160px;height:6px;border-radius:3px;background:var(--lnb-bg2);border:1px solid var(--lnb-border);overflow:hidden}
.lnb-fill{height:100%;background:var(--lnb-ok)}
.lnb-bar.lnb-t-warn .lnb-fill{background:var(--lnb-warn)}.lnb-bar.lnb-t-error .lnb-fill{background:var(--lnb-error)}
.lnb-bar.lnb-t-warn,.lnb-bar.lnb-t-error{font-weight:600}
.lnb-bar.lnb-t-warn span{color:var(--lnb-warn)}.lnb-bar.lnb-t-error span{color:var(--lnb-error)}
.lnb-stack{margin:4px 0}.lnb-strack{display:flex;height:12px;border-radius:3px;background:var(--lnb-bg2);
border:1px solid var(--lnb-border);overflow:hidden;max-width:640px}
.lnb-seg{height:100%;min-width:2px}
.lnb-legend{display:flex;flex-wrap:wrap;gap:2px 14px;font-size:.88em;color:var(--lnb-muted);margin-top:3px}
.lnb-legend i{display:inline-block;width:9px;height:9px;border-radius:2px;margin-right:4px}
.lnb-s0{background:var(--lnb-accent)}.lnb-s1{background:var(--lnb-violet)}.lnb-s2{background:var(--lnb-ok)}
.lnb-s3{background:var(--lnb-warn)}.lnb-s4{background:var(--lnb-info)}.lnb-s5{background:#00897b}
.lnb-s6{background:#8d6e63}.lnb-s7{background:var(--lnb-muted)}
.lnb-tl{display:grid;grid-template-columns:auto minmax(160px,480px) auto;gap:2px 8px;align-items:center;font-size:.88em;
margin:4px 0}
.lnb-tl-track{position:relative;height:10px;background:var(--lnb-bg2);border-radius:2px}
.lnb-tl-track .lnb-seg{position:absolute;top:0}
.lnb-pre,.lnb-code{font-family:var(--lnb-mono);font-size:.9em;white-space:pre-wrap;word-break:break-word;margin:2px 0;
padding:4px 8px;background:var(--lnb-bg2);border-radius:4px;max-height:420px;overflow:auto}
.lnb-md{white-space:normal;word-break:break-word}
.lnb-more{margin:2px 0}.lnb-more>summary{color:var(--lnb-accent);font-size:.88em}
.lnb-note{color:var(--lnb-muted);font-size:.88em;font-style:italic}
.lnb details>summary{cursor:pointer}
.lnb-det>summary{color:var(--lnb-muted)}
.lnb-table{border-collapse:collapse;font-size:.95em;margin:2px 0}
.lnb-table th{font-weight:600;text-align:left;color:var(--lnb-muted);border-bottom:1px solid var(--lnb-border);
padding:2px 10px 2px 0;background:none}
.lnb-table td{text-align:left;vertical-align:top;padding:2px 10px 2px 0;border-bottom:1px solid var(--lnb-bg2);background:none}
.lnb-table tr:nth-child(even) td{background:none}
.lnb-items{margin:0;padding-left:1.8em}.lnb-items li{margin:1px 0}
.lnb-log{display:flex;flex-direction:column;gap:3px}
.lnb-entry{display:grid;grid-template-columns:110px 1fr;gap:8px;border-left:3px solid var(--lnb-border);padding:3px 8px;
border-radius:0 4px 4px 0}
.lnb-entry>.lnb-role{font-weight:600;font-size:.85em;padding-top:1px;overflow-wrap:anywhere}
.lnb-entry>.lnb-body{min-width:0}
.lnb-e-user{border-left-color:var(--lnb-accent);background:color-mix(in srgb,var(--lnb-accent) 7%,transparent)}
.lnb-e-assistant{border-left-color:var(--lnb-ok)}
.lnb-e-reasoning,.lnb-e-system{border-left-color:var(--lnb-violet)}
.lnb-e-tool{border-left-color:var(--lnb-info)}
.lnb-e-approval{border-left-color:var(--lnb-warn);background:color-mix(in srgb,var(--lnb-warn) 8%,transparent)}
.lnb-e-error{border-left-color:var(--lnb-error);background:color-mix(in srgb,var(--lnb-error) 8%,transparent)}
.lnb-e-muted{border-left-color:var(--lnb-border)}
.lnb-diff{font-family:var(--lnb-mono);font-size:.9em;white-space:pre-wrap;word-break:break-word;margin:2px 0;
border-radius:4px;overflow:hidden;background:var(--lnb-bg2)}
.lnb-diff div{padding:0 8px}
.lnb-d-add{background:color-mix(in srgb,var(--lnb-ok) 16%,transparent)}
.lnb-d-del{background:color-mix(in srgb,var(--lnb-error) 16%,transparent)}
.lnb-d-ctx{color:var(--lnb-muted)}
"""
STYLE = "<style>" + CSS.replace("\n", "") + "</style>"


def _esc(text: str) -> str:
    return escape(text, quote=True)


def _tone(tone: str | None) -> str:
    return f" lnb-t-{tone}" if tone else ""


class _Writer:
    """Writes into one list of strings (joined once at the end: linear in the output size)."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.w = self.out.append

    def inlines(self, items) -> None:
        w = self.w
        for item in items:
            if item is None or item.only == "text":
                continue
            kind = type(item)
            if kind is Span:
                classes = ("lnb-mono" if item.mono else "") + _tone(item.tone)
                w(f'<span class="{classes.strip()}">{_esc(item.text)}</span>' if classes else _esc(item.text))
            elif kind is Chip:
                note = f"<small>{_esc(item.note)}</small>" if item.note else ""
                w(f'<span class="lnb-chip{_tone(item.tone)}">{_esc(item.label)}{note}</span>')
            elif kind is Ident:
                value = _esc(item.value)
                w(f'<code class="lnb-id" title="{value}">{value}</code>')
            else:
                raise TypeError(f"not an inline node: {kind.__name__}")

    def nodes(self, items) -> None:
        for item in items:
            self.node(item)

    def node(self, node: Node) -> None:
        if node.only == "text":
            return
        _WRITERS[type(node)](self, node)

    def long_text(self, text: str, limit: int, lines: int, render: Callable[[str], str], css: str) -> None:
        """A preview, then the rest behind an expander (itself capped at EXPAND_CHARS)."""
        head, rest = cut(text, limit, lines)
        self.w(f'<div class="{css}">{render(head)}</div>' if css == "lnb-md" else f'<pre class="{css}">{render(head)}</pre>')
        if rest:
            shown, dropped = rest[:EXPAND_CHARS], len(rest) - EXPAND_CHARS
            self.w(f'<details class="lnb-more"><summary>… {len(rest):,} more chars</summary>'
                   f'<pre class="lnb-pre">{_esc(shown)}</pre>')
            if dropped > 0:
                self.w(f'<div class="lnb-note">{dropped:,} more chars not shown</div>')
            self.w("</details>")


def _group(wr: _Writer, node: Group) -> None:
    if node.log:
        wr.w('<div class="lnb-log">')
        wr.nodes(node.children)
        wr.w("</div>")
    else:
        wr.nodes(node.children)


def _card(wr: _Writer, node: Card) -> None:
    css_kind = node.kind.replace(" ", "-")  # "search results" must stay one class, inside the lnb- namespace
    wr.w(f'<div class="lnb-card lnb-c-{_esc(css_kind)}"><div class="lnb-title"><span class="lnb-kind">{_esc(node.kind)}</span>')
    wr.inlines(node.title)
    wr.w("</div>")
    wr.nodes(node.body)
    wr.w("</div>")


def _section(wr: _Writer, node: Section) -> None:
    wr.w('<div class="lnb-section"><div class="lnb-h">')
    wr.inlines(node.title)
    wr.w("</div>")
    wr.nodes(node.body)
    wr.w("</div>")


def _fields(wr: _Writer, node: Fields) -> None:
    wr.w('<table class="lnb-kv">')
    for key, value, only in node.rows:
        if only == "text":
            continue
        wr.w(f"<tr><td>{_esc(key)}</td><td>")
        wr.inlines(value)
        wr.w("</td></tr>")
    wr.w("</table>")


def _para(wr: _Writer, node: Para) -> None:
    wr.w(f'<div class="{("lnb-note" if node.tone == "note" else "lnb-p" + _tone(node.tone)).strip()}">')
    wr.inlines(node.inlines)
    wr.w("</div>")


def _bar(wr: _Writer, node: Bar) -> None:
    ratio = node.ratio
    if ratio is None:
        wr.w(f'<div class="lnb-bar lnb-t-muted"><span>{node.used:,} {node.unit}</span></div>')
        return
    width = min(100.0, ratio * 100)
    label = f"{node.used:,} / {node.limit:,} {node.unit} · {ratio:.0%}"
    if node.tone != "ok":
        label += " · over the limit" if ratio > 1 else " · near the limit"
    wr.w(f'<div class="lnb-bar lnb-t-{node.tone}"><div class="lnb-track"><div class="lnb-fill" style="width:{width:.1f}%">'
         f'</div></div><span>{_esc(label)}</span></div>')


PALETTE = 8


def _legend(wr: _Writer, items: list[tuple[int, str]]) -> None:
    wr.w('<div class="lnb-legend">' + "".join(f'<span><i class="lnb-s{i % PALETTE}"></i>{_esc(text)}</span>'
                                              for i, text in items) + "</div>")


def _stacked(wr: _Writer, node: Stacked) -> None:
    used = node.used
    wr.w('<div class="lnb-stack"><div class="lnb-strack">')
    for i, (label, amount) in enumerate(node.parts):
        width = 100 * amount / node.limit if node.limit else 0
        wr.w(f'<div class="lnb-seg lnb-s{i % PALETTE}" style="width:{width:.2f}%" title="{_esc(label)}: {amount:,}"></div>')
    wr.w("</div>")
    share = f" · {used / node.limit:.0%}" if node.limit else ""
    wr.w(f'<div class="lnb-bar"><span>{used:,} / {node.limit:,} {_esc(node.unit)}{share}</span></div>')
    _legend(wr, [(i, f"{label} {amount:,}" + (f" · {amount / used:.0%}" if used else ""))
                 for i, (label, amount) in enumerate(node.parts)])
    wr.w("</div>")


def _timeline(wr: _Writer, node: Timeline) -> None:
    names = node.names
    color = {name: i for i, name in enumerate(names)}
    total = node.total or 1
    wr.w('<div class="lnb-tl">')
    for label, start, parts, note in node.rows:
        wr.w(f'<span>{_esc(label)}</span><div class="lnb-tl-track">')
        at = start
        for name, length in parts:
            wr.w(f'<div class="lnb-seg lnb-s{color[name] % PALETTE}" style="left:{100 * at / total:.2f}%;'
                 f'width:{100 * length / total:.2f}%" title="{_esc(name)}"></div>')
            at += length
        wr.w(f'</div><span class="lnb-mono">{_esc(note)}</span>')
    wr.w("</div>")
    _legend(wr, list(enumerate(names)))


def _code(wr: _Writer, node: Code) -> None:
    wr.long_text(node.text, node.limit, node.lines, _esc, "lnb-pre")


def _markdown(wr: _Writer, node: Markdown) -> None:
    wr.long_text(node.text, node.limit, node.lines, markdown.to_html, "lnb-md")


def _details(wr: _Writer, node: Details) -> None:
    wr.w(f'<details class="lnb-det"{" open" if node.open else ""}><summary>')
    wr.inlines(node.summary)
    wr.w("</summary>")
    wr.nodes(node.body)
    wr.w("</details>")


def _table(wr: _Writer, node: Table) -> None:
    keep = [i for i, only in enumerate(node.only_cols or ()) if only != "text"]
    wr.w('<table class="lnb-table"><thead><tr>' + "".join(f"<th>{_esc(node.columns[i])}</th>" for i in keep) + "</tr></thead><tbody>")
    for row in node.rows:
        wr.w("<tr>")
        for i in keep:
            wr.w("<td>")
            wr.inlines(row[i])
            wr.w("</td>")
        wr.w("</tr>")
    wr.w("</tbody></table>")


def _items(wr: _Writer, node: Items) -> None:
    tag = "ol" if node.ordered else "ul"
    wr.w(f'<{tag} class="lnb-items">')
    for item in node.items:
        wr.w("<li>")
        wr.nodes(item)
        wr.w("</li>")
    wr.w(f"</{tag}>")


def _entry(wr: _Writer, node: Entry) -> None:
    wr.w(f'<div class="lnb-entry lnb-e-{node.tone}"><div class="lnb-role lnb-t-{node.tone}">{_esc(node.label)}</div>'
         '<div class="lnb-body">')
    if node.head:
        wr.w('<div class="lnb-p">')
        wr.inlines(node.head)
        wr.w("</div>")
    wr.nodes(node.body)
    wr.w("</div></div>")


_DIFF_CLASS = {"+": "lnb-d-add", "-": "lnb-d-del", " ": "lnb-d-ctx"}


def _diff(wr: _Writer, node: Diff) -> None:
    wr.w('<div class="lnb-diff">' + "".join(f'<div class="{_DIFF_CLASS[op]}">{op} {_esc(line)}</div>' for op, line in node.lines)
         + "</div>")


# Each writer takes its own node class (the table pairs them); the value type cannot say so, hence Any.
_WRITERS: dict[type[Node], Callable[[_Writer, Any], None]] = {
    Group: _group, Card: _card, Section: _section, Fields: _fields, Para: _para, Bar: _bar, Code: _code,
    Markdown: _markdown, Details: _details, Table: _table, Items: _items, Entry: _entry, Diff: _diff,
    Stacked: _stacked, Timeline: _timeline}


def to_html(node: Node, *, style: bool = True) -> str:
    """The HTML of a node tree, wrapped in the scoped root element (with the stylesheet unless ``style=False``)."""
    wr = _Writer()
    wr.w((STYLE if style else "") + '<div class="lnb">')
    wr.node(node)
    wr.w("</div>")
    return "".join(wr.out)
