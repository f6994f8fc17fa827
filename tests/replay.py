"""Tests written once, run twice: live against the local stack, and replayed from a recording of that run.

A test (or a fixture) asks for ``letta``, a ``letta_client.Letta``. The module-scoped ``mode`` fixture is parametrized:

- ``live`` (marked ``stack``): the client talks to the real server through :class:`Recorder`, an httpx transport
  that keeps every exchange; ``pytest --record`` (``make record``) writes them to
  ``tests/recordings/<test module>/<test>.json``.
- ``replay`` (the fast tier): the client's transport is ``httpx.MockTransport(Replayer(...))``, which answers each
  request from that file: the first exchange not yet used with the same method and path, so repeated calls are
  answered in the order the server answered them. At the end of the test every recorded exchange must have been
  used, and each request's query and JSON body must be the recorded one; otherwise the test fails, saying to re-record.

Recordings keep ids and timestamps as the server sent them: the ids a test sees come from the recorded responses, so
the requests it makes from them match. What a test (or the package) makes up goes through the recording too:
``uuid.uuid4`` and :meth:`Recording.name` draw from a seed that is random live and the recorded one replayed, and
:meth:`Recording.wait` sleeps only live. :meth:`Recording.cut` drops the next stream after a number of events, as a
dropped connection does, live and replayed.

Both modes run the test body with the same view of this machine: a local stack at the client's URL whose state
directory is empty (``LETTA_NB_HOME`` is a fresh temporary folder), so nothing is read from the files of the stack
that happens to run here. Snapshots of rendered markup (``markup``) are shared by both modes: a live run must render
what the recording rendered, after the chapters' own sanitize rules (notebooks/sanitize.cfg).
"""

from __future__ import annotations

import configparser
import json
import os
import random
import re
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import letta_client
import pytest
from syrupy.extensions.amber import AmberSnapshotExtension

TESTS = Path(__file__).resolve().parent
RECORDINGS = TESTS / "recordings"
SANITIZE = TESTS.parent / "notebooks" / "sanitize.cfg"
MODES = [pytest.param("replay", id="replay"), pytest.param("live", id="live", marks=pytest.mark.stack)]
MADE_UP_NAME = re.compile(r"\b(test[a-z0-9_-]*?)-[0-9a-f]{8}\b")  # Recording.name(prefix): prefix-<8 hex digits>
CUT_MESSAGE = "peer closed connection without sending complete message body (cut by the test)"


# ------------------------------------------------------------------------------------------ the file format
def _query(url: httpx.URL) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in url.params.multi_items():
        out[key] = [*out[key], value] if isinstance(out.get(key), list) else [out[key], value] if key in out else value
    return out


def _request_body(request: httpx.Request) -> Any:
    content = request.read()
    if not content:
        return None
    if request.headers.get("content-type", "").startswith("application/json"):
        return json.loads(content)
    return f"<{request.headers.get('content-type', 'bytes').split(';')[0]}, {len(content)} bytes>"


_TRACEBACK_LINE = re.compile(r'File "[^"]*", line \d+')


def _comparable(value: Any) -> Any:
    """A request as compared on replay: the file names and line numbers of a Python traceback in it (a client tool's
    error sent to the server) say where the code sits, not what it sent."""
    if isinstance(value, str):
        return _TRACEBACK_LINE.sub('File "<file>", line <n>', value)
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    return value


def _events(raw: str) -> list[dict]:
    """The server-sent events of a stream body, whole events only: {"data": parsed JSON or text[, "event": name]}."""
    events = []
    for block in raw.replace("\r\n", "\n").split("\n\n")[:-1]:  # the text after the last blank line is incomplete
        event: dict[str, Any] = {}
        data = [line[5:].removeprefix(" ") for line in block.split("\n") if line.startswith("data:")]
        name = next((line[6:].strip() for line in block.split("\n") if line.startswith("event:")), None)
        if name:
            event["event"] = name
        text = "\n".join(data)
        try:
            event["data"] = json.loads(text)
        except ValueError:
            event["data"] = text
        events.append(event)
    return events


def _sse(events: list[dict]) -> Iterator[bytes]:
    for event in events:
        data = event["data"] if isinstance(event["data"], str) else json.dumps(event["data"], separators=(",", ":"))
        yield ((f"event: {event['event']}\n" if "event" in event else "") + f"data: {data}\n\n").encode()


