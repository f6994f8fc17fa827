"""Each SDK or httpx error becomes the LettaNbError subclass that names its case, with its status code and the
original; ``translated()`` raises it with the sentence ``explain()`` gives. Fast tier: no server (the SDK's own
exception classes, built on httpx objects, and a client over ``httpx.MockTransport``)."""

from __future__ import annotations

import json

import httpx
import letta_client
import pytest
from letta_client.types.agents.letta_streaming_response import LettaErrorMessage

import letta_nb
from letta_nb import (
    ApprovalPending,
    InvalidRequest,
    KeyRejected,
    LettaNbError,
    NotFound,
    RunFailed,
    ServerFailed,
    ServerTimeout,
    ServerUnreachable,
    StreamCut,
    explain,
    translated,
)
from letta_nb.state.chat import ChatSession
from letta_nb.turns import Turn, failure_of

ELSEWHERE = "https://letta.example.com/v1/agents/"  # not the local stack: a 5xx names no `letta-nb` command
APPROVAL_WAIT = ("CONFLICT: Cannot send a new message: The agent is waiting for approval on a tool call. Please "
                 "approve or deny the pending request before continuing.")


def _request() -> httpx.Request:
    return httpx.Request("POST", ELSEWHERE)


def _status(cls, status: int, body: object) -> letta_client.APIStatusError:
    return cls("error", response=httpx.Response(status, request=_request()), body=body)


# (the error, the class it becomes, its status_code, the sentence explain() has always given)
CASES = [
    (letta_client.APITimeoutError(_request()), ServerTimeout, None,
     "The Letta server did not answer in time. For long agent turns stream with include_pings=True, or raise the "
     "timeout: connect(timeout=120)."),
    (letta_client.APIConnectionError(request=_request()), ServerUnreachable, None,
     "Cannot reach the Letta server. Start the local stack with `letta-nb up`, or check LETTA_BASE_URL (and that the "
     "server is running)."),
    (_status(letta_client.AuthenticationError, 401, {"detail": "Invalid API key"}), KeyRejected, 401,
     "The Letta server rejected the API key (401 Unauthorized). Check LETTA_API_KEY (in your environment or .env); "
     "Letta Cloud keys are at https://app.letta.com/api-keys."),
    (_status(letta_client.PermissionDeniedError, 403, {"detail": "not your project"}), KeyRejected, 403,
     "The Letta server refused this request (403 Forbidden): not your project. Check that LETTA_API_KEY belongs to the "
     "project that owns this resource."),
    (_status(letta_client.NotFoundError, 404, {"detail": "Agent not found"}), NotFound, 404,
     "Not found (404): Agent not found. Check the id or name; list what exists with client.agents.list() (or "
     ".tools/.blocks), and make sure you are connected to the right server."),
    (_status(letta_client.UnprocessableEntityError, 422,
             {"detail": [{"loc": ["body", "messages", 0, "content"], "msg": "Field required"}]}), InvalidRequest, 422,
     "The request was invalid (422): messages.0.content: Field required. Add or fix the named fields; each message "
     "needs a role and content, e.g. {'role': 'user', 'content': 'Hi'}."),
    (_status(letta_client.BadRequestError, 400, {"detail": "INVALID_ARGUMENT: limit must be positive"}), InvalidRequest,
     400, "The Letta server answered 400: INVALID_ARGUMENT: limit must be positive"),
    (_status(letta_client.ConflictError, 409, {"detail": APPROVAL_WAIT}), ApprovalPending, 409,
     f"The agent is waiting for an approval ({APPROVAL_WAIT}). Answer the pending tool call first: approve or deny "
     "it, or send the tool's result (chapter 07; letta_nb.client_tools)."),
    # A streamed request answers 200; the SDK raises the server's error event with that status.
    (_status(letta_client.APIStatusError, 200, {"detail": APPROVAL_WAIT}), ApprovalPending, 200,
     f"The agent is waiting for an approval ({APPROVAL_WAIT}). Answer the pending tool call first: approve or deny "
     "it, or send the tool's result (chapter 07; letta_nb.client_tools)."),
    (_status(letta_client.APIStatusError, 200, {"detail": "An error occurred during agent execution."}), RunFailed, 200,
     "The Letta server answered 200: An error occurred during agent execution."),
    (_status(letta_client.InternalServerError, 500, {"detail": "An unknown error occurred"}), ServerFailed, 500,
     "The Letta server failed (500: An unknown error occurred); try again, and if it persists look at that server's "
     "logs."),
    (_status(letta_client.ConflictError, 409, {"detail": "Conversation conv-1 is busy"}), LettaNbError, 409,
     "The Letta server answered 409: Conversation conv-1 is busy"),
    (_status(letta_client.RateLimitError, 429, {"detail": "Too many requests"}), LettaNbError, 429,
     "The Letta server answered 429: Too many requests"),
    (httpx.RemoteProtocolError("peer closed connection without sending complete message body"), StreamCut, None,
     "RemoteProtocolError: peer closed connection without sending complete message body"),
    (ValueError("not an API error"), LettaNbError, None, "ValueError: not an API error"),
]
IDS = [f"{type(error).__name__}-{kind.__name__}" for error, kind, _, _ in CASES]


@pytest.mark.parametrize("error, kind, status_code, sentence", CASES, ids=IDS)
def test_explain_gives_the_class_of_the_case_and_the_same_sentence(error, kind, status_code, sentence):
    explained = explain(error)
    assert type(explained) is kind
    assert isinstance(explained, LettaNbError) and isinstance(explained, RuntimeError)
    assert (explained.status_code, explained.original) == (status_code, error)
    assert str(explained) == sentence


