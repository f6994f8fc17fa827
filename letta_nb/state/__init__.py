"""The state and behaviour of the widgets, as traitlets models with no ipywidgets import.

    ChatSession(client, agent_id)      # a chat: messages, busy/status/error, say(), approvals
    ApprovalQueue(tools)               # pending tool calls and the decisions made about them
    MemoryModel(client, agent_id)      # an agent's core blocks (BlockModel each), save with a conflict check
    ContextModel / TraceModel / ToolModel  # the workbench tabs: context window, last turn's trace, a tool tried alone

``letta_nb.widgets`` draws them (``ChatWidget(...).session`` is a ChatSession); code and tests can drive them with no
widget at all. A chat's turns run on a worker thread, so its traits change on that thread: observers run there too
(ipykernel sends widget updates from any thread; anything else an observer touches must be thread-safe).
"""

from .approvals import ApprovalQueue, Batch
from .chat import ChatSession
from .inspect import ContextModel, ToolModel, TraceModel
from .memory import BlockModel, MemoryModel, SaveResult

__all__ = ["ChatSession", "ApprovalQueue", "Batch", "MemoryModel", "BlockModel", "SaveResult", "ContextModel", "TraceModel", "ToolModel"]
