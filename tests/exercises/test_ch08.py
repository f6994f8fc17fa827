"""Chapter 08: the checker's client really loses its connection; only a token stream resumed after the last seq_id
passes, whether the pings are kept or skipped, and the chapter's agent is left as it was."""

import httpx
import letta_client
import pytest

from letta_nb import exercises, text_of

from .conftest import stub


@pytest.fixture
def agent(make_agent):
    return make_agent()


def _start(client, agent_id, text, stream_tokens=True):
    return client.agents.messages.create(agent_id=agent_id, messages=[{"role": "user", "content": text}],
                                         streaming=True, stream_tokens=stream_tokens, include_pings=True,
                                         background=True)


def _result(chunks):
    return ("".join(text_of(c) for c in chunks if c.message_type == "assistant_message"),
            [c.seq_id for c in chunks if getattr(c, "seq_id", None) is not None])


def _resume_with(starting_after, keep_first_part=True, errors=(httpx.TransportError,), stream_tokens=True,
                 skip_pings=False):
    """A resilient_text that catches ``errors`` and resumes with starting_after(last seq_id it kept)."""

    def resilient_text(client, agent_id, text):
        def kept(stream):
            return [c for c in stream if not (skip_pings and c.message_type == "ping")]

        chunks = []
        try:
            for chunk in _start(client, agent_id, text, stream_tokens):
                chunks += kept([chunk])
        except errors:
            numbered = [c for c in chunks if getattr(c, "seq_id", None) is not None]
            after = starting_after(numbered[-1].seq_id)
            options = {} if after is None else {"starting_after": after}
            rest = kept(client.runs.messages.stream(numbered[-1].run_id, **options))
            chunks = (chunks if keep_first_part else []) + rest
        return _result(chunks)

    return resilient_text


def test_stub_is_not_yet(client, agent):
    result = exercises.check("08", stub, client=client, agent_id=agent.id)
    assert not result and "NotImplementedError" in result.message and "starting_after" in result.hint
    assert "httpx.RemoteProtocolError" in result.hint


def test_reading_on_without_resuming_is_not_yet(client, agent):
    def read_all(client, agent_id, text):
        return _result(list(_start(client, agent_id, text)))

    result = exercises.check("08", read_all, client=client, agent_id=agent.id)
    assert not result and "RemoteProtocolError" in result.message and "came out of your function" in result.message


def test_catching_only_the_sdk_connection_error_is_not_yet(client, agent):
    """letta_client.APIConnectionError is not what a stream that breaks mid-way raises: the httpx error escapes."""
    result = exercises.check("08", _resume_with(lambda last: last, errors=letta_client.APIConnectionError),
                             client=client, agent_id=agent.id)
    assert not result and "httpx.RemoteProtocolError came out" in result.message, str(result)


def test_giving_up_after_the_drop_is_not_yet(client, agent):
    def partial(client, agent_id, text):
        chunks = []
        try:
            for chunk in _start(client, agent_id, text):
                chunks.append(chunk)
        except httpx.TransportError:
            pass
        return _result(chunks)

    result = exercises.check("08", partial, client=client, agent_id=agent.id)
    assert not result and "never resumed" in result.message


def test_a_step_stream_is_not_yet(client, agent):
    """streaming=True without stream_tokens=True, resumed correctly: the task asks for a token stream."""
    result = exercises.check("08", _resume_with(lambda last: last, stream_tokens=False), client=client,
                             agent_id=agent.id)
    assert not result and "one chunk per step" in result.message and "assistant_message" in result.message
    assert "stream_tokens=True" in result.message, str(result)


def test_replaying_from_the_start_is_not_yet(client, agent):
    duplicates = exercises.check("08", _resume_with(lambda last: None), client=client, agent_id=agent.id)
    assert not duplicates and "from its start" in duplicates.message
    replay_only = exercises.check("08", _resume_with(lambda last: None, keep_first_part=False), client=client,
                                  agent_id=agent.id)
    assert not replay_only and "from its start" in replay_only.message


def test_off_by_one_resume_is_not_yet(client, agent):
    result = exercises.check("08", _resume_with(lambda last: last + 1), client=client, agent_id=agent.id)
    assert not result and "starting_after=" in result.message


@pytest.mark.parametrize("variant", [
    pytest.param({"skip_pings": True}, id="pings-skipped"),  # the chapter says to skip pings
    pytest.param({"errors": httpx.RemoteProtocolError}, id="catches-RemoteProtocolError"),
    pytest.param({"errors": (httpx.TransportError, letta_client.APIConnectionError)}, id="catches-both"),
])
def test_other_right_answers_pass(client, agent, variant):
    result = exercises.check("08", _resume_with(lambda last: last, **variant), client=client, agent_id=agent.id)
    assert result, str(result)


def test_reference_solution_passes_and_leaves_the_agent_alone(client, agent):
    before = [m.id for m in client.agents.messages.list(agent_id=agent.id, limit=100)]
    result = exercises.check("08", exercises.load_solution("08")["resilient_text"], client=client, agent_id=agent.id)
    assert result, str(result)
    assert str(result).startswith("✓") and "dropped after seq_id 4" in result.message
    assert [m.id for m in client.agents.messages.list(agent_id=agent.id, limit=100)] == before
    assert not list(client.agents.list(tags=["nb08-exercise"])), "the checker deletes its scratch agent"
