"""Transcripts: LettaResponse, message pages and lists, stream chunk lists, one message. Dispatch on ``message_type``.

Every message becomes one :class:`Entry`. Unknown types still render (their fields as JSON), so a newer server
never breaks a notebook. Token streams (many chunks per message) are assembled first with :mod:`letta_nb.stream`.
Which class each builder draws: :mod:`.registry`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from letta_client.types.agents import (
    ApprovalRequestMessage,
    ApprovalResponseMessage,
    AssistantMessage,
    EventMessage,
    HiddenReasoningMessage,
    ReasoningMessage,
    SummaryMessage,
    SystemMessage,
    ToolCallMessage,
    UserMessage,
)
from letta_client.types.agents.letta_response import LettaResponse
from letta_client.types.agents.letta_streaming_response import (
    LettaErrorMessage,
    LettaPing,
    LettaStopReason,
    LettaUsageStatistics,
)
from letta_client.types.tool_return_message import ToolReturnMessage

from ..content import text_of
from ..turns import Transcript, collect
from ..words import plural, shorten
from .dispatch import Ctx, json_block, message_kind
from .model import Card, Chip, Code, Details, Entry, Group, Markdown, Node, Para, Span
from .shapes import ErrorShape, StopReasonShape, ToolCallShape, ToolReturnShape, UsageShape

MESSAGE_TYPES = (UserMessage, AssistantMessage, ReasoningMessage, HiddenReasoningMessage, ToolCallMessage,
                 ToolReturnMessage, ApprovalRequestMessage, ApprovalResponseMessage, SystemMessage, SummaryMessage,
                 EventMessage, LettaErrorMessage, LettaPing, LettaStopReason, LettaUsageStatistics)
# Tool-call arguments up to this long stay on one line in text; longer ones are pretty-printed.
INLINE_ARGS = 160
_STREAM_ONLY = {"ping", "stop_reason", "usage_statistics"}
_STOP_TONES = {"end_turn": "ok", "requires_approval": "warn", "max_steps": "warn", "cancelled": "warn",
               "no_tool_call": "warn", "tool_rule": "ok"}


def _prose(text: str, ctx: Ctx) -> Markdown:
    return Markdown(text, limit=ctx.opts.max_chars, lines=ctx.opts.max_lines)


def _code(text: str, ctx: Ctx) -> Code:
    return Code(text, limit=ctx.opts.max_chars, lines=ctx.opts.max_lines)


def _parse_args(arguments: str | None) -> Any:
    try:
        return json.loads(arguments) if arguments else {}
    except ValueError:
        return None


def _call(call: ToolCallShape | None, ctx: Ctx) -> tuple[list, list[Node]]:
    """Head and body for one tool call: ``name(args)`` on one line when short; pretty JSON behind a <details>."""
    name = getattr(call, "name", None) or "?"
    raw = getattr(call, "arguments", None) or ""
    parsed = _parse_args(raw)
    compact = json.dumps(parsed, ensure_ascii=False) if parsed is not None else raw
    pretty = json.dumps(parsed, ensure_ascii=False, indent=2) if parsed is not None else raw
    short = len(compact) <= INLINE_ARGS and "\n" not in compact
    head: list = [Span(name, "tool", mono=True)]
    if short:
        head.append(Span(f"({compact})", mono=True, only="text"))
    else:
        head.append(Span("(", mono=True, only="text"))
    preview = shorten(compact, 90)
    body: list[Node] = [Details([Span(preview, "muted", mono=True)], [_code(pretty, ctx)], only="html")]
    if not short:
        body.append(Group([_code(pretty, ctx), Para([Span(")", mono=True)])], only="text"))
    return head, body


def tool_calls_of(msg: Any) -> list[ToolCallShape]:
    calls = getattr(msg, "tool_calls", None)
    if isinstance(calls, list) and len(calls) > 1:
        return calls
    call = getattr(msg, "tool_call", None)
    return [call] if call is not None else (calls if isinstance(calls, list) else [])


def _status(status: str | None) -> list:
    status = status or "unknown"
    tone = "ok" if status == "success" else "error" if status == "error" else "muted"
    return [Span(f"[{status}]", tone, only="text"), Chip(status, tone, only="html")]


def _output(label: str, lines: list[str] | None, ctx: Ctx) -> Node | None:
    text = "".join(lines or []).rstrip("\n")
    if not text:
        return None
    return Details([Span(label, "muted")], [_code(text, ctx)])


# ----------------------------------------------------------------------------------------- message entries
def _user(msg: Any, ctx: Ctx) -> Node:
    text = text_of(getattr(msg, "content", ""))
    event = _wrapped_event(text)
    if event is not None:
        return Entry("event", "muted", [Para([Span(event, "muted")])])
    return Entry("user", "user", [_prose(text, ctx)])


def _wrapped_event(text: str) -> str | None:
    """Older agents wrap heartbeats, logins and alerts as JSON user messages; show their kind and reason only."""
    if not text.startswith("{") or '"type"' not in text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("type") not in {"heartbeat", "login", "system_alert", "user_message"}:
        return None
    if data["type"] == "user_message":
        return None
    detail = data.get("reason") or data.get("message") or ""
    return f"{data['type']}: {detail}".rstrip(": ")


def _assistant(msg: Any, ctx: Ctx) -> Node:
    return Entry("assistant", "assistant", [_prose(text_of(getattr(msg, "content", "")), ctx)])


def _reasoning(msg: Any, ctx: Ctx) -> Node:
    text = getattr(msg, "reasoning", None) or ""
    preview = shorten(text, 80, one_line=True)
    # Collapsed in HTML with a one-line preview as the summary; in text the summary is empty, so the body shows.
    return Entry("reasoning", "reasoning", [Details([Span(preview, "muted", only="html")], [_prose(text, ctx)])])


def _hidden_reasoning(msg: Any, ctx: Ctx) -> Node:
    state = getattr(msg, "state", None) or "hidden"
    hidden = getattr(msg, "hidden_reasoning", None)
    note = f"{state}" + (f", {len(hidden):,} chars" if hidden else "")
    return Entry("reasoning", "reasoning", [Para([Span(f"(hidden: {note})", "muted")])])


def _tool_call(msg: Any, ctx: Ctx) -> Node:
    calls = tool_calls_of(msg)
    if len(calls) <= 1:
        head, body = _call(calls[0] if calls else None, ctx)
        return Entry("tool call", "tool", body, head=head)
    return Group([Entry("tool call", "tool", body, head=head) for head, body in (_call(c, ctx) for c in calls)])


def _tool_return(msg: Any, ctx: Ctx) -> Node:
    returns = getattr(msg, "tool_returns", None)
    if isinstance(returns, list) and len(returns) > 1:
        return Group([_one_return(r, getattr(msg, "name", None), ctx) for r in returns])
    return _one_return(msg, getattr(msg, "name", None), ctx)


def _one_return(ret: ToolReturnShape, name: str | None, ctx: Ctx) -> Node:
    value = getattr(ret, "tool_return", "")
    text = value if isinstance(value, str) else text_of(value)
    head = _status(getattr(ret, "status", None)) + ([Span(f" {name}", "tool", mono=True)] if name else [])
    body: list[Node] = [_code(text, ctx)] if text else []
    for label, lines in (("stdout", getattr(ret, "stdout", None)), ("stderr", getattr(ret, "stderr", None))):
        node = _output(label, lines, ctx)
        if node is not None:
            body.append(node)
    return Entry("tool return", "tool", body, head=head)


def _approval_request(msg: Any, ctx: Ctx) -> Node:
    entries = []
    calls: list[ToolCallShape] | list[None] = tool_calls_of(msg) or [None]
    for call in calls:
        head, body = _call(call, ctx)
        entries.append(Entry("approval", "approval", body, head=[Span("requested: ", "warn")] + head))
    return entries[0] if len(entries) == 1 else Group(entries)


def _approval_response(msg: Any, ctx: Ctx) -> Node:
    approvals = getattr(msg, "approvals", None) or []
    if not approvals and getattr(msg, "approve", None) is not None:
        approvals = [msg]
    entries = []
    for item in approvals:
        if getattr(item, "type", None) == "tool" or hasattr(item, "tool_return"):
            head = [Span("client-side result ", "muted")] + _status(getattr(item, "status", None))
            value = getattr(item, "tool_return", "")
            body = [_code(value if isinstance(value, str) else text_of(value), ctx)]
            entries.append(Entry("approval", "approval", body, head=head))
            continue
        approved = bool(getattr(item, "approve", False))
        head = [Span("approved", "ok") if approved else Span("denied", "error")]
        reason = getattr(item, "reason", None)
        if reason:
            head.append(Span(f": {reason}"))
        entries.append(Entry("approval", "approval", [], head=head))
    if not entries:
        return Entry("approval", "approval", [Para([Span("(empty response)", "muted")])])
    return entries[0] if len(entries) == 1 else Group(entries)


def _system(msg: Any, ctx: Ctx) -> Node:
    text = text_of(getattr(msg, "content", ""))
    lines = text.count("\n") + 1
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    first = shorten(first, 80)
    summary = [Span(first, "muted", mono=True), Span(f" … ({lines:,} lines)", "muted")]
    return Entry("system", "system", [Details(summary, [_code(text, ctx)], only="html"), Para(summary, only="text")])


def _summary(msg: Any, ctx: Ctx) -> Node:
    stats = getattr(msg, "compaction_stats", None)
    head = [Span("conversation summary", "muted")]
    if stats is not None:
        head.append(Span(f" ({stats.messages_count_before} → {stats.messages_count_after} messages)", "muted"))
    return Entry("summary", "system", [_prose(getattr(msg, "summary", "") or "", ctx)], head=head)


def _event(msg: Any, ctx: Ctx) -> Node:
    kind = getattr(msg, "event_type", None) or "event"
    data = getattr(msg, "event_data", None) or {}
    return Entry("event", "muted", [Details([Span("data", "muted")], [json_block(data, ctx)])] if data else [],
                 head=[Span(str(kind))])


def _error(msg: ErrorShape, ctx: Ctx) -> Node:
    body: list[Node] = [Para([Span(getattr(msg, "message", None) or "error")])]
    detail = getattr(msg, "detail", None)
    if detail:
        body.append(_code(str(detail), ctx))
    return Entry("error", "error", body, head=[Span(getattr(msg, "error_type", None) or "error", "error")])


def _ping(msg: Any, ctx: Ctx) -> Node:
    return Entry("ping", "muted", [Para([Span("keep-alive", "muted")])])


def stop_reason_node(reason: StopReasonShape | str) -> Node:
    value = getattr(reason, "stop_reason", reason)
    tone = _STOP_TONES.get(str(value), "error")
    return Para([Span("stop reason: ", "muted"), Chip(str(value), tone, only="html"), Span(str(value), tone, only="text")])


def usage_node(usage: UsageShape) -> Node:
    steps = getattr(usage, "step_count", None)
    parts = []
    if steps is not None:
        parts.append(plural(steps, "step"))
    total = getattr(usage, "total_tokens", None)
    if total is not None:
        detail = [f"{n:,} {label}" for label, n in (("prompt", getattr(usage, "prompt_tokens", None)),
                                                    ("completion", getattr(usage, "completion_tokens", None)),
                                                    ("cached", getattr(usage, "cached_input_tokens", None)),
                                                    ("reasoning", getattr(usage, "reasoning_tokens", None))) if n]
        parts.append(f"{total:,} tokens" + (f" ({', '.join(detail)})" if detail else ""))
    return Para([Span("usage: ", "muted"), Span(" · ".join(parts) or "not reported")])


def _unknown(msg: Any, ctx: Ctx) -> Node:
    data = msg.model_dump(mode="json", exclude_none=True) if hasattr(msg, "model_dump") else dict(msg)
    for key in ("id", "date", "otid", "run_id", "step_id", "seq_id", "message_type", "sender_id"):
        data.pop(key, None)
    return Entry(message_kind(msg) or type(msg).__name__, "muted", [json_block(data, ctx)])


_ENTRIES: dict[str, Callable[[Any, Ctx], Node]] = {
    "user_message": _user, "assistant_message": _assistant, "reasoning_message": _reasoning,
    "hidden_reasoning_message": _hidden_reasoning, "tool_call_message": _tool_call,
    "tool_return_message": _tool_return, "approval_request_message": _approval_request,
    "approval_response_message": _approval_response, "system_message": _system, "summary_message": _summary,
    "event_message": _event, "error_message": _error, "ping": _ping,
    "stop_reason": lambda m, ctx: stop_reason_node(m), "usage_statistics": lambda m, ctx: usage_node(m),
}


def entry(msg: Any, ctx: Ctx) -> Node:
    return _ENTRIES.get(message_kind(msg) or "", _unknown)(msg, ctx)


# ------------------------------------------------------------------------------------------- transcripts
def needs_assembly(items: list) -> bool:
    """A token stream sends many chunks with the same (id, message_type); a message list never does."""
    seen = set()
    for item in items:
        key = (getattr(item, "id", None), message_kind(item))
        if key[0] is not None and key in seen:
            return True
        seen.add(key)
    return False


def transcript(items: list, ctx: Ctx, *, stop_reason: StopReasonShape | str | None = None,
               usage: UsageShape | None = None, title: str | None = None) -> Node:
    """Entries in order, then the stop reason and usage (taken from stream chunks when they are in the list)."""
    if needs_assembly(items):
        assembled = collect(items)
        items, stop_reason, usage = assembled.messages, assembled.stop_reason or stop_reason, assembled.usage or usage
    entries: list[Node] = []
    for item in items:
        kind = message_kind(item)
        if kind in _STREAM_ONLY and len(items) > 1:
            if kind == "stop_reason":
                stop_reason = item
            elif kind == "usage_statistics":
                usage = item
            continue
        entries.append(entry(item, ctx))
    body: list[Node] = [Group(entries, log=True)]
    if stop_reason is not None:
        body.append(stop_reason_node(stop_reason))
    if usage is not None:
        body.append(usage_node(usage))
    if title is None and len(body) == 1 and len(entries) == 1:
        return body[0]  # one message: no card around it
    return Card("transcript", [Span(title or plural(len(entries), "message"))], body)


def message_card(obj: Any, ctx: Ctx) -> Node:
    return transcript([obj], ctx)


def response_card(obj: LettaResponse, ctx: Ctx) -> Node:
    return transcript(list(obj.messages), ctx, stop_reason=obj.stop_reason, usage=obj.usage,
                      title=f"response · {plural(len(obj.messages), 'message')}")


def is_message(item: Any) -> bool:
    return message_kind(item) is not None


def message_list_card(items: list, ctx: Ctx) -> Node:
    node = transcript(items, ctx)
    if not isinstance(node, Card):
        node = Card("transcript", [Span("1 message")], [node])
    return node


def streamed_card(obj: Transcript, ctx: Ctx) -> Node:
    return transcript(list(obj.messages), ctx, stop_reason=obj.stop_reason, usage=obj.usage,
                      title=f"streamed response · {plural(len(obj.messages), 'message')}")
