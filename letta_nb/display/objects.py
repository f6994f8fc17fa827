"""Builders for Letta objects other than messages: agents, memory, tools and rules, passages, folders and files,
runs, identities, groups, models.

Lists are sorted by name or label where the server gives no meaningful order, so two agents built the same way
render the same text.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from letta_client._base_client import BasePage
from letta_client.types import AgentState, BlockResponse, EmbeddingModel, Folder, Passage, Tool
from letta_client.types.agent_state import Identity, ManagedGroup, Memory, MemoryFileBlock, MultiAgentGroup, Source
from letta_client.types.agents.block import Block
from letta_client.types.agents.file_list_response import FileListResponse as AgentFile
from letta_client.types.agents.passage_search_response import PassageSearchResponse, Result
from letta_client.types.agents.run import Run
from letta_client.types.folders.file_list_response import FileListResponse
from letta_client.types.folders.file_retrieve_response import FileRetrieveResponse
from letta_client.types.folders.file_upload_response import FileUploadResponse
from letta_client.types.model import Model
from letta_client.types.passage_search_response import PassageSearchResponseItem
from pydantic import BaseModel

from .dispatch import Ctx, build, build_list, builds, builds_form, builds_list, fields, json_block, page_items
from .model import Bar, Card, Chip, Code, Details, Items, Markdown, Node, Para, Section, Span, Table

BLOCK_TYPES = (Block, BlockResponse, MemoryFileBlock)
FOLDER_FILES = (FileListResponse, FileUploadResponse, FileRetrieveResponse)
_RULE_TYPES = {"run_first", "constrain_child_tools", "conditional", "exit_loop", "continue_loop", "max_count_per_step",
               "parent_last_tool", "requires_approval", "required_before_exit"}
_STATUS_TONES = {"completed": "ok", "success": "ok", "failed": "error", "error": "error", "cancelled": "warn",
                 "running": "accent", "created": "accent", "pending": "accent", "parsing": "accent", "embedding": "accent"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _status_chip(status: str | None) -> Chip:
    return Chip(status or "unknown", _STATUS_TONES.get(status or "", "muted"), flag=True)


def _tags(tags: Iterable[str] | None) -> list:
    return [Chip(tag) for tag in sorted(tags or [])]


# ------------------------------------------------------------------------------------------------ agents
@builds(BasePage)
def _page(page: BasePage, ctx: Ctx) -> Node:
    """The items of this page only: iterating a page would fetch the next ones."""
    return build_list(page_items(page) or [], ctx)


@builds(AgentState)
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
        ctx.field("tags", _tags(agent.tags)),
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


def _list_of(page: Any) -> list:
    """One page's items (only a first page is asked for: the views show counts and names, not everything)."""
    items = page_items(page)
    return items if items is not None else list(page)


def _loaded(agent: AgentState, ctx: Ctx) -> tuple[list, list]:
    """The agent's blocks and tools; when the object has none and a client was passed, they are fetched."""
    blocks = list((agent.memory.blocks if agent.memory else None) or agent.blocks or [])
    tools = list(agent.tools or [])
    if ctx.client is not None:
        blocks = blocks or _list_of(ctx.client.agents.blocks.list(agent.id))
        tools = tools or _list_of(ctx.client.agents.tools.list(agent.id))
    return blocks, tools


def _not_loaded(what: str) -> Node:
    # agents.retrieve and agents.list return relations only when asked: an empty list may just mean "not included".
    return Para([Span(f"none in this object (agents.retrieve/list include {what} only with include=[\"agent.{what}\"]; "
                      f"show(agent, client=client) fetches them)", "muted")], "note")


def _tool_chip(tool: Tool) -> Chip:
    approval = bool(tool.default_requires_approval)
    return Chip(tool.name or "?", "warn" if approval else None, note=(tool.tool_type or "") + (" · approval" if approval else ""))


