"""Chapter 03: a note-taking app on archival memory: store notes with a topic tag, find them by meaning."""

from __future__ import annotations

from . import checker, require, stub_returned

OPENS = "The office opens at 9am on weekdays."
COFFEE = "The office kitchen has free coffee."
RAMEN = "Sarah's favourite lunch is ramen."
NOTES = [(OPENS, "office"), (COFFEE, "office"), (RAMEN, "food")]


def _passages_with(client, agent_id: str, text: str) -> list:
    return [p for p in client.agents.passages.list(agent_id=agent_id, search=text) if p.text == text]


def _remove_notes(client, agent_id: str) -> None:
    for text, _ in NOTES:
        for passage in _passages_with(client, agent_id, text):
            client.agents.passages.delete(passage.id, agent_id=agent_id)


@checker("03", hint="store with client.agents.passages.create(agent_id=..., text=..., tags=[topic]); find with "
                    "client.agents.passages.search(agent_id=..., query=..., tags=[topic]) and return "
                    "[r.content for r in found.results]")
def check(store_note, find_notes, *, client, agent_id: str) -> str:
    _remove_notes(client, agent_id)  # what an earlier, interrupted check left
    try:
        for text, topic in NOTES:
            store_note(client, agent_id, text, topic)
        for text, topic in NOTES:
            stored = _passages_with(client, agent_id, text)
            require(len(stored) == 1, f"after store_note the agent should hold one passage {text!r}, it holds {len(stored)}")
            require(list(stored[0].tags or []) == [topic],
                    f"the passage {text!r} should carry the tag {topic!r} and no other, it has {stored[0].tags}")
        notes = find_notes(client, agent_id, "when the office opens", "office")
        stub_returned(notes, "find_notes")
        require(isinstance(notes, list) and all(isinstance(n, str) for n in notes),
                f"find_notes should return a list of strings (the passages' content), got {notes!r:.120}")
        require(RAMEN not in notes, f"the topic tag should keep the other topics out, got {notes}")
        require(sorted(notes) == sorted([OPENS, COFFEE]), f"both office notes, and nothing else, should be found, got {notes}")
        require(notes[0] == OPENS, f"the best match for 'when the office opens' should come first, got {notes}")
        coffee = find_notes(client, agent_id, "free coffee in the kitchen", "office")
        require(coffee and coffee[0] == COFFEE, f"the best match for 'free coffee in the kitchen' should come first, got {coffee}")
        food = find_notes(client, agent_id, "what does Sarah eat for lunch", "food")
        require(food == [RAMEN], f"the food topic holds one note, {RAMEN!r}; got {food}")
    finally:
        _remove_notes(client, agent_id)
    return f"store_note tags each note, find_notes searches one topic by meaning: {notes[0]!r}"
