"""Chapter 04: share one standalone block with several agents, so that what one agent learns the others know."""

from __future__ import annotations

import contextlib

import letta_client

from . import NotYet, checker, require, stub_returned
from .scratch import scratch

TAG = "nb04-exercise"


@checker("04", hint="attach the block itself with client.agents.blocks.attach(block_id, agent_id=...) for each agent, "
                    "then ask the block who shares it: client.blocks.agents.list(block_id)")
def check(share_block, *, client) -> str:
    block = client.blocks.create(label="human", value="Customer: unknown", tags=[TAG])
    try:
        with scratch(client, "04") as made:
            made.keep(block.id)
            nobody = share_block(client, block.id, [])
            stub_returned(nobody, "share_block")
            require(list(nobody) == [], "a block shared with no agent yet: share_block(client, block_id, []) should "
                                        f"return [], got {nobody!r}")
            billing, sales, support, returns = (
                made.agent(role,
                           memory_blocks=[{"label": "persona", "value": f"I take care of {role} for TechWidgets."}])
                for role in ("billing", "sales", "support", "returns")
            )
            client.agents.blocks.attach(block.id, agent_id=billing.id)   # shared before the call
            client.agents.blocks.attach(block.id, agent_id=support.id)   # already has it: sharing again must not fail
            expected = sorted([billing.name, sales.name, support.name, returns.name])

            names = share_block(client, block.id, [sales.id, support.id, returns.id])
            stub_returned(names, "share_block")
            require(list(names) == expected, "expected the sorted names of every agent that shares the block, "
                                             f"{expected}, got {names!r} (billing shared it before your call)")
            for agent in (sales, support, returns):
                try:
                    theirs = client.agents.blocks.retrieve("human", agent_id=agent.id)
                except letta_client.NotFoundError:
                    raise NotYet(f"{agent.name} has no `human` block after share_block") from None
                require(theirs.id == block.id,
                        f"{agent.name} got a copy of the block, not the block itself: attach block_id")
            again = share_block(client, block.id, [sales.id])
            require(list(again or []) == expected,
                    f"sharing with an agent that already has the block should change nothing, got {again!r}")

            client.agents.messages.create(agent_id=sales.id, messages=[
                {"role": "user", "content": "remember in human: The customer's name is Ada."}])
            require("Ada" in client.blocks.retrieve(block.id).value,
                    "the sales agent should have written the name into the shared block")
            for agent in (support, returns, billing):
                seen = client.agents.blocks.retrieve("human", agent_id=agent.id).value
                require("Ada" in seen, f"{agent.name} should see what sales wrote, but its block says {seen!r}")
            return "one block, four agents: what sales wrote, the three others read"
    finally:  # after the with: the agents go first, keeping the block, then the block itself
        with contextlib.suppress(letta_client.NotFoundError):
            client.blocks.delete(block.id)
