"""The offline model's decisions: from one request (memory, tools, the last user message, this turn's tool calls)
to one step, with a sentence of reasoning.

Each step the plan for the turn is made again from the request alone, and the first action not yet taken is the next
step; when none is left, the reply. So the same request always gets the same answer, and a turn of several steps
(save a fact, then replace an old one, then reply) needs no state between requests.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from . import facts as F
from .context import Block, Call, Context, parse, text
from .tools import best_tool, fill, words

MAX_STEPS = 6  # a turn never takes more tool calls than this, whatever the plan says
_ENDS_TURN = ("send_message", "memory_finish_edits")
_HUMAN_LABELS = ("human", "user", "customer", "person", "profile")
_TOPIC_WORDS = {
    "identity": {"human", "user", "person", "profile", "about", "customer", "identity"},
    "work": {"work", "job", "career", "professional", "occupation", "employment"},
    "place": {"location", "home", "place", "address", "travel"},
    "family": {"family", "kids", "children", "relationships", "relatives", "pets", "people"},
    "preferences": {"preferences", "preference", "likes", "tastes", "interests", "hobbies", "food", "music"},
    "health": {"health", "medical", "allergies", "diet", "dietary"},
}


@dataclass
class Reply:
    """What the model says in one step: text, or one tool call; either with its reasoning."""

    content: str = ""
    tool_name: str | None = None
    arguments: dict[str, Any] = field(default_factory=dict)
    reasoning: str = ""

    @property
    def arguments_json(self) -> str:
        return json.dumps(self.arguments, ensure_ascii=False)

    def tool_call_id(self, salt: int) -> str:
        digest = hashlib.sha1(f"{self.tool_name}|{self.arguments_json}|{salt}".encode()).hexdigest()
        return f"call_{digest[:24]}"


@dataclass(frozen=True)
class Action:
    tool: str
    arguments: dict
    why: str


@dataclass
class Plan:
    actions: list[Action]
    answer: Callable[[Context], str]
    why: str  # the reasoning of the final reply


def _sentence(text: str) -> str:
    """What the user dictated, as a line to store: capitalised, one full stop."""
    text = text.strip().rstrip(".") + "."
    return text[0].upper() + text[1:]


def _said(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# ------------------------------------------------------------------------------------------------ memory
def _writable(ctx: Context) -> list[Block]:
    return [b for b in ctx.blocks if not b.read_only and "persona" not in b.label]


def _home(ctx: Context, fact: F.Fact) -> Block | None:
    """The block a new fact belongs in: one whose label or description fits its topic best, else the human block."""
    blocks = _writable(ctx)
    if not blocks:
        return None
    topic = _TOPIC_WORDS[fact.key.topic]

    def fit(block: Block) -> tuple[int, int]:
        label_words = set(re.findall(r"[a-z]+", block.label.lower()))
        described = set(re.findall(r"[a-z]+", block.description.lower()))
        return (2 * len(label_words & topic) + len(described & topic) if fact.key.topic != "identity" else 0,
                int(any(h in block.label.lower() for h in _HUMAN_LABELS)))

    best = max(blocks, key=lambda b: (*fit(b), -blocks.index(b)))
    return best if fit(best) != (0, 0) else None


def _where(ctx: Context, fact: F.Fact) -> tuple[Block, str, str] | None:
    """The block and line that already hold this fact's key, with that line's value."""
    for block in _writable(ctx):
        for line in block.lines:
            found, value = F.line_key(line)
            if found is not None and found.name == fact.key.name:
                return block, line, value
    return None


@dataclass(frozen=True)
class Edit:
    """One change to memory for one fact: a new line, a replaced line, or nothing (already known)."""

    fact: F.Fact
    block: Block | None
    old_line: str | None = None
    new_line: str | None = None

    @property
    def known(self) -> bool:
        return self.block is not None and self.new_line is None


def edits(ctx: Context, found: list[F.Fact]) -> list[Edit]:
    planned = []
    for fact in found:
        held = _where(ctx, fact)
        if held is None:
            planned.append(Edit(fact, _home(ctx, fact), None, fact.line))
            continue
        block, line, value = held
        new_value = F.merge(value, fact.value) if fact.key.multi and not F.unknown(value) else fact.value
        if F.same(new_value, value):
            planned.append(Edit(fact, block))
        else:
            planned.append(Edit(fact, block, line, f"{fact.key.name}: {new_value}"))
    return planned


def _memory_actions(ctx: Context, planned: list[Edit]) -> list[Action]:
    insert = ctx.offers("memory_insert", "core_memory_append")
    replace = ctx.offers("memory_replace", "core_memory_replace")
    actions = []
    for label in dict.fromkeys(e.block.label for e in planned if e.block and e.new_line and not e.old_line):
        new = [e for e in planned if e.block and e.block.label == label and e.new_line and not e.old_line]
        if insert:
            text = "\n".join(e.new_line for e in new)
            args = {"label": label, "new_string": text} if insert == "memory_insert" else {"label": label, "content": text}
            told = _said([e.fact.key.what for e in new])
            actions.append(Action(insert, args, f"The user told me {told}; I'll save {'it' if len(new) == 1 else 'them'} "
                                                f"to my {label} block."))
    for e in planned:
        if e.block and e.old_line and replace:
            args = ({"label": e.block.label, "old_string": e.old_line, "new_string": e.new_line} if replace == "memory_replace"
                    else {"label": e.block.label, "old_content": e.old_line, "new_content": e.new_line})
            then = ("I'll add to that line rather than start a second one" if e.fact.key.multi
                    else "I'll replace that line so that my memory does not contradict itself")
            actions.append(Action(replace, args, f"My {e.block.label} block says \"{e.old_line}\", but the user just told "
                                                 f"me {e.fact.key.what}; {then}."))
    return actions


# ---------------------------------------------------------------------------------------------- answers
def _results(call: Call) -> list[dict | str]:
    """The hits of a search, inside Letta's {"status", "message"} envelope and the tool's own {"results"}."""
    payload = parse(call.result or "")
    for _ in range(3):
        if not isinstance(payload, dict):
            break
        inner = payload.get("results", payload.get("message"))
        payload = parse(inner) if isinstance(inner, str) else inner
    return list(payload) if isinstance(payload, (list, tuple)) else []


def _result_text(item: dict | str) -> str:
    if isinstance(item, dict):
        for field_name in ("content", "text", "message", "passage"):
            if isinstance(item.get(field_name), str):
                return " ".join(item[field_name].split())
        return " ".join(str(item).split())
    return " ".join(str(item).split())


def _tool_message(call: Call) -> str:
    payload = parse(call.result or "")
    message = payload.get("message", payload.get("func_return", "")) if isinstance(payload, dict) else payload
    message = " ".join(str(message if message is not None else "").split())
    return message if len(message) <= 200 else message[:197] + "..."


def _about_call(call: Call, ctx: Context) -> str:
    """One sentence on a tool call of this turn, using what it returned."""
    if call.failed:
        return f"{call.name} failed: {_tool_message(call)[:200]}"
    if call.name in ("memory_insert", "memory_replace", "core_memory_append", "core_memory_replace", "memory_rethink"):
        return f"I saved that to my {call.arguments.get('label', 'core')} memory."
    if call.name == "archival_memory_insert":
        return "I stored that in my archival memory."
    if call.name in ("archival_memory_search", "semantic_search_files", "grep_files"):
        found = [_result_text(r) for r in _results(call)]
        if not found:
            return f"I searched {'my notes' if call.name == 'archival_memory_search' else 'the files'} for " \
                   f"\"{call.arguments.get('query') or call.arguments.get('pattern', '')}\" but found nothing."
        more = f" ({len(found)} notes matched.)" if len(found) > 1 else ""
        return f"According to my notes: {found[0][:300]}{more}"
    if call.name == "conversation_search":
        said = [r for r in _results(call) if isinstance(r, dict) and r.get("role") == "user"
                and not F.same(_result_text(r), ctx.user_text)]
        if not said:
            return f"I looked through our conversation for \"{call.arguments.get('query', '')}\" but found nothing."
        return f"Earlier you said: \"{_result_text(said[0])[:300]}\""
    message = _tool_message(call)
    return f"{call.name} returned: {message}" if message else f"{call.name} finished."


def _greeting_name(ctx: Context) -> str:
    for block in _writable(ctx):
        for line in block.lines:
            found, value = F.line_key(line)
            if found is not None and found.name == "Name" and not F.unknown(value):
                return value.split()[0]
    return ""


_SMALL_TALK: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^\W*(?:ping)\W*$", re.I), "Pong! I'm here."),
    (re.compile(r"\b(?:how are you|how's it going|how are things|how do you do)\b", re.I),
     "I'm doing well, thanks for asking! What can I do for you{name}?"),
    (re.compile(r"^\W*(?:thanks|thank you|cheers|ta)\b", re.I), "You're welcome{name}!"),
    (re.compile(r"^\W*(?:bye|goodbye|see you|good night|talk (?:to you )?later)\b", re.I), "Goodbye{name}! Talk soon."),
    (re.compile(r"^\W*(?:hi|hello|hey|hiya|howdy|greetings|good (?:morning|afternoon|evening))\b", re.I),
     "Hello{name}! How can I help you today?"),
]


def small_talk(ctx: Context) -> str:
    name = _greeting_name(ctx)
    for pattern, answer in _SMALL_TALK:
        if pattern.search(ctx.user_text):
            return answer.format(name=f", {name}" if name else "")
    if not ctx.user_text:
        return "Hello! Send me a message."
    if _is_question(ctx.user_text):
        return "I don't know that, and I have no notes to look it up in. If you tell me, I can remember it."
    return f"Thanks for telling me{', ' + name if name else ''}. Is there anything I can help you with?"


def _is_question(text: str) -> bool:
    return text.rstrip().endswith("?") or bool(re.match(
        r"^\W*(?:what|when|where|who|whom|which|why|how|is|are|do|does|did|can|could|should|would|will|tell me|explain)\b",
        text, re.I))


def _query(text: str) -> str:
    """The search words of a question: 'What is the refund policy?' -> 'refund policy'."""
    kept = re.sub(r"^\W*(?:please\s+)?(?:(?:can|could) you\s+)?(?:tell me|explain|find out|look up)?\s*", "", text, flags=re.I)
    kept = re.sub(r"^(?:what|when|where|who|which|why|how)(?:'s| is| are| do| does| did| can| should| much| many)?\s+"
                  r"(?:(?:the|a|an|i|we|you|my|our)\s+)?", "", kept, flags=re.I)
    return kept.strip(" ?.!") or text.strip(" ?.!")


# ---------------------------------------------------------------------------------------- questions about me
_ABOUT_ME = re.compile(r"\bwhat do you (?:know|remember) about me\b|\bwhat have you (?:learned|learnt|noted) about me\b|"
                       r"\btell me (?:what you know )?about (?:me|myself)\b|\bwho am i\b", re.I)
_ASKS_KEY: list[tuple[re.Pattern, str]] = [
    (re.compile(r"\b(?:what(?:'s| is) my name|do you (?:know|remember) my name)\b", re.I), "Name"),
    (re.compile(r"\bwhere do i (?:live|stay)\b|\bwhere am i (?:based|living)\b|\bwhich city do i live in\b", re.I), "Location"),
    (re.compile(r"\bwhere (?:am i|do i come) from\b", re.I), "From"),
    (re.compile(r"\bwhat(?:'s| is) my (?:job|occupation|profession)\b|\bwhat do i do(?: for (?:a living|work))?\b", re.I), "Job"),
    (re.compile(r"\bwhere do i work\b|\bwho do i work for\b", re.I), "Works at"),
    (re.compile(r"\bwhat do i (?:like|love|enjoy)\b", re.I), "Likes"),
    (re.compile(r"\bwhat do i play\b", re.I), "Plays"),
    (re.compile(r"\bhow old am i\b|\bwhat(?:'s| is) my age\b", re.I), "Age"),
    (re.compile(r"\bwhat am i allergic to\b", re.I), "Allergies"),
    (re.compile(r"\bwhat(?:'s| is) my favou?rite ([a-z]+(?: [a-z]+)?)\b", re.I), "favourite"),
    (re.compile(r"\bwhat(?:'s| is) my (" + F.RELATIONS + r")(?:'s name| called| named)?\b|\bwhat is my (" + F.RELATIONS
                + r")'s name\b|\bwho is my (" + F.RELATIONS + r")\b", re.I), "relation"),
]


def _asked_key(text: str) -> str | None:
    for pattern, name in _ASKS_KEY:
        match = pattern.search(text)
        if match:
            if name == "favourite":
                return f"Favourite {match.group(1).lower()}"
            if name == "relation":
                return next(g for g in match.groups() if g).lower().capitalize()
            return name
    return None


def _known(ctx: Context) -> list[str]:
    """What the blocks say about the user, addressed to them."""
    said = []
    for block in _writable(ctx):
        for line in block.lines:
            found, value = F.line_key(line)
            if found is not None and not F.unknown(value):
                said.append(found.says(value))
            elif found is None:
                said.append(line.strip())
    return said


def _answer_about_me(ctx: Context) -> str:
    asked = _asked_key(ctx.user_text)
    if asked is None:
        known = _known(ctx)
        return f"Here is what I know about you: {'; '.join(known)}." if known else "I don't know anything about you yet."
    wanted = F.key(asked)
    for block in _writable(ctx):
        for line in block.lines:
            found, value = F.line_key(line)
            if found is not None and found.name == asked and not F.unknown(value):
                sentence = wanted.says(value)
                return sentence[0].upper() + sentence[1:] + "."
    return f"I don't know {wanted.what.replace('their', 'your').replace('they', 'you')} yet. Tell me and I'll remember it."


# --------------------------------------------------------------------------------------------- the plans
_COMMANDS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^(?:please\s+)?(?:call|use|run)\s+(?:the\s+)?(?:tool\s+)?`?(\w+)`?(?:\s+tool)?\b(.*)$", re.I | re.S), "call"),
    (re.compile(r"^(?:please\s+)?remember\s+in\s+(?:my\s+)?(\w+)(?:\s+memory)?\s*:\s*(.+)$", re.I | re.S), "remember_in"),
    (re.compile(r"^(?:please\s+)?remember(?:\s+that|\s*:)?\s+(.+)$", re.I | re.S), "remember"),
    (re.compile(r"""^(?:please\s+)?replace\s+["'](.+?)["']\s+with\s+["'](.*?)["']\s+in\s+(?:my\s+)?(\w+)""", re.I | re.S), "replace"),
    (re.compile(r"^(?:please\s+)?(?:archive|save to archival(?: memory)?)\s*:\s*(.+)$", re.I | re.S), "archive"),
    (re.compile(r"^(?:please\s+)?search\s+(?:my\s+|your\s+)?(?:archival|archive)(?:\s+memory)?\s+for\s+(.+?)[.?!]*$", re.I | re.S), "search_archival"),
    (re.compile(r"^(?:please\s+)?search\s+(?:our\s+|the\s+)?(?:conversation|history|messages)\s+for\s+(.+?)[.?!]*$", re.I | re.S), "search_conversation"),
    (re.compile(r"^echo\s*:?\s+(.+)$", re.I | re.S), "echo"),
]
_STORY = re.compile(r"\b(?:tell|write|give)\s+(?:me\s+)?(?:a\s+)?(?:short\s+|little\s+|long\s+)?(?:story|tale)\s+"
                    r"(?:about|of|on)\s+(.+?)[.?!]*$", re.I)
