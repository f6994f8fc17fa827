"""The turn engine (letta_nb.turns): a turn is a source, an observer and a policy, and every caller composes them.

What the composition makes possible, each shown twice: on a small server made of ``httpx.MockTransport`` (the SDK's
own seam; the events are shaped as the local stack sends them, ``seq_id`` and all), in the fast tier, and against the
real stack with a real cut:

- ``stream(..., tools=...)`` answers approvals as ``run_turn`` does (before, a pause ended the turn);
- the chat widget resumes a dropped stream of its background run (before, a cut fell into the generic error branch);
- a policy that decides later (the widget's approval queue) resumes the turn when the person has decided.
"""

from __future__ import annotations

import json
import uuid

import httpx
import letta_client
import pytest

from letta_nb.client_tools import Decision, Toolbox, run_turn
from letta_nb.exceptions import LettaNbError, StreamCut
from letta_nb.state import ApprovalQueue, ChatSession
from letta_nb.stream import stream
from letta_nb.turns import (
    Automatic,
    Call,
    Observer,
    Resumable,
    ToolResult,
    Turn,
    approval_item,
    pending_calls,
    reply_text,
)
from letta_nb.widgets import ChatWidget


def shout(text: str) -> str:
    """Repeat text in capitals.

    Args:
        text: What to repeat.
    """
    print("shouting", text)
    return text.upper()


# ------------------------------------------------------------------------------------ a small server, replayed
RUN = "run-0000"
WHEN = "2026-01-01T00:00:00+00:00"


def _event(seq: int | None, **fields) -> dict:
    """One chunk as a background run sends it (a foreground one has no ``seq_id``)."""
    return {"date": WHEN, "run_id": RUN, **({"seq_id": seq} if seq is not None else {}), **fields}


def _asking() -> list[dict]:
    """The first request of a turn that calls ``shout``: the call, then the pause."""
    return [_event(None, id="ping-1", message_type="ping"),
            _event(None, id="message-1", message_type="approval_request_message",
                   tool_call={"name": "shout", "arguments": None, "tool_call_id": "call-1"}),
            _event(None, id="message-1", message_type="approval_request_message",
                   tool_call={"name": None, "arguments": '{"text": "hi"}', "tool_call_id": "call-1"}),
            {"message_type": "stop_reason", "stop_reason": "requires_approval"}]


def _saying(*pieces: str, first_seq: int | None = None) -> list[dict]:
    """An assistant message in ``pieces`` (numbered from ``first_seq`` in a background run), then the end of the turn."""
    return [*(_event(None if first_seq is None else first_seq + i, id="message-2", message_type="assistant_message",
                     content=piece) for i, piece in enumerate(pieces)),
            {"message_type": "stop_reason", "stop_reason": "end_turn"}]


class _Body(httpx.SyncByteStream):
    """Server-sent events; with ``cut``, the connection drops after them instead of ending the stream."""

    def __init__(self, events: list[dict], cut: bool = False) -> None:
        self.events, self.cut = events, cut

    def __iter__(self):
        for event in self.events:
            yield f"data: {json.dumps(event)}\n\n".encode()
        if self.cut:
            raise httpx.ReadError("peer closed connection without sending complete message body")
        yield b"data: [DONE]\n\n"


class Server:
    """Answers each POST with the next of ``replies`` (events, or (events, "cut")) and records what was sent."""

    def __init__(self, *replies) -> None:
        self.replies = list(replies)
        self.sent: list[tuple[str, dict]] = []
        self.client = letta_client.Letta(base_url="http://letta.test", api_key="test", max_retries=0,
                                          http_client=httpx.Client(transport=httpx.MockTransport(self.answer)))

    def answer(self, request: httpx.Request) -> httpx.Response:
        if request.method != "POST":  # the chat's history: empty
            return httpx.Response(200, json=[])
        self.sent.append((request.url.path, json.loads(request.content)))
        events, how = self.replies.pop(0) if isinstance(self.replies[0], tuple) else (self.replies.pop(0), "")
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=_Body(events, how == "cut"))


