"""The agents a checker makes for itself, so that the learner's own agents hold only what the learner put there.

Every name and tag carries a short run id: several learners may share one server (a workshop room), and two checks
running at once must never delete each other's agents.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from letta_client import Letta

from ..agents import delete_agents, fresh_agent


class Scratch:
    """Makes agents named ``nbNN-ex-[role-]RUN``, tagged ``nbNN-exercise`` and ``nbNN-exercise-RUN``."""

    def __init__(self, client: Letta, chapter: str) -> None:
        self.client = client
        self.run = uuid.uuid4().hex[:6]
        self.prefix = f"nb{chapter}-ex"
        self.tag = f"nb{chapter}-exercise"
        self.run_tag = f"{self.tag}-{self.run}"
        self.kept: list[str] = []  # shared blocks the clean-up leaves for the checker to delete itself

    def agent(self, role: str = "", **kwargs: Any):
        """A fresh agent of this check (``role`` tells several apart: ``nb04-ex-sales-RUN``)."""
        name = f"{self.prefix}-{role}-{self.run}" if role else f"{self.prefix}-{self.run}"
        return fresh_agent(self.client, name, tags=[self.tag, self.run_tag, *kwargs.pop("tags", [])], **kwargs)

    def keep(self, block_id: str) -> str:
        """Leave ``block_id`` alone when the agents go (``delete_agents`` deletes their blocks otherwise)."""
        self.kept.append(block_id)
        return block_id


@contextmanager
def scratch(client: Letta, chapter: str) -> Iterator[Scratch]:
    """``with scratch(client, "02") as s: agent = s.agent(memory_blocks=...)``: every agent made is deleted on exit,
    with its blocks, whether the check passed, failed or raised."""
    made = Scratch(client, chapter)
    try:
        yield made
    finally:
        delete_agents(client, tags=[made.run_tag], keep=made.kept)
