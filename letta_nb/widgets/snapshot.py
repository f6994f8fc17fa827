"""A static HTML picture of a widget tree, stored next to the live view in a widget's output.

A saved notebook keeps a widget's output as a view reference that only a running kernel can draw, so GitHub, nbviewer
and the docs site showed one line of text (``ChatWidget(agent ..., 48 messages)``). With this picture in the same
output as ``text/html``, they show the chat, the memory blocks or the tabs as they were; JupyterLab, which ranks the
widget view first, still draws the live widget.

The picture is built from what the widgets already hold: an ``HTML`` widget's value is markup written by
letta_nb.display's HTML sink (escaped there), and every other value is escaped here.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets


def _hidden(widget: Any) -> bool:
    return getattr(getattr(widget, "layout", None), "display", None) == "none"


def _box(widget: widgets.Box) -> str:
    row = isinstance(widget, widgets.HBox)
    style = "display:flex;gap:8px;align-items:flex-start" if row else "display:flex;flex-direction:column;gap:4px"
    # each child keeps its flex, so a workspace's chat and tabs keep their side-by-side proportions
    parts = [f'<div style="flex:{getattr(c.layout, "flex", None) or "0 1 auto"};min-width:0">{static_html(c)}</div>'
             if row else static_html(c) for c in widget.children if not _hidden(c)]
    return f'<div style="{style}">{"".join(parts)}</div>'


def _tabs(widget: widgets.Tab) -> str:
    """Every tab, each under its title: a picture cannot be clicked, so nothing may hide behind a closed tab."""
    parts = []
    for index, child in enumerate(widget.children):
        title = html.escape(widget.get_title(index) or f"tab {index + 1}")
        parts.append(f'<details{" open" if index == (widget.selected_index or 0) else ""}><summary>'
                     f'<b>{title}</b></summary>{static_html(child)}</details>')
    return "".join(parts)


def static_html(widget: Any) -> str:
    """The widget and its children as static HTML (controls drawn disabled, hidden ones left out)."""
    if _hidden(widget):
        return ""
    if isinstance(widget, widgets.Tab):
        return _tabs(widget)
    if isinstance(widget, widgets.Box):
        return _box(widget)
    if isinstance(widget, widgets.HTML):
        return widget.value
    if isinstance(widget, widgets.Password):  # never a secret in a saved notebook, not even its length
        return '<div><input disabled value="(hidden)"></div>'
    if isinstance(widget, widgets.Textarea):
        return (f'<pre style="white-space:pre-wrap;border:1px solid #ccc;padding:4px;margin:2px 0">'
                f"{html.escape(widget.value)}</pre>")
    if isinstance(widget, widgets.Text):
        label = f"{html.escape(widget.description)} " if widget.description else ""
        shown = html.escape(widget.value or widget.placeholder)
        return f'<div>{label}<input disabled style="width:90%" value="{shown}"></div>'
    if isinstance(widget, widgets.Button):
        return f"<button disabled>{html.escape(widget.description)}</button>"
    if isinstance(widget, widgets.Dropdown):
        return f"<select disabled><option>{html.escape(str(widget.label or ''))}</option></select>"
    return f"<div>({html.escape(type(widget).__name__)})</div>"  # not repr(): it would print the widget's value


class Snapshotted:
    """Mixin for a widget class: its output also carries :func:`static_html` of itself as ``text/html``."""

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]  # a mixin: the widget class after it in the MRO has it
        if bundle:
            bundle["text/html"] = f'<div class="lnb-w lnb-w-snapshot">{static_html(self)}</div>'
        return bundle