@pytest.mark.parametrize("error, kind, status_code, sentence", CASES, ids=IDS)
def test_translated_raises_the_explained_error_without_the_sdk_one_above_it(error, kind, status_code, sentence):
    if type(error) is ValueError:
        return  # not the SDK's or httpx's: see test_translated_lets_everything_else_through
    with pytest.raises(kind) as raised, translated():
        raise error
    assert str(raised.value) == sentence
    assert (raised.value.status_code, raised.value.original) == (status_code, error)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__, "raised `from None`, as before"


def test_translated_names_who_was_asked():
    with pytest.raises(ServerTimeout, match=r"^The tool sandbox did not answer in time\."), \
            translated("the tool sandbox"):
        raise letta_client.APITimeoutError(_request())


def test_translated_lets_everything_else_through():
    own = NotFound("No agent is called 'x' on this server")
    with pytest.raises(NotFound) as raised, translated():
        raise own
    assert raised.value is own
    with pytest.raises(ValueError), translated():
        raise ValueError("a bug, not the server")
    with translated():
        pass


def test_a_subclass_keeps_what_it_came_from_and_is_caught_as_its_family():
    timeout = explain(letta_client.APITimeoutError(_request()))
    assert isinstance(timeout, ServerUnreachable), "a timeout is a connection failure, as in the SDK"
    assert isinstance(letta_nb.StackNotRunning("down"), ServerUnreachable)
    plain = LettaNbError("a usage mistake")
    assert (plain.status_code, plain.original) == (None, None)


@pytest.mark.parametrize("said, kind", [
    ("An error occurred during agent execution.", RunFailed),
    ("Cannot send a new message: The agent is waiting for approval on a tool call.", ApprovalPending),
])
def test_an_error_message_in_the_stream_is_a_run_failure(said, kind):
    chunk = LettaErrorMessage.model_validate(
        {"message_type": "error_message", "run_id": "run-1", "error_type": "internal_error", "message": said})
    failure = failure_of(chunk)
    assert type(failure) is kind
    assert str(failure) == (f"The agent's run failed: {said}. Check the server log (`letta-nb logs`) or the run with "
                            "client.runs.retrieve('run-1').")


class _Body(httpx.SyncByteStream):
    """A streamed body: these SSE events, then (``cut``) the connection drops."""

    def __init__(self, events: list[str], cut: bool) -> None:
        self.events, self.cut = events, cut

    def __iter__(self):
        for event in self.events:
            yield event.encode()
        if self.cut:
            raise httpx.ReadError("peer closed connection")


def _turn_over(events: list[str], *, cut: bool = False) -> Turn:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=_Body(events, cut))

    client = letta_client.Letta(base_url="http://letta.test", api_key="test", max_retries=0,
                                http_client=httpx.Client(transport=httpx.MockTransport(answer)))
    return Turn(client, "agent-1", "hello?")


PING = 'data: {"message_type": "ping"}\n\n'


def test_a_refusal_inside_the_stream_is_an_approval_pending_with_its_200():
    refusal = json.dumps({"detail": APPROVAL_WAIT})
    with pytest.raises(ApprovalPending) as raised:
        _turn_over([PING, f"event: error\ndata: {refusal}\n\n"]).advance()
    assert raised.value.status_code == 200 and isinstance(raised.value.original, letta_client.APIStatusError)


def test_a_stream_that_drops_is_a_stream_cut():
    with pytest.raises(StreamCut, match=r"^ReadError: peer closed connection$") as raised:
        _turn_over([PING], cut=True).advance()
    assert isinstance(raised.value.original, httpx.ReadError) and raised.value.status_code is None


def _chat_refused_with(status: int, detail: str) -> ChatSession:
    """A chat whose server refuses the next message with ``status`` and ``detail`` and has no history."""

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":  # the streamed message
            return httpx.Response(status, json={"detail": detail})
        return httpx.Response(200, json=[])

    client = letta_client.Letta(base_url="http://letta.test", api_key="test", max_retries=0,
                                http_client=httpx.Client(transport=httpx.MockTransport(answer)))
    chat = ChatSession(client, "agent-1")
    assert chat.say("hello?", wait=True)
    return chat


def test_the_chat_tells_a_pending_approval_by_its_class():
    chat = _chat_refused_with(409, APPROVAL_WAIT)
    assert chat.error == ("The agent is still waiting for an answer to an earlier tool call, so it cannot take a new "
                          "message. Answer that call in the panel below, then send again.")
    assert not chat.busy


def test_the_chat_does_not_take_another_conflict_for_a_pending_approval():
    chat = _chat_refused_with(409, "Conversation conv-1 is busy")
    assert chat.error == "The Letta server answered 409: Conversation conv-1 is busy"


def test_an_exercise_names_the_class_and_its_family():
    def explained_too_much(client, agent_id):
        raise explain(_status(letta_client.NotFoundError, 404, {"detail": "Agent not found"}))

    result = letta_nb.exercises.check("01", explained_too_much, client=None, agent_id="agent-1")
    assert not result and result.message.startswith("your code raised NotFound (a LettaNbError): Not found (404)")


def test_the_classes_are_public():
    names = {"ServerUnreachable", "ServerTimeout", "StackNotRunning", "KeyRejected", "NotFound", "InvalidRequest",
             "ApprovalPending", "ServerFailed", "RunFailed", "RunLost", "StreamCut", "translated"}
    assert names <= set(letta_nb.__all__)
    assert all(issubclass(getattr(letta_nb, name), LettaNbError) for name in names - {"translated"})
