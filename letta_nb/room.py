"""A room: one Letta server for a workshop (``letta-nb serve``), each participant in an organization of their own.

letta 0.16.8 scopes agents, blocks, tools, folders and the rest by organization, and takes the acting user from a
``user_id`` header (server/rest_api/dependencies.py; an unknown id falls back to the default user). ``serve`` marks the
server with an organization named ``letta-nb-room``; against such a server, ``connect()`` with
``LETTA_NB_PARTICIPANT=ada`` finds or creates the organization ``ada`` and a user in it, and returns a client that
sends that user's id. Ada then lists only her agents, and another participant's agent is "not found" for her.

This prevents accidents, not attacks: every participant holds the same password, and any client can send any
``user_id``. Where rooms apply and what keeps participants apart elsewhere: :mod:`letta_nb.isolation`.
"""

from __future__ import annotations

from typing import Any, cast

import letta_client
from letta_client import Letta

from .errors import LettaNbError, translated

MARKER = "letta-nb-room"
_ORGS, _USERS = "/v1/admin/orgs/", "/v1/admin/users/"


# The admin routes have no resource in letta-client: cast_to=object hands back their JSON as parsed, typed `object`.
def _get(client: Letta, path: str) -> list[dict]:
    return cast("list[dict]", client.get(path, cast_to=object, options={"params": {"limit": 1000}})) or []


def _post(client: Letta, path: str, body: dict) -> dict:
    return cast(dict, client.post(path, cast_to=object, body=body))


def _by_name(orgs: list[dict], name: str) -> dict | None:
    """The oldest organization of that name (two kernels may have made one each at the same moment)."""
    named = sorted((o for o in orgs if o.get("name") == name), key=lambda o: (o.get("created_at") or "", o["id"]))
    return named[0] if named else None


def is_room(client: Letta) -> bool:
    """Whether the server was started by ``letta-nb serve`` (Letta Cloud and other servers: False)."""
    try:
        return _by_name(_get(client, _ORGS), MARKER) is not None
    except letta_client.APIError:
        return False


def mark(client: Letta) -> None:
    """Make the server a room (``serve`` does this once it answers)."""
    with translated():
        if _by_name(_get(client, _ORGS), MARKER) is None:
            _post(client, _ORGS, {"name": MARKER})


def participant_client(client: Letta, name: str) -> Letta:
    """``client`` acting as participant ``name``: their organization and user, made on first use."""
    if not name or name == MARKER:
        raise LettaNbError(f"{name!r} cannot be a participant's name; set LETTA_NB_PARTICIPANT to yours, e.g. 'ada'.")
    with translated():
        org = _by_name(_get(client, _ORGS), name) or _post(client, _ORGS, {"name": name})
        users: list[dict[str, Any]] = sorted((u for u in _get(client, _USERS) if u.get("organization_id") == org["id"]),
                                             key=lambda u: (u.get("created_at") or "", u["id"]))
        user = users[0] if users else None
        if user is None:
            user = _post(client, _USERS, {"name": name, "organization_id": org["id"]})
            acting = client.with_options(default_headers={"user_id": user["id"]})
            # A new organization has no tools: the memory tools every agent gets are added to it once.
            acting.post("/v1/tools/add-base-tools", cast_to=object)
            return acting
    return client.with_options(default_headers={"user_id": user["id"]})
