"""Approvals: the calls a paused turn waits on, the decisions about them, and who decides (a policy).

The server's shapes are built here and nowhere else: :func:`pending_calls` reads the calls out of approval requests,
:func:`approval_item` writes the answer to one call, :func:`approval_message` wraps the answers into the request
that carries them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, Protocol


@dataclass(frozen=True)
class Call:
    """One tool call waiting for an answer."""

    tool_call_id: str
    name: str
    arguments: str = ""

    @property
    def args(self) -> dict:
        """The arguments as a dict (raises ValueError when the model sent invalid JSON)."""
        value = json.loads(self.arguments) if self.arguments.strip() else {}
        if not isinstance(value, dict):
            raise ValueError(f"arguments must be a JSON object, got {type(value).__name__}")
        return value


@dataclass(frozen=True)
class Decision:
    """What to do with one call: ``Decision.run()``, ``Decision.approve()`` or ``Decision.deny(reason)``."""

    action: Literal["run", "approve", "deny"]
    reason: str = ""

    @classmethod
    def run(cls) -> Decision:
        return cls("run")

    @classmethod
    def approve(cls) -> Decision:
        return cls("approve")

    @classmethod
    def deny(cls, reason: str = "") -> Decision:
        return cls("deny", reason)


@dataclass(frozen=True)
class ToolResult:
    """A local run: what goes back to the agent."""

    tool_return: str
    status: Literal["success", "error"]
    stdout: list[str]
    stderr: list[str]


Batch = list[tuple[Call, Decision]]


def pending_calls(messages: Iterable[Any]) -> list[Call]:
    """The tool calls of the approval requests among ``messages`` (one request may hold several calls)."""
    calls: dict[str, Call] = {}
    for message in messages:
        if getattr(message, "message_type", None) != "approval_request_message":
            continue
        many = getattr(message, "tool_calls", None)
        for call in many if isinstance(many, list) and many else [message.tool_call]:
            if call is not None and call.tool_call_id:
                calls[call.tool_call_id] = Call(call.tool_call_id, call.name or "", call.arguments or "")
    return list(calls.values())


def approval_item(call: Call, decision: Decision, result: ToolResult | None = None) -> dict:
    """The answer to one call: ``{"type": "tool", ...}`` with the ``result`` of running it here (``Decision.run()``),
    else ``{"type": "approval", "approve": ...}`` (a denial with its reason, when there is one)."""
    if decision.action == "run":
        if result is None:
            raise ValueError(f"Decision.run() for {call.name} needs the result of running it")
        return {"type": "tool", "tool_call_id": call.tool_call_id, "tool_return": result.tool_return,
                "status": result.status, "stdout": result.stdout, "stderr": result.stderr}
    item: dict[str, Any] = {"type": "approval", "tool_call_id": call.tool_call_id, "approve": decision.action == "approve"}
    if decision.action == "deny" and decision.reason:
        item["reason"] = decision.reason
    return item


def approval_message(answers: list[dict]) -> dict:
    """The request that carries the answers (``{"type": "approval"|"tool", "tool_call_id": ..., ...}``) to the agent."""
    return {"type": "approval", "approvals": answers}


class Policy(Protocol):
    """Who answers a paused turn. ``tools`` (a :class:`letta_nb.client_tools.Toolbox`) offers its functions with every
    request (``request_options()``) and turns a decision into the item sent (``answer(call, decision)``, running the
    function for ``Decision.run()``). :meth:`ask` returns the decisions at once, or None when they come later: then it
    calls ``resume(decisions)`` (a person clicking in :class:`letta_nb.state.ApprovalQueue`)."""

    tools: Any

    def ask(self, calls: list[Call], resume: Callable[[Batch], None]) -> Batch | None: ...


class Automatic:
    """Decides every call at once with ``decide(call)``; by default ``tools.auto``: run the toolbox's own functions,
    deny the rest with a reason, so that the agent never stays blocked."""

    def __init__(self, tools: Any, decide: Callable[[Call], Decision] | None = None) -> None:
        self.tools = tools
        self.decide = decide or tools.auto

    def ask(self, calls: list[Call], resume: Callable[[Batch], None]) -> Batch:
        return [(call, self.decide(call)) for call in calls]
