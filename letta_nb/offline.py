"""The offline model: a deterministic, OpenAI-compatible endpoint that lets a real Letta server run with no key.

It serves ``GET /v1/models``, ``POST /v1/chat/completions`` (streaming and not) and ``POST /v1/embeddings``.
Same request, same answer, every run. Replies follow a small script so that notebooks can drive every Letta
feature on purpose. The rules, checked in this order against the request:

1. **Forced tool.** ``tool_choice`` names a function (or is ``"required"``): call that function (or the tool the
   user named, else ``send_message`` or ``memory_finish_edits`` if offered, else the first by name). Arguments
   come from a JSON object in the last user message, else every required parameter is filled from the user's text.
2. **After a tool return** (the last message has role ``tool``): a one-line summary, e.g.
   ``I saved that to my human memory.`` or ``get_weather returned: Sunny in Paris.``
3. **The last user message**, first match wins (case-insensitive):

   | the user writes                                   | the model calls                                          |
   |---------------------------------------------------|----------------------------------------------------------|
   | ``call TOOL {"a": 1}`` / ``use TOOL ...``           | ``TOOL(a=1)`` (any offered tool; JSON optional)          |
   | ``remember that X`` / ``remember: X``              | ``memory_insert(label="human", new_string="X")``         |
   | ``remember in LABEL: X``                           | ``memory_insert(label="LABEL", new_string="X")``         |
   | ``replace "A" with "B" in LABEL``                  | ``memory_replace(label="LABEL", old_string="A", new_string="B")`` |
   | ``archive: X #tag1 #tag2``                         | ``archival_memory_insert(content="X", tags=["tag1","tag2"])`` |
   | ``search archival for X``                          | ``archival_memory_search(query="X")``                   |
   | ``search conversation for X``                      | ``conversation_search(query="X")``                      |
   | ``what do you know about me?``                     | no tool: replies with the ``human`` block's text        |
   | anything else                                     | no tool: ``You said: <text>``                            |

   A rule whose tool is not offered to the agent falls through to the plain reply. Agents whose tools include
   ``send_message`` (older agent types) get every plain reply as a ``send_message`` call.

Streaming sends the reply one word per chunk and tool-call arguments in 16-character deltas, then a usage chunk
when ``stream_options.include_usage`` is set. Usage counts are words, not real tokens.

Embeddings are a hashed bag of words (``dimensions`` or 1536 wide, unit length): texts sharing words are close, so
archival search finds passages by their words.

Run it alone with ``python -m letta_nb.offline --port 8284``; ``letta-nb up`` starts it for you.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

from .config import HOST, OFFLINE_MODEL

CONTEXT_WINDOW = 128_000
ARG_CHUNK = 16
_HUMAN_BLOCK = re.compile(r"<human>.*?<value>\s*(.*?)\s*</value>", re.S)


@dataclass
class Reply:
    """What the model says: either text or one tool call."""

    content: str = ""
    tool_name: str | None = None
    arguments: dict[str, Any] = field(default_factory=dict)

    @property
    def arguments_json(self) -> str:
        return json.dumps(self.arguments, ensure_ascii=False)

    def tool_call_id(self, salt: int) -> str:
        digest = hashlib.sha1(f"{self.tool_name}|{self.arguments_json}|{salt}".encode()).hexdigest()
        return f"call_{digest[:24]}"


# ----------------------------------------------------------------------------------------------- the rules
def _text(content: Any) -> str:
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return content or ""


def _tools(request: dict) -> dict[str, dict]:
    return {t["function"]["name"]: t["function"] for t in request.get("tools") or [] if t.get("type") == "function"}


def _last_user_text(messages: list[dict]) -> str:
    for m in reversed(messages):
        if m.get("role") == "user":
            return _text(m.get("content")).strip()
    return ""


def _json_object(text: str) -> dict | None:
    start = text.find("{")
    if start < 0:
        return None
    try:
        value = json.loads(text[start : text.rfind("}") + 1])
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _fill_arguments(schema: dict, text: str) -> dict:
    given = _json_object(text)
    if given is not None:
        return given
    props = (schema.get("parameters") or {}).get("properties") or {}
    required = (schema.get("parameters") or {}).get("required") or []
    defaults = {"string": text, "integer": 0, "number": 0, "boolean": False, "array": [], "object": {}}
    return {name: defaults.get(props.get(name, {}).get("type", "string"), text) for name in required}


def _parse(raw: str) -> Any:
    """Tool returns arrive as JSON, or as a Python repr of a list/dict (archival search)."""
    for parse in (json.loads, ast.literal_eval):
        try:
            return parse(raw)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
    return raw


def _tool_name_of(messages: list[dict], tool_call_id: str | None) -> str:
    for m in reversed(messages):
        for call in m.get("tool_calls") or []:
            if call.get("id") == tool_call_id:
                return call["function"]["name"]
    return "the tool"


def _summarise_tool_return(messages: list[dict]) -> str:
    last = messages[-1]
    name = _tool_name_of(messages, last.get("tool_call_id"))
    raw = _text(last.get("content"))
    payload = _parse(raw)
    if isinstance(payload, dict) and isinstance(payload.get("message"), str):
        inner = _parse(payload["message"])
        if isinstance(inner, list):  # search results wrapped in letta's {"status", "message"} envelope
            payload = inner
    if isinstance(payload, (list, tuple)):
        found = [str(item.get("content", item)) if isinstance(item, dict) else str(item) for item in payload]
        if not found:
            return f"{name} found nothing."
        listed = "; ".join(" ".join(f.split())[:80] for f in found[:3])
        return f"{name} found {len(found)} result{'s' * (len(found) != 1)}: {listed}"
    if isinstance(payload, dict):
        status = str(payload.get("status", "OK"))
        message = payload.get("message", payload.get("func_return", ""))
    else:
        status, message = "OK", payload
    message = " ".join(str(message).split())
    if status.lower().startswith("error") or message.lower().startswith("error"):
        return f"{name} failed: {message[:200]}"
    if name in ("memory_insert", "memory_replace", "core_memory_append", "core_memory_replace"):
        for m in reversed(messages):
            for call in m.get("tool_calls") or []:
                if call.get("id") == last.get("tool_call_id"):
                    label = json.loads(call["function"]["arguments"] or "{}").get("label", "core")
                    return f"I saved that to my {label} memory."
    if name == "archival_memory_insert":
        return "I stored that in my archival memory."
    if len(message) > 200:
        message = message[:197] + "..."
    return f"{name} returned: {message}" if message else f"{name} finished."


_PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^(?:please\s+)?(?:call|use|run)\s+(?:the\s+)?(?:tool\s+)?`?(\w+)`?(?:\s+tool)?\b(.*)$", re.I | re.S), "call"),
    (re.compile(r"^(?:please\s+)?remember\s+in\s+(?:my\s+)?(\w+)(?:\s+memory)?\s*:\s*(.+)$", re.I | re.S), "remember_in"),
    (re.compile(r"^(?:please\s+)?remember(?:\s+that|\s*:)?\s+(.+)$", re.I | re.S), "remember"),
    (re.compile(r"""^(?:please\s+)?replace\s+["'](.+?)["']\s+with\s+["'](.*?)["']\s+in\s+(?:my\s+)?(\w+)""", re.I | re.S), "replace"),
    (re.compile(r"^(?:please\s+)?(?:archive|save to archival(?: memory)?)\s*:\s*(.+)$", re.I | re.S), "archive"),
    (re.compile(r"^(?:please\s+)?search\s+(?:my\s+|your\s+)?(?:archival|archive)(?:\s+memory)?\s+for\s+(.+?)[.?!]*$", re.I | re.S), "search_archival"),
    (re.compile(r"^(?:please\s+)?search\s+(?:our\s+|the\s+)?(?:conversation|history|messages)\s+for\s+(.+?)[.?!]*$", re.I | re.S), "search_conversation"),
    (re.compile(r"what do you (?:know|remember) about me", re.I), "about_me"),
]


