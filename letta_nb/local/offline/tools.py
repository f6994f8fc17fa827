"""Which of the agent's own tools a request is for, by meaning.

A tool is described by its name, its description and its parameters' docs (its "card"). A request fits a tool when
e5 puts it clearly closer to that card than to a set of unrelated tool cards (:data:`DECOYS`, the baseline that makes
e5's narrow band of similarities readable), helped by the words they share; without e5, by shared words alone. A tool
that changes something (adds, sends, books, deletes...) is only chosen for a request to change it, never for a
question: "what's on my to-do list?" does not add the question to the list.

Letta's own tools (memory, search, files, send_message) are never chosen this way: intents decide on those.
"""

from __future__ import annotations

import functools
import re

from . import language as L
from . import vectors

LETTA_TOOLS = {
    "send_message", "memory_insert", "memory_replace", "memory_rethink", "memory_finish_edits", "memory",
    "core_memory_append", "core_memory_replace", "conversation_search", "archival_memory_insert",
    "archival_memory_search", "open_files", "grep_files", "semantic_search_files", "web_search", "fetch_webpage",
    "run_code", "send_message_to_agent_async", "send_message_to_agent_and_wait_for_reply",
    "send_message_to_agents_matching_tags", "memory_apply_patch",
}
CHANGES = {"add", "put", "create", "insert", "append", "remove", "delete", "drop", "clear", "update", "set", "change",
           "edit", "send", "post", "book", "reserve", "order", "buy", "purchase", "schedule", "cancel", "confirm", "pay",
           "transfer", "save", "store", "write", "record", "log", "mark", "complete", "finish", "assign", "move",
           "rename", "submit", "register", "invite", "email", "message", "notify", "text", "approve", "reject", "reset",
           "charge", "refund", "bill", "invoice", "share", "publish", "upload", "archive", "tick", "start", "stop", "stick",
           "pop", "jot", "note"}
DECOYS = ("translate text: Translate a text into another language.", "play music: Play a song on the speakers.",
          "define word: Look up the meaning of a word in the dictionary.", "send email: Send an email to a contact.",
          "get stock price: Get the latest price of a company's shares.", "book table: Book a table at a restaurant.",
          "count words: Count the words in a text.", "create event: Add an event to the calendar.",
          "get news: Get today's top news headlines.", "set alarm: Set an alarm for a time of day.",
          "search recipes: Find recipes that use an ingredient.", "track parcel: Track a parcel by its number.")
FIT = 0.045  # how far above the decoys' mean a card must be (e5); below it, words must do it
# When no intent of the model's own is close to the sentence, a weaker fit is enough: the alternative is "I didn't
# understand", and the tool's own arguments must still be found in the message. Measured on the development sets'
# rows with custom tools and the golden corpus (benchmarks/results.md).
FIT_UNCONTESTED = 0.015
_WORD_FIT = 2  # without e5: a word of the name (counts twice) or two words of the docs


def custom_tools(tools: dict[str, dict]) -> list[str]:
    return sorted(name for name in tools if name not in LETTA_TOOLS)


def card(name: str, schema: dict) -> str:
    description = (schema.get("description") or "").split("\n\n")[0]
    params = (schema.get("parameters") or {}).get("properties") or {}
    docs = "; ".join(f"{p}: {spec.get('description', '')}".strip(": ") for p, spec in params.items())
    return f"{name.replace('_', ' ')}: {description} {docs}".strip()


def changes(name: str, schema: dict) -> bool:
    """Whether a tool changes something, by the verb its name or description starts with."""
    first = re.split(r"[_\s]", name.lower(), maxsplit=1)[0]
    described = re.match(r"[a-z]+", (schema.get("description") or "").lower())
    return first in CHANGES or bool(described and described.group(0) in CHANGES and first not in ("get", "list", "check",
                                                                                                    "find", "read", "show"))


def _doc_words(schema: dict) -> set[str]:
    description = (schema.get("description") or "").split("\n\n")[0]
    params = (schema.get("parameters") or {}).get("properties") or {}
    return L.words(description) | L.words(" ".join(str(p.get("description", "")) for p in params.values()))


def word_score(text: str, name: str, schema: dict) -> int:
    said = L.words(text)
    return 2 * len(said & L.words(name)) + len(said & (_doc_words(schema) - L.words(name)))


@functools.lru_cache(maxsize=1)
def _baseline_cards() -> tuple[tuple[float, ...], ...]:
    return tuple(vectors.passage_vector(d) for d in DECOYS)


def _dot(a, b) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def rank(text: str, tools: dict[str, dict]) -> list[tuple[float, str]]:
    """Custom tools by how well they fit ``text``, best first, with a score where 0 is a decoy's fit."""
    names = custom_tools(tools)
    if not names:
        return []
    if vectors.engine() != "e5-small":
        return sorted(((float(word_score(text, n, tools[n])), n) for n in names), key=lambda p: (-p[0], p[1]))
    query = vectors.query_vector(text)
    baseline = sum(_dot(query, d) for d in _baseline_cards()) / len(DECOYS)
    scored = [(_dot(query, vectors.passage_vector(card(n, tools[n]))) - baseline
               + 0.02 * min(word_score(text, n, tools[n]), 3), n) for n in names]
    return sorted(scored, key=lambda p: (-p[0], p[1]))


def fits(score: float, uncontested: bool = False) -> bool:
    if vectors.engine() != "e5-small":
        return score >= _WORD_FIT
    return score >= (FIT_UNCONTESTED if uncontested else FIT)


def choose(text: str, tools: dict[str, dict], form: str, uncontested: bool = False) -> tuple[str | None, str | None]:
    """(the tool for this request, a tool that would fit but only changes things when this is a question).
    ``uncontested``: no intent of the model's own answers the sentence, so a weaker fit will do (:data:`FIT_UNCONTESTED`)."""
    ranked = [(s, n) for s, n in rank(text, tools) if fits(s, uncontested)]
    refused = None
    # "don't book anything yet, just tell me if...": a sentence that forbids a change is never one for a tool that changes
    forbids = bool(re.search(rf"\b(?:don't|do not|never|no need to)\s+(?:\w+\s+)?(?:{'|'.join(CHANGES)})\b", text, re.I))
    for _, name in ranked:
        if (form == "question" or forbids) and changes(name, tools[name]):
            refused = refused or name
            continue
        return name, refused
    return None, refused
