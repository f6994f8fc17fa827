"""A participant's names: the slug, the ``slug--`` prefix, the ``slug__`` tool prefix and the ``participant:slug`` tag.

Participant names are slugs (lowercase letters, digits, single dashes, a letter first), so ``alice--`` is never a
prefix of another participant's names: ``al`` owns ``al--x`` but not ``alice--x`` or ``al-b--x``. On a shared server
that is not a room these names are what keeps participants apart (:mod:`letta_nb.isolation`), and
:mod:`letta_nb.workshop.cleaning` goes by them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Self

from ..errors import LettaNbError

ENV_VAR = "LETTA_NB_PARTICIPANT"
SEPARATOR = "--"
TAG_PREFIX = "participant:"
MAX_SLUG = 24


def slugify(raw: str) -> str:
    """``"Ada Lovelace!"`` -> ``"ada-lovelace"``: lowercase ASCII letters and digits joined by single dashes, a letter
    first (``"42"`` -> ``"p-42"``), at most 24 characters. Empty when nothing usable is left."""
    text = unicodedata.normalize("NFKD", str(raw)).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if slug and not slug[0].isalpha():
        slug = f"p-{slug}"
    return slug[:MAX_SLUG].rstrip("-")


@dataclass(frozen=True)
class Namespace:
    """One person's namespace on a shared Letta: names get ``slug--``, tools ``slug__``, and everything a tag.

    :class:`letta_nb.workshop.Participant` adds the helpers that create resources under it."""

    slug: str

    def __post_init__(self) -> None:
        if not self.slug or slugify(self.slug) != self.slug:
            raise LettaNbError(f"{self.slug!r} is not a participant name; use Participant.of(name), which turns "
                               f"any name into one ({slugify(self.slug) or 'letters and digits needed'!r}).")

    @classmethod
    def of(cls, raw: str) -> Self:
        slug = slugify(raw)
        if not slug:
            raise LettaNbError(f"{raw!r} has no letters or digits to make a participant name from; choose another, "
                               f"e.g. {ENV_VAR}=ada.")
        return cls(slug)

    @property
    def prefix(self) -> str:
        return f"{self.slug}{SEPARATOR}"

    @property
    def tag(self) -> str:
        return f"{TAG_PREFIX}{self.slug}"

    @property
    def tags(self) -> list[str]:
        return [self.tag]

    @property
    def tool_prefix(self) -> str:
        return self.slug.replace("-", "_") + "__"

    def name(self, base: str) -> str:
        """``"nb00-agent"`` -> ``"alice--nb00-agent"`` (unchanged when it already has the prefix)."""
        return base if base.startswith(self.prefix) else f"{self.prefix}{base}"

    def tool_name(self, base: str) -> str:
        """``"roll_dice"`` -> ``"alice__roll_dice"``: tool names must stay Python identifiers."""
        return base if base.startswith(self.tool_prefix) else f"{self.tool_prefix}{base}"

    def owns_name(self, name: str | None) -> bool:
        return bool(name and name.startswith(self.prefix))

    def _with_tags(self, tags: Iterable[str] | None) -> list[str]:
        return list(dict.fromkeys([*(tags or []), self.tag]))
