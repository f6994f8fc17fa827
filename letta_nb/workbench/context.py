"""``context_window(client, agent)``: what the model reads on the agent's next step, section by section, in tokens.

The server compiles it; ``GET /v1/agents/{agent_id}/context`` (letta 0.16.8, not wrapped by letta-client 1.12.1)
answers each section's token count and text. :class:`Window` is that answer parsed once, so a snapshot can be kept
and compared after a turn: ``context_window(client, agent, before=snapshot)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast

import letta_client

from ..display.view import View
from ..errors import translated
from ..exceptions import LettaNbError
from .context_view import absent_node, window_node

ROUTE = "/v1/agents/{agent_id}/context"  # the one seam: tests point it at a path that 404s
# (key in the answer, label) of each section, in the order the model reads them; tokens are under num_tokens_<key>.
SECTIONS = (("system", "system instructions"), ("core_memory", "memory blocks"), ("memory_filesystem", "memory files"),
            ("directories", "files"), ("tool_usage_rules", "tool rules"), ("external_memory_summary", "memory metadata"),
            ("summary_memory", "summary"), ("functions_definitions", "tool definitions"), ("messages", "messages"))
_TEXT_KEY = {"system": "system_prompt"}
_BLOCKS = re.compile(r"(?s)<memory_blocks>(.*)</memory_blocks>")
_BLOCK = re.compile(r"(?ms)^<(?P<label>[^\s<>/]+)>\n(?P<body>.*?)\n</(?P=label)>$")
_VALUE = re.compile(r"(?s)<value>\n?(.*?)\n?</value>")
_RULE = re.compile(r"(?s)<tool_rule>\n?(.*?)\n?</tool_rule>")


@dataclass(frozen=True)
class Part:
    """One section: ``key`` as the server names it, a readable ``label``, its ``tokens`` and ``text`` (a string, or
    the tool schemas / messages as JSON)."""

    key: str
    label: str
    tokens: int
    text: Any


@dataclass(frozen=True)
class Block:
    """A memory block as compiled into the prompt: ``compiled`` is its whole tagged text there."""

    label: str
    value: str
    compiled: str
    limit: int | None


@dataclass(frozen=True)
class Window:
    """A parsed context window. ``prompt`` is the compiled system prompt; ``messages`` the raw in-context messages
    after it; ``tools`` the function schemas; ``rules`` the tool rules as prose."""

    agent_id: str
    agent_name: str
    limit: int
    current: int
    parts: tuple[Part, ...]
    prompt: str
    blocks: tuple[Block, ...]
    tools: tuple[dict, ...]
    rules: tuple[str, ...]
    messages: tuple[dict, ...]
    archival: int
    recall: int

    def part(self, key: str) -> Part | None:
        return next((p for p in self.parts if p.key == key), None)

    @property
    def memory(self) -> dict[str, str]:
        return {b.label: b.value for b in self.blocks}


def _blocks(core: str) -> tuple[Block, ...]:
    inner = _BLOCKS.search(core or "")
    blocks = []
    for match in _BLOCK.finditer(inner.group(1) if inner else ""):
        value = _VALUE.search(match.group("body"))
        limit = re.search(r"chars_limit=(\d+)", match.group("body"))
        blocks.append(Block(match.group("label"), value.group(1) if value else match.group("body"), match.group(0),
                            int(limit.group(1)) if limit else None))
    return tuple(blocks)


def _text(message: dict) -> str:
    return "".join(c.get("text") or "" for c in message.get("content") or [] if isinstance(c, dict))


def parse(data: dict, agent_id: str, agent_name: str = "") -> Window:
    """A :class:`Window` from the route's JSON answer."""
    parts = tuple(Part(key, label, int(data.get(f"num_tokens_{key}") or 0), data.get(_TEXT_KEY.get(key, key)))
                  for key, label in SECTIONS)
    messages = list(data.get("messages") or [])
    if messages and messages[0].get("role") == "system":
        prompt = _text(messages.pop(0))
    else:  # no compiled system message: its sections, in order
        prompt = "\n\n".join(p.text for p in parts if isinstance(p.text, str) and p.text and p.key != "messages")
    tools = tuple(t.get("function", t) for t in data.get("functions_definitions") or [] if isinstance(t, dict))
    return Window(agent_id=agent_id, agent_name=agent_name, limit=int(data.get("context_window_size_max") or 0),
                  current=int(data.get("context_window_size_current") or 0), parts=parts, prompt=prompt,
                  blocks=_blocks(data.get("core_memory") or ""), tools=tools,
                  rules=tuple(_RULE.findall(data.get("tool_usage_rules") or "")), messages=tuple(messages),
                  archival=int(data.get("num_archival_memory") or 0), recall=int(data.get("num_recall_memory") or 0))


class ContextWindow(View):
    """The view :func:`context_window` returns; keep it as a snapshot. ``window`` is the parsed :class:`Window`
    (None where the server has no such route), ``before`` the snapshot it was compared with."""

    __slots__ = ("window", "before", "agent_id")

    def __init__(self, window: Window | None, before: Window | None = None, *, agent_id: str = "") -> None:
        self.window, self.before = window, before
        self.agent_id = window.agent_id if window else agent_id
        super().__init__(window_node(window, before) if window else absent_node())

    @property
    def tokens(self) -> dict[str, int]:
        """Tokens by section label (empty where the route is absent)."""
        return {p.label: p.tokens for p in self.window.parts} if self.window else {}


def context_window(client: letta_client.Letta, agent: Any, *, before: ContextWindow | Window | None = None) -> ContextWindow:
    """The agent's context window as the model sees it: a stacked bar of tokens by section against the maximum, then
    each section to unfold (the compiled system prompt with its memory blocks marked, tool definitions, tool
    rules, the messages in context). ``before=`` an earlier result shows what changed since (take one before a
    turn, pass it after). Where the server has no such route (404) the view says so in one sentence."""
    agent_id = agent if isinstance(agent, str) else getattr(agent, "id", None)
    if not agent_id:
        raise LettaNbError(f"context_window() needs an agent or an agent id ('agent-…'), not {type(agent).__name__}.")
    old = before.window if isinstance(before, ContextWindow) else before
    if old is not None and old.agent_id != agent_id:
        raise LettaNbError(f"before= is a snapshot of another agent ({old.agent_id}); take it with "
                           f"context_window(client, {agent_id!r}) before the turn.")
    with translated():
        name = client.agents.retrieve(agent_id).name or ""
    with translated():
        try:
            data = cast(dict, client.get(ROUTE.format(agent_id=agent_id), cast_to=object))  # the JSON as parsed
        except letta_client.NotFoundError:
            return ContextWindow(None, agent_id=agent_id)  # the agent exists (checked above): the route is what is missing
    return ContextWindow(parse(data, agent_id, name), old)