@builds_list(lambda item: isinstance(item, AgentState))
def agents_table(agents: list, ctx: Ctx) -> Node:
    rows = []
    for a in agents:
        rows.append([[Span(a.name)], [Span(a.model or getattr(a.llm_config, "handle", "") or "")], [Span(str(a.agent_type))],
                     _tags(a.tags), [Span(str(len(a.tools or [])))], [Span(str(len(a.memory.blocks if a.memory else a.blocks)))],
                     [ctx.ident(a.id)], [ctx.when(a.created_at)] if a.created_at else []])
    columns = ["name", "model", "type", "tags", "tools", "blocks", "id", "created"]
    only = [None] * 6 + [None if ctx.opts.ids else "html", None if ctx.opts.times else "html"]
    return Card("agents", [Span(_plural(len(agents), "agent"))], [Table(columns, rows, only_cols=only)])


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


@builds(ManagedGroup, MultiAgentGroup)
def _group(group: Any, ctx: Ctx) -> Node:
    return Card("group", [Span(group.manager_type)], [group_fields(group, ctx)])


# ------------------------------------------------------------------------------------------------ memory
def _sharing(block: Any, ctx: Ctx, agent_id: str | None) -> list[str] | None:
    """Names of the other agents using a block; asks the server only when a client was passed."""
    if ctx.client is None or not getattr(block, "id", None):
        return None
    return sorted(a.name for a in _list_of(ctx.client.blocks.agents.list(block.id)) if a.id != agent_id)


def block_node(block: Any, ctx: Ctx, *, agent_id: str | None = None, shared_ids: set[str] | None = None) -> Node:
    value = block.value or ""
    title: list = [Span(block.label or "(no label)")]
    if block.read_only:
        title.append(Chip("read-only", "muted", flag=True))
    others = _sharing(block, ctx, agent_id)
    if others:
        title.append(Chip(f"shared with {_plural(len(others), 'agent')}", "accent", flag=True))
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


def _memory_parts(blocks: Iterable[Any], ctx: Ctx, agent_id: str | None = None,
                  shared_ids: set[str] | None = None) -> tuple[str, list[Node]]:
    """'2 blocks, 65 chars' and one card per block, sorted by label."""
    ordered = sorted(blocks, key=lambda b: b.label or "")
    used = sum(len(b.value or "") for b in ordered)
    nodes = [block_node(b, ctx, agent_id=agent_id, shared_ids=shared_ids) for b in ordered]
    return f"{_plural(len(ordered), 'block')}, {used:,} char{'s' * (used != 1)}", nodes or [Para([Span("(no blocks)", "muted")])]


def memory_section(blocks: Iterable[Any], ctx: Ctx, *, agent_id: str | None = None,
                   shared_ids: set[str] | None = None) -> Node:
    summary, nodes = _memory_parts(blocks, ctx, agent_id, shared_ids)
    return Section([Span(f"Memory ({summary})")], nodes)


def memory_card(blocks: Iterable[Any], ctx: Ctx) -> Node:
    summary, nodes = _memory_parts(blocks, ctx)
    return Card("memory", [Span(summary)], nodes)


@builds(*BLOCK_TYPES)
def _block(block: Any, ctx: Ctx) -> Node:
    return block_node(block, ctx)


@builds(Memory)
def _memory(memory: Memory, ctx: Ctx) -> Node:
    return memory_card(memory.blocks, ctx)


@builds_list(lambda item: isinstance(item, BLOCK_TYPES))
def _blocks(blocks: list, ctx: Ctx) -> Node:
    return memory_card(blocks, ctx)


# ------------------------------------------------------------------------------------------------- tools
def _signature(schema: dict) -> tuple[str, list[list]]:
    params = (schema.get("parameters") or {}).get("properties") or {}
    required = set((schema.get("parameters") or {}).get("required") or [])
    shown = [name for name in params if name != "request_heartbeat"]
    args = ", ".join(f"{n}{'' if n in required else '?'}: {params[n].get('type', 'any')}" for n in shown)
    rows = [[[Span(n, mono=True)], [Span(str(params[n].get("type", "any")))], [Span("yes" if n in required else "no")],
             [Span(params[n].get("description", ""))]] for n in shown]
    return f"{schema.get('name', '')}({args})", rows


@builds(Tool)
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
                       ctx.field("pip", ", ".join(requirements) or None), ctx.field("tags", _tags(tool.tags)),
                       ctx.field("return limit", f"{tool.return_char_limit:,} chars" if tool.return_char_limit else None),
                       ctx.field("id", tool.id, "id")))
    return Card("tool", title, body)


