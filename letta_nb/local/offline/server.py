"""The offline model's HTTP side: OpenAI-compatible ``/v1/models``, ``/v1/chat/completions`` (streamed or not) and
``/v1/embeddings`` on 127.0.0.1. What it says is decided in :mod:`letta_nb.local.offline.agent`."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ...config import HOST, OFFLINE_MODEL
from .agent import Reply, respond
from .context import text as message_text
from .vectors import embed_many

CONTEXT_WINDOW = 128_000
ARG_CHUNK = 16


def _words(text: str) -> list[str]:
    return re.findall(r"\S+\s*|\s+", text)


def _usage(request: dict, reply: Reply) -> dict:
    prompt = sum(len(message_text(m.get("content")).split()) for m in request.get("messages") or [])
    completion = len(_words(reply.content)) + len(reply.arguments_json.split()) * bool(reply.tool_name)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def completion(request: dict) -> dict:
    reply = respond(request)
    message: dict[str, Any] = {"role": "assistant", "content": reply.content or None}
    if reply.reasoning:
        message["reasoning_content"] = reply.reasoning  # letta 0.16.8 shows it as a reasoning_message
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
    for word in _words(reply.reasoning):
        yield chunk({"reasoning_content": word})
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


def embeddings(request: dict) -> dict:
    inputs = request.get("input", "")
    if isinstance(inputs, str):
        inputs = [inputs]
    model = request.get("model", "text-embedding-3-small")
    dims = int(request.get("dimensions") or (3072 if "large" in model else 1536))
    vectors = embed_many([str(t) for t in inputs], dims)
    data = [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)]
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

