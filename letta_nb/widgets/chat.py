"""``ChatWidget``: talk to an agent in a notebook, replies streamed token by token.

The state and behaviour are a :class:`letta_nb.state.ChatSession` (``chat.session``); this view only observes it.
Turns run in a worker thread, so the kernel stays free: the browser sees each token as it arrives and button clicks
(an approval, a second widget) are handled meanwhile. Finished messages live in one HTML widget; only the message
being written is redrawn, in a second one.
"""

from __future__ import annotations

import warnings
from typing import Any

import ipywidgets as widgets
import letta_client
from traitlets import Unicode, link

from ..errors import LettaNbError
from ..state import ChatSession
from ..state.chat import HISTORY
from ._common import banner, forward, fragment, markup, note, part, show_error, style, title
from .approvals import ApprovalPanel
from .snapshot import Snapshotted

_STATUS = {"streaming": "the agent is answering…", "awaiting approval": "waiting for your answer to the tool call above"}
_EMPTY = '<div class="lnb-w-empty">No messages yet. Type below and press Enter.</div>'


@forward("session", "agent_id", "agent_name", "conversation_id", "busy", "status", "error", "messages", "reply",
         "turns", "conversations", "background", "join", "load", "clear", "new_conversation", "refresh_conversations",
         "on_turn")
