# Chapter 02 · a reference solution for the exercise.


def set_preference(client, agent_id: str, label: str, key: str, value: str) -> str:
    block = client.agents.blocks.retrieve(label, agent_id=agent_id)
    lines = block.value.splitlines()
    line = f"{key}: {value}"
    mine = [i for i, old in enumerate(lines) if old.startswith(f"{key}: ")]
    if mine:
        lines[mine[0]] = line
    else:
        lines.append(line)
    new_value = "\n".join(lines)
    if len(new_value) > block.limit:
        raise ValueError(f"block {label!r} would hold {len(new_value)} characters, over its limit of {block.limit}")
    return client.agents.blocks.update(label, agent_id=agent_id, value=new_value).value
