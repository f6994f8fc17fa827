"""Shared fixtures: every behaviour test talks to the real local stack (started once, left running)."""

from __future__ import annotations

import uuid

import pytest

import letta_nb
from letta_nb.config import OFFLINE_EMBEDDING_HANDLE, OFFLINE_LLM_HANDLE
from letta_nb.stack import Stack


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
        kwargs.setdefault("name", f"test-{uuid.uuid4().hex[:8]}")
        kwargs.setdefault("model", OFFLINE_LLM_HANDLE)
        kwargs.setdefault("embedding", OFFLINE_EMBEDDING_HANDLE)
        kwargs.setdefault("memory_blocks", [{"label": "human", "value": "Name: unknown"},
                                            {"label": "persona", "value": "I am a test agent."}])
        agent = client.agents.create(**kwargs)
        created.append(agent.id)
        return agent

    yield make
    for agent_id in created:
        client.agents.delete(agent_id)
