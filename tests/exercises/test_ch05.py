import inspect
import re
import textwrap

import pytest

from letta_nb import exercises


from .conftest import stub

NAME = "nb05_word_count"


@pytest.fixture
def agent(new_agent, letta):
    yield new_agent()
    for tool in list(letta.tools.list(name=NAME)):
        letta.tools.delete(tool.id)


@pytest.fixture(scope="module")
def solution():
    return exercises.load_solution("05")


def test_stub_is_not_yet(letta, agent):
    result = exercises.check("05", stub, stub, client=letta, agent_id=agent.id)
    assert not result and "NotImplementedError" in result.message and "tools.upsert" in result.hint


def test_splitting_on_single_spaces_is_not_yet(letta, agent, solution):
    def nb05_word_count(text: str) -> str:
        return str(len(text.split(" ")))

    result = exercises.check("05", nb05_word_count, solution["install_word_count"], client=letta, agent_id=agent.id)
    assert not result and "has 3 words" in result.message


def test_docstring_without_args_is_not_yet(letta, agent, solution):
    def nb05_word_count(text: str) -> str:
        """Count the words in a text."""
        return str(len(text.split()))

    def install(letta, agent_id):
        tool = letta.tools.upsert(source_code=textwrap.dedent(inspect.getsource(nb05_word_count)))
        letta.agents.tools.attach(tool.id, agent_id=agent_id)
        return tool

    result = exercises.check("05", nb05_word_count, install, client=letta, agent_id=agent.id)
    assert not result and "BadRequestError" in result.message and "lacks a description" in result.message


def test_registered_but_not_attached_is_not_yet(letta, agent, solution):
    def register_only(letta, agent_id):
        return letta.tools.upsert(source_code=inspect.getsource(solution["nb05_word_count"]))

    result = exercises.check("05", solution["nb05_word_count"], register_only, client=letta, agent_id=agent.id)
    assert not result and "not attached" in result.message


def nb05_word_count(text: str) -> str:
    """Count the words in a text.

    Args:
        text: The text whose words to count.
    """
    return str(len(re.findall(r"\S+", text)))  # `re` is imported at the top of this file, not in the sandbox


def test_module_level_import_fails_in_the_sandbox(letta, agent, solution):
    def install(letta, agent_id):
        tool = letta.tools.upsert(source_code=inspect.getsource(nb05_word_count))
        letta.agents.tools.attach(tool.id, agent_id=agent_id)
        return tool

    result = exercises.check("05", nb05_word_count, install, client=letta, agent_id=agent.id)
    assert not result and "NameError" in result.message and "inside the function" in result.message


def test_replacing_the_agents_tools_is_not_yet(letta, agent, solution):
    def replace_tools(letta, agent_id):
        tool = letta.tools.upsert(source_code=inspect.getsource(solution["nb05_word_count"]))
        letta.agents.update(agent_id, tool_ids=[tool.id])  # detaches every other tool, the memory tools included
        return tool

    result = exercises.check("05", solution["nb05_word_count"], replace_tools, client=letta, agent_id=agent.id)
    assert not result and "took the agent's other tools away" in result.message
    assert all(name in result.message for name in ("memory_insert", "memory_replace", "conversation_search"))


def test_adding_to_the_agents_tool_list_passes(letta, agent, solution):
    def add_to_tools(letta, agent_id):
        tool = letta.tools.upsert(source_code=inspect.getsource(solution["nb05_word_count"]))
        tools = letta.agents.retrieve(agent_id, include=["agent.tools"]).tools
        letta.agents.update(agent_id, tool_ids=[*(t.id for t in tools), tool.id])
        return tool

    result = exercises.check("05", solution["nb05_word_count"], add_to_tools, client=letta, agent_id=agent.id)
    assert result, str(result)


def _snapshot(client, agent_id):
    """What the learner's agent holds: its tools and its stored messages."""
    tools = sorted(t.name for t in client.agents.retrieve(agent_id, include=["agent.tools"]).tools)
    return tools, [m.id for m in client.agents.messages.list(agent_id, limit=100).items]


def test_reference_solution_passes_and_leaves_the_agent_alone(letta, agent, solution):
    before = _snapshot(letta, agent.id)
    result = exercises.check("05", solution["nb05_word_count"], solution["install_word_count"], client=letta,
                             agent_id=agent.id)
    assert result, str(result)
    assert str(result).startswith("✓")
    assert _snapshot(letta, agent.id) == before  # no tool attached to it, no message sent to it
    assert not list(letta.agents.list(tags=["nb05-exercise"])), "the checker's scratch agent was left behind"
