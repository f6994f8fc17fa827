"""Look inside an agent file (``.af``) before importing it: its tools, their source, what they read from the
environment, and the secrets its agents expect.

An imported tool runs on your machine, in the server's sandbox, with the agent's secrets in its environment. Read it
first::

    report = letta_nb.inspect_agent_file("weather.af")
    report                       # a card in Jupyter, text elsewhere
    report.env_vars              # {'WEATHER_API_TOKEN', ...}: every variable name a tool reads
    report.warnings              # one sentence per thing worth a second look

Nothing in the file is imported or run: the sources are parsed with :mod:`ast`, the rest is plain JSON.
"""

from __future__ import annotations

import ast
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .display.dispatch import Ctx, fields
from .display.model import Card, Chip, Code, Details, Node, Para, Section, Span, Table
from .display.view import Rendered
from .errors import LettaNbError
from .words import plural

# Modules whose import is worth a look in a tool from someone else: they reach the network, other processes or files.
NOTABLE_MODULES = frozenset({"subprocess", "socket", "requests", "httpx", "urllib", "http", "aiohttp", "ftplib", "smtplib",
                             "shutil", "ctypes", "pickle", "marshal", "importlib", "pty", "multiprocessing", "paramiko"})
_WHOLE = "*"  # in ToolReport.env_vars: the tool reads the whole environment (os.environ itself)
_DYNAMIC = "?"  # a variable whose name is computed at run time


@dataclass(frozen=True)
class ToolReport:
    """One tool of the file. ``env_vars``: the names it reads; ``reads_whole_env``: it takes ``os.environ`` itself
    (copies, iterates or returns it), so it can see every variable, secrets included."""

    name: str
    tool_type: str
    source: str
    env_vars: tuple[str, ...] = ()
    reads_whole_env: bool = False
    reads_dynamic_env: bool = False
    imports: tuple[str, ...] = ()
    pip: tuple[str, ...] = ()
    requires_approval: bool = False
    agents: tuple[str, ...] = ()
    problem: str = ""  # why the source could not be parsed

    @property
    def custom(self) -> bool:
        return bool(self.source)


@dataclass(frozen=True)
class AgentReport:
    name: str
    secrets: tuple[str, ...]  # names only: an export never carries the values
    tools: tuple[str, ...]


@dataclass(frozen=True, repr=False)
class AgentFileReport(Rendered):
    """What :func:`inspect_agent_file` found. Displays as a card (HTML) or text."""

    path: str
    agents: tuple[AgentReport, ...]
    tools: tuple[ToolReport, ...]
    mcp_servers: tuple[str, ...] = ()

    @property
    def custom_tools(self) -> tuple[ToolReport, ...]:
        return tuple(t for t in self.tools if t.custom)

    @property
    def env_vars(self) -> set[str]:
        """Every environment variable name a tool of the file reads (statically visible ones)."""
        return {name for tool in self.tools for name in tool.env_vars}

    @property
    def secrets(self) -> set[str]:
        """Every secret name an agent of the file expects (you set the values after importing)."""
        return {name for agent in self.agents for name in agent.secrets}

    @property
    def warnings(self) -> list[str]:
        out = []
        for tool in self.custom_tools:
            if tool.problem:
                out.append(f"{tool.name}: its source could not be parsed ({tool.problem}); read it before importing.")
            if tool.reads_whole_env:
                out.append(f"{tool.name} reads the whole environment (os.environ itself), so every secret of its agent.")
            if tool.reads_dynamic_env:
                out.append(f"{tool.name} reads an environment variable whose name is computed at run time.")
            unexpected = [n for n in tool.env_vars if n not in self.secrets]
            if unexpected:
                out.append(f"{tool.name} reads {', '.join(unexpected)}, which no agent of the file declares as a secret "
                           "(the tool gets a variable only if you give its agent that secret).")
            notable = sorted(set(tool.imports) & NOTABLE_MODULES)
            if notable:
                out.append(f"{tool.name} imports {', '.join(notable)}.")
            if tool.pip:
                out.append(f"{tool.name} installs {', '.join(tool.pip)} from PyPI when it first runs.")
        for server in self.mcp_servers:
            out.append(f"MCP server {server}: its tools run outside the file, wherever it points.")
        return out

    def _letta_node_(self, ctx: Ctx) -> Node:
        return _card(self, ctx)


