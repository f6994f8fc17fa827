"""Workshops: many participants on one Letta, nobody's resources in anybody else's way, keys kept out of notebooks.

    from letta_nb import workshop

    me = workshop.participant()                  # LETTA_NB_PARTICIPANT, else asks once, else "guest-1a2b3c"
    agent = me.agent(client, "nb00-agent", memory_blocks=[{"label": "human", "value": ""}])
    agent.name, agent.tags                       # "alice--nb00-agent", ["participant:alice"]
    workshop.cleanup(client, me)                 # alice's agents, blocks, tools, ... and nobody else's
    workshop.key_entry()                         # a password box: the key goes into this kernel's os.environ only

How participants are kept apart: by where the notebooks point, decided in one place, :func:`letta_nb.isolation.isolation`
(which ``connect()`` asks; the table for people is docs/workshop.md, "How participants are kept apart"):

- the local stack (Binder, a laptop): a server and a database each; nothing more to do.
- a ``letta-nb serve`` room: an organization each (:mod:`letta_nb.room`); against accidents, not attacks.
- Letta Cloud: each participant's own account (key).
- any other shared server: the names and tag of this package (``alice--nb00-agent``, ``alice__roll_dice``,
  ``participant:alice``), which :func:`cleanup` goes by.

The helpers here name and tag in every case, so that one notebook runs unchanged on all four.

One module per job:

- :mod:`.names`: slugs, prefixes and the tag (:class:`~letta_nb.workshop.names.Namespace`, :func:`slugify`);
- :mod:`.resources`: :class:`Participant`, which creates agents, blocks, tools, ... under those names;
- :mod:`.current`: who runs this notebook (:func:`participant`, :func:`forget`);
- :mod:`.cleaning`: what a participant owns and deleting it (:func:`cleanup`), the participants a host cleans up
  after (:func:`participants`);
- :mod:`.keys`: the key box (:func:`key_entry`).
"""

from __future__ import annotations

from .cleaning import cleanup, participants
from .current import forget, participant
from .keys import key_entry
from .names import ENV_VAR, MAX_SLUG, SEPARATOR, TAG_PREFIX, slugify
from .resources import Participant

__all__ = ["ENV_VAR", "MAX_SLUG", "SEPARATOR", "TAG_PREFIX", "Participant", "cleanup", "forget", "key_entry",
           "participant", "participants", "slugify"]
