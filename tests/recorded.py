"""Letta objects as the local stack sends them, without a server: letta_client's own pydantic types, each validated
from a dict with ``model_validate`` (so a dict that no longer fits the SDK's types fails loudly).

The dicts follow what the stack's server (Letta 0.16.8) sends with the offline model, field for field, ids and dates
aside; the replies are the offline model's to the same prompts that tests/test_display.py and tests/test_stream.py
send to the real server. A token stream is cut as the server cuts it:

- the offline model streams one word (with its trailing spaces) per chunk, and tool-call arguments in pieces of 16
  characters after a first piece that only names the tool (letta_nb/local/offline/server.py);
- Letta gives every chunk of one step the step's message id: the reasoning, the tool call and the assistant text of
  a step share it and differ by ``message_type``; the first tool-call chunk carries the tool's name and no arguments,
  later ones only arguments (letta/interfaces/openai_streaming_interface.py); a tool return is one chunk, with an id
  of its own;
- a foreground stream starts with a ping carrying the run id, and its chunks have no ``seq_id``; a background run's
  chunks are numbered from 1 (letta/server/rest_api/redis_stream_manager.py);
- the stream ends with a ``stop_reason`` chunk and a ``usage_statistics`` chunk.

Ids and dates are made up but well formed (``message-<uuid>``, ``run-<uuid>``, UTC times), and the same on every call.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from letta_client.types import AgentState, BlockResponse, Passage
from letta_client.types.agents import (
    ApprovalRequestMessage, ApprovalResponseMessage, AssistantMessage, EventMessage, HiddenReasoningMessage,
    LettaResponse, ReasoningMessage, SummaryMessage, SystemMessage, ToolCallMessage, UserMessage,
)
from letta_client.types.agents.letta_streaming_response import (
    LettaErrorMessage, LettaPing, LettaStopReason, LettaUsageStatistics,
)
from letta_client.types.tool import Tool
from letta_client.types.tool_return_message import ToolReturnMessage

ARG_CHUNK = 16  # letta_nb.local.offline.server.ARG_CHUNK, kept here so that a change there does not change the records
T0 = datetime(2026, 12, 1, 3, 21, 54, tzinfo=timezone.utc)
SCRIPT = "<script>alert(1)</script>"

TYPES = {
    "ping": LettaPing, "reasoning_message": ReasoningMessage, "hidden_reasoning_message": HiddenReasoningMessage,
    "tool_call_message": ToolCallMessage, "tool_return_message": ToolReturnMessage, "assistant_message": AssistantMessage,
    "approval_request_message": ApprovalRequestMessage, "approval_response_message": ApprovalResponseMessage,
    "user_message": UserMessage, "system_message": SystemMessage, "summary_message": SummaryMessage,
    "event_message": EventMessage, "error_message": LettaErrorMessage, "stop_reason": LettaStopReason,
    "usage_statistics": LettaUsageStatistics,
}


def message(data: dict) -> Any:
    """One message or chunk, as the SDK type its ``message_type`` names."""
    return TYPES[data["message_type"]].model_validate(data)


def words(text: str) -> list[str]:
    """The offline model's token pieces: each word with the spaces after it."""
    return re.findall(r"\S+\s*|\s+", text)


class Ids:
    """Well-formed, repeatable ids: ``next("message")`` -> ``message-<uuid>``, a new uuid each call."""

    def __init__(self, seed: int) -> None:
        self._n = itertools.count(seed * 10_000 + 1)

    def next(self, prefix: str) -> str:
        return f"{prefix}-{uuid.UUID(int=next(self._n) * 0x9E3779B97F4A7C15 % (1 << 122), version=4)}"


# ----------------------------------------------------------------------------------------------- one turn
@dataclass
class Step:
    """One model call of a turn: what it thought, said or called, and (for a call) what the tool returned."""

    reasoning: str = ""
    content: str = ""
    tool: str | None = None
    arguments: dict = field(default_factory=dict)
    returned: str | None = None  # None: no tool return (an approval request stops the turn before it)
    status: str = "success"
    stdout: list[str] | None = None
    approval: bool = False  # the tool needs approval: the call is an approval_request_message


