"""A tool's arguments from the user's words: a JSON object if they gave one, else each parameter by its name, type
and description: a city from the place they name, numbers by the unit beside them ("70 kg" fills ``weight_kg``), a
list item from "put X on my list", a quoted phrase for a text parameter."""

from __future__ import annotations

import json
import re
from typing import Any

_NUMBER_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "hundred": 100, "a": 1, "an": 1}


def json_object(text: str) -> dict | None:
    start = text.find("{")
    if start < 0:
        return None
    try:
        value = json.loads(text[start: text.rfind("}") + 1])
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _proper_nouns(text: str) -> list[str]:
    """Capitalised words that do not start the sentence: 'Oslo', 'New York'."""
    found = []
    for match in re.finditer(r"(?<![.!?]\s)(?<!^)\b([A-Z][\w'-]+(?:\s+(?:[A-Z][\w'-]+|\d+\b(?!\s*(?:am|pm|people|"
                             r"guests|min|mins|minutes|hours|kg|m|cm)\b)))*)", text):
        if match.start() > 0 and match.group(1) not in ("I", "I'm", "I've", "I'd", "I'll"):
            found.append(match.group(1))
    return found


def _phrase_after(text: str, *markers: str) -> str | None:
    for marker in markers:
        match = re.search(rf"\b{marker}\s+(.+?)(?:,?\s+please)?(?:[.!?]|$)", text, re.I)
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


# What a parameter holds, from the words of its name and description: (kind, words), first match wins.
_KINDS = [
    ("email", ("email", "e-mail", "mail")),
    ("url", ("url", "link", "website", "webpage", "page")),
    ("place", ("city", "location", "place", "town", "country", "destination", "region", "where")),
    ("time", ("time", "hour", "when")),
    ("date", ("date", "day")),
    ("currency", ("currency",)),
    ("identifier", ("id", "number", "code", "reference", "ref", "sku", "tracking")),
    ("name", ("name", "person", "user", "username", "who", "recipient", "customer", "restaurant", "venue", "shop",
              "store", "hotel", "company", "product", "brand", "artist", "title")),
    ("free", ("text", "query", "message", "content", "note", "item", "description", "body", "topic", "question",
              "label", "task", "subject", "phrase", "word", "words", "reason", "comment", "search", "term", "prompt")),
]
# Units beside a number, and the words of a parameter they fill ("70 kg" fills ``weight_kg``).
_UNITS = {"kg": "kg weight kilo kilogram", "kilos": "kg weight kilo", "lb": "lb pound weight", "lbs": "lb weight",
          "m": "m height metre meter tall", "cm": "cm height centimetre tall", "ft": "ft feet height",
          "meters": "m height metre meter tall", "metres": "m height metre meter tall", "meter": "m height metre meter",
          "metre": "m height metre meter", "kilograms": "kg weight kilo kilogram", "kilogram": "kg weight kilo kilogram",
          "feet": "ft feet height", "inches": "in inch height", "stone": "st stone weight", "miles": "miles distance mi",
          "mi": "miles distance mi", "kilometres": "km distance", "kilometers": "km distance",
          "min": "minute minutes duration", "mins": "minute minutes duration", "minute": "minute minutes duration",
          "minutes": "minute minutes duration", "h": "hour hours", "hr": "hour hours", "hours": "hour hours",
          "hour": "hour hours", "sec": "second seconds", "seconds": "second seconds", "people": "people guests party size",
          "guests": "people guests party", "persons": "people guests", "dice": "count number dice", "die": "count dice",
          "sided": "sides faces", "sides": "sides faces", "years": "age years", "days": "days day duration",
          "km": "km distance", "eur": "amount", "euros": "amount", "usd": "amount",
          "dollars": "amount", "gbp": "amount", "pounds": "amount", "yen": "amount", "percent": "percent rate tip",
          "dollar": "amount bill total price", "euro": "amount bill total price", "pound": "amount bill total price",
          "%": "percent rate tip"}
_CURRENCIES = {"eur": "EUR", "euro": "EUR", "euros": "EUR", "€": "EUR", "usd": "USD", "dollar": "USD", "dollars": "USD",
               "$": "USD", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "quid": "GBP", "£": "GBP", "sterling": "GBP",
               "yen": "JPY", "jpy": "JPY", "chf": "CHF", "franc": "CHF", "francs": "CHF", "cad": "CAD", "aud": "AUD",
               "inr": "INR", "rupee": "INR", "rupees": "INR", "sek": "SEK", "krona": "SEK", "nok": "NOK", "yuan": "CNY"}