_SUMMARISE = re.compile(r"^\W*(?:please\s+)?(?:summari[sz]e|sum up|recap|give me the gist of)\b", re.I)
_STORY_OPENING = "Here is a short story about "
_NOTE = re.compile(r"^\W*(?:please\s+)?(?:(?:make a )?note(?: down)?|write down|keep in mind|jot down|save (?:this|that)|"
                   r"store (?:this|that)|for future reference)(?:\s+for later)?(?:\s+that)?\s*[:,]?\s*(.+)$", re.I | re.S)
_EARLIER = re.compile(r"\bwhat did (?:i|we) (?:say|tell you|talk about|discuss|mention)(?:\s+(?:about|regarding|on))?\s*(.*?)\W*$|"
                      r"\bdid i (?:ever )?(?:mention|say|tell you)(?: anything)?(?:\s+about)?\s+(.+?)\W*$|"
                      r"\bremind me what i (?:said|told you)(?:\s+about)?\s*(.*?)\W*$|"
                      r"\b(?:earlier|before|last time) (?:i|we) (?:said|talked|mentioned|told you)(?:\s+about)?\s*(.*?)\W*$", re.I)


def _one(tool: str, arguments: dict, why: str) -> Plan:
    return Plan([Action(tool, arguments, why)], lambda ctx: _finish(ctx), "")


