import letta_nb
from letta_nb import exercises

from .conftest import stub


def _conversations(client, support_id, user_id, exact=True):
    found = client.conversations.list(agent_id=support_id, summary_search=f"user:{user_id}")
    mine = [c for c in found if c.summary == f"user:{user_id}" or not exact]
    for conv in mine:
        client.conversations.delete(conv.id)
    return len(mine)


def test_stub_is_not_yet(letta):
    result = exercises.check("10", stub, client=letta)
    assert not result and "NotImplementedError" in result.message and "match_all_tags=True" in result.hint
    assert str(result).startswith("not yet")


def test_any_tag_is_not_yet(letta):
    """client.agents.list(tags=[...]) without match_all_tags=True: every agent with either tag goes."""

    def any_tag(letta, user_id, app_tag, support_id):
        found = list(letta.agents.list(tags=[f"user:{user_id}", app_tag]))
        for agent in found:
            letta_nb.delete_agents(letta, name=agent.name)
        return len(found), _conversations(letta, support_id, user_id)

    result = exercises.check("10", any_tag, client=letta)
    assert not result and "match_all_tags=True" in result.message, str(result)


def test_bare_delete_is_not_yet(letta):
    def bare(letta, user_id, app_tag, support_id):
        found = list(letta.agents.list(tags=[f"user:{user_id}", app_tag], match_all_tags=True))
        for agent in found:
            letta.agents.delete(agent.id)
        return len(found), _conversations(letta, support_id, user_id)

    result = exercises.check("10", bare, client=letta)
    assert not result and "blocks" in result.message, str(result)


def test_summary_search_alone_is_not_yet(letta):
    def substring(letta, user_id, app_tag, support_id):
        return (letta_nb.delete_agents(letta, tags=[f"user:{user_id}", app_tag]),
                _conversations(letta, support_id, user_id, exact=False))

    result = exercises.check("10", substring, client=letta)
    assert not result and "summary_search" in result.message, str(result)


def test_reference_solution_passes(letta):
    result = exercises.check("10", exercises.load_solution("10")["forget_user"], client=letta)
    assert result, str(result)
    assert str(result).startswith("✓")
    assert not [a.name for a in letta.agents.list(limit=1000) if a.name.startswith("nb10-exercise-")], "left behind"
