import pytest

from letta_nb import exercises

from .conftest import stub

BLOCKS = [{"label": "human", "value": ""}, {"label": "preferences", "value": "", "limit": 60}]


@pytest.fixture
def agent(make_agent):
    return make_agent(memory_blocks=BLOCKS)


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
    assert not result and "ValueError" in result.message


def test_off_by_one_limit_is_not_yet(client, agent):
    def strict(client, agent_id, label, line):
        block = client.agents.blocks.retrieve(label, agent_id=agent_id)
        value = f"{block.value}\n{line}" if block.value else line
        if len(value) >= block.limit:
            raise ValueError("too long")
        return client.agents.blocks.update(label, agent_id=agent_id, value=value).value

    assert not exercises.check("02", strict, client=client, agent_id=agent.id)


def test_reference_solution_passes(client, agent):
    result = exercises.check("02", exercises.load_solution("02")["append_line"], client=client, agent_id=agent.id)
    assert result, str(result)
    assert str(result).startswith("✓")
