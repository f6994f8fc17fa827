"""letta_nb.trace against the real local stack, from every kind of turn; its pure rendering on hand-built steps."""

from __future__ import annotations

import re
import uuid
from types import SimpleNamespace

import pytest
from letta_client.types import Step

import letta_nb
from letta_nb.turns import Done, Turn, collect
from letta_nb.workbench.tracing import StepTrace, Trace, run_ids

REMEMBER = "Remember that my name is Sam"
CALL = 'memory_replace({"label": "human", "old_string": "Name: unknown", "new_string": "Name: Sam"})'
DURATION = re.compile(r"\d+\.\d\d s\b")


def _say(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


def _check_totals(view: Trace) -> None:
    steps = [s.step for s in view.steps]
    totals = view.totals
    assert totals.steps == len(steps) > 0
    assert totals.prompt_tokens == sum(s.prompt_tokens for s in steps) > 0
    assert totals.completion_tokens == sum(s.completion_tokens for s in steps)
    assert (view.usage.prompt_tokens, view.usage.completion_tokens) == (totals.prompt_tokens, totals.completion_tokens)
    line = (f"  total: {totals.steps} step{'s' * (totals.steps != 1)} · {totals.prompt_tokens:,} input · "
            f"{totals.completion_tokens:,} output · {totals.total_tokens:,} tokens")
    assert line in view.text.splitlines(), view.text


def test_plain_response(letta, new_agent):
    agent = new_agent()
    response = letta.agents.messages.create(agent_id=agent.id, messages=_say(REMEMBER))
    view = letta_nb.trace(letta, response)
    _check_totals(view)
    assert view.totals.steps == response.usage.step_count == 2
    assert view.totals.prompt_tokens == response.usage.prompt_tokens
    text = view.text
    assert text.startswith("Trace 2 steps [completed]\n")
    rows = [line for line in text.splitlines() if re.match(r"  [12]  offline ", line)]
    assert len(rows) == 2 and "memory_replace" in rows[0] and rows[1].split()[-2:] == ["end_turn", "[success]"], rows
    assert re.search(r"^  step 1 · [\d,]+ in · [\d,]+ out · memory_replace$", text, re.M)
    assert f"tool call: {CALL}" in text, "the call's arguments"
    assert "tool return: [success] memory_replace\n      Name: Sam" in text, "and its return"
    assert "user: " + REMEMBER in text and "reasoning: " in text
    assert not DURATION.search(text) and "step-" not in text, "no durations or ids in text/plain"
    html = view.html
    assert DURATION.search(html) and view.steps[0].step.id in html, "HTML has them"
    assert 'class="lnb-tl"' in html and ">model</span>" in html, "a timeline"
    assert letta_nb.trace(letta, response.messages[0].run_id).text == text, "a run id gives the same trace"


def test_stream_chunks_and_the_stream(letta, new_agent):
    agent = new_agent()
    chunks = list(letta.agents.messages.create(agent_id=agent.id, messages=_say(REMEMBER), streaming=True,
                                                stream_tokens=True, include_pings=True))
    view = letta_nb.trace(letta, chunks)
    assert [r.id for r in view.runs] == [next(c.run_id for c in chunks if getattr(c, "run_id", None))]
    _check_totals(view)
    assert f"tool call: {CALL}" in view.text
    assert letta_nb.trace(letta, collect(chunks)).text == view.text, "an assembled Transcript too"
    stream = letta.agents.messages.create(agent_id=agent.id, messages=_say("hello"), streaming=True)
    assert letta_nb.trace(letta, stream).text.startswith("Trace 1 step [completed]\n"), "a stream is read to its end"


def test_background_runs(letta, new_agent):
    agent = new_agent()
    run = letta.agents.messages.create_async(agent_id=agent.id, messages=_say(REMEMBER))
    view = letta_nb.trace(letta, run)  # waits for it to end
    assert view.runs[0].status == "completed" and f"tool call: {CALL}" in view.text
    _check_totals(view)
    chunks = list(letta.agents.messages.create(agent_id=agent.id, messages=_say("hello"), streaming=True, background=True))
    background = letta_nb.trace(letta, chunks)
    assert background.runs[0].background and "assistant: " in background.text


def test_conversation_turn(letta, new_agent):
    agent = new_agent()
    conversation = letta.conversations.create(agent_id=agent.id)
    turn = Turn(letta, agent.id, REMEMBER, conversation_id=conversation.id)
    done = turn.advance()
    assert isinstance(done, Done)
    view = letta_nb.trace(letta, done)
    assert view.runs[0].conversation_id == conversation.id and f"tool call: {CALL}" in view.text
    _check_totals(view)


def test_tool_error_shows(letta, new_agent):
    agent = new_agent()
    call = 'call memory_replace {"label": "nope", "old_string": "x", "new_string": "y"}'
    view = letta_nb.trace(letta, letta.agents.messages.create(agent_id=agent.id, messages=_say(call)))
    assert re.search(r"^  1  offline .* memory_replace +\[tool error\]$", view.text, re.M), view.text
    assert re.search(r"^  step 1 · .* · memory_replace · error$", view.text, re.M)
    assert "tool return: [error] memory_replace" in view.text and "Block field nope does not exist" in view.text


def test_same_turn_same_text(letta, new_agent):
    """What nbval compares: the same turn with two identical agents traces to the same text/plain."""
    name = f"test-trace-twin-{uuid.uuid4().hex[:8]}"
    texts = []
    for _ in range(2):
        agent = new_agent(name=name)
        texts.append(letta_nb.trace(letta, letta.agents.messages.create(agent_id=agent.id, messages=_say(REMEMBER))).text)
    assert texts[0] == texts[1]


def test_what_is_not_a_run(letta):
    with pytest.raises(letta_nb.LettaNbError, match=r"no run id in str: pass a run id"):
        letta_nb.trace(letta, "hello")
    with pytest.raises(letta_nb.LettaNbError, match=r"no run id in list"):
        letta_nb.trace(letta, [])
    with pytest.raises(letta_nb.LettaNbError, match=r"Not found \(404\)"):
        letta_nb.trace(letta, "run-00000000-0000-4000-8000-000000000000")


# --------------------------------------------------------------------------------------------- fast tier
def _step(i: int, tokens: tuple[int, int], **extra) -> StepTrace:
    step = Step(id=f"step-{i}", model="offline", prompt_tokens=tokens[0], completion_tokens=tokens[1],
                total_tokens=sum(tokens), status=extra.pop("status", "success"), **extra)
    metrics = SimpleNamespace(step_ns=2_000_000_000, llm_request_ns=1_500_000_000, tool_execution_ns=None)
    return StepTrace(step, metrics, ())


def test_hand_built_trace():
    run = SimpleNamespace(id="run-1", status="failed", stop_reason="error")
    view = Trace([run], [_step(1, (100, 5)), _step(2, (120, 0), status="failed", error_type="LLMError",
                                                   error_data={"message": "rate limited"})])
    text = view.text
    assert "  total: 2 steps · 220 input · 5 output · 225 tokens" in text and view.totals.duration_ns == 4_000_000_000
    assert "error: LLMError\n      rate limited" in text and "[failed]" in text
    assert "4.00 s" in view.html and not DURATION.search(text)
    assert view.html.count('class="lnb-seg lnb-s') == 4, "two steps, each model time and the server's"


def test_run_ids_of_objects():
    chunk = SimpleNamespace(run_id="run-a")
    assert run_ids([chunk, SimpleNamespace(run_id=None), SimpleNamespace(run_id="run-b"), chunk]) == ["run-a", "run-b"]
    assert run_ids(SimpleNamespace(transcript=SimpleNamespace(messages=[chunk], run_id="run-c"))) == ["run-a", "run-c"]
