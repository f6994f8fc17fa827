"""Chapter 00: the text of every assistant message of a response, whatever shape its content has."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from letta_client.types.agents import (
    AssistantMessage,
    LettaAssistantMessageContentUnion,
    LettaResponse,
    ReasoningMessage,
    ToolCallMessage,
)
from letta_client.types.agents.letta_response import StopReason, Usage
from letta_client.types.agents.tool_call import ToolCall

from . import checker, require, stub_returned
from .scratch import scratch

_WHEN = datetime(2026, 1, 1, tzinfo=UTC)
# One right answer for made_up_response(): the two assistant messages, one per line, the second one's two text parts
# joined as letta_nb.text_of joins them (a space or nothing between the parts is right too); no reasoning, no tool call.
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


def _is_text_of(got: str, response: LettaResponse) -> bool:
    """``got`` is the response's assistant messages one per line, each message's text parts in order, joined by a new
    line, a space or nothing."""
    messages = [[m.content] if isinstance(m.content, str) else [p.text for p in m.content]
                for m in response.messages if m.message_type == "assistant_message"]
    return re.fullmatch("\n".join(r"[ \n]?".join(map(re.escape, parts)) for parts in messages), got) is not None


@checker("00", hint="keep the messages whose message_type is \"assistant_message\", take letta_nb.text_of(message) of "
                    "each (content may be a str or a list of text parts), and join them with \"\\n\"")
def check(assistant_text, *, client, agent_id: str = "") -> str:
    # agent_id (the chapter's agent) is left alone: the real response comes from a scratch agent of the checker's own.
    made = assistant_text(made_up_response())
    stub_returned(made, "assistant_text")
    require(isinstance(made, str), f"assistant_text returned a {type(made).__name__}, not a str")
    require(_is_text_of(made, made_up_response()),
            f"assistant_text returned {made!r} for a response of a reasoning message, an assistant message "
            f"('Hi Sam!'), a tool call and an assistant message in two text parts ('Saved:', 'you teach in Leeds.'); "
            f"expected the two messages one per line, without the reasoning, e.g. {EXPECTED!r}")
    silent = assistant_text(silent_response())
    require(silent == "", f"assistant_text returned {silent!r} for a response without assistant messages, "
                          "instead of an empty string")
    with scratch(client, "00") as made:
        agent = made.agent(memory_blocks=[{"label": "human", "value": ""},
                                          {"label": "persona", "value": "I am a friendly assistant."}])
        real = client.agents.messages.create(
            agent_id=agent.id, messages=[{"role": "user", "content": "Remember that my favourite colour is green."}])
    got = assistant_text(real)
    said = [m.content for m in real.messages if m.message_type == "assistant_message"]
    require(isinstance(got, str) and _is_text_of(got, real),
            f"on a real response from the server, whose assistant messages say {said}, assistant_text returned {got!r}")
    return f"assistant_text reads every assistant message, str or parts; the server's reply: {got!r}"
