"""``MemoryEditor``: an agent's core memory blocks, editable, saved with a conflict check, following a chat.

The state and behaviour are a :class:`letta_nb.state.MemoryModel` (``editor.model``, one
:class:`letta_nb.state.BlockModel` per block); these views draw it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import ipywidgets as widgets
import letta_client
from traitlets import link

from ..display.model import Bar, Chip, Diff, Node, Para, Span
from ..state import BlockModel, MemoryModel
from ._common import banner, forward, markup, note, part, show_error, style
from .snapshot import Snapshotted


@forward("model", "label", "block_id", "limit", "read_only", "description", "value", "base", "dirty", "theirs",
         "changed", "load", "mark")
class BlockEditor(widgets.VBox):
    """One block (a :class:`BlockModel`, ``.model``): its text, a counter against the limit, what the agent changed,
    and a conflict to resolve."""

    text_area = part("_area", "The block's text (a Textarea), which is also ``value``; disabled when read-only.")
    counter_view = part("_counter", "Characters used against the block's limit (HTML).")
    diff_view = part("_diff", "What the agent changed in the last turn (HTML, hidden when nothing did).")
    server_view = part("_theirs", "In a conflict, the server's version of the block (HTML).")

    def __init__(self, model: BlockModel, resolve: Callable[[str, Literal["mine", "theirs"]], object]) -> None:
        self.model = model
        self._head = widgets.HTML()
        self._area = widgets.Textarea(layout=widgets.Layout(width="100%"))
        self._counter = widgets.HTML()
        self._diff = widgets.HTML(layout=widgets.Layout(display="none"))
        self._theirs = widgets.HTML()
        keep = widgets.Button(description="Keep mine", icon="user", tooltip="overwrite the server's version with yours")
        take = widgets.Button(description="Take theirs", icon="download", tooltip="drop your edits, use the server's version")
        keep.on_click(lambda _b: resolve(model.label, "mine"))
        take.on_click(lambda _b: resolve(model.label, "theirs"))
        self._conflict = widgets.VBox([self._theirs, widgets.HBox([keep, take])], layout=widgets.Layout(display="none"))
        super().__init__(children=[self._head, self._area, self._counter, self._diff, self._conflict])
        self.add_class("lnb-w-block")
        link((model, "value"), (self._area, "value"))
        model.observe(self._draw, ["value", "base", "dirty", "theirs", "changed", "change", "limit", "read_only",
                                   "label", "description"])
        self._draw()

    def _head_node(self) -> Node:
        m = self.model
        chips: list = [Chip(text, tone, flag=True) for text, tone, on in (
            ("read-only", "muted", m.read_only), ("unsaved", "accent", m.dirty),
            ("changed by the agent", "warn", m.changed), ("conflict", "error", m.theirs is not None)) if on]
        return Para([Span(m.label, mono=True), Span(" "), *chips, *([Span(" " + m.description, "muted")] if m.description else [])])

    def _draw(self, _change: Any = None) -> None:
        m = self.model
        self._head.value = markup(self._head_node())
        self._area.disabled = m.read_only
        self._area.rows = min(12, max(2, m.value.count("\n") + 2, len(m.value) // 90 + 1))
        self._counter.value = markup(Bar(len(m.value), m.limit))
        self._diff.value = (markup(note("changed by the agent in the last turn")) + markup(Diff(m.change.lines))
                            if m.change is not None else "")
        self._diff.layout.display = "block" if m.change is not None else "none"
        if m.theirs is not None:
            self._theirs.value = (markup(note("The block changed on the server since you loaded it. Server version:"))
                                  + f'<div class="lnb-w-theirs">{markup(Para([Span(m.theirs)]))}</div>')
        self._conflict.layout.display = "flex" if m.theirs is not None else "none"
        for css, on in (("lnb-w-changed", m.changed), ("lnb-w-conflict", m.theirs is not None)):
            (self.add_class if on else self.remove_class)(css)


@forward("model", "agent_id", "error", "conflicts", "changed", "status", "refresh", "sync", "save", "resolve", "follow")
class MemoryEditor(Snapshotted, widgets.VBox):
    """Every core memory block of an agent, editable. Save checks each edited block against the server first.

    ``follow=chat`` (a :class:`ChatWidget`) refreshes after each of its turns and highlights what the agent changed.
    From code: edit ``editor.editors["human"].value``, then :meth:`save` (returns what happened per block),
    :meth:`resolve` a conflict, :meth:`refresh`. The state is ``editor.model`` (a :class:`MemoryModel`).
    """

    def __init__(self, client: letta_client.Letta, agent_id: str, *, follow: Any = None) -> None:
        self.model = MemoryModel(client, agent_id)
        self.editors: dict[str, BlockEditor] = {}
        self._banner = banner()
        self._status = widgets.HTML()
        self._blocks = widgets.VBox()
        refresh = widgets.Button(description="Refresh", icon="refresh", layout=widgets.Layout(width="auto"))
        save = widgets.Button(description="Save", icon="save", button_style="primary", layout=widgets.Layout(width="auto"))
        refresh.on_click(lambda _b: self.model.refresh())
        save.on_click(lambda _b: self.model.save())
        title = widgets.HTML('<span class="lnb-w-title">Core memory</span>', layout=widgets.Layout(flex="1 1 auto"))
        header = widgets.HBox([title, refresh, save], layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        super().__init__(children=[style(), header, self._banner, self._status, self._blocks])
        self.add_class("lnb-w")
        self.add_class("lnb-w-memory")
        self.model.observe(lambda change: show_error(self._banner, change["new"]), "error")
        self.model.observe(lambda change: setattr(self._status, "value", markup(note(change["new"]))), "status")
        self.model.observe(self._draw_blocks, "blocks")
        self.model.refresh()
        if follow is not None:
            self.model.follow(follow)

    def __repr__(self) -> str:
        return f"MemoryEditor({self.model!r})"

    def _draw_blocks(self, _change: Any = None) -> None:
        editors = {}
        for label, model in self.model.blocks.items():
            editor = self.editors.get(label)
            editors[label] = editor if editor is not None and editor.model is model else BlockEditor(model, self.model.resolve)
        self.editors = editors
        self._blocks.children = list(editors.values())
