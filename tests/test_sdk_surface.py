"""Every letta-client attribute the chapters use exists in the installed letta-client (no server, no network).

letta-client is regenerated from Letta's API and has removed public names in a patch release (1.12.0 -> 1.12.1 dropped
``tools.create_from_function``, ``upsert_from_function``, ``add`` and ``BaseTool``). nbval would catch that too, but
only after minutes of execution, as a traceback in the middle of a chapter. This test reads the code of the chapters
(their code cells, the helper modules they import and the reference solutions), finds every attribute chain on a
client (``client.agents.blocks.retrieve``, ``aclient.agents.list``, ``self.client.tools.upsert``...) and every name taken
from ``letta_client`` (``letta_client.APIError``, ``from letta_client.types import InitToolRule``), and resolves each on a
real ``Letta``/``AsyncLetta`` instance pointed at a closed port, or on the module. A missing one fails with the chapter
and the chain.

The package itself reaches into letta-client's private API in one module only, :mod:`letta_nb.sdk`; the last tests
here pin what that adapter relies on, so an upgrade that moves it fails here, by name, instead of in a display.
"""

from __future__ import annotations

import ast
import importlib
import re
from dataclasses import dataclass
from pathlib import Path

import httpx
import letta_client
import letta_client.pagination
import nbformat
import pytest

from letta_nb import sdk

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

# Chapter 14 shows advice that went stale: these are meant to be missing. If one comes back, the chapter is wrong.
MEANT_TO_BE_MISSING = {
    ("14_troubleshooting", "client.agents.modify"),
    ("14_troubleshooting", "client.tools.create_from_function"),
    ("14_troubleshooting", "letta_client.BaseTool"),
}
CLIENT_FACTORIES = {"Letta", "letta_client.Letta", "connect", "letta_nb.connect", "get_client"}
ASYNC_FACTORIES = {"AsyncLetta", "letta_client.AsyncLetta"}


@dataclass(frozen=True)
class Use:
    source: str  # chapter or file stem
    line: int
    chain: str  # "client.agents.blocks.retrieve", "aclient.agents.list", "letta_client.APIError"
    kind: str  # "sync", "async" or "module"


def _sources() -> dict[str, str]:
    found = {}
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        cells = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        # IPython syntax (magics, shell escapes) is not Python: blank those lines, keep the line numbers; a cell magic
        # (%%letta) makes its whole cell something else (here, a message to an agent).
        found[path.stem] = "\n".join(re.sub(r"(?m)^.*$", "", cell) if cell.lstrip().startswith("%%")
                                     else re.sub(r"(?m)^\s*[%!].*$", "", cell) for cell in cells)
    for path in sorted([*NOTEBOOKS.glob("nb[0-9]*_*.py"), *NOTEBOOKS.glob("solutions/*.py")]):
        found[f"{path.parent.name}/{path.name}" if path.parent != NOTEBOOKS else path.name] = path.read_text()
    return found


