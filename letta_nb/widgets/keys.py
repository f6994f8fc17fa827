"""``KeyEntry``: a password box that puts a key into this kernel's ``os.environ`` and nowhere else."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import ipywidgets as widgets
from traitlets import List, Unicode

from ..display.model import Para, Span
from ._common import markup

KEY_VARIABLES = ("LETTA_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "GROQ_API_KEY",
                 "OPENROUTER_API_KEY", "MISTRAL_API_KEY", "TOGETHER_API_KEY", "XAI_API_KEY", "DEEPSEEK_API_KEY")


class KeyEntry(widgets.VBox):
    """A password box that moves a key into this kernel's ``os.environ`` and nowhere else.

    The box sends its value only on Enter (or when it loses focus); the kernel then sets the variable, empties the box
    at once, and never prints or stores the key, so widget state saved into the notebook holds an empty string.
    State for tests and notebooks: ``variable`` (which one the next key sets), ``configured`` (set so far), ``message``.
    """

    variable = Unicode("LETTA_API_KEY", help="environment variable the next key is stored in")
    configured = List(Unicode(), help="variables set through this widget, in order")
    message = Unicode("", help="what happened last (never contains the key)")

    def __init__(self, variable: str = "LETTA_API_KEY", variables: Iterable[str] = KEY_VARIABLES, **kwargs: Any) -> None:
        options = list(dict.fromkeys([variable, *variables]))
        self.choice = widgets.Dropdown(options=options, value=variable, description="Key for")
        self.secret = widgets.Password(value="", placeholder="paste your key, then press Enter", description="Key",
                                       continuous_update=False)
        self.button = widgets.Button(description="Use this key", icon="key")
        self.status = widgets.HTML(value="")
        super().__init__(children=[self.choice, widgets.HBox([self.secret, self.button]), self.status], **kwargs)
        self.variable = variable
        widgets.link((self.choice, "value"), (self, "variable"))
        self.secret.observe(self._on_value, names="value")
        self.button.on_click(self._on_click)
        self.observe(lambda change: setattr(self.status, "value", markup(Para([Span(change.new)])) if change.new else ""),
                     names="message")

    def _on_value(self, change: dict) -> None:
        if change["new"]:
            self.submit(change["new"])

    def _on_click(self, _button: widgets.Button) -> None:
        if self.secret.value:
            self.submit(self.secret.value)
        elif self.variable not in self.configured:
            self.message = "Paste a key into the box first (it is sent when you press Enter)."

    def submit(self, key: str) -> None:
        """Put ``key`` into ``os.environ[self.variable]`` and empty the box (what Enter in the box does)."""
        self.secret.value = ""  # first, so that no saved widget state can ever hold it
        key = key.strip()
        if not key or any(ch.isspace() for ch in key):
            self.message = "That does not look like a key (empty, or it contains spaces); paste it again."
            return
        os.environ[self.variable] = key
        self.configured = [*[v for v in self.configured if v != self.variable], self.variable]
        if self.variable == "LETTA_API_KEY":
            nxt = "letta_nb.connect() now uses Letta Cloud (unless LETTA_BASE_URL is set)."
        else:
            nxt = ("A self-hosted server reads provider keys when it starts: restart the local stack from this notebook "
                   "(letta_nb.local.stack.Stack().down(); letta_nb.local.stack.Stack().up()) to offer this provider's models.")
        self.message = f"{self.variable} is set for this kernel only; it is not saved in the notebook. {nxt}"

    def forget(self) -> None:
        """Remove every variable set through this widget from ``os.environ``."""
        for name in self.configured:
            os.environ.pop(name, None)
        self.configured = []
        self.message = "Keys removed from this kernel."
