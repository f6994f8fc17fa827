"""letta_nb.display.notebook: the one "are we in a notebook?" that show(), enable() and the live stream use. Fast tier."""

import IPython
import pytest
from ipykernel.zmqshell import ZMQInteractiveShell
from IPython.core.interactiveshell import InteractiveShell

from letta_nb.display.notebook import in_notebook, shell


class _ColabShell(ZMQInteractiveShell):
    """Colab's kernel runs a subclass of ipykernel's shell, under a name of its own."""


@pytest.mark.parametrize(("running", "expected"), [
    (None, False),  # plain Python, a script, a test
    (InteractiveShell, False),  # the terminal's IPython: no HTML, no display updates
    (ZMQInteractiveShell, True),  # JupyterLab, VS Code, nbval
    (_ColabShell, True),
], ids=["python", "terminal IPython", "notebook kernel", "a kernel's subclass"])
def test_in_notebook(monkeypatch, running, expected):
    instance = None if running is None else running.__new__(running)  # the class is the answer: no shell is started
    monkeypatch.setattr(IPython, "get_ipython", lambda: instance)
    assert shell() is instance
    assert in_notebook() is expected
