"""``ChatWidget``: talk to an agent in a notebook, replies streamed token by token.

The stream runs in a worker thread, so the kernel stays free: the browser sees each token as it arrives and button
clicks (an approval, a second widget) are handled meanwhile. Finished messages live in one HTML widget; only the
message being written is redrawn, in a second one, at most every ``REDRAW_S``.
"""

from __future__ import annotations

import threading
import time
import warnings
from html import escape
from typing import Any, Callable

import ipywidgets as widgets
import letta_client
from letta_client.types.agents.approval_response_message import ApprovalResponseMessage
from letta_client.types.agents.user_message import UserMessage
from traitlets import Bool, Int, List, Unicode, link

from ..errors import LettaNbError, explain
from ..stream import REDRAW_S
from ..turns import Assembler, Done, NeedsDecisions, Turn, pending_calls
from ._common import banner, fragment, now, short, show_error, style
from .approvals import ApprovalPanel, Batch

HISTORY = 30
_HIDDEN = {"system_message"}
_STATUS = {"streaming": "the agent is answering…", "awaiting approval": "waiting for your answer to the tool call above"}


def _ascending(items: list) -> list:
    """Message pages come newest-first from one endpoint and oldest-first from the other (letta 0.16.8)."""
    dates = [getattr(m, "date", None) for m in (items[0], items[-1])] if items else []
    return items[::-1] if len(dates) == 2 and None not in dates and dates[0] > dates[1] else items


def _waiting_for_approval(exc: BaseException) -> bool:
    """A pending approval blocks new messages: 409 without streaming; with streaming an error event in a 200 stream."""
    said = f"{getattr(exc, 'body', '') or ''} {exc}".lower()
    return isinstance(exc, letta_client.ConflictError) or "waiting for approval" in said


