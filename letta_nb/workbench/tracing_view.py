"""The node tree of a trace: a row per step, a fold per step, totals, a timeline.

Durations, ids and the timeline (which is nothing but durations) are in HTML only, so a stored notebook's text is
the same every run; token counts and stop reasons come from the deterministic offline model and stay in both.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..display.dispatch import Ctx
from ..display.messages import entry, tool_calls_of
from ..display.model import Card, Chip, Code, Details, Entry, Group, Node, Para, Span, Table, Timeline
from ..words import plural

if TYPE_CHECKING:
    from .tracing import StepTrace, Totals

_STATUS_TONES = {"success": "ok", "completed": "ok", "failed": "error", "cancelled": "warn", "pending": "accent",
                 "running": "accent", "created": "accent"}


def _seconds(ns: int | None) -> str:
    return f"{ns / 1e9:.2f} s" if ns is not None else ""


def _tools(messages: tuple) -> list[str]:
    return [call.name or "?" for m in messages if getattr(m, "message_type", None) == "tool_call_message"
            for call in tool_calls_of(m)]


def _failed(st: StepTrace) -> bool:
    return st.step.status == "failed" or bool(st.step.error_type) or any(
        getattr(m, "message_type", None) == "tool_return_message" and getattr(m, "status", None) == "error"
        for m in st.messages)


def _error(step: Any, ctx: Ctx) -> Node:
    data = step.error_data or {}
    message = data.get("message") or data.get("error") or step.error_type or "error"
    body: list[Node] = [Para([Span(str(message))])]
    detail = data.get("traceback") or {k: v for k, v in data.items() if k not in ("message", "error")}
    if detail:
        text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False, indent=2, default=str)
        body.append(Details([Span("detail", "muted")], [Code(text, limit=ctx.opts.max_chars, lines=ctx.opts.max_lines)]))
    return Entry("error", "error", body, head=[Span(step.error_type or "step failed", "error")])


def _row(i: int, st: StepTrace, ctx: Ctx) -> list[list]:
    step, duration = st.step, ctx.duration(getattr(st.metrics, "step_ns", None))
    status = step.status or "unknown"
    tone = "error" if _failed(st) and status == "success" else _STATUS_TONES.get(status, "muted")
    return [[Span(str(i))], [Span(step.model or step.api_model_handle or "", mono=True)], [duration] if duration else [],
            [Span(f"{step.prompt_tokens or 0:,}")], [Span(f"{step.completion_tokens or 0:,}")],
            [Span(step.stop_reason or "")], [Chip(name, "tool") for name in _tools(st.messages)],
            [Chip("tool error" if status == "success" and tone == "error" else status, tone, flag=True)],
            [ctx.ident(step.id)]]


def _fold(i: int, st: StepTrace, ctx: Ctx) -> Node:
    step = st.step
    summary = [Span(f"step {i}"), Span(f" · {step.prompt_tokens or 0:,} in · {step.completion_tokens or 0:,} out", "muted")]
    tools = _tools(st.messages)
    if tools:
        summary.append(Span(" · " + ", ".join(tools), "tool"))
    if _failed(st):
        summary.append(Span(" · error", "error"))
    body: list[Node] = [entry(m, ctx) for m in st.messages]
    if step.error_type or step.status == "failed":
        body.append(_error(step, ctx))
    if not body:
        body.append(Para([Span("(no messages)", "muted")]))
    return Details(summary, [Group(body, log=True)])


def _timeline(steps: list[StepTrace], ctx: Ctx) -> Node | None:
    """Each step after the one before it (the server records lengths, not start times), split into the model's
    time, the tools' time and the rest (the server's own work)."""
    rows, at = [], 0
    for i, st in enumerate(steps, 1):
        m = st.metrics
        total = getattr(m, "step_ns", None)
        if total is None:
            return None
        model, tools = getattr(m, "llm_request_ns", None) or 0, getattr(m, "tool_execution_ns", None) or 0
        parts = [("model", model), ("tools", tools), ("server", max(0, total - model - tools))]
        rows.append((f"step {i}", at, [p for p in parts if p[1]], _seconds(total)))
        at += total
    return Timeline(rows, at, only=None if ctx.opts.times else "html") if rows else None


def _totals(totals: Totals, usage: Totals | None, ctx: Ctx) -> list[Node]:
    line = [Span("total: ", "muted"), Span(f"{plural(totals.steps, 'step')} · {totals.prompt_tokens:,} input · "
                                           f"{totals.completion_tokens:,} output · {totals.total_tokens:,} tokens")]
    duration = ctx.duration(totals.duration_ns)
    if duration is not None:
        line += [Span(" · ", only=duration.only), duration]
    nodes: list[Node] = [Para(line)]
    if usage is not None and (usage.prompt_tokens, usage.completion_tokens) != (totals.prompt_tokens, totals.completion_tokens):
        nodes.append(Para([Span(f"the run's own usage differs: {usage.prompt_tokens:,} input · "
                                f"{usage.completion_tokens:,} output (a step may not be recorded yet)", "warn")]))
    return nodes


def trace_node(runs: list, steps: list[StepTrace], totals: Totals, usage: Totals | None, ctx: Ctx | None = None) -> Node:
    ctx = ctx or Ctx()
    title: list = [Span(plural(len(steps), "step"))]
    for run in runs:
        title += [Chip(run.status or "unknown", _STATUS_TONES.get(run.status or "", "muted"), flag=True), ctx.ident(run.id)]
    body: list[Node] = []
    still = [run for run in runs if run.status in ("created", "pending", "running")]
    if still:
        body.append(Para([Span("the run is still going: these are its steps so far; trace it again when it ends", "warn")]))
    if steps:
        columns = ["#", "model", "duration", "input", "output", "stop reason", "tools", "status", "id"]
        only = [None, None, None if ctx.opts.times else "html"] + [None] * 5 + [None if ctx.opts.ids else "html"]
        body.append(Table(columns, [_row(i, st, ctx) for i, st in enumerate(steps, 1)], only_cols=only))
    body += _totals(totals, usage, ctx)
    timeline = _timeline(steps, ctx)
    if timeline is not None:
        body.append(timeline)
    body += [_fold(i, st, ctx) for i, st in enumerate(steps, 1)]
    stop = [run.stop_reason for run in runs if run.stop_reason]
    if stop:
        body.append(Para([Span("stop reason: ", "muted"), Span(", ".join(str(s) for s in stop))]))
    return Card("trace", title, body)
