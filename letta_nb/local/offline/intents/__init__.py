"""The intents the offline model understands, as data: each is example sentences, the forms it can take, a priority,
and a planner that fills its slots from the user's words and returns a plan, or ``None`` when they do not fit (no
fact in a "tell" sentence, no tool for a request).

Adding a behaviour is one :class:`Intent` in one of these modules, then rows in the golden corpus
(``tests/data/offline_golden.jsonl``) and ``python -m letta_nb.local.offline.meaning`` to store the new examples'
vectors. Which intent a sentence means is decided in :mod:`letta_nb.local.offline.understand`, never by the order
of these tables.
"""

from __future__ import annotations

from . import act, ask, honest, remember, social, text
from .base import ALL_FORMS, Intent, Unit

INTENTS: dict[str, Intent] = {i.name: i for module in (social, remember, ask, act, text, honest) for i in module.INTENTS}
EXAMPLES: dict[str, tuple[str, ...]] = {name: intent.examples for name, intent in INTENTS.items()}

__all__ = ["ALL_FORMS", "Intent", "Unit", "INTENTS", "EXAMPLES"]
