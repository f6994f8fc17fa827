"""Shared fixtures: every behaviour test talks to the real local stack (started once, left running).

Markers, set here at collection (pyproject.toml registers them), so that ``pytest -m "not stack and not slow" tests``
is the fast tier that needs no server:

- ``stack``: the test needs a Letta server: its fixture closure holds the session ``stack`` fixture (directly or
  through ``client``, ``make_agent`` or any fixture built on them), or a fixture in ``_OWN_SERVER`` that starts a
  server of its own.
- ``slow``: no server, but a long build (the wheel, the docs site); a fixture in ``_SLOW``.

Tests that use a recording (the ``letta`` fixture, tests/replay.py) run twice: ``[replay]`` in the fast tier and
``[live]`` marked ``stack``. ``pytest --record`` (``make record``) runs only the live ones and rewrites their recordings.
"""

from __future__ import annotations

import inspect
import uuid
from pathlib import Path

import pytest
from replay import agent_settings, letta, markup, mode, new_agent, recording  # noqa: F401  (fixtures, for every test module)

import letta_nb
from letta_nb.local.stack import Stack

TESTS = Path(__file__).resolve().parent
# (file under tests/, fixture name) of the fixtures that start a Letta server without the session `stack` fixture.
_OWN_SERVER = {
    ("test_stack.py", "fresh"),  # a Stack on its own state directory and ports; the tests call fresh.up()
    ("test_binder.py", "binder"),  # binder/postBuild and binder/start, which runs `letta-nb up` in the background
    ("test_room.py", "room"),  # a Stack of its own, served as a room
}
# (file under tests/, fixture name) of the fixtures that need no server but take tens of seconds or more.
_SLOW = {
    ("test_wheel.py", "wheel"),  # `uv build --wheel`
    ("test_docs_site.py", "site"),  # scripts/docs.py: the whole mkdocs site of the chapters
}


def _fixture_sources(item: pytest.Item) -> set[tuple[str, str]]:
    """(file under tests/, name) of every fixture in the item's closure, as defined where the item sees it."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:  # not a python test function (e.g. an nbval cell)
        return set()
    found = set()
    for name in info.names_closure:
        defs = info.name2fixturedefs.get(name)
        if not defs:  # pseudo-fixtures such as `request`, or direct parametrization
            continue
        try:
            source = Path(inspect.getsourcefile(defs[-1].func)).resolve()
        except (AttributeError, TypeError):  # a fixture without a source file
            continue
        found.add((source.relative_to(TESTS).as_posix() if source.is_relative_to(TESTS) else str(source), name))
    return found


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--record", action="store_true", default=False,
                     help="run only the live side of the recorded tests and rewrite tests/recordings/ (make record)")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.replay_report = report  # a failed live run does not overwrite its recording (tests/replay.py)
    return report


def _live_side(item: pytest.Item) -> bool:
    spec = getattr(item, "callspec", None)
    return spec is not None and spec.params.get("mode") == "live"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("record"):
        config.hook.pytest_deselected(items=[item for item in items if not _live_side(item)])
        items[:] = [item for item in items if _live_side(item)]
    for item in items:
        sources = _fixture_sources(item)
        if ("conftest.py", "stack") in sources or sources & _OWN_SERVER:
            item.add_marker(pytest.mark.stack)
        if sources & _SLOW:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def stack() -> Stack:
    stack = Stack()
    stack.up()
    return stack


@pytest.fixture(scope="session")
def client(stack):
    return letta_nb.connect()


@pytest.fixture
def make_agent(client):
    """Create offline-model agents with unique names; all are deleted after the test."""
    created = []

    def make(**kwargs):
        agent = client.agents.create(**agent_settings(**{"name": f"test-{uuid.uuid4().hex[:8]}", **kwargs}))
        created.append(agent.id)
        return agent

    yield make
    for agent_id in created:
        client.agents.delete(agent_id)
