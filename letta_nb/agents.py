"""Re-runnable agent creation: notebooks and scripts that run twice must not pile up duplicates."""

from __future__ import annotations

from typing import Any

import letta_client
from letta_client import Letta

from .connect import default_models
from .errors import explain


def delete_agents(client: Letta, *, name: str | None = None, tags: list[str] | None = None) -> int:
    """Delete every agent with this exact name (or carrying all these tags); returns how many went."""
    if name is None and not tags:
        raise ValueError("delete_agents needs a name or tags, so that it never deletes everything")
    try:
        found = [a for a in client.agents.list(name=name, tags=tags, match_all_tags=True) if name is None or a.name == name]
        for agent in found:
            client.agents.delete(agent.id)
    except letta_client.APIError as exc:
        raise explain(exc) from None
    return len(found)


def fresh_agent(client: Letta, name: str, **kwargs: Any):
    """Create agent ``name`` after deleting any agent already called that.

    ``model`` and ``embedding`` default to :func:`letta_nb.default_models` for this server, so the same call works on
    the local stack (offline model) and on Letta Cloud.
    """
    delete_agents(client, name=name)
    if "model" not in kwargs or "embedding" not in kwargs:
        model, embedding = default_models(client)
        kwargs.setdefault("model", model)
        kwargs.setdefault("embedding", embedding)
    try:
        return client.agents.create(name=name, **kwargs)
    except letta_client.APIError as exc:
        raise explain(exc) from None
