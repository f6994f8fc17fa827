"""Builders for what an agent is made of: the agent itself (and groups of agents), its memory blocks, its tools
and tool rules.

Lists are sorted by name or label where the server gives no meaningful order, so two agents built the same way
render the same text. Which class each builder draws: :mod:`.registry`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from letta_client.types import AgentState, BlockResponse, Tool
from letta_client.types.agent_state import ManagedGroup, Memory, MemoryFileBlock, MultiAgentGroup
from letta_client.types.agents.block import Block
from pydantic import BaseModel

from ..sdk import page_items
from ..words import plural
from .dispatch import Ctx, fields, json_block, tag_chips
from .model import Bar, Card, Chip, Code, Details, Inlines, Items, Markdown, Node, Para, Section, Span, Table
from .shapes import BlockShape

BLOCK_TYPES = (Block, BlockResponse, MemoryFileBlock)
_RULE_TYPES = {"run_first", "constrain_child_tools", "conditional", "exit_loop", "continue_loop", "max_count_per_step",
               "parent_last_tool", "requires_approval", "required_before_exit"}


# ------------------------------------------------------------------------------------------------ agents
def agent_card(agent: AgentState, ctx: Ctx) -> Node:
    model = agent.model or getattr(agent.llm_config, "handle", None) or getattr(agent.llm_config, "model", None)
    embedding = agent.embedding or getattr(agent.embedding_config, "handle", None)
    identities = [Chip(i.name, note=i.identity_type) for i in sorted(agent.identities or [], key=lambda i: i.name)]
    rows = fields(
        ctx,
        ctx.field("id", agent.id, "id"),
        ctx.field("model", model),
        ctx.field("embedding", embedding),
        ctx.field("type", agent.agent_type),
        ctx.field("description", agent.description),
        ctx.field("tags", tag_chips(agent.tags)),
        ctx.field("identities", identities),
        ctx.field("created", agent.created_at, "time"),
        ctx.field("updated", agent.updated_at, "time"),
    )
    body: list[Node] = [rows]
    if agent.pending_approval is not None:
        call = agent.pending_approval.tool_call
        body.append(Para([Span("⚠ waiting for approval: ", "warn"), Span(getattr(call, "name", "?"), mono=True)], "warn"))
    blocks, tools = _loaded(agent, ctx)
    tools = sorted(tools, key=lambda t: t.name or "")
    body.append(Section([Span(f"Tools ({len(tools)})")], [Para([_tool_chip(t) for t in tools]) if tools else _not_loaded("tools")]))
    if agent.tool_rules:
        body.append(Section([Span(f"Tool rules ({len(agent.tool_rules)})")], [rules_node(agent.tool_rules)]))
    sources = sorted(agent.sources or [], key=lambda s: s.name)
    if sources:
        body.append(Section([Span(f"Folders ({len(sources)})")], [Para([Chip(s.name) for s in sources])]))
    group = agent.multi_agent_group or agent.managed_group
    if group is not None:
        body.append(Section([Span(f"Group ({group.manager_type})")], [group_fields(group, ctx)]))
    shared = _shared_block_ids(group)
    if blocks:
        body.append(memory_section(blocks, ctx, agent_id=agent.id, shared_ids=shared))
    else:
        body.append(Section([Span("Memory (0 blocks)")], [_not_loaded("blocks")]))
    return Card("agent", [Span(agent.name)], body)


def list_of(page: Any) -> list:
    """One page's items (only a first page is asked for: the views show counts and names, not everything)."""
    items = page_items(page)
    return items if items is not None else list(page)


def _loaded(agent: AgentState, ctx: Ctx) -> tuple[list, list]:
    """The agent's blocks and tools; when the object has none and a client was passed, they are fetched."""
    blocks = list((agent.memory.blocks if agent.memory else None) or agent.blocks or [])
    tools = list(agent.tools or [])
    if ctx.client is not None:
        blocks = blocks or list_of(ctx.client.agents.blocks.list(agent.id))
        tools = tools or list_of(ctx.client.agents.tools.list(agent.id))
    return blocks, tools


def _not_loaded(what: str) -> Node:
    # agents.retrieve and agents.list return relations only when asked: an empty list may just mean "not included".
    return Para([Span(f"none in this object (agents.retrieve/list include {what} only with include=[\"agent.{what}\"]; "
                      f"show(agent, client=client) fetches them)", "muted")], "note")


def _tool_chip(tool: Tool) -> Chip:
    approval = bool(tool.default_requires_approval)
    return Chip(tool.name or "?", "warn" if approval else None, note=(tool.tool_type or "") + (" · approval" if approval else ""))


