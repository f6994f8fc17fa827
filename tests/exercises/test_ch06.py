"""Chapter 06's checker runs the tool in the server's sandbox, several times: these tests take a while."""

import inspect

import pytest

from letta_nb import exercises

STUB = '''
def nb06_manage_tasks(action: str, task: str = "", task_id: int = -1) -> str:
    """
    Manage my task list.

    Args:
        action: "add", "complete" or "list".
        task: The task to add.
        task_id: The number of the task to complete.
    """
    raise NotImplementedError("your code here")
'''


@pytest.fixture(scope="module")
def solution() -> str:
    return inspect.getsource(exercises.load_solution("06")["nb06_manage_tasks"])


def variant(source: str, old: str, new: str) -> str:
    assert old in source, old
    return source.replace(old, new)


def test_stub_is_not_yet_without_touching_the_server(letta):
    result = exercises.check("06", STUB, client=letta)
    assert not result and "NotImplementedError" in result.message and "LETTA_AGENT_ID" in result.hint
    assert not list(letta.tools.list(name="nb06_manage_tasks"))


def test_add_only_is_not_yet(letta, solution):
    add_only = variant(solution, 'elif action == "complete":', 'elif False:')
    result = exercises.check("06", add_only, client=letta)
    assert not result and "complete" in result.message


def test_one_based_task_numbers_are_not_yet(letta, solution):
    off_by_one = variant(solution, 'tasks[task_id]["done"] = True', 'tasks[task_id - 1]["done"] = True')
    result = exercises.check("06", off_by_one, client=letta)
    assert not result and "count from 0" in result.message


def test_starting_from_an_empty_list_is_not_yet(letta, solution):
    forgetful = variant(solution, 'tasks = json.loads(block.value) if block.value.strip() else []', 'tasks = []')
    result = exercises.check("06", forgetful, client=letta)
    assert not result and "already holds" in result.message


def test_only_the_injected_client_is_not_yet(letta, solution):
    cloud_only = variant(solution, "if api is None:", "if False:")
    result = exercises.check("06", cloud_only, client=letta)
    assert not result and "without the client secrets" in result.message
    assert "NoneType" in result.message


def test_reference_solution_passes(letta, solution):
    result = exercises.check("06", exercises.load_solution("06")["nb06_manage_tasks"], client=letta)
    assert result, str(result)
    assert str(result).startswith("✓")
    assert not list(letta.tools.list(name="nb06_manage_tasks")), "the checker deletes the tool it registered"
    assert not list(letta.agents.list(tags=["nb06-exercise"])), "and its agents"
