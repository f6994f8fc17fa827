"""Reading memory: questions about the user (answered from core memory), questions of knowledge (a block that holds
the answer, else archival memory or the attached files, with a relevance floor), and questions about earlier turns
(``conversation_search``)."""

from __future__ import annotations

import re

from .. import facts as F
from .. import language as L
from .. import memory as M
from .. import vectors
from ..context import Block, Context
from ..plans import Action, Plan, reply
from ..replies import one
from ..statements import line_key
from .base import Intent, Unit, unfamiliar

_ASKS = frozenset({"question", "request"})
# A line answers a question about the user when it is this close to it (e5 on the line said as a sentence, plus shared
# key words); without e5, by shared words alone.
LINE_FLOOR = {"e5-small": 0.86, "lexical": 1.0}


def query(text: str) -> str:
    """The search words of a question: 'What is the refund policy?' -> 'refund policy'."""
    kept = L.normal(text)
    kept = re.sub(r"^\W*(?:(?:ok|so|and|also|hey|btw|um)[,\s]+)*(?:please\s+)?(?:(?:can|could|would) you\s+)?"
                  r"(?:tell me|explain|find out|look up|remind me|let me know|check|do you know|any idea)?\s*", "", kept, flags=re.I)
    kept = re.sub(r"^(?:what|when|where|who|which|why|how)(?:'s| is| are| was| do| does| did| can| should| much| many| long)?"
                  r"\s+(?:(?:the|a|an|i|we|you|my|our)\s+)?", "", kept, flags=re.I)
    kept = re.sub(r"^(?:is|are|do|does|did|can|could|will|would|should)\s+(?:the\s+|there\s+|it\s+|i\s+|we\s+)?", "", kept, flags=re.I)
    kept = re.sub(r"\s+(?:again|please|at all|exactly)\b", "", kept, flags=re.I)
    # where to look is not what to look for: "... in your notes", "check your archive -"
    kept = re.sub(r"\s*\b(?:in|from|through)\s+(?:your|my|the)\s+(?:notes|archive|archival memory|memory|files|records)\b", "",
                  kept, flags=re.I)
    kept = re.sub(r"^(?:check\s+)?(?:your|my|the)\s+(?:notes|archive|files)\s*[-:,]\s*", "", kept, flags=re.I)
    return kept.strip(" ?.!") or text.strip(" ?.!")


def _said_line(line: str) -> tuple[str, F.Key | None, str]:
    key, value = line_key(line)
    return (key.says(value) if key is not None and not F.unknown(value) else line.strip()), key, value


_OWN_NAME = re.compile(r"\b(?:my (?:full |first |last )?name|am i called|who am i|call me|i go by|my surname|my initials|"
                       r"(?:what'?s|what is) my name)\b", re.I)


def _line_score(question: str, sentence: str, key: F.Key | None) -> float:
    shared = L.words(question) & (L.words(sentence) | L.words(" ".join(key.synonyms if key else ())))
    asked = set(re.findall(rf"\b(?:{F.RELATIONS})\b", question.lower()))
    if asked and not asked & set(re.findall(rf"\b(?:{F.RELATIONS})\b", f"{key.name if key else ''} {sentence}".lower())):
        return -1.0  # "what's my partner's name?" is never answered with the user's own name
    if key is not None and key.name == "Name" and not _OWN_NAME.search(question):
        return -1.0  # "what are they called?", "what's the dog called?": "called" asks for a name, not the user's own
    named = L.words(question) & L.words(" ".join((key.name, *key.synonyms)) if key else "")
    if vectors.engine() != "e5-small":
        return float(len(shared))
    # the key's own words ("city" for Location) say what the line holds better than e5 does for short lines
    dense = sum(a * b for a, b in zip(vectors.query_vector(question), vectors.query_vector(sentence), strict=True))
    return dense + 0.02 * len(shared) + 0.04 * len(named)


def answer_from_memory(ctx: Context, question: str, blocks: list[Block]) -> tuple[str, float] | None:
    """The line of these blocks that answers the question best, said back as a sentence, with its score."""
    best: tuple[float, str] | None = None
    for block in blocks:
        for line in block.lines:
            sentence, key, value = _said_line(line)
            if key is not None and F.unknown(value):
                continue
            score = _line_score(question, sentence, key)
            if best is None or score > best[0]:
                best = (score, sentence)
    if best is None or best[0] < LINE_FLOOR[vectors.engine()]:
        return None
    return L.sentence(best[1]), best[0]


