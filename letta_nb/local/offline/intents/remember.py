"""Writing memory: facts the user tells (core memory), corrections, things to forget, notes about the world (archival
memory, or a block made for them), and a block named in words ("update the house rules: ...")."""

from __future__ import annotations

import re

from .. import clauses as C
from .. import facts as F
from .. import language as L
from .. import memory as M
from .. import tools as T
from ..context import Block, Context
from ..plans import Action, Plan, reply
from ..replies import one
from ..statements import line_key, read
from .base import Intent, Unit
from .told import told

_WRITES = frozenset({"statement", "request"})


def _save(ctx: Context, found: list[F.Fact], intent: str) -> Plan | None:
    if not found:
        return None
    planned = M.edits(ctx, found)
    if not planned:
        return None
    acts = M.actions(ctx, planned)
    if not acts and not all(e.known for e in planned):
        if ctx.offers("memory_insert", "core_memory_append") and M.writable(ctx):
            return reply("Thanks for telling me. None of my memory blocks is meant for that, so I haven't saved it.",
                         "The user told me a fact, but none of my writable blocks is for facts like it.", intent)
        name = next((f.value.split()[0] for f in found if f.key.name == "Name"), "")
        return reply(f"{f'Nice to meet you, {name}!' if name else 'Thanks for telling me.'} I can't edit my memory myself "
                     "in this setup.", "The user told me something to remember, but I have no memory tool in this setup.",
                     intent)
    why = "I already have all of this in my memory; there is nothing new to save." if not acts else ""
    return Plan(acts, lambda ctx, planned=planned: told(ctx, planned), why, intent, writes=bool(acts))  # type: ignore[misc]  # mypy: lambda with defaults


def tell(ctx: Context, unit: Unit) -> Plan | None:
    # a change told as news ("my sister moved from Madrid to Valencia") fixes the line that holds the old value
    return _swap(ctx, unit, "tell") or _whole(ctx, unit, read(unit.text), "tell")


# Capitalised words that are no one's name and nothing to save on their own: said beside a fact, they are its time.
_CALENDAR = re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|May|June|July|August|"
                       r"September|October|November|December|Christmas|Easter|Ramadan|Diwali|I|OK|TV")
_NOT_SO = re.compile(r"\b(?:not|n't|used to|than|instead of|formerly|ex)\b[^,;]*$", re.I)
# A sentence that says something stopped or was wrong: told of a name my memory already holds, it changes that line.
_CHANGE = re.compile(r"\b(?:not|n't|no longer|any ?more|actually|instead|retrained|now)\b", re.I)


def _whole(ctx: Context, unit: Unit, found: list[F.Fact], intent: str) -> Plan | None:
    """The facts saved only when they are the whole of what the sentence says; half a sentence saved reads as if the
    agent understood it all ("two cats, Pip and Squeak, and a tortoise called Gerald" saved as "Pets: two cats").
    Two checks, both for what a learner notices at once: every name the sentence gives is in what is saved, and a
    change told about someone my memory already holds ("Ines isn't teaching any more") is not saved as a new line."""
    if not found:
        return None
    saved = " ".join(f.line for f in found).lower()
    text = L.normal(unit.text)
    # a name said as what is not so ("Perth, not Scotland", "I used to live in Oslo") is rightly left out
    names = [m.group(0) for m in re.finditer(rf"(?<!^)(?<![.!?]\s)\b{C.NAME}\b", text)
             if not _NOT_SO.search(text[max(0, m.start() - 24): m.start()]) and not re.search(r"[A-Z]", m.group(0)[1:])]
    left_out = [n for n in dict.fromkeys(names) if n not in C.NOT_NAMES and not re.fullmatch(_CALENDAR, n)
                and n.lower() not in saved]
    held = [n for n in dict.fromkeys(re.findall(rf"\b{C.NAME}\b", unit.text))
            if n not in C.NOT_NAMES and any(re.search(rf"\b{n}\b", b.value) for b in M.writable(ctx))]
    changes_held = bool(held) and bool(_CHANGE.search(unit.text)) and all(e.new_line and not e.old_line
                                                                            for e in M.edits(ctx, found))
    if not left_out and not changes_held:
        return _save(ctx, found, intent)
    missing = f"what you said about {L.listing(left_out)}" if left_out else f"how that changes what I have about {held[0]}"
    return reply(f"I didn't understand all of that: I followed part of it, but not {missing}, so rather than save half "
                 "of it I've saved nothing. Could you tell me one thing at a time?",
                 f"I could read only part of this ({'; '.join(f.line for f in found)}), not {missing}; saving half "
                 "would look as if I had understood it all, so I'll save nothing and say so.", intent)


