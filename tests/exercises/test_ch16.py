"""Chapter 16's checker: it accepts a fork per persona (through letta_nb.fork or an agent file by hand) and rejects
changing the original, a new agent instead of a copy, copies left behind, and a persona changed too late."""


import letta_nb
from letta_nb import exercises

from .conftest import stub


def _text(response) -> str:
    return "\n".join(letta_nb.text_of(m) for m in response.messages if m.message_type == "assistant_message")


def _send(client, agent_id, message):
    return _text(client.agents.messages.create(agent_id=agent_id, messages=[{"role": "user", "content": message}]))


def by_hand(client, agent_id, personas, message):
    """Another correct way: the agent file round trip of chapter 12, and the SDK's own delete."""
    original = client.agents.retrieve(agent_id)
    replies = {}
    for label, persona in personas.items():
        made = client.agents.import_file(file=("a.af", client.agents.export_file(agent_id).encode()),
                                         override_name=f"{original.name}-{label}")
        copy_id = made.agent_ids[0]
        try:
            client.agents.blocks.update("persona", agent_id=copy_id, value=persona)
            replies[label] = _send(client, copy_id, message)
        finally:
            client.agents.delete(copy_id)
    return replies


def in_place(client, agent_id, personas, message):
    """Wrong: no copy; the original's persona is changed and the message goes to it."""
    replies = {}
    for label, persona in personas.items():
        client.agents.blocks.update("persona", agent_id=agent_id, value=persona)
        replies[label] = _send(client, agent_id, message)
    return replies


def new_agents(client, agent_id, personas, message):
    """Wrong: a new agent per persona, which knows nothing the original was told."""
    replies = {}
    for label, persona in personas.items():
        name = f"{client.agents.retrieve(agent_id).name}-{label}"
        agent = letta_nb.fresh_agent(client, name, memory_blocks=[{"label": "human", "value": ""},
                                                                 {"label": "persona", "value": persona}])
        try:
            replies[label] = _send(client, agent.id, message)
        finally:
            letta_nb.delete_agents(client, name=name)
    return replies


def left_behind(client, agent_id, personas, message):
    """Wrong: the copies stay on the server."""
    replies = {}
    for label, persona in personas.items():
        copy = letta_nb.fork(client, agent_id, name=f"{client.agents.retrieve(agent_id).name}-{label}")
        client.agents.blocks.update("persona", agent_id=copy.id, value=persona)
        replies[label] = _send(client, copy.id, message)
    return replies


def too_late(client, agent_id, personas, message):
    """Wrong: the message is sent before the persona is changed."""
    replies = {}
    for label, persona in personas.items():
        copy = letta_nb.fork(client, agent_id, name=f"{client.agents.retrieve(agent_id).name}-{label}")
        try:
            replies[label] = _send(client, copy.id, message)
            client.agents.blocks.update("persona", agent_id=copy.id, value=persona)
        finally:
            letta_nb.delete_agents(client, name=copy.name)
    return replies


def whole_responses(client, agent_id, personas, message):
    """Wrong: the responses, not their text."""
    solution = exercises.load_solution("16")["try_personas"]
    return {label: [reply] for label, reply in solution(client, agent_id, personas, message).items()}


def _gone(client):
    return not [a.name for a in client.agents.list(tags=["nb16-exercise"])]


def test_stub_is_not_yet(letta):
    result = exercises.check("16", stub, client=letta)
    assert not result and "NotImplementedError" in result.message
    assert _gone(letta)


def test_reference_solution_passes(letta):
    result = exercises.check("16", exercises.load_solution("16")["try_personas"], client=letta)
    assert result, str(result)
    assert str(result).startswith("✓") and _gone(letta)


def test_an_agent_file_by_hand_passes_too(letta):
    result = exercises.check("16", by_hand, client=letta)
    assert result, str(result)


def test_changing_the_original_is_not_yet(letta):
    result = exercises.check("16", in_place, client=letta)
    assert not result and "never the original's" in result.message, str(result)
    assert _gone(letta)


def test_new_agents_instead_of_copies_are_not_yet(letta):
    result = exercises.check("16", new_agents, client=letta)
    assert not result and "instead of making a new one" in result.message, str(result)


def test_copies_left_behind_are_not_yet(letta):
    result = exercises.check("16", left_behind, client=letta)
    assert not result and "copies left on the server" in result.message, str(result)
    assert _gone(letta), "the checker's own clean-up removes them (a fork keeps the scratch agent's tags)"


def test_a_persona_changed_after_the_message_is_not_yet(letta):
    result = exercises.check("16", too_late, client=letta)
    assert not result and "before you send the message" in result.message, str(result)


def test_whole_responses_are_not_yet(letta):
    result = exercises.check("16", whole_responses, client=letta)
    assert not result and "not its text" in result.message, str(result)
