import pytest

from letta_nb import exercises


from .conftest import stub

PRINTER = "The office printer is on the second floor."


@pytest.fixture
def agent(letta, new_agent):
    agent = new_agent()
    letta.agents.passages.create(agent_id=agent.id, text=PRINTER, tags=["equipment"])
    return agent


def _archive(client, agent_id):
    return [(p.text, p.tags) for p in client.agents.passages.list(agent_id=agent_id)]


def store_note(client, agent_id, text, topic):
    client.agents.passages.create(agent_id=agent_id, text=text, tags=[topic])


def test_stub_is_not_yet(letta, agent):
    result = exercises.check("03", stub, stub, client=letta, agent_id=agent.id)
    assert not result and "NotImplementedError" in result.message and "passages.search" in result.hint
    assert str(result).startswith("not yet")


def test_forgetting_the_topic_filter_is_not_yet(letta, agent):
    def any_topic(letta, agent_id, query, topic):
        return [r.content for r in letta.agents.passages.search(agent_id=agent_id, query=query).results]

    result = exercises.check("03", store_note, any_topic, client=letta, agent_id=agent.id)
    assert not result and "topic" in result.message


def test_storing_without_the_tag_is_not_yet(letta, agent):
    def untagged(letta, agent_id, text, topic):
        letta.agents.passages.create(agent_id=agent_id, text=text)

    solution = exercises.load_solution("03")
    result = exercises.check("03", untagged, solution["find_notes"], client=letta, agent_id=agent.id)
    assert not result and "without its topic" in result.message


def test_storing_twice_is_not_yet(letta, agent):
    def twice(letta, agent_id, text, topic):
        store_note(letta, agent_id, text, topic)
        store_note(letta, agent_id, text, topic)

    solution = exercises.load_solution("03")
    result = exercises.check("03", twice, solution["find_notes"], client=letta, agent_id=agent.id)
    assert not result and "holds 2 passages" in result.message


def test_an_extra_tag_passes(letta, agent):
    def with_more_tags(letta, agent_id, text, topic):
        letta.agents.passages.create(agent_id=agent_id, text=text, tags=[topic, "notes-app"])

    solution = exercises.load_solution("03")
    result = exercises.check("03", with_more_tags, solution["find_notes"], client=letta, agent_id=agent.id)
    assert result, str(result)


def test_substring_list_instead_of_search_is_not_yet(letta, agent):
    def substring(letta, agent_id, query, topic):
        return [p.text for p in letta.agents.passages.list(agent_id=agent_id, search=query) if topic in (p.tags or [])]

    assert not exercises.check("03", store_note, substring, client=letta, agent_id=agent.id)


def test_sorting_instead_of_ranking_is_not_yet(letta, agent):
    def alphabetical(letta, agent_id, query, topic):
        found = letta.agents.passages.search(agent_id=agent_id, query=query, tags=[topic])
        return sorted(r.content for r in found.results)

    result = exercises.check("03", store_note, alphabetical, client=letta, agent_id=agent.id)
    assert not result and "best match" in result.message


def test_reference_solution_passes_and_leaves_the_agent_alone(letta, agent):
    before = _archive(letta, agent.id)
    solution = exercises.load_solution("03")
    result = exercises.check("03", solution["store_note"], solution["find_notes"], client=letta, agent_id=agent.id)
    assert result, str(result)
    assert str(result).startswith("✓")
    assert _archive(letta, agent.id) == before == [(PRINTER, ["equipment"])]
    assert not list(letta.agents.list(tags=["nb03-exercise"])), "the checker's scratch agent was left behind"
