"""``ChatSession``: a chat with one agent (or one of its conversations), its turns streamed on a worker thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import letta_client
from letta_client.types.agents.approval_response_message import ApprovalResponseMessage
from letta_client.types.agents.user_message import UserMessage
from traitlets import Any as AnyTrait
from traitlets import Bool, HasTraits, Int, List, Unicode

from ..errors import LettaNbError, explain
from ..exceptions import ApprovalPending
from ..stream import REDRAW_S
from ..turns import Assembler, Batch, Observer, Resumable, Transcript, Turn, pending_calls
from ..words import plural, shorten
from .approvals import ApprovalQueue

HISTORY = 30
_HIDDEN = {"system_message"}


def _ascending(items: list) -> list:
    """Message pages come newest-first from one endpoint and oldest-first from the other (letta 0.16.8)."""
    first, last = (getattr(items[0], "date", None), getattr(items[-1], "date", None)) if items else (None, None)
    return items[::-1] if first is not None and last is not None and first > last else items


def _now() -> datetime:
    return datetime.now(UTC)


class ChatSession(HasTraits):
    """The messages in view, the turn in progress and its pending tool calls (``approvals``, an
    :class:`ApprovalQueue`). :meth:`say` sends; the reply streams on a worker thread, and ``live`` holds the message
    being written until it is finished and appended to ``messages``."""

    agent_id = Unicode(help="the agent")
    agent_name = Unicode(help="its name, once loaded")
    conversation_id = Unicode(None, allow_none=True, help="None: the agent's default conversation")
    busy = Bool(False, help="a turn is streaming or waiting for an approval; sending is blocked")
    status = Unicode(help="'', 'streaming' or 'awaiting approval'")
    error = Unicode(help="the error to show ('' when none)")
    messages: List[Any] = List(help="the messages in view, oldest first")
    live = AnyTrait(None, allow_none=True, help="the message being written, None between messages")
    reply = Unicode(help="the assistant text of the last finished turn")
    turns = Int(0, help="finished turns since the session was made")
    runs: List[str] = List(help="the run ids of the last finished turn (one per request: answering an approval "
                                "starts another)")
    conversations: List[tuple[str, str]] = List(help="(label, conversation id) pairs of the agent; '' is the default "
                                                     "conversation")
    background = Bool(False, help="send each request as a background run, which the chat resumes after a dropped "
                                  "connection (the server needs Redis for them)")

    def __init__(self, client: letta_client.Letta, agent_id: str, conversation_id: str | None = None, *,
                 approvals: ApprovalQueue | None = None, history: int = HISTORY, background: bool = False) -> None:
        super().__init__(agent_id=agent_id, conversation_id=conversation_id or None, background=background)
        self.client = client
        self.approvals = approvals if approvals is not None else ApprovalQueue()
        self.history = history
        self._lock = threading.RLock()
        self._thread: threading.Thread | None = None
        self._callbacks: list[Callable[[Any], Any]] = []
        self._turn: Turn | None = None
        self._reload_after = False
        self.observe(self._on_conversation, "conversation_id")

    @property
    def tools(self):
        return self.approvals.tools

    def __repr__(self) -> str:
        where = ", in a conversation" if self.conversation_id else ""
        state = f", {self.status}" if self.status else ""
        count = len(self.messages)
        return f"agent {self.agent_name or self.agent_id!r}, {plural(count, 'message')}{where}{state}"

    # ------------------------------------------------------------------------------------------- loading
    def _fail(self, exc: BaseException) -> None:
        self.error = str(explain(exc))

    def open(self) -> None:
        """Load the agent's name, its conversations and the history in view."""
        try:
            self.agent_name = self.client.agents.retrieve(self.agent_id).name or ""
        except letta_client.APIError as exc:
            self._fail(exc)
        self.refresh_conversations()
        self.load()

    def refresh_conversations(self) -> None:
        """The agent's conversations (newest first) after its default one."""
        try:
            found = self.client.conversations.list(agent_id=self.agent_id, order="desc")
        except letta_client.APIError as exc:
            found = []
            self._fail(exc)
        options = [("default conversation", "")]
        for conv in found:
            stamp = conv.created_at.strftime("%Y-%m-%d %H:%M") if conv.created_at else ""
            label = " ".join(str(conv.summary or f"{conv.id[5:13]} · {stamp}").split())
            options.append((shorten(label, 36), conv.id))
        self.conversations = options

    def new_conversation(self) -> str | None:
        """Open a new conversation of this agent and switch to it."""
        try:
            conv = self.client.conversations.create(agent_id=self.agent_id)
        except letta_client.APIError as exc:
            self._fail(exc)
            return None
        self.conversation_id = conv.id
        return conv.id

    def _on_conversation(self, change: dict) -> None:
        if (change["new"] or "") not in {value for _label, value in self.conversations}:
            self.refresh_conversations()
        self.load()

    def load(self) -> None:
        """Show the last ``history`` messages of the current conversation; a pending approval goes to ``approvals``."""
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
        if shown and shown[-1].message_type == "approval_request_message":
            self._turn = self._new_turn(None)
            decided = self._turn.decide(pending_calls(shown[-1:]), self._resume)
            if decided is not None:
                self._resume(decided)

    def clear(self) -> None:
        """Empty the view (the history stays on the server; :meth:`load` shows it again)."""
        with self._lock:
            self.messages = []

    def _append(self, message: Any) -> None:
        with self._lock:
            self.messages = [*self.messages, message]

    def _replace_from(self, start: int, messages: list) -> None:
        with self._lock:
            self.messages = [*self.messages[:start], *messages]

    # ------------------------------------------------------------------------------------------- sending
    def on_turn(self, callback: Callable[[Any], Any]) -> None:
        """Call ``callback(self)`` after every finished turn (in the thread that ran it)."""
        self._callbacks.append(callback)

    def say(self, text: str, *, wait: bool = False) -> bool:
        """Send ``text``. False when it is blank or a turn is still running.

        ``wait=True`` returns when the turn has finished or stopped for an approval (as :meth:`join`).
        """
        text = text.strip()
        if not text:
            return False
        with self._lock:
            if self.busy:
                return False
            self.busy = True
        self.error = ""
        self._append(UserMessage(id=f"local-{len(self.messages)}", date=_now(), content=text, message_type="user_message"))
        self._turn = self._new_turn(text)
        self._start(None, wait)
        return True

    def join(self, timeout: float | None = None) -> None:
        """Wait for the running turn (including one resumed after an approval)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while (thread := self._thread) is not None and thread.is_alive():
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
            if deadline is not None and time.monotonic() >= deadline:
                return

    def _new_turn(self, text: str | None) -> Turn:
        return Turn(self.client, self.agent_id, text, conversation_id=self.conversation_id,
                    options={"background": self.background}, source=Resumable(self.client), observer=_Traits(self),
                    policy=self.approvals)

    def _start(self, decided: Batch | None, wait: bool = False) -> None:
        self.busy, self.status = True, "streaming"
        self._thread = threading.Thread(target=self._work, args=(decided,), daemon=True, name="lnb-chat")
        self._thread.start()
        if wait:
            self.join()

    def _resume(self, decided: Batch) -> None:
        """The approval queue's callback: answer the calls (running local tools) in a worker, then go on streaming."""
        self.error = ""
        self._start(decided)

    def _work(self, decided: Batch | None) -> None:
        turn = self._turn
        assert turn is not None  # _start made it
        try:
            turn.play(decided=decided, resume=self._resume)
        except LettaNbError:
            pass  # _Traits.failed has put it in `error`
        except Exception as exc:  # a widget shows a sentence, never a traceback; the kernel must not lose the thread
            self.error = f"{type(exc).__name__}: {exc}"
            self.status = ""
        finally:
            self.live = None
            if self.status != "awaiting approval":
                self.busy = False
            if self._reload_after:
                self._reload_after = False
                self.load()


