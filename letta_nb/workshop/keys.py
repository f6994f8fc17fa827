"""The key box: a participant's API key typed into this kernel's environment, never into the notebook."""

from __future__ import annotations

from collections.abc import Iterable


def key_entry(variable: str = "LETTA_API_KEY", variables: Iterable[str] | None = None):
    """The key box for a notebook cell: ``workshop.key_entry()`` (last line of the cell, so it is displayed). It is a
    :class:`letta_nb.widgets.KeyEntry`; the key goes into this kernel's ``os.environ`` only."""
    from ..widgets.keys import KEY_VARIABLES, KeyEntry  # ipywidgets loads only when a key box is wanted

    return KeyEntry(variable, KEY_VARIABLES if variables is None else variables)

