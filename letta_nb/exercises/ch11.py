"""Chapter 11: wait for an agent's sleeptime agent(s) to finish their background runs.

The checker works on a scratch agent of its own with a sleeptime agent (the chapter's agents keep their history). It
calls the learner's function once before any run (it should return ``[]`` at once), then starts two runs of that
sleeptime agent with ``messages.create_async``, which returns while a run is still queued: first a slow one (a tool
call that sleeps a few seconds), then a quick one. It calls the function while both go on (waiting for the newest run
only is caught: that one ends first) and compares what came back with what the server reports: both runs finished,
and the statuses of every run that ``client.runs.list(agent_id=<sleeptime agent>).items`` lists. Then it checks the
deadline with ``timeout_s=0`` while a third run goes on.
"""

from __future__ import annotations

import time
from typing import Any

from . import NotYet, checker, require, stub_returned
from .scratch import scratch

DONE = {"completed", "failed", "cancelled"}
NOTHING_NEW = "No new messages since your last run."
PAUSE_S = 2  # the older run's tool call; the sandbox adds a second or two
PAUSE_TOOL = '''
def {name}(seconds: float) -> str:
    """Wait a few seconds, then say so.

    Args:
        seconds: How long to wait.
    """
    import time

    time.sleep(seconds)
    return f"waited {{seconds}} s"
'''


def _start_run(client, sleeper_id: str, text: str) -> str:
    return client.agents.messages.create_async(agent_id=sleeper_id, messages=[{"role": "user", "content": text}]).id


def _settle(client, run_ids: list[str], timeout_s: float = 60) -> None:
    """Let the checker's own runs finish, so that nothing writes to the scratch agent when it is deleted."""
    deadline = time.monotonic() + timeout_s
    while run_ids and time.monotonic() < deadline:
        if all(client.runs.retrieve(run_id).status in DONE for run_id in run_ids):
            return
        time.sleep(0.2)


@checker("11", hint="agents.retrieve leaves the group out unless you ask for it: client.agents.retrieve(agent_id, "
                    "include=['agent.managed_group']).multi_agent_group.agent_ids lists the sleeptime agents; poll "
                    "client.runs.list(agent_id=<each>).items (one page: iterating it repeats runs) until every run's "
                    "status, not just the newest run's, is completed, failed or cancelled, checking time.monotonic() "
                    "against a deadline before each sleep")
def check(wait_for_sleeptime, *, client, agent_id: str = "") -> str:
    # agent_id (the chapter's agent) is left alone: the runs go to a scratch agent's sleeptime agent.
    # the runs to let finish, and the pause tool: cleaned up whatever happens
    started: list[Any] = []
    tools: list[Any] = []
    try:
        with scratch(client, "11") as made:
            try:
                return _check(wait_for_sleeptime, client, made, started, tools)
            finally:
                _settle(client, started)  # before the agents go: a run still going would write to a deleted agent
    finally:
        for tool in tools:
            client.tools.delete(tool.id)


def _check(wait_for_sleeptime, client, made, started: list, tools: list) -> str:
    pause = f"nb11_pause_{made.run}"
    main = made.agent(enable_sleeptime=True,
                      memory_blocks=[{"label": "human", "value": "Name: unknown"},
                                     {"label": "persona", "value": "I am a helpful assistant."}])
    sleeper = client.agents.retrieve(main.id, include=["agent.managed_group"]).multi_agent_group.agent_ids[0]
    # no runs yet: nothing to wait for (and a stub stops here, before any run starts)
    try:
        idle = wait_for_sleeptime(client, main.id, timeout_s=5)
    except TimeoutError:
        raise NotYet("the sleeptime agent had no runs yet, and wait_for_sleeptime raised TimeoutError instead of "
                     "returning []: with no run, there is nothing to wait for") from None
    stub_returned(idle, "wait_for_sleeptime")
    require(idle == [], f"the sleeptime agent had no runs yet, and wait_for_sleeptime returned {idle!r}, not []")

    tools.append(client.tools.upsert(source_code=PAUSE_TOOL.format(name=pause)))
    client.agents.tools.attach(tools[-1].id, agent_id=sleeper)

    # an older run that takes a while, then a newer one that ends at once: the newest is done first
    started.append(_start_run(client, sleeper, f'call {pause} {{"seconds": {PAUSE_S}}}'))
    started.append(_start_run(client, sleeper, NOTHING_NEW))
    statuses = wait_for_sleeptime(client, main.id, timeout_s=60)
    older, newer = (client.runs.retrieve(run_id) for run_id in started)
    require(older.status in DONE or newer.status not in DONE,
            f"wait_for_sleeptime returned when the sleeptime agent's newest run had finished, but its older run "
            f"(a {PAUSE_S} s tool call, started just before) had not (status {older.status}): wait for every run")
    still = sorted({r.status for r in (older, newer) if r.status not in DONE})
    require(not still, f"wait_for_sleeptime returned while the sleeptime agent's runs were still going (status "
                       f"{', '.join(still)}): poll until every run of the group's sleeptime agents is finished")
    server = sorted(r.status for r in client.runs.list(agent_id=sleeper).items)
    require(isinstance(statuses, list), f"wait_for_sleeptime returned a {type(statuses).__name__}, not a list "
                                        "of statuses")
    require(len(statuses) == len(server), f"wait_for_sleeptime returned {len(statuses)} statuses for the "
                                          f"sleeptime agent's {len(server)} runs (client.runs.list(...).items "
                                          "lists each run once)")
    require(statuses == server, f"the server lists the sorted statuses {server}, wait_for_sleeptime returned "
                                f"{statuses}")

    started.append(_start_run(client, sleeper, f'call {pause} {{"seconds": 1}}'))  # still going when polled
    try:
        wait_for_sleeptime(client, main.id, timeout_s=0)
    except TimeoutError:
        pass
    else:
        raise NotYet("called with timeout_s=0 while a sleeptime run was still going, wait_for_sleeptime returned "
                     "instead of raising TimeoutError: check the deadline before each sleep")
    return (f"wait_for_sleeptime waited for all {len(server)} runs of the sleeptime agent (the older, slower one "
            "too), returned their statuses, and raised TimeoutError when time was up")
