"""tests/replay.py itself: what the recorder keeps, and that a replay answers as the recording says and notices a test
that has left it. A tiny stand-in server (an httpx.MockTransport) plays the real one here: these tests are about the
recording machinery, not about Letta."""

from __future__ import annotations

import json

import httpx
import pytest
from replay import Recorder, Recording, Replayer, SharedSnapshot, _dump


def _server(request: httpx.Request) -> httpx.Response:
    """Answers with a counter, so that repeated calls differ; streams three events."""
    _server.calls += 1
    if request.url.path.endswith("/stream"):
        body = "".join(f'data: {{"n": {i}}}\n\n' for i in range(3)) + "data: [DONE]\n\n"
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body.encode())
    if request.method == "DELETE":
        return httpx.Response(204)
    return httpx.Response(200, json={"path": request.url.path, "call": _server.calls})


def _record(run) -> dict:
    _server.calls = 0
    exchanges: list[dict] = []
    recorder = Recorder(exchanges, inner=httpx.MockTransport(_server))
    with httpx.Client(transport=recorder, base_url="http://stack.test") as http:
        run(http, recorder)
    return json.loads(_dump({"base_url": "http://stack.test", "max_retries": 0, "seed": 1, "exchanges": exchanges}))


def _scenario(http: httpx.Client, recorder) -> list:
    seen = [http.post("/v1/things", params={"tag": ["a", "b"]}, json={"name": "x"}).json()["call"],
            http.get("/v1/things/1").json()["call"], http.get("/v1/things/1").json()["call"]]
    with http.stream("GET", "/v1/things/1/stream") as response:
        seen.append(list(response.iter_lines()))
    http.delete("/v1/things/1")
    return seen


def test_the_recorder_keeps_each_exchange_in_order():
    data = _record(_scenario)
    assert [(e["method"], e["path"], e["status"]) for e in data["exchanges"]] == [
        ("POST", "/v1/things", 200), ("GET", "/v1/things/1", 200), ("GET", "/v1/things/1", 200),
        ("GET", "/v1/things/1/stream", 200), ("DELETE", "/v1/things/1", 204)]
    post, first, second, stream, delete = data["exchanges"]
    assert post["query"] == {"tag": ["a", "b"]} and post["request"] == {"name": "x"}
    assert (first["response"]["call"], second["response"]["call"]) == (2, 3)
    assert stream["events"] == [{"data": {"n": 0}}, {"data": {"n": 1}}, {"data": {"n": 2}}, {"data": "[DONE]"}]
    assert "response" not in delete, "an empty body is kept as none at all"


def test_a_replay_answers_repeated_calls_in_the_recorded_order():
    data = _record(_scenario)
    replayer = Replayer(data["exchanges"], "here")
    with httpx.Client(transport=httpx.MockTransport(replayer), base_url="http://stack.test") as http:
        seen = _scenario(http, None)
    assert seen == [1, 2, 3, ['data: {"n":0}', "", 'data: {"n":1}', "", 'data: {"n":2}', "", "data: [DONE]", ""]]
    assert replayer.problems == [] and replayer.unused() == []


def test_a_replay_notices_a_test_that_left_the_recording():
    data = _record(_scenario)
    replayer = Replayer(data["exchanges"], "here")
    with httpx.Client(transport=httpx.MockTransport(replayer), base_url="http://stack.test") as http:
        http.post("/v1/things", params={"tag": "a"}, json={"name": "y"})
        http.get("/v1/things/1")
        missing = http.get("/v1/other")
    assert missing.status_code == 400 and missing.headers["x-should-retry"] == "false"
    assert replayer.problems == [
        "POST /v1/things (exchange 0): query {'tag': 'a'}, recorded {'tag': ['a', 'b']}",
        "POST /v1/things (exchange 0): request {'name': 'y'}, recorded {'name': 'x'}",
        "no recorded exchange left for GET /v1/other"]
    assert replayer.unused() == ["GET /v1/things/1 (exchange 2)", "GET /v1/things/1/stream (exchange 3)",
                                 "DELETE /v1/things/1 (exchange 4)"]