def inspect_agent_file(source: str | os.PathLike | dict) -> AgentFileReport:
    """Read an agent file (a path, its JSON text, or the parsed dict) without importing or running anything."""
    path = "(agent file)"
    if isinstance(source, dict):
        data = source
    else:
        text = str(source) if not isinstance(source, os.PathLike) else None
        if text is not None and text.lstrip().startswith("{"):
            raw = text
        else:
            path = str(source)
            try:
                raw = Path(source).read_text(encoding="utf-8")
            except OSError as exc:
                raise LettaNbError(f"Cannot read the agent file {path}: {exc.strerror or exc}. Check the path.") from None
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise LettaNbError(f"{path} is not an agent file: it is not JSON ({exc}).") from None
    if not isinstance(data, dict) or not isinstance(data.get("agents"), list):
        raise LettaNbError(f"{path} is not an agent file: it has no list of agents. Export one with "
                           "client.agents.export_file(agent_id).")
    tools_by_id = {t.get("id"): t for t in data.get("tools") or [] if isinstance(t, dict)}
    users: dict[str, list[str]] = {}
    agents = []
    for agent in data["agents"]:
        name = str(agent.get("name") or "?")
        names = [str(tools_by_id.get(i, {}).get("name") or i) for i in agent.get("tool_ids") or []]
        names += [str(t) for t in agent.get("tools") or [] if str(t) not in names]
        for tool_name in names:
            users.setdefault(tool_name, []).append(name)
        secrets = set(agent.get("secrets") or {}) | set(agent.get("tool_exec_environment_variables") or {})
        agents.append(AgentReport(name, tuple(sorted(secrets)), tuple(sorted(names))))  # the server orders them at random
    tools = tuple(sorted((_tool(t, users) for t in tools_by_id.values()), key=lambda t: (not t.custom, t.name)))
    servers = tuple(_mcp(s) for s in data.get("mcp_servers") or [] if isinstance(s, dict))
    return AgentFileReport(path, tuple(agents), tools, servers)


