"""How workshop participants are kept apart, wherever their notebooks point: :func:`isolation` is the one place that
decides, and ``connect()`` asks it. The table for people is docs/workshop.md, "How participants are kept apart".

- the local stack (Binder, a laptop): ``OWN_STACK``, a server and a database each; nothing more to do.
- a ``letta-nb serve`` room: ``ORGANIZATION``, one each; ``connect()`` with ``LETTA_NB_PARTICIPANT`` acts as that
  participant's user (:func:`letta_nb.room.participant_client`). Against accidents, not attacks.
- Letta Cloud: ``ACCOUNT``, each participant's own key (a team sharing one project uses the prefixes).
- any other shared server: ``PREFIXES``, names and tags by :mod:`letta_nb.workshop`, which ``cleanup`` goes by.

The workshop helpers prefix and tag in every case, so that one notebook runs unchanged on all four.
"""

from __future__ import annotations

from enum import StrEnum

from letta_client import Letta

from .room import is_room


class Isolation(StrEnum):
    OWN_STACK = "own stack"
    ORGANIZATION = "organization"
    ACCOUNT = "account"
    PREFIXES = "prefixes"


def isolation(kind: str, client: Letta) -> Isolation:
    """What keeps participants apart on the Letta ``client`` talks to; ``kind`` is ``connect.target()``'s ("cloud",
    "server" or "local"). Asks the server whether it is a room (one request) unless it is Letta Cloud."""
    if kind == "cloud":
        return Isolation.ACCOUNT
    if is_room(client):  # a room's host connects to it as its local stack
        return Isolation.ORGANIZATION
    return Isolation.OWN_STACK if kind == "local" else Isolation.PREFIXES
