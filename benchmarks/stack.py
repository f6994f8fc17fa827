"""Time the local stack: cold `up` (fresh state directory), warm `up` (after `down`), and the median round trip of
20 messages with the offline model. Runs on its own state directory and ports; the usual stack is not touched.

    uv run python benchmarks/stack.py [--messages 20]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import tempfile
import time
from pathlib import Path

from letta_client import Letta

from letta_nb.config import OFFLINE_EMBEDDING_HANDLE, OFFLINE_LLM_HANDLE, StackConfig
from letta_nb.local.stack import Stack
from _report import table


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=20)
    args = parser.parse_args()
    quiet = lambda _: None  # noqa: E731
    with tempfile.TemporaryDirectory(prefix="letta-nb-bench-") as home:
        stack = Stack(StackConfig(Path(home), free_port(), free_port(), free_port()))
        try:
            cold = timed(lambda: stack.up(say=quiet))
            stack.down(say=quiet)
            warm = timed(lambda: stack.up(say=quiet))
            client = Letta(base_url=stack.cfg.base_url)
            agent = client.agents.create(name="bench", model=OFFLINE_LLM_HANDLE, embedding=OFFLINE_EMBEDDING_HANDLE,
                                         memory_blocks=[{"label": "human", "value": ""}])
            client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": "warm-up"}])
            trips = [timed(lambda i=i: client.agents.messages.create(
                agent_id=agent.id, messages=[{"role": "user", "content": f"message {i}"}])) for i in range(args.messages)]
        finally:
            stack.down(say=quiet)
    rows = [("cold up (fresh state dir: server env, schema, boot)", f"{cold:.1f} s"),
            ("warm up (after down)", f"{warm:.1f} s"),
            (f"message round trip, median of {args.messages}", f"{statistics.median(trips) * 1000:.0f} ms"),
            (f"message round trip, max of {args.messages}", f"{max(trips) * 1000:.0f} ms")]
    table(rows)


if __name__ == "__main__":
    main()
