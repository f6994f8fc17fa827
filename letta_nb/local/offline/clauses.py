"""The grammar of a statement, apart from what it means: a sentence cut into clauses, each clause's subject (the user,
people they name, their sister or dog, something of theirs), and its verb phrase with the verb as a lemma and its
negation. :mod:`.statements` turns these into facts."""

from __future__ import annotations

import re

from .facts import RELATIONS
from .predicates import PREDICATES, VERBS

NAME = r"[A-Z][a-zà-ÿ][\w'-]*"
# A place: capitalised words ("New York", "Stratford-upon-Avon"), or one or two words typed in lower case.
NAMED_PLACE = r"[A-Z][\w'.-]*(?:[ -](?:(?:upon|on|de|la|le|am|del|di|da|of|the)[ -])?[A-Z][\w'.-]*)*"
PLACE = (rf"(?:{NAMED_PLACE}"
          r"|(?!the\b|a\b|my\b)[a-zà-ÿ][\w'-]*(?: (?!with\b|and\b|near\b|since\b|for\b|now\b|but\b|as\b|in\b)[a-z][\w'-]*)?)")
_TAIL_WORDS = (r"with|and|near|since|for|because|now|at|on|by|in|from|but|so|as|these|this|last|next|every|which|where|who|"
               r"doing|studying|working")
NOT_NAMES = {"Not", "Fine", "Good", "Great", "Okay", "Ok", "Here", "Back", "Sorry", "Happy", "Tired", "Sure", "Just",
              "English", "British", "French", "German", "Spanish", "Italian", "American", "Also", "So", "Very", "Really",
              "The", "A", "An", "It", "This", "That", "There", "What", "When", "Where", "Who", "Why", "How", "Please",
              "Thanks", "Yes", "No", "Hi", "Hello", "Hey", "Actually", "Well", "Oh", "Btw", "My", "Our", "And", "But",
              "He", "She", "They", "We", "You", "I", "His", "Her", "Their", "Its", "Done", "Ready", "Busy", "Free",
              "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Today", "Tomorrow",
              "Home", "Alone", "Married", "Single", "Retired", "Vegetarian", "Vegan", "Currently", "Originally", "Both",
              "Been", "Still", "Only", "Now", "Moved", "Turned", "Name", "Note", "Remember", "Everyone", "Nobody",
              # who one is, said with a capital, is no name: "I'm Deaf", "I'm Catholic", "I'm Welsh"
              "Deaf", "Blind", "Autistic", "Dyslexic", "Disabled", "Catholic", "Christian", "Muslim", "Jewish", "Hindu",
              "Buddhist", "Sikh", "Atheist", "Irish", "Scottish", "Welsh", "Canadian", "Australian", "Indian", "Chinese",
              "Japanese", "Korean", "Polish", "Dutch", "European", "African", "Asian", "Latino", "Latina", "Gay",
              "Trans", "Queer", "Pregnant", "Divorced", "Widowed", "Engaged", "Separated", "Unemployed"}
OPENERS = re.compile(
    r"^(?:(?:hi|hello|hey|hiya|howdy|greetings|good (?:morning|afternoon|evening)|ok(?:ay)?|so|well|oh|also|and|wait|no|"
    r"nah|oops|sorry|not sure if it matters,? but|random,? but|"
    r"anyway|btw|by the way|fyi|actually|just so you know|for the record|for your information|you know what|guess what|"
    r"quick update|an update|update|heads up|to be honest|honestly|i (?:just )?wanted to (?:say|tell you|let you know)"
    r"(?: that)?|you should know(?: that)?|(?:please |can you |could you )?(?:remember|note(?: down)?|keep in mind|"
    r"save|store|make a note)(?: that)?|don't forget(?: that)?|just|oh and|one more thing|sorry|new info|news)"
    r"\b[,:!.\-]*\s*)+", re.I)
_TAIL = re.compile(r"(?:\s+(?:too|as well|a lot|so much|very much|lately|these days|nowadays|at the moment|now|currently|"
                   r"btw|fyi|tbh|by the way|haha+|yesterday|today|this morning|just saying|if that matters|if it matters|"
                   r"in (?:jan|feb|march|april|may|june|july|aug|sept|oct|nov|dec)[a-z]*|in (?:spring|summer|autumn|fall|winter)|"
                   r"in \d{4}|"
                   r"right now|for now|anymore|any more|again|still|though|already|either|completely|entirely|altogether|(?:last|next|this) (?:week|month|"
                   r"year|weekend|summer|winter)|(?:on|last|next|this) (?:mon|tues|wednes|thurs|fri|satur|sun)day|"
                   r"(?:at|on) weekends|most weekends|every (?:day|week|weekend|morning|evening)|"
                   r"since (?:\d{4}|uni|school|then|last \w+)|for (?:\d+|a few|many|several|the last \w+|ten|two|five) "
                   r"(?:years?|months?|weeks?)|(?:\d+|a few|two|three) (?:years?|months?|weeks?|days?) ago|recently))+$", re.I)
