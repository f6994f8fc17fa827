# Chapter 11 · a reference solution for the exercise.
import time

DONE = {"completed", "failed", "cancelled"}


def wait_for_sleeptime(client, agent_id: str, timeout_s: float = 120) -> list[str]:
    # retrieve leaves the agent's group out unless asked: include=["agent.managed_group"] fills .multi_agent_group
    group = client.agents.retrieve(agent_id, include=["agent.managed_group"]).multi_agent_group
    deadline = time.monotonic() + timeout_s
    while True:
        # .items: one page, exact (iterating the page makes the SDK fetch "further pages" that repeat runs)
        runs = [r for helper_id in group.agent_ids for r in client.runs.list(agent_id=helper_id).items]
        if all(r.status in DONE for r in runs):  # every run: an older one can outlast the newest
            return sorted(r.status for r in runs)
        if time.monotonic() >= deadline:
            raise TimeoutError(f"sleeptime runs still going after {timeout_s} s")
        time.sleep(0.5)