def _from_user_text(text: str, tools: dict[str, dict], messages: list[dict]) -> Reply:
    for pattern, kind in _PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        if kind == "call" and match.group(1) in tools:
            name = match.group(1)
            return Reply(tool_name=name, arguments=_fill_arguments(tools[name], match.group(2).strip()))
        if kind == "remember_in" and "memory_insert" in tools:
            return Reply(tool_name="memory_insert", arguments={"label": match.group(1), "new_string": match.group(2).strip()})
        if kind == "remember" and "memory_insert" in tools:
            return Reply(tool_name="memory_insert", arguments={"label": "human", "new_string": match.group(1).strip()})
        if kind == "remember" and "core_memory_append" in tools:
            return Reply(tool_name="core_memory_append", arguments={"label": "human", "content": match.group(1).strip()})
        if kind == "replace" and "memory_replace" in tools:
            old, new, label = match.groups()
            return Reply(tool_name="memory_replace", arguments={"label": label, "old_string": old, "new_string": new})
        if kind == "archive" and "archival_memory_insert" in tools:
            body = match.group(1)
            tags = re.findall(r"#(\w+)", body)
            content = re.sub(r"\s*#\w+", "", body).strip()
            return Reply(tool_name="archival_memory_insert", arguments={"content": content, "tags": tags} if tags else {"content": content})
        if kind == "search_archival" and "archival_memory_search" in tools:
            return Reply(tool_name="archival_memory_search", arguments={"query": match.group(1).strip()})
        if kind == "search_conversation" and "conversation_search" in tools:
            return Reply(tool_name="conversation_search", arguments={"query": match.group(1).strip()})
        if kind == "about_me":
            system = next((_text(m.get("content")) for m in messages if m.get("role") == "system"), "")
            found = _HUMAN_BLOCK.search(system)
            known = " ".join(found.group(1).split()) if found and found.group(1).strip() else "nothing yet"
            return Reply(content=f"Here is what I know about you: {known}")
    return Reply(content=f"You said: {text}" if text else "Hello! Send me a message.")