def _dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for a pure attribute chain on a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def uses_in(name: str, source: str) -> list[Use]:
    """The letta-client attribute chains in one chapter's code."""
    tree = compile(source, name, "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    sync_roots, async_roots, modules = {"client", "self.client"}, set(), set()
    names_from_module: list[tuple[int, str]] = []
    # First pass: which names hold a client or the module (assignment order does not matter for this purpose).
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.asname or alias.name for alias in node.names if alias.name == "letta_client"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "letta_client":
            names_from_module += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    changed = True
    while changed:  # `api = client`, `patient = client.with_options(...)`, `client = Letta(...)`...
        changed = False
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value.value if isinstance(node.value, ast.Await) else node.value
            called = _dotted(value.func) if isinstance(value, ast.Call) else None
            source_name = _dotted(value)
            is_sync = called in CLIENT_FACTORIES or source_name in sync_roots or (
                called and called.endswith(".with_options") and called.rsplit(".", 1)[0] in sync_roots)
            is_async = called in ASYNC_FACTORIES or source_name in async_roots or (
                called and called.endswith(".with_options") and called.rsplit(".", 1)[0] in async_roots)
            for target in targets:
                dotted = _dotted(target)
                if dotted and is_sync and dotted not in sync_roots:
                    sync_roots.add(dotted)
                    changed = True
                if dotted and is_async and dotted not in async_roots:
                    async_roots.add(dotted)
                    changed = True
    found = [Use(name, line, dotted, "module") for line, dotted in names_from_module]
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or not isinstance(node.ctx, ast.Load):
            continue
        chain = _dotted(node)
        if chain is None:
            continue
        for roots, kind in ((sync_roots, "sync"), (async_roots, "async"), (modules, "module")):
            root = next((r for r in sorted(roots, key=len, reverse=True) if chain.startswith(r + ".")), None)
            if root is not None:
                found.append(Use(name, node.lineno, "client" + chain[len(root):] if kind != "module" else
                                 "letta_client" + chain[len(root):], kind))
                break
    return found


def all_uses() -> list[Use]:
    return [use for name, source in _sources().items() for use in uses_in(name, source)]


def resolve(use: Use, sync_client, async_client) -> None:
    """Raise AttributeError/ImportError if the chain does not exist in the installed letta-client."""
    parts = use.chain.split(".")
    if use.kind == "module":
        obj = letta_client
        for i, part in enumerate(parts[1:], start=1):
            if not hasattr(obj, part):  # a submodule that the package does not import by itself
                try:
                    obj = importlib.import_module(".".join(parts[: i + 1]))
                    continue
                except ImportError:
                    pass
            obj = getattr(obj, part)
        return
    obj = sync_client if use.kind == "sync" else async_client
    for part in parts[1:]:
        obj = getattr(obj, part)


def missing(uses: list[Use]) -> dict[tuple[str, str], list[Use]]:
    sync_client = letta_client.Letta(base_url="http://127.0.0.1:9", api_key="unused", max_retries=0)
    async_client = letta_client.AsyncLetta(base_url="http://127.0.0.1:9", api_key="unused", max_retries=0)
    absent: dict[tuple[str, str], list[Use]] = {}
    for use in uses:
        try:
            resolve(use, sync_client, async_client)
        except (AttributeError, ImportError):
            absent.setdefault((use.source, use.chain), []).append(use)
    sync_client.close()
    return absent


def test_every_sdk_attribute_the_chapters_use_exists():
    uses = all_uses()
    chains = {u.chain for u in uses}
    assert len(chains) > 50, f"only {len(chains)} distinct client chains found: is the parser still seeing the chapters?"
    silent = {p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")} - {u.source for u in uses}
    assert not silent, f"no client call found in {sorted(silent)}: is the parser still seeing the chapters?"
    absent = missing(uses)
    unexpected = {key: found for key, found in absent.items() if key not in MEANT_TO_BE_MISSING}
    lines = [f"  {source}: {chain}  (line {found[0].line} of its code{', and ' + str(len(found) - 1) + ' more' if len(found) > 1 else ''})"
             for (source, chain), found in sorted(unexpected.items())]
    assert not lines, (f"letta-client {letta_client.__version__} lacks {len(lines)} attribute(s) the chapters use:\n"
                       + "\n".join(lines) + "\nA letta-client release removed or renamed them: pin the version that "
                       "has them in pyproject.toml, or change the chapters (and their stored outputs).")
    back = sorted(key for key in MEANT_TO_BE_MISSING if key not in absent)
    assert not back, (f"chapter 14 shows these as removed, but letta-client {letta_client.__version__} has them "
                      f"(again): {back}; update the chapter's text and outputs, and MEANT_TO_BE_MISSING here")


def test_the_check_names_the_chapter_and_the_attribute():
    """What the 1.12.1 regeneration did to code written for 1.12.0, as this test would report it."""
    source = ("import letta_client\nfrom letta_client import Letta, BaseTool\nclient = Letta()\npatient = "
              "client.with_options(timeout=1)\n\ndef f(x: int) -> int:\n    return x\n\n"
              "tool = client.tools.create_from_function(func=f)\npatient.tools.upsert_from_function(func=f)\n"
              "client.agents.blocks.retrieve('human', agent_id='a')\nlast = letta_client.NotAnError\n")
    absent = missing(uses_in("99_old_chapter", source))
    assert set(absent) == {("99_old_chapter", "client.tools.create_from_function"),
                           ("99_old_chapter", "client.tools.upsert_from_function"),
                           ("99_old_chapter", "letta_client.BaseTool"),
                           ("99_old_chapter", "letta_client.NotAnError")}
    assert absent[("99_old_chapter", "client.tools.create_from_function")][0].line == 9


@pytest.mark.parametrize("chain", ["client.agents.messages.create", "client.agents.blocks.retrieve",
                                   "client.runs.messages.stream", "client.tools.upsert"])
def test_the_chapters_core_calls_are_seen(chain):
    assert chain in {u.chain for u in all_uses()}, f"{chain} is used by the chapters but the parser missed it"


# ------------------------------------------------------------------------------ what letta_nb.sdk relies on
def test_every_page_kind_derives_from_the_private_base_page_and_has_its_items():
    kinds = [getattr(letta_client.pagination, name) for name in letta_client.pagination.__all__]
    assert len(kinds) >= 6, f"letta_client.pagination exports only {letta_client.pagination.__all__}"
    not_pages = [kind.__name__ for kind in kinds if not issubclass(kind, sdk.Page)]
    assert not not_pages, (f"letta-client {letta_client.__version__}: {not_pages} no longer derive from "
                           "letta_client._base_client.BasePage, which letta_nb.sdk.Page is: update letta_nb/sdk.py")
    no_items = [kind.__name__ for kind in kinds if "_get_page_items" not in vars(kind)]
    assert not no_items, (f"letta-client {letta_client.__version__}: {no_items} no longer define _get_page_items(), "
                          "which letta_nb.sdk.page_items calls: update letta_nb/sdk.py")


def _client(answer: dict | list, asked: list[str]) -> letta_client.Letta:
    def handle(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        return httpx.Response(200, json=answer)

    return letta_client.Letta(base_url="http://letta.test", api_key="unused", max_retries=0,
                              http_client=httpx.Client(transport=httpx.MockTransport(handle)))


@pytest.mark.parametrize(("call", "answer"), [
    (lambda client: client.tools.list(), [{"id": "item-1", "name": "a"}, {"id": "item-2", "name": "b"}]),
    (lambda client: client.agents.files.list("agent-1"),
     {"files": [{"id": "item-1"}, {"id": "item-2"}], "next_cursor": "item-2", "has_more": True}),
], ids=["array page", "files page"])
def test_page_items_gives_one_pages_items_without_asking_for_the_next(call, answer):
    asked: list[str] = []
    page = call(_client(answer, asked))
    assert [item.id for item in sdk.page_items(page)] == ["item-1", "item-2"]
    assert page.has_next_page(), "there is a next page: iterating this one would have asked for it"
    assert len(asked) == 1, f"page_items made requests of its own: {asked}"


def test_page_items_is_none_for_anything_but_a_page():
    assert sdk.page_items([1, 2]) is None
    assert sdk.page_items(letta_client.types.Tool(id="tool-1", name="a")) is None
