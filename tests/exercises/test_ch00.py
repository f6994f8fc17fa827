import pytest

from letta_nb import exercises, text_of

from .conftest import stub

from letta_nb.exercises import ch00


@pytest.fixture
def agent(new_agent):
    return new_agent()


def _snapshot(client, agent_id):
    """What the learner's agent holds: its blocks' values and its stored messages."""
    blocks = {b.label: b.value for b in client.agents.blocks.list(agent_id=agent_id)}
    return blocks, [m.id for m in client.agents.messages.list(agent_id, limit=100).items]


def _parts(message):
    return [message.content] if isinstance(message.content, str) else [p.text for p in message.content]


def test_stub_is_not_yet(letta, agent):
    result = exercises.check("00", stub, client=letta, agent_id=agent.id)
    assert not result and "NotImplementedError" in result.message and "text_of" in result.hint
    assert str(result).startswith("not yet")


def test_ellipsis_body_is_not_yet(letta, agent):
    def unfinished(response):
        ...

    result = exercises.check("00", unfinished, client=letta, agent_id=agent.id)
    assert not result and "returned None" in result.message


def test_only_the_first_assistant_message_is_not_yet(letta, agent):
    def first_only(response):
        return next((text_of(m) for m in response.messages if m.message_type == "assistant_message"), "")

    result = exercises.check("00", first_only, client=letta, agent_id=agent.id)
    assert not result and "'Hi Sam!'" in result.message and "returned 'Hi Sam!'" in result.message


def test_joining_content_blindly_is_not_yet(letta, agent):
    def blind(response):
        return "\n".join(m.content for m in response.messages if m.message_type == "assistant_message")

    result = exercises.check("00", blind, client=letta, agent_id=agent.id)
    assert not result and "TypeError" in result.message


def test_including_reasoning_is_not_yet(letta, agent):
    def chatty(response):
        return "\n".join(getattr(m, "reasoning", None) or text_of(m) for m in response.messages
                         if m.message_type in ("assistant_message", "reasoning_message"))

    result = exercises.check("00", chatty, client=letta, agent_id=agent.id)
    assert not result and "without the reasoning" in result.message


def test_dropping_a_text_part_is_not_yet(letta, agent):
    def first_part(response):
        return "\n".join(_parts(m)[0] for m in response.messages if m.message_type == "assistant_message")

    assert not exercises.check("00", first_part, client=letta, agent_id=agent.id)


@pytest.mark.parametrize("joint", [" ", "\n", ""], ids=["space", "new-line", "nothing"])
def test_text_parts_joined_any_plain_way_pass(letta, agent, joint):
    def joined(response):
        return "\n".join(joint.join(_parts(m)) for m in response.messages if m.message_type == "assistant_message")

    result = exercises.check("00", joined, client=letta, agent_id=agent.id)
    assert result, str(result)


def test_made_up_response_is_made_of_real_sdk_objects():
    response = ch00.made_up_response()
    assert [m.message_type for m in response.messages] == [
        "reasoning_message", "assistant_message", "tool_call_message", "assistant_message"]
    assert isinstance(response.messages[3].content, list)
    assert exercises.load_solution("00")["assistant_text"](response) == ch00.EXPECTED


def test_reference_solution_passes_and_leaves_the_agent_alone(letta, agent):
    before = _snapshot(letta, agent.id)
    result = exercises.check("00", exercises.load_solution("00")["assistant_text"], client=letta, agent_id=agent.id)
    assert result, str(result)
    assert str(result).startswith("✓")
    assert _snapshot(letta, agent.id) == before  # no message sent to it, nothing written into its blocks
    assert not list(letta.agents.list(tags=["nb00-exercise"])), "the checker's scratch agent was left behind"
