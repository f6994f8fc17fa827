"""From a statement to facts: each clause (:mod:`.clauses`) is read by its subject and its verb phrase against the
table of :data:`letta_nb.local.offline.predicates.PREDICATES`.

``read("I'm Sam, a teacher in Leeds")`` gives ``Name: Sam``, ``Job: teacher``, ``Location: Leeds``; ``read("I love
tea but not coffee")`` gives ``Likes: tea`` and ``Dislikes: coffee``; ``read("my sister Ana lives in Madrid")`` gives
``Sister: Ana`` and ``Ana: lives in Madrid``; ``read("I don't have a car any more")`` gives ``Owns: car`` marked as
removed. A clause that says nothing lasting (a verb of thinking or wanting, "I have a question") gives nothing.
"""

from __future__ import annotations

import re

from . import clauses as C
from . import facts as F
from . import language as L
from .predicates import HAVE_NOT_OWNED, NOT_FACTS, VERBS

# Verbs of a habit that no row of PREDICATES reads: kept under the verb ("I drink oat milk" -> "Drinks: oat milk").
HABITS = frozenset(["drink", "eat", "cook", "run", "swim", "cycle", "read", "write", "paint", "sing", "dance", "travel", "support", "follow", "watch"])
_OPPOSITE = {"Likes": "Dislikes"}
# Where the place after "a teacher in/at ..." goes.
_PLACE_KEY = {"in": "Location", "at": "Works at", "for": "Works at", "with": "Works at", "from": "From"}


def _value(text: str | None) -> str:
    return C.clean(text or "")


def _listed(key: F.Key, value: str) -> str:
    return ", ".join(F.items(value)) if key.multi else value


def lemma_in_verbs(word: str) -> bool:
    return C.lemma(word) in VERBS


def _about_user(vp: str, negated: bool, removed: bool, listed: bool = False) -> list[F.Fact]:
    """Facts in a verb phrase whose subject is the user ("live in Leeds", "be a teacher in Leeds")."""
    job = C.job_noun(vp.split(" ")[1:]) if vp.startswith("be ") and listed else None
    if job and job == vp[3:].strip(" ,.") and not negated:  # "be graphic designer", said in a list after a comma
        return [F.Fact(F.KEYS["Job"], job)]
    name = re.fullmatch(rf"be ({C.NAME})", vp)
    if name and name.group(1) not in C.NOT_NAMES and not negated:
        return [F.Fact(F.KEYS["Name"], name.group(1))]
    found = C.match(vp)
    if found is None:
        if ", " in vp:  # "be 41, married": each part with the verb
            head, _, tail = vp.partition(" ")
            return [f for part in tail.split(", ") for f in _about_user(f"{head} {C.clean(part)}", negated, removed)]
        verb = vp.split(" ", 1)
        if len(verb) == 2 and verb[0] in ("eat", "drink") and negated and not removed:
            return [F.Fact(F.KEYS["Avoids"], _value(verb[1]))]  # "I don't drink alcohol": a diet, not a habit
        if len(verb) < 2 or verb[0] not in HABITS or negated:
            return []
        value = _value(verb[1])
        said = verb[0] + ("es" if verb[0].endswith(("sh", "ch")) else "s")
        key = F.Key(said.capitalize(), "preferences", True, (said,), f"you {verb[0]} {{}}", f"what they {verb[0]}")
        return [F.Fact(key, value, removed)] if value else []
    key_name, match = found
    groups = {k: v for k, v in match.groupdict().items() if v}
    value = _value(groups.get("v"))
    if not value:
        return []
    key = F.key(groups["rel"].capitalize()) if key_name == "relation" else F.key(key_name)
    if key.name == "Owns" and set(re.findall(r"[a-z]+", value.lower())) & HAVE_NOT_OWNED:
        return []
    if negated:
        if key.name in _OPPOSITE and not removed:
            return [F.Fact(F.KEYS[_OPPOSITE[key.name]], _listed(key, value))]
        return [F.Fact(key, value, True)] if removed else []
    facts = [F.Fact(key, _listed(key, value), removed)]
    if groups.get("p") and groups.get("w"):
        where = _PLACE_KEY[groups["p"]]
        where = "Studies at" if where == "Works at" and value.lower().endswith(("student", "pupil")) else where
        facts.append(F.Fact(F.KEYS[where], _value(groups["w"]), removed))
    if groups.get("s"):  # "a masters in architecture at TU Delft"
        facts.append(F.Fact(F.KEYS["Studies at"], _value(groups["s"]), removed))
    if groups.get("w2"):
        facts.append(F.Fact(F.KEYS["Location"], _value(groups["w2"]), removed))
    if groups.get("j"):
        facts.append(F.Fact(F.KEYS["Job"], _value(groups["j"]), removed))
    return facts + _tail(groups.get("tail", ""), key, facts)


