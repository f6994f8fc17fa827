"""One turn with an agent: send, assemble the streamed chunks, answer approvals, until it ends.

    turn = Turn(client, agent_id, "hi")
    step = turn.advance()                      # streams one request
    while isinstance(step, NeedsDecisions):    # the agent paused on tool calls (stop reason requires_approval)
        turn.answer([... one approval_item(call, decision) per call ...])
        step = turn.advance()
    step.transcript                            # Done: every message of every round

or, with the three roles a turn is played by, ``Turn(..., source=, observer=, policy=).play()``:

- a **source** (:mod:`.source`): :class:`Plain`, or :class:`Resumable`, which continues a background run after a
  dropped connection and tells a run lost with its server;
- an **observer** (:mod:`.observe`): sees every chunk as it is assembled, the answers sent and how the turn ends;
- a **policy** (:mod:`.policy`): answers the pauses, at once (:class:`Automatic`, from a toolbox) or later (the chat
  widget's :class:`letta_nb.state.ApprovalQueue`, which a person clicks).

Every way of talking to an agent is a composition of these: :func:`letta_nb.stream.stream` and ``render_stream``
(a notebook or text sink, resumable), :func:`letta_nb.client_tools.run_turn` (an automatic policy) and
:class:`letta_nb.state.ChatSession` (the session's traits, its approval queue, resumable). This package imports
neither widgets nor the display's builders; they import it (a :class:`Transcript` shows itself through
:mod:`letta_nb.display.view`, whose builder for it is in :mod:`letta_nb.display.registry`).
"""

from .assembly import Assembler, Part, Transcript, collect, failure_of, reply_text
from .engine import MAX_ROUNDS, Done, NeedsDecisions, Turn
from .observe import Chunks, Observer
from .policy import (
    Automatic,
    Batch,
    Call,
    Decision,
    Policy,
    ToolResult,
    approval_item,
    approval_message,
    pending_calls,
)
from .source import RESUME_ATTEMPTS, Plain, Resumable, check_not_lost, open_stream, reopen

__all__ = ["Assembler", "Part", "Transcript", "collect", "failure_of", "reply_text", "MAX_ROUNDS",
           "Done", "NeedsDecisions", "Turn", "Chunks", "Observer", "Automatic", "Batch", "Call", "Decision", "Policy",
           "ToolResult", "approval_item", "approval_message", "pending_calls", "RESUME_ATTEMPTS", "Plain", "Resumable",
           "check_not_lost", "open_stream", "reopen"]