class Recorder(Observer):
    """Every hook, in order; consecutive chunks as one entry."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def _note(self, name: str) -> None:
        if not (name == "chunk" and self.seen and self.seen[-1] == "chunk"):
            self.seen.append(name)

    def round_started(self, turn):
        self._note("round_started")

    def chunk(self, assembler, index, chunk):
        self._note("chunk")

    def round_ended(self, turn):
        self._note("round_ended")

    def answering(self, items):
        self._note("answering")

    def waiting(self, calls):
        self._note("waiting")

    def finished(self, transcript):
        self._note("finished")

    def failed(self, error, transcript):
        self._note("failed")


# ----------------------------------------------------------------------------------------- fast tier
def test_stream_answers_approvals_with_its_tools_replayed():
    server = Server(_asking(), _saying("I repeated text in capitals: ", "HI."))
    out: list[str] = []
    transcript = stream(server.client, "agent-1", "call shout", tools=[shout], live=False, write=out.append)

    assert transcript.text == "I repeated text in capitals: HI." and transcript.stop_reason.stop_reason == "end_turn"
    (first_path, first), (second_path, second) = server.sent
    assert first_path == second_path == "/v1/agents/agent-1/messages"
    assert first["messages"] == [{"role": "user", "content": "call shout"}]
    assert second["messages"] == [{"type": "approval", "approvals": [
        {"type": "tool", "tool_call_id": "call-1", "tool_return": "HI", "status": "success",
         "stdout": ["shouting hi\n"], "stderr": []}]}], "the function ran here and its result went back"
    assert [t["name"] for t in first["client_tools"]] == [t["name"] for t in second["client_tools"]] == ["shout"]
    printed = "".join(out)
    assert printed.index('approval request: shout({"text": "hi"})\n') < printed.index(
        "assistant: I repeated text in capitals: HI.\n"), "both rounds shown, in order"


def test_stream_answers_with_decide_and_without_a_policy_stops_at_the_pause_replayed():
    server = Server(_asking(), _saying("Fine, I won't."))
    stream(server.client, "agent-1", "call shout", decide=lambda call: Decision.deny("not now"), live=False,
           write=lambda _: None)
    assert server.sent[1][1]["messages"][0]["approvals"] == [
        {"type": "approval", "tool_call_id": "call-1", "approve": False, "reason": "not now"}]

    server = Server(_asking())
    paused = stream(server.client, "agent-1", "call shout", live=False, write=lambda _: None)
    assert paused.stop_reason.stop_reason == "requires_approval" and len(server.sent) == 1


def test_an_observer_sees_every_round_of_a_played_turn_replayed():
    server = Server(_asking(), _saying("done"))
    recorder = Recorder()
    turn = Turn(server.client, "agent-1", "call shout", observer=recorder, policy=Automatic(Toolbox([shout])))
    assert turn.play().text == "done"
    assert recorder.seen == ["round_started", "chunk", "round_ended", "answering",
                             "round_started", "chunk", "round_ended", "finished"]


def test_a_policy_that_decides_later_resumes_the_turn_replayed():
    server = Server(_asking(), _saying("I repeated text in capitals: ", "HI."))
    queue, recorder, resumed = ApprovalQueue([shout]), Recorder(), []
    turn = Turn(server.client, "agent-1", "call shout", observer=recorder, policy=queue)

    assert turn.play(resume=resumed.append) is None, "the queue waits for a person"
    assert recorder.seen[-1] == "waiting" and [c.name for c in queue.pending] == ["shout"] and len(server.sent) == 1
    queue.run_locally()  # the "Run here" button
    assert resumed == [[(Call("call-1", "shout", '{"text": "hi"}'), Decision.run())]]
    assert turn.play(decided=resumed[0]).text == "I repeated text in capitals: HI."
    assert server.sent[1][1]["messages"][0]["approvals"][0]["tool_return"] == "HI"


def test_the_chat_resumes_a_cut_stream_replayed():
    head = [_event(1, id="ping-1", message_type="ping"),
            *_saying("one ", "two ", first_seq=2)[:-1]]  # seq_ids 1..3, then the connection drops
    rest = _saying("three ", "four", first_seq=4)
    server = Server((head, "cut"), rest)
    chat = ChatSession(server.client, "agent-1", background=True)

    assert chat.say("count to four", wait=True)
    assert (chat.error, chat.reply, chat.busy, chat.runs) == ("", "one two three four", False, [RUN])
    (sent_path, sent), (resumed_path, resumed) = server.sent
    assert sent_path == "/v1/agents/agent-1/messages" and sent["background"] is True
    assert resumed_path == f"/v1/runs/{RUN}/stream" and resumed["starting_after"] == 3, "after the last seq_id seen"
    assert [(m.message_type, getattr(m, "content", None)) for m in chat.messages] == [
        ("user_message", "count to four"), ("assistant_message", "one two three four")], "each chunk once"


def test_a_cut_the_chat_cannot_resume_says_so_replayed():
    server = Server((_saying("one ", "two ")[:-1], "cut"))  # a foreground stream: no seq_id to resume from
    chat = ChatSession(server.client, "agent-1")  # foreground, as by default
    chat.say("count", wait=True)
    assert chat.error.startswith("The stream was cut (ReadError) and cannot be resumed") and not chat.busy
    assert [body["background"] for _path, body in server.sent] == [False], "no resume tried"


def test_a_turn_that_keeps_asking_stops_at_max_rounds_replayed():
    server = Server(_asking())
    recorder = Recorder()
    turn = Turn(server.client, "agent-1", "call shout", observer=recorder, policy=Automatic(Toolbox([shout])))
    with pytest.raises(LettaNbError, match="still asks for approvals after 1 rounds"):
        turn.play(max_rounds=1)
    assert recorder.seen[-1] == "failed" and len(server.sent) == 1


def test_the_approval_helpers():
    call = Call("call-1", "shout", '{"text": "hi"}')
    assert approval_item(call, Decision.approve()) == {"type": "approval", "tool_call_id": "call-1", "approve": True}
    assert approval_item(call, Decision.deny()) == {"type": "approval", "tool_call_id": "call-1", "approve": False}
    assert approval_item(call, Decision.run(), ToolResult("HI", "success", [], [])) == {
        "type": "tool", "tool_call_id": "call-1", "tool_return": "HI", "status": "success", "stdout": [], "stderr": []}
    with pytest.raises(ValueError, match="needs the result"):
        approval_item(call, Decision.run())
    assert Toolbox([shout]).answer(call, Decision.run())["stdout"] == ["shouting hi\n"]

    request = letta_client.types.agents.ApprovalRequestMessage.model_validate(
        {"id": "m", "date": WHEN, "message_type": "approval_request_message", "tool_call": {"name": "a"},
         "tool_calls": [{"name": "a", "arguments": "{}", "tool_call_id": "c1"},
                        {"name": "b", "arguments": "", "tool_call_id": "c2"}]})
    assert pending_calls([request, request]) == [Call("c1", "a", "{}"), Call("c2", "b", "")], "every call once"


def test_reply_text_reads_whole_messages_and_token_chunks():
    parts = letta_client.types.agents.AssistantMessage.model_validate(
        {"id": "m", "date": WHEN, "message_type": "assistant_message",
         "content": [{"type": "text", "text": "Saved:"}, {"type": "text", "text": "Leeds."}]})
    chunks = [letta_client.types.agents.AssistantMessage.model_validate(
        _event(None, id="m2", message_type="assistant_message", content=piece)) for piece in ("Hi ", "Sam")]
    assert reply_text([parts]) == "Saved:\nLeeds." and reply_text(chunks) == "Hi Sam"


def test_a_resumable_source_without_a_client_reports_the_cut():
    def dropped():
        yield from []
        raise httpx.RemoteProtocolError("peer closed connection")

    with pytest.raises(StreamCut, match="cannot be resumed"):
        list(Resumable(None).follow(dropped()))


# ----------------------------------------------------------------------------------------- the real stack
class CuttingTransport(httpx.HTTPTransport):
    """The real transport, except that the body of the first streamed message request drops (httpx.ReadError) after
    ``cut_after`` bytes, as a connection lost mid-reply does. Remembers every request (path and JSON body)."""

    def __init__(self, cut_after: int) -> None:
        super().__init__()
        self.cut_after, self.cut, self.asked = cut_after, False, []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        self.asked.append((request.url.path, json.loads(request.content) if request.content else None))
        if self.cut or request.method != "POST" or not request.url.path.endswith("/messages"):
            return response
        self.cut = True
        body, limit = response.stream, self.cut_after

        class Dropping(httpx.SyncByteStream):
            def __iter__(self):
                sent = 0
                for data in body:
                    if sent + len(data) > limit:
                        yield data[:limit - sent]  # half an event: the SDK drops it, as after a real cut
                        body.close()
                        raise httpx.ReadError("peer closed connection without sending complete message body")
                    sent += len(data)
                    yield data

            def close(self):
                body.close()

        return httpx.Response(response.status_code, headers=response.headers, stream=Dropping(), request=request,
                              extensions=response.extensions)


def _cutting_client(client, cut_after: int) -> tuple[letta_client.Letta, CuttingTransport]:
    transport = CuttingTransport(cut_after)
    return letta_client.Letta(base_url=str(client.base_url), api_key=client.api_key, max_retries=0,
                              http_client=httpx.Client(transport=transport, timeout=60)), transport


def test_the_chat_widget_resumes_a_really_cut_stream(client, make_agent):
    agent = make_agent()
    # about 20 events in: past the reasoning, inside the assistant message (each event is some 400 bytes)
    cutting, transport = _cutting_client(client, cut_after=8000)
    words = " ".join(f"word{i}" for i in range(40))
    chat = ChatWidget(cutting, agent.id, background=True)

    assert chat.say(f"echo: {words}", wait=True)
    resumed = [body for path, body in transport.asked if path.startswith("/v1/runs/") and path.endswith("/stream")]
    assert transport.cut and len(resumed) == 1 and resumed[0]["starting_after"] > 10, \
        "the first connection was cut mid-reply and the run resumed after the last seq_id seen"
    assert (chat.error, chat.reply, chat.busy) == ("", words, False)
    said = [m for m in chat.messages if m.message_type == "assistant_message"]
    assert [m.content for m in said] == [words], "every chunk once, in order"
    stored = client.agents.messages.list(agent.id, limit=10, order="desc").items
    assert next(m.content for m in stored if m.message_type == "assistant_message") == words


def test_a_foreground_chat_cut_is_a_stream_cut(client, make_agent):
    agent = make_agent()
    cutting, transport = _cutting_client(client, cut_after=1500)
    chat = ChatSession(cutting, agent.id)
    chat.say("echo: " + " ".join(["x"] * 60), wait=True)
    assert transport.cut and chat.error.startswith("The stream was cut (ReadError) and cannot be resumed"), chat.error
    assert not chat.busy and chat.status == ""


def test_stream_answers_approvals_on_the_stack(client, make_agent):
    agent = make_agent()
    out: list[str] = []
    transcript = stream(client, agent.id, 'call shout {"text": "hi"}', tools=[shout], live=False, write=out.append)
    assert transcript.text == "I repeated text in capitals: HI." and transcript.stop_reason.stop_reason == "end_turn"
    assert 'approval request: shout({"text": "hi"})' in "".join(out)
    returned = [m for m in client.agents.messages.list(agent.id, limit=20).items if m.message_type == "tool_return_message"]
    assert [(r.tool_return, r.status, r.stdout) for r in returned] == [("HI", "success", ["shouting hi\n"])]
    again = run_turn(client, agent.id, 'call shout {"text": "again"}', tools=[shout])
    assert again.text == "I repeated text in capitals: AGAIN.", "run_turn and stream play the same turn"


def test_stream_approves_a_server_tool_with_decide(client, make_agent):
    agent = make_agent()
    name = f"lnbt_{uuid.uuid4().hex[:8]}"
    tools = Toolbox({name: shout})
    tools.register(client, agent.id)  # a server tool that always asks first
    try:
        transcript = stream(client, agent.id, f'call {name} {{"text": "server"}}', tools=tools,
                            decide=lambda call: Decision.approve(), live=False, write=lambda _: None)
        assert transcript.stop_reason.stop_reason == "end_turn"
        assert client.agents.retrieve(agent.id, include=["agent.pending_approval"]).pending_approval is None
        returned = [m for m in transcript.messages if m.message_type == "tool_return_message"]
        assert returned and returned[-1].stdout == ["shouting server\n"], "the server ran the registered copy"
    finally:
        tools.unregister(client)
