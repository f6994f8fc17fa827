"""Chapter 11: the checker runs a slow older and a quick newer sleeptime run on a scratch agent; only waiting for
every run passes, and the chapter's agent is left as it was."""

import time

import pytest

import letta_nb
from letta_nb import exercises

from .conftest import stub

DONE = {"completed", "failed", "cancelled"}


@pytest.fixture
def agent(client, make_agent):
    agent = make_agent(enable_sleeptime=True)
    sleeper = client.agents.retrieve(agent.multi_agent_group.agent_ids[0])
    yield agent
    letta_nb.delete_agents(client, name=sleeper.name)  # first, with its own block; make_agent deletes the main agent


def _sleepers(client, agent_id):
    return client.agents.retrieve(agent_id, include=["agent.managed_group"]).multi_agent_group.agent_ids


def _poll(runs_of, done):
    """A wait_for_sleeptime that polls runs_of(client, agent_id) until done(runs), with a deadline."""

    def wait_for_sleeptime(client, agent_id, timeout_s=120):
        deadline = time.monotonic() + timeout_s
        while True:
            runs = runs_of(client, agent_id)
            if done(runs):
                return sorted(r.status for r in runs)
            if time.monotonic() >= deadline:
                raise TimeoutError
            time.sleep(0.3)

    return wait_for_sleeptime


def _sleeper_runs(client, agent_id):
    return [r for s in _sleepers(client, agent_id) for r in client.runs.list(agent_id=s).items]


def _all_done(runs):
    return all(r.status in DONE for r in runs)


def test_stub_is_not_yet(client, agent):
    result = exercises.check("11", stub, client=client, agent_id=agent.id)
    assert not result and "NotImplementedError" in result.message and "runs.list" in result.hint
    assert "include=['agent.managed_group']" in result.hint and "leaves the group out" in result.hint
    assert str(result).startswith("not yet")


def test_not_waiting_is_not_yet(client, agent):
    def no_wait(client, agent_id, timeout_s=120):
        return sorted(r.status for r in _sleeper_runs(client, agent_id))

    result = exercises.check("11", no_wait, client=client, agent_id=agent.id)
    assert not result and "still" in result.message, str(result)


def test_waiting_for_a_run_to_appear_is_not_yet(client, agent):
    """With no run yet there is nothing to wait for: the answer is [] at once, not a TimeoutError."""
    until_one_ran = _poll(_sleeper_runs, lambda runs: runs and _all_done(runs))
    result = exercises.check("11", until_one_ran, client=client, agent_id=agent.id)
    assert not result and "no runs yet" in result.message and "TimeoutError" in result.message, str(result)


def test_waiting_for_the_newest_run_only_is_not_yet(client, agent):
    """The newest run ends first here: an older, slower one is still going when it does."""
    newest_only = _poll(_sleeper_runs, lambda runs: not runs or max(runs, key=lambda r: r.created_at).status in DONE)
    result = exercises.check("11", newest_only, client=client, agent_id=agent.id)
    assert not result and "newest run had finished" in result.message and "older run" in result.message, str(result)


def test_waiting_for_the_main_agent_is_not_yet(client, agent):
    """The right loop on the wrong agent: the main agent's runs are all finished while the sleeptime runs go on."""
    main_agent = _poll(lambda client, agent_id: client.runs.list(agent_id=agent_id).items, _all_done)
    result = exercises.check("11", main_agent, client=client, agent_id=agent.id)
    assert not result and "still" in result.message, str(result)


def test_iterating_the_page_is_not_yet(client, agent):
    iterated = _poll(lambda client, agent_id: [r for s in _sleepers(client, agent_id)
                                               for r in client.runs.list(agent_id=s)], _all_done)
    result = exercises.check("11", iterated, client=client, agent_id=agent.id)
    assert not result and "runs" in result.message and "statuses" in result.message, str(result)


def test_ignoring_the_timeout_is_not_yet(client, agent):
    solution = exercises.load_solution("11")["wait_for_sleeptime"]

    def no_timeout(client, agent_id, timeout_s=120):
        return solution(client, agent_id, timeout_s=3600)

    result = exercises.check("11", no_timeout, client=client, agent_id=agent.id)
    assert not result and "TimeoutError" in result.message, str(result)


def test_waiting_for_each_run_in_turn_passes(client, agent):
    """Another right answer: list the runs once, then wait for each of them with runs.retrieve."""

    def each_run(client, agent_id, timeout_s=120):
        deadline = time.monotonic() + timeout_s
        statuses = []
        for run in _sleeper_runs(client, agent_id):
            while (status := client.runs.retrieve(run.id).status) not in DONE:
                if time.monotonic() >= deadline:
                    raise TimeoutError
                time.sleep(0.3)
            statuses.append(status)
        return sorted(statuses)

    result = exercises.check("11", each_run, client=client, agent_id=agent.id)
    assert result, str(result)


def test_reference_solution_passes_and_leaves_the_agent_alone(client, agent):
    sleeper = _sleepers(client, agent.id)[0]
    before = ([r.id for r in client.runs.list(agent_id=sleeper).items],
              [m.id for m in client.agents.messages.list(agent_id=sleeper, limit=100)])
    solution = exercises.load_solution("11")["wait_for_sleeptime"]
    for _ in range(2):  # the timing of background runs varies; it must pass every time
        result = exercises.check("11", solution, client=client, agent_id=agent.id)
        assert result, str(result)
        assert str(result).startswith("✓") and "the older, slower one too" in str(result)
    assert ([r.id for r in client.runs.list(agent_id=sleeper).items],
            [m.id for m in client.agents.messages.list(agent_id=sleeper, limit=100)]) == before
    assert not list(client.agents.list(tags=["nb11-exercise"])), "the checker deletes its scratch agents"
    assert not [t.name for t in client.tools.list(limit=1000) if t.name.startswith("nb11_pause")], "and its tool"
