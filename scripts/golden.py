"""Record the offline model's golden corpus: tests/data/offline_golden.jsonl.

Each row is one message to an agent with a fixed memory and set of tools (``SETUPS``), and what the model does with
it on the first step: the intent it understood, the tool it calls and the arguments, or that it replies. The messages
are every example sentence of every intent (so a change to an intent's planner shows up as a changed row) and the
sentences in ``EXTRA``, written apart from the examples. ``tests/test_offline_golden.py`` replays the corpus in the
fast tier; after a deliberate change, run ``uv run python scripts/golden.py`` and review the diff of the corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

from letta_nb.local.offline import agent
from letta_nb.local.offline.context import Context
from letta_nb.local.offline.intents import EXAMPLES

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "offline_golden.jsonl"

_S = {"type": "string"}
LETTA_TOOLS = {"memory_insert": {"label": _S, "new_string": _S},
               "memory_replace": {"label": _S, "old_string": _S, "new_string": _S},
               "conversation_search": {"query": _S}, "archival_memory_insert": {"content": _S},
               "archival_memory_search": {"query": _S}}
CUSTOM = {
    "get_weather": ("Get the current weather forecast for a city.", {"city": ("string", "The city to report on.")}),
    "add_todo": ("Add an item to the user's to-do list.", {"item": ("string", "What to do, in a few words.")}),
    "calculate_bmi": ("Calculate body mass index from weight and height.",
                      {"weight_kg": ("number", "Weight in kilograms."), "height_m": ("number", "Height in metres.")}),
}
SETUPS = {
    "sam": {"human": "Name: Sam\nLocation: Leeds\nLikes: tea\nSister: Ana", "persona": "I am a helpful assistant."},
    "new": {"human": "", "persona": "I am a helpful assistant."},
}
# Sentences written apart from the intents' examples: other phrasings of the same needs.
EXTRA = [
    "hiya, Ola here", "I've lived in Cardiff since 2019", "my cat is called Pixel", "I'm allergic to shellfish",
    "I work as a paramedic in Bristol", "I no longer live in Leeds", "I'm not a fan of olives", "I love cycling but hate running",
    "Bo teaches yoga", "my brother Raj lives in Pune", "what city do I live in?", "do you know my name?",
    "what's my sister called?", "what's the weather in Lisbon?", "is it sunny in Rome today?", "add milk to my to-do list",
    "I'm 1.80 m and 80 kg, what's my BMI?", "what's 12 times 7?", "what's 15% of 80?", "who painted the Mona Lisa?",
    "thanks a lot!", "good morning!", "what can you do?", "write me a sonnet", "forget my location",
    "please delete the line about my sister", "jot down that the bins go out on Thursday",
    "where did I say I was going on holiday?", "look up the refund policy in your notes", "tell me a story about a fox",
    "summarise that", "my name is not Sam, it's Samuel", "I moved to York", "I'm feeling a bit down today",
    "what's on my to-do list?", "is it going to snow in Oslo tomorrow?", "what time is it in Sydney?",
]


def request(setup: str, text: str) -> dict:
    blocks = "".join(f"<{label}>\n<description>\n</description>\n<metadata>\n- chars_current={len(value)}\n"
                     f"- chars_limit=5000\n</metadata>\n<value>\n{value}\n</value>\n</{label}>\n"
                     for label, value in SETUPS[setup].items())
    tools = [{"type": "function", "function": {"name": n, "description": "", "parameters": {
        "type": "object", "properties": p, "required": list(p)}}} for n, p in LETTA_TOOLS.items()]
    tools += [{"type": "function", "function": {"name": n, "description": d, "parameters": {
        "type": "object", "properties": {k: {"type": t, "description": x} for k, (t, x) in p.items()},
        "required": list(p)}}} for n, (d, p) in CUSTOM.items()]
    return {"model": "offline", "tools": tools, "messages": [
        {"role": "system", "content": f"You are a helpful assistant.\n<memory_blocks>\n{blocks}</memory_blocks>"},
        {"role": "user", "content": text}]}


def outcome(setup: str, text: str) -> dict:
    req = request(setup, text)
    step = agent.respond(req)
    intent = agent.plan(Context.of(req)).intent
    row = {"setup": setup, "utterance": text, "intent": intent}
    if step.tool_name:
        row.update(tool=step.tool_name, arguments=step.arguments)
    else:
        row["reply"] = step.content
    return row


def rows() -> list[dict]:
    said = [t for texts in EXAMPLES.values() for t in texts] + EXTRA
    return [outcome("sam" if i % 2 else "new", text) for i, text in enumerate(said)]


if __name__ == "__main__":
    corpus = rows()
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in corpus))
    print(f"{len(corpus)} rows in {OUT}")