def _finish(ctx: Context) -> str:
    return " ".join(_about_call(c, ctx) for c in ctx.turn if c.name not in _ENDS_TURN) or small_talk(ctx)


def _command(ctx: Context) -> Plan | None:
    text = ctx.user_text
    for pattern, kind in _COMMANDS:
        match = pattern.search(text)
        if not match:
            continue
        if kind == "call" and match.group(1) in ctx.tools:
            name = match.group(1)
            arguments, _ = fill(ctx.tools[name], match.group(2).strip())
            return _one(name, arguments, f"The user asked me to call {name} explicitly.")
        if kind == "remember_in" and ctx.offers("memory_insert"):
            return _one("memory_insert", {"label": match.group(1), "new_string": match.group(2).strip()},
                        f"The user asked me to remember this in my {match.group(1)} block.")
        if kind == "remember" and ctx.offers("memory_insert", "core_memory_append"):
            tool = ctx.offers("memory_insert", "core_memory_append")
            key = "new_string" if tool == "memory_insert" else "content"
            return _one(tool, {"label": "human", key: match.group(1).strip()}, "The user asked me to remember this; "
                                                                               "it goes into my human block.")
        if kind == "replace" and ctx.offers("memory_replace"):
            old, new, label = match.groups()
            return _one("memory_replace", {"label": label, "old_string": old, "new_string": new},
                        f"The user asked me to change \"{old}\" in my {label} block.")
        if kind == "archive" and ctx.offers("archival_memory_insert"):
            body = match.group(1)
            tags = re.findall(r"#(\w+)", body)
            content = re.sub(r"\s*#\w+", "", body).strip()
            return _one("archival_memory_insert", {"content": content, "tags": tags} if tags else {"content": content},
                        "The user asked me to archive this.")
        if kind == "search_archival" and ctx.offers("archival_memory_search"):
            return _one("archival_memory_search", {"query": match.group(1).strip()},
                        "The user asked me to search my archival memory.")
        if kind == "search_conversation" and ctx.offers("conversation_search"):
            return _one("conversation_search", {"query": match.group(1).strip()}, "The user asked me to search our conversation.")
        if kind == "echo":
            said = match.group(1).strip()
            return Plan([], lambda ctx, said=said: said, "The user asked me to repeat their words.")
    return None


