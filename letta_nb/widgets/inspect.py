"""The workbench tabs beside a chat: the context window, the last turn's trace, a tool tester. Each draws a model of
:mod:`letta_nb.state.inspect` (``tab.model``), so code and tests drive them without a browser."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import letta_client

from ..state import ContextModel, ToolModel, TraceModel
from ._common import banner, forward, markup, note, show_error
from .snapshot import Snapshotted

TOOL_EXAMPLE = '''def shout(text: str) -> str:
    """Say it loudly.

    Args:
        text: What to say.
    """
    return text.upper() + "!"
'''


def _view(model: Any, empty: str) -> tuple[widgets.HTML, widgets.HTML]:
    """The model's HTML, or ``empty`` before its first load; and an error banner."""
    body, errors = widgets.HTML(), banner()

    def draw(_change: Any = None) -> None:
        body.value = model.html or markup(note(empty))
        show_error(errors, model.error)

    model.observe(draw, ["html", "error"])
    draw()
    return body, errors


@forward("model", "refresh", "follow", "tokens", "limit", "error")
class ContextTab(Snapshotted, widgets.VBox):
    """What the model sees this turn, by section; after a turn, what the turn changed."""

    def __init__(self, client: letta_client.Letta, agent_id: str) -> None:
        self.model = ContextModel(client, agent_id)
        body, errors = _view(self.model, "Press Load to see the agent's context window.")
        load = widgets.Button(description="Load", icon="refresh", tooltip="read the context window from the server")
        load.on_click(lambda _b: self.model.refresh())
        super().__init__(children=[load, errors, body])

    def __repr__(self) -> str:
        return f"ContextTab({self.model.tokens} of {self.model.limit} tokens)" if self.model.loads else "ContextTab()"


@forward("model", "load", "follow", "runs", "steps", "error")
class TraceTab(Snapshotted, widgets.VBox):
    """The last turn of the chat, step by step."""

    def __init__(self, client: letta_client.Letta) -> None:
        self.model = TraceModel(client)
        body, errors = _view(self.model, "The trace of the chat's last turn shows here once a turn has finished.")
        super().__init__(children=[errors, body])

    def __repr__(self) -> str:
        return f"TraceTab({self.model.steps} steps)"


@forward("model", "run", "source", "arguments", "ok", "error")
class ToolTab(Snapshotted, widgets.VBox):
    """A tool's source and arguments, run in the server's sandbox without an agent."""

    def __init__(self, client: letta_client.Letta, source: str = TOOL_EXAMPLE, arguments: str = '{"text": "hello"}') -> None:
        self.model = ToolModel(client, source, arguments)
        code = widgets.Textarea(layout=widgets.Layout(width="100%", height="160px"))
        args = widgets.Text(description="arguments", layout=widgets.Layout(width="100%"))
        widgets.link((self.model, "source"), (code, "value"))
        widgets.link((self.model, "arguments"), (args, "value"))
        run = widgets.Button(description="Run", icon="play", tooltip="run the tool in the server's sandbox")
        run.add_class("lnb-w-run-tool")
        run.on_click(lambda _b: self.model.run())
        self.model.observe(lambda c: setattr(run, "disabled", c["new"]), "busy")
        body, errors = _view(self.model, "Run the tool to see its return value, output and the schema the agent "
                                         "would get. Secrets go through letta_nb.try_tool(..., secrets=...).")
        super().__init__(children=[code, args, run, errors, body])

    def __repr__(self) -> str:
        return f"ToolTab({self.model.runs} runs)"
