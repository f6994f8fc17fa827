import asyncio

import pytest

import letta_nb
from letta_nb import exercises

from .conftest import stub


@pytest.fixture
def agent(make_agent):
    return make_agent()


async def _ask(aclient, agent_id, question, conversation_id=None):
    if conversation_id is None:
        conversation_id = (await aclient.conversations.create(agent_id=agent_id)).id
    stream = await aclient.conversations.messages.create(conversation_id,
                                                         messages=[{"role": "user", "content": question}])
    return "".join([letta_nb.text_of(c) async for c in stream if c.message_type == "assistant_message"])


def test_stub_is_not_yet(client, agent):
    async def fan_out(aclient, agent_id, questions):
        raise NotImplementedError("your code here")

    result = exercises.check("09", fan_out, client=client, agent_id=agent.id)
    assert not result and "NotImplementedError" in result.message and "asyncio.gather" in result.hint
    assert str(result).startswith("not yet")
    assert not exercises.check("09", stub, client=client, agent_id=agent.id)


def test_one_after_another_is_not_yet(client, agent):
    """Right conversations, right answers, right order: but awaited one by one, so the turns never overlap."""

    async def sequential(aclient, agent_id, questions):
        return [await _ask(aclient, agent_id, q) for q in questions]

    result = exercises.check("09", sequential, client=client, agent_id=agent.id)
    assert not result and "one after another" in result.message, str(result)
    assert not list(client.conversations.list(agent_id=agent.id)), "the checker deletes the conversations it caused"


def test_one_shared_conversation_is_not_yet(client, agent):
    async def shared(aclient, agent_id, questions):
        conv = await aclient.conversations.create(agent_id=agent_id)
        return [await _ask(aclient, agent_id, q, conv.id) for q in questions]

    result = exercises.check("09", shared, client=client, agent_id=agent.id)
    assert not result and "own new conversation" in result.message, str(result)


def test_answers_out_of_order_is_not_yet(client, agent):
    async def reversed_answers(aclient, agent_id, questions):
        return list(reversed(await asyncio.gather(*(_ask(aclient, agent_id, q) for q in questions))))

    result = exercises.check("09", reversed_answers, client=client, agent_id=agent.id)
    assert not result and "order of the questions" in result.message, str(result)


def test_reference_solution_passes(client, agent):
    result = exercises.check("09", exercises.load_solution("09")["fan_out"], client=client, agent_id=agent.id)
    assert result, str(result)
    assert str(result).startswith("✓")
    assert not list(client.conversations.list(agent_id=agent.id))
