"""Chapter 08: survive a dropped connection: resume a background stream from the last seq_id, every chunk once.

The checker hands the learner's function a client whose connection really drops: its HTTP transport lets the first
stream deliver a few events, then closes the response (the TCP connection goes with it) and raises what a dropped
connection raises. It records the resume request the function sends, and compares what the function returns with a
full replay of the run from the server.
"""

from __future__ import annotations

import json
import re

import httpx

from ..content import text_of
from . import checker, require, stub_returned

TEXT = "Tell me about the lighthouse keeper who counts the waves, names the gulls and writes it all in a blue notebook"
DELIVERED_EVENTS = 4  # the first stream gets this many events (a ping and three words), then the connection drops
_SEQ = re.compile(rb'"seq_id":\s*(\d+)')
_RUN_STREAM = re.compile(r"/v1/runs/([^/]+)/stream$")


class _CutStream(httpx.SyncByteStream):
    """Passes on the first ``events`` server-sent events of a response, then closes it and raises."""

    def __init__(self, inner: httpx.SyncByteStream, events: int, seen: list[int]) -> None:
        self.inner, self.events, self.seen = inner, events, seen

    def __iter__(self):
        buffer, sent = b"", 0
        try:
            for data in self.inner:
                buffer += data
                while b"\n\n" in buffer:
                    event, buffer = buffer.split(b"\n\n", 1)
                    self.seen.extend(int(n) for n in _SEQ.findall(event))
                    yield event + b"\n\n"
                    sent += 1
                    if sent == self.events:
                        raise httpx.RemoteProtocolError("peer closed connection without sending complete message "
                                                        "body (the checker cut it)")
            if buffer:
                yield buffer
        finally:
            self.inner.close()

    def close(self) -> None:
        self.inner.close()


class DroppingTransport(httpx.BaseTransport):
    """A real HTTP transport whose first agent stream loses its connection after a few events."""

    def __init__(self, events: int = DELIVERED_EVENTS) -> None:
        self.inner = httpx.HTTPTransport()
        self.events = events
        self.cut = False
        self.delivered: list[int] = []               # seq_ids the dropped stream delivered
        self.resumes: list[tuple[str, int | None]] = []  # (run_id, starting_after) of each runs.messages.stream call

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        resumed = _RUN_STREAM.search(request.url.path)
        if resumed and request.method == "POST":
            try:
                body = json.loads(request.content or b"{}")
            except ValueError:
                body = {}
            self.resumes.append((resumed.group(1), body.get("starting_after")))
        response = self.inner.handle_request(request)
        streaming = response.headers.get("content-type", "").startswith("text/event-stream")
        if streaming and not resumed and not self.cut:
            self.cut = True
            return httpx.Response(response.status_code, headers=response.headers, extensions=response.extensions,
                                  stream=_CutStream(response.stream, self.events, self.delivered))
        return response

    def close(self) -> None:
        self.inner.close()


@checker("08", hint="start the turn with client.agents.messages.create(..., streaming=True, stream_tokens=True, "
                    "background=True); remember each chunk's run_id and seq_id; when iterating raises "
                    "(httpx.TransportError or letta_client.APIConnectionError), go on with "
                    "client.runs.messages.stream(run_id, starting_after=last_seq_id)")
def check(resilient_text, *, client, agent_id: str) -> str:
    transport = DroppingTransport()
    flaky = client.with_options(http_client=httpx.Client(transport=transport, timeout=httpx.Timeout(60.0, connect=10.0)),
                                max_retries=0)
    try:
        result = resilient_text(flaky, agent_id, TEXT)
    finally:
        flaky.close()
    stub_returned(result, "resilient_text")
    require(isinstance(result, tuple) and len(result) == 2,
            f"resilient_text should return a pair (text, seq_ids), got {type(result).__name__}")
    text, seq_ids = result
    seq_ids = list(seq_ids or [])
    require(transport.cut or transport.resumes,
            "no stream was cut: start the turn as a background stream on the client your function is given")
    require(transport.resumes, f"the connection dropped after seq_id {max(transport.delivered, default=0)}, and your "
                               "function never resumed: call client.runs.messages.stream(run_id, starting_after=...)")
    run_id, after = transport.resumes[0]
    require(after, "your resume asked for the run from its start (starting_after missing or 0): resume after the last "
                   "seq_id you received, so no chunk arrives twice")
    if transport.cut:
        last = max(transport.delivered, default=0)
        require(after == last, f"the dropped stream delivered up to seq_id {last}; resume with starting_after={last}, "
                               f"not {after}")

    require(isinstance(text, str) and text, f"the first item should be the assistant's text, got {text!r:.80}")
    replay = list(client.runs.messages.stream(run_id))
    full = [c.seq_id for c in replay if getattr(c, "seq_id", None) is not None]
    require(len(seq_ids) == len(set(seq_ids)), f"some chunks arrived twice: {seq_ids}")
    missing = sorted(set(full) - set(seq_ids))
    require(not missing, f"chunks {missing} never reached you (the run has seq_ids 1..{max(full, default=0)})")
    require(seq_ids == full, f"the seq_ids should be the run's, in order: {full}, got {seq_ids}")
    whole = "".join(text_of(c) for c in replay if c.message_type == "assistant_message")
    require(text == whole, f"the text should be the whole reply, {whole!r}, got {text!r}")
    return (f"the connection dropped after seq_id {after}; you resumed there and got all {len(full)} chunks once, "
            "in order")

