"""Chapter 10: forget a user: their own agents of this application (with their blocks) and their conversations on the
shared support agent, and nothing of anybody else's.

The checker builds its own small world with unique names, so a wrong answer can never touch the chapter's users:
two agents of the user in this application, one of another user, one of the same user in another application, and a
support agent with conversations labelled ``user:<id>`` for the user, for a user whose id starts the same way, and for
the other user.
"""

from __future__ import annotations

import uuid

import letta_client

from letta_nb.agents import delete_agents
from letta_nb.connect import default_models

from . import checker, require, stub_returned


def _pair(value):
    return tuple(value) if isinstance(value, (tuple, list)) else value


def _gone(client, block_id: str) -> bool:
    try:
        client.blocks.retrieve(block_id)
    except letta_client.NotFoundError:
        return True
    return False


@checker("10", hint="two tags at once: client.agents.list(tags=[...], match_all_tags=True), or "
                    "letta_nb.delete_agents(client, tags=[...]), which also deletes the blocks; then "
                    "client.conversations.list(agent_id=support_id) and client.conversations.delete(conv.id) for the "
                    "summaries equal to f'user:{user_id}'")
def check(forget_user, *, client) -> str:
    run = uuid.uuid4().hex[:6]
    user, lookalike, other = f"carol{run}", f"carol{run}x", f"dave{run}"
    app, other_app = f"nb10-exercise-{run}", f"nb10-other-app-{run}"
    model, embedding = default_models(client)

    def make(name: str, tags: list[str]):
        return client.agents.create(name=f"nb10-exercise-{name}-{run}", model=model, embedding=embedding, tags=tags,
                                    memory_blocks=[{"label": "human", "value": f"Agent {name}"}])

    made, blocks = [], {}
    try:
        support = make("support", [app])
        made.append(support)
        # someone with nothing to forget first: cheap, and a stub stops here before the world is built
        nothing = forget_user(client, f"nobody{run}", app, support.id)
        stub_returned(nothing, "forget_user")
        require(support.id in {a.id for a in client.agents.list(tags=[app])},
                "forgetting a user who has nothing deleted the support agent, which carries only the application's "
                "tag: find the user's agents by both tags together (match_all_tags=True), not by either")
        require(_pair(nothing) == (0, 0),
                f"a user with no agents and no conversations should give (0, 0), got {nothing!r}")
        carol = [make(f"{user}-1", [f"user:{user}", app]), make(f"{user}-2", [f"user:{user}", app])]
        dave = make(other, [f"user:{other}", app])
        elsewhere = make(f"{user}-elsewhere", [f"user:{user}", other_app])
        made += [*carol, dave, elsewhere]
        conversations = {who: client.conversations.create(agent_id=support.id, summary=f"user:{who}").id
                         for who in (user, lookalike, other)}
        blocks = {a.id: [b.id for b in client.agents.blocks.list(agent_id=a.id)] for a in made}

        result = forget_user(client, user, app, support.id)
        stub_returned(result, "forget_user")
        left = {a.id for a in client.agents.list(tags=[app])} | {a.id for a in client.agents.list(tags=[other_app])}
        require(dave.id in left, "another user's agent of this application was deleted: find the user's agents by "
                                 "both tags together (match_all_tags=True), not by either")
        require(elsewhere.id in left, "the same user's agent of another application was deleted: require the "
                                      "application's tag as well as the user's")
        require(support.id in left, "the shared support agent was deleted: only its conversations with this user go")
        require(not {a.id for a in carol} & left, "the user's agents of this application are still there")
        require(all(_gone(client, b) for a in carol for b in blocks[a.id]),
                "the deleted agents' memory blocks are still on the server (letta 0.16.8 keeps them): delete them "
                "too, e.g. with letta_nb.delete_agents")
        remaining = {c.id for c in client.conversations.list(agent_id=support.id)}
        require(conversations[user] not in remaining, "the user's conversation on the support agent is still there")
        require(conversations[lookalike] in remaining and conversations[other] in remaining,
                "a conversation of another user was deleted: summary_search matches any summary that *contains* the "
                f"text (user:{lookalike} contains user:{user}); keep only the summaries equal to it")
        require(_pair(result) == (2, 1), "forget_user should return (agents deleted, conversations deleted), here "
                                         f"(2, 1); it returned {result!r}")
        again = forget_user(client, user, app, support.id)
        require(_pair(again) == (0, 0), f"forgetting the same user again should delete nothing, (0, 0); got {again!r}")
        return "forget_user deleted exactly the user's agents, their blocks and their conversation, nobody else's"
    finally:
        for tag in (app, other_app):
            delete_agents(client, tags=[tag])
        for agent in made:  # blocks that a bare agents.delete left behind
            for block_id in blocks.get(agent.id, []):
                if not _gone(client, block_id) and not list(client.blocks.agents.list(block_id, limit=1)):
                    client.blocks.delete(block_id)
