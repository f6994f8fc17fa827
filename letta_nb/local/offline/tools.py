"""Choosing a custom tool by what the user asks, and filling its arguments from their words.

A tool matches when words of its name, description or parameter docs occur in the request: a word of the name counts
twice, so "what's the weather in Oslo?" picks ``get_weather(city)`` and fills ``city="Oslo"``. Letta's own tools
(memory, search, files, send_message) are never matched this way: the agent decides on those by its own rules.
"""

from __future__ import annotations

import json
import re
from typing import Any

LETTA_TOOLS = {
    "send_message", "memory_insert", "memory_replace", "memory_rethink", "memory_finish_edits", "memory",
    "core_memory_append", "core_memory_replace", "conversation_search", "archival_memory_insert",
    "archival_memory_search", "open_files", "grep_files", "semantic_search_files", "web_search", "fetch_webpage",
    "run_code", "send_message_to_agent_async", "send_message_to_agent_and_wait_for_reply",
    "send_message_to_agents_matching_tags", "memory_apply_patch",
}
STOP = set("""a an the and or but if of to in on at for from by with about as is are was were be been being am do does
did done have has had having i me my mine you your yours we our us it its this that these those there here what which
who whom whose when where why how can could would should will shall may might must please tell give get got show let
make want need like just also some any all not no yes so than then into out up down over under again very really
today now one two it's i'm what's that's there's return returns returned str int float bool list dict none args
value values tool function call use using""".split())
_PLACE_PARAMS = ("city", "location", "place", "town", "country", "destination", "region", "where")
_NAME_PARAMS = ("name", "person", "user", "username", "who", "recipient", "customer")
_NUMBER_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "hundred": 100}


def stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ies", "ing", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def words(text: str) -> set[str]:
    """Content words, stemmed; hyphens dropped, so "to-do" and "todo" (or "e-mail" and "email") are one word."""
    return {stem(w.replace("-", "")) for w in re.findall(r"[A-Za-z][A-Za-z'-]+", text.replace("_", " "))
            if w.lower() not in STOP and len(w) > 2}


def _doc_words(schema: dict) -> set[str]:
    description = (schema.get("description") or "").split("\n\n")[0]
    params = (schema.get("parameters") or {}).get("properties") or {}
    return words(description) | words(" ".join(str(p.get("description", "")) for p in params.values()))


def score(text: str, name: str, schema: dict) -> int:
    said = words(text)
    return 2 * len(said & words(name)) + len(said & (_doc_words(schema) - words(name)))


def best_tool(text: str, tools: dict[str, dict]) -> str | None:
    """The custom tool that fits the request best, if any fits: at least a word of its name, or two of its docs."""
    ranked = sorted(((score(text, name, schema), name) for name, schema in tools.items() if name not in LETTA_TOOLS),
                    key=lambda pair: (-pair[0], pair[1]))
    return ranked[0][1] if ranked and ranked[0][0] >= 2 else None


# ---------------------------------------------------------------------------------------------- arguments
def json_object(text: str) -> dict | None:
    start = text.find("{")
    if start < 0:
        return None
    try:
        value = json.loads(text[start: text.rfind("}") + 1])
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _numbers(text: str) -> list[float]:
    found = []
    for token in re.findall(r"-?\d+(?:\.\d+)?|[A-Za-z]+", text):
        if re.fullmatch(r"-?\d+(?:\.\d+)?", token):
            found.append(float(token))
        elif token.lower() in _NUMBER_WORDS:
            found.append(float(_NUMBER_WORDS[token.lower()]))
    return found


def _proper_nouns(text: str) -> list[str]:
    """Capitalised words that do not start the sentence: 'Oslo', 'New York'."""
    found = []
    for match in re.finditer(r"(?<![.!?]\s)(?<!^)\b([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*)", text):
        if match.start() > 0 and match.group(1) not in ("I", "I'm", "I've", "I'd", "I'll"):
            found.append(match.group(1))
    return found


def _phrase_after(text: str, *markers: str) -> str | None:
    for marker in markers:
        match = re.search(rf"\b{marker}\s+(.+?)(?:[.!?]|$)", text, re.I)
        if match:
            return match.group(1).strip(" \"'")
    return None


_LIST_ITEM = re.compile(r"\b(?:add|put|pop|write|stick)\s+(.+?)\s+(?:to|on|onto|in|into)\s+(?:my|the|our|your)\s+"
                        r"(?:[\w-]+\s+){0,2}?list\b", re.I)


def _list_item(text: str) -> str | None:
    """What goes on a list: "put booking the train on my to-do list" -> "booking the train"; "update my list: buy
    sunscreen" -> "buy sunscreen"."""
    match = _LIST_ITEM.search(text) or re.match(r"^[^:]{3,60}:\s+(.+?)\s*$", text, re.S)
    return match.group(1).strip(" \"'") if match else None


def fill(schema: dict, text: str) -> tuple[dict[str, Any], list[str]]:
    """Arguments for ``schema`` from the user's words: a JSON object if they gave one, else each parameter by its
    name and type. Also the required parameters the words did not supply (filled with a placeholder)."""
    given = json_object(text)
    if given is not None:
        return given, []
    params = (schema.get("parameters") or {}).get("properties") or {}
    required = (schema.get("parameters") or {}).get("required") or []
    quoted = re.findall(r"[\"“']([^\"”']{2,})[\"”']", text)
    numbers = _numbers(text)
    nouns = _proper_nouns(text)
    arguments: dict[str, Any] = {}
    absent: list[str] = []
    for name, spec in params.items():
        kind = spec.get("type", "string")
        lowered = name.lower()
        value: Any = None
        if "enum" in spec:
            value = next((option for option in spec["enum"] if str(option).lower() in text.lower()), None)
        elif kind in ("integer", "number"):
            if numbers:
                number = numbers.pop(0)
                value = int(number) if kind == "integer" else number
        elif kind == "boolean":
            value = bool(re.search(r"\b(yes|true|please do|enable|on)\b", text, re.I)) if name in required else None
        elif kind == "array":
            value = quoted or None
        elif kind == "string":
            if any(p in lowered for p in _PLACE_PARAMS):
                value = _phrase_after(text, "in", "at", "for", "to") if not nouns else nouns[-1]
                if value and nouns:
                    value = next((n for n in nouns if n in value), value)
            elif any(p in lowered for p in _NAME_PARAMS):
                value = nouns[0] if nouns else None
            elif quoted:
                value = quoted.pop(0)
            else:
                value = (_list_item(text)
                         or _phrase_after(text, "about", "for", "called", "named", "of", "that", "saying") or text)
        if value is not None:
            arguments[name] = value
        elif name in required:
            absent.append(name)
            defaults = {"string": text, "integer": 0, "number": 0, "boolean": False, "array": [], "object": {}}
            arguments[name] = defaults.get(kind, text)
    return arguments, absent