def _tail(tail: str, key: F.Key, found: list[F.Fact]) -> list[F.Fact]:
    """What the words after a place or a job still say: "... at a school in Valencia" (where), "... with my wife Thandi
    and our two dogs" (who with)."""
    out = []
    place = re.search(rf"\bin ({C.NAMED_PLACE})", tail)
    if place and key.name in ("Job", "Teaches", "Works at", "Works in") and not any(f.key.name == "Location" for f in found):
        out.append(F.Fact(F.KEYS["Location"], place.group(1).rstrip(".,")))
    company = re.match(r"\s*with (?:my|our) (.+)$", tail)
    for part in re.split(r",\s*|\s+and\s+(?:my |our )?", company.group(1)) if company else []:
        who = re.fullmatch(rf"({F.RELATIONS}) ({C.NAME})", part.strip(" ."))
        pets = re.fullmatch(r"(?:(?:a|an|one|two|three|four) )?((?:dog|cat|puppy|kitten|rabbit|hamster|parrot)s?)", part.strip(" ."))
        if who:
            out.append(F.Fact(F.key(who.group(1).capitalize()), who.group(2)))
        elif pets:
            out.append(F.Fact(F.key("Pets"), part.strip(" .")))
    return out


_PLANNED = r"(?:booked|planned|scheduled|arranged|coming|going|due|happening|on|off|over|late|cancelled|delayed)\b"


def _possession(thing: str, vp: str, said: str, negated: bool) -> list[F.Fact]:
    """ "my name is Sam", "my favourite colour is green", "my order number is 4411"; ``said``: the words after "is"."""
    value = _value(re.sub(r",?\s+not\s+.+$", "", re.sub(r"^(?:on |in |at )", "", C.clean(said))))
    # "our landlord is Mrs Okonkwo and her number's on the lease": the second clause is about something else
    value = re.sub(r",?\s+(?:and|but)\s+(?:her|his|their|its|he|she|they|it)\b.*$", "", value)
    if negated or not value or not vp.startswith("be ") or re.match(_PLANNED, value, re.I):
        return []  # "my holiday is booked for June" is a plan, not a lasting fact
    thing = thing.strip().lower()
    key = next((k for k in F.KEYS.values() if thing == k.name.lower() or thing in k.synonyms), None)
    return [F.Fact(key or F.key(thing), value)]


def lasting(said: str) -> bool:
    """Whether what is said of someone lasts: not "not 7", "asking me...", "had his birthday"."""
    verb = re.sub(r"^(?:is|are|was|has|'s) ", "", said).split(" ", 1)[0].lower()
    forms = {verb, C.lemma(verb)} | ({verb[:-3], verb[:-3] + "e", verb[:-4]} if verb.endswith("ing") else set())
    return bool(said) and said.split(" ", 1)[0] not in ("not", "never") and not forms & (NOT_FACTS - {"have"}) \
        and verb not in NOT_FACTS


def _about_person(who: str, words: list[str], negated: bool) -> list[F.Fact]:
    """ "Cy plays jazz piano" -> ``Cy: plays jazz piano``; "Tom is my brother" -> ``Brother: Tom``."""
    said = _value(" ".join(w.strip(",;:") for w in words))
    first = said.split(" ", 1)[0].lower() if said else ""
    says_something = first in ("is", "are", "was", "has", "'s", "does", "can", "will", "not") or first.endswith("s") \
        or C.lemma(first) in VERBS
    if not lasting(said) or not says_something:  # "Shout hello": no verb after the name, so no fact about "Shout"
        return []
    relation = re.fullmatch(rf"(?:is|'s) (?:my|our) ({F.RELATIONS})", said, re.I)
    if relation and not negated:
        return [F.Fact(F.key(relation.group(1).capitalize()), who)]
    return [F.Fact(F.key(who), said)]


def _about_relation(who: str, words: list[str], negated: bool) -> list[F.Fact]:
    """ "my daughter is called Noor" -> ``Daughter: Noor``; "my sister Ana lives in Madrid" -> ``Sister: Ana`` and
    ``Ana: lives in Madrid``; "my husband is a chef" -> ``Husband: a chef``."""
    relation, _, name = who.partition(" ")
    key = F.key(relation)
    vp, negative, _ = C.verb_phrase(words)
    called = re.fullmatch(rf"be (?:called |named )?({C.NAME})", vp)
    if name:
        return [F.Fact(key, name), *(_about_person(name, words, negated) if words else [])]
    if called and not negative and called.group(1) not in C.NOT_NAMES:
        return [F.Fact(key, called.group(1))]
    said = _value(" ".join(w.strip(",;:") for w in words))
    if not said or negative or not lasting(said):
        return []
    return [F.Fact(key, re.sub(r"^(?:is|are) (?=(?:a|an|the) )", "", said))]