def _story(topic: str) -> str:
    """A fixed little story around the user's topic: long enough to stream, the same every time."""
    return (f"{_STORY_OPENING}{topic}. On a windy stretch of coast, night after night, the same quiet work went on. "
            "Sailors passing by never learned a name, but they trusted that someone was watching the sea. One stormy "
            "winter a small boat lost its way, and that patient watch was all that stood between it and the rocks. By "
            "morning the sea was calm, the boat was home, and the work went on as before: quietly, every night, for "
            "anyone who needed it.")


def _recap(ctx: Context) -> str:
    """A summary of the last story in the conversation: its first sentence, then the gist."""
    for m in reversed(ctx.messages[:-1]):
        said = text(m.get("content")) if m.get("role") == "assistant" else ""
        if _STORY_OPENING in said:
            topic = said.split(_STORY_OPENING, 1)[1].split(". ", 1)[0]
            return f"In short: the story about {topic} is about a patient watch over the sea that saves a lost boat one stormy night."
    return "There is nothing in our conversation to summarise yet."


def _from_core_memory(ctx: Context) -> str | None:
    """The lines of a core block that answer a question, when its label or its words match the question's."""
    asked = words(ctx.user_text)
    best, score = None, 1
    for block in (b for b in ctx.blocks if "persona" not in b.label and b.value.strip()):
        label_hits = 2 * len(asked & words(block.label))
        for line in block.lines:
            points = label_hits + len(asked & words(line))
            if points > score:
                best, score = (block, line), points
    if best is None:
        return None
    block, line = best
    return f"According to my {block.label} block: {' '.join(block.value.split())[:300]}" if score > 2 + len(asked & words(line)) \
        else f"According to my {block.label} block: {line.strip()}"