_SWAP = [re.compile(p, re.I) for p in (
    r"\bnot (?P<old>[\w' -]{2,40}?),\s*(?:it(?:'s| is)|but|rather|i(?:'m| am)|it should be|i meant)\s+(?P<new>[\w' -]{2,40}?)[.!]?$",
    r"^(?:actually,?\s+)?(?:it(?:'s| is)\s+)?(?P<new>[A-Z][\w' -]{1,40}?),\s*not (?P<old>[\w' -]{2,40}?)[.!]?$",
    r"\bi (?:said|meant to say|typed|wrote) (?P<old>[\w' -]{2,40}?) but (?:i )?meant (?P<new>[\w' -]{2,40}?)[.!]?$",
    r"\b(?:change|correct|update|fix|switch) (?P<old>[\w' -]{2,40}?) to (?P<new>[\w' -]{2,40}?)(?: in your memory)?[.!]?$",
    r"\b(?P<new>[\w'-]{1,30}) now,?\s+not (?P<old>[\w'-]{1,30})\b",  # "Mateo's 8 now, not 7"
    r"\b(?:is|are|was|'s) (?:actually |really |in fact )?(?:a |an |the )?(?P<new>[\w' -]{2,40}?),?\s+not (?:a |an |the )?"
    r"(?P<old>[\w' -]{2,40}?)[.!]?$",  # "Nibbles is actually a gerbil, not a hamster"
    # a change told as a story, between two names: "my sister moved from Madrid to Valencia in the summer"
    r"\b(?:moved|switched|changed|gone|went|transferred|relocated) from (?P<old>(?-i:[A-Z][\w'-]*(?: [A-Z][\w'-]*)*)) to "
    r"(?P<new>(?-i:[A-Z][\w'-]*(?: [A-Z][\w'-]*)*))\b",
    # "I'm not in Leeds any more but ... in Sheffield now"
    r"\b(?:not|no longer) (?:in|at|living in|based in) (?P<old>(?-i:[A-Z][\w'-]*)) any ?more\b.*\b(?:in|at|to) "
    r"(?P<new>(?-i:[A-Z][\w'-]*(?: [A-Z][\w'-]*)*)) now\b",
)]


def said_back(line: str) -> str:
    """A memory line said to the user: "Name: Samantha" -> "your name is Samantha"."""
    key, value = line_key(line)
    return key.says(value) if key is not None else line


def _correct(ctx: Context, unit: Unit) -> Plan | None:
    """ "It's Samantha, not Sam": the old value swapped for the new one in the line that holds it; else the
    sentence read as a fact, which replaces its key's line."""
    swapped = _swap(ctx, unit, "correct")
    if swapped is not None:
        return swapped
    renamed = re.search(rf"\b(?:it's|it is|i'm|call me|name's|name is)\s+({C.NAME})\b", L.normal(unit.text))
    found = read(unit.text)
    if renamed and not found and renamed.group(1) not in C.NOT_NAMES:
        found = [F.Fact(F.KEYS["Name"], renamed.group(1))]
    return _whole(ctx, unit, found, "correct")


def _swap(ctx: Context, unit: Unit, intent: str) -> Plan | None:
    """The old value swapped for the new one in the line that holds it, when the sentence says both (:data:`_SWAP`)."""
    for pattern in _SWAP:
        match = pattern.search(L.normal(unit.text))
        if not match:
            continue
        old, new = match.group("old").strip(), match.group("new").strip()
        # "it's actually amoxicillin I'm allergic to, not penicillin": the value ends where its clause begins
        new = re.split(r"\s+(?:i'm|i am|i|that|which|who|you)\b", new, flags=re.I)[0]
        for block, line in ((b, ln) for b in M.writable(ctx) for ln in b.lines):
            if re.search(rf"\b{re.escape(old)}\b", line, re.I):
                fixed = re.sub(rf"\b{re.escape(old)}\b", new, line, count=1, flags=re.I)
                key = ctx.offers("memory_replace", "core_memory_replace")
                if key is None:
                    return None
                args = ({"label": block.label, "old_string": line, "new_string": fixed} if key == "memory_replace"
                        else {"label": block.label, "old_content": line, "new_content": fixed})
                how = "corrects" if intent == "correct" else "says it changed from"
                thanks = "Thanks for the correction!" if intent == "correct" else "Got it!"
                return Plan([Action(key, args, f"The user {how} \"{old}\" to \"{new}\"; my {block.label} block says "
                                               f"\"{line}\", so I'll fix that line.")],
                            lambda ctx, fixed=fixed, thanks=thanks:  # type: ignore[misc]  # mypy: lambda with defaults
                            f"{thanks} I've updated my memory: {said_back(fixed)}.",
                            "", intent, writes=True)
    return None


