"""Chapter 12: clone an agent through an agent file: a new agent with the same memory (its own copies of the blocks),
tools, tags, model, history and secret values, under a new name."""

from __future__ import annotations

import uuid

from letta_nb.agents import delete_agents
from letta_nb.content import text_of

from . import checker, require, stub_returned

CHAT = ("user_message", "assistant_message")
INCLUDE = ["agent.blocks", "agent.tools", "agent.tags", "agent.secrets"]


def _history(client, agent_id: str) -> list[tuple[str, str]]:
    return [(m.message_type, text_of(m)) for m in client.agents.messages.list(agent_id, order="asc", limit=100)
            if m.message_type in CHAT]


@checker("12", hint="export with client.agents.export_file(agent_id); read the secret values with "
                    "client.agents.retrieve(agent_id, include=['agent.secrets']).secrets; import with "
                    "client.agents.import_file(file=(f'{new_name}.af', af.encode()), override_name=new_name, "
                    "secrets=json.dumps({s.key: s.value for s in ...})) and return "
                    "client.agents.retrieve(result.agent_ids[0])")
def check(clone, *, client, agent_id: str) -> str:
    original = client.agents.retrieve(agent_id, include=INCLUDE)
    new_name = f"{original.name}-twin-{uuid.uuid4().hex[:6]}"
    default_copy = f"{original.name}_copy"  # what import_file calls it without override_name
    copies_before = {a.id for a in client.agents.list(name=default_copy)}
    try:
        twin = clone(client, agent_id, new_name)
        stub_returned(twin, "clone")
        require(getattr(twin, "id", None), f"clone should return the new agent's AgentState, got {type(twin).__name__}")
        require(twin.id != agent_id, "clone returned the original agent: import the agent file to make a new one")
        twin = client.agents.retrieve(twin.id, include=INCLUDE)
        require(twin.name == new_name, f"the clone should be called {new_name!r}, not {twin.name!r}: "
                                       "import_file names it '<name>_copy' unless you pass override_name")
        blocks = {b.label: b.value for b in original.memory.blocks}
        require({b.label: b.value for b in twin.memory.blocks} == blocks, "the clone's memory blocks differ from "
                                                                          "the original's")
        require(not {b.id for b in twin.memory.blocks} & {b.id for b in original.memory.blocks},
                "the clone shares the original's blocks (the same block ids), so an edit of one changes the other: "
                "an imported agent gets its own copies")
        require({t.name for t in twin.tools} == {t.name for t in original.tools},
                f"the clone's tools {sorted(t.name for t in twin.tools)} differ from the original's "
                f"{sorted(t.name for t in original.tools)}")
        require(sorted(twin.tags) == sorted(original.tags), f"the clone's tags {twin.tags} differ from {original.tags}")
        require(twin.model == original.model, f"the clone runs on {twin.model}, the original on {original.model}")
        secrets = {v.key: v.value for v in original.secrets or []}
        require({v.key: v.value for v in twin.secrets or []} == secrets,
                f"the clone's secrets {sorted(v.key for v in twin.secrets or [])} lack the original's values: the "
                "agent file keeps only their names; pass the values with import_file(..., secrets=json.dumps({...}))")
        history = _history(client, agent_id)
        require(_history(client, twin.id) == history, f"the clone should carry the original's {len(history)} "
                                                      "messages: export them too (no scrub_messages)")
        return f"clone made {new_name}: the same blocks (its own copies), tools, tags, model, history and secrets"
    finally:
        delete_agents(client, name=new_name)
        if not copies_before:
            delete_agents(client, name=default_copy)
