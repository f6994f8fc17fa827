"""8 agents × 10 turns from 8 threads at once on the local stack: turn latency, errors, and messages lost.

Each thread owns one agent and sends it 10 plain-English turns (facts, questions, small talk) one after another; the
threads run together. Afterwards every agent's history on the server is read back: each user message sent must be
there exactly once, with a reply after it. Errors and lost messages must both be 0.

    uv run python benchmarks/load.py
"""

from __future__ import annotations

import statistics
import threading
import time

import letta_nb

from _report import table

AGENTS, TURNS = 8, 10
TEXTS = ["Hi, I'm {name}, a pilot in Oslo", "I love tea", "What's my name?", "I moved to Bergen", "Thanks!",
         "My daughter is called Noor", "What do you know about me?", "I also love jazz", "Where do I live?", "Bye!"]


def main() -> None:
    client = letta_nb.connect()
    agents = [letta_nb.fresh_agent(client, f"bench-load-{i}", memory_blocks=[{"label": "human", "value": ""}])
              for i in range(AGENTS)]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def work(index: int) -> None:
        for turn in range(TURNS):
            text = f"{TEXTS[turn].format(name=f'Pilot{index}')} (turn {turn})"
            start = time.perf_counter()
            try:
                client.agents.messages.create(agent_id=agents[index].id, messages=[{"role": "user", "content": text}])
            except Exception as exc:  # counted, not raised: the benchmark reports every failure
                with lock:
                    errors.append(f"agent {index} turn {turn}: {type(exc).__name__}: {exc}")
                continue
            with lock:
                latencies.append(time.perf_counter() - start)

    try:
        started = time.perf_counter()
        threads = [threading.Thread(target=work, args=(i,)) for i in range(AGENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        lost = 0
        for index, agent in enumerate(agents):
            history = list(client.agents.messages.list(agent_id=agent.id, limit=500, order="asc"))
            users = [letta_nb.text_of(m) for m in history if m.message_type == "user_message"]
            for turn in range(TURNS):
                lost += users.count(f"{TEXTS[turn].format(name=f'Pilot{index}')} (turn {turn})") != 1
        ordered = sorted(latencies)
        table([("turns sent", f"{AGENTS * TURNS} ({AGENTS} agents × {TURNS}, {AGENTS} threads)"),
               ("wall time", f"{wall:.1f} s"),
               ("turn latency p50", f"{statistics.median(ordered) * 1000:.0f} ms"),
               ("turn latency p95", f"{ordered[int(0.95 * (len(ordered) - 1))] * 1000:.0f} ms"),
               ("errors", str(len(errors))), ("messages lost", str(lost))])
        for error in errors[:5]:
            print(error)
    finally:
        for i in range(AGENTS):
            letta_nb.delete_agents(client, name=f"bench-load-{i}", tags=["letta-nb"])


if __name__ == "__main__":
    main()
