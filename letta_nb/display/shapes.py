"""The shapes of the letta-client objects that the displays (and the turn engine) read duck-typed.

A builder is handed whole SDK models, a token stream's chunks (the same classes with most fields still None), objects
rebuilt from an older server's JSON, or stand-ins with the same attributes. So the builders read optional attributes
with ``getattr(x, "...", None)`` and take these :class:`~typing.Protocol`\\ s in their signatures: each names the
attributes its readers need, with the widest type any of those sources gives (so letta-client's own classes match
them; a type checker says so where one is passed). Agents, tools, passages, folders and the rest are read through
their letta-client classes' declared fields, so they need no shape here.

Every member is a read-only property: a pydantic field typed ``str`` then matches ``str | None``. Attributes that a
reader takes with ``getattr`` and a default (absent from some sources) are named in the docstring, not as members.
Nothing here is checked at run time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol


class ToolCallShape(Protocol):
    """One tool call: a message's whole ``ToolCall``, or a stream's ``ToolCallDelta`` (any field None while the call
    is still arriving)."""

    @property
    def name(self) -> str | None: ...

    @property
    def arguments(self) -> str | None: ...

    @property
    def tool_call_id(self) -> str | None: ...


class ToolReturnShape(Protocol):
    """A tool's result: a ``ToolReturnMessage`` or one of its ``tool_returns`` (``ToolReturn``), whose value may be a
    list of content parts rather than a string. Also read when present: ``name`` (the message's)."""

    @property
    def status(self) -> str: ...

    @property
    def tool_return(self) -> str | Sequence[object]: ...

    @property
    def stdout(self) -> Sequence[str] | None: ...

    @property
    def stderr(self) -> Sequence[str] | None: ...


class ErrorShape(Protocol):
    """An ``error_message`` chunk (``LettaErrorMessage``): the run failed on the server."""

    @property
    def message(self) -> str | None: ...

    @property
    def error_type(self) -> str | None: ...

    @property
    def detail(self) -> str | None: ...


class StopReasonShape(Protocol):
    """A ``LettaStopReason`` (a stream's ``stop_reason`` chunk, or ``LettaResponse.stop_reason``)."""

    @property
    def stop_reason(self) -> str: ...


class UsageShape(Protocol):
    """Token usage of a turn (``LettaUsageStatistics``). Also read when present (newer servers):
    ``cached_input_tokens``, ``reasoning_tokens``."""

    @property
    def step_count(self) -> int | None: ...

    @property
    def total_tokens(self) -> int | None: ...

    @property
    def prompt_tokens(self) -> int | None: ...

    @property
    def completion_tokens(self) -> int | None: ...


class BlockShape(Protocol):
    """A memory block: an agent's ``Block``, a ``BlockResponse`` from ``client.blocks``, or a ``MemoryFileBlock``. The
    id is None on a block that was never stored."""

    @property
    def id(self) -> str | None: ...

    @property
    def label(self) -> str | None: ...

    @property
    def value(self) -> str: ...

    @property
    def limit(self) -> int | None: ...

    @property
    def read_only(self) -> bool | None: ...

    @property
    def description(self) -> str | None: ...


class RunShape(Protocol):
    """A run (``Run``) as the runs table lists it."""

    @property
    def id(self) -> str: ...

    @property
    def status(self) -> str | None: ...

    @property
    def stop_reason(self) -> str | None: ...

    @property
    def background(self) -> bool | None: ...

    @property
    def total_duration_ns(self) -> int | None: ...

    @property
    def created_at(self) -> datetime | None: ...



if TYPE_CHECKING:  # read by mypy only (tests/test_types.py): letta-client's own classes have these shapes
    from letta_client.types import BlockResponse
    from letta_client.types.agent_state import MemoryFileBlock
    from letta_client.types.agents import ToolCall, ToolCallDelta, ToolReturn
    from letta_client.types.agents.block import Block
    from letta_client.types.agents.letta_streaming_response import (
        LettaErrorMessage,
        LettaStopReason,
        LettaUsageStatistics,
    )
    from letta_client.types.agents.run import Run
    from letta_client.types.tool_return_message import ToolReturnMessage

    def _sdk_shapes(call: ToolCall, delta: ToolCallDelta, message: ToolReturnMessage, ret: ToolReturn,
                    error: LettaErrorMessage, stop: LettaStopReason, usage: LettaUsageStatistics, block: Block,
                    response: BlockResponse, file_block: MemoryFileBlock, run: Run,
                    ) -> tuple[list[ToolCallShape], list[ToolReturnShape], list[BlockShape], ErrorShape, StopReasonShape,
                               UsageShape, RunShape]:
        return [call, delta], [message, ret], [block, response, file_block], error, stop, usage, run
