"""One step of the offline agent: from one chat-completions request to a tool call or a reply, with its reasoning.

The plan for the turn is made again from the request alone (:mod:`.understand`), and the first action not yet taken
is the next step; when none is left, the reply. So the same request always gets the same answer. Tool rules reach
the model as ``tool_choice``: a named tool is always called; ``"required"`` takes the planned tool, else one that ends
the turn.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from . import sleeptime, summary
from .arguments import fill
from .commands import command
from .context import Context
from .plans import ENDS_TURN, MEMORY_EDITS, Action, Plan
from .replies import about_call
from .understand import decide

MAX_STEPS = 6  # a turn never takes more tool calls than this, whatever the plan says


@dataclass
class Reply:
    """What the model says in one step: text, or one tool call; either with its reasoning."""

    content: str = ""
    tool_name: str | None = None
    arguments: dict[str, Any] = field(default_factory=dict)
    reasoning: str = ""

    @property
    def arguments_json(self) -> str:
        return json.dumps(self.arguments, ensure_ascii=False)

    def tool_call_id(self, salt: int) -> str:
        digest = hashlib.sha1(f"{self.tool_name}|{self.arguments_json}|{salt}".encode()).hexdigest()
        return f"call_{digest[:24]}"


def plan(ctx: Context) -> Plan:
    if sleeptime.MARKER in ctx.user_text and ctx.offers("memory_finish_edits", "memory_rethink"):
        return sleeptime.plan(ctx)
    start = ctx.before_turn()
    return command(start) or decide(start)


def _done(action: Action, ctx: Context) -> bool:
    return any(c.name == action.tool and c.arguments == action.arguments for c in ctx.turn)


def _after(ctx: Context) -> str:
    """The reasoning of the reply that ends a turn with tool calls."""
    done = [c for c in ctx.turn if c.name not in ENDS_TURN]
    if not done:
        return ""
    if any(c.failed for c in done):
        return f"{next(c.name for c in done if c.failed)} failed; I'll tell the user what went wrong."
    last = done[-1]
    if "search" in last.name:
        return "I have the search results; I'll answer from the ones that match, if any do."
    if last.name in MEMORY_EDITS or last.name == "archival_memory_insert":
        return "My memory is updated; I'll confirm what I noted."
    return f"{last.name} answered; I'll pass its result on."


def _fallback_tool(tools: dict[str, dict]) -> str:
    """The tool to call when one is required and nothing names it. Not the first one offered: the server's tool
    order varies between runs. A tool that ends the turn comes first, so that a forced choice does not loop."""
    return next((name for name in ENDS_TURN if name in tools), None) or min(tools)


def respond(request: dict) -> Reply:
    """One step of the agent for one chat-completions request."""
    ctx = Context.of(request)
    if summary.is_request(ctx):
        return Reply(content=summary.summary(ctx))
    current = plan(ctx)
    stop = len(ctx.turn) >= MAX_STEPS or any(c.failed for c in ctx.turn)
    following = None if stop else next((a for a in current.actions if not _done(a, ctx) and a.tool in ctx.tools), None)
    choice = ctx.tool_choice
    forced = choice.get("function", {}).get("name") if isinstance(choice, dict) else None
    if forced in ctx.tools:
        if following is not None and following.tool == forced:
            return Reply(tool_name=forced, arguments=following.arguments, reasoning=following.why)
        arguments, _ = fill(ctx.tools[forced], ctx.user_text)
        return Reply(tool_name=forced, arguments=arguments, reasoning=f"The tool rules require {forced} at this step.")
    if choice == "required" and ctx.tools:
        if following is not None:
            return Reply(tool_name=following.tool, arguments=following.arguments, reasoning=following.why)
        name = _fallback_tool(ctx.tools)
        arguments, _ = fill(ctx.tools[name], ctx.user_text)
        if name == "send_message":
            arguments = {"message": current.answer(ctx)}
        return Reply(tool_name=name, arguments=arguments, reasoning=f"A tool call is required here; {name} is the one that fits.")
    if following is not None:
        return Reply(tool_name=following.tool, arguments=following.arguments, reasoning=following.why)
    failed = [c for c in ctx.turn if c.failed]
    # a failed step is reported as it failed, whatever the plan meant to say after it ("Done" would be confidently wrong)
    content = " ".join(about_call(c, ctx) for c in failed) if failed else current.answer(ctx)
    why = _after(ctx) or current.why or "I'll answer directly."
    if "send_message" in ctx.tools and not (ctx.turn and ctx.turn[-1].name == "send_message"):
        return Reply(tool_name="send_message", arguments={"message": content}, reasoning=why)
    return Reply(content=content, reasoning=why)
