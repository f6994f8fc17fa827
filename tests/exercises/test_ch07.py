import inspect
import json
from pathlib import Path

import pytest

from letta_nb import exercises

from .conftest import stub


@pytest.fixture
def agent(make_agent):
    return make_agent()


@pytest.fixture(scope="module")
def solution():
    return exercises.load_solution("07")


def _variant(solution, old, new):
    """The reference solution with one line changed, run in the solution's own names."""
    source = inspect.getsource(solution["count_words_turn"])
    assert old in source, old
    namespace = dict(solution)
    exec(source.replace(old, new), namespace)
    return namespace["count_words_turn"]


def test_stub_is_not_yet(client, agent):
    result = exercises.check("07", stub, client=client, agent_id=agent.id)
    assert not result and "NotImplementedError" in result.message and "client_tools" in result.hint


def test_counting_characters_is_not_yet(client, agent, solution):
    chars = _variant(solution, ".read_text().split()))", ".read_text()))")
    result = exercises.check("07", chars, client=client, agent_id=agent.id)
    assert not result and "words" in result.message


def test_letting_the_error_escape_is_not_yet(client, agent, solution):
    fragile = _variant(solution, "except Exception as error:", "except ZeroDivisionError as error:")
    result = exercises.check("07", fragile, client=client, agent_id=agent.id)
    assert not result and "FileNotFoundError" in result.message
    after = client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": "hello"}])
    assert after.stop_reason.stop_reason == "end_turn", "the checker leaves no approval pending"


def test_approving_instead_of_answering_is_not_yet(client, agent, solution):
    approve = _variant(
        solution,
        'answers.append({"type": "tool", "tool_call_id": call.tool_call_id, "tool_return": output, "status": status})',
        'answers.append({"type": "approval", "tool_call_id": call.tool_call_id, "approve": True})',
    )
    result = exercises.check("07", approve, client=client, agent_id=agent.id)
    assert not result and '"type": "tool"' in result.message


SERVER_TOOL = '''
def count_words(path: str) -> str:
    """Count the words of a file.

    Args:
        path: File name.
    """
    return "9"
'''


def test_a_server_side_tool_is_not_yet(client, agent):
    tool = client.tools.upsert(source_code=SERVER_TOOL)
    try:
        client.agents.tools.attach(tool.id, agent_id=agent.id)

        def server_side(client, agent_id, folder, path):
            return client.agents.messages.create(agent_id=agent_id, messages=[
                {"role": "user", "content": f"call count_words {json.dumps({'path': path})}"}]).messages

        result = exercises.check("07", server_side, client=client, agent_id=agent.id)
        assert not result and "never asked" in result.message
    finally:
        client.tools.delete(tool.id)


def test_reference_solution_passes(client, agent, solution):
    result = exercises.check("07", solution["count_words_turn"], client=client, agent_id=agent.id)
    assert result, str(result)
    assert str(result).startswith("✓")
    assert not list(Path("/tmp").glob("nb07-check-*")), "the checker removes its folder"
