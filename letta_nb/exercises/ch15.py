"""Chapter 15: onboard a third user, Cy, through the app. The checker runs ``onboard_cy(app)`` and then reads the
server's state: Cy's agent, its note, its memory, its own archive search, and isolation from the app's other users."""

from __future__ import annotations

from typing import Any

from ..content import text_of
from . import checker, require

USER = "cy"
CY_WORDS = ("jazz", "piano")


def _history(client, agent_id: str) -> list:
    return list(client.agents.messages.list(agent_id=agent_id, limit=200))


def _texts(client, agent_id: str) -> list[str]:
    """Everything an agent can read: its blocks, its archive, and its history (message text and tool returns)."""
    texts = [b.value for b in client.agents.blocks.list(agent_id=agent_id)]
    texts += [p.text for p in client.agents.passages.list(agent_id=agent_id)]
    for m in _history(client, agent_id):
        texts.append(m.tool_return if m.message_type == "tool_return_message" else text_of(m))
    return [t or "" for t in texts]


@checker("15", hint="use the app's verbs: app.agent('cy') creates Cy's assistant, app.learn('cy', text, tags) adds the "
                    "note (call it once: each call stores another passage), and app.ask('cy', ...) speaks as Cy: "
                    "once to say that Cy plays jazz piano, once to ask when the lesson is (a question about stored "
                    "knowledge: the agent searches its archive itself)")
def check(onboard_cy, *, app: Any, client) -> str:
    app.forget(USER)  # a fresh start: Cy's agent from an earlier try goes
    others = [user for user in app.users() if user != USER]
    try:
        onboard_cy(app)
        found = list(client.agents.list(tags=app.tags(USER), match_all_tags=True))
        require(found, f"the app finds no agent tagged {app.tags(USER)}: create Cy's assistant through the app, "
                       "app.agent('cy')")
        require(len(found) == 1, f"the app finds {len(found)} agents for cy, not one: create it once, with "
                                 "app.agent('cy') (get-or-create)")
        cy = client.agents.retrieve(found[0].id, include=["agent.blocks", "agent.tools"])
        labels = {b.label for b in cy.blocks}
        expected = {"human", *(b["label"] for b in app.own_blocks), *(b.label for b in app.shared_blocks)}
        require(expected <= labels, f"cy's agent lacks the blocks every user gets, {sorted(expected - labels)} (it "
                                    f"has {sorted(labels)}): let app.agent('cy') create it")
        missing = {t.name for t in app.tools} - {t.name for t in cy.tools}
        require(not missing, f"cy's agent lacks the app's tools {sorted(missing)}: let app.agent('cy') create it")

        passages = list(client.agents.passages.list(agent_id=cy.id))
        notes = [p for p in passages if "piano lesson" in p.text.lower()]
        require(notes, f"cy's archive holds {len(passages)} passages, none about the piano lesson: teach the note with "
                       "app.learn")
        require(len(notes) == 1, f"cy's archive holds {len(notes)} passages about the piano lesson "
                                 f"({', '.join(repr(p.text) for p in notes)}): each app.learn call stores one more, so "
                                 "teach the note once")
        require("music" in (notes[0].tags or []),
                f"the piano note in cy's archive carries {notes[0].tags or 'no tags'}, not the tag music")
        human = next(b.value for b in cy.blocks if b.label == "human")
        require("jazz" in human.lower(), f"cy's human block holds {human!r}, nothing about jazz: the agent saved no "
                                         "such fact; tell it, as Cy (app.ask), that Cy plays jazz piano")
        searches = [m for m in _history(client, cy.id)
                    if m.message_type == "tool_return_message" and m.name == "archival_memory_search"]
        require(searches, "cy's agent never searched its archive (its history has no archival_memory_search): "
                          "app.lookup searches from the app; ask the agent about the lesson, as Cy (app.ask)")
        require(any("piano" in (m.tool_return or "").lower() for m in searches),
                f"cy's agent searched its archive {len(searches)} time(s), and no search returned the piano lesson: "
                "ask about the lesson")

        cy_texts = " ".join(_texts(client, cy.id)).lower()
        for other in others:
            agent_id = app.agent(other).id
            leaked = [w for w in CY_WORDS if any(w in t.lower() for t in _texts(client, agent_id))]
            require(not leaked, f"{other}'s agent can read about cy ({', '.join(leaked)}): isolation is broken")
            theirs = [p.text for p in client.agents.passages.list(agent_id=agent_id)]
            require(not any(t.lower() in cy_texts for t in theirs), f"cy's agent can read {other}'s notes: isolation "
                                                                    "is broken")
        return (f"cy has an assistant of their own with the app's blocks and tools; it found the lesson itself, and "
                f"no other user's agent ({', '.join(others) or 'there are none yet'}) learned about cy")
    finally:
        app.forget(USER)
