"""Chapter 00: the text of every assistant message of a response, whatever shape its content has."""

from __future__ import annotations

from datetime import datetime, timezone

from letta_client.types.agents import (AssistantMessage, LettaAssistantMessageContentUnion, LettaResponse,
                                       ReasoningMessage, ToolCallMessage)
from letta_client.types.agents.letta_response import StopReason, Usage
from letta_client.types.agents.tool_call import ToolCall

from ..content import text_of
from . import checker, require, stub_returned

_WHEN = datetime(2026, 1, 1, tzinfo=timezone.utc)
# What assistant_text must give for made_up_response(): the two assistant messages, in order, the second one's two
# text parts joined as letta_nb.text_of joins them; no reasoning, no tool call.
EXPECTED = "Hi Sam!\nSaved:\nyou teach in Leeds."


def _response(*messages) -> LettaResponse:
    return LettaResponse(messages=list(messages), stop_reason=StopReason(stop_reason="end_turn", message_type="stop_reason"),
                         usage=Usage(message_type="usage_statistics", step_count=2))


def _tool_call(n: int) -> ToolCallMessage:
    call = ToolCall(name="memory_insert", arguments='{"label": "human", "new_string": "Teaches in Leeds"}',
                    tool_call_id="call_0")
    return ToolCallMessage(id=f"message-{n}", date=_WHEN, tool_call=call, message_type="tool_call_message")


def made_up_response() -> LettaResponse:
    """A response as a model with reasoning would send it, built from letta_client's own pydantic classes."""
    parts = [LettaAssistantMessageContentUnion(text="Saved:", type="text"),
             LettaAssistantMessageContentUnion(text="you teach in Leeds.", type="text")]
    return _response(
        ReasoningMessage(id="message-1", date=_WHEN, reasoning="The user greets me and says where they work.",
                         message_type="reasoning_message"),
        AssistantMessage(id="message-2", date=_WHEN, content="Hi Sam!", message_type="assistant_message"),
        _tool_call(3),
        AssistantMessage(id="message-4", date=_WHEN, content=parts, message_type="assistant_message"),
    )


def silent_response() -> LettaResponse:
    """A turn that ends without a word to the user (say, on a tool call waiting for approval)."""
    return _response(ReasoningMessage(id="message-5", date=_WHEN, reasoning="I need a tool first.",
                                      message_type="reasoning_message"), _tool_call(6))


@checker("00", hint="keep the messages whose message_type is \"assistant_message\", take letta_nb.text_of(message) of "
                    "each (content may be a str or a list of text parts), and join them with \"\\n\"")
def check(assistant_text, *, client, agent_id: str) -> str:
    made = assistant_text(made_up_response())
    stub_returned(made, "assistant_text")
    require(isinstance(made, str), f"assistant_text should return a str, got {type(made).__name__}")
    require(made == EXPECTED, "for a response of a reasoning message, an assistant message, a tool call and an "
                              f"assistant message in two text parts, expected {EXPECTED!r}, got {made!r}")
    silent = assistant_text(silent_response())
    require(silent == "", f"a response without assistant messages should give an empty string, got {silent!r}")
    real = client.agents.messages.create(
        agent_id=agent_id, messages=[{"role": "user", "content": "Remember that my favourite colour is green."}])
    want = "\n".join(text_of(m) for m in real.messages if m.message_type == "assistant_message")
    got = assistant_text(real)
    require(got == want, f"on a real response from the server expected {want!r}, got {got!r}")
    return f"assistant_text reads every assistant message, str or parts; the server's reply: {got!r}"
