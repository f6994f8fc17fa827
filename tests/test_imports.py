"""No import cycles inside letta_nb, imports inside functions included.

The graph is read statically with ``ast`` from every .py file of the package: one edge per ``import`` or
``from ... import`` statement that names a module of letta_nb, wherever it stands (module level, in a function, in a
``try``), except under ``if TYPE_CHECKING:``, which never runs. Where an edge points:

- ``import a.b`` and ``from a.b import *``: to ``a.b`` (its ``__init__`` when it is a package);
- ``from a import x``: to the submodule ``a.x`` when there is one, else to ``a`` itself (``x`` is a name defined or
  re-exported by ``a/__init__.py``); relative forms are resolved first, so ``from .. import render`` inside
  ``letta_nb/display/x.py`` points to ``letta_nb/__init__.py`` and, as ``letta_nb/__init__.py`` imports the
  display package, closes a real cycle.

The package -> submodule relation that Python sets up implicitly (a submodule becomes an attribute of its package,
and importing ``a.b.c`` first runs ``a/__init__.py``) is no import statement and is not an edge: otherwise every
submodule of a package whose ``__init__`` re-exports it, as ``letta_nb/__init__.py`` does, would be "in a cycle".
Imports by ``importlib.import_module`` (the lazy ``letta_nb.__getattr__``) are not seen either.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "letta_nb"


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    where: str  # path:line of the import statement


def _module_names(root: Path) -> dict[str, Path]:
    """Dotted name -> file, for every .py file under the package directory ``root`` (``__init__`` named as the package)."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST):
    """Every Import/ImportFrom node, at any depth, outside the body of ``if TYPE_CHECKING:`` (its else branch runs)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
            continue
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def import_graph(root: Path = PACKAGE) -> dict[str, list[Edge]]:
    """Module -> its import edges to modules of the same package, read from the source files under ``root``."""
    modules = _module_names(root)
    graph: dict[str, list[Edge]] = {name: [] for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _imports(tree):
            where = f"{path.relative_to(root.parent)}:{node.lineno}"
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    base_parts = package.split(".")
                    if node.level > 1:
                        base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                    base = ".".join(base_parts + ([node.module] if node.module else []))
                else:
                    base = node.module or ""
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if alias.name != "*" and sub in modules else base)
            for target in targets:
                if target in modules:
                    graph[name].append(Edge(name, target, where))
        graph[name].sort(key=lambda e: int(e.where.rpartition(":")[2]))
    return graph


def find_cycles(graph: dict[str, list], limit: int = 200) -> list[list[str]]:
    """The elementary cycles of a directed graph (node -> edges with a ``.target``, or -> target names), each as a
    node list that starts at its smallest node and ends where it began; at most ``limit`` of them, sorted."""
    succ = {n: sorted({getattr(e, "target", e) for e in edges}) for n, edges in graph.items()}
    for targets in list(succ.values()):
        for t in targets:
            succ.setdefault(t, [])
    cycles: list[list[str]] = []
    for start in sorted(succ):
        # paths that leave `start` and come back to it through nodes greater than it: each cycle found once
        path, on_path = [start], {start}
        iters = [iter(succ[start])]
        while iters and len(cycles) < limit:
            nxt = next(iters[-1], None)
            if nxt is None:
                iters.pop()
                on_path.discard(path.pop())
                continue
            if nxt == start:
                cycles.append(path + [start])
            elif nxt > start and nxt not in on_path:
                path.append(nxt)
                on_path.add(nxt)
                iters.append(iter(succ[nxt]))
    return sorted(cycles, key=lambda c: (len(c), c))


def describe(cycle: list[str], graph: dict[str, list[Edge]]) -> str:
    """``a -> b -> a``, then where each step's import statements are."""
    lines = [" -> ".join(cycle)]
    for source, target in zip(cycle, cycle[1:]):
        places = ", ".join(dict.fromkeys(e.where for e in graph.get(source, []) if e.target == target))
        lines.append(f"    {source} -> {target}: {places}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------- the finder itself
def test_find_cycles_on_a_tiny_graph():
    graph = {"a": ["b"], "b": ["c", "a"], "c": ["a"], "d": ["d", "a"], "e": []}
    assert find_cycles(graph) == [["d", "d"], ["a", "b", "a"], ["a", "b", "c", "a"]]
    assert find_cycles({"a": ["b"], "b": ["c"], "c": []}) == []
    assert describe(["a", "b", "a"], {"a": [Edge("a", "b", "a.py:3")], "b": [Edge("b", "a", "b.py:7")]}) == \
        "a -> b -> a\n    a -> b: a.py:3\n    b -> a: b.py:7"


def test_import_graph_of_a_tiny_package(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "from .a import f\nfrom . import sub\n",
        "a.py": "import os\n\ndef f():\n    from .b import g  # inside a function: counts\n    return g\n",
        "b.py": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import f  # never runs\n"
                 "else:\n    from . import c\ng = 1\n"),
        "c.py": "import pkg.sub.d\n",
        "sub/__init__.py": "",  # the package -> submodule relation is no edge
        "sub/d.py": "from .. import f  # a name of pkg/__init__.py: points there\nfrom .. import c  # a submodule\n",
    }
    for name, source in files.items():
        (pkg / name).write_text(source)
    graph = import_graph(pkg)
    edges = {n: sorted(e.target for e in es) for n, es in graph.items()}
    assert edges == {"pkg": ["pkg.a", "pkg.sub"], "pkg.a": ["pkg.b"], "pkg.b": ["pkg.c"], "pkg.c": ["pkg.sub.d"],
                     "pkg.sub": [], "pkg.sub.d": ["pkg", "pkg.c"]}
    assert graph["pkg.a"][0].where == "pkg/a.py:4"
    assert find_cycles(graph) == [["pkg.c", "pkg.sub.d", "pkg.c"], ["pkg", "pkg.a", "pkg.b", "pkg.c", "pkg.sub.d", "pkg"]]
    assert describe(["pkg.c", "pkg.sub.d", "pkg.c"], graph).splitlines()[1:] == [
        "    pkg.c -> pkg.sub.d: pkg/c.py:1", "    pkg.sub.d -> pkg.c: pkg/sub/d.py:2"]


# ---------------------------------------------------------------------------------------------- letta_nb
def test_the_graph_sees_the_package():
    graph = import_graph()
    assert len(graph) > 30 and {"letta_nb", "letta_nb.display", "letta_nb.stream"} <= set(graph)
    assert "letta_nb.errors" in {e.target for e in graph["letta_nb.stream"]}, "a module-level import"
    assert "letta_nb.display" in {e.target for e in graph["letta_nb"]}, "the package re-exports display"


def test_no_import_cycles_in_letta_nb():
    graph = import_graph()
    cycles = find_cycles(graph)
    if cycles:
        pytest.fail(f"{len(cycles)} import cycle(s) in letta_nb:\n" + "\n".join(describe(c, graph) for c in cycles),
                    pytrace=False)