# Words a message can start with when the "I'm" is left out, as in chat: "originally from Accra", "moved to York".
_SAID_OF_ONESELF = {"originally", "been", "moved", "living", "based", "born", "just", "turned"}


def read(text: str) -> list[F.Fact]:
    """The facts a statement holds, in the order said; none for a question, a wish or a remark."""
    stripped = C.OPENERS.sub("", re.sub(r"\s*\([^)]*\)", "", L.normal(text)))
    stripped = re.sub(rf"^({C.NAME}) here\b[,.!]*\s*", r"I am \1, ", stripped).rstrip(", ")
    stripped = re.sub(r"^([\w-]+) diet for me\b", r"I am on a \1 diet", stripped, flags=re.I)  # "gluten-free diet for me"
    # a name in apposition is the relation's name: "Leo, my son, is mad about..." / "my son, Leo, is..."
    stripped = re.sub(rf"^({C.NAME}), ([Mm]y|[Oo]ur) ({F.RELATIONS}),\s+", r"\2 \3 \1 ", stripped)
    stripped = re.sub(rf"^([Mm]y|[Oo]ur) ({F.RELATIONS}), ({C.NAME}),\s+", r"\1 \2 \3 ", stripped)
    if not stripped or stripped.rstrip().endswith("?"):
        return []
    out: list[F.Fact] = []
    previous = ("other", "")
    last_verb = "be"
    for i, words in enumerate(C.split(C.tokens(stripped))):
        kind, who, rest = C.subject(words, previous)
        if kind == "same" and i == 0 and words[0].lower() in _SAID_OF_ONESELF:
            kind, rest = "user", (rest if C.lemma(rest[0]) in VERBS else ["am", *rest])  # "originally from Accra, ..."
        elif kind == "same":
            kind = previous[0]
        if not rest:
            continue
        vp, negated, removed = C.verb_phrase(rest)
        vp = C.clean(vp)  # "be 34 btw", "turn 31 yesterday", "go vegan in january"
        head = vp.split(" ", 1)[0] if vp else ""
        if kind == "user":
            if i and lemma_in_verbs(head) is False:
                vp = f"{last_verb} {vp}"  # "I love tea but not coffee": the second clause borrows "love"
            out += _about_user(vp, negated, removed, listed=i > 0)
        elif kind == "possession":  # "my colour is purple not green": the "not" is no negation of "is"
            said = " ".join(w.strip(";:") for w in rest[1:])
            out += _possession(who, vp, said, len(rest) > 1 and rest[1].lower() in ("not", "never"))
        elif kind == "relation":
            out += _about_relation(who, rest, negated)
        elif kind == "person":
            for name in who.split("+"):
                out += _about_person(name, rest, negated)
        if kind in ("user", "person", "relation"):
            previous = (kind, who)
            head = vp.split(" ", 1)[0] if vp else ""
            last_verb = head if head in VERBS and head not in ("not", "never", "also", "really", "still") else last_verb
    seen: set[tuple[str, str, bool]] = set()
    unique = []
    for fact in out:
        marker = (fact.key.name, fact.value.lower(), fact.removed)
        if fact.value and marker not in seen:
            seen.add(marker)
            unique.append(fact)
    return unique


def line_key(line: str) -> tuple[F.Key | None, str]:
    """Which key a line of a block holds, and its value: ``Location: Leeds`` and ``Lives in Leeds`` both give
    (Location, "Leeds"); a line saved verbatim, such as "my name is Ada", reads like the user saying it."""
    stripped = line.strip().lstrip("-*• ").strip()
    if re.search(r"(?<!\d):|:(?!\d)", stripped):  # "lands at 6:15" holds a time, not a key
        head, value = (s.strip() for s in re.split(r"(?<!\d):|:(?!\d)", stripped, maxsplit=1))
        for k in F.KEYS.values():
            if head.lower() == k.name.lower() or head.lower() in k.synonyms:
                return k, value
        if re.fullmatch(r"[A-Za-z][\w' -]{0,30}", head):
            return F.key(head), value
        return None, stripped
    lowered = stripped.lower()
    for k in F.KEYS.values():
        for synonym in k.synonyms:
            if " " in synonym and lowered.startswith(synonym + " "):
                return k, stripped[len(synonym) + 1:].strip().rstrip(".")
    spoken = read(stripped)
    if len(spoken) == 1 and not spoken[0].removed:
        return spoken[0].key, spoken[0].value
    return None, stripped
