"""20 participants at once in one room (`letta-nb serve` on this machine): each connects as themselves (their own
organization), creates an agent and sends it three turns. Reports turn latency (p50, p95), errors and messages lost
(each participant's agent must hold its three user messages, each once). A served stack of its own (temporary state
directory, own ports, on 127.0.0.1) for each number of server worker processes; the usual stack is not touched.

    uv run python benchmarks/room.py [--participants 20] [--workers 1 2 4]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

import letta_nb
from letta_nb.config import OFFLINE_EMBEDDING_HANDLE, OFFLINE_LLM_HANDLE, StackConfig
from letta_nb.local.stack import Stack, room_workers
from _report import table

TEXTS = ["Hi, I'm {name}, a teacher in Leeds", "I love tea", "What's my name?"]
PASSWORD = "benchmark-room"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_room(participants: int, workers: int) -> dict:
    """One served stack of its own with ``workers`` server processes, and ``participants`` threads against it."""
    quiet = lambda _: None  # noqa: E731
    with tempfile.TemporaryDirectory(prefix="letta-nb-room-") as home:
        shared = StackConfig.from_env().venv  # reuse the usual server environment when there is one
        if shared.exists():
            (Path(home) / "server-venv").symlink_to(shared)
        stack = Stack(StackConfig(Path(home), free_port(), free_port(), free_port()))
        try:
            stack.serve("127.0.0.1", PASSWORD, say=quiet, workers=workers)
            os.environ.update({"LETTA_BASE_URL": stack.cfg.base_url, "LETTA_API_KEY": PASSWORD})
            latencies: list[float] = []
            errors: list[str] = []
            lost = 0
            lock = threading.Lock()

            def work(index: int) -> None:
                nonlocal lost
                name = f"p{index:02d}"
                try:
                    with lock:  # connect() reads LETTA_NB_PARTICIPANT from the environment
                        os.environ["LETTA_NB_PARTICIPANT"] = name
                        client = letta_nb.connect()
                    agent = client.agents.create(name=f"{name}--bench", model=OFFLINE_LLM_HANDLE,
                                                 embedding=OFFLINE_EMBEDDING_HANDLE,
                                                 memory_blocks=[{"label": "human", "value": ""}])
                    sent = []
                    for turn, text in enumerate(TEXTS):
                        text = f"{text.format(name=name.upper())} (turn {turn})"
                        start = time.perf_counter()
                        client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": text}])
                        with lock:
                            latencies.append(time.perf_counter() - start)
                        sent.append(text)
                    history = [m.content for m in client.agents.messages.list(agent_id=agent.id, limit=100)
                               if m.message_type == "user_message"]
                    with lock:
                        lost += sum(1 for text in sent if history.count(text) != 1)
                except Exception as exc:  # counted, not raised: the benchmark reports every failure
                    with lock:
                        errors.append(f"{name}: {type(exc).__name__}: {exc}"[:200])

            started = time.perf_counter()
            threads = [threading.Thread(target=work, args=(i,)) for i in range(participants)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - started
        finally:
            stack.down(say=quiet)
    ordered = sorted(latencies)
    return {"wall": wall, "latencies": ordered, "errors": errors, "lost": lost,
            "p95": ordered[max(0, round(0.95 * len(ordered)) - 1)] if ordered else float("nan")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    runs = {workers: run_room(args.participants, workers) for workers in args.workers}
    print(f"{args.participants} participants at once, each: connect, create an agent, 3 turns; "
          f"{os.cpu_count()} cores; default workers here: {room_workers()}")
    table([("wall time", *(f"{r['wall']:.1f} s" for r in runs.values())),
           ("turn latency p50", *(f"{statistics.median(r['latencies']) * 1000:,.0f} ms" if r["latencies"] else "-"
                                  for r in runs.values())),
           ("turn latency p95", *(f"{r['p95'] * 1000:,.0f} ms" for r in runs.values())),
           ("errors", *(str(len(r["errors"])) for r in runs.values())),
           ("messages lost", *(str(r["lost"]) for r in runs.values()))],
          header=("server workers", *(str(w) for w in runs)))
    for workers, run in runs.items():
        for error in run["errors"][:5]:
            print(f"[{workers} workers] {error}")


if __name__ == "__main__":
    main()
