"""The pieces of English the offline model needs, apart from any one intent: a message cut into units (sentences,
and a question that follows a statement), the form of a unit (question, request or statement), content words, and
the grammar of its replies (articles, lists, "my" said back as "your")."""

from __future__ import annotations

import re

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})
_WH = ("what", "when", "where", "who", "whom", "whose", "which", "why", "how")
_AUX = ("is", "are", "am", "was", "were", "do", "does", "did", "can", "could", "will", "would", "should", "shall",
        "have", "has", "had", "may", "might", "must", "isn't", "aren't", "don't", "doesn't", "didn't", "won't")
_SUBJECTS = r"(?:i|you|we|they|he|she|it|there|my|your|our|the|this|that|these|those|anyone|anything|someone|any)"
# "can you add ...", "please find ...": the user wants something done, even when it ends with a question mark.
_REQUEST = re.compile(r"^(?:(?:ok(?:ay)?|so|and|also|hey|oh|now)[,\s]+)*(?:please[,\s]+)?"
                      r"(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?(?!tell me\b|remind me\b(?! to\b))|(?:i(?:'d| would) like you to|"
                      r"i want you to|i need you to)\s+)", re.I)
_ASKING = re.compile(r"^(?:(?:ok(?:ay)?|so|and|also|hey|oh|now|but)[,\s]+)*(?:please[,\s]+)?(?:(?:can|could|would) you\s+)?"
                     r"(?:tell me|remind me(?! to\b)|let me know|show me|i (?:wonder|was wondering)|do you (?:know|remember)|"
                     r"any idea)\b", re.I)
# Verbs a request starts with: "add milk to my list", "book me a table". Grammar, not any one intent's words.
IMPERATIVES = frozenset(["add", "put", "book", "set", "send", "remind", "remove", "delete", "create", "make", "find", "search", "look", "check", "get", "show", "list", "give", "convert", "calculate", "compute", "work", "roll", "flip", "start", "stop", "cancel", "schedule", "order", "buy", "call", "ring", "email", "text", "write", "draft", "translate", "summarise", "summarize", "explain", "describe", "plan", "help", "note", "save", "store", "remember", "forget", "update", "change", "edit", "mark", "tick", "clear", "open", "read", "fetch", "grab", "run", "execute", "use", "play", "count", "pick", "choose", "generate", "recommend", "suggest", "erase", "scrap", "wipe", "drop", "keep", "jot", "log", "record", "move", "rename", "stick", "pop", "bill", "charge", "refund", "track", "tell", "let", "say", "repeat", "echo", "draw", "sing", "compose", "design", "fix", "sort"])
STOP = frozenset(["a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "for", "from", "by", "with", "about", "as", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "done", "have", "has", "had", "having", "i", "me", "my", "mine", "you", "your", "yours", "we", "our", "us", "it", "its", "this", "that", "these", "those", "there", "here", "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "can", "could", "would", "should", "will", "shall", "may", "might", "must", "please", "tell", "give", "get", "got", "show", "let", "make", "want", "need", "like", "just", "also", "some", "any", "all", "not", "no", "yes", "so", "than", "then", "into", "out", "up", "down", "over", "under", "again", "very", "really", "today", "now", "one", "it's", "i'm", "what's", "that's", "there's", "return", "returns", "returned", "str", "int", "float", "bool", "list", "dict", "none", "args", "value", "values", "tool", "function", "call", "use", "using"])


# How people type in a chat box, spelled out: "whats" is "what's", "pls" is "please". Fillers go ("lol", ":)").
_TYPED = {"whats": "what's", "wheres": "where's", "whos": "who's", "hows": "how's", "whens": "when's", "im": "I'm",
          "dont": "don't", "cant": "can't", "wont": "won't", "doesnt": "doesn't", "isnt": "isn't", "didnt": "didn't",
          "ive": "I've", "u": "you", "ur": "your", "pls": "please", "plz": "please", "thx": "thanks", "ty": "thanks",
          "abt": "about", "wich": "which", "becuase": "because", "tommorow": "tomorrow", "tomorow": "tomorrow",
          "realy": "really", "thier": "their", "recieve": "receive", "definately": "definitely", "mums": "mum's",
          "dads": "dad's", "i": "I", "r": "are", "b4": "before", "gonna": "going to", "wanna": "want to"}
_FILLERS = re.compile(r"(?:\s+|^)(?:lol|lmao|haha+|hehe|tbh|xx+|:\)|:\(|:d|;\)|:p|<3)(?=\s|$|[.,!?])", re.I)


