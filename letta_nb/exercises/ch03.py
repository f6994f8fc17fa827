"""Chapter 03: a note-taking app on archival memory: store notes with a topic tag, find them by meaning.

The checker runs the learner's functions on a scratch agent of its own, and deletes it with its archive, so the
chapter's agent keeps only the passages the learner put there.
"""

from __future__ import annotations

from . import checker, require, stub_returned
from .scratch import scratch

OPENS = "The office opens at 9am on weekdays."
COFFEE = "The office kitchen has free coffee."
RAMEN = "Sarah's favourite lunch is ramen."
NOTES = [(OPENS, "office"), (COFFEE, "office"), (RAMEN, "food")]


@checker("03", hint="store with client.agents.passages.create(agent_id=..., text=..., tags=[topic]); find with "
                    "client.agents.passages.search(agent_id=..., query=..., tags=[topic]) and return "
                    "[r.content for r in found.results]")
def check(store_note, find_notes, *, client, agent_id: str = "") -> str:
    # agent_id (the chapter's agent) is left alone: the notes go into the archive of a scratch agent.
    with scratch(client, "03") as made:
        agent = made.agent(memory_blocks=[{"label": "persona", "value": "I keep notes."}])
        for text, topic in NOTES:
            store_note(client, agent.id, text, topic)
        passages = list(client.agents.passages.list(agent_id=agent.id))
        for text, topic in NOTES:
            stored = [p for p in passages if p.text == text]
            require(len(stored) == 1, f"after store_note(..., {text!r}, {topic!r}) the agent holds {len(stored)} "
                                      "passages with that text, not one")
            require(topic in (stored[0].tags or []),
                    f"store_note stored {text!r} with the tags {stored[0].tags}, without its topic {topic!r}")

        notes = find_notes(client, agent.id, "when the office opens", "office")
        stub_returned(notes, "find_notes")
        require(isinstance(notes, list) and all(isinstance(n, str) for n in notes),
                f"find_notes returned {notes!r:.120}, not a list of strings (the passages' content)")
        require(RAMEN not in notes, f"find_notes(..., 'office') returned a note of the topic 'food' too: {notes}")
        require(sorted(notes) == sorted([OPENS, COFFEE]),
                f"find_notes(..., 'office') returned {notes}, not the two office notes {[OPENS, COFFEE]}")
        require(notes[0] == OPENS, f"find_notes(..., 'when the office opens', 'office') returned {notes}: the best "
                                   f"match, {OPENS!r}, is not first")
        coffee = find_notes(client, agent.id, "free coffee in the kitchen", "office")
        require(coffee and coffee[0] == COFFEE, f"find_notes(..., 'free coffee in the kitchen', 'office') returned "
                                                f"{coffee}: the best match, {COFFEE!r}, is not first")
        food = find_notes(client, agent.id, "what does Sarah eat for lunch", "food")
        require(food == [RAMEN], f"find_notes(..., 'food') returned {food}, not the one food note [{RAMEN!r}]")
    return f"store_note tags each note, find_notes searches one topic by meaning: {notes[0]!r}"