def test_a_cut_stream_ends_the_same_way_live_and_replayed():
    def cut(http: httpx.Client, recorder) -> None:
        recorder.cut_after = 2
        with http.stream("GET", "/v1/things/1/stream") as response, pytest.raises(httpx.RemoteProtocolError):
            for line in response.iter_lines():
                if line.startswith("data:"):
                    cut.lines.append(json.loads(line[5:]))

    cut.lines = []
    data = _record(cut)
    live = cut.lines
    assert data["exchanges"][0]["cut"] == "RemoteProtocolError" and len(data["exchanges"][0]["events"]) == 2
    cut.lines = []
    with httpx.Client(transport=httpx.MockTransport(Replayer(data["exchanges"], "here")),
                      base_url="http://stack.test") as http:
        cut(http, Recorder([]))  # the recorder's cut is not used: the recording has it
    assert cut.lines == live == [{"n": 0}, {"n": 1}], "the same events, then the same error"


def test_a_replay_fails_the_test_when_a_recording_is_left_unused(tmp_path):
    path = tmp_path / "scenario.json"
    path.write_text(_dump({"base_url": "http://127.0.0.1:8283", "max_retries": 0, "seed": 7,
                           "exchanges": _record(_scenario)["exchanges"]}))
    rec = Recording(path, "replay")
    again = Recording(path, "replay")
    assert rec.name() == again.name() != rec.name() and rec.port == 8283, "the same names from the same seed"
    again.replayer.used = [True] * len(again.replayer.used)
    again.close()
    with pytest.raises(pytest.fail.Exception, match="re-record") as failed:
        rec.close()
    assert "not used: POST /v1/things (exchange 0)" in str(failed.value)


def test_one_snapshot_serves_both_modes():
    class Location:
        def __init__(self, name: str) -> None:
            self.snapshot_name = name

    names = [SharedSnapshot.get_snapshot_name(test_location=Location(n), index=i)
             for n, i in (("test_a[replay]", 0), ("test_a[live]", 0), ("test_a[live]", 1), ("test_b[x-live]", 0),
                          ("test_c[replay-y]", "z"))]
    assert names == ["test_a", "test_a", "test_a.1", "test_b[x]", "test_c[y][z]"]


def test_no_answer_at_all_is_replayed_as_the_same_error():
    def timing_out(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    exchanges: list[dict] = []
    with httpx.Client(transport=Recorder(exchanges, inner=httpx.MockTransport(timing_out)),
                      base_url="http://stack.test") as http, pytest.raises(httpx.ReadTimeout):
        http.get("/v1/slow")
    assert exchanges == [{"method": "GET", "path": "/v1/slow", "query": {}, "request": None, "error": "ReadTimeout"}]
    with httpx.Client(transport=httpx.MockTransport(Replayer(exchanges, "here")), base_url="http://stack.test") as http, \
            pytest.raises(httpx.ReadTimeout):
        http.get("/v1/slow")


def test_a_traceback_in_a_request_is_compared_without_its_paths():
    sent = {"stderr": ['Traceback (most recent call last):\n  File "/here/tools.py", line 259, in run\nValueError: x']}
    recorded = {"stderr": ['Traceback (most recent call last):\n  File "/there/tools.py", line 263, in run\nValueError: x']}
    replayer = Replayer([{"method": "POST", "path": "/v1/x", "query": {}, "request": recorded, "status": 200,
                          "content_type": "application/json", "response": {}}], "here")
    with httpx.Client(transport=httpx.MockTransport(replayer), base_url="http://stack.test") as http:
        http.post("/v1/x", json=sent)
    assert replayer.problems == []
    replayer.used = [False]
    with httpx.Client(transport=httpx.MockTransport(replayer), base_url="http://stack.test") as http:
        http.post("/v1/x", json={"stderr": [sent["stderr"][0].replace("ValueError", "KeyError")]})
    assert len(replayer.problems) == 1, "the error itself still counts"


def test_a_recording_that_holds_a_secret_of_the_environment_is_not_written(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-environment-1234")
    live = type("Client", (), {"base_url": "http://127.0.0.1:8283", "max_retries": 0, "timeout": 5,
                               "copy": lambda self, **kw: httpx.Client()})()
    rec = Recording(tmp_path / "leak.json", "live", record=True, live_client=live)
    rec.data["exchanges"].append({"method": "POST", "path": "/v1/agents/", "query": {},
                                  "request": {"secrets": {"KEY": "sk-from-the-environment-1234"}}})
    with pytest.raises(pytest.fail.Exception, match="OPENAI_API_KEY"):
        rec.close()
    assert not (tmp_path / "leak.json").exists()
