"""The parts of letta-client's private API that letta_nb relies on, in one place.

letta-client is generated (by Stainless) and has dropped names in a patch release, so nothing else in letta_nb imports
``letta_client._...``; ``tests/test_sdk_surface.py`` fails, naming what went missing, when an upgrade changes any of it.

- Every page that a ``list`` call returns (``SyncArrayPage``, ``SyncObjectPage``, ``SyncNextFilesPage`` and their async
  twins) derives from ``letta_client._base_client.BasePage``: the one class that tells a page from any other model.
- A page keeps its items under a name that depends on its kind (``items``, ``messages``, ``files``); only the private
  ``_get_page_items()`` gives them whatever the kind. Iterating the page instead would fetch the following pages.
"""

from __future__ import annotations

from typing import Any

from letta_client._base_client import BasePage as Page

__all__ = ["Page", "page_items"]


def page_items(obj: Any) -> list | None:
    """The items of one SDK page, without fetching further pages; None for anything that is not a page."""
    return list(obj._get_page_items()) if isinstance(obj, Page) else None