_FORGET = re.compile(r"^(?:please\s+|can you\s+|could you\s+)*(?:forget|remove|delete|erase|drop|clear|wipe|scrub|"
                     r"get rid of|take out|stop remembering|don't remember|do not remember|unlearn|"
                     r"i (?:don't|do not) want you to (?:know|remember|keep|store)|no need to remember)"
                     r"\s+(?:that\s+|about\s+|the (?:fact|bit|line|note|part) (?:that|about)\s+)?(?P<what>.+?)"
                     r"(?:\s+(?:from|in) (?:your|my) (?:memory|notes|records))?[.!?]*$", re.I)
_PHRASE_KEYS = {"where i live": "Location", "where i work": "Works at", "what i do": "Job", "how old i am": "Age",
                "where i'm from": "From", "what i like": "Likes", "who i am": "Name"}


def _target_lines(ctx: Context, what: str) -> list[tuple[Block, str]]:
    as_said = read(re.sub(r"^that\s+", "", what))
    names = {f.key.name.lower() for f in as_said}
    lowered = re.sub(r"^(?:my|the|our)\s+", "", what.lower().strip(" ."))
    key = _PHRASE_KEYS.get(what.lower().strip(" .")) or next(
        (k.name for k in F.KEYS.values() if lowered == k.name.lower() or lowered in k.synonyms), None)
    if key:
        names.add(key.lower())
    elif re.fullmatch(F.RELATIONS, lowered):
        names.add(lowered)
    found = []
    for block in M.writable(ctx):
        for line in block.lines:
            k, _ = line_key(line)
            if k is not None and k.name.lower() in names:
                found.append((block, line))
    if found or names:
        return found
    wanted = L.words(what) - {"memory", "note", "fact", "thing", "stuff", "info", "information"}
    return [(b, ln) for b in M.writable(ctx) for ln in b.lines if wanted and wanted <= L.words(ln) | {"my"}]


def _forget(ctx: Context, unit: Unit) -> Plan | None:
    match = _FORGET.match(L.normal(unit.text).strip())
    swapped = None if match else _swap(ctx, unit, "correct")  # "not in Leeds any more... in Sheffield now"
    if swapped is not None:
        return swapped
    if not match:
        taken_back = [f for f in read(unit.text) if f.removed]  # "I don't work at Deloitte any more"
        if taken_back:
            return _save(ctx, taken_back, "forget")
        if unit.strict:
            return None
        # the sentence means "forget" (its nearest examples say so), in words no pattern reads: "scratch the bit about
        # Leeds", "I sold the motorbike", "Mike and I split up": what goes is what the sentence names
        return _remove(ctx, _mentioned(ctx, unit.text, by_key=False), "what you mentioned")
    # "forget my street address but you can keep the city": what is kept is no part of what goes
    what = re.split(r",?\s+(?:but|and|though)\s+(?:you can\s+|please\s+|do\s+)?(?:keep|leave)\b", match.group("what"))[0].strip()
    lines = _target_lines(ctx, what) or _mentioned(ctx, what)
    said = L.second_person(what)
    if not lines:
        if T.choose(unit.text, ctx.tools, unit.form)[0] is not None:
            return None  # "delete everything" with a tool that deletes things: that tool is meant, not my memory
        return reply(f"I don't have anything about {said} in my memory, so there's nothing to forget.",
                     f"The user wants me to forget {said}, but no line of my memory holds it.", "forget")
    return _remove(ctx, lines, said)


