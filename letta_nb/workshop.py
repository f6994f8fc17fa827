"""Workshops: many participants on one Letta, nobody's resources in anybody else's way, keys kept out of notebooks.

    from letta_nb import workshop

    me = workshop.participant()                  # LETTA_NB_PARTICIPANT, else asks once, else "guest-1a2b3c"
    agent = me.agent(client, "nb00-agent", memory_blocks=[{"label": "human", "value": ""}])
    agent.name, agent.tags                       # "alice--nb00-agent", ["participant:alice"]
    workshop.cleanup(client, me)                 # alice's agents, blocks, tools, ... and nobody else's
    workshop.key_entry()                         # a password box: the key goes into this kernel's os.environ only

How a resource is recognised as a participant's (``cleanup`` uses exactly these rules):

| resource      | it is alice's when                                                                        |
|---------------|-------------------------------------------------------------------------------------------|
| agent         | its name starts with ``alice--`` or it carries the tag ``participant:alice``              |
| conversation  | it belongs to one of alice's agents, or its summary starts with ``alice--``               |
| block         | it carries the tag ``participant:alice``, or it has no tags and every agent it is attached |
|               | to is alice's (the memory blocks created with her agents); tag shared blocks to keep them |
| tool          | its name starts with ``alice__`` (tool names are Python identifiers) or it carries the tag |
| folder        | its name starts with ``alice--`` or its metadata says ``participant: alice``               |
| archive       | its name starts with ``alice--`` (an agent's own archive is named after the agent)        |
| identity      | its identifier key or name starts with ``alice--``                                        |

Participant names are slugs (lowercase letters, digits, single dashes, a letter first), so ``alice--`` is never a
prefix of another participant's names: ``al`` owns ``al--x`` but not ``alice--x`` or ``al-b--x``.

These names are what keeps participants apart on a shared server that is not a room; a ``letta-nb serve`` room gives
each an organization instead. Which applies where (Binder, a room, Letta Cloud): :mod:`letta_nb.isolation`.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import re
import secrets
import textwrap
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import letta_client
from letta_client import Letta

from .agents import fresh_agent
from .config import StackConfig
from .errors import LettaNbError, translated

ENV_VAR = "LETTA_NB_PARTICIPANT"
SEPARATOR = "--"
TAG_PREFIX = "participant:"
MAX_SLUG = 24
# Keys a participant may bring: Letta Cloud's, or a model provider's for a self-hosted server.

# ---------------------------------------------------------------------------------------------- identity
def slugify(raw: str) -> str:
    """``"Ada Lovelace!"`` -> ``"ada-lovelace"``: lowercase ASCII letters and digits joined by single dashes, a letter
    first (``"42"`` -> ``"p-42"``), at most 24 characters. Empty when nothing usable is left."""
    text = unicodedata.normalize("NFKD", str(raw)).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if slug and not slug[0].isalpha():
        slug = f"p-{slug}"
    return slug[:MAX_SLUG].rstrip("-")


@dataclass(frozen=True)
class Participant:
    """One person's namespace on a shared Letta: names get ``slug--``, tools ``slug__``, and everything a tag."""

    slug: str

    def __post_init__(self) -> None:
        if not self.slug or slugify(self.slug) != self.slug:
            raise LettaNbError(f"{self.slug!r} is not a participant name; use Participant.of(name), which turns "
                               f"any name into one ({slugify(self.slug) or 'letters and digits needed'!r}).")

    @classmethod
    def of(cls, raw: str) -> Participant:
        slug = slugify(raw)
        if not slug:
            raise LettaNbError(f"{raw!r} has no letters or digits to make a participant name from; choose another, "
                               f"e.g. {ENV_VAR}=ada.")
        return cls(slug)

    # ------------------------------------------------------------------------------------------ naming
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

    # ---------------------------------------------------------------------------------------- creating
    def agent(self, client: Letta, name: str, **kwargs: Any):
        """:func:`letta_nb.fresh_agent` under this participant's name, tagged, with its memory blocks tagged too."""
        kwargs["tags"] = self._with_tags(kwargs.get("tags"))
        if kwargs.get("memory_blocks"):
            kwargs["memory_blocks"] = [
                {**block, "tags": self._with_tags(block.get("tags"))} if isinstance(block, dict) else block
                for block in kwargs["memory_blocks"]]
        return fresh_agent(client, self.name(name), **kwargs)

    def block(self, client: Letta, label: str, value: str, *, name: str | None = None, **kwargs: Any):
        """A standalone (shareable) block, tagged; re-running replaces the one made by the same call."""
        marker = self.name(name or label)
        with translated():
            for old in client.blocks.list(tags=[self.tag, marker], match_all_tags=True):
                client.blocks.delete(old.id)
            return client.blocks.create(label=label, value=value, tags=self._with_tags([*(kwargs.pop("tags", None) or []), marker]),
                                        **kwargs)

    def tool(self, client: Letta, function: Callable | str, **kwargs: Any):
        """Upsert a tool from a function (or its source) renamed ``alice__<name>`` and tagged.

        Tool names are global on a server, so two participants' ``roll_dice`` would overwrite each other.
        """
        source = function if isinstance(function, str) else inspect.getsource(function)
        source = textwrap.dedent(source)
        found = re.search(r"^[ \t]*(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*\(", source, re.M)
        if not found:
            raise LettaNbError("The tool's source has no `def name(...)`: pass a function or its source code.")
        original = function.__name__ if callable(function) else found.group(1)
        renamed = self.tool_name(original)
        source = re.sub(rf"^([ \t]*(?:async[ \t]+)?def[ \t]+){re.escape(original)}([ \t]*\()", rf"\g<1>{renamed}\g<2>",
                        source, count=1, flags=re.M)
        with translated():
            return client.tools.upsert(source_code=source, tags=self._with_tags(kwargs.pop("tags", None)), **kwargs)

    def folder(self, client: Letta, name: str, **kwargs: Any):
        """A folder named ``alice--<name>`` (replacing one of that name), with the embedding of ``default_models``."""
        from .connect import default_models

        full = self.name(name)
        with translated():
            for old in client.folders.list(name=full):
                if old.name == full:
                    client.folders.delete(old.id)
            if "embedding" not in kwargs and "embedding_config" not in kwargs:
                kwargs["embedding"] = default_models(client).embedding
            kwargs["metadata"] = {**(kwargs.get("metadata") or {}), "participant": self.slug}
            return client.folders.create(name=full, **kwargs)

    def identity(self, client: Letta, key: str, *, name: str | None = None, identity_type: str = "user",
                 **body: Any) -> dict:
        """Create (or update) the identity keyed ``alice--<key>``.

        Identities are REST only (``/v1/identities/``; letta-client 1.12 has no resource), and the server's upsert
        (``PUT``) answers 404 for a new key, so this looks the key up first.
        """
        full = self.name(key)
        payload = {"identifier_key": full, "name": self.name(name or key), "identity_type": identity_type, **body}
        with translated():
            # cast_to=object: the JSON as parsed, typed `object` by letta-client
            found = cast("list[dict]", client.get("/v1/identities/", cast_to=object,
                                                  options={"params": {"identifier_key": full}}))
            existing = [i for i in found if i.get("identifier_key") == full]
            if existing:
                return cast(dict, client.patch(f"/v1/identities/{existing[0]['id']}", cast_to=object, body=payload))
            return cast(dict, client.post("/v1/identities/", cast_to=object, body=payload))

    def conversation(self, client: Letta, agent_id: str, summary: str = "conversation", **kwargs: Any):
        """A conversation on any agent (a host's shared one too) whose summary marks it as this participant's."""
        with translated():
            return client.conversations.create(agent_id=agent_id, summary=self.name(summary), **kwargs)

    def cleanup(self, client: Letta, *, dry_run: bool = False) -> dict[str, list[str]]:
        return cleanup(client, self, dry_run=dry_run)


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