def _understood(ctx: Context) -> Plan:
    """A plan from what the user means: remember facts, use a tool, look something up, or just answer."""
    text = ctx.user_text
    story = _STORY.search(text)
    if story:
        return Plan([], lambda ctx, topic=story.group(1): _story(topic), "The user asked for a story; I'll tell a short one.")
    if _SUMMARISE.search(text):
        return Plan([], _recap, "The user wants a summary; I'll sum up what I said before.")
    note = _NOTE.match(text)
    if note and ctx.offers("archival_memory_insert"):
        body = note.group(1)
        tags = re.findall(r"#(\w+)", body)
        content = _sentence(re.sub(r"\s*#\w+", "", body))
        return _one("archival_memory_insert", {"content": content, **({"tags": tags} if tags else {})},
                    "This is something to keep for later, not a fact about the user; I'll store it in archival memory.")
    earlier = _EARLIER.search(text)
    if earlier and ctx.offers("conversation_search"):
        topic = next((g for g in earlier.groups() if g), "") or text
        query = re.sub(r"^(?:the|a|an)\s+", "", _query(topic) if topic != text else topic, flags=re.I)
        return _one("conversation_search", {"query": query},
                    f"The user is asking about something said earlier; I'll search our conversation for \"{query}\".")
    if _ABOUT_ME.search(text) or _asked_key(text):
        return Plan([], _answer_about_me, "The user is asking about themselves; my memory blocks have the answer.")
    change = _CHANGE_BLOCK.match(text)
    named = _named_block(ctx, change.group(1)) if change else None
    if named is not None and best_tool(text, ctx.tools) is None:  # a tool made for the job comes first
        return _change_block(ctx, named, change.group(1), change.group(2))

    found = F.extract(text)
    planned = edits(ctx, found)
    actions = _memory_actions(ctx, planned)
    tool = best_tool(text, ctx.tools)
    if tool is not None:
        arguments, absent = fill(ctx.tools[tool], text)
        if absent:
            need = _said([a.replace("_", " ") for a in absent])
            return Plan(actions, lambda ctx, t=tool, n=need: f"I can do that with {t}, but I need the {n}. What should I use?",
                        f"{tool} fits this request, but the message does not say which {need}; I'll ask.")
        shown = ", ".join(f"{k}={v!r}" for k, v in arguments.items())
        actions.append(Action(tool, arguments, f"{tool} fits this request; I'll call it with {shown}."))
    elif not found and _is_question(text) and not _small_talk_only(text):
        search = ctx.offers("archival_memory_search", "semantic_search_files")
        known = _from_core_memory(ctx)
        if known:
            return Plan([], lambda ctx, known=known: known, "My core memory already holds the answer; no search needed.")
        if search:
            query = _query(text)
            where = "my archival memory" if search == "archival_memory_search" else "the attached files"
            actions.append(Action(search, {"query": query}, f"This asks for knowledge I don't hold in my core memory; "
                                                            f"I'll search {where} for \"{query}\"."))
    if found and planned and all(e.known for e in planned):
        why = "I already have all of this in my memory; there is nothing new to save."
    elif found and not actions:
        why = "The user told me about themselves, but I have no tool to edit my memory, so I'll just reply."
    elif not found:
        why = "This is small talk; there is nothing to save or look up."
    else:
        why = ""
    return Plan(actions, lambda ctx, planned=planned: _reply(ctx, planned), why)