def _mentioned(ctx: Context, text: str, by_key: bool = True) -> list[tuple[Block, str, str | None]]:
    """The lines of my memory that a sentence names by their value ("Leeds", "the motorbike", "Mike") or, with
    ``by_key`` (the sentence says "forget" in so many words), by their key ("my allergy info", "where I live"); never
    the user's name. A line of several items ("Hobbies: squash, running") is given back with only the items named
    taken out."""
    said = L.words(text)
    keys = _keys_named(text) if by_key else set()
    found: list[tuple[Block, str, str | None]] = []
    for block in M.writable(ctx):
        for line in block.lines:
            k, value = line_key(line)
            if k is None or k.name == "Name":
                continue
            items = [i.strip() for i in re.split(r",\s*|\s+and\s+", value) if i.strip()]
            named = [i for i in items if L.words(i) and L.words(i) & said]
            if named and len(named) < len(items):
                found.append((block, line, f"{line.split(':', 1)[0]}: {', '.join(i for i in items if i not in named)}"))
            elif named or k.name in keys or by_key and L.words(k.name) and L.words(k.name) <= said:
                found.append((block, line, None))
    return found


def _keys_named(text: str) -> set[str]:
    """The keys a sentence names, by their names and synonyms as phrases, the longest first: "my email address" names
    Email, not Location (whose synonyms include "address")."""
    lowered = " " + " ".join(re.findall(r"[a-z']+", L.normal(text).lower())) + " "
    phrases = sorted(((p, k.name) for k in F.KEYS.values() for p in {k.name.lower(), *k.synonyms}),
                     key=lambda pk: -len(pk[0]))
    phrases += [(p, k) for p, k in _PHRASE_KEYS.items()]
    named = set()
    for phrase, key in phrases:
        if f" {phrase} " in lowered:
            named.add(key)
            lowered = lowered.replace(f" {phrase} ", " | ")
    return named


def _remove(ctx: Context, lines: list, said: str) -> Plan | None:
    """Take these lines (``(block, line)``, or ``(block, line, what stays)``) out of memory, or say why not."""
    if not lines:
        return None
    replace = ctx.offers("memory_replace", "core_memory_replace")
    if replace is None:
        return reply("I can't edit my memory in this setup, so I can't remove that.", "I have no memory-editing tool.",
                     "forget")
    acts, gone = [], []
    for block, line, *rest in lines:
        stays = rest[0] if rest else None
        old, new = (line, stays) if stays else M.removal(block, line)
        args = ({"label": block.label, "old_string": old, "new_string": new} if replace == "memory_replace"
                else {"label": block.label, "old_content": old, "new_content": new})
        acts.append(Action(replace, args, f"The user asked me to forget {said}; I'll "
                           + (f"change \"{line}\" to \"{stays}\"" if stays else f"remove \"{line}\"")
                           + f" in my {block.label} block."))
        gone.append(f'"{line}"' if not stays else f"what you named in \"{line}\"")
    return Plan(acts, lambda ctx: f"Done, I've forgotten that: {L.listing(gone)} is no longer in my memory.", "",
                "forget", writes=True)


_NOTE = re.compile(r"^(?:please\s+|can you\s+|could you\s+|would you\s+)*(?:remember|note(?: down)?|make a note|"
                   r"keep (?:in mind|a note)|jot down|write down|save|store|log|record|add a note|for future reference|"
                   r"heads up|fyi|good to know|for the record|just so you know|"
                   r"put (?:this|that|it) in (?:your |my )?(?:archival memory|archive|notes|memory)|"
                   r"don't forget|do not forget|take a note|file)(?: (?:this|it|that))?(?: for later)?(?: please)?"
                   r"(?:\s+that|\s*:|,)?\s*(?P<body>.+)$", re.I | re.S)


def _fitting_block(ctx: Context, text: str) -> Block | None:
    """A writable block other than the user's own whose label or description shares a word with the note."""
    said = L.words(text)
    scored = [(len(said & L.words(f"{b.label} {b.description}")), -i, b) for i, b in enumerate(M.writable(ctx))
              if not any(h in b.label.lower() for h in M.HUMAN_LABELS)]
    best = max(scored, default=None, key=lambda t: t[:2])
    return best[2] if best and best[0] else None