_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"


def _kind(name: str, spec: dict) -> str:
    words = set(re.findall(r"[a-z]+", name.lower().replace("_", " ")))
    described = set(re.findall(r"[a-z]+", str(spec.get("description", "")).lower()))
    # a value with a shape of its own (an email address, a link), whoever the name says it is for ("recipient")
    shape = re.search(r"\b(?:(?P<email>e-?mail address)|(?P<url>url|link|web address))\b", str(spec.get("description", "")),
                      re.I)
    for kind, keys in _KINDS[:2]:
        if words & set(keys) or shape and shape.group(kind):
            return kind
    for kind, keys in _KINDS:
        if words & set(keys):
            return kind
    for kind, keys in _KINDS:
        if described & set(keys) and kind != "free":
            return kind
    return "free"


def _number_slots(text: str) -> list[tuple[float, str]]:
    """Each number said, with the words around it that say what it measures: "1.82 m" -> (1.82, "m height ...");
    "a d20" -> (20, "sides"), "two dice" -> (2, "count dice")."""
    out = []
    dice = re.search(r"\b(\d+|a|an|one|two|three|four|five|six)?\s*d(\d+)s?\b", text, re.I)
    if dice:  # "roll 2 d20s", "a d6": how many dice, and their sides
        count = dice.group(1).lower() if dice.group(1) else "a"
        out += [(float(dice.group(2)), "sides faces"), (float(_NUMBER_WORDS.get(count, count)), "count dice")]
        text = text[: dice.start()] + " " + text[dice.end():]
    for match in re.finditer(r"(-?\d+(?:\.\d+)?|\b(?:" + "|".join(k for k in _NUMBER_WORDS if len(k) > 2)
                             + r")\b)(?:\s*-?\s*([a-z]+))?", text, re.I):
        token, unit = match.group(1).lower(), (match.group(2) or "").lower()
        if re.search(r"[A-Za-z#]-?$", text[max(0, match.start() - 2): match.start()]):
            continue  # part of a reference ("INV-2291", "#A10442"), not an amount
        if re.fullmatch(r"(?:am|pm)", unit) or re.match(r"\d{1,2}:\d{2}", text[match.start():]):
            continue  # a time of day, not a quantity
        value = float(token) if token[0].isdigit() or token[0] == "-" else float(_NUMBER_WORDS[token])
        before = text[max(0, match.start() - 12): match.start()].lower()
        context = _UNITS.get(unit, unit) + (" people guests party" if re.search(r"\bfor\s*$", before) and not unit else "")
        out.append((value, context))
    return out


def _numbers_for(params: list[tuple[str, dict]], text: str) -> dict[str, float]:
    """Numbers to numeric parameters: by the unit beside each number first, then in the order said."""
    slots = _number_slots(text)
    taken: dict[str, float] = {}
    free = list(range(len(slots)))
    for name, spec in params:
        words = set(re.findall(r"[a-z]+", f"{name.replace('_', ' ')} {spec.get('description', '')}".lower()))
        best = next((i for i in free if words & set(slots[i][1].split())), None)
        if best is not None:
            taken[name] = slots[best][0]
            free.remove(best)
    for name, _ in params:
        if name not in taken and free:
            unit_words = set(slots[free[0]][1].split()) - {"amount"}
            if not unit_words or len(params) == 1:
                taken[name] = slots[free.pop(0)][0]
    return taken


