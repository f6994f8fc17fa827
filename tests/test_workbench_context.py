"""letta_nb.context_window against the real local stack; its pure rendering on hand-built data (fast tier)."""

from __future__ import annotations

import re
import uuid

import letta_client
import pytest

import letta_nb
from letta_nb.display import to_html, to_text
from letta_nb.display.model import Stacked
from letta_nb.workbench import context as context_module
from letta_nb.workbench.context import ContextWindow, parse
from letta_nb.workbench.context_view import ABSENT

UUID_ID = re.compile(r"\b[a-z]+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
RULE = {"type": "max_count_per_step", "tool_name": "memory_replace", "max_count_limit": 2}


def _agent(make_agent):
    return make_agent(tool_rules=[RULE])


def test_sections_with_their_text(letta, new_agent):
    agent = _agent(new_agent)
    view = letta_nb.context_window(letta, agent)
    window = view.window
    assert window.current == sum(view.tokens.values()), "the sections add up to the window's size"
    assert window.limit > window.current > 0
    text = view.text
    assert text.startswith(f"Context window {agent.name} {window.current:,} / {window.limit:,} tokens\n")
    assert re.search(rf"^    tool definitions +{view.tokens['tool definitions']:,} +\d+%$", text, re.M), "the bar's legend"
    assert "system prompt · " in text and "2 memory blocks marked" in text
    for label, value in (("human", "Name: unknown"), ("persona", "I am a test agent.")):
        assert re.search(rf"^    Memory block {label} {len(value)} / [\d,]+ chars$", text, re.M), label
        assert f"<value>\n      {value}\n      </value>" in text
    assert "memory_replace(label: string, old_string: string, new_string: string)" in text, "tool parameters"
    assert "- memory_replace: at most 2 use(s) per response" in text, "tool-rule prose"
    assert "messages · " in text
    assert not UUID_ID.search(text) and not TIME.search(text), "text/plain holds no ids or times"
    html = view.html
    assert agent.id in html and TIME.search(html), "HTML keeps the prompt as compiled"
    assert html.count('class="lnb-seg ') == len([t for t in view.tokens.values() if t]), "one segment per section"
    assert '<span class="lnb-kind">memory block</span>human' in html


def test_before_after_shows_the_turn(letta, new_agent):
    agent = _agent(new_agent)
    snapshot = letta_nb.context_window(letta, agent)
    kept = snapshot.text
    letta.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": "Remember that my name is Sam"}])
    after = letta_nb.context_window(letta, agent.id, before=snapshot)
    assert snapshot.text == kept, "a snapshot does not change"
    text = after.text
    changes = text[text.index("  Changes since the snapshot"):text.index("  system prompt · ")]
    grown = after.window.current - snapshot.window.current
    assert f"{snapshot.window.current:,} → {after.window.current:,} tokens (+{grown:,})" in changes
    assert re.search(r"^    messages +0 +[\d,]+ +\+[\d,]+$", changes, re.M), changes
    assert "- Name: unknown" in changes and "+ Name: Sam" in changes, "the memory edit, as a diff"
    assert "user: Remember that my name is Sam" in changes
    assert 'tool call: memory_replace({"label": "human", "old_string": "Name: unknown", "new_string": "Name: Sam"})' in changes
    assert after.window.memory["human"] == "Name: Sam"


def test_snapshot_of_another_agent(letta, new_agent):
    one, other = new_agent(), new_agent()
    with pytest.raises(letta_nb.LettaNbError, match="another agent"):
        letta_nb.context_window(letta, other, before=letta_nb.context_window(letta, one))


def test_absent_route_says_so(letta, new_agent, monkeypatch):
    monkeypatch.setattr(context_module, "ROUTE", "/v1/agents/{agent_id}/no-such-route")
    view = letta_nb.context_window(letta, new_agent())
    assert view.window is None and view.tokens == {}
    assert view.text == ABSENT and ABSENT.count(". ") == 0 and "404" in view.text
    assert "letta_nb.show(client.agents.retrieve" in view.html


def test_unknown_agent_and_server_down(letta):
    with pytest.raises(letta_nb.LettaNbError, match=r"Not found \(404\).*client\.agents\.list\(\)"):
        letta_nb.context_window(letta, "agent-00000000-0000-4000-8000-000000000000")
    down = letta_client.Letta(base_url="http://127.0.0.1:9", max_retries=0)
    with pytest.raises(letta_nb.LettaNbError, match="Cannot reach .*letta-nb up"):
        letta_nb.context_window(down, "agent-00000000-0000-4000-8000-000000000000")
    with pytest.raises(letta_nb.LettaNbError, match="needs an agent"):
        letta_nb.context_window(letta, None)


def test_same_agent_same_text(letta, new_agent):
    """What nbval compares: two agents that did the same show the same text/plain."""
    name = f"test-ctx-twin-{uuid.uuid4().hex[:8]}"
    texts = [letta_nb.context_window(letta, new_agent(name=name)).text for _ in range(2)]
    assert texts[0] == texts[1]


# --------------------------------------------------------------------------------------------- fast tier
DATA = {
    "context_window_size_max": 1000, "context_window_size_current": 60, "num_archival_memory": 2, "num_recall_memory": 3,
    "num_tokens_system": 20, "system_prompt": "Be kind.", "num_tokens_core_memory": 10,
    "core_memory": "<memory_blocks>\nBlocks:\n\n<human>\n<metadata>\n- chars_limit=50\n</metadata>\n<value>\nAda\n</value>\n"
                   "</human>\n\n</memory_blocks>",
    "num_tokens_tool_usage_rules": 5, "tool_usage_rules": "<tool_usage_rules>\n<tool_rule>\nshout ends the turn\n</tool_rule>\n"
                                                         "</tool_usage_rules>",
    "num_tokens_functions_definitions": 15,
    "functions_definitions": [{"type": "function", "function": {"name": "shout", "description": "Shout.", "parameters": {
        "type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}}}],
    "num_tokens_messages": 10,
    "messages": [{"id": "message-1", "role": "system", "content": [{"type": "text", "text": "Be kind.\n<memory_blocks>\nBlocks:\n\n"
                  "<human>\n<metadata>\n- chars_limit=50\n</metadata>\n<value>\nAda\n</value>\n</human>\n\n</memory_blocks>\n"
                  "agent-12345678-1234-1234-1234-123456789abc at 2026-12-07 08:15:40 PM UTC+0000"}]},
                 {"id": "message-2", "role": "user", "content": [{"type": "text", "text": "hi"}]},
                 {"id": "message-3", "role": "assistant", "content": [{"type": "reasoning", "reasoning": "greet"}],
                  "tool_calls": [{"id": "c1", "function": {"name": "shout", "arguments": "{\"text\": \"HI\"}"}}]},
                 {"id": "message-4", "role": "tool", "name": "shout", "content": [{"type": "text", "text": "HI"}],
                  "tool_returns": [{"status": "success", "func_response": "HI"}]}],
}


def test_parse_and_render_hand_built():
    window = parse(DATA, "agent-x", "ada")
    assert [b.label for b in window.blocks] == ["human"] and window.blocks[0].value == "Ada" and window.blocks[0].limit == 50
    assert window.rules == ("shout ends the turn",) and [t["name"] for t in window.tools] == ["shout"]
    assert len(window.messages) == 3 and window.prompt.startswith("Be kind.")
    text = ContextWindow(window).text
    assert "    Memory block human 3 / 50 chars" in text
    assert "agent-<id> at <time>" in text, "ids and times in the prompt are redacted in text"
    assert 'tool call: shout({"text": "HI"})' in text and "tool return: [success] shout" in text
    assert "shout(text: string)" in text and "- shout ends the turn" in text
    assert "outside the window: 2 archival passages, 3 messages in recall" in text
    html = ContextWindow(window).html
    assert "agent-12345678-1234-1234-1234-123456789abc" in html and "<id>" not in html


def test_stacked_sinks():
    node = Stacked([("system", 30), ("messages", 10)], 400)
    assert to_text(node).splitlines() == ["[██░░░░░░░░░░░░░░░░░░] 40 / 400 tokens · 10%", "  system    30   75%",
                                          "  messages  10   25%"]
    html = to_html(node, style=False)
    assert 'lnb-s0" style="width:7.50%" title="system: 30"' in html and "messages 10 · 25%" in html
