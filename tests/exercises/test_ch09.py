"""Chapter 09's checker: serve_inbox gives each user one conversation, sends a user's messages one after another in
it, and serves the users at the same time. Wrong answers a learner would write are rejected; other correct ways pass."""

import asyncio

import pytest

import letta_nb
from letta_nb import exercises

from .conftest import stub


@pytest.fixture
def agent(make_agent):
    return make_agent()


async def _say(aclient, conversation_id, text):
    stream = await aclient.conversations.messages.create(conversation_id, messages=[{"role": "user", "content": text}])
    return "".join([letta_nb.text_of(c) async for c in stream if c.message_type == "assistant_message"])


async def _serve_in_turn(aclient, agent_id, messages):
    conv = await aclient.conversations.create(agent_id=agent_id)
    return [await _say(aclient, conv.id, m) for m in messages]


def check(fn, client, agent):
    return exercises.check("09", fn, client=client, agent_id=agent.id)


def test_stub_is_not_yet(client, agent):
    async def serve_inbox(aclient, agent_id, inbox):
        raise NotImplementedError("your code here")

    result = check(serve_inbox, client, agent)
    assert not result and "NotImplementedError" in result.message and "asyncio.gather" in result.hint
    assert str(result).startswith("not yet")
    assert not check(stub, client, agent)


def test_reference_solution_passes_and_cleans_up(client, agent):
    before = {c.id for c in client.conversations.list(agent_id=agent.id)}
    result = check(exercises.load_solution("09")["serve_inbox"], client, agent)
    assert result, str(result)
    assert {c.id for c in client.conversations.list(agent_id=agent.id)} == before, "the checker deletes its conversations"


def test_task_groups_pass_too(client, agent):
    async def serve_inbox(aclient, agent_id, inbox):
        async with asyncio.TaskGroup() as group:
            tasks = {user: group.create_task(_serve_in_turn(aclient, agent_id, messages)) for user, messages in inbox.items()}
        return {user: task.result() for user, task in tasks.items()}

    result = check(serve_inbox, client, agent)
    assert result, str(result)


def test_users_one_after_another_is_not_yet(client, agent):
    async def sequential(aclient, agent_id, inbox):
        return {user: await _serve_in_turn(aclient, agent_id, messages) for user, messages in inbox.items()}

    result = check(sequential, client, agent)
    assert not result and "one after another, not at the same time" in result.message, str(result)


def test_a_conversation_per_message_is_not_yet(client, agent):
    async def per_message(aclient, agent_id, inbox):
        async def one(text):
            conv = await aclient.conversations.create(agent_id=agent_id)
            return await _say(aclient, conv.id, text)

        users = list(inbox)
        answers = await asyncio.gather(*(asyncio.gather(*(one(m) for m in inbox[u])) for u in users))
        return {u: list(a) for u, a in zip(users, answers, strict=True)}

    result = check(per_message, client, agent)
    assert not result and "one new conversation of their own" in result.message, str(result)


def test_a_users_messages_at_the_same_time_is_not_yet(client, agent):
    async def all_at_once(aclient, agent_id, inbox):
        async def serve(messages):
            conv = await aclient.conversations.create(agent_id=agent_id)
            return list(await asyncio.gather(*(_say(aclient, conv.id, m) for m in messages)))

        users = list(inbox)
        return dict(zip(users, await asyncio.gather(*(serve(inbox[u]) for u in users)), strict=True))

    result = check(all_at_once, client, agent)
    assert not result, str(result)
    assert "await each reply before sending the next message" in result.message, str(result)


def test_replies_under_the_wrong_user_are_not_yet(client, agent):
    async def shuffled(aclient, agent_id, inbox):
        users = list(inbox)
        answers = await asyncio.gather(*(_serve_in_turn(aclient, agent_id, inbox[u]) for u in users))
        return dict(zip(users, answers[1:] + answers[:1], strict=True))

    result = check(shuffled, client, agent)
    assert not result and "the replies for" in result.message, str(result)
