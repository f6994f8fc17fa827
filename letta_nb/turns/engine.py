"""The turn: a user message, then as many requests as its approvals need, played by a source, an observer and a
policy (see :mod:`letta_nb.turns`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import letta_client

from ..errors import LettaNbError, translated
from .assembly import Assembler, Transcript
from .observe import Observer
from .policy import Batch, Call, Policy, approval_message, pending_calls
from .source import Plain, Resumable, open_stream

MAX_ROUNDS = 10


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
    and returns :class:`Done` or :class:`NeedsDecisions`; :meth:`play` advances to the end, answering with the policy.

    ``text=None`` continues a turn that is already waiting for approvals (say, one found in the history): call
    :meth:`answer` first, or ``play(decided=...)``. ``options`` go with every request (e.g. ``background=True``), and
    so do the policy's tools (``client_tools``). ``source`` (default :class:`Plain`) says what a dropped connection
    does, ``observer`` sees the turn go by, ``policy`` answers its pauses (None: a pause ends the turn).
    """

    def __init__(self, client: letta_client.Letta | None, agent_id: str | None, text: str | None, *,
                 conversation_id: str | None = None, options: dict | None = None, source: Plain | Resumable | None = None,
                 observer: Observer | None = None, policy: Policy | None = None) -> None:
        self.client = client
        self.agent_id = agent_id
        self.conversation_id = conversation_id
        self.options = options or {}
        self.source = source or Plain()
        self.observer = observer or Observer()
        self.policy = policy
        self.assembler = Assembler()
        self.round_start = 0  # index of the first message of the latest request
        self._next: list[dict] | None = None if text is None else [{"role": "user", "content": text}]
        self._opened: Iterable[Any] | None = None

    @classmethod
    def watching(cls, stream: Iterable[Any], *, client: letta_client.Letta | None = None,
                 source: Plain | Resumable | None = None, observer: Observer | None = None) -> Turn:
        """A turn whose request was sent elsewhere: ``stream`` is its reply (:func:`letta_nb.stream.render_stream`)."""
        turn = cls(client, None, None, source=source, observer=observer)
        turn._opened = stream
        return turn

    def answer(self, items: list[dict]) -> None:
        """Send these approval items (one per pending call) with the next :meth:`advance`."""
        self._next = [approval_message(items)]

    def advance(self) -> Done | NeedsDecisions:
        """Stream the next request to its end. Raises :class:`LettaNbError` naming the fix on any failure."""
        opened, self._opened = self._opened, None
        if opened is None and self._next is None:
            raise LettaNbError("The turn is waiting for answers to its tool calls: call turn.answer([...]) first.")
        messages, self._next = self._next, None
        assembler, observer = self.assembler, self.observer
        self.round_start = len(assembler)
        assembler.transcript.stop_reason = None  # a request cut short must not inherit the last one's
        observer.round_started(self)
        try:
            with translated():
                if opened is None:
                    if self.client is None or self.agent_id is None:
                        raise LettaNbError("This turn has no client or agent to send its request to: "
                                           "Turn(client, agent_id, text).")
                    assert messages is not None  # nothing opened: checked above that there is something to send
                    tools = self.policy.tools.request_options() if self.policy is not None else {}
                    opened = open_stream(self.client, self.agent_id, messages, conversation_id=self.conversation_id,
                                         **self.options, **tools)
                for chunk in self.source.follow(opened):
                    observer.chunk(assembler, assembler.feed(chunk), chunk)
        finally:
            transcript = assembler.finish()
            observer.round_ended(self)
        if assembler.failure is not None:
            raise assembler.failure
        if getattr(transcript.stop_reason, "stop_reason", None) != "requires_approval":
            return Done(transcript)
        return NeedsDecisions(pending_calls(transcript.messages[self.round_start:]), transcript)

    def decide(self, calls: list[Call], resume: Callable[[Batch], None]) -> Batch | None:
        """Ask the policy about ``calls``: its decisions, or None when it calls ``resume(decisions)`` later."""
        decided = self.policy.ask(calls, resume) if self.policy is not None else None
        if decided is None:
            self.observer.waiting(calls)
        return decided

    def play(self, *, decided: Batch | None = None, resume: Callable[[Batch], None] | None = None,
             max_rounds: int = MAX_ROUNDS) -> Transcript | None:
        """Advance to the end of the turn, answering every pause with the policy; returns the whole turn, all rounds.

        ``decided`` answers the calls the turn waits on first. Returns None when the policy decides later: it then
        calls ``resume(decisions)`` (default: play on at once, in the caller of ``resume``). Without a policy, a pause
        ends the turn like any stop reason. Raises :class:`LettaNbError` naming the fix (the observer saw it first).
        """
        def play_on(later: Batch) -> None:
            self.play(decided=later, max_rounds=max_rounds)

        try:
            for _ in range(max_rounds):
                if decided is not None:
                    if self.policy is None:
                        raise LettaNbError("Decisions need a policy to answer them with: Turn(..., policy=...).")
                    items = [self.policy.tools.answer(call, decision) for call, decision in decided]
                    self.observer.answering(items)
                    self.answer(items)
                step = self.advance()
                if isinstance(step, Done) or self.policy is None:
                    self.observer.finished(step.transcript)
                    return step.transcript
                decided = self.decide(step.calls, resume or play_on)
                if decided is None:
                    return None
            raise LettaNbError(f"The agent still asks for approvals after {max_rounds} rounds; answer the pending call "
                               "(e.g. deny it) or raise max_rounds.")
        except LettaNbError as exc:
            self.observer.failed(exc, self.assembler.finish())
            raise
