from letta_nb import exercises

from .conftest import stub


def test_stub_is_not_yet(letta):
    result = exercises.check("04", stub, client=letta)
    assert not result and "NotImplementedError" in result.message and "blocks.attach" in result.hint
    assert str(result).startswith("not yet")


def test_only_the_agents_passed_in_is_not_yet(letta):
    def names_of_my_agents(letta, block_id, agent_ids):
        for agent_id in agent_ids:
            letta.agents.blocks.attach(block_id, agent_id=agent_id)
        return sorted(letta.agents.retrieve(agent_id).name for agent_id in agent_ids)

    result = exercises.check("04", names_of_my_agents, client=letta)
    assert not result and "billing" in result.message


def test_off_by_one_is_not_yet(letta):
    def all_but_last(letta, block_id, agent_ids):
        for agent_id in agent_ids[:-1]:
            letta.agents.blocks.attach(block_id, agent_id=agent_id)
        return sorted(agent.name for agent in letta.blocks.agents.list(block_id))

    result = exercises.check("04", all_but_last, client=letta)
    assert not result


def test_copies_instead_of_sharing_is_not_yet(letta):
    def copy_block(letta, block_id, agent_ids):
        original = letta.blocks.retrieve(block_id)
        names = []
        for agent_id in agent_ids:
            labels = [b.label for b in letta.agents.blocks.list(agent_id)]
            if original.label not in labels:
                copy = letta.blocks.create(label=original.label, value=original.value)
                letta.agents.blocks.attach(copy.id, agent_id=agent_id)
            names.append(letta.agents.retrieve(agent_id).name)
        return sorted({*names, *(a.name for a in letta.blocks.agents.list(block_id))})

    result = exercises.check("04", copy_block, client=letta)
    assert not result and "copy" in result.message  # the copy goes with its agent (delete_agents)


def test_reference_solution_passes(letta):
    result = exercises.check("04", exercises.load_solution("04")["share_block"], client=letta)
    assert result, str(result)
    assert str(result).startswith("✓")
    assert not list(letta.agents.list(tags=["nb04-exercise"])), "the checker cleans up its agents"
    assert not list(letta.blocks.list(tags=["nb04-exercise"])), "the checker cleans up its block"