def _dump(recording: dict) -> str:
    """JSON, one exchange a block and one streamed event a line, so that a re-recording diffs readably."""
    lines = ["{"]
    for key, value in recording.items():
        if key != "exchanges":
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    lines.append('  "exchanges": [')
    for n, exchange in enumerate(recording["exchanges"]):
        parts = []
        for key, value in exchange.items():
            if key == "events":
                inner = ",\n".join(f"      {json.dumps(e, ensure_ascii=False)}" for e in value)
                parts.append(f'    "events": [\n{inner}\n    ]' if value else '    "events": []')
            else:
                parts.append(f"    {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
        lines.append("   {\n" + ",\n".join(parts) + "\n   }" + ("," if n < len(recording["exchanges"]) - 1 else ""))
    lines += ["  ]", "}", ""]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------- recording
class _Tee(httpx.SyncByteStream):
    """A live response body, passed on as it arrives and kept; optionally cut after ``cut_after`` whole events."""

    def __init__(self, upstream: httpx.SyncByteStream, response: httpx.Response, exchange: dict,
                 cut_after: int | None) -> None:
        self.upstream, self.response, self.exchange, self.cut_after = upstream, response, exchange, cut_after
        self.raw = bytearray()
        self.done = False

    def __iter__(self) -> Iterator[bytes]:
        try:
            for chunk in self.upstream:
                if self.cut_after is not None:
                    whole = self._whole_events(bytes(self.raw) + chunk)
                    if whole is not None:
                        chunk = chunk[: whole - len(self.raw)]
                        self.raw += chunk
                        yield chunk
                        self.exchange["cut"] = "RemoteProtocolError"
                        self.close()
                        raise httpx.RemoteProtocolError(CUT_MESSAGE)
                self.raw += chunk
                yield chunk
        except httpx.TransportError as exc:  # the connection dropped by itself
            self.exchange.setdefault("cut", type(exc).__name__)
            raise
        finally:
            self.close()

    def _whole_events(self, raw: bytes) -> int | None:
        """The length of the first ``cut_after`` whole events in ``raw``, once they have all arrived."""
        end = 0
        for _ in range(self.cut_after):
            found = raw.find(b"\n\n", end)
            if found < 0:
                return None
            end = found + 2
        return end

    def close(self) -> None:
        if self.done:
            return
        self.done = True
        self.upstream.close()
        body = httpx.Response(self.response.status_code, headers=self.response.headers, content=bytes(self.raw)).read()
        if "text/event-stream" in self.exchange["content_type"]:
            self.exchange["events"] = _events(body.decode())
        elif body:  # no "response" at all: an empty body
            try:
                self.exchange["response"] = json.loads(body)
            except ValueError:
                self.exchange["response"] = body.decode(errors="replace")


class Recorder(httpx.BaseTransport):
    """Passes requests to the real transport and keeps each exchange, in the order the requests were made."""

    def __init__(self, exchanges: list[dict], inner: httpx.BaseTransport | None = None) -> None:
        self.exchanges = exchanges
        self.inner = inner or httpx.HTTPTransport()
        self.lock = threading.Lock()
        self.cut_after: int | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        exchange = {"method": request.method, "path": request.url.path, "query": _query(request.url),
                    "request": _request_body(request)}
        with self.lock:
            self.exchanges.append(exchange)
        try:
            response = self.inner.handle_request(request)
        except httpx.TransportError as exc:  # no answer at all (a timeout, a refused connection): replayed as such
            exchange["error"] = type(exc).__name__
            raise
        exchange["status"] = response.status_code
        exchange["content_type"] = response.headers.get("content-type", "")
        cut = None
        if "text/event-stream" in exchange["content_type"]:
            cut, self.cut_after = self.cut_after, None
        return httpx.Response(response.status_code, headers=response.headers, extensions=response.extensions,
                              stream=_Tee(response.stream, response, exchange, cut), request=request)

    def close(self) -> None:
        self.inner.close()


# ---------------------------------------------------------------------------------------------------- replay
class _Replayed(httpx.SyncByteStream):
    def __init__(self, events: list[dict], cut: str | None) -> None:
        self.events, self.cut = events, cut

    def __iter__(self) -> Iterator[bytes]:
        yield from _sse(self.events)
        if self.cut:
            raise getattr(httpx, self.cut, httpx.RemoteProtocolError)(CUT_MESSAGE)


class Replayer:
    """The MockTransport handler: answers from a recording, noting every request that does not fit it."""

    def __init__(self, exchanges: list[dict], where: str) -> None:
        self.exchanges, self.where = exchanges, where
        self.used = [False] * len(exchanges)
        self.problems: list[str] = []
        self.requests: list[dict] = []
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.requests.append({"method": request.method, "path": request.url.path, "query": _query(request.url),
                                  "request": _request_body(request)})
            n = next((i for i, e in enumerate(self.exchanges) if not self.used[i] and e["method"] == request.method
                      and e["path"] == request.url.path), None)
            if n is not None:
                self.used[n] = True
        if n is None:
            self.problems.append(f"no recorded exchange left for {request.method} {request.url.path}")
            return httpx.Response(400, headers={"x-should-retry": "false"},
                                  json={"detail": f"not in the recording {self.where}"})
        exchange = self.exchanges[n]
        for what, got in (("query", _query(request.url)), ("request", _request_body(request))):
            if _comparable(got) != _comparable(exchange[what]) and not (what == "request" and isinstance(got, str)):
                self.problems.append(f"{request.method} {request.url.path} (exchange {n}): {what} {got!r}, "
                                     f"recorded {exchange[what]!r}")
        if "error" in exchange:
            raise getattr(httpx, exchange["error"], httpx.TransportError)(f"{exchange['error']} (recorded)",
                                                                        request=request)
        headers = {"content-type": exchange["content_type"]} if exchange["content_type"] else {}
        if "events" in exchange:
            return httpx.Response(exchange["status"], headers=headers,
                                  stream=_Replayed(exchange["events"], exchange.get("cut")))
        body = exchange.get("response")
        content = b"" if "response" not in exchange else json.dumps(body).encode() \
            if "json" in headers.get("content-type", "") else str(body).encode()
        return httpx.Response(exchange["status"], headers=headers, content=content)

    def unused(self) -> list[str]:
        return [f"{e['method']} {e['path']} (exchange {i})" for i, e in enumerate(self.exchanges) if not self.used[i]]


# ------------------------------------------------------------------------------------------------- recording
class Recording:
    """One scenario's exchanges with the server: kept from a live run, or answered from the file."""

    def __init__(self, path: Path, mode: str, *, record: bool = False, live_client: letta_client.Letta | None = None):
        self.path, self.mode, self.record = path, mode, record
        self.where = str(path.relative_to(TESTS.parent)) if path.is_relative_to(TESTS.parent) else str(path)
        if mode == "live":
            assert live_client is not None
            self.data: dict[str, Any] = {"base_url": str(live_client.base_url).rstrip("/"),
                                         "max_retries": live_client.max_retries,
                                         "seed": random.SystemRandom().getrandbits(63), "exchanges": []}
            self.recorder = Recorder(self.data["exchanges"])
            self.client = live_client.copy(http_client=httpx.Client(transport=self.recorder, timeout=live_client.timeout))
        else:
            if not path.exists():
                pytest.fail(f"No recording {self.where}: record it with `make record` (the local stack running).")
            self.data = json.loads(path.read_text())
            self.replayer = Replayer(self.data["exchanges"], self.where)
            self.client = letta_client.Letta(base_url=self.data["base_url"], max_retries=self.data["max_retries"],
                                             http_client=httpx.Client(transport=httpx.MockTransport(self.replayer)))
        self.random = random.Random(self.data["seed"])

    @property
    def live(self) -> bool:
        return self.mode == "live"

    @property
    def requests(self) -> list[dict]:
        """Each request the test has made so far, in order: its method, path, query and JSON body."""
        if self.live:
            return [{key: e[key] for key in ("method", "path", "query", "request")} for e in self.data["exchanges"]]
        return list(self.replayer.requests)

    @property
    def port(self) -> int:
        return httpx.URL(self.data["base_url"]).port or 80

    def uuid4(self) -> uuid.UUID:
        """``uuid.uuid4`` for the test body (the ``recording`` fixture puts it there): random live, from the recorded
        seed replayed, so that the names a test or the package makes up are the recorded ones."""
        return uuid.UUID(int=self.random.getrandbits(128), version=4)

    def name(self, prefix: str = "test") -> str:
        """A name no other run uses, live; the same name again, replayed. Start ``prefix`` with "test" so that
        :func:`sanitize` knows it."""
        return f"{prefix}-{self.uuid4().hex[:8]}"

    def wait(self, seconds: float) -> None:
        """Let the server work (live); a replay has the answers already."""
        if self.live:
            time.sleep(seconds)

    def cut(self, after: int) -> None:
        """Drop the connection of the next streamed response after ``after`` whole events (the replay repeats it)."""
        if self.live:
            self.recorder.cut_after = after

    def close(self, passed: bool = True) -> None:
        """Live with ``--record``: write the file (unless the test failed). Replayed: fail if the run left the
        recording."""
        self.client.close()
        if self.live:
            if self.record and passed:
                text = _dump(self.data)
                leaked = [name for name, value in _secrets().items() if value in text]
                if leaked:
                    pytest.fail(f"Not writing {self.where}: it holds the value of {', '.join(leaked)} (a request sent "
                                "it). Record with those variables unset.", pytrace=False)
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.path.write_text(text)
            return
        problems = self.replayer.problems + [f"not used: {u}" for u in self.replayer.unused()]
        if problems:
            pytest.fail(f"The test no longer makes the requests of {self.where}; if that is intended, re-record it "
                        "(`make record`):\n  " + "\n  ".join(problems[:20]), pytrace=False)


def _secrets() -> dict[str, str]:
    """The environment's keys, tokens and passwords: a recording is committed, so it must hold none of them."""
    return {name: value for name, value in os.environ.items()
            if re.search(r"(KEY|TOKEN|SECRET|PASSWORD)$", name) and len(value) >= 8}


def _scenario(request: pytest.FixtureRequest) -> str:
    """The recording's name: the test's (or fixture's) name with its other parameters, without the mode."""
    node = request.node
    if request.scope != "function":
        return request.fixturename
    spec = getattr(node, "callspec", None)
    rest = re.sub(r"(^|-)(replay|live)(?=-|$)", "", spec.id).strip("-") if spec else ""
    return node.originalname + (f"[{rest}]" if rest else "")


@contextmanager
def recording_for(request: pytest.FixtureRequest, mode: str, name: str | None = None) -> Iterator[Recording]:
    """A recording for a fixture of any scope (or a test): ``tests/recordings/<module's path under tests>/<name>.json``."""
    if mode == "replay" and "stack" in request.fixturenames:
        pytest.fail("A replayed test must not use the live stack (the `stack`, `client` or `make_agent` fixture).")
    live_client = request.getfixturevalue("client") if mode == "live" else None  # starts nothing: it is running
    module = Path(request.node.path).resolve()
    folder = module.relative_to(TESTS).with_suffix("") if module.is_relative_to(TESTS) else Path(module.stem)
    path = RECORDINGS / folder / f"{name or _scenario(request)}.json"
    rec = Recording(path, mode, record=request.config.getoption("record", False), live_client=live_client)
    try:
        yield rec
    except BaseException:  # a fixture's setup failed: keep the old recording, and the error as it is
        rec.client.close()
        raise
    report = getattr(request.node, "replay_report", None)  # set by tests/conftest.py for a test's recording
    rec.close(passed=request.scope != "function" or report is None or report.passed)


@contextmanager
def isolated(port: int) -> Iterator[None]:
    """The test body's view of this machine: a local stack on ``port`` with an empty state directory."""
    with tempfile.TemporaryDirectory(prefix="letta-nb-replay-") as home, pytest.MonkeyPatch.context() as patch:
        patch.setenv("LETTA_NB_HOME", home)
        patch.setenv("LETTA_NB_PORT", str(port))
        yield


# --------------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module", params=MODES)
def mode(request) -> str:
    """``replay`` (fast tier) or ``live`` (marked ``stack``): every test that uses a recording runs both ways."""
    return request.param


@pytest.fixture
def recording(request, mode, monkeypatch) -> Iterator[Recording]:
    with recording_for(request, mode) as rec, isolated(rec.port):
        monkeypatch.setattr(uuid, "uuid4", rec.uuid4)
        if not rec.live:
            no_network(monkeypatch, rec)
        yield rec


def no_network(monkeypatch: pytest.MonkeyPatch, rec: Recording) -> None:
    """A replayed test reaches no server: a request that does not go through ``letta`` finds nothing listening (as
    at a port where nothing listens live), and one to the recorded server that way fails the test."""
    stack = httpx.URL(rec.data["base_url"])

    def refuse(request: httpx.Request) -> None:
        if (request.url.host, request.url.port) == (stack.host, stack.port):
            rec.replayer.problems.append(f"{request.method} {request.url} went around the recording (not through "
                                         "the `letta` client): it cannot be replayed")
        raise httpx.ConnectError("replayed test: no network", request=request)

    async def refuse_async(self, request: httpx.Request) -> None:
        refuse(request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", lambda self, request: refuse(request))
    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", refuse_async)


@pytest.fixture
def letta(recording) -> letta_client.Letta:
    """A client of the local stack, live or replayed (see ``mode``)."""
    return recording.client


def agent_settings(name: str, **kwargs: Any) -> dict[str, Any]:
    """The settings of a test agent (``make_agent``, ``new_agent``): the offline model and a human and a persona block,
    unless the test says otherwise."""
    from letta_nb.config import OFFLINE_EMBEDDING_HANDLE, OFFLINE_LLM_HANDLE

    return {"name": name, "model": OFFLINE_LLM_HANDLE, "embedding": OFFLINE_EMBEDDING_HANDLE,
            "memory_blocks": [{"label": "human", "value": "Name: unknown"},
                              {"label": "persona", "value": "I am a test agent."}], **kwargs}


@pytest.fixture
def new_agent(letta, recording):
    """Like ``make_agent``, over ``letta``: offline-model agents with made-up names, deleted (with the blocks no other
    agent uses) after the test."""
    made = []

    def make(**kwargs):
        name = recording.name("test")  # drawn for every agent, as a replay draws it (its seed's sequence)
        agent = letta.agents.create(**agent_settings(**{"name": name, **kwargs}))
        made.append(agent.id)
        return agent

    yield make
    for agent_id in made:
        delete_agent_and_blocks(letta, agent_id)


def delete_agent_and_blocks(client: letta_client.Letta, agent_id: str) -> None:
    """Delete an agent, then its blocks (and its sleep-time agent's) that no other agent uses: the server keeps blocks
    when an agent goes."""
    try:
        group = client.agents.retrieve(agent_id, include=["agent.managed_group"]).managed_group
    except letta_client.NotFoundError:
        return
    members = [agent_id] + (list(group.agent_ids) if group else [])
    blocks = {block.id for member in members for block in client.agents.blocks.list(member).items}
    client.agents.delete(agent_id)
    for block_id in sorted(blocks):
        if not client.blocks.agents.list(block_id).items:
            client.blocks.delete(block_id)


def sanitize(text: str) -> str:
    """Ids, timestamps and durations as the chapters' stored outputs show them (notebooks/sanitize.cfg), and the
    names :meth:`Recording.name` made up: what differs between two live runs of one scenario."""
    cfg = configparser.ConfigParser(interpolation=None)
    cfg.read(SANITIZE)
    for section in cfg.sections():
        text = re.sub(cfg[section]["regex"], cfg[section]["replace"], text)
    return MADE_UP_NAME.sub(r"\1-<name>", text)


class SharedSnapshot(AmberSnapshotExtension):
    """One snapshot for both modes of a test: named without its ``replay`` / ``live`` parameter."""

    @classmethod
    def get_snapshot_name(cls, *, test_location, index=0) -> str:
        name = super().get_snapshot_name(test_location=test_location, index=index)
        match = re.fullmatch(r"([^\[]*)\[([^\]]*)\](.*)", name)
        if not match:
            return name
        rest = "-".join(part for part in match[2].split("-") if part not in ("replay", "live"))
        return match[1] + (f"[{rest}]" if rest else "") + match[3]


@pytest.fixture
def markup(snapshot):
    """A syrupy snapshot shared by both modes of a test: ``assert sanitize(view.text) == markup``."""
    return snapshot.use_extension(SharedSnapshot)
