"""``to_script``: an agent as a plain letta-client script that re-creates it (no letta_nb needed to run it).

What a notebook built by trial and error becomes code for a repository: model and embedding handles, the system
prompt, memory blocks (values, limits, descriptions, read-only flags), custom tools from their source, built-in tools
by name, tool rules, tags, and secrets by name only: the script reads their values from the environment.
"""

from __future__ import annotations

import ast
import pprint
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..agents import find_agent
from ..display.dispatch import Ctx, fields
from ..display.model import Card, Chip, Code, Node, Para, Section, Span
from ..display.view import Rendered
from ..exceptions import LettaNbError

DEFAULT_RETURN_CHAR_LIMIT = 50_000  # letta 0.16.8's default for a tool: left out of the script when unchanged
_MCP = "external_mcp"


@dataclass(frozen=True, repr=False)
class Script(Rendered):
    """The generated script (``source``), where it was written (``path``, None if nowhere), the secret names the
    script reads from the environment, and what it cannot re-create (``warnings``)."""

    agent_name: str
    source: str
    path: str | None
    secrets: tuple[str, ...]
    warnings: tuple[str, ...]

    def _letta_node_(self, ctx: Ctx) -> Node:
        return _card(self, ctx)


def to_script(client: Any, agent: Any, path: str | Path | None = None, *, name: str | None = None) -> Script:
    """A Python script that re-creates ``agent`` (an AgentState, id or name) with letta-client alone.

    Written to ``path`` when given; always returned. ``name`` sets the new agent's name (default: the original's).
    The script reads ``LETTA_BASE_URL`` (default: this client's server) and ``LETTA_API_KEY``, and each secret from
    the environment variable of the same name; no secret value is ever written into it.
    """
    state = find_agent(client, agent)
    warnings: list[str] = []
    secrets = {s.key: s.value for s in state.secrets or []}
    source = _script(state, name or state.name, str(client.base_url).rstrip("/"), sorted(secrets), warnings)
    for key, value in sorted(secrets.items(), key=lambda kv: -len(kv[1] or "")):
        if value and value in source:
            # A secret that also sits in memory or a prompt: it stays out of the script all the same.
            source = source.replace(value, f"<secret {key}>")
            warnings.append(f"The value of secret {key} appears in the agent's memory or prompt; the script has "
                            f"<secret {key}> there instead.")
    ast.parse(source)  # a generated script that is not Python is a bug here, not the user's problem
    if path is not None:
        try:
            Path(path).write_text(source, encoding="utf-8")
        except OSError as exc:
            raise LettaNbError(f"Cannot write the script to {path}: {exc.strerror or exc}. Check the folder.") from None
    return Script(state.name, source, None if path is None else str(path), tuple(sorted(secrets)), tuple(warnings))


