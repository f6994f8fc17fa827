"""The model's replies: tool results woven into sentences, search hits above a relevance floor, and the honest
answer when it did not understand (which names what it can do instead)."""

from __future__ import annotations

import re
from collections.abc import Callable

from . import language as L
from . import vectors
from .context import Call, Context, parse
from .plans import ENDS_TURN, MEMORY_EDITS, Action, Plan

# A passage answers a query when the server's own embeddings put them this close (e5), or when they share a content
# word and come near it. Measured in benchmarks/offline_understanding.py: related pairs 0.83-0.93, unrelated 0.72-0.82.
# (strong, weak): for e5, margins over the unrelated questions' similarity; for the lexical engine, similarities.
RELEVANT = {"e5-small": (0.065, 0.02), "lexical": (0.35, 0.15)}
UNRELATED = ("what time does the museum open", "how do I reset my router", "best way to cook rice",
             "who won the football match", "how much does a flight to Rome cost", "where can I park my car",
             "what is the capital of Spain", "how to learn guitar", "when is the next bus", "recommend a good book",
             "how do I change a tyre", "what is my account balance")
_PAST = {"get": "got", "find": "found", "send": "sent", "make": "made", "set": "set", "read": "read", "write": "wrote",
         "run": "ran", "buy": "bought", "put": "put", "take": "took", "give": "gave", "tell": "told", "show": "showed",
         "look": "looked", "build": "built", "pay": "paid", "say": "said", "go": "went", "do": "did"}
_NO_NET = "there is no internet here (the offline stack)"


def past(verb: str) -> str:
    verb = verb.lower()
    if verb in _PAST:
        return _PAST[verb]
    if verb.endswith("e"):
        return verb + "d"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ied"
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", verb) and len(verb) <= 4:
        return verb + verb[-1] + "ed"
    return verb + "ed"


# Verbs a tool's description starts with, beyond the imperatives a request starts with (language.IMPERATIVES).
_MORE_VERBS = frozenset(["repeat", "return", "look", "fetch", "retrieve", "query", "lookup", "compute", "estimate", "predict", "translate", "search", "list", "read", "write", "tell", "notify", "post", "create", "generate", "format", "parse", "validate", "verify", "lock", "unlock", "open", "close", "start", "stop"])


def purpose(schema: dict, arguments: dict) -> tuple[str, str]:
    """(verb, the rest) of what a tool does, from its description, with its arguments put in: ("get", "the current
    weather forecast for Oslo")."""
    description = (schema.get("description") or schema.get("name", "")).split("\n\n")[0].split(". ")[0].strip(" .")
    description = re.split(r",\s|;\s|\s\(", description)[0]  # its main clause: "Add an item to the to-do list, kept in..."
    text = re.sub(r"\bthe user\b", "you", re.sub(r"\bthe user's\b", "your", description, flags=re.I), flags=re.I)
    for name, value in arguments.items():
        if isinstance(value, (str, int, float)) and str(value).strip():
            said = " ".join(name.replace("_", " ").split()[:1])
            text = re.sub(rf"\b(?:an?|the|given|some|one)\s+{re.escape(said)}s?\b", str(value), text, count=1, flags=re.I)
    verb, _, rest = text.partition(" ")
    if not rest or verb.lower() not in L.IMPERATIVES | _MORE_VERBS:  # "Always fails.": no verb to say it with
        return "use", schema.get("name", "the tool")
    return verb.lower(), rest


def tool_message(call: Call) -> str:
    payload = parse(call.result or "")
    message = payload.get("message", payload.get("func_return", "")) if isinstance(payload, dict) else payload
    message = " ".join(str(message if message is not None else "").split())
    return message if len(message) <= 300 else message[:297] + "..."