_ADVERBS = {"really", "also", "absolutely", "totally", "just", "still", "usually", "often", "honestly", "truly",
            "actually", "definitely", "quite", "mostly", "always", "both", "currently"}
_EXPAND = {"i'm": "I am", "i've": "I have", "i'd": "I would", "i'll": "I will", "don't": "do not", "doesn't": "does not",
           "didn't": "did not", "can't": "can not", "cannot": "can not", "won't": "will not", "isn't": "is not",
           "aren't": "are not", "wasn't": "was not", "haven't": "have not", "hasn't": "has not", "we're": "we are",
           "they're": "they are", "he's": "he is", "she's": "she is", "it's": "it is", "we've": "we have",
           "there's": "there is", "that's": "that is", "let's": "let us", "who's": "who is", "name's": "name is"}
_PARTICIPLES = {"moved", "been", "gone", "got", "gotten", "become", "started", "bought", "taken", "come", "turned",
                "learned", "learnt", "lived", "worked", "given", "stopped", "quit", "changed", "switched", "joined", "left"}
_IRREGULAR = {"am": "be", "is": "be", "are": "be", "was": "be", "were": "be", "been": "be", "has": "have", "had": "have",
              "does": "do", "did": "do", "goes": "go", "gone": "go", "went": "go", "bought": "buy", "grew": "grow", "moved": "move",
              "relocated": "relocate", "studies": "study", "got": "get", "gotten": "get", "taught": "teach",
              "turned": "turn", "became": "become", "become": "become"}
PATTERNS = [(re.compile(p.replace("{NAME}", NAME).replace("{PLACE}", PLACE).replace("{RELATIONS}", RELATIONS)
                         .replace("$", rf"(?P<tail>(?: (?:{_TAIL_WORDS})\b.*)?)$", 1) if "{PLACE}" in p
                         else p.replace("{NAME}", NAME).replace("{RELATIONS}", RELATIONS)), k) for p, k in PREDICATES]


_JOB_ENDINGS = ("er", "or", "ist", "ian", "ant", "eer", "ent", "nurse", "chef", "vet", "doctor", "cook", "pilot", "clerk",
                "coach", "medic", "surgeon", "tech", "student", "dentist", "barista", "nanny", "carer")


_NOT_JOBS = {"vegetarian", "christian", "other", "older", "younger", "under", "over", "never", "either", "whether", "sober",
             "proper", "better", "bigger", "smaller", "after", "later", "ever", "together", "different", "silent", "patient"}


def job_noun(words: list[str]) -> str | None:
    """A bare job title at the start of these words ("graphic designer", "nurse"), as said in a list after a comma."""
    bare = [w.strip(",.;:").lower() for w in words]
    for n in (3, 2, 1):
        phrase = bare[:n]
        is_title = (len(phrase) == n and all(re.fullmatch(r"[a-z-]+", w) for w in phrase)
                    and phrase[-1].endswith(_JOB_ENDINGS) and phrase[-1] not in _NOT_JOBS
                    and phrase[0] not in ("the", "my", "our", "a", "an", "and", "but", "never", "ever", "over", "under",
                                          "after"))
        if is_title and (n == len(words) or (len(words) > n and words[n - 1].endswith(",")) or n == len(bare)):
            return " ".join(phrase)
    return None


def lemma(word: str) -> str:
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    for suffix, keep in (("ies", "y"), ("ches", "ch"), ("shes", "sh"), ("sses", "ss"), ("xes", "x"), ("oes", "o")):
        if w.endswith(suffix) and len(w) > len(suffix) + 1:
            return w[: -len(suffix)] + keep
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    if w.endswith("ing") and len(w) > 5:  # "working" -> "work", "living" -> "live", "running" -> "run"
        for base in (w[:-3], w[:-3] + "e", w[:-4]):
            if base in VERBS:
                return base
    if w.endswith("ied") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("ed") and len(w) > 4:  # "lived" -> "live", "worked" -> "work", "stopped" -> "stop"
        for base in (w[:-1], w[:-2], w[:-3]):
            if base in VERBS:
                return base
    return w


