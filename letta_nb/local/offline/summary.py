"""The summary Letta asks for when it compacts a conversation: extractive, from the transcript it sends. What the user
told (the facts the main agent would read), what they asked, and which tools ran."""

from __future__ import annotations

import re

from . import language as L
from .context import Context
from .sleeptime import facts_in


def is_request(ctx: Context) -> bool:
    return not ctx.tools and ("summar" in ctx.system.lower() or "memory-recall helper" in ctx.user_text) and bool(ctx.user_text)


def summary(ctx: Context) -> str:
    said: list[str] = []
    asked: list[str] = []
    used: list[str] = []
    for line in ctx.user_text.splitlines():
        # "[user] ..." from the summariser's transcript (letta 0.16.8 writes "[MessageRole.user]"), "user: ..." elsewhere
        match = re.match(r"^\s*\[?(?:MessageRole\.)?(user|assistant|tool)\]?:?\s+(.*)$", line)
        if not match:
            continue
        role, body = match.groups()
        if role == "user":
            (asked if L.form(body) == "question" else said).append(" ".join(body.split()))
        elif role == "assistant" and "->" in body:
            used += re.findall(r"(\w+)\(", body.split("->", 1)[1])
    facts = facts_in(said)
    count = len(said) + len(asked)
    lines = [f"Summary of the earlier conversation ({L.plural(count, 'user message')})."]
    if facts:
        lines.append("The user told me: " + "; ".join(f.line for f in facts if not f.removed) + ".")
    if asked:
        lines.append("They asked: " + " | ".join(q[:80] for q in asked[-3:]))
    if said and not facts:
        lines.append("They said: " + " | ".join(s[:80] for s in said[-3:]))
    if used:
        counts = {name: used.count(name) for name in dict.fromkeys(used)}
        lines.append("Tools used: " + ", ".join(f"{n} ×{c}" if c > 1 else n for n, c in counts.items()) + ".")
    return "\n".join(lines)
