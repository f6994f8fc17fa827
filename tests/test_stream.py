"""Streams: assembly, text rendering, the Jupyter display, errors, and resuming a background run after a dropped
connection.

The tests over ``letta`` are written once and run twice (tests/replay.py): live against the local stack, and
replayed from tests/recordings/test_stream/ in the fast tier. A dropped connection is made by the recording transport
(``recording.cut``: the next stream ends after n events with httpx's RemoteProtocolError); the last two tests drop a
real TCP connection instead (a loopback proxy cuts the first connection mid-stream) and run live only.
"""

from __future__ import annotations

import socket
import threading

import pytest
from letta_client import Letta

from letta_nb import LettaNbError
from letta_nb.stream import collect, render_stream, stream


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


def test_assembler_merges_tokens_and_tool_arguments(letta, new_agent):
    chunks = list(_send(letta, new_agent(), "remember in human: I like green tea", include_pings=True))
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
    assert chunks[0].message_type == "ping" and transcript.run_id == chunks[0].run_id
    assert transcript.last_seq_id is None, "a foreground stream has no seq_id"
    assert collect(chunks).messages == transcript.messages, "same chunks, same turn"


def test_text_rendering_outside_jupyter(letta, new_agent):
    out: list[str] = []
    transcript = render_stream(_send(letta, new_agent(), "remember in human: I like green tea"), live=False,
                               write=out.append)
    printed = "".join(out)
    assert 'tool call: memory_insert({"label": "human", "new_string": "I like green tea"})\n' in printed
    assert "tool return: [success]" in printed
    assert "assistant: Done: I've added that to my human block.\n" in printed
    assert len(out) > 10, "text should be written piece by piece, not at the end"
    assert transcript.text == "Done: I've added that to my human block."


def test_stream_helper_for_agents_and_conversations(letta, new_agent, capsys):
    agent = new_agent()
    assert stream(letta, agent.id, "echo: hello there").text == "hello there"
    conversation = letta.conversations.create(agent_id=agent.id)
    assert stream(letta, agent.id, "echo: hi conversation", conversation_id=conversation.id).text == "hi conversation"
    assert "assistant: hi conversation" in capsys.readouterr().out


def test_jupyter_live_areas_start_and_end_without_data(letta, new_agent, monkeypatch):
    """nbval compares the first emission of a display, nbclient stores its last: a live area holds no data at either,
    so a stored chapter has no empty output (scripts/store.py drops the data-less ones) and re-runs still match."""
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

    monkeypatch.setattr("IPython.display.display", display)
    transcript = render_stream(_send(letta, new_agent(), "remember in human: I like green tea"), live=True)

    assert areas and all(a["first"] == {} and a["last"] == {} for a in areas), areas
    assert len(shown) == len(transcript.messages) + 2, "each message once, then the stop reason and the usage"
    assert all(d["text/plain"].strip() for d in shown), "no finished display is empty"


def _resumes(recording) -> list[dict]:
    """The bodies of the requests that resumed a run's stream."""
    return [r["request"] for r in recording.requests if r["path"].startswith("/v1/runs/") and r["path"].endswith("/stream")]


def test_background_run_resumes_after_a_connection_drop(letta, recording, new_agent):
    words = " ".join(f"word{i}" for i in range(40))
    out: list[str] = []
    recording.cut(after=12)
    transcript = render_stream(_send(letta, new_agent(), f"echo: {words}", background=True, include_pings=True),
                               client=letta, live=False, write=out.append)
    resumed = _resumes(recording)
    assert len(resumed) == 1 and 0 < int(resumed[0]["starting_after"]) <= 12, "resumed once, after the last seq_id seen"
    assert transcript.text == words and "".join(out).count("word39") == 1, "every chunk exactly once, in order"
    assert transcript.last_seq_id > int(resumed[0]["starting_after"])
    assert transcript.stop_reason.stop_reason == "end_turn"


def test_dropped_foreground_stream_ends_with_a_clear_error(letta, recording, new_agent):
    out: list[str] = []
    recording.cut(after=20)
    with pytest.raises(LettaNbError, match="cannot be resumed"):
        render_stream(_send(letta, new_agent(), "echo: " + " ".join(["x"] * 60)), client=letta, live=False,
                      write=out.append)
    assert "✗ The stream was cut" in "".join(out) and "x x x" in "".join(out)
    assert _resumes(recording) == [], "no seq_id: nothing to resume from"


def test_http_error_mid_call_is_explained(letta):
    with pytest.raises(LettaNbError, match="404"):
        stream(letta, "agent-00000000-0000-4000-8000-000000000000", "hello")


# ------------------------------------------------------------------------- a real dropped connection (live only)
def test_background_run_resumes_after_a_real_tcp_drop(stack, client, make_agent):
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


def test_foreground_stream_cut_by_a_real_tcp_drop_ends_with_a_clear_error(stack, client, make_agent):
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
