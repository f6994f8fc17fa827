"""Texts the model writes itself: a short story around any topic (a documented, deterministic generator, so that a
chapter has something long enough to stream), and a summary of what was said before."""

from __future__ import annotations

import hashlib
import re

from .. import language as L
from ..context import Context, text
from ..plans import Plan, reply
from .base import Intent, Unit

STORY_OPENING = "Here is a short story about "
# Each story: the opening, then one sentence from each group, chosen by a hash of the topic (same topic, same story).
_GROUPS = (
    ("Nobody in the valley could remember a time before {t}.", "Far from any city, people still told tales about {t}.",
     "It began on an ordinary morning, with {t} and nothing else."),
    ("Every day brought the same quiet work, and every night the same patient watch.",
     "Most days passed without anyone noticing, and that was how it liked things.",
     "Season after season, the small routines went on."),
    ("Then one stormy winter, something went wrong, and only {t} stood between a traveller and trouble.",
     "One evening a stranger arrived, lost and tired, and everything depended on {t}.",
     "When the big storm came, the whole village found out what {t} was for."),
    ("By morning the danger had passed, and the traveller was home.", "By sunrise the worst was over, and everyone was safe.",
     "When the wind dropped at last, the stranger went on their way, grateful."),
    ("And the quiet work went on, every night, for anyone who needed it.",
     "Nobody forgot {t} after that, even when the days were calm again.",
     "It is still there today, doing what it always did."),
)


def story(topic: str) -> str:
    digest = hashlib.sha1(topic.lower().encode()).digest()
    said = [group[digest[i] % len(group)].format(t=topic) for i, group in enumerate(_GROUPS)]
    return f"{STORY_OPENING}{topic}. " + " ".join(s[0].upper() + s[1:] for s in said)


_ABOUT = re.compile(r"\b(?:story|tale|fable|bedtime story)\s+(?:about|of|on|featuring|with)\s+(?P<topic>.+?)[.?!]*$", re.I)


def _story(ctx: Context, unit: Unit) -> Plan | None:
    match = _ABOUT.search(L.normal(unit.text))
    topic = match.group("topic").strip() if match else "a curious fox"
    return reply(story(topic), "The user asked for a story; I'll tell a short one.", "story")


def _last_long_reply(ctx: Context) -> str:
    for m in reversed(ctx.messages[:-1]):
        said = text(m.get("content")) if m.get("role") == "assistant" else ""
        if len(said.split()) >= 25:
            return said
    return ""


def recap(ctx: Context) -> str:
    """The first and last sentences of the last long reply, said as a summary."""
    said = _last_long_reply(ctx)
    if not said:
        return "There is nothing long in our conversation to summarise yet."
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", said) if s]
    if sentences and sentences[0].startswith(STORY_OPENING):
        topic = sentences[0][len(STORY_OPENING):].rstrip(".")
        return f"In short: the story about {topic} ends like this: {sentences[-1]}"
    return f"In short: {sentences[0]} ... {sentences[-1]}" if len(sentences) > 1 else f"In short: {sentences[0]}"


def _summarise(ctx: Context, unit: Unit) -> Plan:
    if re.search(r"https?://|www\.", unit.message) and not ctx.offers("fetch_webpage"):
        # a page elsewhere is not our conversation: recapping my last answer instead would be confidently wrong
        return reply("I can't open links: I have no tool to read web pages here, so I can't summarise that page.",
                     "The user wants a web page summarised, but I have no "
                     "tool that reads web pages; I'll say so.", "summarise")
    return Plan([], recap, "The user wants a summary; I'll sum up what I said before.", "summarise")


INTENTS = [
    Intent("story", ("tell me a story about a lighthouse", "write a short story about a dragon", "tell me a bedtime story",
                     "can you tell me a tale about the sea", "make up a story about a robot", "a story about my cat please",
                     "write a long story about space travel", "tell me a little story"),
           _story, priority=50),
    Intent("summarise", ("summarise the lighthouse story", "give me the gist of that", "recap what you just said",
                         "sum up the story", "summarize that in one line", "tl;dr?", "can you summarise your last answer",
                         "shorten that for me"),
           _summarise, priority=50),
]
