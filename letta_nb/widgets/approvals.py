"""``ApprovalPanel``: a person answers the agent's pending tool calls (approve, deny with a reason, run here)."""

from __future__ import annotations

import json
import threading
from html import escape
from typing import Callable

import ipywidgets as widgets
from traitlets import Bool, Dict, List

from ..client_tools import Call, Decision, Toolbox
from ..errors import LettaNbError
from ._common import banner, show_error, style

Batch = list[tuple[Call, Decision]]
_KIND_NOTE = {"client": "runs only here (a client-side tool)",
              "registered": "runs here, or on the server if you approve it",
              "server": "a server tool: approve it to let the server run it"}


class ApprovalPanel(widgets.VBox):
    """Shows each pending call with Approve / Run here / Deny (+ reason); hands the decisions on once all are made.

    ``auto=True`` runs the toolbox's functions without asking; calls to other tools still wait for a person.
    Drive it from code with :meth:`approve`, :meth:`run_locally` and :meth:`deny` (``tool_call_id=None``: every
    undecided call).
    """

    pending = List(help="the Calls waiting for an answer")
    decisions = Dict(help="tool_call_id -> Decision, for the pending calls decided so far")
    history = List(help="(Call, Decision) pairs, every decision made in this panel")
    auto = Bool(False, help="run the toolbox's functions without asking")

    def __init__(self, tools=None, *, auto: bool = False) -> None:
        self.tools = Toolbox.of(tools)
        self._callback: Callable[[Batch], None] | None = None
        self._lock = threading.RLock()
        self._banner = banner()
        self._title = widgets.HTML()
        self._rows = widgets.VBox()
        super().__init__(children=[style(), self._title, self._banner, self._rows], auto=auto)
        self.add_class("lnb-w")
        self.layout.display = "none"

    def __repr__(self) -> str:
        mode = "auto" if self.auto else "ask"
        return f"ApprovalPanel({len(self.tools)} local tools, {len(self.pending)} pending, {mode})"

    # ---------------------------------------------------------------------------------------------- flow
    def ask(self, calls: list[Call], callback: Callable[[Batch], None]) -> Batch | None:
        """Put ``calls`` up for decision. Returns the decisions at once when ``auto`` settles all of them; otherwise
        returns None and calls ``callback(decisions)`` when the last one is made."""
        with self._lock:
            decided = {c.tool_call_id: Decision.run() for c in calls if self.auto and self.tools.kind(c.name) != "server"}
            if len(decided) == len(calls):
                batch = [(c, decided[c.tool_call_id]) for c in calls]
                self.history = [*self.history, *batch]
                return batch
            self._callback = callback
            self.decisions = decided
            self.pending = list(calls)
            self._draw()
            return None

    def decide(self, tool_call_id: str, decision: Decision) -> None:
        with self._lock:
            call = next((c for c in self.pending if c.tool_call_id == tool_call_id), None)
            if call is None:
                raise LettaNbError(f"No pending tool call {tool_call_id!r}; pending: {[c.tool_call_id for c in self.pending]}.")
            kind = self.tools.kind(call.name)
            if decision.action == "run" and kind == "server":
                raise LettaNbError(f"{call.name} has no local function to run: approve or deny it, or add the function "
                                   "to the tools of this panel.")
            if decision.action == "approve" and kind == "client":
                raise LettaNbError(f"{call.name} exists only here (client_tools): the server cannot run it. Run it here "
                                   "or deny it.")
            self.decisions = {**self.decisions, tool_call_id: decision}
            if len(self.decisions) < len(self.pending):
                self._draw()
                return
            batch = [(c, self.decisions[c.tool_call_id]) for c in self.pending]
            callback, self._callback = self._callback, None
            self.history = [*self.history, *batch]
            self.pending, self.decisions = [], {}
            self._draw()
        if callback is not None:
            callback(batch)

    def _targets(self, tool_call_id: str | None) -> list[str]:
        if tool_call_id is not None:
            return [tool_call_id]
        return [c.tool_call_id for c in self.pending if c.tool_call_id not in self.decisions]

    def approve(self, tool_call_id: str | None = None) -> None:
        """Let the server run the call (a registered or server tool)."""
        for call_id in self._targets(tool_call_id):
            self.decide(call_id, Decision.approve())

    def run_locally(self, tool_call_id: str | None = None) -> None:
        """Run the local function here and send its result (stdout and stderr included) to the agent."""
        for call_id in self._targets(tool_call_id):
            self.decide(call_id, Decision.run())

    def deny(self, tool_call_id: str | None = None, reason: str = "") -> None:
        """Refuse the call; the model reads ``reason``."""
        for call_id in self._targets(tool_call_id):
            self.decide(call_id, Decision.deny(reason))

    def clear(self) -> None:
        """Forget the pending calls without answering them (the agent stays blocked until someone does)."""
        with self._lock:
            self._callback, self.pending, self.decisions = None, [], {}
            self._draw()

    # ------------------------------------------------------------------------------------------------ view
    def _click(self, call_id: str, decision: Callable[[], Decision]) -> Callable:
        def handler(_button) -> None:
            try:
                self.decide(call_id, decision())
                show_error(self._banner, "")
            except LettaNbError as exc:
                show_error(self._banner, str(exc))
        return handler

    def _row(self, call: Call) -> widgets.Widget:
        try:
            args = json.dumps(call.args, ensure_ascii=False, indent=2)
        except ValueError:
            args = call.arguments
        kind = self.tools.kind(call.name)
        head = widgets.HTML(f'<div class="lnb"><span class="lnb-mono lnb-t-tool">{escape(call.name)}</span> '
                            f'<span class="lnb-note">{escape(_KIND_NOTE[kind])}</span>'
                            f'<pre class="lnb-pre">{escape(args)}</pre></div>')
        decided = self.decisions.get(call.tool_call_id)
        if decided is not None:
            note = {"run": "will run here", "approve": "approved", "deny": "denied"}[decided.action]
            return widgets.VBox([head, widgets.HTML(f'<span class="lnb-w-muted">{note}; waiting for the other calls</span>')])
        approve = widgets.Button(description="Approve", icon="check", tooltip="the server runs the tool",
                                 disabled=kind == "client")
        run = widgets.Button(description="Run here", icon="play", button_style="success",
                             tooltip="run it in this kernel and send the result", disabled=kind == "server")
        reason = widgets.Text(placeholder="reason (the agent reads it)", layout=widgets.Layout(width="260px"))
        deny = widgets.Button(description="Deny", icon="times", button_style="danger")
        approve.on_click(self._click(call.tool_call_id, Decision.approve))
        run.on_click(self._click(call.tool_call_id, Decision.run))
        deny.on_click(self._click(call.tool_call_id, lambda: Decision.deny(reason.value.strip())))
        row = widgets.VBox([head, widgets.HBox([run, approve, deny, reason])])
        row.add_class("lnb-w-call")
        return row

    def _draw(self) -> None:
        count = len(self.pending)
        self._title.value = (f'<span class="lnb-w-title">The agent asks to run {count} tool call{"s" * (count != 1)}</span>'
                             if count else "")
        self._rows.children = [self._row(c) for c in self.pending]
        self.layout.display = "flex" if count else "none"