@dataclass
class Turn:
    steps: list[Step]
    stop_reason: str = "end_turn"
    prompt_tokens: tuple[int, ...] = ()
    seed: int = 1

    @property
    def completion_tokens(self) -> int:
        return sum(len(words(s.content)) + len(json.dumps(s.arguments).split()) * bool(s.tool) for s in self.steps)

    def usage(self) -> dict:
        prompt = sum(self.prompt_tokens) or 800 * len(self.steps)
        return {"message_type": "usage_statistics", "completion_tokens": self.completion_tokens, "prompt_tokens": prompt,
                "total_tokens": prompt + self.completion_tokens, "step_count": len(self.steps)}

    def _records(self, ids: Ids):
        """(kind, message id, step id, step, call id) per message, in order."""
        for n, step in enumerate(self.steps):
            step_id, message_id = ids.next("step"), ids.next("message")
            # as the offline model names a call: call_ and 24 hex digits of a hash of the call
            digest = hashlib.sha1(f"{step.tool}|{json.dumps(step.arguments)}|{self.seed}.{n}".encode()).hexdigest()
            call_id = f"call_{digest[:24]}" if step.tool else None
            if step.reasoning:
                yield "reasoning_message", message_id, step_id, step, call_id
            if step.content:
                yield "assistant_message", message_id, step_id, step, call_id
            if step.tool:
                yield ("approval_request_message" if step.approval else "tool_call_message"), message_id, step_id, step, call_id
            if step.tool and step.returned is not None:
                yield "tool_return_message", ids.next("message"), step_id, step, call_id

    @staticmethod
    def _whole(kind: str, base: dict, step: Step, call_id: str | None) -> dict:
        if kind == "reasoning_message":
            return {**base, "reasoning": step.reasoning, "source": "reasoner_model", "signature": None}
        if kind == "assistant_message":
            return {**base, "content": step.content}
        if kind in ("tool_call_message", "approval_request_message"):
            call = {"name": step.tool, "arguments": json.dumps(step.arguments), "tool_call_id": call_id}
            return {**base, "tool_call": call, "tool_calls": [call]}
        ret = {"tool_call_id": call_id, "status": step.status, "tool_return": step.returned, "stdout": step.stdout,
               "stderr": None, "type": "tool"}
        return {**base, "name": step.tool, "tool_return": step.returned, "status": step.status, "tool_call_id": call_id,
                "stdout": step.stdout, "stderr": None, "tool_returns": [ret]}

    def response(self) -> LettaResponse:
        """The turn as ``client.agents.messages.create`` returns it without streaming."""
        ids, run_id = Ids(self.seed), Ids(self.seed + 500).next("run")
        messages = []
        for i, (kind, message_id, step_id, step, call_id) in enumerate(self._records(ids)):
            base = {"id": message_id, "date": (T0 + timedelta(seconds=i)).isoformat(), "message_type": kind,
                    "otid": f"{message_id[8:-2]}{i:02x}", "run_id": run_id, "step_id": step_id, "seq_id": None}
            messages.append(self._whole(kind, base, step, call_id))
        return LettaResponse.model_validate({"messages": messages, "stop_reason": {"stop_reason": self.stop_reason,
                                                                                   "message_type": "stop_reason"},
                                             "usage": self.usage()})

    def chunks(self, *, background: bool = False, pings: bool = True) -> list:
        """The turn as ``client.agents.messages.create(..., streaming=True, stream_tokens=True)`` yields it."""
        ids, run_id = Ids(self.seed), Ids(self.seed + 500).next("run")
        out: list[dict] = []
        clock = itertools.count()

        def base(kind: str, message_id: str, step_id: str | None) -> dict:
            return {"id": message_id, "date": (T0 + timedelta(milliseconds=20 * next(clock))).isoformat(),
                    "message_type": kind, "otid": message_id[8:], "run_id": run_id, "step_id": step_id}

        if pings and not background:
            out.append({**base("ping", Ids(self.seed + 900).next("ping"), None), "otid": None, "step_id": None})
        for kind, message_id, step_id, step, call_id in self._records(ids):
            if kind == "reasoning_message":
                out += [{**base(kind, message_id, step_id), "reasoning": w, "source": "reasoner_model", "signature": None}
                        for w in words(step.reasoning)]
            elif kind == "assistant_message":
                out += [{**base(kind, message_id, step_id), "content": w} for w in words(step.content)]
            elif kind in ("tool_call_message", "approval_request_message"):
                args = json.dumps(step.arguments)
                deltas = [{"name": step.tool, "arguments": None, "tool_call_id": call_id}]
                deltas += [{"name": None, "arguments": args[i : i + ARG_CHUNK], "tool_call_id": call_id}
                           for i in range(0, len(args), ARG_CHUNK)]
                out += [{**base(kind, message_id, step_id), "tool_call": d, "tool_calls": d} for d in deltas]
            else:
                out.append(self._whole(kind, base(kind, message_id, step_id), step, call_id))
        if background:
            for seq, chunk in enumerate(out, 1):
                chunk["seq_id"] = seq
        out += [{"message_type": "stop_reason", "stop_reason": self.stop_reason}, self.usage()]
        return [message(chunk) for chunk in out]


