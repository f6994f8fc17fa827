"""Creating a participant's resources: agents, blocks, tools, folders, identities and conversations under their
names and tag (:mod:`letta_nb.workshop.names`), so that :func:`letta_nb.workshop.cleanup` finds them again."""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from letta_client import Letta

from ..agents import fresh_agent
from ..errors import LettaNbError, translated
from .cleaning import cleanup
from .names import Namespace


@dataclass(frozen=True)
class Participant(Namespace):
    """One person's namespace on a shared Letta: names get ``slug--``, tools ``slug__``, and everything a tag."""

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
        from ..connect import default_models

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

