"""``trace(client, what)``: a run step by step, from the runs and steps APIs.

Every request to an agent is a run; each model call in it is a step. ``what`` is anything a run id can be read
from: the id itself, a ``Run`` (``create_async``), a ``LettaResponse``, the chunks of a stream (or the stream),
a :class:`letta_nb.turns.Transcript` or a turn's result. A turn answered with approvals spans several runs: the trace
shows them in order.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import letta_client
from letta_client.types.agents.run import Run

from ..display.view import View
from ..errors import translated
from ..exceptions import LettaNbError
from ..sdk import page_items
from .tracing_view import trace_node

PAGE = 100
POLL_S = 0.25
_RUNNING = {"created", "pending", "running"}


@dataclass(frozen=True)
class StepTrace:
    """One step: the SDK's ``Step``, its timing (``client.steps.metrics``; None where the server has none) and the
    messages it produced (letta-format, in order)."""

    step: Any
    metrics: Any
    messages: tuple


@dataclass(frozen=True)
class Totals:
    steps: int
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    duration_ns: int | None


class Trace(View):
    """What :func:`trace` returns: ``runs``, ``steps`` (:class:`StepTrace`), ``usage`` (the runs' own token counts,
    summed; None where not reported) and ``totals`` (summed over the steps)."""

    __slots__ = ("runs", "steps", "usage")

    def __init__(self, runs: list, steps: list[StepTrace], usage: Totals | None = None) -> None:
        self.runs, self.steps, self.usage = runs, steps, usage
        super().__init__(trace_node(runs, steps, self.totals, usage))

    @property
    def totals(self) -> Totals:
        durations = [getattr(s.metrics, "step_ns", None) for s in self.steps]
        known = [d for d in durations if d is not None]
        return Totals(len(self.steps), sum(s.step.prompt_tokens or 0 for s in self.steps),
                      sum(s.step.completion_tokens or 0 for s in self.steps),
                      sum(s.step.total_tokens or 0 for s in self.steps),
                      sum(known) if durations and len(known) == len(durations) else None)


def _not_a_run(obj: Any) -> LettaNbError:
    return LettaNbError(f"trace() found no run id in {type(obj).__name__}: pass a run id ('run-…'), a Run, a "
                        "LettaResponse, a Transcript or the chunks of a stream; client.runs.list(agent_id=...) lists "
                        "an agent's runs.")


def run_ids(obj: Any) -> list[str]:
    """The run ids ``obj`` carries, in order of appearance."""
    if isinstance(obj, str):
        if obj.startswith("run-"):
            return [obj]
        raise _not_a_run(obj)
    if isinstance(obj, Run):
        return [obj.id]
    obj = getattr(obj, "transcript", obj)  # a Turn's Done / NeedsDecisions
    items: Iterable[Any] | None = page_items(obj)
    if items is None:
        items = obj if isinstance(obj, (list, tuple)) else getattr(obj, "messages", None) or []
    # a list of run ids or Runs (a chat turn answered after an approval spans several runs) or of messages/chunks
    found = [item if isinstance(item, str) and item.startswith("run-") else
             item.id if isinstance(item, Run) else getattr(item, "run_id", None) for item in items]
    found.append(getattr(obj, "run_id", None))  # a Transcript's own, set from chunks that carried it
    found += getattr(getattr(obj, "usage", None), "run_ids", None) or []
    ids = [i for i in dict.fromkeys(found) if isinstance(i, str) and i]
    if not ids:
        raise _not_a_run(obj)
    return ids


def _settled(client: letta_client.Letta, run_id: str, wait: float) -> Run:
    """The run, once it has stopped or after ``wait`` seconds (a background run may still be going)."""
    deadline = time.monotonic() + wait
    run = client.runs.retrieve(run_id)
    while run.status in _RUNNING and time.monotonic() < deadline:
        time.sleep(POLL_S)
        run = client.runs.retrieve(run_id)
    return run


def _metrics(client: letta_client.Letta, step_id: str) -> Any:
    try:
        return client.steps.metrics.retrieve(step_id)
    except letta_client.NotFoundError:
        return None  # not every server records step timing


def _usage(client: letta_client.Letta, run_ids: list[str]) -> Totals | None:
    try:
        usages = [client.runs.usage.retrieve(run_id) for run_id in run_ids]
    except letta_client.NotFoundError:
        return None
    return Totals(0, sum(u.prompt_tokens or 0 for u in usages), sum(u.completion_tokens or 0 for u in usages),
                  sum(u.total_tokens or 0 for u in usages), None)


def _run_steps(client: letta_client.Letta, run_id: str) -> list[StepTrace]:
    steps = list(client.runs.steps.list(run_id, order="asc", limit=PAGE))
    by_step: dict[str | None, list] = {}
    for message in client.runs.messages.list(run_id, order="asc", limit=PAGE):
        by_step.setdefault(getattr(message, "step_id", None), []).append(message)
    known = {s.id for s in steps}
    # Messages the server did not tie to a step of this run (a request's input, on some servers) open its first step.
    loose = [m for key, ms in by_step.items() if key not in known for m in ms]
    return [StepTrace(s, _metrics(client, s.id), tuple((loose if i == 0 else []) + by_step.get(s.id, [])))
            for i, s in enumerate(steps)]


def trace(client: letta_client.Letta, what: Any, *, wait: float = 60.0) -> Trace:
    """Trace a run: one row per step (model, duration, input and output tokens, stop reason), each step unfolding
    to its reasoning, tool calls with arguments and returns, and errors; totals; a timeline of where the time went.

    ``what``: a run id, a ``Run``, a ``LettaResponse``, stream chunks (or the stream itself, which is read to its
    end), a ``Transcript`` or a turn's result. A run still going (a background run) is waited for up to ``wait``
    seconds; after that the trace shows the steps so far.
    """
    if isinstance(what, letta_client.Stream):
        what = list(what)
    ids = run_ids(what)
    with translated():
        runs = [_settled(client, run_id, wait) for run_id in ids]
        steps = [step for run_id in ids for step in _run_steps(client, run_id)]
        usage = _usage(client, ids)
    return Trace(runs, steps, usage)