# ----------------------------------------------------------------------------------------------- cleanup
def _identities(client: Letta) -> list[dict]:
    found: list[dict] = []
    after = None
    while True:
        params: dict[str, Any] = {"limit": 100}
        if after:
            params["after"] = after
        page = cast("list[dict]", client.get("/v1/identities/", cast_to=object, options={"params": params}))
        found.extend(page)
        if len(page) < 100:
            return found
        after = page[-1]["id"]


def _conversations(client: Letta, **query: Any) -> list:
    found: list = []
    after = None
    while True:
        cursor: dict[str, Any] = {"after": after} if after else {}
        page = client.conversations.list(limit=100, **query, **cursor)
        found.extend(page)
        if len(page) < 100:
            return found
        after = page[-1].id


def _plan(client: Letta, who: Participant) -> dict[str, dict[str, str]]:
    """id -> name of everything ``who`` owns, per kind (the table in the module docstring)."""
    agents = {a.id: a.name for a in client.agents.list(tags=[who.tag])}
    agents.update({a.id: a.name for a in client.agents.list(query_text=who.prefix) if who.owns_name(a.name)})

    conversations = {c.id: c.summary or c.id for agent_id in agents for c in _conversations(client, agent_id=agent_id)}
    conversations.update({c.id: c.summary for c in _conversations(client, summary_search=who.prefix)
                          if who.owns_name(c.summary)})

    blocks = {b.id: b.label for b in client.blocks.list(tags=[who.tag])}
    for agent_id in agents:
        for block in client.agents.blocks.list(agent_id=agent_id):
            if block.id in blocks or block.tags:
                continue
            if all(a.id in agents for a in client.blocks.agents.list(block_id=block.id)):
                blocks[block.id] = block.label

    tools = {t.id: t.name for t in client.tools.list()
             if (t.name or "").startswith(who.tool_prefix) or who.tag in (t.tags or [])}
    folders = {f.id: f.name for f in client.folders.list()
               if who.owns_name(f.name) or (f.metadata or {}).get("participant") == who.slug}
    archives = {a.id: a.name for a in client.archives.list() if who.owns_name(a.name)}
    identities = {i["id"]: i["identifier_key"] for i in _identities(client)
                  if who.owns_name(i.get("identifier_key")) or who.owns_name(i.get("name"))}
    return {"conversations": conversations, "agents": agents, "blocks": blocks, "tools": tools, "folders": folders,
            "archives": archives, "identities": identities}


