"""``MemoryEditor``: an agent's core memory blocks, editable, saved with a conflict check, following a chat."""

from __future__ import annotations

from html import escape
from typing import Any, Callable, Literal

import ipywidgets as widgets
import letta_client
from traitlets import Bool, Dict, Int, List, Unicode, link

from ..display import memory_diff
from ..display.html import to_html
from ..display.model import Bar, Diff
from ..errors import explain
from ._common import banner, show_error, style

SaveResult = Literal["saved", "conflict", "too long", "read-only", "unchanged"]


class BlockEditor(widgets.VBox):
    """One block: its text, a counter against the limit, what the agent changed, and a conflict to resolve."""

    label = Unicode()
    block_id = Unicode()
    limit = Int(None, allow_none=True)
    read_only = Bool(False)
    description = Unicode()
    value = Unicode(help="the text in the editor")
    base = Unicode(help="the server's value when last loaded or saved")
    dirty = Bool(False, help="value differs from base: unsaved edits")
    theirs = Unicode(None, allow_none=True, help="the server's newer value while in conflict, else None")
    changed = Bool(False, help="the agent changed this block in the last turn")

    def __init__(self, block: Any, resolve: Callable[[str, str], Any]) -> None:
        self._head = widgets.HTML()
        self._area = widgets.Textarea(layout=widgets.Layout(width="100%"))
        self._counter = widgets.HTML()
        self._diff = widgets.HTML(layout=widgets.Layout(display="none"))
        self._theirs = widgets.HTML()
        keep = widgets.Button(description="Keep mine", icon="user", tooltip="overwrite the server's version with yours")
        take = widgets.Button(description="Take theirs", icon="download", tooltip="drop your edits, use the server's version")
        keep.on_click(lambda _b: resolve(self.label, "mine"))
        take.on_click(lambda _b: resolve(self.label, "theirs"))
        self._conflict = widgets.VBox([self._theirs, widgets.HBox([keep, take])], layout=widgets.Layout(display="none"))
        super().__init__(children=[self._head, self._area, self._counter, self._diff, self._conflict])
        self.add_class("lnb-w-block")
        link((self, "value"), (self._area, "value"))
        self.observe(self._update, ["value", "base", "theirs", "changed", "limit", "read_only"])
        self.load(block)

    def load(self, block: Any) -> None:
        """Take the server's block as both the text and the base (drops local edits and any conflict)."""
        with self.hold_trait_notifications():
            self.label, self.block_id = block.label or "", block.id or ""
            self.limit, self.read_only = block.limit, bool(block.read_only)
            self.description = block.description or ""
            self.base = self.value = block.value or ""
            self.theirs = None
        self._update()

    def mark(self, change: Any | None) -> None:
        """Highlight the agent's change (a display.diff BlockChange), or clear the highlight (None)."""
        self.changed = change is not None
        self._diff.value = (f'<div class="lnb"><div class="lnb-note">changed by the agent in the last turn</div>'
                            f'{to_html(Diff(change.lines), style=False)}</div>' if change is not None else "")
        self._diff.layout.display = "block" if change is not None else "none"

    def _update(self, _change: Any = None) -> None:
        self.dirty = self.value != self.base
        chips = "".join(f' <span class="lnb-chip lnb-t-{tone}">{text}</span>' for text, tone, on in (
            ("read-only", "muted", self.read_only), ("unsaved", "accent", self.dirty),
            ("changed by the agent", "warn", self.changed), ("conflict", "error", self.theirs is not None)) if on)
        note = f' <span class="lnb-note">{escape(self.description)}</span>' if self.description else ""
        self._head.value = f'<div class="lnb"><span class="lnb-mono lnb-w-title">{escape(self.label)}</span>{chips}{note}</div>'
        self._area.disabled = self.read_only
        self._area.rows = min(12, max(2, self.value.count("\n") + 2, len(self.value) // 90 + 1))
        self._counter.value = to_html(Bar(len(self.value), self.limit), style=False)
        if self.theirs is not None:
            self._theirs.value = ('<div class="lnb"><div class="lnb-note">The block changed on the server since you loaded '
                                  f'it. Server version:</div><div class="lnb-w-theirs">{escape(self.theirs)}</div></div>')
        self._conflict.layout.display = "flex" if self.theirs is not None else "none"
        for css, on in (("lnb-w-changed", self.changed), ("lnb-w-conflict", self.theirs is not None)):
            (self.add_class if on else self.remove_class)(css)


class MemoryEditor(widgets.VBox):
    """Every core memory block of an agent, editable. Save checks each edited block against the server first.

    ``follow=chat`` (a :class:`ChatWidget`) refreshes after each of its turns and highlights what the agent changed.
    From code: edit ``editor.editors["human"].value``, then :meth:`save` (returns what happened per block),
    :meth:`resolve` a conflict, :meth:`refresh`.
    """

    agent_id = Unicode()
    error = Unicode(help="the error shown in the banner ('' when none)")
    conflicts = Dict(help="label -> {'mine': ..., 'theirs': ...} for each block in conflict")
    changed = List(help="labels of the blocks the agent changed in the last turn")
    status = Unicode(help="what the last action did, in a sentence")

    def __init__(self, client: letta_client.Letta, agent_id: str, *, follow: Any = None) -> None:
        self.client = client
        self.editors: dict[str, BlockEditor] = {}
        self._banner = banner()
        self._status = widgets.HTML()
        self._blocks = widgets.VBox()
        refresh = widgets.Button(description="Refresh", icon="refresh", layout=widgets.Layout(width="auto"))
        save = widgets.Button(description="Save", icon="save", button_style="primary", layout=widgets.Layout(width="auto"))
        refresh.on_click(lambda _b: self.refresh())
        save.on_click(lambda _b: self.save())
        title = widgets.HTML('<span class="lnb-w-title">Core memory</span>', layout=widgets.Layout(flex="1 1 auto"))
        header = widgets.HBox([title, refresh, save], layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        super().__init__(children=[style(), header, self._banner, self._status, self._blocks], agent_id=agent_id)
        self.add_class("lnb-w")
        self.add_class("lnb-w-memory")
        self.observe(lambda change: show_error(self._banner, change["new"]), "error")
        self.observe(lambda change: setattr(self._status, "value", f'<span class="lnb-w-muted">{escape(change["new"])}</span>'),
                     "status")
        self.refresh()
        if follow is not None:
            self.follow(follow)

    def __repr__(self) -> str:
        labels = ", ".join(self.editors) or "none"
        extra = f", {len(self.conflicts)} in conflict" if self.conflicts else ""
        extra += f", changed: {', '.join(self.changed)}" if self.changed else ""
        return f"MemoryEditor({len(self.editors)} blocks: {labels}{extra})"

    def follow(self, chat: Any) -> None:
        """Refresh after each turn of ``chat`` and highlight the blocks the agent changed."""
        chat.on_turn(lambda _chat: self.sync())

    # ------------------------------------------------------------------------------------------- loading
    def _fetch(self) -> list | None:
        try:
            return sorted(self.client.agents.blocks.list(agent_id=self.agent_id), key=lambda b: b.label or "")
        except letta_client.APIError as exc:
            self.error = str(explain(exc))
            return None

    def refresh(self) -> None:
        """Reload every block. Unsaved edits stay; a block that changed on the server meanwhile goes into conflict."""
        blocks = self._fetch()
        if blocks is not None:
            self._apply(blocks, highlight=False)
            self.status = f"loaded {len(blocks)} blocks"

    def sync(self) -> None:
        """Reload after a chat turn, highlighting (with a diff) each block the agent changed."""
        blocks = self._fetch()
        if blocks is not None:
            self._apply(blocks, highlight=True)
            self.status = f"the agent changed {', '.join(self.changed)}" if self.changed else "the agent changed nothing"

    def _apply(self, blocks: list, *, highlight: bool) -> None:
        before = {label: editor.base for label, editor in self.editors.items()}
        diff = memory_diff(before, {b.label or "": b.value or "" for b in blocks})
        editors: dict[str, BlockEditor] = {}
        for block in blocks:
            label = block.label or ""
            editor = self.editors.get(label)
            if editor is None:
                editor = BlockEditor(block, self.resolve)
            elif (block.value or "") != editor.base and editor.dirty and editor.value != (block.value or ""):
                editor.theirs = block.value or ""
            elif (block.value or "") != editor.base or not editor.dirty:
                editor.load(block)
            editors[label] = editor
            change = diff[label]
            editor.mark(change if highlight and change.status != "unchanged" else None)
        self.editors = editors
        self.error = ""
        self.changed = [label for label, editor in editors.items() if editor.changed]
        self._blocks.children = list(editors.values())
        self._update_conflicts()

    def _update_conflicts(self) -> None:
        self.conflicts = {label: {"mine": e.value, "theirs": e.theirs} for label, e in self.editors.items()
                          if e.theirs is not None}

    # -------------------------------------------------------------------------------------------- saving
    def save(self, labels: list[str] | None = None) -> dict[str, SaveResult]:
        """Write each edited block, unless the server's copy changed since it was loaded: then that block goes into
        conflict (both versions shown, nothing written) until :meth:`resolve`. A block over its limit (as the server
        has it now) is not written: the server would accept it, and the agent would then see a block over its limit.
        Nothing unsaved is ever dropped: the text stays in its box until it is saved or you take the server's.

        The check and the write are two requests (the API has no conditional update): an edit landing between them
        is overwritten.
        """
        results: dict[str, SaveResult] = {}
        try:
            for label, editor in self.editors.items():
                if labels is not None and label not in labels:
                    continue
                if not editor.dirty or editor.theirs is not None:
                    results[label] = "conflict" if editor.theirs is not None else "unchanged"
                    continue
                if editor.read_only:
                    results[label] = "read-only"
                    continue
                if editor.limit and len(editor.value) > editor.limit:
                    results[label] = "too long"
                    continue
                block = self.client.blocks.retrieve(editor.block_id)
                current = block.value or ""
                if block.limit != editor.limit:  # the limit changed on the server since loading: check the new one
                    editor.limit = block.limit
                    if editor.limit and len(editor.value) > editor.limit:
                        results[label] = "too long"
                        continue
                if current not in (editor.base, editor.value):
                    editor.theirs = current
                    results[label] = "conflict"
                    continue
                self.client.blocks.update(editor.block_id, value=editor.value)
                editor.base = editor.value
                results[label] = "saved"
        except letta_client.APIError as exc:
            self.error = str(explain(exc))
        else:
            self.error = self._problems(results)
        self._update_conflicts()
        self.status = "; ".join(f"{label}: {result}" for label, result in results.items() if result != "unchanged") \
            or "nothing to save"
        return results

    def _problems(self, results: dict[str, SaveResult]) -> str:
        too_long = [f"{label} ({len(self.editors[label].value):,} / {self.editors[label].limit:,} chars)"
                    for label, result in results.items() if result == "too long"]
        if too_long:
            return (f"Not saved, over the block's limit: {', '.join(too_long)}. Shorten the text, or raise the limit "
                    "with client.blocks.update(block_id, limit=...).")
        if any(result == "conflict" for result in results.values()):
            return "A block changed on the server since you loaded it: choose Keep mine or Take theirs below it."
        return ""

    def resolve(self, label: str, keep: Literal["mine", "theirs"]) -> SaveResult | None:
        """End a conflict: ``"mine"`` saves your text over the server's, ``"theirs"`` takes the server's text."""
        editor = self.editors[label]
        if editor.theirs is None:
            return None
        theirs, editor.theirs = editor.theirs, None
        if keep == "theirs":
            editor.base = editor.value = theirs
            self._update_conflicts()
            self.error, self.status = "", f"{label}: took the server's version"
            return "unchanged"
        if keep != "mine":
            raise ValueError("keep must be 'mine' or 'theirs'")
        editor.base = theirs  # what you have now seen; save() still catches an edit made after this
        return self.save([label]).get(label)
