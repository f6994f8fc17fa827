"""Exercises: each chapter ends with a task the learner codes, and a checker that runs it against the server.

A chapter's exercise cell ships as a stub (``raise NotImplementedError("your code here")``). Its checker cell calls
``check("NN", the_function, **context)``, which runs the learner's code for real and answers with a :class:`Result`:
``not yet`` with the reason, or a pass. A checker never raises, so "Run all" goes on to the clean-up cells.

A failing result keeps its hint out of sight (stored outputs show only "not yet" and the task) and ends with an
invitation instead: :func:`hint` gives it on request, in two levels: ``hint("NN")`` the idea from the chapter
(``hints.py``), ``hint("NN", 2)`` the call to use (the hint registered with the checker).

Each chapter's checker lives in ``letta_nb/exercises/chNN.py`` and is registered with :func:`checker`. Reference
solutions live beside the chapters in ``notebooks/solutions/NN_name.py``: ``solution("02")`` shows one, and
``load_solution("02")`` runs it and returns its names (the tests use it to prove each checker accepts it).
"""

from __future__ import annotations

import html
import importlib
import pkgutil
import runpy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..exceptions import LettaNbError

PASS_MARK = "✓"
HINT_CALL = "letta_nb.exercises.hint"  # how a chapter, which imports letta_nb, reaches hint()
HINT_LEVELS = {1: "the idea", 2: "the call to use"}


def invitation(chapter: str) -> str:
    """The last line of a failing result: how to ask for the hints, never what they say."""
    return f'Stuck? {HINT_CALL}("{chapter}") gives the idea, {HINT_CALL}("{chapter}", 2) the call to use.'


class NotYet(Exception):
    """Raised inside a checker: the learner's code ran but did not do what the task asks; the message says what."""


@dataclass(frozen=True)
class Result:
    """A checker's answer. ``hint`` holds the call-level hint, for code; the text and HTML forms never show it."""

    chapter: str
    passed: bool
    message: str
    hint: str = ""

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        if self.passed:
            return f"{PASS_MARK} {self.message}"
        return f"not yet: {self.message}\n{invitation(self.chapter)}" if self.hint else f"not yet: {self.message}"

    __repr__ = __str__

    def _repr_pretty_(self, p, cycle) -> None:  # IPython's text form
        p.text(str(self))

    def _repr_html_(self) -> str:
        tone = "var(--jp-success-color1, #2e7d32)" if self.passed else "var(--jp-warn-color1, #ef6c00)"
        lines = "<br>".join(html.escape(line) for line in str(self).splitlines())
        return f'<div class="lnb-exercise" style="border-left:3px solid {tone};padding:4px 8px">{lines}</div>'


@dataclass(frozen=True)
class _Checker:
    run: Callable[..., str]
    hint: str


_CHECKERS: dict[str, _Checker] = {}
_loaded = False


def checker(chapter: str, *, hint: str) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """Register ``fn`` as chapter ``chapter``'s checker. It returns the pass message or raises :class:`NotYet`."""

    def register(fn: Callable[..., str]) -> Callable[..., str]:
        _CHECKERS[chapter] = _Checker(fn, hint)
        return fn

    return register


def _load_all() -> None:
    global _loaded
    if _loaded:  # not `if _CHECKERS`: a test that imports one chNN module first must not hide the others
        return
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("ch"):
            importlib.import_module(f"{__name__}.{module.name}")
    _loaded = True


def chapters() -> list[str]:
    _load_all()
    return sorted(_CHECKERS)


def check(chapter: str, *answer: Any, **context: Any) -> Result:
    """Run chapter ``chapter``'s checker on the learner's ``answer`` (a function, or data), with the chapter's objects."""
    _load_all()
    if chapter not in _CHECKERS:
        raise KeyError(f"no exercise for chapter {chapter!r}; chapters with one: {', '.join(sorted(_CHECKERS))}")
    found = _CHECKERS[chapter]
    try:
        return Result(chapter, True, found.run(*answer, **context))
    except NotImplementedError:
        return Result(chapter, False, "the exercise still raises NotImplementedError: replace it with your code", found.hint)
    except NotYet as exc:
        return Result(chapter, False, str(exc), found.hint)
    except Exception as exc:  # the learner's code failed: say how, and let the chapter go on
        return Result(chapter, False, f"your code raised {_kind(exc)}: {exc}", found.hint)


