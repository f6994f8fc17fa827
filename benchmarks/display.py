"""Render times of letta_nb.display: transcripts of 500/1,000/2,000 messages, a 200-agent list, and the workbench's
context window (with the changes of a whole conversation) and a trace of 500 steps.

The messages are real: one conversation is held with an agent on the local stack (tool calls, tool returns,
markdown, a script tag), fetched once with ``client.agents.messages.list``, then cloned with ``model_copy`` (new
ids) up to each size. The agents are one real agent state cloned the same way, the trace's steps the real steps of
the conversation's runs. Best of 3 runs per cell::

    uv run python benchmarks/display.py
"""

from __future__ import annotations

import dataclasses
import time
import uuid
from typing import Any, Callable

import letta_nb
from letta_nb.display import render, to_frame
from letta_nb.workbench.context import ROUTE, ContextWindow, parse
from letta_nb.workbench.tracing import StepTrace, Trace, trace

SIZES = (500, 1_000, 2_000)
AGENTS = 200
STEPS = 500
BUDGET_S = 1.0
CONVERSATION = [
    "remember that I collect lighthouse postcards",
    "archive: The Fastnet lighthouse is called Ireland's teardrop #lighthouses",
    "search archival for teardrop",
    "Please answer with **bold**, *emphasis*, `code` and a list:\n- one\n- two",
    "what do you know about me?",
    "<script>alert('not run')</script> is just text",
    "replace \"postcards\" with \"stamps\" in human",
]


def real_objects() -> tuple[list[Any], Any, tuple, Trace]:
    client = letta_nb.connect()
    model, embedding = letta_nb.default_models(client)
    agent = client.agents.create(name=f"bench-display-{uuid.uuid4().hex[:8]}", model=model, embedding=embedding,
                                 tools=["archival_memory_insert", "archival_memory_search"], tags=["bench"],
                                 memory_blocks=[{"label": "human", "value": "Name: Ada"},
                                                {"label": "persona", "value": "I am a benchmark agent."}])
    window = lambda: parse(client.get(ROUTE.format(agent_id=agent.id), cast_to=object), agent.id, agent.name)
    try:
        before = window()
        runs = [client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": text}])
                for text in CONVERSATION]
        messages = list(client.agents.messages.list(agent_id=agent.id, limit=100).items)
        state = client.agents.retrieve(agent.id, include=["agent.blocks", "agent.tools", "agent.tags"])
        windows = (before, window())
        traced = trace(client, [m for response in runs for m in response.messages])
    finally:
        letta_nb.delete_agents(client, name=agent.name)
    return messages, state, windows, traced



def clones(items: list[Any], n: int, **extra: Callable[[int], Any]) -> list[Any]:
    """``n`` copies cycling through ``items``, each with a fresh id (and any ``extra`` field by index)."""
    out = []
    for i in range(n):
        item = items[i % len(items)]
        prefix = item.id.split("-", 1)[0]
        out.append(item.model_copy(update={"id": f"{prefix}-{uuid.UUID(int=i)}", **{k: f(i) for k, f in extra.items()}}))
    return out


def step_clones(steps: list[StepTrace], n: int) -> list[StepTrace]:
    """``n`` steps cycling through ``steps``, each with a fresh step id."""
    return [dataclasses.replace(st, step=st.step.model_copy(update={"id": f"step-{uuid.UUID(int=i)}"}))
            for i, st in enumerate(steps[i % len(steps)] for i in range(n))]


def best(fn: Callable[[], Any], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    messages, state, (before, after), traced = real_objects()
    kinds = sorted({m.message_type for m in messages})
    print(f"source: {len(messages)} real messages ({', '.join(kinds)}), cloned with model_copy\n")
    rows = []
    for n in SIZES:
        batch = clones(messages, n)
        rows.append((f"transcript, {n:,} messages", best(lambda: render(batch).text), best(lambda: render(batch).html),
                     len(render(batch).html)))
    agents = clones([state], AGENTS, name=lambda i: f"agent-{i:03d}")
    rows.append((f"agent list, {AGENTS} agents", best(lambda: render(agents).text), best(lambda: render(agents).html),
                 len(render(agents).html)))
    frame_s = best(lambda: to_frame(agents))
    rows.append((f"to_frame, {AGENTS} agents", frame_s, None, None))
    biggest = clones(messages, SIZES[-1])
    rows.append((f"to_frame, {SIZES[-1]:,} messages", best(lambda: to_frame(biggest)), None, None))
    rows.append(("context window + changes", best(lambda: ContextWindow(after, before).text),
                 best(lambda: ContextWindow(after, before).html), len(ContextWindow(after, before).html)))
    steps = step_clones(traced.steps, STEPS)
    rows.append((f"trace, {STEPS} steps", best(lambda: Trace(traced.runs, steps, traced.usage).text),
                 best(lambda: Trace(traced.runs, steps, traced.usage).html), len(Trace(traced.runs, steps, traced.usage).html)))

    print(f"{'what':<28} {'text':>9} {'html':>9} {'html size':>11}")
    for what, text_s, html_s, size in rows:
        html = f"{html_s * 1000:7.1f}ms" if html_s is not None else f"{'':>9}"
        print(f"{what:<28} {text_s * 1000:7.1f}ms {html} {f'{size / 1024:,.0f} KiB' if size else '':>11}")
    per_msg = [(r[1] / n, r[2] / n) for r, n in zip(rows, SIZES)]
    growth = max(p[0] for p in per_msg) / min(p[0] for p in per_msg), max(p[1] for p in per_msg) / min(p[1] for p in per_msg)
    print(f"\nper-message cost, largest/smallest over sizes: text {growth[0]:.2f}x, html {growth[1]:.2f}x (1.0 = linear)")
    slow = [r[0] for r in rows if max(r[1], r[2] or 0) > BUDGET_S]
    print("all under 1 s" if not slow else f"OVER 1 s: {', '.join(slow)}")


if __name__ == "__main__":
    main()
