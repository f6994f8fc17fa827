"""The golden corpus: every example sentence of every intent, and sentences written apart from them, each with what the
offline model does on its first step (tests/data/offline_golden.jsonl, recorded by scripts/golden.py). A change to
an intent, a planner or a slot filler that moves any row fails here, in the fast tier, and names the rows it moved."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from golden import OUT, outcome  # noqa: E402

ROWS = [json.loads(line) for line in OUT.read_text().splitlines()]


def test_the_corpus_is_large_and_covers_every_intent():
    from letta_nb.local.offline.intents import INTENTS

    assert len(ROWS) >= 300
    assert {r["intent"] for r in ROWS} >= set(INTENTS) - {"update_block", "web", "files"}


def test_every_row_gets_the_recorded_step():
    moved = []
    for row in ROWS:
        now = outcome(row["setup"], row["utterance"])
        if now != row:
            moved.append(f"{row['utterance']!r}: was {_step(row)}, now {_step(now)}")
    assert not moved, f"{len(moved)} of {len(ROWS)} rows changed (scripts/golden.py re-records them):\n" + "\n".join(moved[:20])


def _step(row: dict) -> str:
    if "tool" in row:
        return f"[{row['intent']}] {row['tool']}({json.dumps(row['arguments'], ensure_ascii=False)})"
    return f"[{row['intent']}] reply {row['reply'][:80]!r}"


@pytest.mark.parametrize("text, question_word", [("What's the weather like in Paris today?", "weather"),
                                                 ("what's on my to-do list?", "list"),
                                                 ("I bought a TechWidget Pro last week, is it waterproof?", "waterproof")])
def test_no_question_is_ever_stored_as_a_fact(text, question_word):
    from letta_nb.local.offline import agent
    from letta_nb.local.offline.context import Context
    from golden import request

    plan = agent.plan(Context.of(request("sam", text)))
    written = [json.dumps(a.arguments) for a in plan.actions
               if a.tool in ("memory_insert", "memory_replace", "archival_memory_insert", "add_todo")]
    assert not any(question_word in w for w in written), written


FALLBACK = [("Hi, I'm Sam, a teacher in Leeds", "memory_insert"), ("what's my name?", None),
            ("what's the weather in Oslo?", "get_weather"), ("I moved to York", "memory_replace"),
            ("forget that I live in Leeds", "memory_replace"), ("what is the refund policy?", "archival_memory_search"),
            ("remember that the office closes at 6", "archival_memory_insert")]


@pytest.mark.parametrize("text, tool", FALLBACK)
def test_without_e5_word_matching_still_understands_the_basics(text, tool):
    from letta_nb.local.offline.vectors import words_only

    with words_only():
        row = outcome("sam", text)
    assert row["intent"] != "unknown" and row.get("tool") == tool, row


@pytest.mark.parametrize("text", ["who wrote Hamlet?", "my bike has a flat tyre", "translate good morning into Welsh"])
def test_without_e5_what_it_cannot_do_writes_nothing(text):
    from letta_nb.local.offline.vectors import words_only

    with words_only():
        row = outcome("sam", text)
    assert "tool" not in row and row["reply"], row
