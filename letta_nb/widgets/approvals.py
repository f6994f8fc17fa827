"""``ApprovalPanel``: a person answers the agent's pending tool calls (approve, deny with a reason, run here).

The state and behaviour are a :class:`letta_nb.state.ApprovalQueue` (``panel.queue``); this view draws its pending
calls and turns clicks into decisions.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from ..client_tools import Call, Decision
from ..display.model import Code, Para, Span
from ..errors import LettaNbError
from ..state import ApprovalQueue
from ..words import plural
from ._common import banner, forward, markup, note, part, show_error, style, title
from .snapshot import Snapshotted

_KIND_NOTE = {"client": "runs only here (a client-side tool)",
              "registered": "runs here, or on the server if you approve it",
              "server": "a server tool: approve it to let the server run it"}
_DONE_NOTE = {"run": "will run here", "approve": "approved", "deny": "denied"}


@forward("queue", "pending", "decisions", "history", "auto", "tools", "ask", "decide", "approve", "run_locally", "deny",
         "clear")
class ApprovalPanel(Snapshotted, widgets.VBox):
    """Shows each pending call with Approve / Run here / Deny (+ reason); hands the decisions on once all are made.

    ``auto=True`` runs the toolbox's functions without asking; calls to other tools still wait for a person.
    Drive it from code with :meth:`approve`, :meth:`run_locally` and :meth:`deny` (``tool_call_id=None``: every
    undecided call).
    """

    call_rows = part("_rows", "One row per pending call: its name and arguments, then Run here, Approve, Deny and the "
                              "reason box (or what was decided).")

    def __init__(self, tools: Any = None, *, auto: bool = False) -> None:
        self.queue = ApprovalQueue(tools, auto=auto)
        self._banner = banner()
        self._title = widgets.HTML()
        self._rows = widgets.VBox()
        super().__init__(children=[style(), self._title, self._banner, self._rows])
        self.add_class("lnb-w")
        self.layout.display = "none"
        self.queue.observe(self._draw, ["pending", "decisions"])

    def __repr__(self) -> str:
        return f"ApprovalPanel({self.queue!r})"

    def _click(self, call_id: str, decision: Callable[[], Decision]) -> Callable:
        def handler(_button) -> None:
            try:
                self.queue.decide(call_id, decision())
                show_error(self._banner, "")
            except LettaNbError as exc:
                show_error(self._banner, str(exc))
        return handler

    def _row(self, call: Call) -> widgets.Widget:
        try:
            args = json.dumps(call.args, ensure_ascii=False, indent=2)
        except ValueError:
            args = call.arguments
        kind = self.queue.tools.kind(call.name)
        head = widgets.HTML(markup(Para([Span(call.name, "tool", mono=True), Span(" "), Span(_KIND_NOTE[kind], "muted")]))
                            + markup(Code(args, "json")))
        decided = self.queue.decisions.get(call.tool_call_id)
        if decided is not None:
            return widgets.VBox([head, widgets.HTML(markup(note(f"{_DONE_NOTE[decided.action]}; waiting for the other calls")))])
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

    def _draw(self, _change: Any = None) -> None:
        count = len(self.queue.pending)
        self._title.value = title(f"The agent asks to run {plural(count, 'tool call')}") if count else ""
        self._rows.children = [self._row(c) for c in self.queue.pending]
        self.layout.display = "flex" if count else "none"
