"""``MemoryModel``: an agent's core memory blocks, edited locally, saved with a conflict check, following a chat."""

from __future__ import annotations

from typing import Any, Literal

import letta_client
from traitlets import Any as AnyTrait
from traitlets import Bool, Dict, HasTraits, Int, List, Unicode

from ..display import memory_diff
from ..errors import explain

SaveResult = Literal["saved", "conflict", "too long", "read-only", "unchanged"]


class BlockModel(HasTraits):
    """One block: the text being edited (``value``) against the server's (``base``), and a conflict to resolve."""

    label = Unicode()
    block_id = Unicode()
    limit = Int(None, allow_none=True)
    read_only = Bool(False)
    description = Unicode()
    value = Unicode(help="the text being edited")
    base = Unicode(help="the server's value when last loaded or saved")
    dirty = Bool(False, help="value differs from base: unsaved edits")
    theirs = Unicode(None, allow_none=True, help="the server's newer value while in conflict, else None")
    changed = Bool(False, help="the agent changed this block in the last turn")
    change = AnyTrait(None, allow_none=True, help="that change (a display.diff BlockChange), else None")

    def __init__(self, block: Any) -> None:
        super().__init__()
        self.observe(lambda _change: setattr(self, "dirty", self.value != self.base), ["value", "base"])
        self.load(block)

    def load(self, block: Any) -> None:
        """Take the server's block as both the text and the base (drops local edits and any conflict)."""
        with self.hold_trait_notifications():
            self.label, self.block_id = block.label or "", block.id or ""
            self.limit, self.read_only = block.limit, bool(block.read_only)
            self.description = block.description or ""
            self.base = self.value = block.value or ""
            self.theirs = None

    def mark(self, change: Any | None) -> None:
        """Record the agent's change (a display.diff BlockChange), or clear it (None)."""
        with self.hold_trait_notifications():
            self.change = change
            self.changed = change is not None


class MemoryModel(HasTraits):
    """Every core memory block of an agent (``blocks``: label -> :class:`BlockModel`). :meth:`save` checks each
    edited block against the server first; :meth:`follow` a chat to refresh after each turn and record what the agent
    changed."""

    agent_id = Unicode()
    blocks = Dict(help="label -> BlockModel, in label order")
    error = Unicode(help="the error to show ('' when none)")
    conflicts = Dict(help="label -> {'mine': ..., 'theirs': ...} for each block in conflict")
    changed: List[str] = List(help="labels of the blocks the agent changed in the last turn")
    status = Unicode(help="what the last action did, in a sentence")

    def __init__(self, client: letta_client.Letta, agent_id: str) -> None:
        super().__init__(agent_id=agent_id)
        self.client = client

    def __repr__(self) -> str:
        labels = ", ".join(self.blocks) or "none"
        extra = f", {len(self.conflicts)} in conflict" if self.conflicts else ""
        extra += f", changed: {', '.join(self.changed)}" if self.changed else ""
        return f"{len(self.blocks)} blocks: {labels}{extra}"

    def follow(self, chat: Any) -> None:
        """Refresh after each turn of ``chat`` (a ChatSession or ChatWidget) and record the blocks the agent changed."""
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
        """Reload after a chat turn, recording (with a diff) each block the agent changed."""
        blocks = self._fetch()
        if blocks is not None:
            self._apply(blocks, highlight=True)
            self.status = f"the agent changed {', '.join(self.changed)}" if self.changed else "the agent changed nothing"

    def _apply(self, blocks: list, *, highlight: bool) -> None:
        before = {label: model.base for label, model in self.blocks.items()}
        diff = memory_diff(before, {b.label or "": b.value or "" for b in blocks})
        models: dict[str, BlockModel] = {}
        for block in blocks:
            label = block.label or ""
            model = self.blocks.get(label)
            if model is None:
                model = BlockModel(block)
            elif (block.value or "") != model.base and model.dirty and model.value != (block.value or ""):
                model.theirs = block.value or ""
            elif (block.value or "") != model.base or not model.dirty:
                model.load(block)
            models[label] = model
            change = diff[label]
            model.mark(change if highlight and change.status != "unchanged" else None)
        self.blocks = models
        self.error = ""
        self.changed = [label for label, model in models.items() if model.changed]
        self._update_conflicts()

    def _update_conflicts(self) -> None:
        self.conflicts = {label: {"mine": m.value, "theirs": m.theirs} for label, m in self.blocks.items()
                          if m.theirs is not None}

    # -------------------------------------------------------------------------------------------- saving
    def save(self, labels: list[str] | None = None) -> dict[str, SaveResult]:
        """Write each edited block, unless the server's copy changed since it was loaded: then that block goes into
        conflict (both versions kept, nothing written) until :meth:`resolve`. A block over its limit (as the server
        has it now) is not written: the server would accept it, and the agent would then see a block over its limit.
        Nothing unsaved is ever dropped: the text stays until it is saved or you take the server's.

        The check and the write are two requests (the API has no conditional update): an edit landing between them
        is overwritten.
        """
        results: dict[str, SaveResult] = {}
        try:
            for label, model in self.blocks.items():
                if labels is not None and label not in labels:
                    continue
                if not model.dirty or model.theirs is not None:
                    results[label] = "conflict" if model.theirs is not None else "unchanged"
                    continue
                if model.read_only:
                    results[label] = "read-only"
                    continue
                if model.limit and len(model.value) > model.limit:
                    results[label] = "too long"
                    continue
                block = self.client.blocks.retrieve(model.block_id)
                current = block.value or ""
                if block.limit != model.limit:  # the limit changed on the server since loading: check the new one
                    model.limit = block.limit
                    if model.limit and len(model.value) > model.limit:
                        results[label] = "too long"
                        continue
                if current not in (model.base, model.value):
                    model.theirs = current
                    results[label] = "conflict"
                    continue
                self.client.blocks.update(model.block_id, value=model.value)
                model.base = model.value
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
        too_long = [f"{label} ({len(self.blocks[label].value):,} / {self.blocks[label].limit:,} chars)"
                    for label, result in results.items() if result == "too long"]
        if too_long:
            return (f"Not saved, over the block's limit: {', '.join(too_long)}. Shorten the text, or raise the limit "
                    "with client.blocks.update(block_id, limit=...).")
        if any(result == "conflict" for result in results.values()):
            return "A block changed on the server since you loaded it: choose Keep mine or Take theirs below it."
        return ""

    def resolve(self, label: str, keep: Literal["mine", "theirs"]) -> SaveResult | None:
        """End a conflict: ``"mine"`` saves your text over the server's, ``"theirs"`` takes the server's text."""
        model = self.blocks[label]
        if model.theirs is None:
            return None
        if keep not in ("mine", "theirs"):
            raise ValueError("keep must be 'mine' or 'theirs'")
        theirs, model.theirs = model.theirs, None
        if keep == "theirs":
            model.base = model.value = theirs
            self._update_conflicts()
            self.error, self.status = "", f"{label}: took the server's version"
            return "unchanged"
        model.base = theirs  # what you have now seen; save() still catches an edit made after this
        return self.save([label]).get(label)