_ENDS_TURN = ("send_message", "memory_finish_edits")


def _fallback_tool(tools: dict[str, dict]) -> str:
    """The tool to call when one is required and nothing names it.

    Not the first one offered: the server's tool order varies between runs. A tool that ends the turn comes first,
    so that a forced choice (a sleeptime agent, say) does not loop until max_steps.
    """
    return next((name for name in _ENDS_TURN if name in tools), None) or min(tools)


def respond(request: dict) -> Reply:
    """Apply the rules above to one chat-completions request."""
    messages = request.get("messages") or []
    tools = _tools(request)
    user_text = _last_user_text(messages)
    choice = request.get("tool_choice")
    if isinstance(choice, dict) and choice.get("function", {}).get("name") in tools:
        name = choice["function"]["name"]
        return Reply(tool_name=name, arguments=_fill_arguments(tools[name], user_text))
    if choice == "required" and tools:
        reply = _from_user_text(user_text, tools, messages)
        if reply.tool_name:
            return reply
        name = _fallback_tool(tools)
        return Reply(tool_name=name, arguments=_fill_arguments(tools[name], user_text))
    if messages and messages[-1].get("role") == "tool":
        reply = Reply(content=_summarise_tool_return(messages))
    else:
        reply = _from_user_text(user_text, tools, messages)
    if reply.tool_name is None and "send_message" in tools:
        return Reply(tool_name="send_message", arguments={"message": reply.content})
    return reply


# ------------------------------------------------------------------------------------------- wire formats
def _words(text: str) -> list[str]:
    return re.findall(r"\S+\s*|\s+", text)


def _usage(request: dict, reply: Reply) -> dict:
    prompt = sum(len(_text(m.get("content")).split()) for m in request.get("messages") or [])
    completion = len(_words(reply.content)) + len(reply.arguments_json.split()) * bool(reply.tool_name)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def completion(request: dict) -> dict:
    reply = respond(request)
    message: dict[str, Any] = {"role": "assistant", "content": reply.content or None}
    if reply.tool_name:
        message["tool_calls"] = [
            {"id": reply.tool_call_id(len(request.get("messages") or [])), "type": "function",
             "function": {"name": reply.tool_name, "arguments": reply.arguments_json}}
        ]
    return {
        "id": "chatcmpl-offline", "object": "chat.completion", "created": 0, "model": request.get("model", OFFLINE_MODEL),
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if reply.tool_name else "stop"}],
        "usage": _usage(request, reply),
    }


