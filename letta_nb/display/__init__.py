"""Rich notebook displays for Letta objects, with text fallbacks and DataFrames.

One render model, two sinks: :func:`render` builds a small node tree once per object (:mod:`.model`), and both
text/plain (:mod:`.text`) and text/html (:mod:`.html`) are written from that tree.

- ``show(x)``: display one object (HTML in Jupyter, text elsewhere). ``render(x)`` returns the :class:`View`.
- ``enable()`` / ``disable()``: make the last expression of a cell render richly with no wrapper.
- ``to_frame(x)``: a pandas DataFrame of any list of agents, messages, blocks, passages, tools, runs, models.
- ``memory_diff(before, after)``: what changed in each core memory block.
"""

from __future__ import annotations

from . import registry  # noqa: F401  (hands dispatch the table of builders: the one place they are registered)
from .diff import BlockChange, MemoryDiff, memory_diff
from .frame import to_frame
from .html import CSS, to_html
from .ipython import disable, enable
from .model import Options
from .text import to_text
from .view import View, render, show

__all__ = ["show", "render", "enable", "disable", "to_frame", "memory_diff", "View", "MemoryDiff", "BlockChange",
           "Options", "to_html", "to_text", "CSS"]