class _Traits(Observer):
    """A turn as the session's traits show it: finished messages are appended to ``messages`` as they complete and
    the one being written is ``live``; at the end of each request its messages are replaced by their final form (a
    chunk may arrive after its message was shown)."""

    def __init__(self, session: ChatSession) -> None:
        self.session = session
        self.runs: list[str] = []
        self.start = 0
        self.live_index: int | None = None
        self.drawn = 0.0

    def round_started(self, turn: Turn) -> None:
        self.session.status = "streaming"
        self.start, self.live_index, self.drawn = len(self.session.messages), None, 0.0

    def chunk(self, assembler: Assembler, index: int | None, chunk: Any) -> None:
        if index is None:
            return
        s = self.session
        if index != self.live_index:
            if self.live_index is not None:
                s._append(assembler.message(self.live_index))
            self.live_index, self.drawn = index, 0.0
        if time.monotonic() - self.drawn >= REDRAW_S:
            s.live = assembler.message(index)
            self.drawn = time.monotonic()

    def round_ended(self, turn: Turn) -> None:
        transcript = turn.assembler.transcript
        self.session._replace_from(self.start, transcript.messages[turn.round_start:])
        if transcript.run_id and transcript.run_id not in self.runs:
            self.runs.append(transcript.run_id)
        self.session.live = None

    def answering(self, items: list[dict]) -> None:
        s = self.session
        s._append(ApprovalResponseMessage.model_validate({"id": f"local-{len(s.messages)}", "date": _now(),
                                                          "approvals": items, "message_type": "approval_response_message"}))

    def waiting(self, calls: list) -> None:
        self.session.busy, self.session.status = True, "awaiting approval"

    def finished(self, transcript: Transcript) -> None:
        s = self.session
        s.status = ""
        s.reply = transcript.text
        s.runs = list(self.runs)
        s.turns += 1
        for callback in list(s._callbacks):
            callback(s)

    def failed(self, error: LettaNbError, transcript: Transcript) -> None:
        s = self.session
        if isinstance(error, ApprovalPending):
            s.error = ("The agent is still waiting for an answer to an earlier tool call, so it cannot take a new "
                       "message. Answer that call in the panel below, then send again.")
            s._reload_after = True
        else:
            s.error = str(error)
        s.status = ""