def tokens(clause: str) -> list[str]:
    out = []
    for token in clause.replace(" - ", ", ").replace(" — ", ", ").split():
        bare = token.strip(",.!?;:\"()")
        expanded = _EXPAND.get(bare.lower())
        if expanded:
            out += expanded.split()[:-1] + [expanded.split()[-1] + token[len(token.rstrip(",.!?;:")):]]
        else:
            out.append(token.strip("\"()"))
    return [t for t in out if t.strip(",.!?;:")]


# A comment after the value is no part of it: "cats, which is awkward", "peanuts, just so you know", "vegan so I
# cook a lot"; a value that is only such a comment ("so pescatarian really") is none.
_ASIDE = re.compile(r"(?:^|,?\s+)(?:which|so|because|just so you know|though|although)\b.*$", re.I | re.S)


def clean(value: str) -> str:
    value = _ASIDE.sub("", value.strip(" ,.!?;:'\""))
    value = value.strip(" ,.!?;:'\"")
    for _ in range(3):
        value = _TAIL.sub("", value).strip(" ,.!?;:'\"")
    return re.sub(r"^(?:to |doing |the )", "", value, flags=re.I).strip()


def match(rest: str) -> tuple[str, re.Match] | None:
    """The first row of PREDICATES that the verb phrase matches, and the match."""
    head = lower_head(rest)
    for pattern, name in PATTERNS:
        found = pattern.match(head)
        if found:
            return name, found
    return None


def lower_head(rest: str) -> str:
    """The verb phrase in lower case, names, places and acronyms kept: 'Live in New York' -> 'live in New York'."""
    return " ".join(p if re.match(r"[A-Z][a-z]|[A-Z]{2,}\b", p) and i else p.lower() for i, p in enumerate(rest.split(" ")))


def _starts(tokens: list[str], j: int) -> bool:
    """Whether a new clause starts at token j: a subject, a negation, or a verb."""
    if j >= len(tokens):
        return False
    word = tokens[j].strip(",.;:")
    low, after = word.lower(), tokens[j + 1].lower().strip(",.;:") if j + 1 < len(tokens) else ""
    return (low in ("i", "we", "he", "she", "they", "my", "our", "not", "never", "only", "it", "that", "this", "there")
            or lemma(low) in VERBS - {"not", "never", "also", "really", "do", "be", "can", "still"}
            or (low in ("still", "now", "currently") and lemma(after) in VERBS - {"be", "do"})
            or (low in ("also", "really", "still", "usually", "just") and lemma(after) in VERBS)
            or (low in ("do", "can") and after == "not")
            or (bool(re.fullmatch(NAME, word)) and word not in NOT_NAMES and lemma(after) in VERBS - {"not"}))


def split(tokens: list[str]) -> list[list[str]]:
    """Clauses of a sentence: "I love tea but hate coffee" -> "I love tea", "hate coffee"; "I'm Sam, a teacher" ->
    "I am Sam", "a teacher"; "I'm 41, married, live in Perth" -> three."""
    clauses: list[list[str]] = []
    current: list[str] = []

    def starts(j: int) -> bool:
        # a word in -ing starts a clause only after "I am ..." ("I'm vegan and learning Japanese"); elsewhere it is
        # one more item of a list ("I like hiking, cooking and old films")
        following = tokens[j].lower().strip(",.;:") if j < len(tokens) else ""
        if following.endswith("ing") and lemma(following) != following:
            return any(w.lower() in ("am", "are", "is") for w in current)
        return _starts(tokens, j)

    for i, token in enumerate(tokens):
        bare = token.lower().strip(",.;:")
        after_comma = bool(current) and current[-1].endswith(",")
        listed = bare == "and" and "with" in (w.lower() for w in current) and not any(
            lemma(t.lower().strip(",.;:")) in VERBS for t in tokens[i + 2:])  # "with my wife Thandi and our two dogs"
        if bare in ("and", "but", "plus", "while", "whereas", "though") and current and starts(i + 1) and not listed:
            clauses.append(current)
            current = []
            continue
        if after_comma and (bare in ("a", "an", "originally") or starts(i) or re.fullmatch(r"\d{1,3}", bare)
                            or job_noun(tokens[i:i + 3])):
            current[-1] = current[-1].rstrip(",")
            clauses.append(current)
            current = []
        current.append(token)
    return clauses + ([current] if current else [])


