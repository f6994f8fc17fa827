"""``Workspace``: a chat beside the agent's memory, its context window, the last turn's trace and a tool tester.

Each turn highlights the blocks the agent changed, reloads the context window (showing what the turn changed in it)
and traces the turn's runs."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import letta_client

from .chat import ChatWidget
from .inspect import ContextTab, ToolTab, TraceTab
from .memory import MemoryEditor
from .snapshot import Snapshotted

TABS = ("Memory", "Context", "Last turn", "Try a tool")  # short: four tabs share a third of the width


class Workspace(Snapshotted, widgets.HBox):
    """``.chat`` (a :class:`ChatWidget`) on the left; on the right, tabs: ``.memory`` (a :class:`MemoryEditor`
    following it), ``.context`` (:class:`ContextTab`), ``.trace`` (:class:`TraceTab`) and ``.tool``
    (:class:`ToolTab`). ``.tabs.selected_index`` picks one."""

    def __init__(self, client: letta_client.Letta, agent_id: str, conversation_id: str | None = None, *,
                 tools: Any = None, auto: bool = False) -> None:
        self.chat = ChatWidget(client, agent_id, conversation_id, tools=tools, auto=auto)
        self.memory = MemoryEditor(client, agent_id, follow=self.chat)
        self.context = ContextTab(client, agent_id)
        self.trace = TraceTab(client)
        self.tool = ToolTab(client)
        self.context.refresh()  # the first snapshot: the first turn's reload then shows what that turn changed
        self.context.follow(self.chat.session)
        self.trace.follow(self.chat.session)
        self.tabs = widgets.Tab(children=[self.memory, self.context, self.trace, self.tool], titles=TABS)
        self.tabs.add_class("lnb-w-tabs")
        self.chat.layout.flex = "3 1 0"
        self.tabs.layout.flex = "2 1 0"
        self.tabs.layout.min_width = "260px"
        super().__init__(children=[self.chat, self.tabs], layout=widgets.Layout(width="100%", align_items="flex-start",
                                                                                  grid_gap="12px"))

    def __repr__(self) -> str:
        return f"Workspace({self.chat!r}, {self.memory!r}, {self.context!r}, {self.trace!r})"


def workspace(client: letta_client.Letta, agent_id: str, conversation_id: str | None = None, *, tools: Any = None,
              auto: bool = False) -> Workspace:
    """Chat with the agent; beside the chat, its memory changing, its context window, the last turn's trace and a
    tool tester."""
    return Workspace(client, agent_id, conversation_id, tools=tools, auto=auto)
