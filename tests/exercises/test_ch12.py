import inspect
import json

import pytest

from letta_nb import exercises

from .conftest import stub


def nbx12_packing_list(destination: str) -> str:
    """Suggest what to pack.

    Args:
        destination: Where the trip goes.

    Returns:
        str: A short packing list.
    """
    return f"Passport for {destination}."


@pytest.fixture
def agent(letta, new_agent):
    tool = letta.tools.upsert(source_code=inspect.getsource(nbx12_packing_list))
    agent = new_agent(tool_ids=[tool.id], tags=["nbx12"], secrets={"NBX12_KEY": "fake-value"})
    letta.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": "Plan a weekend in Lyon"}])
    yield agent
    leftovers = [a.name for a in letta.agents.list(tags=["nbx12"]) if a.id != agent.id]
    letta.tools.delete(tool.id)  # new_agent deletes the agent itself
    assert not leftovers, f"the checker left {leftovers} behind"


def _import(client, agent_id, **options):
    result = client.agents.import_file(file=("a.af", client.agents.export_file(agent_id).encode()), **options)
    return client.agents.retrieve(result.agent_ids[0])


def test_stub_is_not_yet(letta, agent):
    result = exercises.check("12", stub, client=letta, agent_id=agent.id)
    assert not result and "NotImplementedError" in result.message and "import_file" in result.hint
    assert str(result).startswith("not yet")


def test_without_override_name_is_not_yet(letta, agent):
    result = exercises.check("12", lambda letta, agent_id, new_name: _import(letta, agent_id), client=letta,
                             agent_id=agent.id)
    assert not result and "override_name" in result.message, str(result)


def test_without_secret_values_is_not_yet(letta, agent):
    def no_secrets(letta, agent_id, new_name):
        return _import(letta, agent_id, override_name=new_name)

    result = exercises.check("12", no_secrets, client=letta, agent_id=agent.id)
    assert not result and "secrets" in result.message, str(result)


def test_without_history_is_not_yet(letta, agent):
    """Exported with scrub_messages=True: a clean copy, but not a clone. (Import's strip_messages=True is ignored by
    letta 0.16.8 for the current agent-file format.)"""

    def scrubbed(letta, agent_id, new_name):
        secrets = letta.agents.retrieve(agent_id, include=["agent.secrets"]).secrets
        agent_file = letta.agents.export_file(agent_id, scrub_messages=True)
        result = letta.agents.import_file(file=("a.af", agent_file.encode()), override_name=new_name,
                                           secrets=json.dumps({s.key: s.value for s in secrets}))
        return letta.agents.retrieve(result.agent_ids[0])

    result = exercises.check("12", scrubbed, client=letta, agent_id=agent.id)
    assert not result and "messages" in result.message, str(result)


def test_new_agent_on_the_same_blocks_is_not_yet(letta, agent):
    """agents.create with the original's block ids: a second agent on the *same* memory, not a clone."""

    def same_blocks(letta, agent_id, new_name):
        original = letta.agents.retrieve(agent_id, include=["agent.blocks", "agent.tools", "agent.tags"])
        return letta.agents.create(name=new_name, model=original.model, embedding=original.embedding,
                                    block_ids=[b.id for b in original.memory.blocks], tags=original.tags,
                                    tool_ids=[t.id for t in original.tools], include_base_tools=False)

    result = exercises.check("12", same_blocks, client=letta, agent_id=agent.id)
    assert not result and "shares the original's blocks" in result.message, str(result)
    assert {b.id for b in letta.agents.blocks.list(agent_id=agent.id)}, "the original keeps its blocks"


def test_reference_solution_passes(letta, agent):
    result = exercises.check("12", exercises.load_solution("12")["clone"], client=letta, agent_id=agent.id)
    assert result, str(result)
    assert str(result).startswith("✓")