def _note(ctx: Context, unit: Unit) -> Plan | None:
    match = _NOTE.match(L.normal(unit.text).strip())
    if match is None and unit.strict:
        return None  # below the floor, only "remember that...", "heads up: ..." make a note
    body = match.group("body").strip() if match else unit.text.strip()
    about_user = read(body)
    if about_user and re.match(r"(?:i|my|i'm|we|our)\b", body, re.I):
        return _save(ctx, about_user, "tell")
    tags = re.findall(r"#(\w+)", body)
    content = L.sentence(re.sub(r"\s*#\w+", "", body).strip())
    if len(L.words(content)) < 1:
        return None
    fitting = _fitting_block(ctx, content)
    if fitting is not None or not ctx.offers("archival_memory_insert"):
        tool = ctx.offers("memory_insert", "core_memory_append")
        block = fitting or next((b for b in M.writable(ctx)), None)
        if tool is None or block is None:
            return None
        key = "new_string" if tool == "memory_insert" else "content"
        why = (f"This is a note to keep; my {block.label} block is made for it, so I'll add it there." if fitting else
               f"This is a note to keep, and I have no archival memory here; I'll add it to my {block.label} block.")
        return one(tool, {"label": block.label, key: content}, why, "note",
                   lambda ctx, b=block.label: f"Noted: I've added that to my {b} block.")  # type: ignore[misc]  # mypy: lambda with defaults
    plan = one("archival_memory_insert", {"content": content, **({"tags": tags} if tags else {})},
               "This is something to keep for later, not a fact about the user; I'll store it in archival memory.", "note",
               lambda ctx: "Noted. I've stored that in my archival memory, so I can look it up later.")
    plan.writes = True
    return plan


_CHANGE_BLOCK = re.compile(r"^\W*(?:please\s+)?(?:can you\s+|could you\s+)?(?:update|change|edit|amend|add to|append to|set)\s+"
                           r"([^:]+?)(?:\s*:\s*|\s+to\s+|\s+so\s+(?:that\s+)?)(.+?)\s*[.!?]*$", re.I | re.S)


_ON_LIST = re.compile(r"\b(?:add|put|pop|write|stick|jot|note)\s+(?P<item>.+?)\s+(?:to|on|onto|in|into|down on)\s+"
                      r"(?:my|the|our|your)\s+(?P<list>[\w -]{2,30}?)\s*[.!?]*$", re.I)


def _all_words(text: str) -> set[str]:
    return {L.stem(w) for w in re.findall(r"[a-z]{3,}", text.lower().replace("-", ""))} - {"the", "and", "you", "your"}


def named_block(ctx: Context, phrase: str, own: bool = False) -> Block | None:
    """The memory block that a phrase such as "the house rules" names, by the words of its label and description
    (``own``: a block of its own, never the user's facts or my persona)."""
    words = L.words if L.words(phrase) else _all_words  # "my list": "list" is a stop word, and all the phrase says
    said = words(phrase)
    blocks = M.own_blocks(ctx) if own else ctx.blocks
    scored = [(len(said & words(f"{b.label} {b.description}")), -i, b) for i, b in enumerate(blocks)]
    best = max(scored, default=None, key=lambda t: t[:2])
    return best[2] if best and best[0] else None


def update_block(ctx: Context, unit: Unit) -> Plan | None:
    """ "Update the house rules: ..." asks to change a block by name. A read-only block is declined, not tried."""
    whole = L.normal(unit.message)
    match = _CHANGE_BLOCK.match(whole) if whole.startswith(L.normal(unit.text).rstrip(".!?")) else None
    match = match or _CHANGE_BLOCK.match(unit.text)  # the colon's text runs to the end of the message
    block = named_block(ctx, match.group(1)) if match else None
    listed = _ON_LIST.search(L.normal(unit.text)) if block is None else None
    if listed is not None:  # "put 'book MOT' on my list": an item for the block that is that list
        block = named_block(ctx, listed.group("list"), own=True)
        if block is None:
            return None
        item = listed.group("item").strip(" '\"")
        bullet = "- " if any(line.lstrip().startswith("- ") for line in block.lines) else ""
        return _insert(ctx, block, L.second_person(listed.group("list")), f"{bullet}{item}")
    if block is None or match is None:  # (a block found here was named in the match)
        return None
    return _insert(ctx, block, L.second_person(match.group(1)), L.sentence(match.group(2)))


def _insert(ctx: Context, block: Block, phrase: str, line: str) -> Plan | None:
    """``line`` added to ``block``; a read-only block is declined, not tried."""
    if block.read_only:
        return reply(f"I can't change {phrase}: my {block.label} block is read-only, so only the app that set it can "
                     "edit it.", f"The user wants my {block.label} block changed, but it is read-only; I'll say so "
                     "instead of trying.", "update_block")
    tool = ctx.offers("memory_insert", "core_memory_append")
    if tool is None:
        return None
    key = "new_string" if tool == "memory_insert" else "content"
    plan = one(tool, {"label": block.label, key: line},
               f"The user wants my {block.label} block updated; I'll add the new line to it.", "update_block",
               lambda ctx, label=block.label: f"Done: I've added that to my {label} block.")  # type: ignore[misc]  # mypy: lambda with defaults
    plan.writes = True
    return plan