_CHANGE_BLOCK = re.compile(r"^\W*(?:please\s+)?(?:update|change|edit|amend|add to)\s+([^:]+?)\s*:\s*(.+?)\s*$", re.I | re.S)
_SPEAKER = {"my": "your", "your": "my"}


def _named_block(ctx: Context, phrase: str) -> Block | None:
    """The memory block that a phrase such as "the house rules" names, by the words of its label and description."""
    said = words(phrase)
    scored = [(len(said & words(f"{b.label} {b.description}")), -i, b) for i, b in enumerate(ctx.blocks)]
    best = max(scored, default=None, key=lambda t: t[:2])
    return best[2] if best and best[0] else None


def _change_block(ctx: Context, block: Block, phrase: str, content: str) -> Plan:
    """"Update the house rules: ..." asks to change a block by name. A read-only block is declined, not tried."""
    if block.read_only:
        phrase = re.sub(r"\b(my|your)\b", lambda m: _SPEAKER[m.group(1).lower()], phrase, flags=re.I)
        return Plan([], lambda ctx: f"I can't change {phrase}: my {block.label} block is read-only, so only the app "
                                    "that set it can edit it.",
                    f"The user wants my {block.label} block changed, but it is read-only; I'll say so instead of trying.")
    tool = ctx.offers("memory_insert", "core_memory_append")
    if tool is None:
        return Plan([], lambda ctx: "I have no tool to edit my memory.", "I cannot edit memory blocks in this setup.")
    line = _sentence(content)
    key = "new_string" if tool == "memory_insert" else "content"
    return _one(tool, {"label": block.label, key: line},
                f"The user wants my {block.label} block updated; I'll add the new line to it.")


def _small_talk_only(text: str) -> bool:
    return any(p.search(text) for p, _ in _SMALL_TALK)


