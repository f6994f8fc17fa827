"""Observers: what watches a turn go by. Each hook is called on the thread that plays the turn; all are optional.

The observers themselves live with what they draw on: the text and notebook sinks in :mod:`letta_nb.stream`, the
chat session's traits in :mod:`letta_nb.state.chat`. This module imports no display.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..exceptions import LettaNbError
    from .assembly import Assembler, Transcript
    from .engine import Turn
    from .policy import Call


class Observer:
    """Sees a turn: its requests (rounds) start and end, every chunk as it is assembled, the answers sent for its
    tool calls, and how it ends (:meth:`finished`, :meth:`waiting` for a policy that decides later, :meth:`failed`)."""

    def round_started(self, turn: Turn) -> None:
        """A request is about to stream; ``turn.round_start`` is the index of its first message."""

    def chunk(self, assembler: Assembler, index: int | None, chunk: Any) -> None:
        """``chunk`` was fed to ``assembler``; ``index`` is its message's (None for pings, stop and usage)."""

    def round_ended(self, turn: Turn) -> None:
        """The request ended (done, paused on tool calls, or failed); ``turn.assembler.transcript`` is up to date."""

    def answering(self, items: list[dict]) -> None:
        """These approval items go out with the next request."""

    def waiting(self, calls: list[Call]) -> None:
        """The turn paused on ``calls`` and its policy will answer later."""

    def finished(self, transcript: Transcript) -> None:
        """The turn ended: any stop reason but a pause its policy answers."""

    def failed(self, error: LettaNbError, transcript: Transcript) -> None:
        """The turn ended in ``error``; ``transcript`` holds what arrived before."""


class Chunks(Observer):
    """Hands every chunk to ``on_chunk`` (``client_tools.run_turn(on_chunk=...)``)."""

    def __init__(self, on_chunk: Callable[[Any], Any]) -> None:
        self.on_chunk = on_chunk

    def chunk(self, assembler: Assembler, index: int | None, chunk: Any) -> None:
        self.on_chunk(chunk)
