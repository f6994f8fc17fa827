"""Streams against the real server: assembly, text rendering, errors, and resuming a background run after a real
connection drop (a loopback TCP proxy cuts the first connection mid-stream).

The same assembly, text rendering and resuming run on recorded chunks too (tests/recorded.py: the SDK's chunk types
built from dicts, cut as the server cuts a token stream), with no server: those tests are in the fast tier.
"""

from __future__ import annotations

import socket
import threading
from types import SimpleNamespace

import httpx
import pytest
from letta_client import Letta

from letta_nb import LettaNbError
from letta_nb.stream import collect, render_stream, stream

import recorded


class CuttingProxy:
    """Forwards 127.0.0.1:port to the Letta server; closes the first connection after ``cut_after`` bytes from it."""

    def __init__(self, upstream_port: int, cut_after: int) -> None:
        self.upstream_port, self.cut_after = upstream_port, cut_after
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.cut = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            limit = self.cut_after if self.connections == 1 else None
            threading.Thread(target=self._pump, args=(client, upstream, None), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, limit), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, limit: int | None) -> None:
        sent = 0
        try:
            while data := source.recv(256):
                if limit is not None and sent + len(data) > limit:
                    self.cut = True
                    break
                target.sendall(data)
                sent += len(data)
        except OSError:
            pass
        for s in (source, target):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def close(self) -> None:
        self.listener.close()


def _send(client, agent, text, **options):
    return client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": text}],
                                         streaming=True, stream_tokens=True, **options)


def test_assembler_merges_tokens_and_tool_arguments(client, make_agent):
    agent = make_agent()
    transcript = collect(_send(client, agent, "remember in human: I like green tea", include_pings=True))
    types = [m.message_type for m in transcript.messages]
    assert types == ["reasoning_message", "tool_call_message", "tool_return_message", "reasoning_message", "assistant_message"]
    assert transcript.messages[0].reasoning == "The user asked me to remember this in my human block.", \
        "reasoning tokens are assembled into one message"
    call = transcript.messages[1].tool_call
    assert call.name == "memory_insert" and call.arguments == '{"label": "human", "new_string": "I like green tea"}'
    assert transcript.text == "Done: I've added that to my human block."
    assert transcript.stop_reason.stop_reason == "end_turn" and transcript.usage.step_count == 2
    assert transcript.chunks > len(transcript.messages) + 2, "token streaming should have sent many chunks"


def test_text_rendering_outside_jupyter(client, make_agent):
    agent = make_agent()
    out: list[str] = []
    transcript = render_stream(_send(client, agent, "remember in human: I like green tea"), live=False, write=out.append)
    printed = "".join(out)
    assert 'tool call: memory_insert({"label": "human", "new_string": "I like green tea"})\n' in printed
    assert "tool return: [success]" in printed
    assert "assistant: Done: I've added that to my human block.\n" in printed
    assert len(out) > 10, "text should be written piece by piece, not at the end"
    assert transcript.text == "Done: I've added that to my human block."


def test_stream_helper_for_agents_and_conversations(client, make_agent, capsys):
    agent = make_agent()
    assert stream(client, agent.id, "echo: hello there").text == "hello there"
    conversation = client.conversations.create(agent_id=agent.id)
    assert stream(client, agent.id, "echo: hi conversation", conversation_id=conversation.id).text == "hi conversation"
    assert "assistant: hi conversation" in capsys.readouterr().out


def test_background_run_resumes_after_a_real_connection_drop(stack, client, make_agent):
    agent = make_agent()
    proxy = CuttingProxy(stack.cfg.letta_port, cut_after=2500)
    try:
        via_proxy = Letta(base_url=f"http://127.0.0.1:{proxy.port}", max_retries=0)
        words = " ".join(f"word{i}" for i in range(40))
        out: list[str] = []
        transcript = render_stream(_send(via_proxy, agent, f"echo: {words}", background=True, include_pings=True),
                                   client=via_proxy, live=False, write=out.append)
    finally:
        proxy.close()
    assert proxy.cut and proxy.connections >= 2, "the proxy should have cut the first connection and seen a resume"
    assert transcript.text == words, "every chunk exactly once, in order"
    assert transcript.stop_reason.stop_reason == "end_turn"


def test_dropped_foreground_stream_ends_with_a_clear_error(stack, client, make_agent):
    agent = make_agent()
    proxy = CuttingProxy(stack.cfg.letta_port, cut_after=1500)
    try:
        via_proxy = Letta(base_url=f"http://127.0.0.1:{proxy.port}", max_retries=0)
        out: list[str] = []
        with pytest.raises(LettaNbError, match="cannot be resumed"):
            render_stream(_send(via_proxy, agent, "echo: " + " ".join(["x"] * 60)), client=via_proxy, live=False, write=out.append)
    finally:
        proxy.close()
    assert "✗ The stream was cut" in "".join(out)


def test_http_error_mid_call_is_explained(client):
    with pytest.raises(LettaNbError, match="404"):
        stream(client, "agent-00000000-0000-4000-8000-000000000000", "hello")


def _shape(chunks) -> list[tuple]:
    """What a recording has to get right, chunk by chunk (pings left out: keep-alives come when they come): the type,
    which chunks share a message id (numbered in order of appearance), and the piece of text or call it carries."""
    shape, ids = [], {}
    for c in chunks:
        if c.message_type == "ping":
            continue
        call = getattr(c, "tool_call", None)
        piece = (call.name, call.arguments) if call is not None else next(
            (getattr(c, f) for f in ("reasoning", "content", "tool_return", "stop_reason", "step_count")
             if getattr(c, f, None) is not None), None)
        group = ids.setdefault(c.id, len(ids)) if getattr(c, "id", None) else None
        shape.append((c.message_type, group, piece))
    return shape


