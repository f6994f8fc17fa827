# Chapter 02 · a reference solution for the exercise.


def append_line(client, agent_id: str, label: str, line: str) -> str:
    block = client.agents.blocks.retrieve(label, agent_id=agent_id)
    value = f"{block.value}\n{line}" if block.value else line
    if len(value) > block.limit:
        raise ValueError(f"block {label!r} would hold {len(value)} characters, over its limit of {block.limit}")
    return client.agents.blocks.update(label, agent_id=agent_id, value=value).value
