"""``enable()``: the last expression of a cell renders richly with no wrapper, by registering IPython formatters
for every type the display registry builds; ``disable()`` puts back exactly what was there before.

Lists are shared with everything else in Python, so the list formatters render only lists whose items are all
Letta objects and hand any other list back to the formatter that was registered before.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .dispatch import registered_types
from .notebook import shell as running_shell
from .view import View, render

# (formatter, type) -> what was registered before enable(), so disable() restores it exactly.
_saved: dict[tuple[str, type], Any] = {}
# The view the bundle formatter just made for a list, for the text/plain formatter that IPython asks next.
_last: list[tuple[Any, View]] = []


def _letta_list(obj: Any) -> bool:
    """A non-empty list of letta-client models or of other objects this package renders."""
    types = registered_types()
    return bool(obj) and all(isinstance(x, types) or hasattr(type(x), "_letta_node_")
                             or (isinstance(x, BaseModel) and type(x).__module__.startswith("letta_client")) for x in obj)


def _bundle(obj: Any) -> dict[str, str]:
    return render(obj).bundle()


def _list_bundle(previous: Any) -> Any:
    def fmt(obj: Any) -> Any:
        if _letta_list(obj):
            view = render(obj)
            _last[:] = [(obj, view)]
            return view.bundle()
        return previous(obj) if previous is not None else None  # None: the per-mime formatters decide

    return fmt


def _list_pretty(previous: Any) -> Any:
    # IPython's text formatter has its own printer for lists, which outranks a bundle: it must be replaced as well.
    def fmt(obj: Any, p: Any, cycle: bool) -> None:
        if not cycle and _letta_list(obj):
            view = _last.pop()[1] if _last and _last[-1][0] is obj else render(obj)
            _last.clear()
            p.text(view.text)
        elif previous is not None:
            previous(obj, p, cycle)
        else:
            p.text(repr(obj))

    return fmt


def _previous(formatter: Any, cls: type) -> Any:
    """What the formatter would have used for ``cls`` itself (None when nothing was registered)."""
    try:
        return formatter.lookup_by_type(cls)
    except KeyError:
        return None


def _formatter(shell: Any, name: str) -> Any:
    return shell.display_formatter.mimebundle_formatter if name == "bundle" else shell.display_formatter.formatters[name]


def _register(formatter: Any, name: str, cls: type, printer: Any) -> None:
    if (name, cls) not in _saved:
        _saved[(name, cls)] = formatter.type_printers.get(cls)
    formatter.for_type(cls, printer)


def enable(ip: Any = None) -> bool:
    """Register the rich displays in the running IPython (or ``ip``); returns False outside IPython. Safe to repeat.

    One bundle formatter per type builds the node tree once per display and gives both text/plain and text/html.
    The types are those the display registry has builders for.
    """
    shell = ip if ip is not None else running_shell()
    if shell is None:
        return False
    bundles = _formatter(shell, "bundle")
    for cls in registered_types():
        _register(bundles, "bundle", cls, _bundle)
    plain = _formatter(shell, "text/plain")
    if ("bundle", list) not in _saved:  # once: a second wrapper would wrap the first
        _register(bundles, "bundle", list, _list_bundle(_previous(bundles, list)))
        _register(plain, "text/plain", list, _list_pretty(_previous(plain, list)))
    return True


def disable(ip: Any = None) -> bool:
    """Remove what :func:`enable` registered, restoring earlier formatters; returns False outside IPython."""
    shell = ip if ip is not None else running_shell()
    if shell is None:
        return False
    for (name, cls), before in list(_saved.items()):
        formatter = _formatter(shell, name)
        formatter.type_printers.pop(cls, None)
        if before is not None:
            formatter.for_type(cls, before)
        del _saved[(name, cls)]
    _last.clear()
    return True


def enabled() -> bool:
    return bool(_saved)
