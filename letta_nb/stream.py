"""Streams shown live: :func:`stream` and :func:`render_stream` play a :class:`letta_nb.turns.Turn` with a sink as
its observer and a resumable source, so a background run survives a dropped connection.

In Jupyter, finished messages are displayed once each and only the message being written is redrawn (at most every
``REDRAW_S``), so the cost of a chunk does not grow with the reply; elsewhere (plain Python, a terminal) text is
printed as it arrives.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

import letta_client

from .client_tools import Toolbox
from .display import render
from .display.notebook import in_notebook
from .errors import LettaNbError, translated
from .turns import (
    RESUME_ATTEMPTS,
    Assembler,
    Automatic,
    Call,
    Decision,
    Observer,
    Resumable,
    Transcript,
    Turn,
    collect,
    reopen,
)
from .words import shorten

__all__ = ["render_stream", "resume", "stream", "Transcript", "Assembler", "collect", "REDRAW_S", "RESUME_ATTEMPTS"]

REDRAW_S = 0.1


# ------------------------------------------------------------------------------------------------ sinks
class _TextSink(Observer):
    """Prints as chunks arrive: a header per message, then its text or arguments piece by piece."""

    LABELS = {"assistant_message": "assistant", "reasoning_message": "reasoning", "tool_call_message": "tool call",
              "approval_request_message": "approval request", "tool_return_message": "tool return", "error_message": "error"}

    def __init__(self, write: Callable[[str], Any]) -> None:
        self.write = write
        self.current: int | None = None
        self.printed = 0
        self.suffix = ""

    def _end_line(self) -> None:
        if self.current is not None:
            self.write(self.suffix + "\n")

    def chunk(self, assembler: Assembler, index: int | None, chunk: Any) -> None:
        if index is None:
            return
        part = assembler.part(index)
        kind, is_call = part.kind, part.is_call
        if index != self.current:
            self._end_line()
            self.current, self.printed = index, 0
            self.suffix = ")" if is_call else ""
            self.write(f"{self.LABELS.get(kind, kind)}: " + (f"{part.name}(" if is_call else ""))
            if kind == "tool_return_message":
                returned = shorten(str(getattr(part.first, "tool_return", "") or ""), 200, one_line=True)
                self.write(f"[{getattr(part.first, 'status', '')}] {returned}")
            elif kind == "error_message":
                self.write(shorten(str(getattr(part.first, "message", None) or part.first), 200, one_line=True))
        pieces = part.pieces
        for piece in pieces[self.printed:]:
            self.write(piece)
        self.printed = len(pieces)

    def finished(self, transcript: Transcript) -> None:
        self._end_line()
        for item in (transcript.stop_reason, transcript.usage):
            if item is not None:
                self.write(render(item).text + "\n")

    def failed(self, error: LettaNbError, transcript: Transcript) -> None:
        self.finished(transcript)
        self.write(f"✗ {error}\n")


class _JupyterSink(Observer):
    """One display per finished message; only the message being written is redrawn, at most every REDRAW_S.

    The live area starts and ends with no data at all (not even an empty text) and the finished message is displayed
    after it: nbval ignores display updates and compares an output by its data, so a re-execution matches the stored
    notebook, and ``scripts/store.py`` drops the data-less live areas so that no empty output is stored.
    """

    def __init__(self) -> None:
        from IPython.display import display

        self._display = display
        self.assembler: Assembler | None = None
        self.current: int | None = None
        self.handle: Any = None  # the live area's DisplayHandle (display_id=True always gives one)
        self.last_draw = 0.0

    def _new_live_area(self) -> None:
        self.handle = self._display({}, raw=True, display_id=True)

    def _finish_current(self) -> None:
        if self.current is None or self.assembler is None:  # the assembler is set with the first message
            return
        self.handle.update({}, raw=True)
        view = render(self.assembler.message(self.current))
        self._display({"text/plain": view.text, "text/html": view.html}, raw=True)
        self.current = None

    def chunk(self, assembler: Assembler, index: int | None, chunk: Any) -> None:
        if index is None:
            return
        self.assembler = assembler
        if index != self.current:
            self._finish_current()
            self.current = index
            self._new_live_area()
            self.last_draw = 0.0
        now = time.monotonic()
        if now - self.last_draw >= REDRAW_S:
            view = render(assembler.message(index))
            self.handle.update({"text/plain": view.text, "text/html": view.html}, raw=True)
            self.last_draw = now

    def finished(self, transcript: Transcript) -> None:
        self._finish_current()
        for item in (transcript.stop_reason, transcript.usage):
            if item is not None:
                view = render(item)
                self._display({"text/plain": view.text, "text/html": view.html}, raw=True)

    def failed(self, error: LettaNbError, transcript: Transcript) -> None:
        self.finished(transcript)
        self._display({"text/plain": f"✗ {error}"}, raw=True)


# --------------------------------------------------------------------------------------------- render
def _sink(live: bool | None, write: Callable[[str], Any] | None) -> Observer:
    if in_notebook() if live is None else live:
        return _JupyterSink()
    return _TextSink(write or (lambda s: (sys.stdout.write(s), sys.stdout.flush())))


def render_stream(stream: Iterable[Any], *, client: letta_client.Letta | None = None, resume: bool = True,
                  live: bool | None = None, write: Callable[[str], Any] | None = None) -> Transcript:
    """Show a stream as it arrives and return the assembled :class:`Transcript`.

    With ``client`` and ``resume``, a connection dropped during a background run (``background=True``) is resumed
    from the last ``seq_id`` with ``client.runs.messages.stream``: each chunk is shown exactly once.
    An ``error_message`` chunk, an HTTP error or a timeout ends the display with a message naming the fix and raises
    :class:`LettaNbError`; nothing hangs.
    """
    source = Resumable(client if resume else None)
    transcript = Turn.watching(stream, client=client, source=source, observer=_sink(live, write)).play()
    assert transcript is not None  # only a policy that decides later makes play() return None; this turn has none
    return transcript


def resume(client: letta_client.Letta, run_id: str, *, starting_after: int | None = None, **options: Any) -> Transcript:
    """Show the rest of a background run (``background=True``) after ``starting_after`` (its last ``seq_id`` you saw;
    None: from the start), as :func:`render_stream` does. Raises :class:`LettaNbError` saying so if the run was lost
    (the local stack's server stopped while it ran), instead of waiting for a reply that will never come."""
    with translated():
        chunks = reopen(client, run_id, starting_after)
    return render_stream(chunks, client=client, **options)


def stream(client: letta_client.Letta, agent_id: str, text: str, *, conversation_id: str | None = None,
           background: bool = False, tools: Any = None, decide: Callable[[Call], Decision] | None = None,
           live: bool | None = None, write: Callable[[str], Any] | None = None, **options: Any) -> Transcript:
    """Send ``text`` to an agent (or one of its conversations) and show the reply token by token, as
    :func:`render_stream` does.

    With ``tools`` (a :class:`letta_nb.client_tools.Toolbox`, or the functions that make one) or ``decide``, every
    approval request of the turn is answered as :func:`letta_nb.client_tools.run_turn` answers it (``decide(call)``,
    by default: run the toolbox's functions here, deny the rest), and the turn is shown to its end. Without them, a
    tool call that needs approval ends the turn.
    """
    policy = None if tools is None and decide is None else Automatic(Toolbox.of(tools), decide)
    turn = Turn(client, agent_id, text, conversation_id=conversation_id, options={"background": background, **options},
                source=Resumable(client), observer=_sink(live, write), policy=policy)
    transcript = turn.play()
    assert transcript is not None  # Automatic decides at once: play() never waits for decisions
    return transcript
