"""Greetings, thanks, goodbyes, "how are you", and questions about the agent itself."""

from __future__ import annotations

from .. import replies
from ..context import Context
from ..memory import name_of_user
from ..plans import Plan, reply
from .base import Intent, Unit, unfamiliar


def _named(ctx: Context, text: str) -> str:
    name = name_of_user(ctx)
    return text.format(name=f", {name}" if name else "")


def _mentions(unit: Unit, intent: str) -> bool:
    """Whether the sentence only mentions the greeting or thanks ("how do you say good morning in Korean?"): a
    question with words that none of the intent's examples has, or a statement with several of them."""
    # words of any social intent count as familiar: "morning, how's it going?" greets and asks, and mentions nothing
    extra = unfamiliar(unit, tuple(e for i in INTENTS if i.social for e in i.examples))
    return len(extra) >= (1 if unit.form == "question" else 3)


def _greet(ctx: Context, unit: Unit) -> Plan | None:
    from .remember import tell

    told = tell(ctx, unit)  # "hi, I'm Priyanka" greets and tells: the telling is what needs doing
    if told is not None:
        return told
    if _mentions(unit, "greet"):
        return None
    return reply(_named(ctx, "Hello{name}! How can I help you today?"), "The user is greeting me; I'll greet them back.",
                 "greet")


def _thanks(ctx: Context, unit: Unit) -> Plan | None:
    if _mentions(unit, "thanks"):
        return None
    return reply(_named(ctx, "You're welcome{name}!"), "The user is thanking me; nothing to save or look up.", "thanks")


def _bye(ctx: Context, unit: Unit) -> Plan | None:
    if _mentions(unit, "bye"):
        return None
    return reply(_named(ctx, "Goodbye{name}! Talk soon."), "The user is saying goodbye.", "bye")


def _how(ctx: Context, unit: Unit) -> Plan | None:
    if _mentions(unit, "how_are_you"):
        return None
    return reply(_named(ctx, "I'm doing well, thanks for asking! What can I do for you{name}?"),
                 "The user asks how I am; I'll answer briefly and offer help.", "how_are_you")


def _ping(ctx: Context, unit: Unit) -> Plan | None:
    if _mentions(unit, "ping"):
        return None
    return reply("Pong! I'm here.", "The user is checking that I respond.", "ping")


def _abilities(ctx: Context, unit: Unit) -> Plan | None:
    if len(unfamiliar(unit, next(i.examples for i in INTENTS if i.name == "capabilities"))) >= 2:
        return None  # "do you have my city saved?" asks about my memory, not about what I can do
    return Plan([], lambda ctx: f"{replies.capabilities(ctx)} Just tell me or ask me in plain English.",
                "The user asks what I can do; I'll list what my tools and memory let me do.", "capabilities")


def _who(ctx: Context, unit: Unit) -> Plan:
    persona = next((b.value.strip() for b in ctx.blocks if "persona" in b.label and b.value.strip()), "")
    first = persona.split("\n")[0].strip() if persona else "I'm an assistant with a memory."
    return Plan([], lambda ctx: f"{first} Offline, I run on letta-nb's practice model, not a real LLM. "
                                f"{replies.capabilities(ctx)}",
                "The user asks who I am; my persona block says, and I'll be clear that this is the offline model.",
                "about_agent")


INTENTS = [
    Intent("greet", ("hello", "hi there", "hey!", "good morning", "hiya", "hello again", "hey, how's it going", "yo",
                     "greetings", "good evening!", "hi", "morning!", "hello, anyone there?", "hey there friend",
                     "good afternoon", "howdy"),
           _greet, social=True, priority=90),
    Intent("thanks", ("thanks", "thank you so much", "cheers", "thanks a lot, that's helpful", "ta", "great, thanks!",
                      "thank you, that was useful", "many thanks", "perfect, thank you", "much appreciated",
                      "thanks for your help", "awesome, thanks", "nice one, cheers", "ok thanks", "that's great, thank you"),
           _thanks, social=True, priority=85),
    Intent("bye", ("bye", "goodbye", "see you later", "talk to you tomorrow", "good night", "bye for now", "catch you later",
                   "that's all for today, bye", "see ya", "I have to go now, bye", "farewell", "ttyl", "later!"),
           _bye, social=True, priority=95),
    Intent("how_are_you", ("how are you?", "how's it going?", "how are you doing today?", "how do you do", "you ok?",
                           "how are things?", "how have you been?", "what's up?", "how's your day going?",
                           "are you well?", "how are you feeling today"),
           _how, social=True, priority=80, forms=frozenset({"question", "statement"})),
    Intent("ping", ("ping", "are you there?", "are you still there?", "hello?", "is anyone there?", "can you hear me?",
                    "test", "testing, testing", "you awake?"),
           _ping, social=True, priority=80),
    Intent("capabilities", ("what can you do?", "what are you able to help with?", "what tools do you have?", "help",
                            "how can you help me?", "what do you know how to do?", "what are your abilities?",
                            "show me what you can do", "list your tools", "what can I ask you?",
                            "what kind of things can you do for me", "which functions can you call?",
                            "what are you good at?", "can you tell me what you're capable of?", "what features do you have",
                            "what do you do?", "how do I use you?", "what commands do you understand?",
                            "can you remember things about me?", "are you able to search the web?",
                            "do you have a memory?"),
           _abilities, priority=40, forms=frozenset({"question", "request", "statement"})),
    Intent("about_agent", ("who are you?", "what are you?", "are you a bot?", "are you a real AI?", "what's your name?",
                           "tell me about yourself", "introduce yourself", "are you human?", "what model are you?",
                           "are you ChatGPT?", "what is your name", "who made you?", "what kind of assistant are you"),
           _who, priority=40),
]
