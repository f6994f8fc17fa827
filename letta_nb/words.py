"""How letta_nb words a count and cuts a long text: one way each, so every display, widget and message agrees.

(The offline model keeps a ``plural`` of its own, in :mod:`letta_nb.local.offline.language`: the model's replies are
its business.)
"""

from __future__ import annotations


def plural(n: int, one: str, many: str | None = None, *, spec: str = "") -> str:
    """``"1 block"``, ``"2 blocks"``; ``many`` for irregular nouns; ``spec`` formats the number (``","``: 1,024)."""
    return f"{n:{spec}} {one if n == 1 else many or one + 's'}"


def shorten(text: str, limit: int, *, one_line: bool = False) -> str:
    """``text`` cut to at most ``limit`` characters, an ellipsis last when cut. ``one_line`` first collapses every
    run of whitespace, newlines included, into one space."""
    if one_line:
        text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
