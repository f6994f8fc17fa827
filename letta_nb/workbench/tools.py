"""``try_tool``: run a tool's source in the server's sandbox with no agent, and see what an agent would see.

The server derives a tool's JSON schema from its signature and docstring; a parameter the docstring's ``Args:``
section does not describe makes that fail. Trying the tool here shows the failure (or the schema the model will
read) before any agent turn depends on it. Secret values go to the sandbox as environment variables and are
replaced by their names wherever they would be shown.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import letta_client

from ..display.dispatch import Ctx, fields, json_block
from ..display.model import Card, Chip, Code, Details, Inline, Node, Para, Section, Span
from ..display.view import Rendered
from ..errors import translated
from ..exceptions import LettaNbError
from ..words import plural

RUN_PATH = "/v1/tools/run"  # operation run_tool_from_source: not wrapped by letta-client 1.12.1
SCHEMA_PATH = "/v1/tools/generate-schema"  # operation generate_json_schema: what tools.create would derive
NOT_RUN = "not run"


@dataclass(frozen=True, repr=False)
class ToolTrial(Rendered):
    """What :func:`try_tool` saw. ``returned``/``stdout``/``stderr`` have every secret value replaced by its name;
    ``schema`` is None when the server cannot derive one (``warnings`` says why and what to change)."""

    name: str
    args: dict
    status: str  # the sandbox's "success" or "error"
    returned: str
    stdout: str
    stderr: str
    schema: dict | None
    secrets: tuple[str, ...]  # names only
    warnings: tuple[str, ...]

    def _letta_node_(self, ctx: Ctx) -> Node:
        return _card(self, ctx)

    @property
    def ok(self) -> bool:
        """The tool ran without error and an agent could be given it as it is."""
        return self.status == "success" and not self.warnings


def try_tool(client: letta_client.Letta, fn_or_source: Callable | str, /, *, secrets: dict[str, str] | None = None,
             **args: Any) -> ToolTrial:
    """Run a tool (a Python function or its source) with ``args`` in the server's sandbox, without an agent.

    Shows the return value, stdout, stderr and the JSON schema the server derives from the docstring, with a warning
    for anything an agent would trip on (no ``Args:`` line for a parameter, no description, arguments the schema
    does not have). ``secrets`` become environment variables in the sandbox, as an agent's secrets do; their values
    never appear in the result.
    """
    source, name = _source_of(fn_or_source)
    secrets = {str(k): str(v) for k, v in (secrets or {}).items()}
    warnings: list[str] = []
    schema = _schema(client, source, warnings)
    body: dict[str, Any] = {"source_code": source, "env_vars": secrets}
    if schema is not None:
        name = schema.get("name") or name
        if not (schema.get("description") or "").strip():
            warnings.append("The tool has no description (the docstring's first lines): the model reads it to decide "
                            "when to call the tool.")
        parameters = schema.get("parameters") or {}
        known, required = list(parameters.get("properties") or {}), list(parameters.get("required") or [])
        body["json_schema"] = schema  # with the name (which the server wants with a schema), errors name the tool
    else:
        # Without a derivable schema the server refuses to run the source; one made from the signature and the
        # values passed lets the body run anyway (the sandbox reads each argument's type from it).
        known, required = _signature(source, name)
        body["json_schema"] = {"name": name, "description": "", "parameters": {"type": "object", "properties": {
            p: {"type": _JSON_TYPES.get(type(args[p]), "string")} for p in known if p in args}}}
    warnings += _argument_warnings(known, required, args)
    # The sandbox fails on an argument that is not a parameter (NameError in its generated script): leave those out.
    body["args"] = {k: v for k, v in args.items() if k in known}
    body["name"] = name
    with translated("the tool sandbox"):
        answer = cast(dict, client.post(RUN_PATH, body=body, cast_to=object))  # the JSON as parsed
    hide = _redactor(secrets)
    stderr = _SANDBOX_FILE.sub('File "<sandbox>"', hide("".join(answer.get("stderr") or [])))
    return ToolTrial(
        name=name, args={k: hide(v) if isinstance(v, str) else json.loads(hide(json.dumps(v, default=str)))
                         for k, v in args.items()},
        status=str(answer.get("status") or "error"), returned=hide(str(answer.get("tool_return") or "")),
        stdout=hide("".join(answer.get("stdout") or [])), stderr=stderr, schema=schema, secrets=tuple(sorted(secrets)),
        warnings=tuple(hide(w) for w in warnings))


def _source_of(fn_or_source: Callable | str) -> tuple[str, str]:
    """The tool's source and its function's name (for a source string: its last top-level function)."""
    if callable(fn_or_source):
        try:
            source = textwrap.dedent(inspect.getsource(fn_or_source))
        except (OSError, TypeError):
            raise LettaNbError(f"Cannot read the source of {fn_or_source!r}: define the tool with def in a file or a "
                               "notebook cell, or pass its source as a string.") from None
        return source, fn_or_source.__name__
    if not isinstance(fn_or_source, str):
        raise LettaNbError(f"try_tool needs a function or its source code, not {type(fn_or_source).__name__}.")
    source = textwrap.dedent(fn_or_source)
    try:
        names = [n.name for n in ast.parse(source).body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    except SyntaxError as exc:
        raise LettaNbError(f"The tool's source is not valid Python (line {exc.lineno}: {exc.msg}); fix it first.") from None
    if not names:
        raise LettaNbError("The tool's source defines no function: a tool is one def with a docstring.")
    return source, names[-1]


# The sandbox runs each call from a new temporary file: its name in a traceback would change every run.
_SANDBOX_FILE = re.compile(r'File "[^"]*tool_execution_dir/[^"]*"')
# The server wraps one reason in up to three prefixes.
_SCHEMA_NOISE = re.compile(r"^(Failed to derive json schema: )?(Schema generation failed: )?(\w+ error in schema generation: )?")
_DOCSTRING_FIX = ("Give the function a docstring: first what the tool does, then an Args: section with one line per "
                  "parameter (name: what it is); until then no agent can be given this tool.")
_ARGS_FIX = ("Add an Args: section to the docstring with one line per parameter (name: what it is); until then no "
             "agent can be given this tool.")


def _schema(client: letta_client.Letta, source: str, warnings: list[str]) -> dict | None:
    """The schema the server derives, or None with the reason (and the fix) added to ``warnings``."""
    with translated():
        try:
            return cast(dict, client.post(SCHEMA_PATH, body={"code": source}, cast_to=object))  # the JSON as parsed
        except (letta_client.BadRequestError, letta_client.UnprocessableEntityError) as exc:
            body = exc.body if isinstance(exc.body, dict) else {}
            detail = _SCHEMA_NOISE.sub("", str(body.get("detail") or exc.message))
            fix = _DOCSTRING_FIX if "missing docstring" in detail else _ARGS_FIX if "docstring" in detail else \
                "Fix the signature or the docstring."
            warnings.append(f"The server cannot derive this tool's schema: {detail.rstrip('.')}. {fix}")
            return None


_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number", list: "array", dict: "object"}


def _signature(source: str, name: str) -> tuple[list[str], list[str]]:
    """The parameters of function ``name`` in ``source`` and those without a default."""
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            positional = node.args.posonlyargs + node.args.args
            with_default = positional[len(positional) - len(node.args.defaults):] if node.args.defaults else []
            keyword = [a for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True) if d is None]
            params = [a.arg for a in positional + node.args.kwonlyargs]
            return params, [a.arg for a in positional if a not in with_default] + [a.arg for a in keyword]
    return [], []


def _argument_warnings(known: list[str], required: list[str], args: dict) -> list[str]:
    out = []
    missing = [p for p in required if p not in args]
    if missing:
        out.append(f"Missing argument{'s' * (len(missing) > 1)} {', '.join(missing)}: the tool requires "
                   f"{'them' if len(missing) > 1 else 'it'}; pass {missing[0]}=... to try_tool.")
    unknown = [a for a in args if a not in known]
    if unknown:
        out.append(f"{', '.join(unknown)} {'are not parameters' if len(unknown) > 1 else 'is not a parameter'} of the "
                   f"tool (it has {', '.join(known) or 'none'}), so the run left {'them' if len(unknown) > 1 else 'it'} out.")
    return out


def _redactor(secrets: dict[str, str]) -> Callable[[str], str]:
    """Replace each secret value by ``[secret NAME]``; the longest first, so that no value that contains another
    is left half shown."""
    pairs = sorted(((v, k) for k, v in secrets.items() if v), key=lambda p: -len(p[0]))

    def hide(text: str) -> str:
        for value, name in pairs:
            text = text.replace(value, f"[secret {name}]")
        return text

    return hide


# ------------------------------------------------------------------------------------------------- display
def _card(trial: ToolTrial, ctx: Ctx) -> Node:
    ran_ok = trial.status == "success"
    title: list[Inline] = [Span(trial.name, mono=True), Chip(trial.status, "ok" if ran_ok else "error", flag=True)]
    if trial.warnings:
        title.append(Chip(plural(len(trial.warnings), "warning"), "warn", flag=True))
    body: list[Node] = []
    if trial.warnings:
        body.append(Section([Span("Check")], [Para([Span(w)], "warn") for w in trial.warnings]))
    body.append(fields(ctx, ctx.field("args", json.dumps(trial.args, ensure_ascii=False, default=str)),
                       ctx.field("secrets", [Chip(n, "accent") for n in trial.secrets])))
    body.append(Section([Span("returned" if ran_ok else "error")], [Code(trial.returned or "(nothing)")]))
    for label, text in (("stdout", trial.stdout), ("stderr", trial.stderr)):
        if text.strip():
            body.append(Section([Span(label)], [Code(text.rstrip("\n"))]))
    if trial.schema is not None:
        body.append(Details([Span("schema the model reads")], [json_block(trial.schema, ctx)], open=True))
    return Card("tool trial", title, body)