def _string(kind: str, text: str, nouns: list[str], quoted: list[str], order: int) -> str | None:
    if kind == "email":
        match = re.search(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text)
        return match.group(0) if match else None
    if kind == "url":
        match = re.search(r"https?://\S+[\w/]|\b[\w-]+(?:\.[\w-]+)+/\S*[\w/]", text)
        return match.group(0) if match else None
    if kind == "place":
        value = nouns[-1] if nouns else _phrase_after(text, "in", "at", "to")
        return value
    if kind == "time":
        match = re.search(r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b|\bnoon\b|\bmidnight\b", text, re.I)
        return match.group(0) if match else None
    if kind == "date":
        match = re.search(r"\b(?:today|tomorrow|tonight|(?:next |this )?(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
                          rf"\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTHS}|{_MONTHS} \d{{1,2}}(?:st|nd|rd|th)?|"
                          r"(?:the )?\d{1,2}(?:st|nd|rd|th)|"
                          r"\d{4}-\d{2}-\d{2})\b", text, re.I)
        return match.group(0) if match else None
    if kind == "currency":
        said = [_CURRENCIES[w] for w in re.findall(r"[a-z]+|[€$£]", text.lower()) if w in _CURRENCIES]
        # the currency beside the amount is the one converted from, wherever it is said: "how many yen is 250 dollars"
        beside = re.search(r"(?:[€$£]\s*\d|\d[\d.,]*\s*(?:[a-z]{2,3}\s+)?(?P<unit>[a-z]+|[€$£]))", text.lower())
        first = next((_CURRENCIES[m] for m in (beside.group("unit") if beside and beside.group("unit") else
                                                   (beside.group(0)[0] if beside else ""),) if m in _CURRENCIES), None)
        if first in said:
            said.remove(first)
            said.insert(0, first)
        return said[order] if len(said) > order else None
    if kind == "identifier":
        return next((t.strip("#") for t in re.findall(r"#?[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", text) if re.search(r"\d", t)),
                    None)
    if kind == "name":
        return nouns[0] if nouns else (quoted[0] if quoted else None)
    if quoted:
        return quoted.pop(0)
    return _list_item(text) or _phrase_after(text, "to say", "to tell (?:him|her|them)", "saying", "about", "called", "named", "that") or \
        _phrase_after(re.sub(r"\b(?:for\s+)?\d+(?:\.\d+)?\s*[a-z]*\s+", "", text), "for") or text


def fill(schema: dict, text: str, known: dict[str, str] | None = None) -> tuple[dict[str, Any], list[str]]:
    """Arguments for ``schema`` from the user's words: a JSON object if they gave one, else each parameter by what
    its name and description say it holds. Also the required parameters the words did not supply: the agent asks
    for those instead of guessing (they are filled with a placeholder only for a forced call). ``known``: values by
    kind that memory holds ({"place": "Galway"}), for a parameter the words leave out ("do I need a coat today?")."""
    given = json_object(text)
    if given is not None:
        return given, []
    params = (schema.get("parameters") or {}).get("properties") or {}
    required = (schema.get("parameters") or {}).get("required") or []
    quoted = re.findall(r"[\"“']([^\"”']{2,})[\"”']", text)
    nouns = _proper_nouns(text)
    numbers = _numbers_for([(n, s) for n, s in params.items() if s.get("type") in ("integer", "number")], text)
    arguments: dict[str, Any] = {}
    absent: list[str] = []
    seen: dict[str, int] = {}
    for name, spec in params.items():
        kind = spec.get("type", "string")
        value: Any = None
        if "enum" in spec:
            value = next((option for option in spec["enum"] if str(option).lower() in text.lower()), None)
        elif kind in ("integer", "number"):
            if name in numbers:
                value = int(numbers[name]) if kind == "integer" else numbers[name]
        elif kind == "boolean":
            value = bool(re.search(r"\b(yes|true|please do|enable|on)\b", text, re.I)) if name in required else None
        elif kind == "array":
            value = quoted or None
        elif kind == "string":
            slot = _kind(name, spec)
            value = _string(slot, text, nouns, quoted, seen.get(slot, 0)) or (known or {}).get(slot)
            seen[slot] = seen.get(slot, 0) + 1
        if value is not None:
            arguments[name] = value
        elif name in required:
            absent.append(name)
            defaults = {"string": text, "integer": 0, "number": 0, "boolean": False, "array": [], "object": {}}
            arguments[name] = defaults.get(kind, text)
    return arguments, absent


def complete(schema: dict, text: str, known: dict[str, str] | None = None) -> bool:
    """Whether the user's words (and ``known``) hold every argument the tool needs, each found for itself: no
    required one missing, and none that is only the whole message passed on (the last resort of a text parameter)."""
    arguments, absent = fill(schema, text, known)
    return not absent and all(v != text for v in arguments.values())
