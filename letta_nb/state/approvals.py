"""``ApprovalQueue``: the agent's pending tool calls and the decisions made about them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from traitlets import Bool, Dict, HasTraits, List

from ..client_tools import Call, Decision, Toolbox
from ..errors import LettaNbError
from ..turns import Batch


class ApprovalQueue(HasTraits):
    """Calls wait in ``pending`` until each has a decision; then the whole batch goes to the callback of :meth:`ask`.
    A :class:`letta_nb.turns.Policy` that decides later: the chat plays its turns with it.

    ``auto=True`` runs the toolbox's functions without asking; calls to other tools still wait for a person.
    :meth:`approve`, :meth:`run_locally` and :meth:`deny` decide one call (``tool_call_id``) or every undecided one.
    """

    pending: List[Call] = List(help="the Calls waiting for an answer")
    decisions = Dict(help="tool_call_id -> Decision, for the pending calls decided so far")
    history: List[tuple[Call, Decision]] = List(help="(Call, Decision) pairs, every decision made here")
    auto = Bool(False, help="run the toolbox's functions without asking")

    def __init__(self, tools: Any = None, *, auto: bool = False) -> None:
        super().__init__(auto=auto)
        self.tools = Toolbox.of(tools)
        self._callback: Callable[[Batch], None] | None = None
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        mode = "auto" if self.auto else "ask"
        return f"{len(self.tools)} local tools, {len(self.pending)} pending, {mode}"

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
            with self.hold_trait_notifications():
                self.decisions = decided
                self.pending = list(calls)
            return None

    def check(self, call: Call, decision: Decision) -> None:
        """Raise :class:`LettaNbError` when ``decision`` cannot work for ``call`` (where its tool can run)."""
        kind = self.tools.kind(call.name)
        if decision.action == "run" and kind == "server":
            raise LettaNbError(f"{call.name} has no local function to run: approve or deny it, or add the function "
                               "to the tools of this panel.")
        if decision.action == "approve" and kind == "client":
            raise LettaNbError(f"{call.name} exists only here (client_tools): the server cannot run it. Run it here "
                               "or deny it.")

    def decide(self, tool_call_id: str, decision: Decision) -> None:
        with self._lock:
            call = next((c for c in self.pending if c.tool_call_id == tool_call_id), None)
            if call is None:
                raise LettaNbError(f"No pending tool call {tool_call_id!r}; pending: {[c.tool_call_id for c in self.pending]}.")
            self.check(call, decision)
            decisions = {**self.decisions, tool_call_id: decision}
            if len(decisions) < len(self.pending):
                self.decisions = decisions
                return
            batch = [(c, decisions[c.tool_call_id]) for c in self.pending]
            callback, self._callback = self._callback, None
            with self.hold_trait_notifications():
                self.history = [*self.history, *batch]
                self.pending, self.decisions = [], {}
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
            self._callback = None
            with self.hold_trait_notifications():
                self.pending, self.decisions = [], {}
