"""Which IPython runs this code (``enable()`` registers its formatters there, a terminal's included), and whether
it is a notebook's (``show()`` and the live stream draw HTML only there): the one answer letta_nb uses for each.

A notebook's kernel (JupyterLab, VS Code, Colab, nbval) runs a ``ZMQInteractiveShell`` or a subclass of it: its
front end draws HTML and redraws a display in place. The terminal's IPython does neither, so text is what it gets.
"""

from __future__ import annotations

from typing import Any


def shell() -> Any:
    """The running IPython shell, or None (plain Python, or IPython not installed)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def in_notebook() -> bool:
    """True inside a notebook's kernel, False in a terminal IPython, a script or a test."""
    running = shell()
    # By class name: importing ipykernel to test isinstance would load it into terminals and scripts.
    return running is not None and any(cls.__name__ == "ZMQInteractiveShell" for cls in type(running).__mro__)
