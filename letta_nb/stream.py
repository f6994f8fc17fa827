"""Streams shown live: :func:`render_stream` watches :mod:`letta_nb.turns` assemble the chunks, and resumes background runs.

:func:`render_stream` shows the result live: in Jupyter, finished messages are displayed once each and only the
message being written is redrawn (at most every ``REDRAW_S``), so the cost of a chunk does not grow with the reply;
elsewhere (plain Python, a terminal) it prints text as it arrives.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC
from typing import Any

import letta_client

from .display import render
from .display.notebook import in_notebook
from .errors import LettaNbError, explain, translated
from .exceptions import RunLost, StreamCut
from .local.stack import Stack
from .turns import Assembler, Transcript, collect, open_stream
from .words import shorten

__all__ = ["render_stream", "resume", "stream", "Transcript", "Assembler", "collect", "REDRAW_S"]

REDRAW_S = 0.1
RESUME_ATTEMPTS = 5


# ------------------------------------------------------------------------------------------------ sinks
class _TextSink:
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

    def update(self, assembler: Assembler, index: int) -> None:
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

    def close(self, transcript: Transcript, assembler: Assembler) -> None:
        self._end_line()
        for item in (transcript.stop_reason, transcript.usage):
            if item is not None:
                self.write(render(item).text + "\n")


class _JupyterSink:
    """One display per finished message; only the message being written is redrawn, at most every REDRAW_S.

    The live area starts and ends with no data at all (not even an empty text) and the finished message is displayed
    after it: nbval ignores display updates and compares an output by its data, so a re-execution matches the stored
    notebook, and ``scripts/store.py`` drops the data-less live areas so that no empty output is stored.
    """

    def __init__(self) -> None:
        from IPython.display import display

        self._display = display
        self.current: int | None = None
        self.handle = None
        self.last_draw = 0.0

    def _new_live_area(self) -> None:
        self.handle = self._display({}, raw=True, display_id=True)

    def _finish_current(self, assembler: Assembler) -> None:
        if self.current is None:
            return
        self.handle.update({}, raw=True)
        view = render(assembler.message(self.current))
        self._display({"text/plain": view.text, "text/html": view.html}, raw=True)
        self.current = None

    def update(self, assembler: Assembler, index: int) -> None:
        if index != self.current:
            self._finish_current(assembler)
            self.current = index
            self._new_live_area()
            self.last_draw = 0.0
        now = time.monotonic()
        if now - self.last_draw >= REDRAW_S:
            view = render(assembler.message(index))
            self.handle.update({"text/plain": view.text, "text/html": view.html}, raw=True)
            self.last_draw = now

    def close(self, transcript: Transcript, assembler: Assembler) -> None:
        self._finish_current(assembler)
        for item in (transcript.stop_reason, transcript.usage):
            if item is not None:
                view = render(item)
                self._display({"text/plain": view.text, "text/html": view.html}, raw=True)


# --------------------------------------------------------------------------------------------- render
def render_stream(stream: Iterable[Any], *, client: letta_client.Letta | None = None, resume: bool = True,
                  live: bool | None = None, write: Callable[[str], Any] | None = None) -> Transcript:
    """Show a stream as it arrives and return the assembled :class:`Transcript`.

    With ``client`` and ``resume``, a connection dropped during a background run (``background=True``) is resumed
    from the last ``seq_id`` with ``client.runs.messages.stream``: each chunk is shown exactly once.
    An ``error_message`` chunk, an HTTP error or a timeout ends the display with a message naming the fix and raises
    :class:`LettaNbError`; nothing hangs.
    """
    import sys

    live = in_notebook() if live is None else live
    sink = _JupyterSink() if live else _TextSink(write or (lambda s: (sys.stdout.write(s), sys.stdout.flush())))
    assembler = Assembler()
    failure: LettaNbError | None = None
    try:
        for chunk in _resumable(stream, assembler, client if resume else None):
            index = assembler.feed(chunk)
            if index is not None:
                sink.update(assembler, index)
        failure = assembler.failure
    except (letta_client.APIError, LettaNbError) as exc:
        failure = explain(exc)
    transcript = assembler.finish()
    sink.close(transcript, assembler)
    if failure is not None:
        if live:
            from IPython.display import display

            display({"text/plain": f"✗ {failure}"}, raw=True)
        else:
            (write or sys.stdout.write)(f"✗ {failure}\n")
        raise failure
    return transcript


def _resumable(stream: Iterable[Any], assembler: Assembler, client: letta_client.Letta | None) -> Iterator[Any]:
    """Yield the stream's chunks; on a dropped connection, continue the run after the last seq_id seen."""
    import httpx

    source: Iterable[Any] = stream
    for attempt in range(RESUME_ATTEMPTS + 1):
        try:
            yield from source
            return
        except (letta_client.APIConnectionError, httpx.TransportError) as exc:
            run_id, seq = assembler.transcript.run_id, assembler.transcript.last_seq_id
            if client is None or run_id is None or seq is None or attempt == RESUME_ATTEMPTS:
                raise StreamCut(f"The stream was cut ({type(exc).__name__}) and cannot be resumed: only background runs "
                                "(background=True, with a client passed to render_stream) can be. "
                                f"Check the server (`letta-nb status`).", original=exc) from None
            try:
                _check_not_lost(client, run_id)
                source = client.runs.messages.stream(run_id, starting_after=seq)
            except letta_client.APIConnectionError as unanswered:
                raise StreamCut(f"The stream of run {run_id} was cut and the server does not answer: run `letta-nb status` "
                                "to see which service is down, `letta-nb up` to restart it, then "
                                f"letta_nb.stream.resume(client, {run_id!r}, starting_after={seq}).",
                                original=unanswered) from None