def _reply(ctx: Context, planned: list[Edit]) -> str:
    parts = []
    name = next((e.fact.value.split()[0] for e in planned if e.fact.key.name == "Name"), "")
    saved = [e for e in planned if e.new_line and any(c.name in ("memory_insert", "memory_replace", "core_memory_append",
                                                                   "core_memory_replace") and not c.failed for c in ctx.turn)]
    failed = [c for c in ctx.turn if c.failed]
    if planned and not saved and not failed:
        known = [e for e in planned if e.known]
        greeting = f"Nice to meet you, {name}!" if name else "Thanks for telling me."
        parts.append(f"I already knew that {_said([e.fact.says for e in known])}." if known and len(known) == len(planned)
                     else greeting)
    elif saved:
        others = [e.fact.says for e in saved if e.fact.key.name != "Name"]
        opening = f"Nice to meet you, {name}!" if name and any(e.fact.key.name == "Name" and not e.old_line for e in saved) else "Got it!"
        if others:
            parts.append(f"{opening} I've noted that {_said(others)}.")
        else:
            parts.append(opening if name else "Got it, I've noted that.")
    for call in ctx.turn:
        if call.name in ("memory_insert", "memory_replace", "core_memory_append", "core_memory_replace") and not call.failed:
            continue
        if call.name not in _ENDS_TURN:
            parts.append(_about_call(call, ctx))
    return " ".join(parts) or small_talk(ctx)


# --------------------------------------------------------------------------------------------- sleeptime
_SLEEPTIME = "You are a sleeptime agent"


def _sleeptime(ctx: Context) -> Plan:
    """Fold the facts of a finished conversation into the shared blocks: new facts added, contradictions resolved
    (the latest value wins), repeated lines merged; one rewrite per block that changes, then finish."""
    transcript = ctx.user_text.split("Messages:", 1)[-1]
    said = " \n".join(line.split(":", 1)[1].strip() + "." for line in transcript.splitlines()
                      if re.match(r"^\s*user:", line))
    found = F.extract(said)
    actions = []
    rethink = ctx.offers("memory_rethink")
    # Each fact goes to the block that already holds its key, else to the block that fits it.
    destination = [((_where(ctx, f) or (_home(ctx, f),))[0], f) for f in found]
    for block in _writable(ctx):
        if block.label == "memory_persona" or not rethink:
            continue
        mine = [f for home, f in destination if home == block]
        lines, notes = consolidate(block.lines, mine)
        if lines != block.lines:
            actions.append(Action(rethink, {"label": block.label, "new_memory": "\n".join(lines)},
                                  f"Reviewing the conversation: {notes}; I'll rewrite my {block.label} block as one "
                                  f"consolidated list."))
    finish = ctx.offers("memory_finish_edits")
    if finish:
        actions.append(Action(finish, {}, "My memory now holds everything worth keeping from this conversation; "
                                          "I'm done." if len(actions) else "Nothing new in this conversation needs saving."))
    return Plan(actions, lambda ctx: "Memory is up to date.", "Memory is up to date.")


def consolidate(lines: list[str], new: list[F.Fact]) -> tuple[list[str], str]:
    """A block's lines with repeats merged, one line per single-valued key (the latest), and new facts folded in."""
    out: list[str] = []
    keyed: dict[str, int] = {}
    notes = {"added": 0, "updated": 0, "merged": 0}
    for line in lines:
        found, value = F.line_key(line)
        if found is None:
            if any(F.same(line, seen) for seen in out):
                notes["merged"] += 1
                continue
            out.append(line.strip())
            continue
        if found.name in keyed:
            index = keyed[found.name]
            _, before = F.line_key(out[index])
            merged = F.merge(before, value) if found.multi else value
            out[index] = f"{found.name}: {merged}"
            notes["merged" if found.multi or F.same(before, value) else "updated"] += 1
            continue
        keyed[found.name] = len(out)
        out.append(line.strip() if ":" in line and not F.unknown(value) else f"{found.name}: {value}")
    for fact in new:
        if fact.key.name in keyed:
            index = keyed[fact.key.name]
            _, before = F.line_key(out[index])
            value = F.merge(before, fact.value) if fact.key.multi and not F.unknown(before) else fact.value
            if not F.same(value, before):
                out[index] = f"{fact.key.name}: {value}"
                notes["updated"] += 1
        else:
            keyed[fact.key.name] = len(out)
            out.append(fact.line)
            notes["added"] += 1
    told = [f"{n} {what if n > 1 else one}" for what, one, n in (
        ("new facts", "new fact", notes["added"]), ("facts changed", "fact changed", notes["updated"]),
        ("repeats merged", "repeat merged", notes["merged"])) if n]
    return out, _said(told) if told else "nothing changed"


# ---------------------------------------------------------------------------------------------- summaries
def is_summary_request(ctx: Context) -> bool:
    return not ctx.tools and ("summar" in ctx.system.lower() or "memory-recall helper" in ctx.user_text) and bool(ctx.user_text)


