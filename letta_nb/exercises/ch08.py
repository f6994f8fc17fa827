"""Chapter 08: survive a dropped connection: resume a background token stream from the last seq_id, every chunk once.

The checker runs the learner's function on a scratch agent of its own (the chapter's agent keeps its history), with a
client whose connection really drops: its HTTP transport lets the first stream deliver a few events, then closes the
response (the TCP connection goes with it) and raises what a dropped connection raises mid-stream, a bare
``httpx.RemoteProtocolError`` (letta_client wraps only errors that happen before the response starts). It records the
request that started the stream and the resume request, and compares what the function returns with a full replay of
the run from the server. Pings may be kept or skipped.
"""

from __future__ import annotations

import json
import re
from typing import cast

import httpx

from ..turns import reply_text
from . import NotYet, checker, require, stub_returned
from .scratch import scratch

TEXT = "Tell me about the lighthouse keeper who counts the waves, names the gulls and writes it all in a blue notebook"
DELIVERED_EVENTS = 4  # the first stream gets this many events (a ping and the first three tokens), then it drops
_RUN_STREAM = re.compile(r"/v1/runs/([^/]+)/stream$")


def _payloads(event: bytes) -> list[dict]:
    """The JSON objects in the data lines of one server-sent event."""
    found = []
    for line in event.splitlines():
        if line.startswith(b"data:"):
            try:
                data = json.loads(line[5:])
            except ValueError:  # [DONE] and the like
                continue
            if isinstance(data, dict):
                found.append(data)
    return found


class _CutStream(httpx.SyncByteStream):
    """Passes on the first ``events`` server-sent events of a response, then closes it and raises."""

    def __init__(self, inner: httpx.SyncByteStream, events: int, seen: list[dict]) -> None:
        self.inner, self.events, self.seen = inner, events, seen

    def __iter__(self):
        buffer, sent = b"", 0
        try:
            for data in self.inner:
                buffer += data
                while b"\n\n" in buffer:
                    event, buffer = buffer.split(b"\n\n", 1)
                    self.seen.extend(_payloads(event))
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
        self.started: dict | None = None              # the body of the request whose stream was cut
        self.delivered: list[dict] = []               # the chunks the dropped stream delivered
        self.resumes: list[tuple[str, int | None]] = []  # (run_id, starting_after) of each runs.messages.stream call

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        resumed = _RUN_STREAM.search(request.url.path)
        body = _json(request)
        if resumed and request.method == "POST":
            self.resumes.append((resumed.group(1), body.get("starting_after")))
        response = self.inner.handle_request(request)
        streaming = response.headers.get("content-type", "").startswith("text/event-stream")
        if streaming and not resumed and not self.cut:
            self.cut, self.started = True, body
            return httpx.Response(response.status_code, headers=response.headers, extensions=response.extensions,
                                  stream=_CutStream(cast(httpx.SyncByteStream, response.stream),  # a sync transport's
                                                    self.events, self.delivered))
        return response

    def last_seq_ids(self) -> tuple[int, int]:
        """The last seq_id the dropped stream delivered, and the last one of a chunk that is not a ping."""
        numbered = [c for c in self.delivered if c.get("seq_id") is not None]
        words = [c for c in numbered if c.get("message_type") != "ping"]
        return (numbered[-1]["seq_id"] if numbered else 0), (words[-1]["seq_id"] if words else 0)

    def close(self) -> None:
        self.inner.close()


def _json(request: httpx.Request) -> dict:
    try:
        body = json.loads(request.content or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


@checker("08", hint="start the turn with client.agents.messages.create(..., streaming=True, stream_tokens=True, "
                    "background=True) and keep each chunk's run_id and seq_id (pings may be skipped). When the "
                    "connection drops, the loop over the stream raises a bare httpx.RemoteProtocolError (an "
                    "httpx.TransportError: letta_client.APIConnectionError only covers requests that never got an "
                    "answer): catch it and go on with client.runs.messages.stream(run_id, starting_after=last_seq_id)")
def check(resilient_text, *, client, agent_id: str = "") -> str:
    # agent_id (the chapter's agent) is left alone: the turn runs on a scratch agent of the checker's own.
    transport = DroppingTransport()
    flaky = client.with_options(http_client=httpx.Client(transport=transport, timeout=httpx.Timeout(60.0, connect=10.0)),
                                max_retries=0)
    try:
        with scratch(client, "08") as made:
            agent = made.agent(memory_blocks=[{"label": "human", "value": "Name: unknown"},
                                              {"label": "persona", "value": "I am a storyteller."}])
            try:
                result = resilient_text(flaky, agent.id, TEXT)
            except httpx.TransportError as exc:
                if transport.cut and not transport.resumes:
                    raise NotYet(f"the connection dropped after seq_id {transport.last_seq_ids()[0]} and "
                                 f"httpx.{type(exc).__name__} came out of your function: a stream that breaks while "
                                 "you read it raises httpx's own error (an httpx.TransportError), not "
                                 "letta_client.APIConnectionError; catch it and resume") from None
                raise
            return _verdict(client, transport, result)
    finally:
        flaky.close()


def _verdict(client, transport: DroppingTransport, result) -> str:
    stub_returned(result, "resilient_text")
    require(isinstance(result, tuple) and len(result) == 2,
            f"resilient_text returned a {type(result).__name__}, not a pair (text, seq_ids)")
    text, seq_ids = result
    seq_ids = list(seq_ids or [])
    started = transport.started
    if started is None:
        raise NotYet("your function started no agent stream on the client it was given: call "
                     "client.agents.messages.create(..., streaming=True, ...) on that client")
    if started.get("stream_tokens") is not True:
        kinds = ", ".join(c.get("message_type", "?") for c in transport.delivered)
        raise NotYet(f"the stream sent one chunk per step, each message whole (before the drop: {kinds}): that is a "
                     "step stream, streaming=True without stream_tokens=True; the task asks for a token stream, add "
                     "stream_tokens=True")
    last, last_word = transport.last_seq_ids()
    require(transport.resumes, f"the connection dropped after seq_id {last}, and your function never resumed: it "
                               "returned what it had; call client.runs.messages.stream(run_id, starting_after=...)")
    run_id, after = transport.resumes[0]
    require(after, "your resume asked for the run from its start (starting_after missing or 0): resume after the last "
                   "seq_id you received, so no chunk arrives twice")
    require(after in (last, last_word), f"the dropped stream delivered up to seq_id {last}; your resume asked for the "
                                        f"chunks after {after}: resume with starting_after={last}")

    require(isinstance(text, str) and text, f"the first item should be the assistant's text, got {text!r:.80}")
    replay = list(client.runs.messages.stream(run_id))
    pings = {c.seq_id for c in replay if c.message_type == "ping"}
    words = [c.seq_id for c in replay if getattr(c, "seq_id", None) is not None and c.message_type != "ping"]
    twice = sorted({s for s in seq_ids if seq_ids.count(s) > 1})
    require(not twice, f"seq_ids {twice} arrived twice: {seq_ids}")
    missing = sorted(set(words) - set(seq_ids))
    require(not missing, f"chunks {missing} never reached you (the run's chunks, pings aside, are seq_ids "
                         f"{words[0]}..{words[-1]})")
    require([s for s in seq_ids if s not in pings] == words,
            f"the seq_ids should be the run's, in order: {words} (pings aside), got {seq_ids}")
    whole = reply_text(replay)
    require(text == whole, f"the text should be the whole reply, {whole!r}, got {text!r}")
    return (f"the connection dropped after seq_id {last}; you resumed there and got all {len(words)} chunks of the "
            "token stream once, in order")
