"""Sources: where a turn's chunks come from, and what a dropped connection does to them.

:class:`Plain` yields the stream as the connection delivers it: a cut ends the turn. :class:`Resumable` continues a
background run (``background=True``) after the last ``seq_id`` it saw, with ``client.runs.messages.stream``, and
first checks that the run was not lost with the server that ran it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from datetime import UTC
from typing import Any

import httpx
import letta_client

from ..exceptions import LettaNbError, RunLost, StreamCut

RESUME_ATTEMPTS = 5


def open_stream(client: letta_client.Letta, agent_id: str, messages: list[dict], *, conversation_id: str | None = None,
                **options: Any) -> Iterator[Any]:
    """A token stream of one request to the agent, or to one of its conversations when ``conversation_id`` is set."""
    common = dict(messages=messages, streaming=True, stream_tokens=True, include_pings=True, **options)
    if conversation_id:
        return client.conversations.messages.create(conversation_id, **common)
    return client.agents.messages.create(agent_id=agent_id, **common)


def reopen(client: letta_client.Letta, run_id: str, starting_after: int | None = None) -> Iterator[Any]:
    """The rest of a background run after ``starting_after`` (None: from its start). Raises :class:`RunLost` rather
    than wait for a run that can never finish."""
    check_not_lost(client, run_id)
    if starting_after is None:
        return client.runs.messages.stream(run_id, include_pings=True)
    return client.runs.messages.stream(run_id, include_pings=True, starting_after=starting_after)


class Plain:
    """The chunks as the connection delivers them; a cut raises (as :class:`StreamCut`, once translated)."""

    def follow(self, stream: Iterable[Any]) -> Iterator[Any]:
        return iter(stream)


class Resumable:
    """The chunks of a stream that survives a cut: a background run is resumed after the last ``seq_id`` seen (each
    chunk arrives once), up to ``attempts`` times. A stream that cannot be resumed (not a background run, or no
    ``client`` to resume it with) ends in :class:`StreamCut`, as does a server that no longer answers."""

    def __init__(self, client: letta_client.Letta | None, attempts: int = RESUME_ATTEMPTS) -> None:
        self.client = client
        self.attempts = attempts

    def follow(self, stream: Iterable[Any]) -> Iterator[Any]:
        source, run_id, seq = stream, None, None
        for attempt in range(self.attempts + 1):
            try:
                for chunk in source:
                    run_id = getattr(chunk, "run_id", None) or run_id
                    if getattr(chunk, "seq_id", None) is not None:
                        seq = chunk.seq_id
                    yield chunk
                return
            except (letta_client.APIConnectionError, httpx.TransportError) as exc:
                if self.client is None or run_id is None or seq is None or attempt == self.attempts:
                    raise StreamCut(f"The stream was cut ({type(exc).__name__}) and cannot be resumed: only background "
                                    "runs (background=True, with a client passed to render_stream) can be. "
                                    "Check the server (`letta-nb status`).", original=exc) from None
                try:
                    source = reopen(self.client, run_id, seq)
                except letta_client.APIConnectionError as unanswered:
                    raise StreamCut(f"The stream of run {run_id} was cut and the server does not answer: run "
                                    "`letta-nb status` to see which service is down, `letta-nb up` to restart it, "
                                    f"then letta_nb.stream.resume(client, {run_id!r}, starting_after={seq}).",
                                    original=unanswered) from None


def _server_started(client: letta_client.Letta) -> float | None:
    """Since when the local stack's server has run (epoch seconds), if ``client`` talks to it; else None."""
    from ..local.stack import Stack

    try:
        stack = Stack()
    except LettaNbError:  # a malformed LETTA_NB_*PORT: not the local stack's business here
        return None
    return stack.server_started() if stack.serves(client.base_url) else None


def check_not_lost(client: letta_client.Letta, run_id: str) -> None:
    """Raise :class:`RunLost` if the run can never finish: it is still "running" but began before the server now
    running was started.

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
