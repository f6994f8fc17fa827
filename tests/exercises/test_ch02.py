import pytest

from letta_nb import exercises


from .conftest import stub

BLOCKS = [{"label": "human", "value": "Name: Dana"}, {"label": "preferences", "value": "Channel: phone", "limit": 60}]


@pytest.fixture
def agent(make_agent):
    return make_agent(memory_blocks=BLOCKS)


def _blocks(client, agent_id):
    return {b.label: (b.value, b.limit) for b in client.agents.blocks.list(agent_id=agent_id)}


def test_stub_is_not_yet(client, agent):
    result = exercises.check("02", stub, client=client, agent_id=agent.id)
    assert not result and "NotImplementedError" in result.message and "blocks.retrieve" in result.hint
    assert str(result).startswith("not yet")


def test_ignoring_the_limit_is_not_yet(client, agent):
    def no_limit(client, agent_id, label, line):
        block = client.agents.blocks.retrieve(label, agent_id=agent_id)
        value = f"{block.value}\n{line}" if block.value else line
        return client.agents.blocks.update(label, agent_id=agent_id, value=value).value

    result = exercises.check("02", no_limit, client=client, agent_id=agent.id)
    assert not result and "ValueError" in result.message and "62 characters" in result.message


def test_off_by_one_limit_is_not_yet(client, agent):
    def strict(client, agent_id, label, line):
        block = client.agents.blocks.retrieve(label, agent_id=agent_id)
        value = f"{block.value}\n{line}" if block.value else line
        if len(value) >= block.limit:
            raise ValueError("too long")
        return client.agents.blocks.update(label, agent_id=agent_id, value=value).value

    result = exercises.check("02", strict, client=client, agent_id=agent.id)
    assert not result and "exactly 60 characters" in result.message


def test_new_line_before_the_first_line_is_not_yet(client, agent):
    def always_new_line(client, agent_id, label, line):
        block = client.agents.blocks.retrieve(label, agent_id=agent_id)
        value = f"{block.value}\n{line}"
        if len(value) > block.limit:
            raise ValueError("too long")
        return client.agents.blocks.update(label, agent_id=agent_id, value=value).value

    result = exercises.check("02", always_new_line, client=client, agent_id=agent.id)
    assert not result and "empty block" in result.message


def test_joining_lines_with_splitlines_passes(client, agent):
    def by_lines(client, agent_id, label, line):
        block = client.agents.blocks.retrieve(label, agent_id=agent_id)
        value = "\n".join([*block.value.splitlines(), line])
        if len(value) > block.limit:
            raise ValueError(f"{len(value)} > {block.limit}")
        client.agents.blocks.update(label, agent_id=agent_id, value=value)
        return value

    result = exercises.check("02", by_lines, client=client, agent_id=agent.id)
    assert result, str(result)


def test_reference_solution_passes_and_leaves_the_agent_alone(client, agent):
    before = _blocks(client, agent.id)
    result = exercises.check("02", exercises.load_solution("02")["append_line"], client=client, agent_id=agent.id)
    assert result, str(result)
    assert str(result).startswith("✓")
    assert _blocks(client, agent.id) == before  # the learner's `preferences` block still says what it said
    assert not list(client.agents.list(tags=["nb02-exercise"])), "the checker's scratch agent was left behind"
