"""Client-side tools: plain Python functions the agent can call, run here (in this kernel) when you say so.

    from letta_nb import client_tools

    def shout(text: str) -> str:
        '''Repeat text loudly.

        Args:
            text: What to repeat.
        '''
        print("shouting", text)             # comes back to the agent as the tool's stdout
        return text.upper()

    tools = client_tools.Toolbox([shout])   # offered with every request as client_tools=[...]; nothing is stored
    turn = client_tools.run_turn(client, agent.id, 'call shout {"text": "hi"}', tools=tools)
    turn.text                               # 'shout returned: HI'

A call to one of these tools pauses the agent (stop reason ``requires_approval``, an ``approval_request_message``).
:func:`run_turn` answers each pending call with a :class:`Decision` from ``decide(call)`` and goes on until the turn
ends. The three answers:

| decision               | sent                                                                     | who runs the tool |
|------------------------|--------------------------------------------------------------------------|-------------------|
| ``Decision.run()``      | ``{"type": "tool", "tool_return": ..., "status": ..., "stdout", "stderr"}`` | this process      |
| ``Decision.approve()``  | ``{"type": "approval", "approve": True}``                                 | the server        |
| ``Decision.deny(why)``  | ``{"type": "approval", "approve": False, "reason": why}``                 | nobody            |

The default ``decide`` (:meth:`Toolbox.auto`) runs the toolbox's functions and denies anything else with a reason, so
the agent never stays blocked. :class:`letta_nb.widgets.ApprovalPanel` asks a person instead.

Two ways to offer the functions, both ending in the same approval request:

- **client_tools** (default): the schema is built from the signature and the docstring's ``Args:`` section and sent
  with every request of the turn; the server stores nothing.
- :meth:`Toolbox.register`: ``client.tools.upsert(source_code=..., default_requires_approval=True)``, attached to the
  agent. The tool is visible in the agent's tool list, and ``Decision.approve()`` lets the server run the same code in
  its sandbox.

Output: ``stdout`` and ``stderr`` printed by the function are captured and sent as one string each (``["all the
text"]``, or ``[]`` when nothing was printed), the shape the server uses for its own tool runs. A raised exception is
sent as ``status="error"`` with ``ExceptionType: message`` as the return and the traceback in ``stderr``.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import json
import re
import textwrap
import traceback
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, Union

import docstring_parser
import letta_client
from pydantic import TypeAdapter

from .errors import LettaNbError, translated
from .turns import (
    MAX_ROUNDS,
    Automatic,
    Call,
    Chunks,
    Decision,
    ToolResult,
    Transcript,
    Turn,
    approval_item,
    approval_message,
    pending_calls,
)

__all__ = ["Toolbox", "Call", "Decision", "ToolResult", "schema", "run_turn", "pending_calls", "approval_message"]

_DEF = re.compile(r"^[ \t]*def[ \t]+([A-Za-z_]\w*)[ \t]*\(", re.M)


# ----------------------------------------------------------------------------------------------- schema
def _json_schema(annotation: Any) -> dict:
    """pydantic's JSON schema of a parameter's type. None in a union is dropped: ``required`` says a parameter is
    optional. No annotation, ``Any``, a name that did not resolve, or a type pydantic cannot describe (a notebook's
    own class) is a string, as the model needs a type and the schema must never stop a turn."""
    if typing.get_origin(annotation) in (Union, types.UnionType):
        annotation = Union[tuple(a for a in typing.get_args(annotation) if a is not type(None))]  # noqa: UP007 (built at run time)
    if annotation is inspect.Parameter.empty or annotation is Any or isinstance(annotation, str):
        return {"type": "string"}
    try:
        return TypeAdapter(annotation).json_schema()
    except Exception:
        return {"type": "string"}


def _hints(fn: Callable) -> dict[str, Any]:
    """Annotations as types. String annotations naming things local to a function (or a notebook cell's imports)
    defeat ``get_type_hints`` as a whole; then each is resolved alone, with typing's names at hand, else dropped."""
    try:
        return typing.get_type_hints(fn)
    except Exception:
        pass
    namespace = {**vars(typing), **getattr(fn, "__globals__", {})}
    hints = {}
    for name, annotation in getattr(fn, "__annotations__", {}).items():
        if isinstance(annotation, str):
            try:
                annotation = eval(annotation, namespace)  # what get_type_hints itself does, one name at a time
            except Exception:
                continue
        hints[name] = annotation
    return hints


def schema(fn: Callable, name: str | None = None) -> dict:
    """The ``client_tools`` entry for ``fn``: name, description, JSON-schema parameters (required = no default)."""
    doc = docstring_parser.parse(inspect.getdoc(fn) or "")  # Google, reST, numpydoc or epydoc
    description = " ".join(f"{doc.short_description or ''} {doc.long_description or ''}".split())
    docs = {p.arg_name.lstrip("*"): " ".join((p.description or "").split()) for p in doc.params}
    hints = _hints(fn)
    properties: dict[str, dict] = {}
    required: list[str] = []
    defs: dict[str, dict] = {}
    for param in inspect.signature(fn).parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        prop = _json_schema(hints.get(param.name, param.annotation))
        defs.update(prop.pop("$defs", {}))  # their $refs point at the root: the parameters object
        if docs.get(param.name):
            prop["description"] = docs[param.name]
        properties[param.name] = prop
        if param.default is inspect.Parameter.empty:
            required.append(param.name)
    parameters = {"type": "object", "properties": properties, "required": required, **({"$defs": defs} if defs else {})}
    return {"name": name or fn.__name__, "description": description or (name or fn.__name__), "parameters": parameters}


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def _output(text: str) -> list[str]:
    return [text] if text else []


# ---------------------------------------------------------------------------------------------- toolbox
class Toolbox:
    """Named local functions, their schemas, and how to answer a call to one of them."""

    def __init__(self, tools: Toolbox | Mapping[str, Callable] | Iterable[Callable] | Callable | None = None) -> None:
        self.functions: dict[str, Callable] = {}
        self.registered: dict[str, str] = {}  # name -> server tool id, for those registered with the server
        if isinstance(tools, Toolbox):
            self.functions.update(tools.functions)
            self.registered.update(tools.registered)
        elif isinstance(tools, Mapping):
            for name, fn in tools.items():
                self.add(fn, name)
        elif callable(tools):
            self.add(tools)
        elif tools is not None:
            for fn in tools:
                self.add(fn)

    @classmethod
    def of(cls, tools: Any) -> Toolbox:
        return tools if isinstance(tools, Toolbox) else cls(tools)

    def add(self, fn: Callable, name: str | None = None) -> Callable:
        """Add ``fn`` (under ``name``, default its own); returns it, so it works as a decorator."""
        name = name or fn.__name__
        if not name.isidentifier():
            raise LettaNbError(f"{name!r} is not a valid tool name: use a Python identifier such as 'read_file'.")
        self.functions[name] = fn
        return fn

    def __contains__(self, name: str) -> bool:
        return name in self.functions

    def __len__(self) -> int:
        return len(self.functions)

    def __repr__(self) -> str:
        return f"Toolbox({', '.join(self.functions) or 'empty'})"

    def schemas(self) -> list[dict]:
        """``client_tools=[...]`` for every function not registered with the server."""
        return [schema(fn, name) for name, fn in self.functions.items() if name not in self.registered]

    def request_options(self) -> dict:
        """Extra arguments for ``messages.create``: ``client_tools`` when there are any."""
        schemas = self.schemas()
        return {"client_tools": schemas} if schemas else {}

    # ------------------------------------------------------------------------------------- server side
    def register(self, client: letta_client.Letta, agent_id: str | None = None) -> list:
        """Store every function as a server tool with ``default_requires_approval=True`` (attached to ``agent_id``).

        Tool names are global on a server: a function registered under an existing name replaces that tool.
        """
        tools = []
        with translated():
            for name, fn in self.functions.items():
                source = textwrap.dedent(inspect.getsource(fn))
                found = _DEF.search(source)
                if not found:
                    raise LettaNbError(f"Cannot find `def {fn.__name__}(` in the source of {name}: register a plain function.")
                # From the def line on: decorators would run (and fail) in the server's sandbox.
                source = source[found.start():].replace(f"def {found.group(1)}(", f"def {name}(", 1)
                tool = client.tools.upsert(source_code=source, default_requires_approval=True)
                if agent_id is not None:
                    client.agents.tools.attach(tool.id, agent_id=agent_id)
                self.registered[name] = tool.id
                tools.append(tool)
        return tools

    def unregister(self, client: letta_client.Letta) -> None:
        """Delete the server tools :meth:`register` made (detaching them from every agent)."""
        with translated():
            for name, tool_id in list(self.registered.items()):
                with contextlib.suppress(letta_client.NotFoundError):
                    client.tools.delete(tool_id)
                del self.registered[name]

    # ---------------------------------------------------------------------------------------- answering
    def kind(self, name: str) -> Literal["client", "registered", "server"]:
        """``client``: only here (the server cannot run it); ``registered``: here and on the server; ``server``: only there."""
        if name not in self.functions:
            return "server"
        return "registered" if name in self.registered else "client"

    def auto(self, call: Call) -> Decision:
        """Run the functions of this toolbox; deny the rest with a reason the model can read."""
        if call.name in self.functions:
            return Decision.run()
        return Decision.deny(f"{call.name} is not available on this machine.")

    def run(self, call: Call) -> ToolResult:
        """Call the function with the call's arguments, capturing what it prints. Never raises."""
        fn = self.functions.get(call.name)
        if fn is None:
            return ToolResult(f"{call.name} is not available on this machine.", "error", [], [])
        try:
            args = call.args
        except ValueError as exc:
            return ToolResult(f"Invalid arguments for {call.name}: {exc}", "error", [], [])
        out, err = io.StringIO(), io.StringIO()
        result: tuple[str, Literal["success", "error"]]
        # redirect_* swap sys.stdout for the whole process while the function runs: prints from other threads
        # during that time are captured too.
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                value = fn(**args)
            except Exception as exc:  # the model gets the failure as an error result; the loop goes on
                traceback.print_exc()
                result = (f"{type(exc).__name__}: {exc}", "error")
            else:
                result = (_as_text(value), "success")
        return ToolResult(result[0], result[1], _output(out.getvalue()), _output(err.getvalue()))

    def answer(self, call: Call, decision: Decision) -> dict:
        """The approval item that carries ``decision`` for ``call`` (running the function for ``Decision.run()``)."""
        return approval_item(call, decision, self.run(call) if decision.action == "run" else None)


# ------------------------------------------------------------------------------------------------ turns
def run_turn(client: letta_client.Letta, agent_id: str, text: str, *, tools: Any = None,
             decide: Callable[[Call], Decision] | None = None, conversation_id: str | None = None,
             on_chunk: Callable[[Any], Any] | None = None, max_rounds: int = MAX_ROUNDS) -> Transcript:
    """Send ``text`` and answer every approval request with ``decide(call)`` until the turn ends.

    ``tools`` is a :class:`Toolbox` or what makes one (a list or dict of functions); ``decide`` defaults to
    :meth:`Toolbox.auto`. ``on_chunk`` sees every streamed chunk (e.g. to show progress). Returns the whole turn, all
    rounds, as one :class:`letta_nb.stream.Transcript`. Raises :class:`LettaNbError` naming the fix on failure.
    """
    turn = Turn(client, agent_id, text, conversation_id=conversation_id, policy=Automatic(Toolbox.of(tools), decide),
                observer=None if on_chunk is None else Chunks(on_chunk))
    transcript = turn.play(max_rounds=max_rounds)
    assert transcript is not None  # Automatic decides at once: play() never waits for decisions
    return transcript