def subject(words: list[str], previous: tuple[str, str]) -> tuple[str, str, list[str]]:
    """(kind, who, the rest): kind is 'user', 'person' (who = names joined by '+'), 'relation' (who = 'Sister' or
    'Sister Ana'), 'possession' (who = 'order number'), 'same' (the previous clause's), or 'other'."""
    lowered = [w.lower().strip(",.;:") for w in words]
    if not lowered:
        return "other", "", []
    if lowered[0] in ("i", "we"):
        return "user", "", words[1:]
    if lowered[:2] == ["name", "is"]:  # "name's Dev"
        return "possession", "name", words[1:]
    if lowered[0] in ("he", "she", "they") and previous[0] in ("person", "relation"):
        return previous[0], previous[1], words[1:]
    start = 1 if lowered[0] in ("my", "our") else 0
    rest = " ".join(lowered[start:])
    rel = re.match(rf"({RELATIONS})(?:'s name\b)?", rest)
    if rel and (start or re.fullmatch(NAME, words[1].strip(",.;:") if len(words) > 1 else "")) \
            and not rest.startswith(rel.group(1) + " and i"):
        n = len(rel.group(1).split())
        if rel.group(0).endswith("'s name"):
            return "relation", rel.group(1).capitalize(), words[start + n + 1:]  # "dog's" "name" "is" "Rex"
        name = words[start + n].strip(",.;:") if len(words) > start + n else ""
        if re.fullmatch(NAME, name) and name not in NOT_NAMES and len(words) > start + n + 1:
            return "relation", f"{rel.group(1).capitalize()} {name}", words[start + n + 1:]
        return "relation", rel.group(1).capitalize(), words[start + n:]
    if start:
        thing = re.match(r"((?:(?!to |in |for |of |at |on |with )[a-z-]+ ){0,2}?[a-z-]+)(?:(?:'s)? (?:is|are) |'s (?=on |in |at |the |a |an |\d|not ))", rest)
        if thing and not re.match(r"[^ ]+(?: [^ ]+)*'s (?:is|are) ", rest) and "'s " in thing.group(0):
            return "possession", thing.group(1), ["is"] + words[start + len(thing.group(1).split()):][0:0] + \
                [w for w in " ".join(words[start:]).split("'s ", 1)[1].split()]
        if thing:
            return "possession", thing.group(1), words[start + len(thing.group(1).split()):]
        return "other", "", words
    names, i = [], 0
    while i < len(words):
        word = words[i].strip(",.;:")
        if not re.fullmatch(NAME + r"(?:'s)?", word) or word.removesuffix("'s") in NOT_NAMES:
            break
        names.append(word)
        i += 1
        if i + 1 < len(words) and lowered[i] == "and" and re.fullmatch(NAME, words[i + 1].strip(",.;:")):
            i += 1
            continue
        break
    if names and i < len(words):
        rest_words = words[i:]
        if rest_words and lowered[i] == "both":
            rest_words = rest_words[1:]
        if names[-1].endswith("'s"):
            names[-1] = names[-1][:-2]
            rest_words = ["is"] + rest_words
        return "person", "+".join(names), rest_words
    if lemma(lowered[0]) in VERBS or lowered[0] in _PARTICIPLES or lowered[0] in ("a", "an", "originally", "only", "been") or \
            re.fullmatch(r"\d{1,3}", lowered[0]) or (previous[0] == "user" and job_noun(words)):
        return "same", previous[1], words
    return "other", "", words


def verb_phrase(words: list[str]) -> tuple[str, bool, bool]:
    """The verb phrase with its verb as a lemma ("lives in Leeds" -> "live in Leeds"; "have moved to York" -> "move
    to York"), whether it is negated, and whether it says "no longer" / "any more"."""
    text = " ".join(w.strip(";:") for w in words).strip(" ,.!")
    removed = bool(re.search(r"\b(?:any ?more|no longer)\b", text, re.I))
    tokens = re.sub(r"\b(?:no longer|any ?more)\b", " ", text, flags=re.I).split()
    negated = False
    out: list[str] = []
    for i, w in enumerate(tokens):
        low = w.lower()
        if low in ("not", "never") and out[-1:] != ["can"]:
            negated = True
            if out == ["do"]:
                out = []
            continue
        if not out and low in _ADVERBS:
            continue
        following = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
        if not out and low == "have" and (following in _PARTICIPLES or following.endswith("ed")):
            continue  # "I have moved": the perfect tense, not a possession
        if not out and low == "originally":
            out.append(low)
            continue
        out.append(lemma(w) if not out or out == ["originally"] else w)
    if out[:1] == ["only"]:
        out = out[1:]
    return " ".join(out), negated, removed
