"""What the model decides for a turn: the tool calls to make, in order, each with its reasoning, then the reply.

The plan is made again from the request at every step (the server sends the whole turn so far each time), so a turn
of several steps needs no state between requests: the next step is the first action not yet taken.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .context import Context

ENDS_TURN = ("send_message", "memory_finish_edits")
MEMORY_EDITS = ("memory_insert", "memory_replace", "core_memory_append", "core_memory_replace", "memory_rethink")


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
    intent: str = ""  # which intent made it: for the benchmark and the golden corpus, never shown
    writes: bool = field(default=False)  # whether it changes memory: an honest "did not understand" never does
    # "I don't have that in my memory": the intent understood the question but holds no answer, so a tool of the
    # agent's that fits the question is the better plan (understand.py decides)
    empty: bool = field(default=False)

    def then(self, other: Plan) -> Plan:
        """Both plans in one turn: this one's actions, then the other's; both answers, in that order."""
        first, second = self.answer, other.answer
        return Plan(self.actions + [a for a in other.actions if a not in self.actions],
                    lambda ctx: " ".join(dict.fromkeys(s for s in (first(ctx), second(ctx)) if s)),  # said once
                    self.why or other.why, self.intent + "+" + other.intent, self.writes or other.writes)


def reply(text: str, why: str, intent: str, empty: bool = False) -> Plan:
    return Plan([], lambda ctx: text, why, intent, empty=empty)