_WRITES = {"change", "update", "set", "edit", "delete", "remove", "add", "make", "replace", "rewrite", "modify"}
_NAMES_A_BLOCK = re.compile(r"\b(?:according to|in|from|on|check) (?:the|my|your|our) (?P<name>[\w -]{3,40}?)(?: block)?\s*[?.!]*$",
                            re.I)


# "what have I got on my to-do list?", "what's in the shopping block": what a block holds, asked by its name
_ON_A_BLOCK = re.compile(r"\b(?:on|in) (?:my|the|our|your) (?P<name>[\w -]{3,40}?)(?:,|[?.!]|$| don't| please)", re.I)


def from_named_block(ctx: Context, unit: Unit) -> Plan | None:
    """ "What's my assignment according to the team status?", "what's on my to-do list?": the question names the
    block to answer from (a block of its own, not the user's facts or my persona)."""
    match = _NAMES_A_BLOCK.search(L.normal(unit.text))
    said = L.words(match.group("name")) if match else set()
    named = [b for b in ctx.blocks if "persona" not in b.label and said and said <= L.words(f"{b.label} {b.description}")]
    on = _ON_A_BLOCK.search(L.normal(unit.text)) if not named and unit.form == "question" or re.match(
        r"\s*(?:remind me|tell me|show me|read me) what", unit.text, re.I) else None
    if on is not None:
        said = L.words(on.group("name"))
        named = [b for b in M.own_blocks(ctx)
                 if said and said <= L.words(f"{b.label} {b.label.replace('_', ' ')} {b.description}")]
    if not named or not named[0].value.strip():
        return None
    block = named[0]
    lines = "; ".join(line.strip(" -") for line in block.lines)
    return reply(f"According to my {block.label} block: {lines[:400]}", f"The user asks about what my {block.label} block "
                 "says; I'll read it out.", "recall")


def _recall(ctx: Context, unit: Unit) -> Plan | None:
    if unit.form == "statement":
        return None
    named = from_named_block(ctx, unit)
    if named is not None:
        return named
    mine = M.writable(ctx) + [b for b in ctx.blocks if b.read_only and "persona" not in b.label]
    found = answer_from_memory(ctx, unit.text, mine)
    if found is None:
        return reply("I don't have that in my memory yet. If you tell me, I'll remember it.",
                     "The user asks about themselves, but nothing in my memory answers it; I won't guess.", "recall",
                     empty=True)
    return reply(found[0], "The user is asking about themselves; my memory blocks have the answer.", "recall")


def _everything(ctx: Context, unit: Unit) -> Plan | None:
    if unfamiliar(unit, next(i.examples for i in INTENTS if i.name == "recall_all")):
        return None  # "what have I got on Friday?" asks for one thing, not for everything I know
    said = []
    for block in M.writable(ctx):
        for line in block.lines:
            sentence, key, value = _said_line(line)
            if key is None or not F.unknown(value):
                said.append(sentence.rstrip("."))
    text = f"Here is what I know about you: {'; '.join(said)}." if said else "I don't know anything about you yet."
    return reply(text, "The user asks what I know about them; I'll read it out from my memory blocks.", "recall_all")


def _lookup(ctx: Context, unit: Unit) -> Plan | None:
    """A question of knowledge: a block that answers it, else a search of archival memory or the files."""
    if unit.form == "request" and L.normal(unit.text).lower().split(" ", 1)[0].strip(",") in _WRITES:
        return None  # "change the refund policy to 60 days" asks for a change; quoting the policy back is no answer
    named = from_named_block(ctx, unit)
    if named is not None:
        return named
    others = M.own_blocks(ctx)
    found = answer_from_memory(ctx, unit.text, others)
    if found is not None and found[1] >= LINE_FLOOR[vectors.engine()] + (0.02 if vectors.engine() == "e5-small" else 1):
        block = next(b for b in others if any(L.sentence(_said_line(ln)[0]) == found[0] for ln in b.lines))
        return reply(f"According to my {block.label} block: {found[0]}", "My core memory already holds the answer; "
                     "no search needed.", "lookup")
    search = ctx.offers("archival_memory_search", "semantic_search_files")
    if search is None and not unit.strict:
        return reply("I don't know that, and I have no notes or files here to look it up in.", "This asks for knowledge "
                     "that is not in my memory blocks, and I have no search tool in this setup; I won't guess.", "lookup",
                     empty=True)
    if search is None or (unit.strict and unit.form != "question"):
        return None  # below the floor, only a question is searched for: a search changes nothing, and its floor is honest
    words = query(unit.text)
    where = "my archival memory" if search == "archival_memory_search" else "the attached files"
    return one(search, {"query": words}, f"This asks for knowledge I don't hold in my core memory; I'll search {where} "
                                         f"for \"{words}\".", "lookup")