INTENTS = [
    Intent("tell", (
        "Hi, I'm Sam, a teacher in Leeds", "my name is Priya", "I live in Toronto", "I work as a nurse", "I'm 29 years old",
        "I love hiking and jazz", "I'm allergic to peanuts", "I'm vegetarian", "my daughter is called Noor",
        "I have a dog called Biscuit", "I just moved to Lisbon", "I'm originally from Kenya", "I speak Spanish and French",
        "I work at the city hospital", "I'm a huge fan of Formula 1", "I can't stand mushrooms", "my birthday is 3 March",
        "I play the violin", "my favourite colour is green", "I'm learning Japanese", "my sister Ana lives in Madrid",
        "Cy plays jazz piano", "my husband is a chef", "I drive a red Toyota", "we have two kids", "Tom is my brother",
        "I teach maths at a secondary school", "I prefer tea to coffee", "my email is jo@example.com",
        "I've been a software developer for ten years", "I'm Kenji and I run a bakery in Osaka", "I collect vinyl records",
        "my partner Alex works in finance", "I own a TechWidget 3000", "my order number is 4411",
        "I love tea but I hate coffee", "just so you know, I'm left-handed", "btw I'm based in Glasgow now",
        "my mum is retired", "I'm a student at Edinburgh university", "I've got a cat named Miso",
        "my son Leo is seven", "I bought a new bike last week", "I usually cycle to work", "I'm gluten-free",
        "our neighbour Rita is a pilot", "I'm married to Chris", "my frame size is 56", "I go by Jo",
        "my pronouns are she/her", "name's Jo, I'm a nurse", "I'm Lena, 31, a nurse, from Oslo", "Bo teaches yoga",
    ), tell, forms=_WRITES, priority=20, grammar=True,
        can="remember facts you tell me about yourself and the people in your life"),
    Intent("correct", (
        "actually my name is not Sam, it's Samantha", "sorry, I meant York, not Leeds", "no, I live in Bristol now",
        "correction: I'm 35, not 34", "I said Tuesday but I meant Thursday", "that's wrong, my job is architect",
        "you got it wrong, I work at Siemens", "change Leeds to York", "it's Samantha, not Sam", "not Paris, Lyon",
        "my name's spelled Jon, not John", "update my city to Porto", "I'm not a teacher any more, I'm a librarian",
        "fix my email, it's ana@example.org now", "I don't live in Leeds any more, I moved to Hull",
    ), _correct, forms=_WRITES, priority=15, grammar=True, can="correct what I remember"),
    Intent("forget", (
        "forget that I live in Leeds", "please delete my phone number", "remove my age from your memory",
        "I don't want you to remember where I work", "erase the note about my sister", "forget my email address",
        "stop remembering my birthday", "clear what you know about my job", "get rid of the line about my car",
        "please forget my address", "forget about my ex", "wipe my allergies from memory", "don't remember my name",
        "can you forget that I like jazz", "delete the fact that I'm vegetarian",
    ), _forget, forms=_WRITES, priority=15, grammar=True, can="forget something you ask me to"),
    Intent("note", (
        "remember that the office closes at 6", "please note for later that the spare key is under the blue pot",
        "note down that the wifi password is on the fridge", "keep in mind that the meeting moved to room 4",
        "make a note: the dentist's number is 0161 555 0199", "save this for later: the bins go out on Tuesdays",
        "remember the gate code is 4821", "for future reference, the printer is on the second floor",
        "jot down that the parking permit expires in May", "store this: our Wi-Fi name is HomeNet",
        "write down that the plumber comes on Friday", "don't forget that the library shuts early on Sundays",
        "remember that the lighthouse is painted red", "please remember the recycling centre is closed on Mondays",
        "could you note that the boiler was serviced in March", "log that the shop sells helmets in three sizes",
    ), _note, forms=_WRITES, priority=25, grammar=True, can="keep notes for later"),
    Intent("update_block", (
        "update the house rules: no shoes indoors", "add to my notes: call the bank", "please update the project status: "
        "design done", "change the policy: refunds within 14 days", "update my notes: water the plants on Sunday",
        "edit the team log: deploy finished", "amend the guidelines: reply in French", "append to the shopping block: eggs",
    ), update_block, forms=_WRITES, priority=10, grammar=True, can="update a memory block you name"),
]
