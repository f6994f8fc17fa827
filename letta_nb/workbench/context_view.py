"""The node tree of a context window, and of what changed in it since a snapshot.

The compiled prompt always holds the agent's id and the time it was compiled, and tool returns hold times: the text
form gets a copy with those replaced (``<id>``, ``<time>``) so that stored notebook outputs stay the same run to run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from types import SimpleNamespace as NS
from typing import TYPE_CHECKING, Any

from ..display.agents import _signature
from ..display.diff import memory_diff
from ..display.dispatch import Ctx
from ..display.messages import entry
from ..display.model import Card, Chip, Code, Details, Group, Items, Markdown, Node, Para, Span, Stacked, Table
from ..words import plural

if TYPE_CHECKING:
    from .context import Block, Window

_IDS = re.compile(r"\b([a-z]+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_TIMES = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?( [AP]M)?( UTC[+-]\d{4})?")
_IN_PROMPT = {"system", "core_memory", "memory_filesystem", "directories", "tool_usage_rules", "external_memory_summary",
              "summary_memory"}
_SHOWN = ("role", "name", "content", "tool_calls", "tool_returns")  # the fields of a raw message that _as_letta reads
ABSENT = ("This server has no context window route (GET /v1/agents/{id}/context answered 404, as on a Letta that "
          "retired it), so there are no token counts to show; letta_nb.show(client.agents.retrieve(agent_id, "
          "include=['agent.blocks', 'agent.tools'])) shows the same memory and tools without them.")


def redact(text: str) -> str:
    return _TIMES.sub("<time>", _IDS.sub(r"\1-<id>", text))


def _twin(make: Callable[[str], Node], text: str) -> Node:
    """``make(text)``; where ``text`` holds ids or times, in HTML only, with a redacted twin for text/plain."""
    quiet = redact(text)
    if quiet == text:
        return make(text)
    return Group([replace(make(text), only="html"), replace(make(quiet), only="text")])


def _code(ctx: Ctx) -> Callable[[str], Node]:
    return lambda text: Code(text, limit=ctx.opts.max_chars, lines=ctx.opts.max_lines)


def _summary(label: str, tokens: int, *more: str) -> list:
    return [Span(label), Span(" · " + " · ".join((f"{tokens:,} tokens",) + more), "muted")]


# --------------------------------------------------------------------------------------------- the prompt
def _block_card(block: Block, ctx: Ctx) -> Node:
    size = f"{len(block.value):,}" + (f" / {block.limit:,}" if block.limit else "") + " chars"
    return Card("memory block", [Span(block.label), Span(f" {size}", "muted")], [_twin(_code(ctx), block.compiled)])


def prompt_nodes(window: Window, ctx: Ctx) -> list[Node]:
    """The compiled prompt, each memory block cut out of it into a card of its own (so it stands out).

    The blocks come sorted by label, each with the text that follows it up to the next: letta 0.16.8 loads an
    agent's blocks with no ORDER BY, so two identical agents may compile them in different orders.
    """
    code = _code(ctx)

    def text(piece: str) -> list[Node]:
        return [_twin(code, piece.strip("\n"))] if piece.strip() else []

    rest, head = window.prompt, None
    units: list[list[Any]] = []  # [block, the text after it]
    for block in window.blocks:
        at = rest.find(block.compiled)
        if at < 0:
            continue
        if head is None:
            head = rest[:at]
        else:
            units[-1][1] = rest[:at]
        units.append([block, ""])
        rest = rest[at + len(block.compiled):]
    if head is None:
        return text(rest)
    nodes = text(head)
    for block, after in sorted(units, key=lambda unit: unit[0].label):
        nodes += [_block_card(block, ctx)] + text(after)
    return nodes + text(rest)


# ---------------------------------------------------------------------------------------------- messages
def _as_letta(message: dict) -> list[NS]:
    """A raw in-context message as the letta-format messages the transcript builders take."""
    role, content = message.get("role"), [c for c in message.get("content") or [] if isinstance(c, dict)]
    text = "".join(c.get("text") or "" for c in content if c.get("type") == "text")
    if role == "user":
        return [NS(message_type="user_message", content=text)]
    if role == "assistant":
        out = [NS(message_type="reasoning_message", reasoning=c.get("reasoning") or "") for c in content
               if c.get("type") == "reasoning"]
        out += [NS(message_type="hidden_reasoning_message", state="omitted", hidden_reasoning=None) for c in content
                if c.get("type") in ("omitted_reasoning", "redacted_reasoning")]
        if text:
            out.append(NS(message_type="assistant_message", content=text))
        for call in message.get("tool_calls") or []:
            fn = call.get("function") or {}
            out.append(NS(message_type="tool_call_message", tool_calls=None,
                          tool_call=NS(name=fn.get("name"), arguments=fn.get("arguments") or "")))
        return out
    if role == "tool":
        returns = message.get("tool_returns") or [{}]
        return [NS(message_type="tool_return_message", name=message.get("name"), tool_returns=None,
                   tool_return=r.get("func_response") or text, status=r.get("status"), stdout=r.get("stdout"),
                   stderr=r.get("stderr")) for r in returns]
    return [NS(message_type="system_message", content=text)]


def message_nodes(messages: tuple[dict, ...] | list[dict], ctx: Ctx) -> list[Node]:
    nodes = []
    for message in messages:
        loud = [entry(m, ctx) for m in _as_letta(message)]
        raw = json.dumps({key: message.get(key) for key in _SHOWN})  # not the message's own id, which is not shown
        quiet_raw = redact(raw)
        if quiet_raw == raw:
            nodes.extend(loud)
            continue
        quiet = [entry(m, ctx) for m in _as_letta(json.loads(quiet_raw))]
        nodes.extend([replace(n, only="html") for n in loud] + [replace(n, only="text") for n in quiet])
    return nodes


# --------------------------------------------------------------------------------------------- sections
def _tools(window: Window, ctx: Ctx) -> list[Node]:
    rows, folds = [], []
    for schema in sorted(window.tools, key=lambda s: s.get("name", "")):
        signature, params = _signature(schema)
        rows.append([[Span(schema.get("name", "?"), "tool", mono=True)], [Span(signature, mono=True)]])
        body: list[Node] = [Markdown(schema.get("description") or "", limit=ctx.opts.max_chars, lines=ctx.opts.max_lines)]
        if params:
            body.append(Table(["parameter", "type", "required", "description"], params))
        folds.append(Details([Span(schema.get("name", "?"), mono=True)], body, only="html"))
    return [Table(["tool", "signature"], rows, max_cell=72), *folds]


def _other(part, ctx: Ctx) -> Node:
    text = part.text if isinstance(part.text, str) else json.dumps(part.text, ensure_ascii=False, indent=2)
    return Details(_summary(part.label, part.tokens), [_twin(_code(ctx), text)])


def section_nodes(window: Window, ctx: Ctx) -> list[Node]:
    tokens = {p.key: p.tokens for p in window.parts}
    in_prompt = sum(tokens[k] for k in _IN_PROMPT)
    marked = f"{plural(len(window.blocks), 'memory block')} marked"
    nodes: list[Node] = [Details(_summary("system prompt", in_prompt, marked), prompt_nodes(window, ctx))]
    nodes.append(Details(_summary("tool definitions", tokens["functions_definitions"], plural(len(window.tools), "tool")),
                         _tools(window, ctx)))
    if window.rules:
        nodes.append(Details(_summary("tool rules", tokens["tool_usage_rules"], plural(len(window.rules), "rule")),
                             [Items([[Para([Span(rule)])] for rule in window.rules])]))
    nodes.append(Details(_summary("messages", tokens["messages"], plural(len(window.messages), "message")),
                         [Group(message_nodes(window.messages, ctx), log=True)]))
    for part in window.parts:
        if part.key in ("memory_filesystem", "directories", "summary_memory") and part.text:
            nodes.append(_other(part, ctx))
    return nodes


# ---------------------------------------------------------------------------------------------- changes
def _delta(n: int) -> str:
    return f"{n:+,}" if n else "±0"


def change_nodes(before: Window, after: Window, ctx: Ctx) -> list[Node]:
    """What a turn changed: tokens by section, memory blocks (as a diff), tools and rules, messages that came in."""
    old = {p.key: p.tokens for p in before.parts}
    rows = [[[Span(p.label)], [Span(f"{old.get(p.key, 0):,}")], [Span(f"{p.tokens:,}")], [Span(_delta(p.tokens - old.get(p.key, 0)))]]
            for p in after.parts if p.tokens != old.get(p.key, 0)]
    total = f"{before.current:,} → {after.current:,} tokens ({_delta(after.current - before.current)})"
    body: list[Node] = [Para([Span(total)])]
    if rows:
        body.append(Table(["section", "before", "after", "change"], rows))
    diff = memory_diff(before.memory, after.memory)
    body.append(diff.node if diff else Para([Span("memory blocks: unchanged", "muted")]))
    old_tools, new_tools = {t.get("name") for t in before.tools}, {t.get("name") for t in after.tools}
    for names, word, tone in ((new_tools - old_tools, "tools added", "ok"), (old_tools - new_tools, "tools removed", "error")):
        if names:
            body.append(Para([Span(f"{word}: ", "muted"), *(Chip(str(n), tone) for n in sorted(names, key=str))]))
    for rules, word in ((set(after.rules) - set(before.rules), "rule added"), (set(before.rules) - set(after.rules), "rule removed")):
        body.extend(Para([Span(f"{word}: ", "muted"), Span(rule)]) for rule in sorted(rules))
    seen = {m.get("id") for m in before.messages}
    new = [m for m in after.messages if m.get("id") not in seen]
    gone = len(seen - {m.get("id") for m in after.messages})
    if gone:
        body.append(Para([Span(f"{plural(gone, 'message')} left the window (evicted or summarized)", "warn")]))
    if new:
        body.append(Details([Span(f"{plural(len(new), 'new message')}")], [Group(message_nodes(new, ctx), log=True)], open=True))
    return [Card("changes", [Span("since the snapshot")], body)]


# ------------------------------------------------------------------------------------------------ window
def window_node(window: Window, before: Window | None = None, ctx: Ctx | None = None) -> Node:
    ctx = ctx or Ctx()
    parts = [(p.label, p.tokens) for p in window.parts if p.tokens]
    title = [Span(window.agent_name or "agent"), Span(f" {window.current:,} / {window.limit:,} tokens", "muted")]
    body: list[Node] = [Stacked(parts, window.limit)]
    if before is not None:
        body += change_nodes(before, window, ctx)
    body += section_nodes(window, ctx)
    body.append(Para([Span(f"outside the window: {plural(window.archival, 'archival passage')}, "
                           f"{plural(window.recall, 'message')} in recall", "muted")]))
    return Card("context window", title, body)


def absent_node() -> Node:
    return Para([Span(ABSENT)], tone="note")