@builds_list(lambda item: isinstance(item, Tool))
def tools_table(tools: list, ctx: Ctx) -> Node:
    rows = []
    for t in sorted(tools, key=lambda t: t.name or ""):
        signature = _signature(t.json_schema)[0] if t.json_schema else t.name or "?"
        rows.append([[Span(signature, mono=True)], [Span(t.tool_type or "")],
                     [Chip("approval", "warn")] if t.default_requires_approval else [],
                     [Span((t.description or "").split("\n")[0])], [ctx.ident(t.id)]])
    only = [None] * 4 + [None if ctx.opts.ids else "html"]
    return Card("tools", [Span(_plural(len(tools), "tool"))],
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


def _is_rule(item: Any) -> bool:
    kind = getattr(item, "type", None) if not isinstance(item, dict) else item.get("type")
    return kind in _RULE_TYPES and (hasattr(item, "tool_name") or (isinstance(item, dict) and "tool_name" in item))


@builds_list(_is_rule)
def _rules(rules: list, ctx: Ctx) -> Node:
    return Card("tool rules", [Span(_plural(len(rules), "rule"))], [rules_node(rules, ctx)])


# ---------------------------------------------------------------------------------------------- passages
@builds(Passage)
def passage_card(p: Passage, ctx: Ctx) -> Node:
    body: list[Node] = [Markdown(p.text or "", limit=ctx.opts.max_chars, lines=ctx.opts.max_lines)]
    body.append(fields(ctx, ctx.field("tags", _tags(p.tags)), ctx.field("file", p.file_name),
                       ctx.field("created", p.created_at, "time"), ctx.field("id", p.id, "id")))
    return Card("passage", [], body)


def _passage_rows(entries: list[tuple[str, list[str] | None, Any, str | None, float | None]], ctx: Ctx,
                  scored: bool) -> Table:
    rows = []
    for rank, (text, tags, when, ident, score) in enumerate(entries, 1):
        row = [[Span(str(rank))]] + ([[Span(f"{score:.3f}", mono=True)]] if scored else [])
        rows.append(row + [[Span(" ".join(text.split()))], _tags(tags), [ctx.when(when)] if when else [], [ctx.ident(ident)]])
    columns = ["#"] + (["score"] if scored else []) + ["text", "tags", "time", "id"]
    only = [None] * (4 if scored else 3) + [None if ctx.opts.times else "html", None if ctx.opts.ids else "html"]
    return Table(columns, rows, only_cols=only, max_cell=72)


@builds_list(lambda item: isinstance(item, Passage))
def _passages(passages: list, ctx: Ctx) -> Node:
    entries = [(p.text or "", p.tags, p.created_at, p.id, None) for p in passages]
    return Card("passages", [Span(_plural(len(passages), "passage"))], [_passage_rows(entries, ctx, False)])


@builds(PassageSearchResponse)
def _search(resp: PassageSearchResponse, ctx: Ctx) -> Node:
    return _results(list(resp.results), ctx)


@builds_list(lambda item: isinstance(item, Result))
def _results(results: list, ctx: Ctx) -> Node:
    entries = [(r.content or "", r.tags, r.timestamp, r.id, None) for r in results]
    return Card("search results", [Span(_plural(len(results), "result"))], [_passage_rows(entries, ctx, False)])


@builds_list(lambda item: isinstance(item, PassageSearchResponseItem))
def _scored(items: list, ctx: Ctx) -> Node:
    entries = [(i.passage.text or "", i.passage.tags, i.passage.created_at, i.passage.id, i.score) for i in items]
    return Card("search results", [Span(_plural(len(items), "result"))], [_passage_rows(entries, ctx, True)])


@builds(Result)
def _result(r: Result, ctx: Ctx) -> Node:
    return _results([r], ctx)


@builds(PassageSearchResponseItem)
def _scored_one(item: PassageSearchResponseItem, ctx: Ctx) -> Node:
    return _scored([item], ctx)


# --------------------------------------------------------------------------------------- folders, files
@builds(Folder, Source)
def folder_card(folder: Any, ctx: Ctx) -> Node:
    handle = getattr(folder.embedding_config, "handle", None) or getattr(folder.embedding_config, "embedding_model", None)
    body: list[Node] = [fields(ctx, ctx.field("description", folder.description), ctx.field("embedding", handle),
                               ctx.field("created", folder.created_at, "time"), ctx.field("id", folder.id, "id"))]
    if folder.instructions:
        body.append(Section([Span("Instructions")], [Markdown(folder.instructions, limit=ctx.opts.max_chars)]))
    return Card("folder", [Span(folder.name)], body)


@builds_list(lambda item: isinstance(item, (Folder, Source)))
def _folders(folders: list, ctx: Ctx) -> Node:
    rows = [[[Span(f.name)], [Span(f.description or "")], [ctx.ident(f.id)]] for f in sorted(folders, key=lambda f: f.name)]
    return Card("folders", [Span(_plural(len(folders), "folder"))],
                [Table(["name", "description", "id"], rows, only_cols=[None, None, None if ctx.opts.ids else "html"])])


def _size(n: int | None) -> str:
    if n is None:
        return ""
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return ""


def _file_row(f: Any, ctx: Ctx) -> list[list]:
    chunks = f"{f.chunks_embedded or 0}/{f.total_chunks}" if f.total_chunks is not None else ""
    status = [_status_chip(f.processing_status)]
    if f.error_message:
        status.append(Span(f" {f.error_message}", "error"))
    return [[Span(f.file_name or f.original_file_name or "?")], status, [Span(chunks)], [Span(_size(f.file_size))],
            [Span(f.file_type or "")], [ctx.ident(f.id)]]


@builds(*FOLDER_FILES)
def _folder_file(f: Any, ctx: Ctx) -> Node:
    return _folder_files([f], ctx)


@builds_list(lambda item: isinstance(item, FOLDER_FILES))
def _folder_files(files: list, ctx: Ctx) -> Node:
    rows = [_file_row(f, ctx) for f in sorted(files, key=lambda f: f.file_name or "")]
    only = [None] * 5 + [None if ctx.opts.ids else "html"]
    return Card("files", [Span(_plural(len(files), "file"))],
                [Table(["file", "status", "chunks", "size", "type", "id"], rows, only_cols=only)])


@builds_list(lambda item: isinstance(item, AgentFile))
def _agent_files(files: list, ctx: Ctx) -> Node:
    rows = []
    for f in sorted(files, key=lambda f: (f.folder_name, f.file_name)):
        lines = f"{f.start_line}–{f.end_line}" if f.start_line is not None and f.end_line is not None else ""
        rows.append([[Span(f.file_name)], [Span(f.folder_name)], [Chip("open", "ok") if f.is_open else Chip("closed", "muted")],
                     [Span(lines)]])
    return Card("agent files", [Span(_plural(len(files), "file"))], [Table(["file", "folder", "state", "lines"], rows)])


@builds(AgentFile)
def _agent_file(f: AgentFile, ctx: Ctx) -> Node:
    return _agent_files([f], ctx)


# -------------------------------------------------------------------------------------------------- runs
def _steps(run: Run, ctx: Ctx) -> int | None:
    if ctx.client is None:
        return None
    return len(_list_of(ctx.client.runs.steps.list(run.id)))


@builds(Run)
def run_card(run: Run, ctx: Ctx) -> Node:
    steps = _steps(run, ctx)
    duration = ctx.duration(run.total_duration_ns)
    rows = fields(
        ctx,
        ctx.field("stop reason", run.stop_reason),
        ctx.field("background", "yes" if run.background else None),
        ctx.field("steps", steps),
        (("duration", [duration], duration.only) if duration else None),
        ctx.field("created", run.created_at, "time"),
        ctx.field("completed", run.completed_at, "time"),
        ctx.field("agent", run.agent_id, "id"),
        ctx.field("conversation", run.conversation_id, "id"),
        ctx.field("id", run.id, "id"),
    )
    body: list[Node] = [rows]
    if run.callback_error:
        body.append(Para([Span(f"callback error: {run.callback_error}", "error")]))
    return Card("run", [_status_chip(run.status)], body)


@builds_list(lambda item: isinstance(item, Run))
def _runs(runs: list, ctx: Ctx) -> Node:
    rows = []
    for r in runs:
        duration = ctx.duration(r.total_duration_ns)
        rows.append([[_status_chip(r.status)], [Span(r.stop_reason or "")], [Span("yes" if r.background else "")],
                     [duration] if duration else [], [ctx.when(r.created_at)] if r.created_at else [], [ctx.ident(r.id)]])
    only = [None] * 3 + [None if ctx.opts.times else "html"] * 2 + [None if ctx.opts.ids else "html"]
    return Card("runs", [Span(_plural(len(runs), "run"))],
                [Table(["status", "stop reason", "background", "duration", "created", "id"], rows, only_cols=only)])


# -------------------------------------------------------------------------------------------- identities
@builds(Identity)
def identity_card(identity: Identity, ctx: Ctx) -> Node:
    props = [Chip(f"{p.key}={p.value}") for p in identity.properties or []]
    return Card("identity", [Span(identity.name), Chip(identity.identity_type, "muted", flag=True)], [fields(
        ctx,
        ctx.field("key", identity.identifier_key),
        ctx.field("properties", props),
        ctx.field("agents", str(len(identity.agent_ids))),
        ctx.field("blocks", str(len(identity.block_ids))),
        ctx.field("id", identity.id, "id"),
    )])


@builds_list(lambda item: isinstance(item, Identity))
def _identities(identities: list, ctx: Ctx) -> Node:
    rows = [[[Span(i.name)], [Span(i.identifier_key, mono=True)], [Span(i.identity_type)],
             [Chip(f"{p.key}={p.value}") for p in i.properties or []], [Span(str(len(i.agent_ids)))], [ctx.ident(i.id)]]
            for i in sorted(identities, key=lambda i: i.identifier_key)]
    only = [None] * 5 + [None if ctx.opts.ids else "html"]
    return Card("identities", [Span(_plural(len(identities), "identity").replace("identitys", "identities"))],
                [Table(["name", "key", "type", "properties", "agents", "id"], rows, only_cols=only)])


def _is_identity_dict(item: Any) -> bool:
    return isinstance(item, dict) and {"identifier_key", "identity_type", "name"} <= item.keys()


@builds_list(_is_identity_dict)
def _identity_dicts(items: list, ctx: Ctx) -> Node:
    return _identities([Identity.model_validate({"agent_ids": [], "block_ids": [], **d}) for d in items], ctx)


@builds_form("dict")
def from_dict(data: dict, ctx: Ctx) -> Node:
    """Raw REST answers (identities are REST-only in this SDK) become their model; other dicts show as JSON."""
    if _is_identity_dict(data):
        return identity_card(Identity.model_validate({"agent_ids": [], "block_ids": [], **data}), ctx)
    if _is_rule(data):
        return rules_node([data], ctx)
    return Card("dict", [Span(_plural(len(data), "key"))], [json_block(data, ctx)])


# ------------------------------------------------------------------------------------------------ models
@builds_list(lambda item: isinstance(item, Model))
def _models(models: list, ctx: Ctx) -> Node:
    rows = [[[Span(m.handle or m.name, mono=True)], [Span(str(m.provider_type))], [Span(m.provider_name or "")],
             [Span(f"{m.context_window:,}")], [Span(str(m.api_model_endpoint_type))]]
            for m in sorted(models, key=lambda m: m.handle or m.name)]
    return Card("models", [Span(_plural(len(models), "model"))],
                [Table(["handle", "provider", "provider name", "context window", "endpoint"], rows)])


@builds_list(lambda item: isinstance(item, EmbeddingModel))
def _embedding_models(models: list, ctx: Ctx) -> Node:
    rows = [[[Span(m.handle or m.name, mono=True)], [Span(str(m.provider_type))], [Span(f"{m.embedding_dim:,}")],
             [Span(str(m.embedding_chunk_size or ""))]] for m in sorted(models, key=lambda m: m.handle or m.name)]
    return Card("embedding models", [Span(_plural(len(models), "model"))],
                [Table(["handle", "provider", "dimensions", "chunk size"], rows)])


@builds(Model)
def _model(m: Model, ctx: Ctx) -> Node:
    return _models([m], ctx)


@builds(EmbeddingModel)
def _embedding_model(m: EmbeddingModel, ctx: Ctx) -> Node:
    return _embedding_models([m], ctx)


# ----------------------------------------------------------------------------------------------- mixtures
@builds_form("mixed")
def mixed_list(items: list, ctx: Ctx) -> Node:
    """A list of different kinds: each item rendered on its own, inside one card."""
    return Card("list", [Span(_plural(len(items), "item"))], [build(item, ctx) for item in items])