def normal(text: str) -> str:
    """Straight quotes, single spaces, chat spellings spelled out, fillers dropped."""
    text = _FILLERS.sub("", " ".join(str(text).translate(_QUOTES).split()))
    return re.sub(r"\b[A-Za-z0-9]+\b(?!')", lambda m: _TYPED.get(m.group(0).lower(), m.group(0)) if m.group(0).lower() in _TYPED
                  and m.group(0) != "I" else m.group(0), text).strip()


def units(text: str) -> list[str]:
    """The sentences of a message, with a question split from a statement before it: "I bought a TechWidget Pro
    last week, is it waterproof?" is a statement and a question."""
    text = normal(text)
    parts = re.split(r"(?<=[.!?])\s+(?=[\"'(]?[A-Za-z0-9])|(?<=[a-z0-9)])\s*\n+\s*|\s*;\s*", text)
    out = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        # a question tacked on after a comma: "..., is it waterproof?", "..., what should I do?"
        match = re.search(r",\s+(?=(?:" + "|".join(_WH + _AUX) + r")\s+" + _SUBJECTS + r"?\b[^,]*\?$)", part, re.I)
        if match and part.endswith("?") and len(part[: match.start()].split()) >= 3:
            out += [part[: match.start()].strip() + ".", part[match.end():].strip()]
        else:
            out.append(part)
    return out or [text]


def form(unit: str) -> str:
    """'question', 'request' or 'statement', from the unit's grammar alone."""
    lowered = normal(unit).lower().strip(" \"'")
    if _ASKING.match(lowered):
        return "question"
    if _REQUEST.match(lowered):
        return "request"
    first = re.sub(r"^(?:(?:ok(?:ay)?|so|and|also|hey|oh|um|hmm|well|now|but|btw|actually|quick one|right)[,:\s]+)+", "", lowered)
    word = re.match(r"[a-z']+", first)
    head = word.group(0) if word else ""
    if head.endswith("'s") and head[:-2] in _WH:
        head = head[:-2]
    if lowered.endswith("?") or head in _WH or (head in _AUX and re.match(r"[a-z']+\s+" + _SUBJECTS + r"\b", first)):
        return "question"
    if head in IMPERATIVES or first.startswith("please"):
        return "request"
    return "statement"


# ------------------------------------------------------------------------------------------------ words
def stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ies", "ing", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def words(text: str) -> set[str]:
    """Content words, stemmed; hyphens dropped, so "to-do" and "todo" (or "e-mail" and "email") are one word."""
    found = (re.sub(r"'s?$", "", w) for w in re.findall(r"[A-Za-z][A-Za-z'-]+", str(text).replace("_", " ")))
    return {stem(w.replace("-", "")) for w in found if w.lower() not in STOP and len(w) > 2}


# ---------------------------------------------------------------------------------------------- replies
_SWAP = {"i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "am": "are", "i'm": "you're",
         "i've": "you've", "i'll": "you'll", "i'd": "you'd", "we": "you", "our": "your", "ours": "yours", "us": "you",
         "was": "were"}


def second_person(text: str) -> str:
    """The user's words said back to them: "my sister's flat" -> "your sister's flat"."""
    said = re.sub(r"\b(i'm|i've|i'll|i'd|i|me|my|mine|myself|we|our|ours|us)\b",
                  lambda m: _SWAP[m.group(1).lower()], text, flags=re.I)
    return re.sub(r"\byou (am|was)\b", lambda m: "you " + _SWAP[m.group(1)], said)


_DETERMINERS = re.compile(r"^(?:a|an|the|my|your|his|her|their|our|its|this|that|these|those|some|any|no|two|three|four|"
                          r"five|several|many|\d+)\b", re.I)


def with_article(phrase: str) -> str:
    """'TechWidget 3000' -> 'a TechWidget 3000'; 'apple' -> 'an apple'; plurals and determined phrases unchanged."""
    phrase = phrase.strip()
    last = phrase.split()[-1] if phrase else ""
    if not phrase or _DETERMINERS.match(phrase) or (last.endswith("s") and not last.endswith(("ss", "us", "is"))):
        return phrase
    return ("an " if re.match(r"[aeiou]|hour|honest", phrase, re.I) and not re.match(r"(?:uni|use|eu|one)", phrase, re.I)
            else "a ") + phrase


def listing(items: list[str], conjunction: str = "and") -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def sentence(text: str) -> str:
    """Capitalised, ending in one full stop (or the question or exclamation mark it had)."""
    text = text.strip()
    if not text:
        return text
    text = text if text[-1] in ".!?" else text.rstrip(",;:") + "."
    return text[0].upper() + text[1:]


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"