# ----------------------------------------------------------------------------------------- the recorded turns
def remember(fact: str = "I like green tea", seed: int = 1) -> Turn:
    """'remember that <fact>' to an agent whose human block is 'Name: unknown': memory_insert, then a confirmation."""
    return Turn([
        Step(reasoning="The user asked me to remember this in my human block.",
             tool="memory_insert", arguments={"label": "human", "new_string": fact}, returned=f"Name: unknown\n{fact}"),
        Step(reasoning="My memory is updated; I'll confirm what I noted.", content="Done: I've added that to my human block."),
    ], prompt_tokens=(812, 838), seed=seed)


def echo(text: str, seed: int = 2) -> Turn:
    """'echo: <text>': one step that repeats the words."""
    return Turn([Step(reasoning="The user asked me to repeat their words.", content=text)], prompt_tokens=(790,),
                seed=seed)


def shout(seed: int = 3) -> Turn:
    """'call shout {"text": "hi", "times": 2}' to an agent with the custom tool ``shout`` (it prints, then returns)."""
    return Turn([
        Step(reasoning="The user asked me to call shout explicitly.", tool="shout", arguments={"text": "hi", "times": 2},
             returned="HI! HI! ", stdout=["shouting hi\n"]),
        Step(reasoning="shout answered; I'll pass its result on.", content="shout returned: HI! HI!"),
    ], prompt_tokens=(845, 871), seed=seed)


def approval(seed: int = 4) -> Turn:
    """'call display_test_launch {"text": "boom"}': a tool that needs approval, so the turn stops and asks."""
    return Turn([Step(reasoning="The user asked me to call display_test_launch explicitly.", tool="display_test_launch",
                      arguments={"text": "boom"}, approval=True)], stop_reason="requires_approval", prompt_tokens=(902,),
                seed=seed)


def thought(seed: int = 5) -> Turn:
    """'call send_message {...}' to a memgpt_v2_agent: its reply is a send_message call, shown as assistant text."""
    return Turn([Step(reasoning="The user asked me to call send_message explicitly.", content="Hello **world**")],
                prompt_tokens=(655,), seed=seed)


def remember_chunks(fact: str = "I like green tea", *, background: bool = False) -> list:
    return remember(fact).chunks(background=background)


def echo_chunks(text: str = "hello there stream", *, background: bool = False) -> list:
    return echo(text).chunks(background=background)


# ---------------------------------------------------------------------------------------------- other objects
SHOUT_SOURCE = '''
def shout(text: str, times: int = 1) -> str:
    """Shout a text.

    Args:
        text: What to shout.
        times: How many times to shout it.

    Returns:
        str: The shouted text.
    """
    print("shouting", text)
    return (text.upper() + "! ") * times
'''


def shout_tool(**changes: Any) -> Tool:
    """The custom tool ``shout`` as ``client.tools.upsert(source_code=SHOUT_SOURCE)`` returns it."""
    schema = {"name": "shout", "description": "Shout a text.", "parameters": {"type": "object", "properties": {
        "text": {"type": "string", "description": "What to shout."},
        "times": {"type": "integer", "description": "How many times to shout it."}}, "required": ["text"]}}
    data = {"id": "tool-3f2c6a1e-8b7d-4c2a-9e51-0d4b6f8a2c71", "name": "shout", "tool_type": "custom",
            "description": "Shout a text.", "source_type": "python", "source_code": SHOUT_SOURCE, "json_schema": schema,
            "args_json_schema": None, "return_char_limit": 50000, "tags": [], "pip_requirements": None,
            "npm_requirements": None, "default_requires_approval": None, "enable_parallel_execution": False,
            "created_by_id": "user-00000000-0000-4000-8000-000000000000",
            "last_updated_by_id": "user-00000000-0000-4000-8000-000000000000", "metadata": {}}
    return Tool.model_validate({**data, **changes})


