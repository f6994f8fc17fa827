"""Chapter 15's app: a personal assistant, one Letta agent per user, found again by its tags.

The chapter walks through it method by method and prints the important ones with ``inspect.getsource``.
"""

from __future__ import annotations

import letta_nb
from letta_nb.stream import stream


class Assistant:
    """A personal assistant app: one Letta agent per user, found again by its tags."""

    def __init__(self, client, app: str, *, model: str, embedding: str, persona: str, shared_blocks: list = ()):
        self.client, self.app = client, app
        self.model, self.embedding = model, embedding
        self.shared_blocks = list(shared_blocks)  # attached to every agent: the same block ids
        self.tools = []  # attached to every agent: the same tool ids
        self.own_blocks = [{"label": "persona", "value": persona}]  # every agent gets its own copy

    # ---- which agent
    def tags(self, user: str) -> list[str]:
        return [self.app, f"user:{user}"]

    def agent(self, user: str):
        """The user's agent: found by both tags, created the first time (get-or-create)."""
        found = list(self.client.agents.list(tags=self.tags(user), match_all_tags=True))
        if found:
            return found[0]
        return self.client.agents.create(
            name=f"{self.app}-assistant-{user}",
            model=self.model,
            embedding=self.embedding,
            tags=self.tags(user),
            memory_blocks=[{"label": "human", "value": f"Name: {user.title()}"}, *self.own_blocks],
            block_ids=[b.id for b in self.shared_blocks],
            tool_ids=[t.id for t in self.tools],
            tools=["archival_memory_insert", "archival_memory_search"],  # not attached by default (chapter 03)
        )

    def users(self) -> list[str]:
        agents = list(self.client.agents.list(tags=[self.app], include=["agent.tags"]))
        return sorted(t.removeprefix("user:") for a in agents for t in a.tags if t.startswith("user:"))

    # ---- chat and memory
    def send(self, user: str, text: str):
        return self.client.agents.messages.create(agent_id=self.agent(user).id,
                                                  messages=[{"role": "user", "content": text}])

    def ask(self, user: str, text: str) -> str:
        replies = [m for m in self.send(user, text).messages if m.message_type == "assistant_message"]
        return " ".join(letta_nb.text_of(m) for m in replies)

    def stream(self, user: str, text: str):
        return stream(self.client, self.agent(user).id, text)  # shows the turn live, returns a Transcript

    def memory(self, user: str) -> list:
        return sorted(self.client.agents.blocks.list(agent_id=self.agent(user).id), key=lambda b: b.label)

    # ---- knowledge
    def learn(self, user: str, text: str, tags: list[str]) -> None:
        self.client.agents.passages.create(agent_id=self.agent(user).id, text=text, tags=tags)

    def lookup(self, user: str, query: str, tags: list[str] | None = None) -> list[str]:
        found = self.client.agents.passages.search(self.agent(user).id, query=query, tags=tags, top_k=3)
        return [r.content for r in found.results]

    # ---- the app's life
    def add_feature(self, tool, block: dict) -> list[str]:
        """Give every user `tool` and an own copy of `block`: new agents at creation, existing agents now."""
        if tool.id not in {t.id for t in self.tools}:
            self.tools.append(tool)
            self.own_blocks.append(block)
        for user in self.users():
            agent_id = self.agent(user).id
            self.client.agents.tools.attach(tool.id, agent_id=agent_id)
            if block["label"] not in {b.label for b in self.memory(user)}:
                own = self.client.blocks.create(**block)
                self.client.agents.blocks.attach(own.id, agent_id=agent_id)
        return self.users()

    def forget(self, user: str) -> int:
        """Delete the user's agent with its own blocks and archive; the shared blocks stay."""
        return letta_nb.delete_agents(self.client, tags=self.tags(user), keep=[b.id for b in self.shared_blocks])
