"""Who is running this notebook: :func:`participant` finds (or asks for) the name once per kernel and remembers it in
``$LETTA_NB_HOME/participant`` for the next notebook; :func:`forget` drops it."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from ..config import StackConfig
from .names import ENV_VAR, slugify
from .resources import Participant

_current: Participant | None = None


def _remembered() -> Path:
    return StackConfig.from_env().home / "participant"


def _ask() -> str:
    try:
        return input("Your name for this workshop (it prefixes everything you create): ")
    except (EOFError, OSError, RuntimeError, NotImplementedError):  # no stdin: nbval, scripts, IPython without a frontend
        return ""


def participant(name: str | None = None, *, ask: bool = True, remember: bool = True) -> Participant:
    """Who is running this notebook.

    In order: ``name`` if given; ``LETTA_NB_PARTICIPANT``; the one chosen earlier in this kernel or remembered in
    ``$LETTA_NB_HOME/participant`` (so notebook 01 knows who ran notebook 00); a prompt (``input()``, when ``ask``
    and the kernel can read input); else a generated ``guest-xxxxxx``. A name typed or generated here is remembered.
    """
    global _current
    explicit = name if name is not None else os.environ.get(ENV_VAR, "").strip()
    if explicit:
        who = Participant.of(explicit)
        if name is not None and remember:
            _save(who)
        _current = who
        return who
    if _current is not None:
        return _current
    saved = _remembered()
    if saved.exists() and slugify(saved.read_text().strip()):
        _current = Participant.of(saved.read_text().strip())
        return _current
    answer = slugify(_ask()) if ask else ""
    who = Participant(answer or f"guest-{secrets.token_hex(3)}")
    if remember:
        _save(who)
    _current = who
    return who


def _save(who: Participant) -> None:
    path = _remembered()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(who.slug + "\n")


def forget() -> None:
    """Forget the participant chosen in this kernel and the remembered one (the next ``participant()`` asks again)."""
    global _current
    _current = None
    _remembered().unlink(missing_ok=True)

