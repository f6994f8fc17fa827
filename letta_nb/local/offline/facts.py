"""Facts about the user, read from plain English, and kept in memory blocks as ``Key: value`` lines.

``extract("Hi, I'm Sam, a teacher in Leeds")`` gives ``Name: Sam``, ``Job: teacher``, ``Location: Leeds``. A key holds
one value (a new one replaces the old: a move to York replaces Leeds) or, for keys such as ``Likes``, a list that
grows. Lines written some other way ("Lives in Leeds", "Name: unknown") are recognised by their key's synonyms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME = r"([A-Z][a-z][\w'-]*)"
PLACE = r"([A-Z][\w'-]*(?:[ -](?:(?:upon|on|de|la|le|am)[ -])?[A-Z][\w'-]*)*)"
PHRASE = r"([^.!?;]+?)"
END = r"(?=\s*(?:[.!?;]|(?i:,?\s+(?:and|but|so|because)\s+(?:i|my|i'm|we)\b)|$))"
_NOT_NAMES = {"Not", "Fine", "Good", "Great", "Okay", "Ok", "Here", "Back", "Sorry", "Happy", "Tired", "Sure", "Just",
              "English", "British", "French", "German", "Spanish", "Italian", "American", "Also", "So", "Very", "Really"}
_NOT_JOBS = {"bit", "little", "lot", "fan", "big", "huge", "new", "vegetarian", "vegan", "pescatarian", "quick", "fast",
             "slow", "good", "bad", "great", "real", "total", "complete"}
_SINGLE_RELATIONS = {"wife", "husband", "partner", "girlfriend", "boyfriend", "mother", "mum", "mom", "father", "dad",
                     "boss", "manager", "best friend"}
RELATIONS = ("daughter|son|wife|husband|partner|girlfriend|boyfriend|sister|brother|mother|mum|mom|father|dad|dog|cat|"
             "child|kid|boss|best friend|friend|manager|cousin|grandmother|grandfather|niece|nephew|baby|puppy|kitten")


@dataclass(frozen=True)
class Key:
    name: str
    topic: str  # which kind of block it belongs in: identity, work, place, family, preferences, health
    multi: bool = False
    synonyms: tuple[str, ...] = ()
    what: str = ""  # "their name": for the agent's reasoning

    def says(self, value: str) -> str:
        """The fact addressed to the user: 'your name is Sam'."""
        phrase = _SAYS.get(self.name)
        if phrase:
            return phrase.format(value)
        if self.name.startswith("Favourite "):
            return f"your favourite {self.name[10:].lower()} is {value}"
        return f"your {self.name.lower()} is {value}"


_SAYS = {"Name": "your name is {}", "Job": "you work as a {}", "Works at": "you work at {}",
         "Location": "you live in {}", "From": "you come from {}", "Likes": "you like {}", "Dislikes": "you dislike {}",
         "Prefers": "you prefer {}", "Plays": "you play {}", "Allergies": "you are allergic to {}", "Diet": "you are {}", "Age": "you are {}",
         "Birthday": "your birthday is {}", "Languages": "you speak {}", "Learning": "you are learning {}", "Owns": "you own {}", "Collects": "you collect {}",
         "Email": "your email is {}"}

KEYS = {k.name: k for k in (
    Key("Name", "identity", synonyms=("name", "called"), what="their name"),
    Key("Job", "work", synonyms=("job", "occupation", "profession", "role", "works as"), what="their job"),
    Key("Works at", "work", synonyms=("works at", "employer", "company"), what="where they work"),
    Key("Location", "place", synonyms=("location", "lives in", "city", "based in", "home", "lives"), what="where they live"),
    Key("From", "place", synonyms=("from", "hometown", "comes from"), what="where they come from"),
    Key("Likes", "preferences", True, ("likes", "interests", "hobbies", "loves"), "something they like"),
    Key("Plays", "preferences", True, ("plays",), "something they play"),
    Key("Dislikes", "preferences", True, ("dislikes", "hates"), "something they dislike"),
    Key("Prefers", "preferences", synonyms=("prefers", "preference"), what="a preference"),
    Key("Allergies", "health", True, ("allergies", "allergic to", "allergy"), "an allergy"),
    Key("Diet", "health", synonyms=("diet",), what="their diet"),
    Key("Age", "identity", synonyms=("age",), what="their age"),
    Key("Birthday", "identity", synonyms=("birthday", "born"), what="their birthday"),
    Key("Languages", "identity", True, ("languages", "speaks"), "a language they speak"),
    Key("Learning", "preferences", True, ("learning",), "what they are learning"),
    Key("Owns", "preferences", True, ("owns",), "something they own"),
    Key("Collects", "preferences", True, ("collects", "collection"), "what they collect"),
    Key("Email", "identity", synonyms=("email", "e-mail"), what="their email address"),
)}


def key(name: str) -> Key:
    """Known keys, and the open families of keys: relations ('Daughter') and favourites ('Favourite colour')."""
    if name in KEYS:
        return KEYS[name]
    if name.startswith("Favourite "):
        return Key(name, "preferences", synonyms=(name.lower(), name.lower().replace("favourite", "favorite")),
                   what=f"their {name.lower()}")
    if re.fullmatch(RELATIONS, name.lower()):
        return Key(name, "family", multi=name.lower() not in _SINGLE_RELATIONS, synonyms=(name.lower(),),
                   what=f"their {name.lower()}'s name")
    return Key(name, "identity", synonyms=(name.lower(),), what=f"their {name.lower()}")


@dataclass(frozen=True)
class Fact:
    key: Key
    value: str

    @property
    def line(self) -> str:
        return f"{self.key.name}: {self.value}"

    @property
    def says(self) -> str:
        return self.key.says(self.value)


_WHEN = re.compile(r"\s+(?:(?:on|in|at|last|next|this)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
                   r"January|February|March|April|May|June|July|August|September|October|November|December)\b.*$")


def _clean(value: str) -> str:
    value = _WHEN.sub("", value)
    value = re.sub(r"\s+(?:too|as well|a lot|very much|so much)$", "", value.strip(" ,.!?;:'\""), flags=re.I)
    return re.sub(r"^(?:to|doing)\s+", "", value, flags=re.I).strip()


def _items(value: str) -> list[str]:
    return [_clean(v) for v in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", value) if _clean(v)]


# (pattern, key name or None for a computed one, value group(s)); matched on text with straight apostrophes.
_RULES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"\b(?i:my name(?:'s| is))\s+" + NAME), "Name"),
    (re.compile(r"\b(?i:i'm|i am|call me|i go by)\s+" + NAME + r"\b(?!\s+(?i:years?|street|road))"), "Name"),
    (re.compile(r"\b(?i:i'm|i am|i work as|i'm working as)\s+(?:[A-Z][\w'-]*,\s+)?(?i:an?)\s+((?:[a-z-]+\s){0,2}?[a-z-]+)"
                r"(?:\s+((?i:in|at|for|from|based in))\s+" + PLACE + r")?" + END), "Job"),
    (re.compile(r"\b(?i:i work|i'm working|i am working)\s+(?i:at|for)\s+" + PLACE), "Works at"),
    (re.compile(r"\b(?i:i live|i'm living|i am living|i'm based|i am based|i stay|we live)\s+(?i:in)\s+" + PLACE), "Location"),
    (re.compile(r"\b(?i:i've|i have|i|we|we've)?\s*(?i:just\s+|recently\s+)?(?i:moved|relocated)\s+(?i:to)\s+" + PLACE), "Location"),
    (re.compile(r"\b(?i:i'm|i am|i come|i'm originally|i am originally)\s+(?i:from)\s+" + PLACE), "From"),
    (re.compile(r"\b(?i:my)\s+(" + RELATIONS + r")(?:'s name)?\s+(?i:is\s+called|is\s+named|is|'s\s+called|'s)\s+" + NAME), "relation"),
    (re.compile(r"\b(?i:i have|i've got|i own)\s+an?\s+(" + RELATIONS + r")\s+(?i:called|named)\s+" + NAME), "relation"),
    (re.compile(r"\b(?i:my\s+favou?rite)\s+([a-z]+(?:\s[a-z]+)?)\s+(?i:is|are)\s+" + PHRASE + END), "favourite"),
    (re.compile(r"\b(?i:i)\s+(?i:really\s+|also\s+|absolutely\s+)?(?i:like|love|enjoy|adore)\s+" + PHRASE + END), "Likes"),
    (re.compile(r"\b(?i:i'm a (?:big |huge )?fan of|i am a (?:big |huge )?fan of)\s+" + PHRASE + END), "Likes"),
    (re.compile(r"\b(?i:i)\s+(?i:don't|do not|really don't)\s+(?i:like|enjoy)\s+" + PHRASE + END), "Dislikes"),
    (re.compile(r"\b(?i:i hate|i dislike|i can't stand|i cannot stand)\s+" + PHRASE + END), "Dislikes"),
    (re.compile(r"\b(?i:i prefer)\s+" + PHRASE + END), "Prefers"),
    (re.compile(r"\b(?i:i)\s+(?i:also\s+)?(?i:play)\s+(?i:the\s+)?" + PHRASE + END), "Plays"),
    (re.compile(r"\b(?i:i'm|i am)\s+(?i:allergic)\s+(?i:to)\s+" + PHRASE + END), "Allergies"),
    (re.compile(r"\b(?i:i'm|i am)\s+(?:a\s+)?((?i:vegetarian|vegan|pescatarian))\b"), "Diet"),
    (re.compile(r"\b(?i:i'm|i am)\s+(\d{1,3})(?:\s+(?i:years old|years of age|yo))?(?=\s*(?:[,!?;]|\.(?!\d)|$|\s+(?i:and|but)))"), "Age"),
    (re.compile(r"\b(?i:my birthday is)\s+(?i:on\s+)?" + PHRASE + END), "Birthday"),
    (re.compile(r"\b(?i:i speak)\s+" + PHRASE + END), "Languages"),
    (re.compile(r"\b(?i:i'm|i am)\s+(?i:learning)\s+" + PHRASE + END), "Learning"),
    (re.compile(r"\b(?i:my e-?mail(?: address)? is)\s+(\S+@[\w.-]+\w)"), "Email"),
    (re.compile(r"\b(?i:i collect|i've been collecting|i have been collecting)\s+" + PHRASE + END), "Collects"),
    (re.compile(r"\b(?i:i own|i bought|i've bought|i have bought|i just bought)\s+(?i:an?|the|two|three|some)?\s*" + PHRASE + END), "Owns"),
    # Anything else the user calls theirs: "my order number is 1234" -> "Order number: 1234".
    (re.compile(r"\b(?i:my)\s+([a-z]+(?:\s[a-z]+){0,2})\s+(?i:is|are)\s+((?:[\w@.#/+-]+)(?:\s[\w@.#/+-]+){0,3})" + END), "possession"),
]


def extract(text: str) -> list[Fact]:
    """Every fact the user states about themselves, in order; a later value of a single-valued key wins."""
    text = text.replace("’", "'")
    found: dict[str, Fact] = {}
    spans: list[tuple[int, int]] = []
    where: dict[str, int] = {}  # where in the text each key was first said: facts come back in the user's order

    def add(name: str, value: str) -> None:
        value = _clean(value)
        if not value:
            return
        where.setdefault(name, match.start())
        k = key(name)
        if k.multi:
            value = merge(found[name].value if name in found else "", value)
        found[name] = Fact(k, value)

    for pattern, name in _RULES:
        for match in pattern.finditer(text):
            if any(s <= match.start() < e for s, e in spans) and name == "Name":
                continue
            groups = match.groups()
            if name == "Name":
                if groups[0] in _NOT_NAMES:
                    continue
                add("Name", groups[0])
            elif name == "Job":
                if groups[0].split()[0].lower() in _NOT_JOBS or "fan of" in groups[0]:
                    continue
                add("Job", groups[0])
                if groups[2]:
                    add("Works at" if groups[1].lower() in ("at", "for") else "Location", groups[2])
            elif name == "relation":
                add(groups[0].lower().capitalize(), groups[1])
            elif name == "favourite":
                add(f"Favourite {groups[0].lower()}", groups[1])
            elif name == "Age":
                add("Age", groups[0])
            elif name == "possession":
                thing = groups[0].lower()
                if thing.split()[0] in ("name", "favourite", "favorite", "birthday", "email") or re.fullmatch(RELATIONS, thing.split()[-1]):
                    continue
                add(thing.capitalize(), groups[1])
            else:
                add(name, groups[0])
            spans.append(match.span())
    order = {n: i for i, n in enumerate(found)}
    return sorted(found.values(), key=lambda f: (where[f.key.name], order[f.key.name]))


# ------------------------------------------------------------------------------------------- in a memory block
def line_key(line: str) -> tuple[Key | None, str]:
    """Which key a line of a block holds, and its value: ``Location: Leeds`` and ``Lives in Leeds`` both give
    (Location, "Leeds")."""
    stripped = line.strip().lstrip("-*• ").strip()
    if ":" in stripped:
        head, value = (s.strip() for s in stripped.split(":", 1))
        for k in (*KEYS.values(),):
            if head.lower() == k.name.lower() or head.lower() in k.synonyms:
                return k, value
        if re.fullmatch(r"[A-Za-z][\w ]{0,30}", head):
            lowered = head.lower()
            if lowered.startswith(("favourite ", "favorite ")):
                return key("Favourite " + lowered.split(" ", 1)[1]), value
            return key(lowered.capitalize()), value
        return None, stripped
    spoken = extract(stripped)  # a line saved verbatim, such as "my name is Ada"
    if len(spoken) == 1:
        return spoken[0].key, spoken[0].value
    lowered = stripped.lower()
    for k in KEYS.values():
        for synonym in k.synonyms:
            if " " in synonym and lowered.startswith(synonym + " "):
                return k, stripped[len(synonym) + 1:].strip()
    return None, stripped


def same(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def merge(existing: str, new: str) -> str:
    """The items of a list-valued key, old first, without repeats."""
    items = _items(existing)
    for item in _items(new):
        if not any(same(item, old) for old in items):
            items.append(item)
    return ", ".join(items)


def unknown(value: str) -> bool:
    return value.strip().lower() in ("", "unknown", "?", "n/a", "none", "not known", "tbd")