def _kind(exc: Exception) -> str:
    """The class of ``exc``; for letta_nb's own, also the family the chapters teach (``explain`` gives a LettaNbError)."""
    name = type(exc).__name__
    return f"{name} (a LettaNbError)" if isinstance(exc, LettaNbError) and type(exc) is not LettaNbError else name


@dataclass(frozen=True)
class Hint:
    """One level of a chapter's hint, shown on request: level 1 the idea, level 2 the call to use."""

    chapter: str
    level: int
    text: str

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__

    def _repr_pretty_(self, p, cycle) -> None:  # IPython's text form
        p.text(str(self))

    def _repr_html_(self) -> str:
        return (f'<div class="lnb-hint" style="border-left:3px solid var(--jp-info-color1, #0288d1);padding:4px 8px">'
                f"{html.escape(self.text)}</div>")


def hint(chapter: str, level: int = 1) -> Hint:
    """Chapter ``chapter``'s exercise hint: level 1 names the idea from the chapter, level 2 the call to use."""
    from .hints import CONCEPTS

    _load_all()
    if isinstance(chapter, int) and not isinstance(chapter, bool):
        chapter = f"{chapter:02d}"
    if chapter not in _CHECKERS:
        raise ValueError(f"no exercise hint for chapter {chapter!r}; chapters with one: {', '.join(sorted(_CHECKERS))}")
    if level not in HINT_LEVELS or isinstance(level, bool):
        levels = ", ".join(f"{n} ({what})" for n, what in HINT_LEVELS.items())
        raise ValueError(f"no hint level {level!r}; the levels are {levels}")
    if level == 2:
        return Hint(chapter, 2, _CHECKERS[chapter].hint)
    if chapter not in CONCEPTS:
        raise ValueError(f"chapter {chapter!r} has no first-level hint yet; level 2 ({HINT_LEVELS[2]}) has one")
    return Hint(chapter, 1, CONCEPTS[chapter])


def require(condition: Any, message: str) -> None:
    """``assert`` for checkers: never stripped by ``python -O``, and reported as 'not yet'."""
    if not condition:
        raise NotYet(message)


def stub_returned(value: Any, what: str) -> None:
    """A body of ``...`` returns None: say so plainly instead of failing on a later comparison."""
    if value is None:
        raise NotYet(f"{what} returned None: did you finish its body and `return` the result?")


# ------------------------------------------------------------------------------------------------ solutions
def solutions_dir() -> Path:
    """``notebooks/solutions`` of this checkout, else ``solutions/`` beside the current folder's chapters, else the
    copy inside an installed wheel."""
    for candidate in (Path(__file__).resolve().parents[2] / "notebooks" / "solutions", Path.cwd() / "solutions",
                      Path.cwd() / "notebooks" / "solutions", Path(__file__).resolve().parents[1] / "_notebooks" / "solutions"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("no solutions folder found: run this from the notebooks folder of a letta-nb checkout")


def solution_path(chapter: str) -> Path:
    matches = sorted(solutions_dir().glob(f"{chapter}_*.py"))
    if not matches:
        raise KeyError(f"no reference solution for chapter {chapter!r} in {solutions_dir()}")
    return matches[0]


@dataclass(frozen=True)
class Solution:
    chapter: str
    path: Path
    source: str

    def __str__(self) -> str:
        return f"# {self.path.name}\n{self.source}"

    __repr__ = __str__

    def _repr_pretty_(self, p, cycle) -> None:
        p.text(str(self))

    def _repr_html_(self) -> str:
        return f"<pre class=\"lnb-solution\">{html.escape(str(self))}</pre>"


def solution(chapter: str) -> Solution:
    """The reference solution of a chapter, to read and compare (or ``%load`` its ``path`` into a cell)."""
    path = solution_path(chapter)
    return Solution(chapter, path, path.read_text())


def load_solution(chapter: str) -> dict[str, Any]:
    """Run the reference solution's file and return the names it defines."""
    return {k: v for k, v in runpy.run_path(str(solution_path(chapter))).items() if not k.startswith("__")}
