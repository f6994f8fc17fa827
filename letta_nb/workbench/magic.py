"""``%%letta``: talk to an agent from a cell. ``%load_ext letta_nb`` registers it.

    %letta use support-bot              # the default agent (name or id) of later %%letta cells
    %letta use --conversation conv-…    # or one of its conversations
    %letta                              # which agent the cells go to

    %%letta support-bot                 # the cell's text goes to this agent, the reply streams below
    %%letta --conversation conv-…
    %%letta                             # to the default

The reply renders as :func:`letta_nb.stream.stream` renders it; the last one is kept in ``_letta`` (a Transcript).
The magic uses the notebook's ``client`` variable when it holds a ``letta_client.Letta``, else
:func:`letta_nb.connect`. What goes wrong is one sentence naming the fix (IPython's UsageError), not a traceback.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any

import letta_client

from ..agents import find_agent
from ..connect import connect
from ..errors import explain, translated
from ..exceptions import LettaNbError
from ..stream import render_stream
from ..turns import open_stream

USAGE = ("%%letta AGENT (a name or an id), %%letta --conversation ID, or %%letta alone after %letta use AGENT; "
         "the cell's text is the message")


@dataclass
class Target:
    """Where a cell's message goes: an agent, or one of its conversations."""

    agent_id: str | None = None
    agent_name: str | None = None
    conversation_id: str | None = None

    def describe(self) -> str:
        if self.conversation_id:
            return f"conversation {self.conversation_id}"
        return f"agent {self.agent_name}"  # no id: a stored notebook must print the same every run


class LettaMagic:
    """The state behind ``%letta``/``%%letta`` in one shell: its default target and the client it found."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self.default: Target | None = None
        self._client: letta_client.Letta | None = None

    def client(self) -> letta_client.Letta:
        own = self.shell.user_ns.get("client")
        if isinstance(own, letta_client.Letta):
            return own
        if self._client is None:
            self._client = connect()
        return self._client

    def __call__(self, line: str, cell: str | None = None) -> None:
        from IPython.core.error import UsageError

        try:
            if cell is None:
                self.line(line)
            else:
                self.cell(line, cell)
        except _Shown:
            # The reply's display already ends with the failure ("✗ ..."); this stops Run All without repeating it.
            raise UsageError("The agent's turn failed (the reason is above).") from None
        except LettaNbError as exc:
            raise UsageError(str(exc)) from None
        except letta_client.APIError as exc:
            raise UsageError(str(explain(exc))) from None

    def line(self, line: str) -> None:
        words = _split(line)
        if not words:
            print(f"%%letta cells go to {self.default.describe()}." if self.default else
                  "No default agent yet: %letta use AGENT sets one.")
            return
        if words[0] != "use":
            raise LettaNbError(f"Unknown %letta command {words[0]!r}: %letta use AGENT sets the agent of %%letta cells "
                               f"(or use {USAGE}).")
        self.default = self.target(words[1:], "%letta use needs an agent: %letta use AGENT (a name or an id), or "
                                              "%letta use --conversation ID.")
        print(f"%%letta cells now go to {self.default.describe()}.")

    def cell(self, line: str, cell: str) -> None:
        text = cell.strip()
        if not text:
            raise LettaNbError("The cell is empty: write the message under the %%letta line.")
        words = _split(line)
        target = self.target(words, f"Which agent? Use {USAGE}.") if words else self.default
        if target is None:
            raise LettaNbError(f"Which agent? Use {USAGE}.")
        client = self.client()
        with translated():
            chunks = open_stream(client, target.agent_id or "", [{"role": "user", "content": text}],
                                 conversation_id=target.conversation_id)
        try:
            self.shell.user_ns["_letta"] = render_stream(chunks, client=client)
        except LettaNbError:
            raise _Shown() from None

    def target(self, words: list[str], missing: str) -> Target:
        """The target that ``AGENT``, ``--conversation ID`` or both name."""
        agent, conversation = None, None
        rest = list(words)
        while rest:
            word = rest.pop(0)
            if word in ("--conversation", "-c"):
                if not rest:
                    raise LettaNbError("--conversation needs the conversation's id: --conversation conv-...")
                conversation = rest.pop(0)
            elif agent is None:
                agent = word
            else:
                raise LettaNbError(f"Unexpected {word!r}: name one agent (quote a name with spaces). Use {USAGE}.")
        if agent is None and conversation is None:
            raise LettaNbError(missing)
        if agent is None:
            return Target(conversation_id=conversation)
        state = find_agent(self.client(), agent)
        return Target(state.id, state.name, conversation)


class _Shown(Exception):
    """The failure was displayed already, by the stream."""


def _split(line: str) -> list[str]:
    try:
        return shlex.split(line)
    except ValueError as exc:
        raise LettaNbError(f"Cannot read {line!r} ({exc}): close the quotes around a name.") from None


def load_ipython_extension(ip: Any) -> None:
    """Register ``%letta`` and ``%%letta`` in the shell ``ip`` (what ``%load_ext letta_nb`` calls)."""
    ip.register_magic_function(LettaMagic(ip), magic_kind="line_cell", magic_name="letta")