def block(label: str, value: str, limit: int = 100_000, n: int = 1, **extra: Any) -> BlockResponse:
    """A memory block as ``client.blocks.create`` / ``retrieve`` returns it."""
    return BlockResponse.model_validate({
        "id": f"block-{uuid.UUID(int=0xB10C0000 + n, version=4)}", "label": label, "value": value, "limit": limit,
        "description": None, "read_only": False, "hidden": None, "is_template": False, "metadata": {}, "tags": None,
        **extra})


def passages() -> list[Passage]:
    """``client.agents.passages.list`` after 'archive: cats are great #pets' (embeddings left out, as the server
    sends them)."""
    return [Passage.model_validate({
        "id": "passage-5c7e1f3a-2d4b-4e6f-8a9c-1b3d5f7a9c2e", "text": "cats are great", "tags": ["pets"],
        "archive_id": "archive-7a1c3e5f-9b2d-4f6a-8c0e-2d4f6a8c0e1b", "created_at": T0.isoformat(),
        "updated_at": T0.isoformat(), "is_deleted": False, "metadata": {}, "embedding": None, "embedding_config": None,
        "file_id": None, "file_name": None, "source_id": None})]


def other_message_types() -> list:
    """Message types the offline server does not send: hidden reasoning, a summary, an event, an error chunk."""
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc).isoformat()
    return [
        message({"message_type": "hidden_reasoning_message", "id": "message-1", "date": when, "state": "redacted",
                 "hidden_reasoning": "opaque"}),
        message({"message_type": "summary_message", "id": "message-2", "date": when,
                 "summary": "We talked about **tea**."}),
        message({"message_type": "event_message", "id": "message-3", "date": when, "event_type": "compaction",
                 "event_data": {"trigger": "manual"}}),
        message({"message_type": "error_message", "run_id": "run-1", "error_type": "llm_error",
                 "message": "The model failed.", "detail": "timeout after 60 s"}),
    ]


def _tool(name: str, tool_type: str, description: str, properties: dict, required: list[str], n: int,
          **extra: Any) -> dict:
    return {"id": f"tool-{uuid.UUID(int=0x7001_0000 + n, version=4)}", "name": name, "tool_type": tool_type,
            "description": description, "source_type": "python", "tags": [], "return_char_limit": 50000,
            "json_schema": {"name": name, "description": description, "parameters": {
                "type": "object", "properties": properties, "required": required}}, **extra}


def agent_state(human: str = "Name: unknown", *, rules: list[dict] | None = None) -> AgentState:
    """``client.agents.retrieve(id, include=["agent.blocks", "agent.tools", "agent.tags", "agent.identities"])`` for a
    letta_v1_agent on the offline model with the tools and blocks of tests/test_display.py's main agent."""
    agent_id = "agent-6b1f0c2e-4d3a-4f5b-9c8d-7e6f5a4b3c2d"
    text = {"type": "string", "description": "What to shout."}
    tools = [
        _tool("archival_memory_insert", "letta_core", "Add information to long-term archival memory.",
              {"content": {"type": "string", "description": "Content to write to the memory."}}, ["content"], 1),
        _tool("archival_memory_search", "letta_core", "Search archival memory using semantic (embedding-based) search.",
              {"query": {"type": "string", "description": "String to search for."}}, ["query"], 2),
        _tool("conversation_search", "letta_core", "Search prior conversation history.",
              {"query": {"type": "string", "description": "String to search for."}}, [], 3),
        _tool("memory_insert", "letta_memory_core", "Insert text into a memory block.",
              {"label": {"type": "string", "description": "Which block."},
               "new_string": {"type": "string", "description": "The text to insert."}}, ["label", "new_string"], 4),
        _tool("memory_replace", "letta_memory_core", "Replace text in a memory block.",
              {"label": {"type": "string", "description": "Which block."},
               "old_string": {"type": "string", "description": "The text to replace."},
               "new_string": {"type": "string", "description": "The new text."}}, ["label", "old_string", "new_string"], 5),
        shout_tool().model_dump(),
        _tool("display_test_launch", "custom", "Launch, after a human says yes.",
              {"text": text, "times": {"type": "integer", "description": "How many times to shout it."}}, ["text"], 6,
              default_requires_approval=True),
    ]
    blocks = [
        block("human", human, 100, 11, description="What I know about the user."),
        block("persona", "I am a test agent.", 100_000, 12, read_only=True),
        block("team", "We ship on Fridays.", 200, 13),
    ]
    blocks = [b.model_dump() for b in blocks]
    return AgentState.model_validate({
        "id": agent_id, "name": "test-display-recorded", "agent_type": "letta_v1_agent", "system": "<base_instructions>",
        "model": "letta-nb/offline", "embedding": "openai/text-embedding-3-small",
        "llm_config": {"model": "offline", "model_endpoint_type": "vllm", "model_endpoint": "http://127.0.0.1:8284/v1",
                       "context_window": 128000, "handle": "letta-nb/offline"},
        "embedding_config": {"embedding_model": "text-embedding-3-small", "embedding_endpoint_type": "openai",
                             "embedding_dim": 1536, "handle": "openai/text-embedding-3-small"},
        "memory": {"blocks": blocks}, "blocks": blocks, "sources": [], "tags": ["display", "test"], "tools": tools,
        "tool_rules": rules, "identities": [{
            "id": "identity-2c4e6a8b-0d1f-4a3c-8e5b-7d9f1a3c5e7b", "agent_ids": [agent_id], "block_ids": [],
            "identifier_key": "test-display-alice", "identity_type": "user", "name": "Alice",
            "properties": [{"key": "plan", "value": "pro", "type": "string"}]}],
        "created_at": T0.isoformat(), "updated_at": T0.isoformat(),
    })