def agents_table(agents: Sequence[AgentState], ctx: Ctx) -> Node:
    rows: list[list[Inlines]] = []
    for a in agents:
        rows.append([[Span(a.name)], [Span(a.model or getattr(a.llm_config, "handle", "") or "")], [Span(str(a.agent_type))],
                     tag_chips(a.tags), [Span(str(len(a.tools or [])))], [Span(str(len(a.memory.blocks if a.memory else a.blocks)))],
                     [ctx.ident(a.id)], [ctx.when(a.created_at)] if a.created_at else []])
    columns = ["name", "model", "type", "tags", "tools", "blocks", "id", "created"]
    only = [None] * 6 + [None if ctx.opts.ids else "html", None if ctx.opts.times else "html"]
    return Card("agents", [Span(plural(len(agents), "agent"))], [Table(columns, rows, only_cols=only)])


def _shared_block_ids(group: Any) -> set[str]:
    return set(getattr(group, "shared_block_ids", None) or [])


def group_fields(group: ManagedGroup | MultiAgentGroup, ctx: Ctx) -> Node:
    return fields(
        ctx,
        ctx.field("manager", group.manager_type),
        ctx.field("agents", str(len(group.agent_ids))),
        ctx.field("sleep-time frequency", group.sleeptime_agent_frequency),
        ctx.field("description", group.description),
        ctx.field("manager agent", group.manager_agent_id, "id"),
        ctx.field("id", group.id, "id"),
    )


def group_card(group: Any, ctx: Ctx) -> Node:
    return Card("group", [Span(group.manager_type)], [group_fields(group, ctx)])


# ------------------------------------------------------------------------------------------------ memory
def _sharing(block: BlockShape, ctx: Ctx, agent_id: str | None) -> list[str] | None:
    """Names of the other agents using a block; asks the server only when a client was passed."""
    if ctx.client is None or not getattr(block, "id", None):
        return None
    return sorted(a.name for a in list_of(ctx.client.blocks.agents.list(block.id)) if a.id != agent_id)


def block_node(block: BlockShape, ctx: Ctx, *, agent_id: str | None = None, shared_ids: set[str] | None = None) -> Node:
    value = block.value or ""
    title: list = [Span(block.label or "(no label)")]
    if block.read_only:
        title.append(Chip("read-only", "muted", flag=True))
    others = _sharing(block, ctx, agent_id)
    if others:
        title.append(Chip(f"shared with {plural(len(others), 'agent')}", "accent", flag=True))
    elif others is None and shared_ids and block.id in shared_ids:
        title.append(Chip("shared", "accent", flag=True))
    body: list[Node] = []
    if block.description:
        body.append(Para([Span(block.description, "muted")], "note"))
    body.append(Bar(len(value), block.limit))
    if others:
        body.append(fields(ctx, ctx.field("shared with", ", ".join(others))))
    body.append(Code(value, limit=ctx.opts.max_chars, lines=ctx.opts.max_lines) if value else Para([Span("(empty)", "muted")]))
    if getattr(block, "id", None):
        body.append(fields(ctx, ctx.field("id", block.id, "id")))
    return Card("block", title, body)


def _memory_parts(blocks: Iterable[BlockShape], ctx: Ctx, agent_id: str | None = None,
                  shared_ids: set[str] | None = None) -> tuple[str, list[Node]]:
    """'2 blocks, 65 chars' and one card per block, sorted by label."""
    ordered = sorted(blocks, key=lambda b: b.label or "")
    used = sum(len(b.value or "") for b in ordered)
    nodes = [block_node(b, ctx, agent_id=agent_id, shared_ids=shared_ids) for b in ordered]
    return f"{plural(len(ordered), 'block')}, {plural(used, 'char', spec=',')}", nodes or [Para([Span("(no blocks)", "muted")])]


def memory_section(blocks: Iterable[BlockShape], ctx: Ctx, *, agent_id: str | None = None,
                   shared_ids: set[str] | None = None) -> Node:
    summary, nodes = _memory_parts(blocks, ctx, agent_id, shared_ids)
    return Section([Span(f"Memory ({summary})")], nodes)


def memory_card(blocks: Iterable[BlockShape], ctx: Ctx) -> Node:
    summary, nodes = _memory_parts(blocks, ctx)
    return Card("memory", [Span(summary)], nodes)


def agent_memory_card(memory: Memory, ctx: Ctx) -> Node:
    return memory_card(memory.blocks, ctx)


# ------------------------------------------------------------------------------------------------- tools
def _signature(schema: dict) -> tuple[str, list[list]]:
    params = (schema.get("parameters") or {}).get("properties") or {}
    required = set((schema.get("parameters") or {}).get("required") or [])
    shown = [name for name in params if name != "request_heartbeat"]
    args = ", ".join(f"{n}{'' if n in required else '?'}: {params[n].get('type', 'any')}" for n in shown)
    rows = [[[Span(n, mono=True)], [Span(str(params[n].get("type", "any")))], [Span("yes" if n in required else "no")],
             [Span(params[n].get("description", ""))]] for n in shown]
    return f"{schema.get('name', '')}({args})", rows