class ChatWidget(widgets.VBox):
    """A chat with one agent: transcript, input (Enter sends), Send, conversation picker, Clear view, error banner.

    ``tools`` are local functions the agent may call (see :mod:`letta_nb.client_tools`); their calls wait in the
    :class:`ApprovalPanel` below the transcript (``auto=True`` runs them without asking). From code:
    ``chat.say("hi", wait=True)``, then read ``chat.reply`` / ``chat.messages``; ``chat.on_turn(fn)`` runs ``fn(chat)``
    after each finished turn.
    """

    agent_id = Unicode(help="the agent")
    agent_name = Unicode(help="its name, once loaded")
    conversation_id = Unicode(None, allow_none=True, help="None: the agent's default conversation")
    value = Unicode(help="the text in the input box")
    busy = Bool(False, help="a turn is streaming or waiting for an approval; sending is blocked")
    status = Unicode(help="'', 'streaming' or 'awaiting approval'")
    error = Unicode(help="the error shown in the banner ('' when none)")
    messages = List(help="the messages in view, oldest first")
    reply = Unicode(help="the assistant text of the last finished turn")
    turns = Int(0, help="finished turns since the widget was made")
    conversations = List(help="(label, conversation id) pairs offered by the picker; '' is the default conversation")

    def __init__(self, client: letta_client.Letta, agent_id: str, conversation_id: str | None = None, *,
                 tools: Any = None, auto: bool = False, approvals: ApprovalPanel | None = None,
                 history: int = HISTORY) -> None:
        self.client = client
        if approvals is not None and (tools is not None or auto):
            raise LettaNbError("Give tools and auto to the ApprovalPanel you pass as approvals=; the chat uses its tools.")
        self.approvals = approvals if approvals is not None else ApprovalPanel(tools, auto=auto)
        self.tools = self.approvals.tools
        self.history = history
        self._lock = threading.RLock()
        self._thread: threading.Thread | None = None
        self._fragments: list[str] = []
        self._callbacks: list[Callable[["ChatWidget"], Any]] = []
        self._turn_start = 0
        self._turn: Turn | None = None
        self._live_index: int | None = None
        self._drawn = 0.0
        self._reload_after = False
        self._quiet = False

        self._title = widgets.HTML(layout=widgets.Layout(flex="1 1 auto"))
        self._picker = widgets.Dropdown(layout=widgets.Layout(width="240px"), tooltip="conversation")
        new = widgets.Button(description="New", icon="plus", layout=widgets.Layout(width="auto"),
                             tooltip="start a new conversation with this agent")
        clear = widgets.Button(description="Clear", icon="eraser", layout=widgets.Layout(width="auto"),
                               tooltip="empty this view; the agent's history stays on the server")
        self._new = new
        self._banner = banner()
        self._transcript = widgets.HTML()
        self._live = widgets.HTML()
        self._input = widgets.Text(placeholder="Message the agent · Enter sends", layout=widgets.Layout(flex="1 1 auto"))
        self._send_button = widgets.Button(description="Send", icon="paper-plane", button_style="primary")
        self._status = widgets.HTML()
        self._input.add_class("lnb-w-input")
        header = widgets.HBox([self._title, self._picker, new, clear],
                             layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        children = [style(), header, self._banner, self._transcript, self._live]
        if approvals is None:
            children.append(self.approvals)
        children += [widgets.HBox([self._input, self._send_button]), self._status]
        super().__init__(children=children, agent_id=agent_id, conversation_id=conversation_id or None)
        self.add_class("lnb-w")
        self.add_class("lnb-w-chat")

        link((self, "value"), (self._input, "value"))
        self._send_button.on_click(lambda _button: self.say())
        with warnings.catch_warnings():
            # on_submit is the only event for Enter in a Text; its replacement (continuous_update=False) also fires
            # when the box loses focus, which would send half-typed messages.
            warnings.simplefilter("ignore", DeprecationWarning)
            self._input.on_submit(lambda _input: self.say())
        new.on_click(lambda _button: self.new_conversation())
        clear.on_click(lambda _button: self.clear())
        self._picker.observe(self._on_pick, "value")
        self.observe(lambda change: show_error(self._banner, change["new"]), "error")
        self.observe(self._on_busy, ["busy", "status"])
        self.observe(self._on_conversation, "conversation_id")

        self._load_agent()
        self.refresh_conversations()
        self.load()

    def __repr__(self) -> str:
        where = ", in a conversation" if self.conversation_id else ""
        state = f", {self.status}" if self.status else ""
        count = len(self.messages)
        return f"ChatWidget(agent {self.agent_name or self.agent_id!r}, {count} message{'s' * (count != 1)}{where}{state})"

    # ------------------------------------------------------------------------------------------- loading
    def _fail(self, exc: BaseException) -> None:
        self.error = str(explain(exc))

    def _load_agent(self) -> None:
        try:
            self.agent_name = self.client.agents.retrieve(self.agent_id).name or ""
        except letta_client.APIError as exc:
            self._fail(exc)
        self._title.value = f'<span class="lnb-w-title">Chat · {escape(short(self.agent_name or self.agent_id))}</span>'

    def refresh_conversations(self) -> None:
        """Fill the picker with the agent's conversations (newest first) after its default one."""
        try:
            found = self.client.conversations.list(agent_id=self.agent_id, order="desc")
        except letta_client.APIError as exc:
            found = []
            self._fail(exc)
        options = [("default conversation", "")]
        for conv in found:
            stamp = conv.created_at.strftime("%Y-%m-%d %H:%M") if conv.created_at else ""
            options.append((short(conv.summary or f"{conv.id[5:13]} · {stamp}", 36), conv.id))
        self.conversations = options
        self._quiet = True  # replacing the options moves the selection: not a user's pick
        try:
            self._picker.options = options
            self._picker.value = self.conversation_id or ""
        finally:
            self._quiet = False

    def new_conversation(self) -> str | None:
        """Open a new conversation of this agent and switch to it."""
        try:
            conv = self.client.conversations.create(agent_id=self.agent_id)
        except letta_client.APIError as exc:
            self._fail(exc)
            return None
        self.conversation_id = conv.id
        return conv.id

    def _on_pick(self, change: dict) -> None:
        picked = change["new"] or None
        if not self._quiet and picked != self.conversation_id:
            self.conversation_id = picked

    def _on_conversation(self, change: dict) -> None:
        if (change["new"] or "") not in {value for _label, value in self.conversations}:
            self.refresh_conversations()
        self._quiet = True
        try:
            self._picker.value = change["new"] or ""
        finally:
            self._quiet = False
        self.load()

    def load(self) -> None:
        """Show the last ``history`` messages of the current conversation; a pending approval goes to the panel."""
        self.approvals.clear()
        try:
            if self.conversation_id:
                page = self.client.conversations.messages.list(self.conversation_id, limit=self.history, order="desc")
            else:
                page = self.client.agents.messages.list(self.agent_id, conversation_id="default", limit=self.history,
                                                        order="desc")
            items = _ascending(list(page.items))
        except letta_client.APIError as exc:
            self._fail(exc)
            items = []
        shown = [m for m in items if m.message_type not in _HIDDEN]
        with self._lock:
            self.messages = shown
            self._fragments = [fragment(m) for m in shown]
        self._draw()
        if shown and shown[-1].message_type == "approval_request_message":
            self._turn = self._new_turn(None)
            self._await(pending_calls(shown[-1:]))

    def clear(self) -> None:
        """Empty the view (the history stays on the server; :meth:`load` shows it again)."""
        with self._lock:
            self.messages, self._fragments = [], []
        self._draw()

    # ---------------------------------------------------------------------------------------- rendering
    def _draw(self) -> None:
        body = "".join(self._fragments) or '<div class="lnb-w-empty">No messages yet. Type below and press Enter.</div>'
        self._transcript.value = f'<div class="lnb-w-scroll"><div class="lnb-log">{body}</div></div>'

    def _append(self, message: Any) -> None:
        with self._lock:
            self.messages = [*self.messages, message]
            self._fragments.append(fragment(message))
        self._draw()

    def _replace_from(self, start: int, messages: list) -> None:
        with self._lock:
            self.messages = [*self.messages[:start], *messages]
            self._fragments[start:] = [fragment(m) for m in messages]
        self._draw()

    def _on_busy(self, _change: dict) -> None:
        for control in (self._input, self._send_button, self._picker, self._new):
            control.disabled = self.busy
        note = _STATUS.get(self.status, "")
        self._status.value = f'<span class="lnb-w-muted">{note}</span>' if note else ""

    # ------------------------------------------------------------------------------------------- sending
    def on_turn(self, callback: Callable[["ChatWidget"], Any]) -> None:
        """Call ``callback(chat)`` after every finished turn (in the thread that ran it)."""
        self._callbacks.append(callback)

    def say(self, text: str | None = None, *, wait: bool = False) -> bool:
        """Send ``text`` (default: the input box). False when there is nothing to send or a turn is still running.

        ``wait=True`` returns when the turn has finished or stopped for an approval (as :meth:`join`).
        """
        text = (self.value if text is None else text).strip()
        if not text:
            return False
        with self._lock:
            if self.busy:
                return False
            self.busy = True
        self.error = ""
        self.value = ""
        self._turn_start = len(self.messages)
        self._append(UserMessage(id=f"local-{len(self.messages)}", date=now(), content=text, message_type="user_message"))
        self._turn = self._new_turn(text)
        self._start(None, wait)
        return True

    def _new_turn(self, text: str | None) -> Turn:
        return Turn(self.client, self.agent_id, text, conversation_id=self.conversation_id,
                    options=self.tools.request_options(), on_feed=self._on_feed)

    def join(self, timeout: float | None = None) -> None:
        """Wait for the running turn (including one resumed after an approval)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while (thread := self._thread) is not None and thread.is_alive():
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
            if deadline is not None and time.monotonic() >= deadline:
                return

    def _start(self, decided: Batch | None, wait: bool = False) -> None:
        self.status = "streaming"
        self._thread = threading.Thread(target=self._work, args=(decided,), daemon=True, name="lnb-chat")
        self._thread.start()
        if wait:
            self.join()

    def _resume(self, decided: Batch) -> None:
        """The approval panel's callback: answer the calls (running local tools) in a worker, then go on streaming."""
        self.error = ""
        self._start(decided)

    def _await(self, calls: list) -> None:
        """Hand pending calls to the panel; auto-decided ones go straight back to the agent."""
        self.busy = True
        self.status = "awaiting approval"
        decided = self.approvals.ask(calls, self._resume)
        if decided is not None:
            self._resume(decided)

    def _work(self, decided: Batch | None) -> None:
        try:
            turn = self._turn
            while True:
                if decided is not None:
                    answers = [self.tools.answer(call, decision) for call, decision in decided]
                    self._append(ApprovalResponseMessage.model_validate(
                        {"id": f"local-{len(self.messages)}", "date": now(), "approvals": answers,
                         "message_type": "approval_response_message"}))
                    turn.answer(answers)
                    decided = None
                self.status = "streaming"
                step = self._round(turn)
                if isinstance(step, Done):
                    break
                decided = self.approvals.ask(step.calls, self._resume)
                if decided is None:
                    self.status = "awaiting approval"
                    return
            self.status = ""
            this_turn = self.messages[self._turn_start:]
            self.reply = "".join(m.content for m in this_turn if m.message_type == "assistant_message" and isinstance(m.content, str))
            self.turns += 1
            for callback in list(self._callbacks):
                callback(self)
        except (letta_client.APIError, LettaNbError) as exc:
            if _waiting_for_approval(exc):
                self.error = ("The agent is still waiting for an answer to an earlier tool call, so it cannot take a "
                              "new message. Answer that call in the panel below, then send again.")
                self._reload_after = True
            else:
                self._fail(exc)
            self.status = ""
        except Exception as exc:  # a widget shows a sentence, never a traceback; the kernel must not lose the thread
            self.error = f"{type(exc).__name__}: {exc}"
            self.status = ""
        finally:
            self._live.value = ""
            if self.status != "awaiting approval":
                self.busy = False
            if self._reload_after:
                self._reload_after = False
                self.load()

    def _round(self, turn: Turn) -> Done | NeedsDecisions:
        """Stream one request of the turn. Finished messages go to the transcript as they complete (:meth:`_on_feed`);
        at the end the round's messages are replaced by their exact final form (a chunk may arrive after its message
        was shown)."""
        start = len(self.messages)
        self._live_index, self._drawn = None, 0.0
        try:
            return turn.advance()
        finally:
            self._replace_from(start, turn.assembler.finish().messages[turn.round_start:])
            self._live.value = ""

    def _on_feed(self, assembler: Assembler, index: int | None, _chunk: Any) -> None:
        if index is None:
            return
        if index != self._live_index:
            if self._live_index is not None:
                self._append(assembler.message(self._live_index))
            self._live_index, self._drawn = index, 0.0
        if time.monotonic() - self._drawn >= REDRAW_S:
            self._live.value = f'<div class="lnb-log">{fragment(assembler.message(index))}</div>'
            self._drawn = time.monotonic()
