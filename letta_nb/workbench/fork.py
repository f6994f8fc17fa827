"""``fork``: an independent copy of an agent as it is now, to try a change without touching the original.

The copy goes through an agent file (export, then import), so it has its own memory blocks and the same tools, tool
rules, tags, model and messages. An agent file keeps only the names of secrets; their values are passed to the
import, so the fork's tools see what the original's see.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import letta_client

from ..agents import AGENT_INCLUDE, FRESH_TAG, delete_agents, find_agent
from ..display.dispatch import Ctx, build, fields
from ..display.model import Card, Chip, Node, Para, Span
from ..display.view import Rendered
from ..errors import translated
from ..exceptions import LettaNbError
from ..words import plural


@dataclass(frozen=True, repr=False)
class Fork(Rendered):
    """The new agent (``agent``, an AgentState) and where it came from. ``id`` and ``name`` are the fork's."""

    agent: Any
    original_id: str
    original_name: str

    @property
    def id(self) -> str:
        return self.agent.id

    @property
    def name(self) -> str:
        return self.agent.name

    def _letta_node_(self, ctx: Ctx) -> Node:
        return _card(self, ctx)


def fork(client: letta_client.Letta, agent: Any, name: str | None = None) -> Fork:
    """Copy ``agent`` (an AgentState, id or name) into a new agent ``name`` (default: ``<name>-fork``).

    Re-running replaces the fork made earlier under the same name (forks are tagged ``letta-nb`` like
    :func:`letta_nb.fresh_agent`'s agents, so ``delete_agents(client, name=...)`` or its tags clean them up). Memory
    blocks are the fork's own copies: editing either agent leaves the other as it was. Tools are shared by name, as
    they are between any two agents.
    """
    original = find_agent(client, agent)
    name = name or f"{original.name}-fork"
    if name == original.name:
        raise LettaNbError(f"The fork needs a name of its own, not {name!r}: re-running would replace the original. "
                           f"Pass name='{name}-2' or similar.")
    delete_agents(client, name=name, tags=[FRESH_TAG])
    secrets = {s.key: s.value for s in original.secrets or []}
    extra: dict[str, Any] = {"secrets": json.dumps(secrets)} if secrets else {}
    with translated():
        agent_file = client.agents.export_file(original.id)
        made = client.agents.import_file(file=(f"{name}.af", agent_file.encode()), override_name=name,
                                         **extra)
        copy_id = _main_agent(client, made.agent_ids, name)
        tags = list(original.tags or [])
        if FRESH_TAG not in tags:
            client.agents.update(copy_id, tags=[*tags, FRESH_TAG])
        copy = client.agents.retrieve(copy_id, include=AGENT_INCLUDE)
    return Fork(copy, original.id, original.name)


def _main_agent(client: letta_client.Letta, agent_ids: list[str], name: str) -> str:
    """The fork itself among the agents an import made. A sleeptime agent's file holds its helper too, and the
    import names both ``name``: the helper is renamed ``<name>-sleeptime`` (Letta's own pattern), so that the name
    finds one agent and ``delete_agents`` takes the helper with it, through the group."""
    agents = [client.agents.retrieve(i) for i in agent_ids]
    main = next((a for a in agents if a.agent_type != "sleeptime_agent"), agents[0])
    for helper in agents:
        if helper.id != main.id:
            client.agents.update(helper.id, name=f"{name}-{str(helper.agent_type).removesuffix('_agent')}")
    return main.id


def _card(result: Fork, ctx: Ctx) -> Node:
    agent = result.agent
    secrets = sorted(s.key for s in agent.secrets or [])
    summary = fields(ctx, ctx.field("fork of", result.original_name), ctx.field("original id", result.original_id, "id"),
                     ctx.field("in context", plural(len(agent.message_ids or []), "message")),
                     ctx.field("secrets", [Chip(n, "accent") for n in secrets]))
    note = Para([Span("Its own copies of the memory blocks: editing one agent leaves the other as it was.", "muted")])
    return Card("fork", [Span(agent.name), Chip(f"of {result.original_name}", "accent", flag=True)],
                [summary, note, build(agent, ctx)])
