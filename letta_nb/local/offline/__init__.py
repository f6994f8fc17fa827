"""The offline model: a small, deterministic agent behind an OpenAI-compatible endpoint, so that a real Letta server
runs with no key and no internet. Same request, same reply, every run.

It reads what a real model reads (the memory blocks in the system prompt, the tools offered, the conversation) and
decides, one step at a time, with one sentence of reasoning per step (Letta shows it as a ``reasoning_message``):

1. :mod:`.commands`: an explicit command phrase (``call TOOL {...}``, ``remember in LABEL: X``, ``echo: X``...),
   the precise fallback for a chapter or test that needs one exact call;
2. :mod:`.understand`: otherwise each sentence is matched by meaning to the intents in :mod:`.intents` (example
   sentences compared in e5's space, :mod:`.meaning`), the winner fills its slots (facts: :mod:`.statements`; tool
   arguments: :mod:`.arguments`; which tool: :mod:`.tools`) and returns a plan; when no intent is close enough, the
   model says plainly that it did not understand and writes nothing;
3. :mod:`.agent`: the next action of the plan not yet taken, or the reply (:mod:`.replies`). Tool rules arrive as
   ``tool_choice`` and are obeyed; a **sleeptime agent** folds the facts of the transcript into its blocks
   (:mod:`.sleeptime`); a **summary** request gets an extractive summary (:mod:`.summary`).

Streaming sends reasoning and reply one word per chunk, tool arguments in 16-character deltas, then usage (which
counts words, not tokens). Embeddings: see :mod:`letta_nb.local.offline.vectors`.

Run it alone with ``python -m letta_nb.local.offline --port 8284``; ``letta-nb up`` starts it for you.
"""

from .agent import Reply, respond
from .server import completion, completion_chunks, embeddings, make_server, models
from .vectors import embed, engine

__all__ = ["Reply", "respond", "embed", "engine", "completion", "completion_chunks", "embeddings", "models", "make_server"]
