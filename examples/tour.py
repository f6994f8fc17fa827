"""A tour of the Letta API on whatever `letta_nb.connect()` finds (the offline local stack by default).

    uv run letta-nb up && uv run python examples/tour.py

Creates one agent, uses it for every basic feature, prints one line per step, and deletes the agent at the end
(also when a step fails).
"""

from __future__ import annotations

import inspect

import letta_nb


def lookup_capital(country: str) -> str:
    """Look up the capital city of a country.

    Args:
        country: The country's English name.

    Returns:
        str: The capital, or "unknown".
    """
    capitals = {"france": "Paris", "japan": "Tokyo", "peru": "Lima"}
    return capitals.get(country.lower(), "unknown")


def main() -> None:
    client = letta_nb.connect()
    tool = client.tools.upsert(source_code=inspect.getsource(lookup_capital))
    approval_tool = client.tools.upsert(
        source_code=inspect.getsource(lookup_capital).replace("lookup_capital", "guarded_capital"),
        default_requires_approval=True,
    )
    agent = letta_nb.fresh_agent(
        client, "tour-agent",
        memory_blocks=[{"label": "persona", "value": "I am a concise guide."}, {"label": "human", "value": "Name: unknown"}],
        tools=["archival_memory_insert", "archival_memory_search"],
        tool_ids=[tool.id, approval_tool.id],
    )
    try:
        def say(text: str):
            return client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": text}])

        reply = say("Hello!").messages[-1]
        print("1 message   :", reply.content)

        stream = client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": "What do you know about me?"}],
                                               streaming=True, stream_tokens=True)
        tokens = [c.content for c in stream if c.message_type == "assistant_message"]
        print(f"2 streaming : {len(tokens)} chunks -> {''.join(tokens)!r}")

        client.agents.blocks.update("persona", agent_id=agent.id, value="I am a concise guide who loves maps.")
        say("Hi, I'm Ada")
        print("3 memory    :", client.agents.blocks.retrieve("persona", agent_id=agent.id).value, "|",
              client.agents.blocks.retrieve("human", agent_id=agent.id).value.replace("\n", " / "))

        called = say('call lookup_capital {"country": "Japan"}').messages
        returned = next(m for m in called if m.message_type == "tool_return_message")
        print("4 tool      :", returned.tool_return, f"({returned.status})")

        say("Please note for later that the office wifi password is on the fridge")
        found = client.agents.passages.search(agent_id=agent.id, query="wifi password")
        print("5 archival  :", [r.content for r in found.results])

        conversation = client.conversations.create(agent_id=agent.id)
        text = "".join(c.content for c in client.conversations.messages.create(
            conversation.id, messages=[{"role": "user", "content": "hi from a conversation"}]) if c.message_type == "assistant_message")
        print("6 conversation:", text)

        pending = say('call guarded_capital {"country": "Peru"}')
        request = pending.messages[-1]
        print("7 approval  :", pending.stop_reason.stop_reason, request.tool_call.name, request.tool_call.arguments)
        approved = client.agents.messages.create(agent_id=agent.id, messages=[{"type": "approval", "approvals": [
            {"type": "approval", "tool_call_id": request.tool_call.tool_call_id, "approve": True}]}])
        print("  approved  :", approved.messages[-1].content)
    finally:
        letta_nb.delete_agents(client, name="tour-agent", tags=["letta-nb"])
        print("cleaned up  : agent deleted")


if __name__ == "__main__":
    main()
