"""Re-runnable agent creation: notebooks and scripts that run twice must not pile up duplicates."""

from __future__ import annotations

import contextlib
from collections.abc import Collection
from typing import Any, Literal

import letta_client
from letta_client import Letta

from .connect import default_models
from .errors import translated
from .exceptions import LettaNbError, NotFound

DEFAULT_ARCHIVE = "Default archive created automatically"
# fresh_agent marks what it creates, so that a re-run replaces its own agent and never someone else's of that name.
FRESH_TAG = "letta-nb"
# The relations agents.retrieve and agents.list fill in when asked (letta-client spells them out, with no name).
AgentInclude = Literal["agent.blocks", "agent.identities", "agent.managed_group", "agent.pending_approval",
                       "agent.secrets", "agent.sources", "agent.tags", "agent.tools"]
# What find_agent asks the server to fill in: everything a fork or an export reads.
AGENT_INCLUDE: list[AgentInclude] = ["agent.blocks", "agent.tools", "agent.tags", "agent.secrets"]


def delete_agents(client: Letta, *, name: str | None = None, tags: list[str] | None = None,
                  keep: Collection[str] = ()) -> int:
    """Delete every agent with this exact name (or carrying all these tags), with the memory only it used.

    Letta 0.16.8 keeps an agent's blocks and its default archive when the agent is deleted; left alone they pile up
    run after run. So its blocks that no other agent is attached to, and its automatic archive, go too: blocks still
    shared with another agent stay, and so do the blocks whose ids are in ``keep`` (a block you made with
    ``client.blocks.create`` and want to attach again). Returns how many agents went.
    """
    if name is None and not tags:
        raise ValueError("delete_agents needs a name or tags, so that it never deletes everything")
    with translated():
        # Collected before deleting: deleting while paging makes the server's cursor skip or repeat items.
        found = [a for a in client.agents.list(name=name, tags=tags, match_all_tags=True, include=["agent.managed_group"])
                 if name is None or a.name == name]
        for agent in found:
            # A sleeptime group's other agents go with the main agent, but their own blocks (memory_persona) would
            # stay: delete them first, the same way.
            group = agent.multi_agent_group
            for helper_id in [i for i in (group.agent_ids if group else []) if i != agent.id]:
                _delete_with_memory(client, client.agents.retrieve(helper_id), keep)
            _delete_with_memory(client, agent, keep)
    return len(found)


def _delete_with_memory(client: Letta, agent: Any, keep: Collection[str]) -> None:
    blocks = [b.id for b in client.agents.blocks.list(agent_id=agent.id)]
    archives = [a.id for a in client.archives.list(agent_id=agent.id)
                if a.description == DEFAULT_ARCHIVE and a.name == f"{agent.name}'s Archive"]
    _delete_quietly(client.agents.delete, agent.id)
    for block_id in blocks:
        if block_id not in keep and not list(client.blocks.agents.list(block_id, limit=1)):
            _delete_quietly(client.blocks.delete, block_id)
    for archive_id in archives:
        _delete_quietly(client.archives.delete, archive_id)


def _delete_quietly(delete, item_id: str) -> None:
    with contextlib.suppress(letta_client.NotFoundError):  # someone else cleaned it up first
        delete(item_id)


def fresh_agent(client: Letta, name: str, **kwargs: Any):
    """Create agent ``name`` after deleting the agent that an earlier ``fresh_agent(client, name)`` created.

    Only agents that ``fresh_agent`` made are replaced: it tags them ``letta-nb`` (besides your ``tags``), and an
    agent of the same name without that tag, made by other code or by hand, is left alone. So a notebook can be run
    again and again without piling up copies. ``model`` and ``embedding`` default to
    :func:`letta_nb.default_models` for this server, so the same call works on the local stack (offline model) and
    on Letta Cloud.
    """
    delete_agents(client, name=name, tags=[FRESH_TAG], keep=kwargs.get("block_ids") or ())
    kwargs["tags"] = [*(kwargs.get("tags") or []), *([] if FRESH_TAG in (kwargs.get("tags") or []) else [FRESH_TAG])]
    if "model" not in kwargs or "embedding" not in kwargs:
        model, embedding = default_models(client)
        kwargs.setdefault("model", model)
        kwargs.setdefault("embedding", embedding)
    with translated():
        return client.agents.create(name=name, **kwargs)


def find_agent(client: Letta, agent: Any) -> Any:
    """The AgentState of ``agent``: an AgentState (fetched again, so it is current), an agent id, or an exact name.

    A name must be unambiguous; the error says how to pick one of several agents that share it.
    """
    ref = getattr(agent, "id", agent)
    if not isinstance(ref, str) or not ref:
        raise LettaNbError(f"Expected an agent, its id or its name, not {type(agent).__name__}.")
    with translated():
        if ref.startswith("agent-"):
            return client.agents.retrieve(ref, include=AGENT_INCLUDE)
        found = [a for a in client.agents.list(name=ref) if a.name == ref]
        if not found:
            raise NotFound(f"No agent is called {ref!r} on this server: check the name (client.agents.list() lists "
                               "them) or pass the agent's id.")
        if len(found) > 1:
            raise LettaNbError(f"{len(found)} agents are called {ref!r}: pass the id of the one you mean "
                               f"({', '.join(a.id for a in found)}).")
        return client.agents.retrieve(found[0].id, include=AGENT_INCLUDE)
