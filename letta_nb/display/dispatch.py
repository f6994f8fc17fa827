"""From any object to a node tree: the lookup, and the helpers builders share.

A builder is ``fn(obj, ctx) -> Node``. Which builder draws what is one table, :mod:`.registry`. :func:`build` walks
the object's MRO in that table; then lets letta_nb's own result objects draw themselves (``_letta_node_``); then falls
back on ``message_type`` (stream chunks of unknown kinds arrive as other classes carrying their real
``message_type``), then on generic forms.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

from pydantic import BaseModel

from ..words import shorten
from .model import Card, Chip, Code, Fields, Ident, Node, Options, Para, Span

Builder = Callable[[Any, "Ctx"], Node]


@dataclass
class Builders:
    """Which builder draws what. ``classes``: by class (an object's nearest registered base wins). ``lists``: for a
    list, the first ``(test, builder)`` whose test every item passes. ``forms``: the shapes found by shape rather than
    class, ``"message"`` (any message_type), ``"dict"`` and ``"mixed"`` (a list of several kinds)."""

    classes: dict[type, Builder] = field(default_factory=dict)
    lists: list[tuple[Callable[[Any], bool], Callable[[list, Ctx], Node]]] = field(default_factory=list)
    forms: dict[str, Builder] = field(default_factory=dict)


# Filled once, by .registry, which the display package imports: the builder modules import this one for build() and
# Ctx, so this one cannot import them.
BUILDERS = Builders()


@dataclass(frozen=True)
class Ctx:
    """Options plus the client; builders make network calls only when a client was passed explicitly."""

    opts: Options = Options()
    client: Any = None

    def ident(self, value: str | None) -> Ident | None:
        """An id: always in HTML (the sanitizer normalises it), in text only with ``ids=True``."""
        return Ident(value, only=None if self.opts.ids else "html") if value else None

    def when(self, value: Any) -> Span | None:
        """A timestamp in one fixed ISO form, in text only with ``times=True``."""
        stamp = iso(value)
        return Span(stamp, "muted", mono=True, only=None if self.opts.times else "html") if stamp else None

    def duration(self, ns: int | None) -> Span | None:
        """A duration as ``1.23 s`` (the form the notebook sanitizer knows), in text only with ``times=True``."""
        if ns is None:
            return None
        return Span(f"{ns / 1e9:.2f} s", mono=True, only=None if self.opts.times else "html")

    def field(self, key: str, value: Any, kind: str = "plain") -> tuple[str, list, str | None] | None:
        """A Fields row, or None when there is nothing to show. ``kind``: plain, id, time."""
        if value is None or value == "" or value == []:
            return None
        if kind == "id":
            return (key, [self.ident(value)], None if self.opts.ids else "html")
        if kind == "time":
            span = self.when(value)
            return (key, [span], span.only) if span else None
        if isinstance(value, list):
            return (key, value, None)
        return (key, [Span(str(value))], None)


def iso(value: Any) -> str | None:
    """``2026-11-24T15:40:32Z``: seconds, UTC, always the same shape."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)  # the server stores UTC; some fields come back naive
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


def tag_chips(tags: Any) -> list:
    return [Chip(tag) for tag in sorted(tags or [])]


def fields(ctx: Ctx, *rows) -> Fields:
    return Fields([row for row in rows if row is not None])


@cache
def _declared_kind(cls: type) -> str | None:
    """The literal a model class declares for ``message_type`` (``Optional[Literal["x"]]`` -> ``"x"``)."""
    field = getattr(cls, "model_fields", {}).get("message_type")
    if field is None:
        return None
    pending = [field.annotation]
    while pending:
        hint = pending.pop()
        if typing.get_origin(hint) is typing.Literal:
            values = typing.get_args(hint)
            return values[0] if len(values) == 1 and isinstance(values[0], str) else None
        pending.extend(typing.get_args(hint))
    return None


def message_kind(obj: Any) -> str | None:
    """``message_type`` of a message or chunk. The server always sets it; models built in Python leave the optional
    field at None, so the class's declared literal stands in."""
    kind = getattr(obj, "message_type", None)
    if isinstance(kind, str):
        return kind
    return _declared_kind(type(obj)) if isinstance(obj, BaseModel) else None


def registered_types() -> tuple[type, ...]:
    """Every class with a builder in the table: what ``enable()`` registers formatters for."""
    return tuple(BUILDERS.classes)


def build(obj: Any, ctx: Ctx) -> Node:
    """The node tree for ``obj``."""
    for cls in type(obj).__mro__:
        fn = BUILDERS.classes.get(cls)
        if fn is not None:
            return fn(obj, ctx)
    own = getattr(type(obj), "_letta_node_", None)
    if own is not None:
        return own(obj, ctx)
    if message_kind(obj) is not None:
        return BUILDERS.forms["message"](obj, ctx)
    if isinstance(obj, (list, tuple)):  # a page is a class of the table
        return build_list(list(obj), ctx)
    if isinstance(obj, dict):
        return BUILDERS.forms["dict"](obj, ctx)
    if isinstance(obj, BaseModel):
        return generic(obj, ctx)
    return Para([Span(repr(obj))])


def build_list(items: list, ctx: Ctx) -> Node:
    if not items:
        return Para([Span("(empty list)", "muted")])
    for test, fn in BUILDERS.lists:
        if all(test(item) for item in items):
            return fn(items, ctx)
    return BUILDERS.forms["mixed"](items, ctx)


# Fields never worth showing: vectors, internal bookkeeping.
_SKIP = {"embedding", "organization_id", "created_by_id", "last_updated_by_id", "otid", "project_id", "deployment_id",
         "base_template_id", "template_id", "entity_id"}


def generic(obj: BaseModel, ctx: Ctx) -> Node:
    """Any other SDK model: its set fields in declared order; ids and times follow the usual rules."""
    rows = []
    title = None
    for name in type(obj).model_fields:
        value = getattr(obj, name, None)
        if name in _SKIP or value is None or value == [] or value == {}:
            continue
        if name == "name" and isinstance(value, str):
            title = value
        elif name == "id" or name.endswith("_id"):
            rows.append(ctx.field(name, value, "id") if isinstance(value, str) else ctx.field(name, str(value)))
        elif name.endswith("_ids") and isinstance(value, list):
            rows.append(ctx.field(name, f"{len(value)}"))
        elif isinstance(value, datetime) or name.endswith("_at") or name == "date":
            rows.append(ctx.field(name, value, "time"))
        elif isinstance(value, (BaseModel, dict, list)):
            rows.append((name, [Span(compact_json(value), mono=True)], None))
        else:
            rows.append(ctx.field(name, value))
    kind = type(obj).__name__
    return Card(kind, [Span(title)] if title else [], [fields(ctx, *rows)])


def compact_json(value: Any, limit: int = 200) -> str:
    """One line of JSON (pydantic models dumped first), cut at ``limit``."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_none=True)
    elif isinstance(value, list):
        value = [v.model_dump(mode="json", exclude_none=True) if isinstance(v, BaseModel) else v for v in value]
    return shorten(json.dumps(value, ensure_ascii=False, default=str), limit)


def json_block(value: Any, ctx: Ctx) -> Code:
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_none=True)
    return Code(json.dumps(value, ensure_ascii=False, indent=2, default=str), "json", limit=ctx.opts.max_chars,
                lines=ctx.opts.max_lines)
