"""Time the local stack, with letta's own defaults (LETTA_NB_LETTA_DEFAULTS=1) and as letta-nb runs it, in one run:
cold `up` (fresh state directory: server environment, schema, boot), warm `up` (after `down`), the median round trip
of a plain message with the offline model, and the median turn that runs one sandboxed custom tool. Each variant has
its own state directory and ports; the usual stack is not touched.

    uv run python benchmarks/stack.py [--messages 20] [--tool-turns 5]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import tempfile
import time
from pathlib import Path

from letta_client import Letta

from letta_nb.config import OFFLINE_EMBEDDING_HANDLE, OFFLINE_LLM_HANDLE, StackConfig
from letta_nb.local.stack import DEFAULTS_VARIABLE, Stack
from _report import table

ROLL = '''
def roll_dice(sides: int) -> str:
    """Roll a die.

    Args:
        sides: How many sides it has.
    """
    return str(sides)
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure(messages: int, tool_turns: int) -> dict[str, float]:
    quiet = lambda _: None  # noqa: E731
    with tempfile.TemporaryDirectory(prefix="letta-nb-bench-") as home:
        stack = Stack(StackConfig(Path(home), free_port(), free_port(), free_port()))
        try:
            cold = timed(lambda: stack.up(say=quiet))
            stack.down(say=quiet)
            warm = timed(lambda: stack.up(say=quiet))
            client = Letta(base_url=stack.cfg.base_url)
            tool = client.tools.upsert(source_code=ROLL)
            agent = client.agents.create(name="bench", model=OFFLINE_LLM_HANDLE, embedding=OFFLINE_EMBEDDING_HANDLE,
                                         memory_blocks=[{"label": "human", "value": ""}], tool_ids=[tool.id])

            def send(text: str) -> None:
                client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": text}])

            send("warm-up")
            send('call roll_dice {"sides": 6}')
            trips = [timed(lambda i=i: send(f"message {i}")) for i in range(messages)]
            tools = [timed(lambda: send('call roll_dice {"sides": 6}')) for _ in range(tool_turns)]
        finally:
            stack.down(say=quiet)
    return {"cold": cold, "warm": warm, "trip": statistics.median(trips), "tool": statistics.median(tools)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--tool-turns", type=int, default=5)
    args = parser.parse_args()
    os.environ[DEFAULTS_VARIABLE] = "1"
    before = measure(args.messages, args.tool_turns)
    del os.environ[DEFAULTS_VARIABLE]
    after = measure(args.messages, args.tool_turns)
    rows = [("measure", "letta's defaults", "letta-nb", "goal"),
            ("cold up (fresh state dir: server env, schema, boot)", f"{before['cold']:.1f} s", f"{after['cold']:.1f} s", "≤ 60 s"),
            ("warm up (after down)", f"{before['warm']:.1f} s", f"{after['warm']:.1f} s", "≤ 15 s"),
            (f"message round trip, median of {args.messages}", f"{before['trip'] * 1000:.0f} ms",
             f"{after['trip'] * 1000:.0f} ms", "≤ 300 ms"),
            (f"turn with one custom tool, median of {args.tool_turns}", f"{before['tool']:.2f} s", f"{after['tool']:.2f} s",
             "≤ 2.5 s")]
    table(rows[1:], header=rows[0])


if __name__ == "__main__":
    main()