_EARLIER = re.compile(r"\b(?:what did (?:i|we) (?:say|tell you|talk about|discuss|mention|ask)|(?:i|we) (?:mentioned|brought up|"
                      r"told you about|talked about)|earlier i (?:told you|said|mentioned)|scroll back|did i (?:ever )?(?:mention|say|"
                      r"tell you)|remind me what i (?:said|told you|mentioned)|what was it i (?:said|told you)|"
                      r"(?:earlier|before|last time|previously) (?:i|we) (?:said|talked|mentioned|told you|discussed)|"
                      r"what have i (?:said|told you)|do you remember what i (?:said|told you))"
                      r"(?:\s+(?:about|regarding|on|of|concerning))?\s*", re.I)


_BEFORE = re.compile(r"\b(?:earlier|before|previously|last time|again|back|so far|in this chat|our conversation|"
                     r"mention\w*|said|say|told|tell you|talk\w*|discuss\w*|brought up|bring up)\b", re.I)


# "what did I study?", "what did we decide?": a question about what was done, not about what was said
_DID = re.compile(r"\bwhat (?:did|do|have) (?:i|we) (?!say|tell|mention|talk|discuss|ask|write|note|save)\w+", re.I)


def _history(ctx: Context, unit: Unit) -> Plan | None:
    known = answer_from_memory(ctx, unit.text, M.writable(ctx))
    if known is not None and known[1] >= LINE_FLOOR[vectors.engine()] + (0.02 if vectors.engine() == "e5-small" else 1):
        # "did I tell you where I work?": my memory holds it, no need to search the conversation
        # "did I tell you where I work?" is answered yes; "what time did I tell you it lands?" with the time itself
        said = known[0] if re.match(r"\s*(?:what|when|where|who|which|how)\b", unit.text, re.I) else \
            f"Yes: {known[0][0].lower() + known[0][1:]}"
        return reply(said, "The user asks whether they told me something; my memory blocks hold it.", "history")
    if not ctx.offers("conversation_search"):
        return None
    text = L.normal(unit.text)
    match = _EARLIER.search(text)
    if match is None and (unit.strict or (_DID.search(text) and not _BEFORE.search(text))):
        return None  # "what did I study at uni?" asks about the user, not about what was said; memory answers that
    topic = text[match.end():] if match else query(text)
    if match and not L.words(re.sub(r"\b(?:earlier|before|him|her|it|them|again|previously)\b", "", topic)):
        topic = text[: match.start()]  # "what was the plumber's quote I mentioned earlier"
    topic = re.sub(r",?\s*\b(?:that )?(?:i|we) (?:mentioned|said|told you|talked about|brought up)(?: (?:him|her|it|them))?\b", "",
                   topic, flags=re.I)
    topic = re.sub(r"^(?:what|which|who) (?:was|were|is) (?:it )?|^(?:the|a|an|that|this|those)\s+|"
                   r"\s+(?:earlier|before|last time|again|previously|yesterday|today)\b", "",
                   topic.strip(" ?.!,"), flags=re.I).strip(" ?.!,") or query(text)
    words = keywords(topic)
    if not words and len(L.units(unit.message)) > 1:
        # "..., did I mention?", "earlier I told you about my car, what was it?": the rest of the message says what
        words = keywords(query(L.normal(unit.message)))  # (the words of saying and earlier are no keywords)
        if not words:
            return None
    return _search_history(ctx, words[:_TRIES] or [topic])


_TRIES = 3  # words tried one after another when a search of the conversation finds nothing


def _found(call, ctx: Context) -> bool:
    from ..replies import about_history

    return call.result is not None and not about_history(call, ctx).startswith("I looked through")


def _search_history(ctx: Context, words: list[str]) -> Plan:
    """One search per word, the next only when the last found nothing the user said: Letta's search matches one
    word, and the first guess at the word ("door" in "the dog next door") need not be the one the user typed."""
    actions: list[Action] = []
    for word in words:
        actions.append(Action("conversation_search", {"query": word}, f"The user is asking about something said earlier; "
                              f"I'll search our conversation for \"{word}\"." if not actions else
                              f"Nothing came up for \"{actions[-1].arguments['query']}\"; I'll try \"{word}\"."))
        done = next((c for c in ctx.turn if c.name == "conversation_search" and c.arguments == {"query": word}), None)
        if done is None or _found(done, ctx):
            break

    def answer(ctx: Context) -> str:
        from ..replies import about_history

        searched = [c for c in ctx.turn if c.name == "conversation_search"]
        hit = next((c for c in searched if _found(c, ctx)), None)
        if hit is not None or not searched:
            return about_history(hit, ctx) if hit is not None else "I couldn't search our conversation."
        tried = L.listing([f'"{c.arguments.get("query", "")}"' for c in searched], "or")
        return f"I looked through our conversation for {tried} but found nothing you said about it."
    return Plan(actions, answer, "", "history")


