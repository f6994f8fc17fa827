import letta_client
import pytest

from letta_nb import exercises

from .conftest import stub


@pytest.fixture
def agent(make_agent):
    return make_agent()


def test_stub_is_not_yet(client, agent):
    result = exercises.check("14", stub, client=client, agent_id=agent.id)
    assert not result and "NotImplementedError" in result.message and "APIStatusError" in result.hint
    assert str(result).startswith("not yet")


def test_status_code_as_int_is_not_yet(client, agent):
    def as_int(fn):
        try:
            fn()
        except letta_client.APIStatusError as exc:
            return exc.status_code
        except letta_client.APIConnectionError:
            return "unreachable"
        return "ok"

    result = exercises.check("14", as_int, client=client, agent_id=agent.id)
    assert not result and "return a str" in result.message, str(result)


def test_catching_every_api_error_as_a_status_is_not_yet(client, agent):
    def every_error_has_a_status(fn):
        try:
            fn()
        except letta_client.APIError as exc:  # connection errors have no status_code
            return str(exc.status_code)
        return "ok"

    result = exercises.check("14", every_error_has_a_status, client=client, agent_id=agent.id)
    assert not result and "AttributeError" in result.message, str(result)


def test_timeout_as_its_own_answer_is_not_yet(client, agent):
    def timeouts_apart(fn):
        try:
            fn()
        except letta_client.APIStatusError as exc:
            return str(exc.status_code)
        except letta_client.APITimeoutError:
            return "timeout"
        except letta_client.APIConnectionError:
            return "unreachable"
        return "ok"

    result = exercises.check("14", timeouts_apart, client=client, agent_id=agent.id)
    assert not result and "'timeout'" in result.message, str(result)


def test_reference_solution_passes(client, agent):
    result = exercises.check("14", exercises.load_solution("14")["diagnose"], client=client, agent_id=agent.id)
    assert result, str(result)
    assert str(result).startswith("✓")
