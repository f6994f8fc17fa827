"""Builders for the other Letta objects: archival passages and search results, folders and files, runs,
identities, models, SDK pages, raw dicts and mixed lists. (Agents, memory, tools and rules: :mod:`.agents`.)
Which class each builder draws: :mod:`.registry`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from letta_client.types import EmbeddingModel, Passage
from letta_client.types.agent_state import Identity
from letta_client.types.agents.file_list_response import FileListResponse as AgentFile
from letta_client.types.agents.passage_search_response import PassageSearchResponse, Result
from letta_client.types.agents.run import Run
from letta_client.types.folders.file_list_response import FileListResponse
from letta_client.types.folders.file_retrieve_response import FileRetrieveResponse
from letta_client.types.folders.file_upload_response import FileUploadResponse
from letta_client.types.model import Model
from letta_client.types.passage_search_response import PassageSearchResponseItem

from ..sdk import Page, page_items
from ..words import plural
from .agents import is_rule, list_of, rules_node
from .dispatch import (
    Ctx,
    build,
    build_list,
    fields,
    json_block,
    tag_chips,
)
from .model import Card, Chip, Inline, Inlines, Markdown, Node, Para, Section, Span, Table
from .shapes import RunShape

FOLDER_FILES = (FileListResponse, FileUploadResponse, FileRetrieveResponse)
_STATUS_TONES = {"completed": "ok", "success": "ok", "failed": "error", "error": "error", "cancelled": "warn",
                 "running": "accent", "created": "accent", "pending": "accent", "parsing": "accent", "embedding": "accent"}


def _status_chip(status: str | None) -> Chip:
    return Chip(status or "unknown", _STATUS_TONES.get(status or "", "muted"), flag=True)


def page_card(page: Page, ctx: Ctx) -> Node:
    """The items of this page only: iterating a page would fetch the next ones."""
    return build_list(page_items(page) or [], ctx)


# ---------------------------------------------------------------------------------------------- passages
def passage_card(p: Passage, ctx: Ctx) -> Node:
    body: list[Node] = [Markdown(p.text or "", limit=ctx.opts.max_chars, lines=ctx.opts.max_lines)]
    body.append(fields(ctx, ctx.field("tags", tag_chips(p.tags)), ctx.field("file", p.file_name),
                       ctx.field("created", p.created_at, "time"), ctx.field("id", p.id, "id")))
    return Card("passage", [], body)


def _passage_rows(entries: Sequence[tuple[str, list[str] | None, Any, str | None, float | None]], ctx: Ctx,
                  scored: bool) -> Table:
    rows: list[list[Inlines]] = []
    for rank, (text, tags, when, ident, score) in enumerate(entries, 1):
        row = [[Span(str(rank))]] + ([[Span(f"{score:.3f}", mono=True)]] if scored else [])
        rows.append(row + [[Span(" ".join(text.split()))], tag_chips(tags), [ctx.when(when)] if when else [], [ctx.ident(ident)]])
    columns = ["#"] + (["score"] if scored else []) + ["text", "tags", "time", "id"]
    only = [None] * (4 if scored else 3) + [None if ctx.opts.times else "html", None if ctx.opts.ids else "html"]
    return Table(columns, rows, only_cols=only, max_cell=72)


def passages_table(passages: list, ctx: Ctx) -> Node:
    entries = [(p.text or "", p.tags, p.created_at, p.id, None) for p in passages]
    return Card("passages", [Span(plural(len(passages), "passage"))], [_passage_rows(entries, ctx, False)])


def search_card(resp: PassageSearchResponse, ctx: Ctx) -> Node:
    return results_table(list(resp.results), ctx)


def results_table(results: list, ctx: Ctx) -> Node:
    entries = [(r.content or "", r.tags, r.timestamp, r.id, None) for r in results]
    return Card("search results", [Span(plural(len(results), "result"))], [_passage_rows(entries, ctx, False)])


def scored_table(items: list, ctx: Ctx) -> Node:
    entries = [(i.passage.text or "", i.passage.tags, i.passage.created_at, i.passage.id, i.score) for i in items]
    return Card("search results", [Span(plural(len(items), "result"))], [_passage_rows(entries, ctx, True)])


def result_card(r: Result, ctx: Ctx) -> Node:
    return results_table([r], ctx)


def scored_card(item: PassageSearchResponseItem, ctx: Ctx) -> Node:
    return scored_table([item], ctx)


# --------------------------------------------------------------------------------------- folders, files
def folder_card(folder: Any, ctx: Ctx) -> Node:
    handle = getattr(folder.embedding_config, "handle", None) or getattr(folder.embedding_config, "embedding_model", None)
    body: list[Node] = [fields(ctx, ctx.field("description", folder.description), ctx.field("embedding", handle),
                               ctx.field("created", folder.created_at, "time"), ctx.field("id", folder.id, "id"))]
    if folder.instructions:
        body.append(Section([Span("Instructions")], [Markdown(folder.instructions, limit=ctx.opts.max_chars)]))
    return Card("folder", [Span(folder.name)], body)


def folders_table(folders: list, ctx: Ctx) -> Node:
    rows: list[list[Inlines]] = [[[Span(f.name)], [Span(f.description or "")], [ctx.ident(f.id)]]
                                 for f in sorted(folders, key=lambda f: f.name)]
    return Card("folders", [Span(plural(len(folders), "folder"))],
                [Table(["name", "description", "id"], rows, only_cols=[None, None, None if ctx.opts.ids else "html"])])


def _size(n: float | None) -> str:
    if n is None:
        return ""
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return ""


def _file_row(f: Any, ctx: Ctx) -> list[Inlines]:
    chunks = f"{f.chunks_embedded or 0}/{f.total_chunks}" if f.total_chunks is not None else ""
    status: list[Inline] = [_status_chip(f.processing_status)]
    if f.error_message:
        status.append(Span(f" {f.error_message}", "error"))
    return [[Span(f.file_name or f.original_file_name or "?")], status, [Span(chunks)], [Span(_size(f.file_size))],
            [Span(f.file_type or "")], [ctx.ident(f.id)]]


def folder_file_card(f: Any, ctx: Ctx) -> Node:
    return folder_files_table([f], ctx)


def folder_files_table(files: list, ctx: Ctx) -> Node:
    rows = [_file_row(f, ctx) for f in sorted(files, key=lambda f: f.file_name or "")]
    only = [None] * 5 + [None if ctx.opts.ids else "html"]
    return Card("files", [Span(plural(len(files), "file"))],
                [Table(["file", "status", "chunks", "size", "type", "id"], rows, only_cols=only)])


def agent_files_table(files: list, ctx: Ctx) -> Node:
    rows: list[list[Inlines]] = []
    for f in sorted(files, key=lambda f: (f.folder_name, f.file_name)):
        lines = f"{f.start_line}–{f.end_line}" if f.start_line is not None and f.end_line is not None else ""
        rows.append([[Span(f.file_name)], [Span(f.folder_name)], [Chip("open", "ok") if f.is_open else Chip("closed", "muted")],
                     [Span(lines)]])
    return Card("agent files", [Span(plural(len(files), "file"))], [Table(["file", "folder", "state", "lines"], rows)])


def agent_file_card(f: AgentFile, ctx: Ctx) -> Node:
    return agent_files_table([f], ctx)


# -------------------------------------------------------------------------------------------------- runs
def _steps(run: Run, ctx: Ctx) -> int | None:
    if ctx.client is None:
        return None
    return len(list_of(ctx.client.runs.steps.list(run.id)))


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


def runs_table(runs: Sequence[RunShape], ctx: Ctx) -> Node:
    rows: list[list[Inlines]] = []
    for r in runs:
        duration = ctx.duration(r.total_duration_ns)
        rows.append([[_status_chip(r.status)], [Span(r.stop_reason or "")], [Span("yes" if r.background else "")],
                     [duration] if duration else [], [ctx.when(r.created_at)] if r.created_at else [], [ctx.ident(r.id)]])
    only = [None] * 3 + [None if ctx.opts.times else "html"] * 2 + [None if ctx.opts.ids else "html"]
    return Card("runs", [Span(plural(len(runs), "run"))],
                [Table(["status", "stop reason", "background", "duration", "created", "id"], rows, only_cols=only)])


# -------------------------------------------------------------------------------------------- identities
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


def identities_table(identities: list, ctx: Ctx) -> Node:
    rows: list[list[Inlines]] = [[[Span(i.name)], [Span(i.identifier_key, mono=True)], [Span(i.identity_type)],
             [Chip(f"{p.key}={p.value}") for p in i.properties or []], [Span(str(len(i.agent_ids)))], [ctx.ident(i.id)]]
            for i in sorted(identities, key=lambda i: i.identifier_key)]
    only = [None] * 5 + [None if ctx.opts.ids else "html"]
    return Card("identities", [Span(plural(len(identities), "identity", "identities"))],
                [Table(["name", "key", "type", "properties", "agents", "id"], rows, only_cols=only)])


def is_identity_dict(item: Any) -> bool:
    return isinstance(item, dict) and {"identifier_key", "identity_type", "name"} <= item.keys()


def identity_dicts_table(items: list, ctx: Ctx) -> Node:
    return identities_table([Identity.model_validate({"agent_ids": [], "block_ids": [], **d}) for d in items], ctx)


def from_dict(data: dict, ctx: Ctx) -> Node:
    """Raw REST answers (identities are REST-only in this SDK) become their model; other dicts show as JSON."""
    if is_identity_dict(data):
        return identity_card(Identity.model_validate({"agent_ids": [], "block_ids": [], **data}), ctx)
    if is_rule(data):
        return rules_node([data], ctx)
    return Card("dict", [Span(plural(len(data), "key"))], [json_block(data, ctx)])


# ------------------------------------------------------------------------------------------------ models
def models_table(models: list, ctx: Ctx) -> Node:
    rows = [[[Span(m.handle or m.name, mono=True)], [Span(str(m.provider_type))], [Span(m.provider_name or "")],
             [Span(f"{m.context_window:,}")], [Span(str(m.api_model_endpoint_type))]]
            for m in sorted(models, key=lambda m: m.handle or m.name)]
    return Card("models", [Span(plural(len(models), "model"))],
                [Table(["handle", "provider", "provider name", "context window", "endpoint"], rows)])


def embedding_models_table(models: list, ctx: Ctx) -> Node:
    rows = [[[Span(m.handle or m.name, mono=True)], [Span(str(m.provider_type))], [Span(f"{m.embedding_dim:,}")],
             [Span(str(m.embedding_chunk_size or ""))]] for m in sorted(models, key=lambda m: m.handle or m.name)]
    return Card("embedding models", [Span(plural(len(models), "model"))],
                [Table(["handle", "provider", "dimensions", "chunk size"], rows)])


def model_card(m: Model, ctx: Ctx) -> Node:
    return models_table([m], ctx)


def embedding_model_card(m: EmbeddingModel, ctx: Ctx) -> Node:
    return embedding_models_table([m], ctx)


# ----------------------------------------------------------------------------------------------- mixtures
def mixed_list(items: list, ctx: Ctx) -> Node:
    """A list of different kinds: each item rendered on its own, inside one card."""
    return Card("list", [Span(plural(len(items), "item"))], [build(item, ctx) for item in items])
