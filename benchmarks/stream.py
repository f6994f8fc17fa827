"""What render_stream costs on top of reading a stream: 2,000 token chunks from the local stack.

The offline model streams its reply one word per chunk, so a 2,000-word message comes back as ~2,000 chunks.

1. Live: the same request is read three ways, each on a fresh agent, interleaved, median of 5: plain iteration
   (``for chunk in stream: pass``), ``render_stream`` printing text (plain Python, nbval), and ``render_stream`` with
   the Jupyter sink (display + update_display, published through IPython's display machinery).
2. Replayed: the chunks of one live stream are recorded and fed again, so only our own work is timed. The time
   spent between handing out one chunk and being asked for the next is render_stream's per-chunk cost; comparing
   the first and the last 500 chunks shows whether it grows with the length of the reply (it must not).

    uv run python benchmarks/stream.py
"""

from __future__ import annotations

import contextlib
import io
import statistics
import time
import uuid
from typing import Any, Iterable, Iterator

import letta_nb
from letta_nb.stream import render_stream

WORDS = 2_000
RUNS = 5
TARGET_FRACTION = 0.10
TARGET_FIXED_S = 0.005


class Timed:
    """Yields the chunks and records, per chunk, how long the consumer kept it before asking for the next."""

    def __init__(self, chunks: Iterable[Any]) -> None:
        self.chunks = chunks
        self.held: list[float] = []

    def __iter__(self) -> Iterator[Any]:
        handed = None
        for chunk in self.chunks:
            now = time.perf_counter()
            if handed is not None:
                self.held.append(now - handed)
            handed = time.perf_counter()
            yield chunk
        if handed is not None:
            self.held.append(time.perf_counter() - handed)


def _jupyter_like() -> None:
    """An IPython shell in this process, so the Jupyter sink publishes displays as it does in a kernel."""
    from IPython.core.interactiveshell import InteractiveShell

    InteractiveShell.instance()


def main() -> None:
    client = letta_nb.connect()
    model, embedding = letta_nb.default_models(client)
    text = " ".join(f"w{i}" for i in range(WORDS))
    made: list[str] = []

    def fresh_agent() -> str:
        agent = client.agents.create(name=f"bench-stream-{uuid.uuid4().hex[:8]}", model=model, embedding=embedding,
                                     tags=["bench"], memory_blocks=[{"label": "human", "value": "Name: Ada"}])
        made.append(agent.id)
        return agent.id

    def chunks(agent_id: str) -> Iterable[Any]:
        return client.agents.messages.create(agent_id=agent_id, messages=[{"role": "user", "content": text}],
                                             streaming=True, stream_tokens=True, include_pings=True)

    def plain(agent_id: str) -> int:
        return sum(1 for _ in chunks(agent_id))

    def text_sink(agent_id: str) -> int:
        return render_stream(chunks(agent_id), client=client, live=False, write=lambda s: None).chunks

    def jupyter_sink(agent_id: str) -> int:
        with contextlib.redirect_stdout(io.StringIO()):
            return render_stream(chunks(agent_id), client=client, live=True).chunks

    _jupyter_like()
    try:
        ways = {"plain iteration": plain, "render_stream, text": text_sink, "render_stream, Jupyter": jupyter_sink}
        times: dict[str, list[float]] = {name: [] for name in ways}
        count = 0
        for _ in range(RUNS):  # interleaved, so that a slow spell of the server does not land on one way only
            for name, way in ways.items():
                agent_id = fresh_agent()  # not timed: only the request and reading its stream are
                started = time.perf_counter()
                count = way(agent_id)
                times[name].append(time.perf_counter() - started)
        live = {name: statistics.median(seconds) for name, seconds in times.items()}

        recorded = list(chunks(fresh_agent()))
        replay: dict[str, Timed] = {}
        for name, live_flag in (("text", False), ("Jupyter", True)):
            timed = Timed(recorded)
            with contextlib.redirect_stdout(io.StringIO()):
                render_stream(iter(timed), live=live_flag, write=lambda s: None)
            replay[name] = timed
    finally:
        for agent_id in made:
            letta_nb.delete_agents(client, name=client.agents.retrieve(agent_id).name)

    base = live["plain iteration"]
    print(f"{count} chunks per stream ({WORDS} words), median of {RUNS}, local stack, offline model\n")
    print(f"{'live stream':<26}{'total':>10}{'over plain':>13}")
    for name, seconds in live.items():
        extra = "" if name == "plain iteration" else f"{(seconds - base) / base:+.1%}"
        print(f"{name:<26}{seconds * 1e3:>8.0f} ms{extra:>13}")
    print(f"\n{'replayed (our work only)':<26}{'total':>10}{'per chunk':>12}{'first 500':>12}{'last 500':>12}")
    verdicts = []
    for name, timed in replay.items():
        total = sum(timed.held)
        first, last = statistics.mean(timed.held[:500]), statistics.mean(timed.held[-500:])
        print(f"render_stream, {name:<12}{total * 1e3:>8.1f} ms{total / len(timed.held) * 1e6:>9.1f} µs"
              f"{first * 1e6:>9.1f} µs{last * 1e6:>9.1f} µs")
        verdicts.append((name, total, total <= TARGET_FRACTION * base + TARGET_FIXED_S))
    print("\nLive totals differ by the server's own variance (each run is a new agent and a new turn); the replay below\n"
          "times render_stream's own work, which is what the target is about.")
    print(f"\ntarget: our work under {TARGET_FRACTION:.0%} of the plain stream ({base * 1e3:.0f} ms) "
          f"+ {TARGET_FIXED_S * 1e3:.0f} ms")
    for name, total, ok in verdicts:
        print(f"  {name}: {total * 1e3:.1f} ms = {total / base:.1%} of plain -> {'met' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