# not what was said but how it was asked: verbs of asking and remembering, prepositions and adverbs of place
_NOT_KEYWORDS = {"said", "say", "told", "tell", "mention", "mentioned", "thinking", "talking", "going", "was", "were",
                 "earlier", "before", "again", "about", "what", "which", "remember", "something", "anything", "thing",
                 "next", "towards", "toward", "called", "named", "decide", "decided", "other", "back", "already", "anywhere",
                 "somewhere", "ever", "still"}


def keywords(topic: str) -> list[str]:
    """The words to look for in the conversation, best first: Letta's own conversation_search (without a vector
    store) matches the query as a substring of each message, so "my trip to Rome" finds nothing that says "Rome trip".
    Nouns before verbs in -ing or -ed, longer before shorter: "the plumber's quote" -> "plumber", "quote"."""
    found = [re.sub(r"'s?$", "", w) for w in re.findall(r"[A-Za-z][\w'-]*", topic)]
    content = list(dict.fromkeys(w for w in found if w.lower() not in L.STOP | _NOT_KEYWORDS and len(w) > 2))
    return sorted(content, key=lambda w: (w.lower().endswith(("ing", "ed")), -len(w)))


def keyword(topic: str) -> str:
    """The first of :func:`keywords`, or the topic itself."""
    return next(iter(keywords(topic)), topic)


INTENTS = [
    Intent("recall", (
        "what's my name?", "where do I live?", "what do I do for work?", "how old am I?", "what's my daughter called?",
        "do you remember where I'm from?", "where am I based again?", "what am I allergic to?", "what's my job?",
        "who do I work for?", "what's my favourite colour?", "what languages do I speak?", "what instrument does Cy play?",
        "where does my sister live?", "what's my dog's name?", "do you know my birthday?", "what's my email address?",
        "what did I say my order number was?", "which city am I in?", "remind me what my partner does",
        "what kind of food do I like?", "am I vegetarian?", "what's my husband's name?", "do I have any pets?",
        "what car do I drive?", "tell me my phone number", "who is Tom?", "what do I prefer, trains or planes?",
        "what am I learning at the moment?", "do you know what I'm called?",
    ), _recall, forms=_ASKS, priority=30, can="answer questions about what you've told me"),
    Intent("recall_all", (
        "what do you know about me?", "tell me everything you remember about me", "what have you learned about me?",
        "what do you remember about me", "who am I?", "what's in your memory about me?", "summarise what you know about me",
        "what information do you have on me?", "what have I told you about myself?", "show me my profile",
    ), _everything, forms=_ASKS, priority=30),
    Intent("lookup", (
        "what's the warranty on TechWidgets?", "how do I get my money back?", "what time does the office open?",
        "how do I reset the boiler?", "how do I pair the headphones?", "what's the procedure for a lost card?",
        "is shipping free?", "where's the spare key?", "what's the wifi password?", "do you sell helmets?",
        "what's our refund policy?", "when do the bins go out?", "what's the gate code?", "how long does delivery take?",
        "is the TechWidget Pro waterproof?", "what's the dentist's phone number?", "which floor is the printer on?",
        "when does my train to Porto leave?", "can I return an opened item?", "what did the notes say about parking?",
        "look up the opening hours", "find my piano lesson in your archive", "search your notes for the boiler",
        "what does the manual say about charging?", "do we have anything on file about the plumber?",
        "when is the team meeting?", "what's the policy on late returns?", "how much does express shipping cost?",
    ), _lookup, forms=_ASKS, priority=35, grammar=True, can="search my notes for an answer"),
    Intent("history", (
        "what did I say about my holiday?", "what did I tell you about the dentist earlier?",
        "remind me what I said about the party", "did I mention my sister before?", "what did we talk about earlier?",
        "earlier I told you something about my car, what was it?", "what was it I said about the budget?",
        "did I ever tell you about my trip to Rome?", "what have I said about work so far?",
        "do you remember what I told you about the wedding?", "what did I ask you before?",
        "search our conversation for the train", "what did we discuss about the garden last time?",
    ), _history, forms=_ASKS, priority=30, grammar=True, can="look back through our conversation"),
]
