"""The workbench tabs' models: what the model sees (``ContextModel``), what the last turn did (``TraceModel``) and a
tool tried on its own (``ToolModel``). Each holds its view as ``html`` and ``text`` (one node tree, see
:mod:`letta_nb.display.view`), so tests read the same thing a browser shows."""

from __future__ import annotations

import json
from typing import Any

import letta_client
from traitlets import Bool, HasTraits, Int, List, Unicode

from ..display.view import render
from ..errors import LettaNbError
from ..workbench import context_window, trace, try_tool


class _Shown(HasTraits):
    html = Unicode(help="the view as HTML ('' before the first load)")
    text = Unicode(help="the same view as text")
    error = Unicode(help="the error to show ('' when none)")

    def _show(self, view: Any) -> None:
        with self.hold_trait_notifications():
            self.html, self.text, self.error = view.html, view.text, ""

    def _fail(self, exc: BaseException) -> None:
        self.error = str(exc) if isinstance(exc, LettaNbError) else f"{type(exc).__name__}: {exc}"


class ContextModel(_Shown):
    """The agent's context window; after each turn of a followed chat it shows what the turn changed in it."""

    agent_id = Unicode()
    tokens = Int(0, help="tokens in the window now")
    limit = Int(0, help="the window's size")
    loads = Int(0, help="how many times it was loaded")

    def __init__(self, client: letta_client.Letta, agent_id: str) -> None:
        super().__init__(agent_id=agent_id)
        self.client = client
        self._last: Any = None  # the previous snapshot: the next load shows the change since

    def refresh(self) -> None:
        try:
            view = context_window(self.client, self.agent_id, before=self._last)
        except Exception as exc:  # a tab shows a sentence, never a traceback
            self._fail(exc)
            return
        if view.window is not None:
            self._last = view.window
        with self.hold_trait_notifications():
            self.tokens = view.window.current if view.window else 0
            self.limit = view.window.limit if view.window else 0
            self._show(view)
            self.loads += 1

    def follow(self, session: Any) -> None:
        """Load again after every finished turn of ``session`` (a :class:`ChatSession`)."""
        session.on_turn(lambda _s: self.refresh())


class TraceModel(_Shown):
    """The step trace of a chat's last turn (all its runs: a turn answered after an approval has several)."""

    runs: List[str] = List(help="the run ids traced")
    steps = Int(0, help="steps in those runs")
    tokens = Int(0, help="tokens the steps used, in and out")

    def __init__(self, client: letta_client.Letta) -> None:
        super().__init__()
        self.client = client

    def load(self, runs: list[str]) -> None:
        if not runs:
            self.error = "No turn to trace yet: send a message first."
            return
        try:
            view = trace(self.client, list(runs))
        except Exception as exc:
            self._fail(exc)
            return
        with self.hold_trait_notifications():
            self.runs, self.steps, self.tokens = list(runs), view.totals.steps, view.totals.total_tokens
            self._show(view)

    def follow(self, session: Any) -> None:
        session.on_turn(lambda s: self.load(s.runs))


class ToolModel(_Shown):
    """A tool's source and arguments (JSON), run in the server's sandbox with no agent. Secrets are not taken here:
    a widget's state can be saved into the notebook, so secrets go through ``letta_nb.try_tool(..., secrets=)``."""

    source = Unicode(help="the tool's Python source: one function with a docstring")
    arguments = Unicode("{}", help="the arguments, a JSON object")
    busy = Bool(False)
    ok = Bool(False, help="the last run succeeded and the schema had nothing to warn about")
    runs = Int(0)

    def __init__(self, client: letta_client.Letta, source: str = "", arguments: str = "{}") -> None:
        super().__init__(source=source, arguments=arguments)
        self.client = client

    def run(self) -> bool:
        """Run the tool; False (with ``error`` set) when the arguments are not a JSON object or the server refuses."""
        try:
            args = json.loads(self.arguments or "{}")
        except json.JSONDecodeError as exc:
            self.error = f'The arguments are not JSON ({exc.msg}): write an object such as {{"city": "Paris"}}.'
            return False
        if not isinstance(args, dict):
            self.error = f'The arguments must be a JSON object such as {{"city": "Paris"}}, not {type(args).__name__}.'
            return False
        if not self.source.strip():
            self.error = "Write the tool's source first: a Python function with a docstring and an Args: section."
            return False
        self.busy = True
        try:
            trial = try_tool(self.client, self.source, **args)
        except Exception as exc:
            self._fail(exc)
            self.ok = False
            return False
        finally:
            self.busy = False
        with self.hold_trait_notifications():
            self._show(render(trial))
            self.ok, self.runs = trial.ok, self.runs + 1
        return True