def cleanup(client: Letta, who: Participant | str, *, dry_run: bool = False) -> dict[str, list[str]]:
    """Delete everything ``who`` owns on this server (see the module docstring) and nothing else.

    Returns the names deleted (or, with ``dry_run``, that would be) per kind: conversations, agents, blocks, tools,
    folders, archives, identities.
    """
    if isinstance(who, str):
        who = Participant.of(who)
    deleters = {
        "conversations": client.conversations.delete, "agents": client.agents.delete, "blocks": client.blocks.delete,
        "tools": client.tools.delete, "folders": client.folders.delete, "archives": client.archives.delete,
        "identities": lambda identity_id: client.delete(f"/v1/identities/{identity_id}", cast_to=object),
    }
    with translated():
        plan = _plan(client, who)
        if not dry_run:
            for kind, items in plan.items():  # conversations before agents, agents before their blocks
                for item_id in items:
                    with contextlib.suppress(letta_client.NotFoundError):  # gone with its agent
                        deleters[kind](item_id)
    return {kind: sorted(items.values()) for kind, items in plan.items()}


def participants(client: Letta) -> list[str]:
    """The participants whose tag appears on this server's agents (for a host cleaning up after a workshop)."""
    with translated():
        tags = client.tags.list(query_text=TAG_PREFIX, limit=1000)
    return sorted({t.removeprefix(TAG_PREFIX) for t in tags if t.startswith(TAG_PREFIX) and slugify(t[len(TAG_PREFIX):])})


def key_entry(variable: str = "LETTA_API_KEY", variables: Iterable[str] | None = None):
    """The key box for a notebook cell: ``workshop.key_entry()`` (last line of the cell, so it is displayed). It is a
    :class:`letta_nb.widgets.KeyEntry`; the key goes into this kernel's ``os.environ`` only."""
    from .widgets.keys import KEY_VARIABLES, KeyEntry  # ipywidgets loads only when a key box is wanted

    return KeyEntry(variable, KEY_VARIABLES if variables is None else variables)
