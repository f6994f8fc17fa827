"""One turn with an agent, with nothing shown: send, assemble the streamed chunks, answer approvals, until it ends.

    turn = Turn(client, agent_id, "hi")
    step = turn.advance()                      # streams one request
    while isinstance(step, NeedsDecisions):    # the agent paused on tool calls (stop reason requires_approval)
        turn.answer([... one approval item per call ...])
        step = turn.advance()
    step.transcript                            # Done: every message of every round

The layers above only observe or decide: :func:`letta_nb.stream.render_stream` shows chunks as an
:class:`Assembler` merges them, :func:`letta_nb.client_tools.run_turn` answers with ``decide(call)``, and
:class:`letta_nb.state.ChatSession` (the chat widget's model) hands :class:`NeedsDecisions` to its approval queue.
This module imports neither widgets nor the display's builders; they import it (a :class:`Transcript` shows itself
through :mod:`letta_nb.display.view`, whose builder for it is in :mod:`letta_nb.display.registry`).

A token stream sends many chunks per message (same ``id`` and ``message_type``): text deltas in ``content``,
tool-call arguments in ``tool_call.arguments`` pieces. :class:`Assembler` merges them in O(1) per chunk.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import letta_client

from .display.view import Rendered
from .errors import LettaNbError, run_failure, translated

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
    stop_reason: Any = None
    usage: Any = None
    run_id: str | None = None
    last_seq_id: int | None = None
    chunks: int = 0

    @property
    def text(self) -> str:
        """All assistant text of the turn."""
        return "".join(m.content for m in self.messages if m.message_type == "assistant_message" and isinstance(m.content, str))


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
        self._index: dict[tuple[str | None, str], int] = {}
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


# -------------------------------------------------------------------------------------------- approvals
@dataclass(frozen=True)
class Call:
    """One tool call waiting for an answer."""

    tool_call_id: str
    name: str
    arguments: str = ""

    @property
    def args(self) -> dict:
        """The arguments as a dict (raises ValueError when the model sent invalid JSON)."""
        value = json.loads(self.arguments) if self.arguments.strip() else {}
        if not isinstance(value, dict):
            raise ValueError(f"arguments must be a JSON object, got {type(value).__name__}")
        return value


@dataclass(frozen=True)
class Decision:
    """What to do with one call: ``Decision.run()``, ``Decision.approve()`` or ``Decision.deny(reason)``."""

    action: Literal["run", "approve", "deny"]
    reason: str = ""

    @classmethod
    def run(cls) -> Decision:
        return cls("run")

    @classmethod
    def approve(cls) -> Decision:
        return cls("approve")

    @classmethod
    def deny(cls, reason: str = "") -> Decision:
        return cls("deny", reason)


def pending_calls(messages: Iterable[Any]) -> list[Call]:
    """The tool calls of the approval requests among ``messages`` (one request may hold several calls)."""
    calls: dict[str, Call] = {}
    for message in messages:
        if getattr(message, "message_type", None) != "approval_request_message":
            continue
        many = getattr(message, "tool_calls", None)
        for call in many if isinstance(many, list) and many else [message.tool_call]:
            if call is not None and call.tool_call_id:
                calls[call.tool_call_id] = Call(call.tool_call_id, call.name or "", call.arguments or "")
    return list(calls.values())


def approval_message(answers: list[dict]) -> dict:
    """The request that carries the answers (``{"type": "approval"|"tool", "tool_call_id": ..., ...}``) to the agent."""
    return {"type": "approval", "approvals": answers}


# ------------------------------------------------------------------------------------------------ turns
def open_stream(client: letta_client.Letta, agent_id: str, messages: list[dict], *, conversation_id: str | None = None,
                **options: Any) -> Iterator[Any]:
    """A token stream of one request to the agent, or to one of its conversations when ``conversation_id`` is set."""
    common = dict(messages=messages, streaming=True, stream_tokens=True, include_pings=True, **options)
    if conversation_id:
        return client.conversations.messages.create(conversation_id, **common)
    return client.agents.messages.create(agent_id=agent_id, **common)


@dataclass(frozen=True)
class Done:
    """The turn ended (any stop reason but ``requires_approval``)."""

    transcript: Transcript


@dataclass(frozen=True)
class NeedsDecisions:
    """The agent paused on ``calls``; :meth:`Turn.answer` them, then :meth:`Turn.advance` again."""

    calls: list[Call]
    transcript: Transcript


class Turn:
    """One turn: a user message, then as many requests as approvals need. Each :meth:`advance` streams one request
    and returns :class:`Done` or :class:`NeedsDecisions`.

    ``text=None`` continues a turn that is already waiting for approvals (say, one found in the history): call
    :meth:`answer` first. ``options`` go with every request (e.g. ``client_tools``); ``on_feed(assembler, index,
    chunk)`` sees every chunk as it is assembled, ``index`` being its message's (None for pings, stop and usage).
    """

    def __init__(self, client: letta_client.Letta, agent_id: str, text: str | None, *, conversation_id: str | None = None,
                 options: dict | None = None, on_feed: Callable[[Assembler, int | None, Any], Any] | None = None) -> None:
        self.client = client
        self.agent_id = agent_id
        self.conversation_id = conversation_id
        self.options = options or {}
        self.on_feed = on_feed
        self.assembler = Assembler()
        self.round_start = 0  # index of the first message of the latest request
        self._next: list[dict] | None = None if text is None else [{"role": "user", "content": text}]

    def answer(self, items: list[dict]) -> None:
        """Send these approval items (one per pending call) with the next :meth:`advance`."""
        self._next = [approval_message(items)]

    def advance(self) -> Done | NeedsDecisions:
        """Stream the next request to its end. Raises :class:`LettaNbError` naming the fix on any failure."""
        if self._next is None:
            raise LettaNbError("The turn is waiting for answers to its tool calls: call turn.answer([...]) first.")
        messages, self._next = self._next, None
        assembler = self.assembler
        self.round_start = len(assembler)
        assembler.transcript.stop_reason = None  # a request cut short must not inherit the last one's
        with translated():
            for chunk in open_stream(self.client, self.agent_id, messages, conversation_id=self.conversation_id, **self.options):
                index = assembler.feed(chunk)
                if self.on_feed is not None:
                    self.on_feed(assembler, index, chunk)
        transcript = assembler.finish()
        if assembler.failure is not None:
            raise assembler.failure
        if getattr(transcript.stop_reason, "stop_reason", None) != "requires_approval":
            return Done(transcript)
        return NeedsDecisions(pending_calls(transcript.messages[self.round_start:]), transcript)