def weave(call: Call, schema: dict | None) -> str:
    """A custom tool's result as a sentence: "Sunny and 21 degrees in Oslo." or "I calculated your BMI: 22.9"."""
    verb, rest = purpose(schema or {"name": call.name}, call.arguments)
    result = tool_message(call)
    if call.failed:
        error = re.sub(r"^(?:error|failed)[:\s-]*", "", result, flags=re.I)
        reason = _NO_NET if re.search(r"connect|network|resolve|internet|unreachable|api key|timed out", error, re.I) else error
        return f"I tried to {verb} {rest} with {call.name}, but it failed: {reason[:200].rstrip('.')}."
    if not result or result.lower() in ("none", "null", "ok", "done", "true"):
        return f"Done: I {past(verb)} {rest}."
    payload = parse(call.result or "")
    raw = str(payload.get("message", "") if isinstance(payload, dict) else call.result or "")
    if re.match(r"\w*(?:Error|Exception)\b", result):
        tried = f"I tried {call.name}" if verb == "use" else f"I tried to {verb} {rest}, but"
        return f"{tried} {'and it' if verb == 'use' else call.name} reported: {result.rstrip('.')}."
    # a result that reads as a sentence is said as one; a list or a fragment is quoted after what was done
    if len(result.split()) >= 3 and re.match(r"[A-Z0-9]", result) and "\n" not in raw.strip():
        return L.sentence(result)
    lines = [line.strip(" -*") for line in raw.strip().splitlines() if line.strip(" -*")]
    shown = "; ".join(lines) if len(lines) > 1 else result
    return f"I {past(verb)} {rest}: {shown.rstrip('.')}."


# ------------------------------------------------------------------------------------------------- searches
def hits(call: Call) -> list[tuple[str, str]]:
    """(role, text) of what a search returned, inside Letta's {"status", "message"} envelope and the tool's own
    {"results"}; the role is "" for passages and files."""
    payload = parse(call.result or "")
    for _ in range(3):
        if not isinstance(payload, dict):
            break
        inner = payload.get("results", payload.get("message"))
        payload = parse(inner) if isinstance(inner, str) else inner
    if isinstance(payload, str) and "\n=== " in payload:
        # the file tools answer in text: "=== travel.txt (passage #1) ===" or "=== travel.txt:12 ===", then the lines
        parts = re.split(r"\n=== [^\n]*? ===\n?", payload)[1:]
        return [("", " ".join(re.sub(r"^\s*(?:\d+:|>)?\s*", "", line) for line in part.splitlines()
                              if line.strip() and not line.startswith(("To see more", "Files with matches")))) for part in parts]
    found = list(payload) if isinstance(payload, (list, tuple)) else []
    out = []
    for item in found:
        if isinstance(item, dict):
            text = next((item[f] for f in ("content", "text", "message", "passage") if isinstance(item.get(f), str)), str(item))
            out.append((str(item.get("role") or ""), " ".join(text.split())))
        else:
            out.append(("", " ".join(str(item).split())))
    return out


def names(text: str) -> set[str]:
    """The names a query asks about (capitalised words past its first), stemmed as :func:`language.words` does."""
    found = re.findall(r"(?<=[\w,] )[A-Z][a-z]+[\w-]*", text)
    return L.words(" ".join(w for w in found if w.lower() not in ("mrs", "miss", "ms", "mr", "dr")))


SECOND_HIT = 0.02  # how much less like the query than the best hit a second hit may be and still be said


def relevant(query: str, passage: str) -> bool:
    """Whether a search hit answers the query: the nearest passage is not an answer by being nearest. With e5, the
    similarity is read against how close each side is to unrelated questions (:data:`UNRELATED`), since e5-small
    puts every pair of English sentences between 0.75 and 0.95; a hit is relevant when that margin is clearly high,
    or a little high with every content word of the query in it. Measured in benchmarks/results.md."""
    if not names(query) <= L.words(passage):
        return False  # "the Lisbon hotel" is not answered by a note on the Hanoi hotel, however alike the two read
    if vectors.engine() != "e5-small":
        strong, weak = RELEVANT["lexical"]
        score = vectors.similarity(query, passage)
        return score >= strong or (score >= weak and bool(L.words(query) & L.words(passage)))
    baseline = (sum(vectors.similarity(u, passage) for u in UNRELATED) + sum(vectors.similarity(query, u) for u in UNRELATED)) \
        / (2 * len(UNRELATED))
    margin = vectors.similarity(query, passage) - baseline
    said = L.words(query)
    return margin >= RELEVANT["e5-small"][0] or (margin >= RELEVANT["e5-small"][1] and bool(said) and said <= L.words(passage))


def about_search(call: Call) -> str:
    query = str(call.arguments.get("query") or call.arguments.get("pattern") or "")
    where = "my notes" if call.name == "archival_memory_search" else "the files"
    found = [text for _, text in hits(call) if relevant(query, text)]
    if not found:
        return f"I searched {where} for \"{query}\" but found nothing relevant."
    # two hits that answer about equally well are both said: which one the user meant is theirs to tell, not mine to
    # guess; a second hit clearly further off ("TechWidget Pro ... $499" for a warranty question) is left out
    close = len(found) > 1 and vectors.similarity(query, found[1]) >= vectors.similarity(query, found[0]) - SECOND_HIT
    more = f" Also: {L.sentence(found[1][:200])}" if close else ""
    more += f" ({len(found)} notes matched.)" if len(found) > 2 else ""
    source = "According to my notes" if call.name == "archival_memory_search" else "According to the files"
    return f"{source}: {L.sentence(found[0][:300])}{more}"