def tool_card(tool: Tool, ctx: Ctx) -> Node:
    title: list = [Span(tool.name or "?"), Chip(tool.tool_type or "tool", "muted", flag=True)]
    if tool.default_requires_approval:
        title.append(Chip("requires approval", "warn", flag=True))
    body: list[Node] = []
    if tool.description:
        body.append(Markdown(tool.description, limit=ctx.opts.max_chars, lines=ctx.opts.max_lines))
    schema = tool.json_schema or {}
    if schema:
        signature, rows = _signature(schema)
        body.append(Para([Span(signature, "accent", mono=True)]))
        if rows:
            body.append(Table(["parameter", "type", "required", "description"], rows))
        # The parameter table says the same in text; the raw schema is for the HTML expander only.
        body.append(Details([Span("JSON schema")], [json_block(schema, ctx)], only="html"))
    if tool.source_code:
        lines = tool.source_code.strip("\n").count("\n") + 1
        body.append(Details([Span(f"source ({lines} lines)")],
                            [Code(tool.source_code.strip("\n"), "python", limit=ctx.opts.max_chars * 8,
                                  lines=ctx.opts.max_lines * 8)]))
    requirements = [r.name + (f"=={r.version}" if getattr(r, "version", None) else "") for r in tool.pip_requirements or []]
    body.append(fields(ctx, ctx.field("requires approval", "yes" if tool.default_requires_approval else None),
                       ctx.field("pip", ", ".join(requirements) or None), ctx.field("tags", tag_chips(tool.tags)),
                       ctx.field("return limit", f"{tool.return_char_limit:,} chars" if tool.return_char_limit else None),
                       ctx.field("id", tool.id, "id")))
    return Card("tool", title, body)


def tools_table(tools: Sequence[Tool], ctx: Ctx) -> Node:
    rows: list[list[Inlines]] = []
    for t in sorted(tools, key=lambda t: t.name or ""):
        signature = _signature(t.json_schema)[0] if t.json_schema else t.name or "?"
        rows.append([[Span(signature, mono=True)], [Span(t.tool_type or "")],
                     [Chip("approval", "warn")] if t.default_requires_approval else [],
                     [Span((t.description or "").split("\n")[0])], [ctx.ident(t.id)]])
    only = [None] * 4 + [None if ctx.opts.ids else "html"]
    return Card("tools", [Span(plural(len(tools), "tool"))],
                [Table(["tool", "type", "approval", "description", "id"], rows, only_cols=only)])


# ------------------------------------------------------------------------------------------------- rules
def rule_text(rule: Any) -> tuple[str, str]:
    """(kind, what it does) for one tool rule, as words."""
    data = rule.model_dump(exclude_none=True) if isinstance(rule, BaseModel) else dict(rule)
    kind, name = data.get("type", "rule"), data.get("tool_name", "?")
    if kind == "run_first":
        args = data.get("args")
        return kind, f"{name} runs first" + (f" with {json.dumps(args)}" if args else "")
    if kind == "constrain_child_tools":
        return kind, f"after {name}, only: {', '.join(data.get('children', []))}"
    if kind == "parent_last_tool":
        return kind, f"{name} only right after: {', '.join(data.get('children', []))}"
    if kind == "conditional":
        mapping = "; ".join(f"{k!r} → {v}" for k, v in (data.get("child_output_mapping") or {}).items())
        default = data.get("default_child")
        return kind, f"after {name}, by its output: {mapping}" + (f"; otherwise {default}" if default else "")
    if kind == "exit_loop":
        return kind, f"{name} ends the turn"
    if kind == "continue_loop":
        return kind, f"{name} continues the loop"
    if kind == "max_count_per_step":
        return kind, f"{name} at most {data.get('max_count_limit')}× per step"
    if kind == "requires_approval":
        return kind, f"{name} needs approval"
    if kind == "required_before_exit":
        return kind, f"{name} must run before the turn ends"
    rest = {k: v for k, v in data.items() if k not in {"type", "tool_name", "prompt_template"}}
    return kind, f"{name}" + (f" {json.dumps(rest, default=str)}" if rest else "")


def rules_node(rules: list, ctx: Ctx | None = None) -> Node:
    items = []
    for rule in rules:
        kind, words = rule_text(rule)
        items.append([Para([Chip(kind, "accent"), Span(words)])])
    return Items(items, ordered=True)


def is_rule(item: Any) -> bool:
    kind = getattr(item, "type", None) if not isinstance(item, dict) else item.get("type")
    return kind in _RULE_TYPES and (hasattr(item, "tool_name") or (isinstance(item, dict) and "tool_name" in item))


def rules_card(rules: list, ctx: Ctx) -> Node:
    return Card("tool rules", [Span(plural(len(rules), "rule"))], [rules_node(rules, ctx)])
