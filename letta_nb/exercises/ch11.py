"""Chapter 11: wait for an agent's sleeptime agent(s) to finish their background runs.

Nothing is hard-coded: the checker starts a run of the sleeptime agent itself (``messages.create_async``, which
returns while the run is still queued), calls the learner's function while it runs, and then compares what came back
with what the server reports: that run is finished, and the statuses are those of every run that
``client.runs.list(agent_id=<sleeptime agent>).items`` lists, all finished.
"""

from __future__ import annotations

import time

from . import NotYet, checker, require, stub_returned

DONE = {"completed", "failed", "cancelled"}
NOTHING_NEW = "No new messages since your last run."


def _start_run(client, sleeper_id: str):
    return client.agents.messages.create_async(agent_id=sleeper_id, messages=[{"role": "user", "content": NOTHING_NEW}])


def _settle(client, run_ids: list[str], timeout_s: float = 60) -> None:
    """Let the checker's own runs finish, so that nothing writes to the blocks after the checker returns."""
    deadline = time.monotonic() + timeout_s
    while run_ids and time.monotonic() < deadline:
        if all(client.runs.retrieve(run_id).status in DONE for run_id in run_ids):
            return
        time.sleep(0.2)


@checker("11", hint="find the sleeptime agents with client.agents.retrieve(agent_id, include=['agent.managed_group'])"
                    ".multi_agent_group.agent_ids; poll client.runs.list(agent_id=<each>).items (one page: iterating "
                    "it repeats runs) until every run's status is completed, failed or cancelled, checking "
                    "time.monotonic() against a deadline before each sleep")
def check(wait_for_sleeptime, *, client, agent_id: str) -> str:
    group = client.agents.retrieve(agent_id, include=["agent.managed_group"]).multi_agent_group
    require(group and group.agent_ids,
            "this agent has no sleeptime agent: pass an agent made with enable_sleeptime=True")
    sleepers = list(group.agent_ids)
    started = []
    try:
        # one finished run first, so that there are always two or more to count (a page iterated repeats them)
        started.append(_start_run(client, sleepers[0]).id)
        _settle(client, started)
        started.append(_start_run(client, sleepers[0]).id)
        running = client.runs.retrieve(started[-1]).status not in DONE
        statuses = wait_for_sleeptime(client, agent_id, timeout_s=60)
        stub_returned(statuses, "wait_for_sleeptime")
        late = client.runs.retrieve(started[-1])
        require(late.status in DONE, f"wait_for_sleeptime returned while a run of the sleeptime agent was still "
                                     f"{late.status}: poll until every run of the group's sleeptime agents is finished")
        server = sorted(r.status for sleeper in sleepers for r in client.runs.list(agent_id=sleeper).items)
        require(isinstance(statuses, list), f"return a list of statuses, got {type(statuses).__name__}")
        require(len(statuses) == len(server), f"the sleeptime agent has {len(server)} runs "
                                              f"(client.runs.list(...).items), you returned {len(statuses)} statuses")
        require(statuses == server, f"expected the sorted statuses {server}, got {statuses}")

        started.append(_start_run(client, sleepers[0]).id)
        try:
            wait_for_sleeptime(client, agent_id, timeout_s=0)
        except TimeoutError:
            pass
        else:
            raise NotYet("called with timeout_s=0 while a sleeptime run was still running, wait_for_sleeptime "
                         "returned instead of raising TimeoutError: check the deadline before each sleep")
        waited = "it waited for a run that was still running when called" if running else "all runs were finished"
        return (f"wait_for_sleeptime returned the {len(server)} finished runs the server lists ({waited}), and "
                "raised TimeoutError when time was up")
    finally:
        _settle(client, started)
