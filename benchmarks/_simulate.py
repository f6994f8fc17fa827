"""A stand-in for Letta's agent loop, for working on the offline model in seconds: the requests the server would send
(system prompt with memory blocks, tools, the conversation), and the tool calls played in memory. Used by
``offline_understanding.py --pure`` only; the reported figures come from the real server (``--live``)."""

from __future__ import annotations

import json

from letta_nb.local.offline import respond
from letta_nb.local.offline.vectors import similarity

from _scenarios import DEFAULT_BLOCKS, JSON_TYPES, Outcome

_P = {"type": "string"}
BUILTINS = {
    "memory_insert": {"label": _P, "new_string": _P}, "memory_replace": {"label": _P, "old_string": _P, "new_string": _P},
    "conversation_search": {"query": _P}, "archival_memory_insert": {"content": _P, "tags": {"type": "array"}},
    "archival_memory_search": {"query": _P}, "web_search": {"query": _P}, "fetch_webpage": {"url": _P},
    "run_code": {"code": _P, "language": _P}, "semantic_search_files": {"query": _P}, "grep_files": {"pattern": _P},
    "open_files": {"file_requests": {"type": "array"}},
}


def _schema(name: str, params: dict, description: str = "") -> dict:
    return {"type": "function", "function": {"name": name, "description": description, "parameters": {
        "type": "object", "properties": params, "required": [p for p in params if p not in ("tags", "language")]}}}


def _system(blocks: dict[str, str], descriptions: dict[str, str], read_only: list[str]) -> str:
    parts = []
    for label, value in blocks.items():
        meta = ("\n- read_only=true" if label in read_only else "") + f"\n- chars_current={len(value)}\n- chars_limit=5000\n"
        parts.append(f"<{label}>\n<description>\n{descriptions.get(label, '')}\n</description>\n<metadata>{meta}</metadata>\n"
                     f"<value>\n{value}\n</value>\n</{label}>\n")
    return ("You are a helpful assistant.\n<memory_blocks>\nThe following memory blocks are currently engaged in your core "
            "memory unit:\n\n" + "\n".join(parts) + "\n</memory_blocks>")


class Agent:
    def __init__(self, row: dict):
        self.blocks = dict(row.get("blocks") or DEFAULT_BLOCKS)
        self.descriptions = row.get("block_descriptions", {})
        self.read_only = row.get("read_only", [])
        self.passages = list(row.get("passages", []))
        self.files = row.get("files", {})
        self.history: list[dict] = []
        names = ["memory_insert", "memory_replace", "conversation_search", *row.get("tools", [])]
        self.tools = [_schema(n, BUILTINS[n]) for n in names if n in BUILTINS]
        self.custom = {}
        for tool in row.get("custom_tools", []):
            params = {p: {"type": JSON_TYPES[spec.split(":", 1)[0].strip()], "description": spec.split(":", 1)[1].strip()}
                      for p, spec in tool["params"].items()}
            self.tools.append(_schema(tool["name"], params, tool["description"]))
            self.custom[tool["name"]] = tool

    def _run(self, name: str, args: dict) -> tuple[str, bool]:
        try:
            if name == "memory_insert":
                self._writable(args["label"])
                self.blocks[args["label"]] = self.blocks.get(args["label"], "") + "\n" + args["new_string"]
                return "ok", True
            if name == "memory_replace":
                self._writable(args["label"])
                value = self.blocks[args["label"]]
                if value.count(args["old_string"]) != 1:
                    raise ValueError(f"No match (or several) for {args['old_string']!r}")
                self.blocks[args["label"]] = value.replace(args["old_string"], args["new_string"])
                return "ok", True
            if name == "archival_memory_insert":
                self.passages.append(args["content"])
                return "None", True
            if name in ("archival_memory_search", "semantic_search_files"):
                pool = self.passages if name == "archival_memory_search" else list(self.files.values())
                ranked = sorted(pool, key=lambda p: -similarity(args["query"], p))[:5]
                return repr([{"timestamp": "t", "content": p, "tags": []} for p in ranked]), True
            if name == "conversation_search":
                words = set(args["query"].lower().split())
                found = [m for m in self.history if m["role"] == "user" and words & set(m["content"].lower().split())]
                return json.dumps({"message": "ok", "results": [{"role": "user", "content": m["content"]} for m in found]}), True
            if name in ("web_search", "fetch_webpage", "run_code"):
                raise ConnectionError("Connection error: could not resolve host (no internet)")
            if name in self.custom:
                tool = self.custom[name]
                values = {p: args.get(p) for p in tool["params"]}
                return eval("f" + json.dumps(tool["returns"]), {}, values), True  # noqa: S307 (the row's own f-string)
        except Exception as exc:  # noqa: BLE001 (any tool error is what Letta reports back)
            return f"Error: {type(exc).__name__}: {exc}", False
        return "None", True

    def _writable(self, label: str) -> None:
        if label not in self.blocks:
            raise KeyError(f"no block {label}")
        if label in self.read_only:
            raise ValueError("This block is read-only and cannot be edited.")

    def say(self, text: str) -> Outcome:
        self.history.append({"role": "user", "content": text})
        turn: list[dict] = []
        calls, reasoning, failed = [], [], []
        for _ in range(8):
            request = {"messages": [{"role": "system", "content": _system(self.blocks, self.descriptions, self.read_only)},
                                    *self.history[:-1], self.history[-1], *turn], "tools": self.tools}
            step = respond(request)
            reasoning.append(step.reasoning)
            if not step.tool_name or step.tool_name == "send_message":
                reply = step.content or step.arguments.get("message", "")
                self.history.append({"role": "assistant", "content": reply})
                return Outcome(calls, reply, reasoning, dict(self.blocks), list(self.passages), failed)
            result, ok = self._run(step.tool_name, step.arguments)
            calls.append((step.tool_name, step.arguments))
            if not ok:
                failed.append(step.tool_name)
            call_id = f"call_{len(turn)}"
            turn += [{"role": "assistant", "content": None, "tool_calls": [{"id": call_id, "type": "function", "function": {
                "name": step.tool_name, "arguments": json.dumps(step.arguments)}}]},
                     {"role": "tool", "tool_call_id": call_id,
                      "content": json.dumps({"status": "OK" if ok else "Failed", "message": result})}]
        return Outcome(calls, "(no reply after 8 steps)", reasoning, dict(self.blocks), list(self.passages), failed)


def run(row: dict) -> tuple[dict[str, str], Outcome]:
    agent = Agent(row)
    for earlier in row.get("history", []):
        agent.say(earlier)
    before = dict(agent.blocks)
    return before, agent.say(row["utterance"])
