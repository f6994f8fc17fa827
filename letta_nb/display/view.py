"""``render`` builds the node tree once; a :class:`View` derives text/plain and text/html from it on demand."""

from __future__ import annotations

from typing import Any

from .dispatch import Ctx, build
from .html import to_html
from .model import PREVIEW_CHARS, PREVIEW_LINES, Node, Options
from .notebook import in_notebook
from .text import to_text


class View:
    """A rendered object: ``.html`` and ``.text`` (both cached, both from one node tree) and IPython's bundle hook."""

    __slots__ = ("node", "_html", "_text")

    def __init__(self, node: Node) -> None:
        self.node = node
        self._html: str | None = None
        self._text: str | None = None

    @property
    def html(self) -> str:
        if self._html is None:
            self._html = to_html(self.node)
        return self._html

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = to_text(self.node)
        return self._text

    def bundle(self) -> dict[str, str]:
        """Both forms, as IPython and nbformat store them."""
        return {"text/plain": self.text, "text/html": self.html}

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return self.bundle()

    def _repr_html_(self) -> str:
        """For front ends that ask for HTML alone (IPython itself prefers the bundle)."""
        return self.html

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__


class Rendered:
    """A mixin for letta_nb's own result objects: rich in Jupyter, readable text elsewhere, both from :func:`render`.

    A subclass draws itself with ``_letta_node_(self, ctx) -> Node`` (a Transcript, defined below the display
    package, has its builder in :mod:`.registry` instead). Subclasses that are dataclasses need ``repr=False``, or the
    dataclass ``__repr__`` hides this one.
    """

    __slots__ = ()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return render(self).bundle()

    def _repr_html_(self) -> str:
        return render(self).html

    def __repr__(self) -> str:
        return render(self).text

    __str__ = __repr__


def render(obj: Any, *, client: Any = None, ids: bool = False, times: bool = False, max_chars: int = PREVIEW_CHARS,
           max_lines: int = PREVIEW_LINES) -> View:
    """The :class:`View` of any Letta object, list, page, response or stream.

    ``ids``/``times`` put ids and timestamps/durations into the text form too (HTML always has them). ``client``
    allows the few extra look-ups a view can show (agents sharing a block, a run's steps); without it, nothing
    touches the network. ``max_chars``/``max_lines`` set where long content is cut.
    """
    if isinstance(obj, View):
        return obj
    ctx = Ctx(Options(ids=ids, times=times, max_chars=max_chars, max_lines=max_lines), client)
    return View(build(obj, ctx))


def show(obj: Any, **options: Any) -> None:
    """Display ``obj`` richly in a notebook (HTML, with its text form as fallback); print its text elsewhere.

    Takes the options of :func:`render`. Returns nothing, so it can be used anywhere in a cell.
    """
    view = render(obj, **options)
    if in_notebook():
        from IPython.display import display

        display(view)
    else:
        print(view.text)
