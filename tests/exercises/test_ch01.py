import letta_client
import pytest

from letta_nb import exercises

from .conftest import stub


@pytest.fixture
def agent(new_agent):
    return new_agent()


def test_stub_is_not_yet(letta, agent):
    result = exercises.check("01", stub, client=letta, agent_id=agent.id)
    assert not result and "NotImplementedError" in result.message and "agents.retrieve" in result.hint
    assert str(result).startswith("not yet")


def test_none_for_every_error_is_not_yet(letta, agent):
    def swallow_all(letta, agent_id):
        try:
            return letta.agents.retrieve(agent_id)
        except letta_client.APIError:
            return None

    result = exercises.check("01", swallow_all, client=letta, agent_id=agent.id)
    assert not result and "returned None" in result.message


def test_letting_other_errors_through_unexplained_is_not_yet(letta, agent):
    def raw_errors(letta, agent_id):
        try:
            return letta.agents.retrieve(agent_id)
        except letta_client.NotFoundError:
            return None

    result = exercises.check("01", raw_errors, client=letta, agent_id=agent.id)
    assert not result and "APIConnectionError" in result.message and "explain" in result.message


def test_explaining_not_found_too_is_not_yet(letta, agent):
    def explain_everything(letta, agent_id):
        import letta_nb

        try:
            return letta.agents.retrieve(agent_id)
        except letta_client.APIError as exc:
            raise letta_nb.explain(exc) from None

    result = exercises.check("01", explain_everything, client=letta, agent_id=agent.id)
    assert not result and "LettaNbError" in result.message


def test_reference_solution_passes(letta, agent):
    result = exercises.check("01", exercises.load_solution("01")["safe_retrieve_agent"], client=letta, agent_id=agent.id)
    assert result, str(result)
    assert str(result).startswith("✓")