def summary(ctx: Context) -> str:
    """An extractive summary: what the user said about themselves, what they asked, and which tools ran."""
    said, asked, used = [], [], []
    for line in ctx.user_text.splitlines():
        # "[user] ..." from the summariser's transcript (letta 0.16.8 writes "[MessageRole.user]"), "user: ..." elsewhere
        match = re.match(r"^\s*\[?(?:MessageRole\.)?(user|assistant|tool)\]?:?\s+(.*)$", line)
        if not match:
            continue
        role, body = match.groups()
        if role == "user":
            (asked if _is_question(body) else said).append(" ".join(body.split()))
        elif role == "assistant" and "->" in body:
            used += re.findall(r"(\w+)\(", body.split("->", 1)[1])
    facts = F.extract(" ".join(s.rstrip(".") + "." for s in said))
    count = len(said) + len(asked)
    lines = [f"Summary of the earlier conversation ({count} user message{'s' * (count != 1)})."]
    if facts:
        lines.append("The user told me: " + "; ".join(f.line for f in facts) + ".")
    if asked:
        lines.append("They asked: " + " | ".join(q[:80] for q in asked[-3:]))
    if said and not facts:
        lines.append("They said: " + " | ".join(s[:80] for s in said[-3:]))
    if used:
        counts = {name: used.count(name) for name in dict.fromkeys(used)}
        lines.append("Tools used: " + ", ".join(f"{n} ×{c}" if c > 1 else n for n, c in counts.items()) + ".")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------- a step
def plan(ctx: Context) -> Plan:
    if _SLEEPTIME in ctx.user_text and ctx.offers("memory_finish_edits", "memory_rethink"):
        return _sleeptime(ctx)
    return _command(ctx) or _understood(ctx)


def _done(action: Action, ctx: Context) -> bool:
    return any(c.name == action.tool and c.arguments == action.arguments for c in ctx.turn)


def _after(ctx: Context) -> str:
    """The reasoning of the reply that ends a turn with tool calls."""
    done = [c for c in ctx.turn if c.name not in _ENDS_TURN]
    if not done:
        return ""
    if any(c.failed for c in done):
        return f"{next(c.name for c in done if c.failed)} failed; I'll tell the user what went wrong."
    last = done[-1]
    if "search" in last.name:
        return "I have the search results; I'll answer from the best match."
    if last.name.startswith(("memory_", "core_memory_", "archival_memory_insert")):
        return "My memory is updated; I'll confirm what I noted."
    return f"{last.name} answered; I'll pass its result on."


def _fallback_tool(tools: dict[str, dict]) -> str:
    """The tool to call when one is required and nothing names it. Not the first one offered: the server's tool
    order varies between runs. A tool that ends the turn comes first, so that a forced choice does not loop."""
    return next((name for name in _ENDS_TURN if name in tools), None) or min(tools)


def respond(request: dict) -> Reply:
    """One step of the agent for one chat-completions request."""
    ctx = Context.of(request)
    if is_summary_request(ctx):
        return Reply(content=summary(ctx))
    current = plan(ctx)
    stop = len(ctx.turn) >= MAX_STEPS or any(c.failed for c in ctx.turn)
    following = None if stop else next((a for a in current.actions if not _done(a, ctx) and a.tool in ctx.tools), None)
    choice = ctx.tool_choice
    forced = choice.get("function", {}).get("name") if isinstance(choice, dict) else None
    if forced in ctx.tools:
        if following is not None and following.tool == forced:
            return Reply(tool_name=forced, arguments=following.arguments, reasoning=following.why)
        arguments, _ = fill(ctx.tools[forced], ctx.user_text)
        return Reply(tool_name=forced, arguments=arguments, reasoning=f"The tool rules require {forced} at this step.")
    if choice == "required" and ctx.tools:
        if following is not None:
            return Reply(tool_name=following.tool, arguments=following.arguments, reasoning=following.why)
        name = _fallback_tool(ctx.tools)
        arguments, _ = fill(ctx.tools[name], ctx.user_text)
        if name == "send_message":
            arguments = {"message": current.answer(ctx)}
        return Reply(tool_name=name, arguments=arguments, reasoning=f"A tool call is required here; {name} is the one that fits.")
    if following is not None:
        return Reply(tool_name=following.tool, arguments=following.arguments, reasoning=following.why)
    content = current.answer(ctx)
    why = _after(ctx) or current.why or "I'll answer directly."
    if "send_message" in ctx.tools and not (ctx.turn and ctx.turn[-1].name == "send_message"):
        return Reply(tool_name="send_message", arguments={"message": content}, reasoning=why)
    return Reply(content=content, reasoning=why)