def _script(state: Any, name: str, base_url: str, secrets: list[str], warnings: list[str]) -> str:
    custom = [t for t in state.tools or [] if t.tool_type == "custom" and t.source_code]
    mcp = sorted(t.name for t in state.tools or [] if t.tool_type == _MCP)
    custom_ids = {t.id for t in custom}
    builtin = sorted(t.name for t in state.tools or [] if t.id not in custom_ids and t.tool_type != _MCP)
    if mcp:
        warnings.append(f"MCP tools {', '.join(mcp)} are left out: attach them from their MCP server after running "
                        "the script.")
    blocks = [{k: v for k, v in (("label", b.label), ("value", b.value), ("limit", b.limit),
                                 ("description", b.description), ("read_only", b.read_only)) if v is not None}
              for b in sorted(state.memory.blocks, key=lambda b: b.label)]
    rules = [r.model_dump(mode="json", exclude_none=True) for r in state.tool_rules or []]
    out = [f'"""Re-creates the Letta agent {state.name!r} with letta-client (written by letta_nb.to_script).', "",
           "Run it with LETTA_BASE_URL (and LETTA_API_KEY if the server needs one)" +
           (f" and the secret{'s' * (len(secrets) > 1)} {', '.join(secrets)} set in the environment." if secrets else "."),
           "It prints the new agent's id.", '"""', "", "import os", "import sys", "", "from letta_client import Letta", "",
           f"client = Letta(base_url=os.environ.get('LETTA_BASE_URL', {base_url!r}))  # reads LETTA_API_KEY itself",
           ""]
    if secrets:
        out += ["", "def secret(name: str) -> str:",
                '    """A secret\'s value from the environment: this script holds only its name."""',
                "    if name not in os.environ:",
                "        sys.exit(f'Set {name} in the environment first: the agent\\'s tools read it as a secret.')",
                "    return os.environ[name]", "", ""]
    out += [f"SYSTEM = {_literal(state.system or '')}", ""]
    for tool in custom:
        out += ["", f"{_constant(tool.name)} = {_literal(tool.source_code)}"]
    if custom:
        out += ["", "# Custom tools, created or updated from their source (upsert: running the script twice is fine).",
                "tool_ids = ["]
        out += [f"    client.tools.upsert({_tool_args(t)}).id," for t in custom]
        out += ["]", ""]
    args = [("name", repr(name)), ("agent_type", repr(str(state.agent_type))), ("model", repr(state.model)),
            ("embedding", repr(state.embedding)), ("context_window_limit", repr(state.llm_config.context_window)),
            ("description", repr(state.description) if state.description else None), ("system", "SYSTEM"),
            ("memory_blocks", _value(blocks)), ("tools", _value(builtin), "built-in, by name"),
            ("tool_ids", "tool_ids" if custom else None), ("include_base_tools", "False", "exactly the tools above"),
            ("tool_rules", _value(rules)), ("include_base_tool_rules", "False", "exactly the rules above"),
            ("tags", _value(sorted(state.tags or []))),
            ("enable_sleeptime", "True" if state.enable_sleeptime else None, "with its sleeptime helper agent"),
            ("secrets", "{" + ", ".join(f"{k!r}: secret({k!r})" for k in secrets) + "}" if secrets else None)]
    out += ["agent = client.agents.create("]
    out += [f"    {key}={value}," + "".join(f"  # {n}" for n in note) for key, value, *note in args if value is not None]
    out += [")", "print(agent.id)", ""]
    return "\n".join(out)


def _tool_args(tool: Any) -> str:
    args = [f"source_code={_constant(tool.name)}"]
    if tool.source_type == "typescript":
        args.append("source_type='typescript'")
    if tool.default_requires_approval:
        args.append("default_requires_approval=True")
    if tool.pip_requirements:
        args.append(f"pip_requirements={[r.model_dump(exclude_none=True) for r in tool.pip_requirements]!r}")
    if tool.args_json_schema:
        args.append(f"args_json_schema={tool.args_json_schema!r}")
    if tool.return_char_limit not in (None, DEFAULT_RETURN_CHAR_LIMIT):
        args.append(f"return_char_limit={tool.return_char_limit!r}")
    return ", ".join(args)


def _constant(tool_name: str) -> str:
    return re.sub(r"\W", "_", tool_name).upper() + "_SOURCE"


def _literal(text: str) -> str:
    """``text`` as a triple-quoted literal that reads like the original (a tool's source stays readable)."""
    body = text.replace("\\", "\\\\")
    if body.endswith("'"):  # would run into the closing quotes
        body = body[:-1] + "\\'"
    literal = "'''" + body.replace("'''", "''\\'") + "'''"
    try:
        return literal if ast.literal_eval(literal) == text else repr(text)
    except SyntaxError:
        return repr(text)


def _value(value: list) -> str:
    """A list as Python after ``key=`` inside the create call: on one line if short, else one item per line."""
    flat = repr(value)
    if len(flat) <= 90:
        return flat
    items = [pprint.pformat(item, width=100, sort_dicts=False).replace("\n", "\n        ") for item in value]
    return "[\n" + "".join(f"        {item},\n" for item in items) + "    ]"


# ------------------------------------------------------------------------------------------------- display
def _card(script: Script, ctx: Ctx) -> Node:
    lines = script.source.count("\n")
    body: list[Node] = []
    if script.warnings:
        body.append(Section([Span("Check")], [Para([Span(w)], "warn") for w in script.warnings]))
    body.append(fields(ctx, ctx.field("written to", script.path or "nowhere (pass path= to write it)"),
                       ctx.field("reads from env", [Chip(n, "accent") for n in script.secrets])))
    body.append(Code(script.source, "python", limit=ctx.opts.max_chars * 8, lines=ctx.opts.max_lines * 8))
    return Card("script", [Span(script.agent_name), Chip(f"{lines} lines", "muted", flag=True)], body)
