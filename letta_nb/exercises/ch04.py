"""Chapter 04: share one standalone block with several agents, so that what one agent learns the others know."""

from __future__ import annotations

import uuid

import letta_client

from ..agents import delete_agents, fresh_agent
from . import NotYet, checker, require, stub_returned

TAG = "nb04-exercise"


@checker("04", hint="attach the block itself with client.agents.blocks.attach(block_id, agent_id=...) for each agent, "
                    "then ask the block who shares it: client.blocks.agents.list(block_id)")
def check(share_block, *, client) -> str:
    run = uuid.uuid4().hex[:6]  # this check's own names and tag: other learners may share the server
    block = client.blocks.create(label="human", value="Customer: unknown", tags=[TAG, f"{TAG}-{run}"])
    try:
        nobody = share_block(client, block.id, [])
        stub_returned(nobody, "share_block")
        require(list(nobody) == [], f"a block shared with no agent yet: share_block(client, block_id, []) should return [], "
                                    f"got {nobody!r}")
        billing, sales, support, returns = (
            fresh_agent(client, f"nb04-ex-{role}-{run}", tags=[TAG, f"{TAG}-{run}"],
                        memory_blocks=[{"label": "persona", "value": f"I take care of {role} for TechWidgets."}])
            for role in ("billing", "sales", "support", "returns")
        )
        client.agents.blocks.attach(block.id, agent_id=billing.id)   # shared before the call
        client.agents.blocks.attach(block.id, agent_id=support.id)   # already has it: sharing again must not fail
        expected = sorted([billing.name, sales.name, support.name, returns.name])

        names = share_block(client, block.id, [sales.id, support.id, returns.id])
        stub_returned(names, "share_block")
        require(list(names) == expected, f"expected the sorted names of every agent that shares the block, {expected}, "
                                         f"got {names!r} (billing shared it before your call)")
        for agent in (sales, support, returns):
            try:
                theirs = client.agents.blocks.retrieve("human", agent_id=agent.id)
            except letta_client.NotFoundError:
                raise NotYet(f"{agent.name} has no `human` block after share_block") from None
            require(theirs.id == block.id, f"{agent.name} got a copy of the block, not the block itself: attach block_id")
        again = share_block(client, block.id, [sales.id])
        require(list(again or []) == expected, f"sharing with an agent that already has the block should change nothing, "
                                               f"got {again!r}")

        client.agents.messages.create(agent_id=sales.id, messages=[
            {"role": "user", "content": "remember in human: The customer's name is Ada."}])
        require("Ada" in client.blocks.retrieve(block.id).value,
                "the sales agent should have written the name into the shared block")
        for agent in (support, returns, billing):
            seen = client.agents.blocks.retrieve("human", agent_id=agent.id).value
            require("Ada" in seen, f"{agent.name} should see what sales wrote, but its block says {seen!r}")
        return "one block, four agents: what sales wrote, the three others read"
    finally:
        delete_agents(client, tags=[f"{TAG}-{run}"], keep=[block.id])
        try:
            client.blocks.delete(block.id)
        except letta_client.NotFoundError:
            pass