def _tool(tool: dict, users: dict[str, list[str]]) -> ToolReport:
    name = str(tool.get("name") or "?")
    source = tool.get("source_code") or ""
    pip = tuple(str(r.get("name", "")) + (f"=={r['version']}" if r.get("version") else "")
                for r in tool.get("pip_requirements") or [] if isinstance(r, dict))
    common: dict[str, Any] = dict(name=name, tool_type=str(tool.get("tool_type") or ""), source=source, pip=pip,
                  requires_approval=bool(tool.get("default_requires_approval")), agents=tuple(users.get(name, ())))
    if not source:
        return ToolReport(**common)
    if (tool.get("source_type") or "python") in ("typescript", "javascript"):
        found = sorted(set(re.findall(r"process\.env(?:\.([A-Za-z_]\w*)|\[\s*['\"]([^'\"]+)['\"]\s*\])", source)))
        names = sorted({a or b for a, b in found})
        whole = bool(re.search(r"process\.env(?!\s*(?:\.|\[))", source))
        return ToolReport(**common, env_vars=tuple(names), reads_whole_env=whole)
    try:
        reads = EnvReads.of(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return ToolReport(**common, problem=f"{type(exc).__name__}: {exc}")
    return ToolReport(**common, env_vars=tuple(sorted(reads.names)), reads_whole_env=reads.whole,
                      reads_dynamic_env=reads.dynamic, imports=tuple(sorted(reads.imports)))


def _mcp(server: dict) -> str:
    name = server.get("server_name") or server.get("name") or "?"
    where = server.get("server_url") or server.get("command") or ""
    if server.get("args"):
        where = f"{where} {' '.join(map(str, server['args']))}"
    return f"{name} ({where})" if where else str(name)


# ------------------------------------------------------------------------------------------ source analysis
class EnvReads(ast.NodeVisitor):
    """Which environment variables a Python source reads, found on its syntax tree (nothing is executed).

    Recognised: ``os.getenv("X")``, ``os.environ["X"]``, ``os.environ.get/pop/setdefault("X")``, ``"X" in
    os.environ``, the same through ``import os as o`` / ``from os import environ, getenv`` (any alias), and
    ``os.environb``. Any other use of ``os.environ`` (``dict(os.environ)``, ``os.environ.copy()``, iterating it, passing
    it on) reads the whole environment; a name that is not a string literal is a dynamic read. A string mentioning
    ``/proc/.../environ`` counts as reading the whole environment too.
    """

    _KEYED = {"get", "pop", "setdefault", "__getitem__", "__contains__"}

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.whole = False
        self.dynamic = False
        self.imports: set[str] = set()
        self._os: set[str] = {"os"}  # names bound to the os module (os is also what most tools import inside the function)
        self._environ: set[str] = set()  # names bound to os.environ
        self._getenv: set[str] = set()  # names bound to os.getenv
        self._parents: dict[int, ast.AST] = {}

    @classmethod
    def of(cls, source: str) -> EnvReads:
        tree = ast.parse(source)
        reader = cls()
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                reader._parents[id(child)] = parent
        # Bindings first (imports may come after their use in the text, e.g. inside a function), then reads.
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    reader.imports.add(alias.name.split(".")[0])
                    if alias.name == "os":
                        reader._os.add(alias.asname or "os")
            elif isinstance(node, ast.ImportFrom) and node.module:
                reader.imports.add(node.module.split(".")[0])
                if node.module in ("os", "posix"):
                    for alias in node.names:
                        if alias.name in ("environ", "environb"):
                            reader._environ.add(alias.asname or alias.name)
                        elif alias.name in ("getenv", "getenvb"):
                            reader._getenv.add(alias.asname or alias.name)
        reader.visit(tree)
        return reader

    def _is_os(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and node.id in self._os

    def _is_environ(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self._environ
        return isinstance(node, ast.Attribute) and node.attr in ("environ", "environb") and self._is_os(node.value)

    def _is_getenv(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self._getenv
        return isinstance(node, ast.Attribute) and node.attr in ("getenv", "getenvb") and self._is_os(node.value)

    def _key(self, node: ast.AST | None) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
            value = node.value.decode(errors="replace") if isinstance(node.value, bytes) else node.value
            self.names.add(value)
        else:
            self.dynamic = True

    def visit_Call(self, node: ast.Call) -> None:
        if self._is_getenv(node.func):
            self._key(node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "key"), None))
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and re.search(r"/proc/[^/\s]*/environ", node.value):
            self.whole = True

    def _environ_use(self, node: ast.AST) -> None:
        parent = self._parents.get(id(node))
        if isinstance(parent, ast.Subscript) and parent.value is node:
            self._key(parent.slice)
        elif isinstance(parent, ast.Attribute) and parent.value is node and parent.attr in self._KEYED:
            call = self._parents.get(id(parent))
            if isinstance(call, ast.Call) and call.func is parent:
                self._key(call.args[0] if call.args else None)
            else:
                self.whole = True
        elif isinstance(parent, ast.Compare) and node in parent.comparators and \
                all(isinstance(op, (ast.In, ast.NotIn)) for op in parent.ops):
            self._key(parent.left)
        else:
            self.whole = True

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if self._is_environ(node):
            self._environ_use(node)
            return
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in self._environ and isinstance(node.ctx, ast.Load):
            self._environ_use(node)


# ------------------------------------------------------------------------------------------------- display
def _names(names, tone: str | None = None) -> list:
    return [Chip(n, tone) for n in names] or [Span("none", "muted")]


def _card(report: AgentFileReport, ctx: Ctx) -> Node:
    custom = report.custom_tools
    title: list = [Span(Path(report.path).name if report.path != "(agent file)" else report.path),
                   Chip(plural(len(report.agents), "agent"), "muted", flag=True),
                   Chip(plural(len(custom), "custom tool"), "warn" if custom else "muted", flag=True)]
    body: list[Node] = []
    warnings = report.warnings
    if warnings:
        body.append(Section([Span("Check before importing")], [Para([Span(w)], "warn") for w in warnings]))
    rows = [[[Span(a.name)], _names(a.secrets, "accent"), [Span(", ".join(a.tools) or "none")]] for a in report.agents]
    body.append(Section([Span("Agents")], [Table(["agent", "secrets", "tools"], rows)]))
    for tool in custom:
        reads = list(_names(tool.env_vars, "warn"))
        if tool.reads_whole_env:
            reads.append(Chip("the whole environment", "error", flag=True))
        if tool.reads_dynamic_env:
            reads.append(Chip("a name computed at run time", "warn", flag=True))
        lines = tool.source.strip("\n").count("\n") + 1
        head: list = [Span(tool.name, mono=True), Chip(tool.tool_type or "tool", "muted", flag=True)]
        if tool.requires_approval:
            head.append(Chip("requires approval", "ok", flag=True))
        body.append(Section(head, [
            fields(ctx, ctx.field("reads env", reads), ctx.field("imports", ", ".join(tool.imports) or None),
                   ctx.field("pip", ", ".join(tool.pip) or None), ctx.field("used by", ", ".join(tool.agents) or None),
                   ctx.field("problem", tool.problem or None)),
            Details([Span(f"source ({lines} lines)")],
                    [Code(tool.source.strip("\n"), "python", limit=ctx.opts.max_chars * 8, lines=ctx.opts.max_lines * 8)],
                    open=True),
        ]))
    builtin = [t.name for t in report.tools if not t.custom]
    if builtin:
        body.append(Para([Span("Built-in tools (the server's own code): ", "muted"), Span(", ".join(builtin), mono=True)]))
    if report.mcp_servers:
        body.append(Section([Span("MCP servers")], [Para([Span(s, mono=True)]) for s in report.mcp_servers]))
    return Card("agent file", title, body)