def _server_started(client: letta_client.Letta) -> float | None:
    """Since when the local stack's server has run (epoch seconds), if ``client`` talks to it; else None."""
    try:
        stack = Stack()
    except LettaNbError:  # a malformed LETTA_NB_*PORT: not the local stack's business here
        return None
    return stack.server_started() if stack.serves(client.base_url) else None


def _check_not_lost(client: letta_client.Letta, run_id: str) -> None:
    """Raise if the run can never finish: it is still "running" but began before the server now running was started.

    A run executes inside the server process, so a server that was killed (or stopped) takes its runs with it, while
    the database still says "running" and resuming from Redis would wait forever for the rest. Known only for the
    local stack (where the server's start time is known); elsewhere resuming is tried as usual. The lost run is
    cancelled, so that it no longer shows as running.
    """

    started = _server_started(client)
    if started is None:
        return
    try:
        run = client.runs.retrieve(run_id)
    except letta_client.APIStatusError:
        return  # the stream request reports it
    created = run.created_at
    if run.status not in ("created", "running") or created is None:
        return
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    if created.timestamp() >= started:
        return
    if run.agent_id:
        with contextlib.suppress(letta_client.APIError):
            client.agents.messages.cancel(run.agent_id, run_ids=[run_id])
    raise RunLost(f"Run {run_id} was lost: the server stopped while it ran, so its reply was never finished or "
                  "saved; send the message again.")


def resume(client: letta_client.Letta, run_id: str, *, starting_after: int | None = None, **options: Any) -> Transcript:
    """Show the rest of a background run (``background=True``) after ``starting_after`` (its last ``seq_id`` you saw;
    None: from the start), as :func:`render_stream` does. Raises :class:`LettaNbError` saying so if the run was lost
    (the local stack's server stopped while it ran), instead of waiting for a reply that will never come."""
    with translated():
        _check_not_lost(client, run_id)
        chunks = client.runs.messages.stream(run_id, include_pings=True,
                                             **({} if starting_after is None else {"starting_after": starting_after}))
    return render_stream(chunks, client=client, **options)


def stream(client: letta_client.Letta, agent_id: str, text: str, *, conversation_id: str | None = None,
           background: bool = False, **options: Any) -> Transcript:
    """Send ``text`` to an agent (or one of its conversations) and :func:`render_stream` the reply token by token."""
    with translated():
        chunks = open_stream(client, agent_id, [{"role": "user", "content": text}], conversation_id=conversation_id,
                             background=background, **options)
    return render_stream(chunks, client=client)
