"""Assembly: the chunks of a token stream merged into the messages the server would return whole.

A token stream sends many chunks per message (same ``id`` and ``message_type``): text deltas in ``content``,
tool-call arguments in ``tool_call.arguments`` pieces. :class:`Assembler` merges them in O(1) per chunk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..content import text_of
from ..display.shapes import StopReasonShape, UsageShape
from ..display.view import Rendered
from ..errors import LettaNbError, run_failure

# Chunk types that are complete in one piece and never merged.
_ATOMIC = {"tool_return_message", "approval_response_message", "error_message", "stop_reason", "usage_statistics"}


# --------------------------------------------------------------------------------------------- assembly
class Part:
    """One message being assembled. ``texts`` (content or reasoning deltas) and ``args`` (tool-call argument pieces)
    are lists, so appending stays O(1) and a viewer can show only the pieces it has not shown yet."""

    __slots__ = ("first", "texts", "args", "name")

    def __init__(self, chunk: Any) -> None:
        self.first = chunk
        self.texts: list[str] = []
        self.args: list[str] = []
        self.name: str | None = None
        self.add(chunk)

    @property
    def kind(self) -> str:
        return self.first.message_type

    @property
    def is_call(self) -> bool:
        return getattr(self.first, "tool_call", None) is not None

    @property
    def pieces(self) -> list[str]:
        """What arrives piece by piece: the arguments of a call, else the text."""
        return self.args if self.is_call else self.texts

    def add(self, chunk: Any) -> None:
        text = getattr(chunk, "content", None)
        if isinstance(text, str):
            self.texts.append(text)
        reasoning = getattr(chunk, "reasoning", None)
        if isinstance(reasoning, str):
            self.texts.append(reasoning)
        call = getattr(chunk, "tool_call", None)
        if call is not None:
            self.name = self.name or call.name
            if call.arguments:
                self.args.append(call.arguments)

    def message(self) -> Any:
        """The merged message, as the same letta-client type the server would return whole."""
        update: dict[str, Any] = {}
        if self.kind == "reasoning_message":
            update["reasoning"] = "".join(self.texts)
        elif isinstance(getattr(self.first, "content", None), str):
            update["content"] = "".join(self.texts)
        if self.is_call:
            call = self.first.tool_call.model_copy(update={"name": self.name, "arguments": "".join(self.args)})
            update["tool_call"] = call
            if getattr(self.first, "tool_calls", None) is not None and not isinstance(self.first.tool_calls, list):
                update["tool_calls"] = call
        return self.first.model_copy(update=update)


@dataclass(repr=False)
class Transcript(Rendered):
    """The messages of one streamed turn, with its stop reason and usage; displays like a ``LettaResponse``."""

    messages: list[Any] = field(default_factory=list)
    stop_reason: StopReasonShape | None = None
    usage: UsageShape | None = None
    run_id: str | None = None
    last_seq_id: int | None = None
    chunks: int = 0

    @property
    def text(self) -> str:
        """All assistant text of the turn."""
        return reply_text(self.messages)


def reply_text(messages: Iterable[Any]) -> str:
    """The assistant text among ``messages``, joined as it was streamed: whole messages, or a token stream's chunks."""
    return "".join(text_of(m) for m in messages if getattr(m, "message_type", None) == "assistant_message")


def failure_of(chunk: Any) -> LettaNbError | None:
    """The error an ``error_message`` chunk reports (the run failed on the server); None for any other chunk."""
    if getattr(chunk, "message_type", None) != "error_message":
        return None
    return run_failure(getattr(chunk, "message", None) or chunk, getattr(chunk, "run_id", None))


class Assembler:
    """Feed chunks in order; :meth:`finish` gives the turn so far. Pings are dropped. ``failure`` is the first
    ``error_message`` seen, as a :class:`LettaNbError` (the stream goes on to its stop reason)."""

    def __init__(self) -> None:
        self._parts: list[Part] = []
        self._index: dict[tuple[str | None, str | None], int] = {}
        self.transcript = Transcript()
        self.failure: LettaNbError | None = None

    def __len__(self) -> int:
        """Messages so far."""
        return len(self._parts)

    def feed(self, chunk: Any) -> int | None:
        """Add one chunk; returns the index of the message it belongs to (None for ping/stop/usage)."""
        t = self.transcript
        t.chunks += 1
        t.run_id = getattr(chunk, "run_id", None) or t.run_id
        seq = getattr(chunk, "seq_id", None)
        if seq is not None:
            t.last_seq_id = seq
        kind = getattr(chunk, "message_type", None)
        if kind == "ping":
            return None
        if kind == "stop_reason":
            t.stop_reason = chunk
            return None
        if kind == "usage_statistics":
            t.usage = chunk
            return None
        self.failure = self.failure or failure_of(chunk)
        key = (getattr(chunk, "id", None), kind)
        index = None if kind in _ATOMIC or key[0] is None else self._index.get(key)
        if index is None:
            index = len(self._parts)
            self._parts.append(Part(chunk))
            self._index[key] = index
        else:
            self._parts[index].add(chunk)
        return index

    def part(self, index: int) -> Part:
        return self._parts[index]

    def message(self, index: int) -> Any:
        return self._parts[index].message()

    def finish(self) -> Transcript:
        self.transcript.messages = [p.message() for p in self._parts]
        return self.transcript


def collect(chunks: Iterable[Any]) -> Transcript:
    """Assemble a whole stream without showing it."""
    assembler = Assembler()
    for chunk in chunks:
        assembler.feed(chunk)
    return assembler.finish()
