"""Clean-up: everything a participant owns on a server, found by their names and tag, deleted; and, for a host after a
workshop, the participants a server has seen.

How a resource is recognised as a participant's (``cleanup`` uses exactly these rules):


| resource      | it is alice's when                                                                        |
|---------------|-------------------------------------------------------------------------------------------|
| agent         | its name starts with ``alice--`` or it carries the tag ``participant:alice``              |
| conversation  | it belongs to one of alice's agents, or its summary starts with ``alice--``               |
| block         | it carries the tag ``participant:alice``, or it has no tags and every agent it is attached |
|               | to is alice's (the memory blocks created with her agents); tag shared blocks to keep them |
| tool          | its name starts with ``alice__`` (tool names are Python identifiers) or it carries the tag |
| folder        | its name starts with ``alice--`` or its metadata says ``participant: alice``               |
| archive       | its name starts with ``alice--`` (an agent's own archive is named after the agent)        |
| identity      | its identifier key or name starts with ``alice--``                                        |

Participant names are slugs (lowercase letters, digits, single dashes, a letter first), so ``alice--`` is never a
prefix of another participant's names: ``al`` owns ``al--x`` but not ``alice--x`` or ``al-b--x``.
"""

from __future__ import annotations

import contextlib
from typing import Any, cast

import letta_client
from letta_client import Letta

from ..errors import translated
from .names import TAG_PREFIX, Namespace, slugify


def _identities(client: Letta) -> list[dict]:
    found: list[dict] = []
    after = None
    while True:
        params: dict[str, Any] = {"limit": 100}
        if after:
            params["after"] = after
        page = cast("list[dict]", client.get("/v1/identities/", cast_to=object, options={"params": params}))
        found.extend(page)
        if len(page) < 100:
            return found
        after = page[-1]["id"]


def _conversations(client: Letta, **query: Any) -> list:
    found: list = []
    after = None
    while True:
        cursor: dict[str, Any] = {"after": after} if after else {}
        page = client.conversations.list(limit=100, **query, **cursor)
        found.extend(page)
        if len(page) < 100:
            return found
        after = page[-1].id


def _plan(client: Letta, who: Namespace) -> dict[str, dict[str, str]]:
    """id -> name of everything ``who`` owns, per kind (the table in this module's docstring)."""
    agents = {a.id: a.name for a in client.agents.list(tags=[who.tag])}
    agents.update({a.id: a.name for a in client.agents.list(query_text=who.prefix) if who.owns_name(a.name)})

    conversations = {c.id: c.summary or c.id for agent_id in agents for c in _conversations(client, agent_id=agent_id)}
    conversations.update({c.id: c.summary for c in _conversations(client, summary_search=who.prefix)
                          if who.owns_name(c.summary)})

    blocks = {b.id: b.label for b in client.blocks.list(tags=[who.tag])}
    for agent_id in agents:
        for block in client.agents.blocks.list(agent_id=agent_id):
            if block.id in blocks or block.tags:
                continue
            if all(a.id in agents for a in client.blocks.agents.list(block_id=block.id)):
                blocks[block.id] = block.label

    tools = {t.id: t.name for t in client.tools.list()
             if (t.name or "").startswith(who.tool_prefix) or who.tag in (t.tags or [])}
    folders = {f.id: f.name for f in client.folders.list()
               if who.owns_name(f.name) or (f.metadata or {}).get("participant") == who.slug}
    archives = {a.id: a.name for a in client.archives.list() if who.owns_name(a.name)}
    identities = {i["id"]: i["identifier_key"] for i in _identities(client)
                  if who.owns_name(i.get("identifier_key")) or who.owns_name(i.get("name"))}
    return {"conversations": conversations, "agents": agents, "blocks": blocks, "tools": tools, "folders": folders,
            "archives": archives, "identities": identities}


def cleanup(client: Letta, who: Namespace | str, *, dry_run: bool = False) -> dict[str, list[str]]:
    """Delete everything ``who`` owns on this server (see the module docstring) and nothing else.

    Returns the names deleted (or, with ``dry_run``, that would be) per kind: conversations, agents, blocks, tools,
    folders, archives, identities.
    """
    if isinstance(who, str):
        who = Namespace.of(who)
    deleters = {
        "conversations": client.conversations.delete, "agents": client.agents.delete, "blocks": client.blocks.delete,
        "tools": client.tools.delete, "folders": client.folders.delete, "archives": client.archives.delete,
        "identities": lambda identity_id: client.delete(f"/v1/identities/{identity_id}", cast_to=object),
    }
    with translated():
        plan = _plan(client, who)
        if not dry_run:
            for kind, items in plan.items():  # conversations before agents, agents before their blocks
                for item_id in items:
                    with contextlib.suppress(letta_client.NotFoundError):  # gone with its agent
                        deleters[kind](item_id)
    return {kind: sorted(items.values()) for kind, items in plan.items()}


def participants(client: Letta) -> list[str]:
    """The participants whose tag appears on this server's agents (for a host cleaning up after a workshop)."""
    with translated():
        tags = client.tags.list(query_text=TAG_PREFIX, limit=1000)
    return sorted({t.removeprefix(TAG_PREFIX) for t in tags if t.startswith(TAG_PREFIX) and slugify(t[len(TAG_PREFIX):])})

