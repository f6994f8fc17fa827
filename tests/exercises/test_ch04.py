from letta_nb import exercises

from .conftest import stub


def test_stub_is_not_yet(client):
    result = exercises.check("04", stub, client=client)
    assert not result and "NotImplementedError" in result.message and "blocks.attach" in result.hint
    assert str(result).startswith("not yet")


def test_only_the_agents_passed_in_is_not_yet(client):
    def names_of_my_agents(client, block_id, agent_ids):
        for agent_id in agent_ids:
            client.agents.blocks.attach(block_id, agent_id=agent_id)
        return sorted(client.agents.retrieve(agent_id).name for agent_id in agent_ids)

    result = exercises.check("04", names_of_my_agents, client=client)
    assert not result and "billing" in result.message


def test_off_by_one_is_not_yet(client):
    def all_but_last(client, block_id, agent_ids):
        for agent_id in agent_ids[:-1]:
            client.agents.blocks.attach(block_id, agent_id=agent_id)
        return sorted(agent.name for agent in client.blocks.agents.list(block_id))

    result = exercises.check("04", all_but_last, client=client)
    assert not result


def test_copies_instead_of_sharing_is_not_yet(client):
    def copy_block(client, block_id, agent_ids):
        original = client.blocks.retrieve(block_id)
        names = []
        for agent_id in agent_ids:
            labels = [b.label for b in client.agents.blocks.list(agent_id)]
            if original.label not in labels:
                copy = client.blocks.create(label=original.label, value=original.value)
                client.agents.blocks.attach(copy.id, agent_id=agent_id)
            names.append(client.agents.retrieve(agent_id).name)
        return sorted({*names, *(a.name for a in client.blocks.agents.list(block_id))})

    result = exercises.check("04", copy_block, client=client)
    assert not result and "copy" in result.message  # the copy goes with its agent (delete_agents)


def test_reference_solution_passes(client):
    result = exercises.check("04", exercises.load_solution("04")["share_block"], client=client)
    assert result, str(result)
    assert str(result).startswith("✓")
    assert not list(client.agents.list(tags=["nb04-exercise"])), "the checker cleans up its agents"
    assert not list(client.blocks.list(tags=["nb04-exercise"])), "the checker cleans up its block"
