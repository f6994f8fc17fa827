# Chapter 04 · a reference solution for the exercise.


def share_block(client, block_id: str, agent_ids: list[str]) -> list[str]:
    for agent_id in agent_ids:
        client.agents.blocks.attach(block_id, agent_id=agent_id)  # attaching a block an agent already has is harmless
    return sorted(agent.name for agent in client.blocks.agents.list(block_id))
