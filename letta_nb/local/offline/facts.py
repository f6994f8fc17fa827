"""Facts as the offline model keeps them in memory blocks: one ``Key: value`` line each.

About the user: ``Name: Sam``, ``Location: Leeds``, ``Likes: tea, jazz``. A key holds one value (a move to York
replaces Leeds) or, for keys such as ``Likes``, a list that grows. About someone else: the relation (``Sister: Ana``)
and what is said of them, keyed by their name (``Ana: lives in Madrid``, ``Cy: plays jazz piano``). Lines written
some other way ("Lives in Leeds", "Name: unknown") are recognised by their key's synonyms.

The keys are data (``KEYS``): adding one is a row here and, if the user can say it in a new way, a row of
:data:`letta_nb.local.offline.predicates.PREDICATES`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import language as L

RELATIONS = ("daughter|son|wife|husband|partner|girlfriend|boyfriend|fiancee|fiance|sister|brother|mother|mum|mom|father|"
             "dad|stepdad|stepmum|stepmom|child|kid|boss|best friend|best mate|mate|pal|housemate|friend|manager|colleague|flatmate|roommate|neighbour|"
             "neighbor|cousin|aunt|uncle|grandmother|grandma|gran|granny|grandfather|grandpa|grandad|niece|nephew|baby|"
             "twin|dog|cat|puppy|kitten|rabbit|hamster|parrot|horse|tortoise|goldfish|pet|teacher|doctor|dentist")
_SINGLE = {"wife", "husband", "partner", "girlfriend", "boyfriend", "fiancee", "fiance", "mother", "mum", "mom",
           "father", "dad", "boss", "manager", "best friend", "stepdad", "stepmum", "stepmom", "dentist", "doctor"}
_PETS = {"dog", "cat", "puppy", "kitten", "rabbit", "hamster", "parrot", "horse", "tortoise", "goldfish", "pet"}


@dataclass(frozen=True)
class Key:
    name: str
    topic: str  # which kind of block it belongs in: identity, work, place, family, people, preferences, health
    multi: bool = False
    synonyms: tuple[str, ...] = ()
    says_as: str = ""  # "you live in {}": the fact said back to the user
    what: str = ""  # "where they live": for the agent's reasoning

    def says(self, value: str) -> str:
        if self.says_as:
            value = L.with_article(value) if "{a}" in self.says_as else value
            return self.says_as.replace("{a}", "{}").format(value)
        if self.topic == "people":  # "Cy: plays jazz piano" is said as a sentence; "Customer: see notes" as written
            first = value.split(" ", 1)[0].lower()
            said_of = first.endswith("s") or first in ("is", "has", "was", "does", "can", "will", "loves", "likes")
            return f"{self.name} {value}" if said_of else f"{self.name}: {value}"
        if self.topic == "family":
            return f"your {self.name.lower()} is {value}" if not _predicate(value) else f"your {self.name.lower()} {value}"
        return f"your {self.name.lower()} is {value}"


def _predicate(value: str) -> bool:
    """Whether a value says something of its key ("lives in Madrid") rather than naming it ("Ana")."""
    return bool(re.match(r"[a-z]", value)) and not re.match(r"(?:a|an|the)\s", value)


KEYS = {k.name: k for k in (
    Key("Name", "identity", synonyms=("name", "called"), says_as="your name is {}", what="their name"),
    Key("Job", "work", synonyms=("job", "occupation", "profession", "role", "works as", "for a living"),
        says_as="you work as {a}", what="their job"),
    Key("Works at", "work", synonyms=("works at", "employer", "company", "workplace"), says_as="you work at {}",
        what="where they work"),
    Key("Works in", "work", synonyms=("works in",), says_as="you work in {}", what="where they work"),
    Key("Location", "place", synonyms=("location", "lives in", "city", "based in", "home", "lives", "address"),
        says_as="you live in {}", what="where they live"),
    Key("From", "place", synonyms=("from", "hometown", "comes from", "grew up in", "originally"), says_as="you come from {}",
        what="where they come from"),
    Key("Likes", "preferences", True, ("likes", "interests", "hobbies", "loves", "enjoys"), "you like {}",
        "something they like"),
    Key("Dislikes", "preferences", True, ("dislikes", "hates"), "you dislike {}", "something they dislike"),
    Key("Prefers", "preferences", True, ("prefers", "preference", "preferences"), "you prefer {}", "a preference"),
    Key("Plays", "preferences", True, ("plays",), "you play {}", "something they play"),
    Key("Teaches", "work", True, ("teaches", "subject"), "you teach {}", "what they teach"),
    Key("Allergies", "health", True, ("allergies", "allergic to", "allergy"), "you are allergic to {}", "an allergy"),
    Key("Diet", "health", synonyms=("diet", "dietary"), says_as="you are {}", what="their diet"),
    Key("Age", "identity", synonyms=("age",), says_as="you are {}", what="their age"),
    Key("Birthday", "identity", synonyms=("birthday", "born", "birth date", "date of birth"),
        says_as="your birthday is {}", what="their birthday"),
    Key("Languages", "identity", True, ("languages", "speaks"), "you speak {}", "a language they speak"),
    Key("Goal", "preferences", True, ("goal", "saving for", "saving up for"), "you are saving for {}",
        "what they are saving for"),
    Key("Studies at", "work", synonyms=("studies at", "university", "school", "college"), says_as="you study at {}",
        what="where they study"),
    Key("Avoids", "health", True, ("avoids", "doesn't eat", "doesn't drink"), "you avoid {}", "what they don't eat or drink"),
    Key("Children's names", "family", True, ("children's names", "kids"), "your children are {}", "their children's names"),
    Key("Pets", "family", True, ("pets", "pet"), "you have {a}", "their pets"),
    Key("Traits", "identity", True, ("traits", "handed", "colourblind"), "you are {}", "something about them"),
    Key("Training for", "preferences", True, ("training for", "training"), "you are training for {}",
        "what they are training for"),
    Key("Nationality", "identity", synonyms=("nationality", "citizenship"), says_as="you are {}",
        what="their nationality"),
    Key("Marital status", "identity", synonyms=("marital status", "married", "divorced"), says_as="you are {}",
        what="their marital status"),
    Key("Learning", "preferences", True, ("learning", "studies", "studying"), "you are learning {}",
        "what they are learning"),
    Key("Owns", "preferences", True, ("owns", "has", "possessions"), "you own {a}", "something they own"),
    Key("Collects", "preferences", True, ("collects", "collection"), "you collect {}", "what they collect"),
    Key("Email", "identity", synonyms=("email", "e-mail", "email address"), says_as="your email is {}",
        what="their email address"),
    Key("Phone", "identity", synonyms=("phone", "phone number", "mobile", "number", "telephone"),
        says_as="your phone number is {}", what="their phone number"),
    Key("Partner", "family", synonyms=("partner", "spouse", "married to"), says_as="your partner is {}",
        what="their partner"),
    Key("Children", "family", synonyms=("children", "kids"), says_as="you have {} children", what="how many children they have"),
)}


def key(name: str) -> Key:
    """Known keys, and the open families of keys: relations ('Daughter'), favourites ('Favourite colour'), people
    ('Cy'), and anything else the user calls theirs ('Order number')."""
    if name in KEYS:
        return KEYS[name]
    lowered = name.lower()
    if lowered.startswith(("favourite ", "favorite ")):
        thing = lowered.split(" ", 1)[1]
        return Key(f"Favourite {thing}", "preferences", synonyms=(f"favourite {thing}", f"favorite {thing}"),
                   says_as=f"your favourite {thing} is {{}}", what=f"their favourite {thing}")
    if re.fullmatch(RELATIONS, lowered):
        return Key(name.capitalize(), "family", multi=lowered not in _SINGLE, synonyms=(lowered,),
                   what=f"their {lowered}'s name" if lowered not in _PETS else f"their {lowered}")
    if re.fullmatch(r"[A-Z][\w'-]*(?: [A-Z][\w'-]*)?", name):
        return Key(name, "people", multi=True, what=f"something about {name}")
    return Key(name[:1].upper() + name[1:], "identity", synonyms=(lowered,), says_as=f"your {lowered} is {{}}",
               what=f"their {lowered}")


@dataclass(frozen=True)
class Fact:
    key: Key
    value: str
    removed: bool = False  # the user says it is no longer so: "I don't have a car any more"

    @property
    def line(self) -> str:
        return f"{self.key.name}: {self.value}"

    @property
    def says(self) -> str:
        return self.key.says(self.value)


def same(a: str, b: str) -> bool:
    return " ".join(a.lower().split()).strip(" .") == " ".join(b.lower().split()).strip(" .")


def items(value: str) -> list[str]:
    return [v.strip(" .") for v in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*|;\s*", value) if v.strip(" .")]


def merge(existing: str, new: str) -> str:
    """The items of a list-valued key, old first, without repeats."""
    kept = items(existing)
    for item in items(new):
        if not any(same(item, old) for old in kept):
            kept.append(item)
    return ", ".join(kept)


def without(existing: str, gone: str) -> str:
    """A list-valued key's items without ``gone`` (matched on their words)."""
    drop = L.words(gone)
    return ", ".join(i for i in items(existing) if not (L.words(i) and L.words(i) <= drop | {"a", "an"}))


def unknown(value: str) -> bool:
    return value.strip().lower() in ("", "unknown", "?", "n/a", "none", "not known", "tbd")
