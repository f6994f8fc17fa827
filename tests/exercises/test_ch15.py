import importlib.util
import uuid
from pathlib import Path

import pytest

import letta_nb
from letta_nb import exercises
from letta_nb.config import OFFLINE_EMBEDDING_HANDLE, OFFLINE_LLM_HANDLE

from .conftest import stub

NOTE = "Cy's piano lesson is on Wednesday at 18:00."
TODO_TOOL = '''
def nb15_test_add_todo(item: str) -> str:
    """Add an item to the to-do list.

    Args:
        item: What to do.
    """
    return item
'''


def _assistant_class():
    path = Path(__file__).resolve().parents[2] / "notebooks" / "nb15_app.py"
    spec = importlib.util.spec_from_file_location("nb15_app", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Assistant


@pytest.fixture(scope="module")
def app(client):
    """The chapter's app under a tag of its own: Ada with a note, then a feature shipped to existing users. Shared by
    the tests: the checker forgets cy before and after each run."""
    tag = f"nb15t-{uuid.uuid4().hex[:6]}"
    policies = client.blocks.create(label="policies", value="1. Never share one user's information.", read_only=True,
                                    tags=[tag])
    app = _assistant_class()(client, tag, model=OFFLINE_LLM_HANDLE, embedding=OFFLINE_EMBEDDING_HANDLE,
                             persona="I am Pip.", shared_blocks=[policies])
    app.learn("ada", "Ada's train to Porto leaves at 09:00 on Friday.", ["travel"])
    tool = client.tools.upsert(source_code=TODO_TOOL)
    app.add_feature(tool, {"label": "todo", "value": "(nothing yet)"})
    yield app
    for user in app.users():
        app.forget(user)
    client.blocks.delete(policies.id)
    client.tools.delete(tool.id)


def test_stub_is_not_yet(client, app):
    result = exercises.check("15", stub, app=app, client=client)
    assert not result and "NotImplementedError" in result.message and "app.learn" in result.hint
    assert str(result).startswith("not yet")


def test_note_without_its_tag_is_not_yet(client, app):
    def untagged(app):
        app.agent("cy")
        app.learn("cy", NOTE, [])
        app.ask("cy", "Remember that I play jazz piano.")
        app.ask("cy", "search archival for piano lesson")

    result = exercises.check("15", untagged, app=app, client=client)
    assert not result and "tag music" in result.message, str(result)


def test_the_app_searching_instead_of_the_agent_is_not_yet(client, app):
    def app_searches(app):
        app.agent("cy")
        app.learn("cy", NOTE, ["music"])
        app.ask("cy", "Remember that I play jazz piano.")
        assert app.lookup("cy", "piano lesson")

    result = exercises.check("15", app_searches, app=app, client=client)
    assert not result and "never searched" in result.message, str(result)


def test_an_agent_made_outside_the_app_is_not_yet(client, app):
    def by_hand(app):
        letta_nb.fresh_agent(client, f"{app.app}-cy-by-hand", memory_blocks=[{"label": "human", "value": "Name: Cy"}])

    try:
        result = exercises.check("15", by_hand, app=app, client=client)
    finally:
        letta_nb.delete_agents(client, name=f"{app.app}-cy-by-hand")
    assert not result and "app.agent('cy')" in result.message, str(result)


def test_the_note_stored_twice_is_not_yet(client, app):
    def twice(app):
        app.agent("cy")
        app.learn("cy", NOTE, ["music"])
        app.learn("cy", NOTE, ["music"])  # e.g. the cell run again
        app.ask("cy", "I play jazz piano.")
        app.ask("cy", "When is my piano lesson?")

    result = exercises.check("15", twice, app=app, client=client)
    assert not result and "2 passages about the piano lesson" in result.message, str(result)
    assert "once" in result.message


def test_other_words_pass(client, app):
    """Another right answer: the same verbs, other plain-English sentences."""

    def in_other_words(app):
        app.agent("cy")
        app.learn("cy", NOTE, ["music", "cy"])
        app.ask("cy", "Please remember that I play jazz piano.")
        app.ask("cy", "Can you look up when my piano lesson is?")

    result = exercises.check("15", in_other_words, app=app, client=client)
    assert result, str(result)


def _state(client, agent_id):
    return ({b.label: b.value for b in client.agents.blocks.list(agent_id=agent_id)},
            sorted(p.text for p in client.agents.passages.list(agent_id=agent_id)),
            [m.id for m in client.agents.messages.list(agent_id=agent_id, limit=200)])


def test_reference_solution_passes_and_leaves_the_other_users_alone(client, app):
    ada = app.agent("ada").id
    before = _state(client, ada)
    result = exercises.check("15", exercises.load_solution("15")["onboard_cy"], app=app, client=client)
    assert result, str(result)
    assert str(result).startswith("✓") and "(ada)" in result.message
    assert app.users() == ["ada"], "the checker forgets cy again"
    assert _state(client, ada) == before, "the checker only reads ada's agent"
