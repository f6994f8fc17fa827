"""Jupyter widgets for Letta agents (ipywidgets): chat, memory editor, approvals, agent picker.

    from letta_nb.widgets import ChatWidget, MemoryEditor, workspace, AgentPicker

    ChatWidget(client, agent.id)                 # transcript, input (Enter sends), live streaming
    MemoryEditor(client, agent.id)               # every core block editable, saved with a conflict check
    workspace(client, agent.id, tools=[fn])      # chat beside tabs: memory, context window, last turn's trace,
                                                 # a tool tester; tool calls wait in an ApprovalPanel
    AgentPicker(client)                          # list the agents, open any of the above for one

Each widget draws a model of :mod:`letta_nb.state` (``chat.session``, ``panel.queue``, ``editor.model``), whose traits
the widget also forwards (``chat.busy``, ``chat.messages``, ``editor.conflicts``, ...), so code and tests drive the
widgets without a browser: ``chat.say("hi", wait=True)``, ``editor.save()``, ``chat.approvals.run_locally()``.
"""

from .approvals import ApprovalPanel
from .chat import ChatWidget
from .inspect import ContextTab, ToolTab, TraceTab
from .keys import KeyEntry
from .memory import BlockEditor, MemoryEditor
from .picker import AgentPicker
from .workspace import Workspace, workspace

__all__ = ["ChatWidget", "MemoryEditor", "BlockEditor", "ApprovalPanel", "AgentPicker", "Workspace", "workspace", "KeyEntry",
           "ContextTab", "TraceTab", "ToolTab"]