RULES = [
    {"type": "constrain_child_tools", "tool_name": "archival_memory_search", "children": ["archival_memory_insert"]},
    {"type": "max_count_per_step", "tool_name": "archival_memory_search", "max_count_limit": 2},
    {"type": "exit_loop", "tool_name": "archival_memory_insert"},
]


def history() -> list:
    """``client.agents.messages.list`` of a conversation with every message type the offline server sends: the
    system prompt, user messages, a memory edit, a custom tool with stdout, a failed tool, an approval asked for
    and denied. One list, oldest first, as the server pages it."""
    ids = Ids(40)
    out: list[dict] = []

    def add(kind: str, **fields_: Any) -> None:
        message_id = fields_.pop("id", None) or ids.next("message")
        out.append({"id": message_id, "date": (T0 + timedelta(seconds=len(out))).isoformat(), "message_type": kind,
                    "otid": None, "run_id": None, "step_id": None, **fields_})

    add("system_message", content="<base_instructions>\nYou are a helpful agent.\n</base_instructions>\n" + "rule\n" * 40)
    for text, turn in ((f"remember in human: I like {SCRIPT} tea", remember(f"I like {SCRIPT} tea", seed=41)),
                       ('call shout {"text": "hi", "times": 2}', shout(seed=42))):
        add("user_message", content=text)
        for m in turn.response().messages:
            out.append({**m.model_dump(mode="json"), "date": (T0 + timedelta(seconds=len(out))).isoformat()})
    add("user_message", content='replace "nothing" with "x" in human')
    failed = Turn([Step(reasoning="The user asked me to change a memory line.", tool="memory_replace",
                        arguments={"label": "human", "old_string": "nothing", "new_string": "x"}, status="error",
                        returned="No replacement was performed, old_string `nothing` did not appear verbatim in memory "
                                 "block with label `human`."),
                   Step(reasoning="memory_replace failed; I'll tell the user what went wrong.",
                        content="memory_replace failed: No replacement was performed.")], seed=43)
    for m in failed.response().messages:
        out.append({**m.model_dump(mode="json"), "date": (T0 + timedelta(seconds=len(out))).isoformat()})
    add("user_message", content='call display_test_launch {"text": "boom"}')
    asked = approval(seed=44).response().messages
    for m in asked:
        out.append({**m.model_dump(mode="json"), "date": (T0 + timedelta(seconds=len(out))).isoformat()})
    add("approval_response_message", approve=None, approval_request_id=asked[-1].id, approvals=[
        {"type": "approval", "tool_call_id": asked[-1].tool_call.tool_call_id, "approve": False, "reason": "not today"}])
    return [message(m) for m in out]