class ChatWidget(Snapshotted, widgets.VBox):
    """A chat with one agent: transcript, input (Enter sends), Send, conversation picker, Clear view, error banner.

    ``tools`` are local functions the agent may call (see :mod:`letta_nb.client_tools`); their calls wait in the
    :class:`ApprovalPanel` below the transcript (``auto=True`` runs them without asking). From code:
    ``chat.say("hi", wait=True)``, then read ``chat.reply`` / ``chat.messages``; ``chat.on_turn(fn)`` runs ``fn(session)``
    after each finished turn. The state (``busy``, ``status``, ``messages``, ...) is ``chat.session``'s traits,
    readable and writable on the widget too. The parts a person uses are properties as well: ``input_box``,
    ``send_button``, ``conversation_picker``, ``transcript_view``, ``live_view`` and ``error_banner``.
    """

    value = Unicode(help="the text in the input box")
    input_box = part("_input", "The text box (a Text): Enter sends what it holds, which is also ``value``.")
    send_button = part("_send_button", "The Send button; disabled while a turn runs.")
    conversation_picker = part("_picker", "The conversation dropdown: choosing one sets ``conversation_id``.")
    transcript_view = part("_transcript", "The finished messages, as one HTML widget.")
    live_view = part("_live", "The message being written, as HTML; empty once it is in the transcript.")
    error_banner = part("_banner", "The error, naming the fix (an HTML widget, hidden when there is none).")

    def __init__(self, client: letta_client.Letta, agent_id: str, conversation_id: str | None = None, *,
                 tools: Any = None, auto: bool = False, approvals: ApprovalPanel | None = None,
                 history: int = HISTORY, background: bool = False) -> None:
        if approvals is not None and (tools is not None or auto):
            raise LettaNbError("Give tools and auto to the ApprovalPanel you pass as approvals=; the chat uses its tools.")
        self.approvals = approvals if approvals is not None else ApprovalPanel(tools, auto=auto)
        self.session = ChatSession(client, agent_id, conversation_id, approvals=self.approvals.queue, history=history,
                                   background=background)
        self._shown: list[tuple[Any, str]] = []  # (message, its HTML): finished messages are rendered once
        self._quiet = False

        self._title = widgets.HTML(layout=widgets.Layout(flex="1 1 auto"))
        self._picker = widgets.Dropdown(layout=widgets.Layout(width="240px"), tooltip="conversation")
        self._new = widgets.Button(description="New", icon="plus", layout=widgets.Layout(width="auto"),
                                   tooltip="start a new conversation with this agent")
        clear = widgets.Button(description="Clear", icon="eraser", layout=widgets.Layout(width="auto"),
                               tooltip="empty this view; the agent's history stays on the server")
        self._banner = banner()
        self._transcript = widgets.HTML()
        self._live = widgets.HTML()
        self._input = widgets.Text(placeholder="Message the agent · Enter sends", layout=widgets.Layout(flex="1 1 auto"))
        self._send_button = widgets.Button(description="Send", icon="paper-plane", button_style="primary")
        self._status = widgets.HTML()
        self._input.add_class("lnb-w-input")
        header = widgets.HBox([self._title, self._picker, self._new, clear],
                              layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        children = [style(), header, self._banner, self._transcript, self._live]
        if approvals is None:
            children.append(self.approvals)
        children += [widgets.HBox([self._input, self._send_button]), self._status]
        super().__init__(children=children)
        self.add_class("lnb-w")
        self.add_class("lnb-w-chat")

        link((self, "value"), (self._input, "value"))
        self._send_button.on_click(lambda _button: self.say())
        with warnings.catch_warnings():
            # on_submit is the only event for Enter in a Text; its replacement (continuous_update=False) also fires
            # when the box loses focus, which would send half-typed messages.
            warnings.simplefilter("ignore", DeprecationWarning)
            self._input.on_submit(lambda _input: self.say())
        self._new.on_click(lambda _button: self.session.new_conversation())
        clear.on_click(lambda _button: self.session.clear())
        self._picker.observe(self._on_pick, "value")

        s = self.session
        s.observe(lambda change: show_error(self._banner, change["new"]), "error")
        s.observe(self._draw_busy, ["busy", "status"])
        s.observe(self._draw_title, ["agent_name", "agent_id"])
        s.observe(self._draw_picker, ["conversations", "conversation_id"])
        s.observe(self._draw_messages, "messages")
        s.observe(lambda change: setattr(self._live, "value", self._live_html(change["new"])), "live")
        self._draw_title()
        self._draw_messages()
        s.open()

    def __repr__(self) -> str:
        return f"ChatWidget({self.session!r})"

    def say(self, text: str | None = None, *, wait: bool = False) -> bool:
        """Send ``text`` (default: the input box, which empties). False when there is nothing to send or a turn is
        still running. ``wait=True`` returns when the turn has finished or stopped for an approval."""
        sent = self.session.say(self.value if text is None else text)
        if sent and text is None:
            self.value = ""
        if sent and wait:
            self.session.join()
        return sent

    @property
    def tools(self):
        return self.session.tools

    # ------------------------------------------------------------------------------------------ drawing
    def _draw_title(self, _change: Any = None) -> None:
        s = self.session
        self._title.value = title(f"Chat · {s.agent_name or s.agent_id}")

    def _draw_picker(self, _change: Any = None) -> None:
        self._quiet = True  # replacing the options moves the selection: not a user's pick
        try:
            if list(self._picker.options) != [tuple(o) for o in self.session.conversations]:
                self._picker.options = [tuple(o) for o in self.session.conversations]
            wanted = self.session.conversation_id or ""
            self._picker.value = wanted if wanted in {value for _label, value in self._picker.options} else ""
        finally:
            self._quiet = False

    def _on_pick(self, change: dict) -> None:
        picked = change["new"] or None
        if not self._quiet and picked != self.session.conversation_id:
            self.session.conversation_id = picked

    def _draw_messages(self, _change: Any = None) -> None:
        messages = self.session.messages
        keep = 0
        while keep < min(len(messages), len(self._shown)) and self._shown[keep][0] is messages[keep]:
            keep += 1
        self._shown[keep:] = [(m, fragment(m)) for m in messages[keep:]]
        body = "".join(html for _m, html in self._shown) or _EMPTY
        self._transcript.value = f'<div class="lnb-w-scroll"><div class="lnb-log">{body}</div></div>'

    @staticmethod
    def _live_html(message: Any) -> str:
        return f'<div class="lnb-log">{fragment(message)}</div>' if message is not None else ""

    def _draw_busy(self, _change: Any = None) -> None:
        for control in (self._input, self._send_button, self._picker, self._new):
            control.disabled = self.session.busy
        said = _STATUS.get(self.session.status, "")
        self._status.value = markup(note(said)) if said else ""
