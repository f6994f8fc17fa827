"""What the model reads from one chat-completions request: the memory blocks in the system prompt, the tools offered,
the last user message, and the tool calls already made since it (this turn's steps)."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from typing import Any

_BLOCK = re.compile(
    r"<([\w/.-]+)>\s*<description>\s*(.*?)\s*</description>\s*<metadata>(.*?)</metadata>\s*"
    r"(?:<warning>.*?</warning>\s*)?<value>\n?(.*?)\n?</value>\s*</\1>", re.S)
_NUMBERED = re.compile(r"^\d+→ ?")


def text(content: Any) -> str:
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return content or ""


def parse(raw: str) -> Any:
    """Tool returns arrive as JSON, or as a Python repr of a list/dict (archival search)."""
    for load in (json.loads, ast.literal_eval):
        try:
            return load(raw)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
    return raw


@dataclass(frozen=True)
class Block:
    label: str
    description: str
    value: str
    read_only: bool = False

    @property
    def lines(self) -> list[str]:
        return [line for line in self.value.split("\n") if line.strip()]


@dataclass(frozen=True)
class Call:
    """A tool call made earlier in this turn, with what it returned."""

    name: str
    arguments: dict
    result: str | None = None

    @property
    def failed(self) -> bool:
        payload = parse(self.result or "")
        status = str(payload.get("status", "")) if isinstance(payload, dict) else ""
        message = payload.get("message", "") if isinstance(payload, dict) else payload
        return status.lower().startswith("error") or str(message).lower().startswith(("error", "failed"))


@dataclass
class Context:
    messages: list[dict]
    tools: dict[str, dict]
    tool_choice: Any = None
    system: str = ""
    blocks: list[Block] = field(default_factory=list)
    user_text: str = ""
    turn: list[Call] = field(default_factory=list)

    @classmethod
    def of(cls, request: dict) -> Context:
        messages = request.get("messages") or []
        tools = {t["function"]["name"]: t["function"] for t in request.get("tools") or [] if t.get("type") == "function"}
        system = next((text(m.get("content")) for m in messages if m.get("role") == "system"), "")
        last_user = max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=-1)
        returns = {m.get("tool_call_id"): text(m.get("content")) for m in messages[last_user + 1:] if m.get("role") == "tool"}
        turn = []
        for m in messages[last_user + 1:]:
            for call in m.get("tool_calls") or []:
                try:
                    arguments = json.loads(call["function"].get("arguments") or "{}")
                except ValueError:
                    arguments = {}
                turn.append(Call(call["function"]["name"], arguments if isinstance(arguments, dict) else {},
                                 returns.get(call.get("id"))))
        return cls(messages=messages, tools=tools, tool_choice=request.get("tool_choice"), system=system,
                   blocks=_blocks(system), user_text=text(messages[last_user].get("content")).strip() if last_user >= 0 else "",
                   turn=turn)

    def offers(self, *names: str) -> str | None:
        """The first of ``names`` that this request offers as a tool."""
        return next((n for n in names if n in self.tools), None)

    def block(self, label: str) -> Block | None:
        return next((b for b in self.blocks if b.label == label), None)

    def before_turn(self) -> Context:
        """This request as it stood before the turn's own memory edits: the server rebuilds the system prompt after
        each edit, and a plan made from the edited memory would take the turn's new facts for old ones ("I already
        knew that")."""
        values = {b.label: b.value for b in self.blocks}
        for call in reversed(self.turn):
            label, args = call.arguments.get("label"), call.arguments
            if call.failed or label not in values:
                continue
            if call.name in ("memory_insert", "core_memory_append"):
                added = str(args.get("new_string", args.get("content", "")))
                at = values[label].rfind(added)
                if added and at >= 0:
                    values[label] = (values[label][:at] + values[label][at + len(added):]).rstrip("\n")
            elif call.name in ("memory_replace", "core_memory_replace"):
                old = str(args.get("old_string", args.get("old_content", "")))
                new = str(args.get("new_string", args.get("new_content", "")))
                if new and new in values[label]:
                    values[label] = values[label].replace(new, old, 1)
                elif not new:
                    values[label] = values[label] + old if old.startswith("\n") else old + values[label]
        if all(values[b.label] == b.value for b in self.blocks):
            return self
        blocks = [Block(b.label, b.description, values[b.label], b.read_only) for b in self.blocks]
        return Context(self.messages, self.tools, self.tool_choice, self.system, blocks, self.user_text, self.turn)

    @property
    def after_tool(self) -> bool:
        return bool(self.messages) and self.messages[-1].get("role") == "tool"


def _blocks(system: str) -> list[Block]:
    start = system.find("<memory_blocks>")
    if start < 0:
        return []
    section = system[start: system.find("</memory_blocks>", start) + 1 or None]
    found = []
    for label, description, metadata, value in _BLOCK.findall(section):
        lines = value.split("\n")
        if value and all(_NUMBERED.match(line) for line in lines):
            value = "\n".join(_NUMBERED.sub("", line) for line in lines)
        found.append(Block(label, " ".join(description.split()), value, "read_only=true" in metadata))
    return found