def completion_chunks(request: dict) -> Iterator[dict]:
    reply = respond(request)
    base = {"id": "chatcmpl-offline", "object": "chat.completion.chunk", "created": 0, "model": request.get("model", OFFLINE_MODEL)}

    def chunk(delta: dict, finish: str | None = None) -> dict:
        return {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

    yield chunk({"role": "assistant", "content": ""})
    for word in _words(reply.content):
        yield chunk({"content": word})
    if reply.tool_name:
        call_id = reply.tool_call_id(len(request.get("messages") or []))
        yield chunk({"tool_calls": [{"index": 0, "id": call_id, "type": "function",
                                     "function": {"name": reply.tool_name, "arguments": ""}}]})
        args = reply.arguments_json
        for i in range(0, len(args), ARG_CHUNK):
            yield chunk({"tool_calls": [{"index": 0, "function": {"arguments": args[i : i + ARG_CHUNK]}}]})
    yield chunk({}, "tool_calls" if reply.tool_name else "stop")
    if (request.get("stream_options") or {}).get("include_usage"):
        yield {**base, "choices": [], "usage": _usage(request, reply)}


def embed(text: str, dimensions: int = 1536) -> list[float]:
    vector = [0.0] * dimensions
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        digest = hashlib.md5(word.encode()).digest()
        index = int.from_bytes(digest[:4], "little") % dimensions
        vector[index] += 1.0 if digest[4] & 1 else -1.0
    norm = math.sqrt(sum(v * v for v in vector))
    if norm == 0:
        vector[0], norm = 1.0, 1.0
    return [v / norm for v in vector]


def embeddings(request: dict) -> dict:
    inputs = request.get("input", "")
    if isinstance(inputs, str):
        inputs = [inputs]
    model = request.get("model", "text-embedding-3-small")
    dims = int(request.get("dimensions") or (3072 if "large" in model else 1536))
    data = [{"object": "embedding", "index": i, "embedding": embed(str(t), dims)} for i, t in enumerate(inputs)]
    words = sum(len(str(t).split()) for t in inputs)
    return {"object": "list", "data": data, "model": model, "usage": {"prompt_tokens": words, "total_tokens": words}}


def models() -> dict:
    return {"object": "list", "data": [
        {"id": OFFLINE_MODEL, "object": "model", "created": 0, "owned_by": "letta-nb",
         "context_length": CONTEXT_WINDOW, "max_model_len": CONTEXT_WINDOW}
    ]}


# ------------------------------------------------------------------------------------------------- server
class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "letta-nb-offline"
    # Paths under /embeddings-only/ list no chat models: the server's OpenAI provider points there so that it
    # supplies embedding handles without duplicating the chat model already offered under our own handle.
    embeddings_only_prefix = "/embeddings-only"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (signature fixed by the base class)
        return

    def _path(self) -> tuple[str, bool]:
        path = self.path.split("?", 1)[0].rstrip("/")
        if path.startswith(self.embeddings_only_prefix):
            return path[len(self.embeddings_only_prefix):], True
        return path, False

    def _send_json(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802
        path, embeddings_only = self._path()
        if path in ("/v1/models", "/models"):
            self._send_json(200, {"object": "list", "data": []} if embeddings_only else models())
        elif path in ("", "/health", "/v1/health"):
            self._send_json(200, {"status": "ok", "model": OFFLINE_MODEL})
        else:
            self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

    def do_POST(self) -> None:  # noqa: N802
        path, _ = self._path()
        try:
            request = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        except ValueError:
            self._send_json(400, {"error": {"message": "request body is not JSON", "type": "invalid_request_error"}})
            return
        if path in ("/v1/embeddings", "/embeddings"):
            self._send_json(200, embeddings(request))
        elif path in ("/v1/chat/completions", "/chat/completions"):
            if request.get("stream"):
                self._stream(completion_chunks(request))
            else:
                self._send_json(200, completion(request))
        else:
            self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

    def _stream(self, chunks: Iterator[dict]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        for item in chunks:
            self.wfile.write(f"data: {json.dumps(item)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()
        self.close_connection = True


def make_server(host: str = HOST, port: int = 8284) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), _Handler)
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="letta-nb's deterministic offline model endpoint")
    parser.add_argument("--host", default=HOST)
    parser.add_argument("--port", type=int, default=8284)
    args = parser.parse_args(argv)
    server = make_server(args.host, args.port)
    print(f"offline model listening on http://{args.host}:{args.port}/v1", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
