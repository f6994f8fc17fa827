# Chapter 03 · a reference solution for the exercise.


def store_note(client, agent_id: str, text: str, topic: str) -> None:
    client.agents.passages.create(agent_id=agent_id, text=text, tags=[topic])


def find_notes(client, agent_id: str, query: str, topic: str) -> list[str]:
    found = client.agents.passages.search(agent_id=agent_id, query=query, tags=[topic])
    return [result.content for result in found.results]
