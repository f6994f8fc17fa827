"""What the offline model cannot do, said plainly: general knowledge and live facts it cannot know (unless a tool
can: a fitting tool or ``web_search`` wins), creative writing and translation, and remarks about the user's day that
hold no lasting fact. None of these writes anything."""

from __future__ import annotations

from .. import replies
from ..context import Context
from ..plans import Plan, reply
from .act import _web
from .base import Intent, Unit


def _cannot(opening: str, why: str, intent: str):
    def plan(ctx: Context, unit: Unit) -> Plan:
        searched = _web(ctx, unit) if intent in ("knowledge", "live") else None
        if searched is not None:
            searched.intent = intent
            return searched
        return Plan([], lambda ctx: f"{opening} {replies.capabilities(ctx)}", why, intent)
    return plan


INTENTS = [
    Intent("knowledge", (
        "what's the capital of Peru?", "who won the 2022 world cup?", "how tall is Mount Everest?",
        "when was Shakespeare born?", "what is photosynthesis?", "who wrote Pride and Prejudice?",
        "how many moons does Jupiter have?", "what's the population of Japan?", "why is the sky blue?",
        "who is the prime minister of Canada?", "what does DNA stand for?", "how far is the moon?",
        "what's the boiling point of water in Fahrenheit?", "which is the longest river in Africa?",
        "explain quantum computing", "what year did the Berlin wall fall?", "is a tomato a fruit?",
    ), _cannot("I can't know that offline: I'm the practice model, and I only know what is in my memory and my notes. "
               "A real model would know it.", "This is general knowledge; the offline model has none beyond its memory, "
               "so I'll say so rather than guess.", "knowledge"), priority=60),
    Intent("live", (
        "what's the weather in Paris today?", "is it going to rain tomorrow?", "what's the latest news?",
        "how much is a bitcoin worth right now?", "who's winning the match?", "what time is it in Tokyo?",
        "is the M6 busy right now?", "what's the exchange rate today?", "are the trains running on time?",
        "what's the temperature outside?", "any news about the election?", "what's trending today?",
    ), _cannot("I can't check live information offline, and I have no tool for it.", "This needs live information, "
               "and no tool of mine can get it; I'll say so rather than guess.", "live"), priority=60),
    Intent("creative", (
        "write me a poem about autumn", "translate this into German: good morning", "tell me a joke",
        "write an email to my landlord about the heating", "compose a haiku", "draft a cover letter for me",
        "write a Python function that sorts a list", "give me a recipe for lasagne", "can you write a limerick",
        "make up a song about cats", "rewrite this paragraph more formally", "suggest a name for my startup",
        "what should I cook tonight?", "give me some ideas for a birthday party", "draw me a picture of a dog",
        "paint a sunset for me", "sketch a logo for my shop", "make me an image of a castle",
        "how do you say thank you in Spanish?", "what's the French word for apple?",
    ), _cannot("That needs a real language model: I'm the offline practice model, so I can't write or translate "
               "freely.", "This asks for open-ended writing, which the offline model cannot do; I'll say so.",
               "creative"), priority=60),
    Intent("aside", (
        "my bike has a flat tyre", "let's plan the Lyon trip", "I'm so tired today", "it's raining here",
        "I think AI is overhyped", "work was really stressful", "I'm going to the gym later", "ugh, Mondays",
        "I had a great weekend", "the train was late again", "I need to buy a present for my mum",
        "I'm thinking about learning to code", "my laptop is really slow", "I might go to Spain next year",
        "the meeting went well", "I'm bored", "that's interesting", "ok", "hmm", "cool", "never mind",
        "I forgot my umbrella", "my sister is visiting tomorrow", "I'm hungry",
    ), lambda ctx, unit: reply("I hear you, but there's nothing there for me to save or look up. (I'm the offline "
                               "practice model: ask me what I can do.)",
                               "This is a remark about how things are right now, not a lasting fact or a request; "
                               "nothing to save, and I can't act on it offline.", "aside"),
        forms=frozenset({"statement", "request"}), priority=70),
]
