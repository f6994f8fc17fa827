# Chapter 16 · a reference solution for the exercise.
import letta_nb


def try_personas(client, agent_id: str, personas: dict, message: str) -> dict:
    original = client.agents.retrieve(agent_id)
    replies = {}
    for label, persona in personas.items():
        copy = letta_nb.fork(client, agent_id, name=f"{original.name}-{label}")
        try:
            client.agents.blocks.update("persona", agent_id=copy.id, value=persona)
            response = client.agents.messages.create(agent_id=copy.id, messages=[{"role": "user", "content": message}])
            replies[label] = "\n".join(letta_nb.text_of(m) for m in response.messages
                                       if m.message_type == "assistant_message")
        finally:
            letta_nb.delete_agents(client, name=copy.name)
    return replies
