"""The verb phrases that say a fact about the user, as data: (pattern, key). Patterns are matched, in order, against
the clause after its subject, with the verb as its lemma ("lives" -> "live", "I'm" -> "be") and the user's own words
kept for the value (so names keep their capitals). ``{NAME}``, ``{PLACE}`` and ``{RELATIONS}`` are filled in by
:mod:`.statements`. A verb the table does not know still says something of a person ("Cy plays jazz piano"); of the
user, it is kept under the verb ("Drinks: oat milk") unless it is a verb of thinking, wanting or doing once
(:data:`NOT_FACTS`).
"""

from __future__ import annotations

PREDICATES: list[tuple[str, str]] = [
    (r"be (?:called|named) (?P<v>{NAME})$", "Name"),
    (r"go by (?P<v>{NAME})$", "Name"),
    (r"(?:be|turn|just turn) (?P<v>\d{1,3})(?: years? old| yo| years of age)?$", "Age"),
    (r"(?:be|go|become|go fully|be fully) (?:a |an )?(?P<v>vegetarian|vegan|pescatarian|gluten-free|lactose intolerant|coeliac|celiac|teetotal|keto|halal|"
     r"kosher|diabetic)(?: (?:and|but) .*)?$", "Diet"),
    (r"(?:eat|follow|be on|have) (?:a |an )?(?P<v>[\w-]+) diet$", "Diet"),
    (r"be allergic to (?P<v>.+)$", "Allergies"),
    (r"have an? (?P<v>[\w ]+?) allergy$", "Allergies"),
    (r"be (?:originally )?from (?P<v>{PLACE})$", "From"),
    (r"(?:originally )?come from (?P<v>{PLACE})$", "From"),
    (r"grow up in (?P<v>{PLACE})$", "From"),
    (r"be born in (?P<v>{PLACE})$", "From"),
    (r"be born on (?P<v>.+)$", "Birthday"),
    (r"(?:live|reside|stay|be based|be living|be staying|be settled|be) (?:just )?(?:in|outside|near|at) (?P<v>{PLACE})$",
     "Location"),
    (r"(?:just |recently )?(?:move|relocate) (?:to|into|in) (?:a \w+ in )?(?P<v>{PLACE})$", "Location"),
    (r"(?:work|be working|be employed|be)(?: (?:nights|days|evenings|weekends|shifts|part-time|full-time|part time|"
     r"full time))? (?:at|for|with) (?:a |an |the )?(?P<v>{PLACE})(?: in (?P<w2>{PLACE}))?(?: as (?:a |an )(?P<j>[a-z][\w -]*?))?$",
     "Works at"),
    (r"(?:work|be working) in (?P<v>{PLACE})$", "Works in"),
    (r"(?:like|love|enjoy|adore|be into|get into|be (?:really |very )?into|be (?:a )?(?:big |huge )?fan of|be keen on|"
     r"be fond of|be crazy about|be passionate about|be obsessed with|be a lover of|be mad about|be hooked on) (?P<v>.+)$",
     "Likes"),
    (r"(?:dislike|hate|detest|loathe|can not stand|cannot stand|can not bear|be not (?:a )?(?:big )?fan of|be not into|"
     r"can not abide|go off) (?P<v>.+)$", "Dislikes"),
    (r"(?:work as|be employed as|be working as|be) (?:a |an )(?P<v>[a-z][\w-]*(?: [a-z][\w-]*){0,2}?)"
     r"(?: (?P<p>in|at|for|from|with) (?P<w>{PLACE}))?$", "Job"),
    (r"teach (?P<v>[a-z][\w ]*?)(?: (?P<p>in|at) (?P<w>{PLACE}))?$", "Teaches"),
    (r"prefer (?P<v>.+)$", "Prefers"),
    (r"go (?P<v>[a-z]+ing)(?: (?:on|at|most|every|each|twice|once) .*)?$", "Likes"),
    (r"play (?:the )?(?P<v>.+)$", "Plays"),
    (r"speak (?P<v>.+)$", "Languages"),
    (r"(?:be doing|do|be studying for|study for) (?:a |an |my )?(?i:masters|master's|phd|doctorate|degree|ba|bsc|msc|ma|"
     r"diploma|course|apprenticeship)(?: degree)? in (?P<v>[a-z][\w -]*?)(?: at (?P<s>{PLACE}))?$", "Learning"),
    (r"(?:learn|study|be learning|be studying|take lessons in) (?P<v>.+)$", "Learning"),
    (r"collect (?P<v>.+)$", "Collects"),
    (r"be (?P<v>English|British|Irish|Scottish|Welsh|French|German|Spanish|Italian|Portuguese|Dutch|Belgian|Swiss|Austrian|"
     r"Polish|Swedish|Norwegian|Danish|Finnish|Greek|Turkish|Russian|Ukrainian|American|Canadian|Mexican|Brazilian|"
     r"Argentinian|Colombian|Peruvian|Chilean|Australian|Indian|Pakistani|Bangladeshi|Chinese|Japanese|Korean|"
     r"Vietnamese|Thai|Filipino|Indonesian|Nigerian|Ghanaian|Kenyan|Egyptian|Moroccan|Ethiopian|South African)$",
     "Nationality"),
    (r"be married to (?P<v>{NAME})$", "Partner"),
    # who one is, in one adjective: "I'm left-handed", "I'm colourblind"
    (r"be (?P<v>left-handed|right-handed|ambidextrous|colou?r-?blind|short-sighted|long-sighted|dyslexic|autistic|"
     r"an introvert|an extrovert|a night owl|an early bird|a morning person)$", "Traits"),
    (r"be training for (?:the |a |an )?(?P<v>.+)$", "Training for"),
    (r"be (?P<v>married|divorced|single|widowed|separated|engaged)$", "Marital status"),
    (r"(?:be )?sav(?:e|ing) (?:up )?(?:for|to buy) (?:a |an |my )?(?P<v>.+)$", "Goal"),
    (r"(?:use|sign in|sign|communicate in|be fluent in) (?P<v>BSL|ASL|ISL|LSF|Auslan|Makaton|(?:[A-Z]\w+ )?sign language)$",
     "Languages"),
    (r"have (?P<v>\d+|two|three|four|five|six|no) (?:kids|children)$", "Children"),
    (r"(?:have|have got|got|get) (?:\d+|two|three|four|five|six) (?:kids|children),? (?:called |named )?"
     r"(?P<v>{NAME}(?:(?:,| and) {NAME})*)$", "Children's names"),
    (r"(?:have|have got|own|get) (?:a |an )(?P<rel>{RELATIONS}) (?:called|named) (?P<v>{NAME})$", "relation"),
    (r"(?:have|have got|own|get) (?P<v>(?:a |an |two |three )?(?:dog|cat|puppy|kitten|rabbit|hamster|parrot|horse|tortoise|"
     r"goldfish)s?(?: and (?:a |an )?[a-z]+)*(?:,? (?:called |named )?[A-Z][\w'-]*(?:(?:,| and) [A-Z][\w'-]*)*)?)$", "Pets"),
    (r"(?:own|have got|have|buy|just buy|drive|ride) (?:a |an |the |two |some |my own )?(?P<v>.+)$", "Owns"),
]
# Verbs that say no lasting fact about the user ("I think...", "I went...", "I need..."): such a clause gives nothing.
NOT_FACTS = frozenset(["think", "want", "need", "wonder", "hope", "wish", "feel", "guess", "believe", "know", "mean", "say", "tell", "ask", "see", "hear", "try", "plan", "will", "would", "should", "could", "might", "must", "can", "let", "get", "make", "take", "go", "come", "went", "came", "had", "did", "said", "told", "asked", "saw", "heard", "tried", "planned", "forgot", "remember", "mind", "agree", "disagree", "understand", "suppose", "doubt", "expect", "bet", "promise", "fear", "worry", "look", "seem", "sound", "appreciate", "thank", "apologise", "apologize", "sorry", "use", "used", "start", "started", "stop", "finish", "finished", "keep", "put", "send", "call", "book", "check", "need", "give", "gave", "given"])  # "Cy's given up the piano" is a change, not one more thing about Cy
# What one can "have" that is no possession: "I have a question" is not "Owns: question".
HAVE_NOT_OWNED = frozenset(["question", "idea", "problem", "issue", "meeting", "appointment", "cold", "flu", "headache", "time", "minute", "moment", "chance", "feeling", "plan", "doubt", "day", "lot", "bit", "few", "couple", "look", "go", "try", "break", "shower", "bath", "lunch", "dinner", "breakfast", "point", "request", "favour", "favor", "suggestion", "call", "class", "lesson", "exam", "test", "date", "interview", "deadline", "party", "trip", "holiday", "vacation", "birthday"])
# Verbs that start a clause after "and"/"but" or a comma ("I live in Leeds and work at the hospital").
VERBS = frozenset(["be", "go", "have", "own", "buy", "drive", "ride", "live", "reside", "stay", "move", "relocate", "work", "teach", "like", "love", "enjoy", "adore", "dislike", "hate", "detest", "loathe", "prefer", "play", "speak", "learn", "study", "collect", "come", "grow", "eat", "drink", "cook", "run", "swim", "cycle", "read", "write", "paint", "sing", "dance", "travel", "support", "follow", "watch", "use", "need", "want", "also", "really", "still", "usually", "never", "not", "do", "can", "turn", "get", "sign"])