def about_history(call: Call, ctx: Context) -> str:
    query = str(call.arguments.get("query", ""))
    said = [text for role, text in hits(call) if role == "user"]
    # the user's own earlier words: one content word of the query in common is enough (no relevance floor by meaning,
    # which is made for passages), since a search of the conversation already matched on words
    said = [s for s in said if " ".join(s.split()) != " ".join(ctx.user_text.split()) and L.words(query) & L.words(s)]
    if not said:
        return f"I looked through our conversation for \"{query}\" but found nothing you said about it."
    # of the messages the word found, the one that shares most with the whole question ("what was Moira giving us?"
    # is answered by "Moira is giving us rhubarb", not by the first message that names Moira)
    asked = L.words(ctx.user_text)
    best = max(said, key=lambda s: len(asked & L.words(s)))
    return f"Earlier you told me: \"{best[:300]}\""


def about_call(call: Call, ctx: Context) -> str:
    """One sentence on a tool call of this turn, from what it returned."""
    if call.name in MEMORY_EDITS:
        label = call.arguments.get("label")
        return (f"I've updated my {label} block." if label else "I've updated my memory.") if not call.failed else \
            f"I couldn't change my memory: {tool_message(call)[:200]}"
    if call.name == "archival_memory_insert":
        return "I've stored that in my archival memory." if not call.failed else "I couldn't store that note."
    if call.name in ("archival_memory_search", "semantic_search_files", "grep_files"):
        return about_search(call)
    if call.name == "conversation_search":
        return about_history(call, ctx)
    if call.name in ("web_search", "fetch_webpage", "run_code") and call.failed:
        what = {"web_search": "search the web", "fetch_webpage": "fetch that page", "run_code": "run that code"}[call.name]
        return f"I tried to {what} with {call.name}, but it failed: {_NO_NET}, so I can't give you a live answer."
    return weave(call, ctx.tools.get(call.name))


def about_turn(ctx: Context) -> str:
    said = [about_call(c, ctx) for c in ctx.turn if c.name not in ENDS_TURN]
    return " ".join(s for s in said if s) or "Done."


# ------------------------------------------------------------------------------------------ what it can do
def abilities(ctx: Context) -> list[str]:
    can = []
    labels = [b.label for b in ctx.blocks if not b.read_only and "persona" not in b.label]
    if ctx.offers("memory_insert", "core_memory_append") and labels:
        can.append(f"remember what you tell me about yourself (in my {L.listing(labels)} "
                   f"block{'s' if len(labels) > 1 else ''})")
    if ctx.blocks:
        can.append("answer questions from my memory")
    if ctx.offers("archival_memory_insert"):
        can.append("keep notes for later in my archival memory")
    if ctx.offers("archival_memory_search"):
        can.append("search my notes")
    if ctx.offers("semantic_search_files", "grep_files"):
        can.append("search the attached files")
    if ctx.offers("conversation_search"):
        can.append("look back through our conversation")
    built_in = {"web_search": "search the web", "fetch_webpage": "read a web page", "run_code": "run code"}
    can += [f"{what} (with {name}, though offline it cannot reach anything)" if name != "run_code" else f"{what} (with {name})"
            for name, what in built_in.items() if name in ctx.tools]
    from .tools import custom_tools

    for name in custom_tools(ctx.tools):
        verb, rest = purpose(ctx.tools[name], {})
        can.append(f"{verb} {rest} (with {name})")
    can.append("work out simple arithmetic")
    return can


def capabilities(ctx: Context) -> str:
    return f"I can {L.listing(abilities(ctx))}."


def not_understood(ctx: Context, opening: str = "Sorry, I didn't understand that.") -> str:
    return (f"{opening} I'm the offline practice model, so I only follow a few kinds of message. {capabilities(ctx)} "
            "With a real model (an API key in your .env) I could help with more.")


def one(tool: str, arguments: dict, why: str, intent: str, answer: Callable[[Context], str] | None = None) -> Plan:
    return Plan([Action(tool, arguments, why)], answer or about_turn, "", intent)