def test_the_recorded_chunks_are_what_the_server_sends(client, make_agent):
    """tests/recorded.py stands in for the server in the fast tier: its token stream must match a real one."""
    agent = make_agent()
    real = list(_send(client, agent, "remember in human: I like green tea", include_pings=True))
    assert _shape(real) == _shape(recorded.remember_chunks("I like green tea"))
    assert real[0].message_type == "ping" and real[0].run_id and getattr(real[1], "seq_id", None) is None


# ------------------------------------------------------------------------------ recorded chunks (no server needed)
def _cut_after(chunks: list, n: int):
    """The first n chunks, then what a dropped connection raises."""
    yield from chunks[:n]
    raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")


def _replaying_client(chunks: list, asked: list):
    """Enough of a client for render_stream to resume: ``runs.messages.stream`` replays the recorded run after a
    seq_id (a background run's chunks are numbered 1, 2, ... in order), as the server does from Redis."""
    def resume(run_id, starting_after=None, **options):
        asked.append((run_id, starting_after))
        return iter(chunks[starting_after or 0:])

    return SimpleNamespace(base_url="http://recorded.invalid", runs=SimpleNamespace(messages=SimpleNamespace(stream=resume)))


def test_assembler_merges_tokens_and_tool_arguments_recorded():
    chunks = recorded.remember_chunks("I like green tea")
    transcript = collect(chunks)
    types = [m.message_type for m in transcript.messages]
    assert types == ["reasoning_message", "tool_call_message", "tool_return_message", "reasoning_message", "assistant_message"]
    assert transcript.messages[0].reasoning == "The user asked me to remember this in my human block.", \
        "reasoning tokens are assembled into one message"
    call = transcript.messages[1].tool_call
    assert call.name == "memory_insert" and call.arguments == '{"label": "human", "new_string": "I like green tea"}'
    assert call.tool_call_id == chunks[[c.message_type for c in chunks].index("tool_call_message")].tool_call.tool_call_id
    assert transcript.text == "Done: I've added that to my human block."
    assert transcript.stop_reason.stop_reason == "end_turn" and transcript.usage.step_count == 2
    assert transcript.chunks == len(chunks) > len(transcript.messages) + 2, "every chunk counted, pings included"
    assert transcript.run_id == chunks[0].run_id and transcript.last_seq_id is None, "a foreground stream has no seq_id"
    assert collect(recorded.remember_chunks("I like green tea")).messages == transcript.messages, "same chunks, same turn"


def test_text_rendering_outside_jupyter_recorded():
    out: list[str] = []
    transcript = render_stream(iter(recorded.remember_chunks("I like green tea")), live=False, write=out.append)
    printed = "".join(out)
    assert 'tool call: memory_insert({"label": "human", "new_string": "I like green tea"})\n' in printed
    assert "tool return: [success]" in printed
    assert "assistant: Done: I've added that to my human block.\n" in printed
    assert len(out) > 10, "text should be written piece by piece, not at the end"
    assert transcript.text == "Done: I've added that to my human block."


def test_background_run_resumes_after_a_connection_drop_recorded():
    words = " ".join(f"word{i}" for i in range(40))
    chunks = recorded.echo_chunks(f"{words}", background=True)
    assert [c.seq_id for c in chunks[:-2]] == list(range(1, len(chunks) - 1))
    asked: list = []
    out: list[str] = []
    transcript = render_stream(_cut_after(chunks, 12), client=_replaying_client(chunks, asked), live=False, write=out.append)
    assert asked == [(chunks[0].run_id, 12)], "resumed once, after the last seq_id seen"
    assert transcript.text == words and "".join(out).count("word39") == 1, "every chunk exactly once, in order"
    assert transcript.chunks == len(chunks) and transcript.last_seq_id == len(chunks) - 2
    assert transcript.stop_reason.stop_reason == "end_turn"


def test_dropped_foreground_stream_ends_with_a_clear_error_recorded():
    chunks = recorded.echo_chunks(" ".join(["x"] * 60))
    asked: list = []
    out: list[str] = []
    with pytest.raises(LettaNbError, match="cannot be resumed"):
        render_stream(_cut_after(chunks, 20), client=_replaying_client(chunks, asked), live=False, write=out.append)
    assert "✗ The stream was cut" in "".join(out) and asked == [], "no seq_id: nothing to resume from"


def test_jupyter_live_areas_start_and_end_without_data_recorded(monkeypatch):
    """nbval compares the first emission of a display, nbclient stores its last: a live area holds no data at either,
    so a stored chapter has no empty output (scripts/store.py drops the data-less ones) and re-runs still match."""
    from letta_nb import stream as streaming

    areas, shown = [], []

    class Handle:
        def __init__(self, area: dict) -> None:
            self.area = area

        def update(self, data: dict, raw: bool = False) -> None:
            self.area["last"] = data

    def display(data: dict, raw: bool = False, display_id: bool = False):
        if not display_id:
            shown.append(data)
            return None
        areas.append({"first": data, "last": data})
        return Handle(areas[-1])

    monkeypatch.setattr(streaming, "in_notebook", lambda: True)
    monkeypatch.setattr("IPython.display.display", display)
    transcript = render_stream(iter(recorded.remember_chunks("I like green tea")))

    assert areas and all(a["first"] == {} and a["last"] == {} for a in areas), areas
    assert len(shown) == len(transcript.messages) + 2, "each message once, then the stop reason and the usage"
    assert all(d["text/plain"].strip() for d in shown), "no finished display is empty"
