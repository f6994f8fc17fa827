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


def test_stub_is_not_yet(client, agent):
    result = exercises.check("11", stub, client=client, agent_id=agent.id)
    assert not result and "NotImplementedError" in result.message and "runs.list" in result.hint
    assert str(result).startswith("not yet")


def test_not_waiting_is_not_yet(client, agent):
    def no_wait(client, agent_id, timeout_s=120):
        return sorted(r.status for s in _sleepers(client, agent_id) for r in client.runs.list(agent_id=s).items)

    result = exercises.check("11", no_wait, client=client, agent_id=agent.id)
    assert not result and "still" in result.message, str(result)


def test_waiting_for_the_main_agent_is_not_yet(client, agent):
    """The right loop on the wrong agent: the main agent's runs are all finished while the sleeptime run goes on."""

    def main_agent(client, agent_id, timeout_s=120):
        deadline = time.monotonic() + timeout_s
        while True:
            runs = client.runs.list(agent_id=agent_id).items
            if all(r.status in DONE for r in runs):
                return sorted(r.status for r in runs)
            if time.monotonic() >= deadline:
                raise TimeoutError
            time.sleep(0.5)

    assert not exercises.check("11", main_agent, client=client, agent_id=agent.id)


def test_iterating_the_page_is_not_yet(client, agent):
    def iterated(client, agent_id, timeout_s=120):
        deadline = time.monotonic() + timeout_s
        while True:
            runs = [r for s in _sleepers(client, agent_id) for r in client.runs.list(agent_id=s)]
            if all(r.status in DONE for r in runs):
                return sorted(r.status for r in runs)
            if time.monotonic() >= deadline:
                raise TimeoutError
            time.sleep(0.5)

    result = exercises.check("11", iterated, client=client, agent_id=agent.id)
    assert not result and "runs" in result.message and "statuses" in result.message, str(result)


def test_ignoring_the_timeout_is_not_yet(client, agent):
    solution = exercises.load_solution("11")["wait_for_sleeptime"]

    def no_timeout(client, agent_id, timeout_s=120):
        return solution(client, agent_id, timeout_s=3600)

    result = exercises.check("11", no_timeout, client=client, agent_id=agent.id)
    assert not result and "TimeoutError" in result.message, str(result)


def test_reference_solution_passes(client, agent):
    solution = exercises.load_solution("11")["wait_for_sleeptime"]
    for _ in range(2):  # the timing of background runs varies; it must pass every time
        result = exercises.check("11", solution, client=client, agent_id=agent.id)
        assert result, str(result)
        assert str(result).startswith("✓") and "waited for a run that was still running" in str(result)
