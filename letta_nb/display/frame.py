"""``to_frame``: any list of Letta objects as a pandas DataFrame, one fixed column order per kind."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from letta_client.types import AgentState, EmbeddingModel, Folder, Passage, Tool
from letta_client.types.agent_state import Identity, Memory, Source
from letta_client.types.agents.letta_response import LettaResponse
from letta_client.types.agents.passage_search_response import PassageSearchResponse, Result
from letta_client.types.agents.run import Run
from letta_client.types.model import Model
from letta_client.types.passage_search_response import PassageSearchResponseItem
from pydantic import BaseModel

from ..content import text_of
from ..sdk import page_items
from ..turns import Transcript, collect
from .agents import BLOCK_TYPES
from .dispatch import message_kind
from .messages import MESSAGE_TYPES, needs_assembly, tool_calls_of
from .objects import FOLDER_FILES
from .shapes import BlockShape

Row = dict[str, Any]
_DATES = {"created_at", "updated_at", "completed_at", "date", "timestamp"}


@dataclass(frozen=True)
class RowKind:
    """How objects of some classes become DataFrame rows: ``row(obj) -> dict`` and the columns, in order."""

    row: Callable[[Any], Row]
    columns: tuple[str, ...]


# Each class's row kind: filled by the @rows below, read by _kind_of, nowhere else.
_ROWS: dict[type, RowKind] = {}


def rows(*classes: type, columns: list[str]) -> Callable[[Callable[[Any], Row]], Callable[[Any], Row]]:
    """Make ``fn(obj) -> dict`` the DataFrame row of ``classes``, with its columns in order."""

    def register(fn: Callable[[Any], Row]) -> Callable[[Any], Row]:
        kind = RowKind(fn, tuple(columns))
        for cls in classes:
            _ROWS[cls] = kind
        return fn

    return register


def row_kind(cls: type) -> RowKind | None:
    """The row kind of ``cls`` or of its nearest base."""
    for base in cls.__mro__:
        kind = _ROWS.get(base)
        if kind is not None:
            return kind
    return None


@rows(AgentState, columns=["name", "id", "agent_type", "model", "embedding", "tags", "tools", "blocks", "created_at",
                         "updated_at"])
def _agent(a: AgentState) -> Row:
    blocks = a.memory.blocks if a.memory else a.blocks
    return {"name": a.name, "id": a.id, "agent_type": a.agent_type, "model": a.model or getattr(a.llm_config, "handle", None),
            "embedding": a.embedding or getattr(a.embedding_config, "handle", None), "tags": sorted(a.tags or []),
            "tools": sorted(t.name or "" for t in a.tools or []), "blocks": sorted(b.label or "" for b in blocks),
            "created_at": a.created_at, "updated_at": a.updated_at}


@rows(*MESSAGE_TYPES, columns=["id", "date", "message_type", "content", "tool_name", "tool_arguments", "tool_call_id",
                               "status", "run_id", "step_id", "seq_id"])
def _message(m: Any) -> Row:
    kind = message_kind(m)
    calls = tool_calls_of(m)
    call = calls[0] if calls else None
    if kind == "reasoning_message":
        content = m.reasoning
    elif kind == "tool_return_message":
        content = m.tool_return
    elif kind == "summary_message":
        content = m.summary
    elif kind == "error_message":
        content = m.message
    elif kind == "hidden_reasoning_message":
        content = m.hidden_reasoning
    elif kind == "event_message":
        content = json.dumps(m.event_data, default=str)
    elif kind == "approval_response_message":
        content = "approved" if m.approve else "denied" if m.approve is not None else None
    else:
        raw = getattr(m, "content", None)
        content = text_of(raw) if raw is not None else None
    return {"id": getattr(m, "id", None), "date": getattr(m, "date", None), "message_type": kind, "content": content,
            "tool_name": getattr(call, "name", None) or (getattr(m, "name", None) if kind == "tool_return_message" else None),
            "tool_arguments": getattr(call, "arguments", None),
            "tool_call_id": getattr(call, "tool_call_id", None) or getattr(m, "tool_call_id", None),
            "status": getattr(m, "status", None), "run_id": getattr(m, "run_id", None), "step_id": getattr(m, "step_id", None),
            "seq_id": getattr(m, "seq_id", None)}


@rows(*BLOCK_TYPES, columns=["label", "value", "chars", "limit", "usage", "read_only", "description", "id"])
def _block(b: BlockShape) -> Row:
    value = b.value or ""
    return {"label": b.label, "value": value, "chars": len(value), "limit": b.limit,
            "usage": len(value) / b.limit if b.limit else None, "read_only": bool(b.read_only),
            "description": b.description, "id": b.id}


@rows(Passage, Result, PassageSearchResponseItem,
      columns=["id", "text", "tags", "score", "created_at", "archive_id", "file_name"])
def _passage(p: Any) -> Row:
    score = None
    if isinstance(p, PassageSearchResponseItem):
        p, score = p.passage, p.score
    if isinstance(p, Result):
        return {"id": p.id, "text": p.content, "tags": sorted(p.tags or []), "score": None, "created_at": p.timestamp,
                "archive_id": None, "file_name": None}
    return {"id": p.id, "text": p.text, "tags": sorted(p.tags or []), "score": score, "created_at": p.created_at,
            "archive_id": p.archive_id, "file_name": p.file_name}


@rows(Tool, columns=["name", "id", "tool_type", "description", "parameters", "required", "requires_approval", "tags",
                    "source_type"])
def _tool(t: Tool) -> Row:
    schema: dict[str, Any] = t.json_schema or {}  # JSON: read as such
    params = schema.get("parameters") or {}
    return {"name": t.name, "id": t.id, "tool_type": t.tool_type, "description": t.description,
            "parameters": [p for p in (params.get("properties") or {}) if p != "request_heartbeat"],
            "required": list(params.get("required") or []), "requires_approval": bool(t.default_requires_approval),
            "tags": sorted(t.tags or []), "source_type": t.source_type}


@rows(Run, columns=["id", "agent_id", "status", "stop_reason", "background", "created_at", "completed_at", "duration_s",
                   "ttft_s", "conversation_id"])
def _run(r: Run) -> Row:
    return {"id": r.id, "agent_id": r.agent_id, "status": r.status, "stop_reason": r.stop_reason, "background": r.background,
            "created_at": r.created_at, "completed_at": r.completed_at,
            "duration_s": r.total_duration_ns / 1e9 if r.total_duration_ns is not None else None,
            "ttft_s": r.ttft_ns / 1e9 if r.ttft_ns is not None else None, "conversation_id": r.conversation_id}


@rows(Model, columns=["handle", "name", "provider_type", "provider_name", "context_window", "endpoint_type"])
def _model(m: Model) -> Row:
    return {"handle": m.handle, "name": m.name, "provider_type": m.provider_type, "provider_name": m.provider_name,
            "context_window": m.context_window, "endpoint_type": m.api_model_endpoint_type}


@rows(EmbeddingModel, columns=["handle", "name", "provider_type", "provider_name", "embedding_dim", "chunk_size"])
def _embedding_model(m: EmbeddingModel) -> Row:
    return {"handle": m.handle, "name": m.name, "provider_type": m.provider_type, "provider_name": m.provider_name,
            "embedding_dim": m.embedding_dim, "chunk_size": m.embedding_chunk_size}


@rows(Identity, columns=["name", "identifier_key", "identity_type", "properties", "agents", "id"])
def _identity(i: Any) -> Row:
    if isinstance(i, dict):
        i = Identity.model_validate({"agent_ids": [], "block_ids": [], **i})
    return {"name": i.name, "identifier_key": i.identifier_key, "identity_type": i.identity_type,
            "properties": {p.key: p.value for p in i.properties or []}, "agents": len(i.agent_ids), "id": i.id}


@rows(Folder, Source, columns=["name", "id", "description", "embedding", "created_at"])
def _folder(f: Any) -> Row:
    return {"name": f.name, "id": f.id, "description": f.description,
            "embedding": getattr(f.embedding_config, "handle", None), "created_at": f.created_at}


@rows(*FOLDER_FILES, columns=["file_name", "status", "chunks_embedded", "total_chunks", "file_size", "file_type",
                            "error_message", "id", "created_at"])
def _file(f: Any) -> Row:
    return {"file_name": f.file_name, "status": f.processing_status, "chunks_embedded": f.chunks_embedded,
            "total_chunks": f.total_chunks, "file_size": f.file_size, "file_type": f.file_type,
            "error_message": f.error_message, "id": f.id, "created_at": f.created_at}


def _kind_of(item: Any) -> RowKind | None:
    """The registered row kind of ``item``'s class; chunks of kinds the SDK has no class for are messages all the
    same, and a plain dict with an ``identifier_key`` is an identity."""
    kind = row_kind(type(item))
    if kind is None and message_kind(item) is not None:
        kind = row_kind(MESSAGE_TYPES[0])
    if kind is None and isinstance(item, dict) and "identifier_key" in item:
        kind = row_kind(Identity)
    return kind


def _items(obj: Any) -> list:
    if isinstance(obj, (LettaResponse, Transcript)):
        return list(obj.messages)
    if isinstance(obj, PassageSearchResponse):
        return list(obj.results)
    if isinstance(obj, AgentState):
        return list(obj.memory.blocks if obj.memory else obj.blocks)
    if isinstance(obj, Memory):
        return list(obj.blocks)
    page = page_items(obj)
    if page is not None:
        return list(page)
    if isinstance(obj, (list, tuple)):
        return list(obj)
    return [obj]


def _generic(items: list) -> tuple[list[Row], list[str]]:
    """Any other models: their fields in declared order (first seen first), vectors left out."""
    columns: list[str] = []
    rows = []
    for item in items:
        row = item.model_dump(exclude={"embedding"}) if isinstance(item, BaseModel) else dict(item) if isinstance(item, dict) else {"value": item}
        for key in row:
            if key not in columns:
                columns.append(key)
        rows.append(row)
    return rows, columns


def to_frame(obj: Any):
    """A DataFrame of agents, messages (a response, page, list or stream), blocks (or an agent's memory), passages
    and search results, tools, runs, models, identities, folders or files. Columns come in a fixed order per kind;
    timestamps are UTC ``datetime64`` columns."""
    import pandas as pd

    items = _items(obj)
    if items and all(message_kind(i) is not None for i in items) and needs_assembly(items):
        items = collect(items).messages
    kinds = {_kind_of(item) for item in items}
    kind = kinds.pop() if len(kinds) == 1 else None
    if kind is not None:
        rows, columns = [kind.row(item) for item in items], list(kind.columns)
    else:
        rows, columns = _generic(items) if items else ([], [])
    frame = pd.DataFrame(rows, columns=columns)
    for column in _DATES & set(columns):
        frame[column] = pd.to_datetime(frame[column], utc=True, errors="coerce", format="ISO8601")
    return frame
