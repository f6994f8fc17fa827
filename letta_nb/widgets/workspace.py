"""``Workspace``: a chat and the agent's memory side by side; each turn highlights the blocks the agent changed."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import letta_client

from .chat import ChatWidget
from .memory import MemoryEditor


class Workspace(widgets.HBox):
    """``.chat`` (a :class:`ChatWidget`) on the left, ``.memory`` (a :class:`MemoryEditor` following it) on the right."""

    def __init__(self, client: letta_client.Letta, agent_id: str, conversation_id: str | None = None, *,
                 tools: Any = None, auto: bool = False) -> None:
        self.chat = ChatWidget(client, agent_id, conversation_id, tools=tools, auto=auto)
        self.memory = MemoryEditor(client, agent_id, follow=self.chat)
        self.chat.layout.flex = "3 1 0"
        self.memory.layout.flex = "2 1 0"
        self.memory.layout.min_width = "260px"
        super().__init__(children=[self.chat, self.memory], layout=widgets.Layout(width="100%", align_items="flex-start",
                                                                                    grid_gap="12px"))

    def __repr__(self) -> str:
        return f"Workspace({self.chat!r}, {self.memory!r})"


def workspace(client: letta_client.Letta, agent_id: str, conversation_id: str | None = None, *, tools: Any = None,
              auto: bool = False) -> Workspace:
    """Chat with the agent and watch its memory change beside the chat."""
    return Workspace(client, agent_id, conversation_id, tools=tools, auto=auto)
