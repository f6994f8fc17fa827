"""The offline model: a small, deterministic agent behind an OpenAI-compatible endpoint, so that a real Letta server
runs with no key and no internet. Same request, same reply, every run.

It reads what a real model reads (the memory blocks in the system prompt, the tools offered, the conversation) and
decides, one step at a time, with one sentence of reasoning per step (Letta shows it as a ``reasoning_message``).
From the last user message, first match wins:

| the user                                            | the agent                                                   |
|-----------------------------------------------------|-------------------------------------------------------------|
| tells it about themselves: "Hi, I'm Sam, a teacher   | ``memory_insert`` of ``Name: Sam`` / ``Job: teacher`` /      |
| in Leeds", "my daughter is called Noor"             | ``Location: Leeds`` into the block that fits (``human``, or  |
|                                                     | one whose label or description fits better)                 |
| contradicts memory: "I moved to York"               | ``memory_replace`` of the old line (``Location: Leeds``)     |
| asks about themselves: "what's my name?"            | answers from its memory blocks                              |
| asks about earlier turns: "what did I say about X?" | ``conversation_search``, then answers with what it found     |
| asks to keep something: "please note for later …"  | ``archival_memory_insert``                                   |
| asks something a custom tool does: "what's the      | that tool (``get_weather(city="Oslo")``), chosen by words of  |
| weather in Oslo?"                                   | its name, description and parameters; then uses its result  |
| asks a question of knowledge: "how do I get my      | ``archival_memory_search`` (or ``semantic_search_files``),   |
| money back?"                                        | then answers from the best passage                          |
| makes small talk: "hello", "thanks"                 | a short, friendly reply                                     |

Explicit command phrases come first, for tests and chapters that need one exact call: ``call TOOL {"a": 1}``,
``remember that X`` / ``remember in LABEL: X`` (verbatim ``memory_insert``), ``replace "A" with "B" in LABEL``,
``archive: X #tag``, ``search archival for X``, ``search conversation for X``, ``echo: X`` (replies ``X``).

Also: a named ``tool_choice`` (tool rules) is always obeyed, ``"required"`` picks the planned tool or a turn-ending
one; agents with ``send_message`` get their replies through it; a **sleeptime agent** reads the transcript it is
given and rewrites each shared block once with ``memory_rethink`` (new facts added, contradictions resolved, repeats
merged), then calls ``memory_finish_edits``; a **summary** request gets an extractive summary of the transcript.

Streaming sends reasoning and reply one word per chunk, tool arguments in 16-character deltas, then usage (which
counts words, not tokens). Embeddings: see :mod:`letta_nb.local.offline.vectors`.

Run it alone with ``python -m letta_nb.local.offline --port 8284``; ``letta-nb up`` starts it for you.
"""

from .agent import Reply, respond
from .vectors import embed, engine
from .server import completion, completion_chunks, embeddings, make_server, models

__all__ = ["Reply", "respond", "embed", "engine", "completion", "completion_chunks", "embeddings", "models", "make_server"]
