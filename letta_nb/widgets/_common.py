"""What every widget view shares: the stylesheet, the error banner, and markup written by letta_nb.display's HTML
sink from display nodes (so escaping happens in one place), plus :func:`forward` for reaching a model's state and
:func:`part` for the child widgets a person uses, which code and tests may use too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from ..display.dispatch import Ctx
from ..display.html import STYLE, to_html
from ..display.messages import entry
from ..display.model import Node, Para, Span
from ..words import shorten

# Layout for the widgets themselves; messages, cards and diffs use letta_nb.display's stylesheet (STYLE).
WIDGET_CSS = """
.lnb-w{font-family:var(--jp-ui-font-family,system-ui,sans-serif);font-size:var(--jp-ui-font-size1,13px)}
.lnb-w-title{font-weight:600}
.lnb-w-muted{color:var(--jp-ui-font-color2,#656d76);font-size:.92em}
.lnb-w-scroll{display:flex;flex-direction:column-reverse;max-height:440px;overflow-y:auto}
.lnb-w-empty{color:var(--jp-ui-font-color2,#656d76);font-style:italic;padding:6px 2px}
.lnb-w-banner{border-left:4px solid var(--jp-error-color1,#d32f2f);padding:6px 10px;border-radius:0 4px 4px 0;
background:color-mix(in srgb,var(--jp-error-color1,#d32f2f) 10%,transparent);color:var(--jp-ui-font-color1,#1f2328);
white-space:pre-wrap}
.lnb-w-block{border:1px solid var(--jp-border-color2,#d8dee4);border-radius:6px;padding:6px 8px;margin:4px 0}
.lnb-w-changed{border-color:var(--jp-warn-color1,#e65100);
box-shadow:0 0 0 2px color-mix(in srgb,var(--jp-warn-color1,#e65100) 35%,transparent)}
.lnb-w-conflict{border-color:var(--jp-error-color1,#d32f2f);
box-shadow:0 0 0 2px color-mix(in srgb,var(--jp-error-color1,#d32f2f) 35%,transparent)}
.lnb-w-theirs{font-family:var(--jp-code-font-family,monospace);white-space:pre-wrap;word-break:break-word;
background:var(--jp-layout-color2,#f3f4f6);border-radius:4px;padding:4px 8px;max-height:180px;overflow:auto}
.lnb-w-call{border-left:3px solid var(--jp-warn-color1,#e65100);padding:4px 8px;margin:4px 0}
"""


def style() -> widgets.HTML:
    """A zero-height widget carrying both stylesheets, so a widget looks right wherever it is displayed."""
    return widgets.HTML(STYLE + "<style>" + WIDGET_CSS.replace("\n", "") + "</style>",
                        layout=widgets.Layout(height="0px", margin="0", overflow="hidden"))


def banner() -> widgets.HTML:
    view = widgets.HTML(layout=widgets.Layout(display="none", margin="4px 0"))
    view.add_class("lnb-w")
    return view


def markup(node: Node) -> str:
    """A node as HTML without the stylesheet (the widget's style() carries it once)."""
    return to_html(node, style=False)


def show_error(view: widgets.HTML, message: str) -> None:
    """Fill the banner with ``message`` (a LettaNbError's text names the fix), or hide it when empty."""
    view.value = f'<div class="lnb-w-banner">{markup(Para([Span("✗ " + message)]))}</div>' if message else ""
    view.layout.display = "block" if message else "none"


def title(text: str) -> str:
    return f'<div class="lnb-w-title">{markup(Para([Span(shorten(text, 60, one_line=True))]))}</div>'


def note(text: str) -> Node:
    return Para([Span(text, "muted")], "note")


_CTX = Ctx()


def fragment(message: Any) -> str:
    """One message as display HTML."""
    return markup(entry(message, _CTX))


def part(attribute: str, doc: str) -> property:
    """A read-only property for the child widget ``self.<attribute>``: the box, button or view a person uses, named
    for code and tests (which then drive the widget as a person would) without reaching into its privates."""
    return property(lambda self: getattr(self, attribute), doc=doc)


def forward(model: str, *names: str) -> Callable[[type], type]:
    """Class decorator for a view: each of ``names`` reads (and, for a trait, writes) that attribute of
    ``self.<model>``, so the widget keeps the API its model has."""

    def install(cls: type) -> type:
        for name in names:
            def get(self, _name=name):
                return getattr(getattr(self, model), _name)

            def put(self, value, _name=name):
                setattr(getattr(self, model), _name, value)

            setattr(cls, name, property(get, put, doc=f"``{model}.{name}``"))
        return cls

    return install
