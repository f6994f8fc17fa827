"""What an intent is: example sentences, the forms it takes, a priority and a planner (see :mod:`.`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import language as L
from ..context import Context
from ..plans import Plan

ALL_FORMS = frozenset({"question", "request", "statement"})


@dataclass(frozen=True)
class Unit:
    """One sentence of the user's message, with its grammatical form."""

    text: str
    form: str
    message: str  # the whole message it came from
    strict: bool = False  # understood only a little below the floor: act on explicit grammar only


@dataclass(frozen=True)
class Intent:
    name: str
    examples: tuple[str, ...]
    plan: Callable[[Context, Unit], Plan | None]
    forms: frozenset[str] = ALL_FORMS  # grammatical forms it can take: a question is never a "tell"
    priority: int = 50  # when one message holds several intents, lower goes first (a fact before the question after it)
    social: bool = False  # a greeting or thanks: dropped when the same message asks for something else
    can: str = ""
    # its planner finds its slots in the sentence's grammar or returns None (a fact read clause by clause, "forget
    # that...", a sum), so when it ranks first it is trusted a little below the floor (understand.GRAMMAR_BAND)
    grammar: bool = False  # what the model says it can do, for "what can you do?" and the honest reply


def unfamiliar(unit: Unit, examples: tuple[str, ...]) -> set[str]:
    """The sentence's content words that none of an intent's examples has. A generic intent ("what can you do?", "what
    do you know about me?", "hello") is not what a sentence with several such words asks: "do you have the blue hoodie
    in a medium?" is a question about stock, not about my abilities."""
    return L.words(unit.text) - L.words(" ".join(examples))
