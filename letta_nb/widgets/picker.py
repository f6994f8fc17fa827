"""``AgentPicker``: the server's agents in a list; open a chat, the memory editor, or both, for the one you pick."""

from __future__ import annotations

from typing import Any, Literal

import ipywidgets as widgets
import letta_client
from traitlets import Any as AnyTrait
from traitlets import List, Unicode

from ..agents import AgentInclude
from ..display import render, to_frame
from ..errors import explain
from ..words import plural, shorten
from ._common import banner, part, show_error, style
from .snapshot import Snapshotted
from .workspace import Workspace

Kind = Literal["workspace", "chat", "memory"]
_INCLUDE: list[AgentInclude] = ["agent.blocks", "agent.tools", "agent.tags"]


class AgentPicker(Snapshotted, widgets.VBox):
    """Lists agents (newest first, ``name``/``tags`` filter them on the server, the box filters by name here); shows
    the picked agent's card; opens a :class:`Workspace`, a :class:`ChatWidget` or a :class:`MemoryEditor` below.

    ``agents`` holds the rows of ``letta_nb.to_frame(agents)``; ``selected`` the picked id; ``opened`` the widget.
    """

    agents: List[dict[str, Any]] = List(help="one dict per agent: the rows of letta_nb.to_frame")
    selected = Unicode(None, allow_none=True, help="the picked agent's id")
    error = Unicode(help="the error shown in the banner ('' when none)")
    opened = AnyTrait(None, help="the widget opened last")
    filter_box = part("_filter", "The name filter (a Text): the list keeps the agents whose name contains it.")
    agent_list = part("_list", "The agents (a Select): picking one sets ``selected`` and shows its card.")
    card_view = part("_card", "The picked agent's card (HTML).")
    opened_area = part("_area", "Where the opened widget is shown (a Box holding ``opened``).")

    def __init__(self, client: letta_client.Letta, *, name: str | None = None, tags: list[str] | None = None,
                 tools: Any = None, limit: int = 100) -> None:
        self.client = client
        self.tools = tools
        self._query = {"name": name, "tags": tags, "limit": limit}
        self._states: dict[str, Any] = {}
        self._filter = widgets.Text(placeholder="filter by name", layout=widgets.Layout(width="220px"))
        refresh = widgets.Button(description="Refresh", icon="refresh", layout=widgets.Layout(width="auto"))
        self._list = widgets.Select(rows=8, layout=widgets.Layout(width="100%"))
        self._card = widgets.HTML()
        buttons = [widgets.Button(description=label, icon=icon, layout=widgets.Layout(width="auto"))
                   for label, icon in (("Open chat + memory", "columns"), ("Open chat", "comments"), ("Open memory", "database"))]
        for button, kind in zip(buttons, ("workspace", "chat", "memory"), strict=True):
            button.on_click(lambda _b, kind=kind: self.open_agent(kind))
        self._area = widgets.Box()
        self._banner = banner()
        header = widgets.HBox([widgets.HTML('<span class="lnb-w-title">Agents</span>'), self._filter, refresh],
                              layout=widgets.Layout(align_items="center"))
        super().__init__(children=[style(), header, self._banner, self._list, self._card, widgets.HBox(buttons), self._area])
        self.add_class("lnb-w")
        refresh.on_click(lambda _b: self.refresh())
        self._filter.observe(lambda _c: self._fill(), "value")
        self._list.observe(self._on_select, "value")
        self.observe(lambda change: show_error(self._banner, change["new"]), "error")
        self.refresh()

    def __repr__(self) -> str:
        return f"AgentPicker({plural(len(self.agents), 'agent')})"

    def refresh(self) -> None:
        """List the agents again (with their blocks, tools and tags)."""
        query: dict[str, Any] = {k: v for k, v in self._query.items() if v is not None}
        try:
            found = list(self.client.agents.list(include=_INCLUDE, order="desc", **query).items)
        except letta_client.APIError as exc:
            self.error = str(explain(exc))
            return
        self.error = ""
        self._states = {a.id: a for a in found}
        self.agents = to_frame(found).to_dict("records") if found else []
        self._fill()

    def _fill(self) -> None:
        text = self._filter.value.strip().lower()
        options = [(f"{shorten(str(row['name']), 40, one_line=True)} · {row['model']} · {len(row['blocks'])} blocks",
                    row["id"]) for row in self.agents if text in (row["name"] or "").lower()]
        self._list.options = options
        self._list.value = self.selected if self.selected in {v for _l, v in options} else None

    def _on_select(self, change: dict) -> None:
        self.selected = change["new"]
        agent = self._states.get(change["new"]) if change["new"] else None
        self._card.value = render(agent).html if agent is not None else ""

    def open_agent(self, kind: Kind = "workspace", agent_id: str | None = None):
        """Open a widget for ``agent_id`` (default: the picked agent) below the list, and return it."""
        from .chat import ChatWidget
        from .memory import MemoryEditor

        agent_id = agent_id or self.selected
        if not agent_id:
            self.error = "Pick an agent in the list first."
            return None
        self.error = ""
        if kind == "workspace":
            opened = Workspace(self.client, agent_id, tools=self.tools)
        elif kind == "chat":
            opened = ChatWidget(self.client, agent_id, tools=self.tools)
        elif kind == "memory":
            opened = MemoryEditor(self.client, agent_id)
        else:
            raise ValueError("kind must be 'workspace', 'chat' or 'memory'")
        self._area.children = [opened]
        self.opened = opened
        return opened
