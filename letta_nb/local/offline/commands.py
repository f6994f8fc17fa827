"""The explicit command phrases: the precise fallback, for a test or a chapter that needs one exact call whatever the
model would decide. They come before any understanding (README lists them):

``call TOOL {"a": 1}`` (that tool, those arguments), ``remember in LABEL: X`` (``memory_insert`` of X, verbatim),
``replace "A" with "B" in LABEL``, ``archive: X #tag``,
``search archival for X``, ``search conversation for X``, ``echo: X`` (replies ``X``).
"""

from __future__ import annotations

import re

from .arguments import fill
from .context import Context
from .plans import Plan, reply
from .replies import one

_COMMANDS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^(?:please\s+)?(?:call|use|run)\s+(?:the\s+)?(?:tool\s+)?`?(\w+)`?(?:\s+tool)?\b(.*)$", re.I | re.S), "call"),
    (re.compile(r"^(?:please\s+)?remember\s+in\s+(?:my\s+)?(\w+)(?:\s+memory)?\s*:\s*(.+)$", re.I | re.S), "remember_in"),
    (re.compile(r"""^(?:please\s+)?replace\s+["'](.+?)["']\s+with\s+["'](.*?)["']\s+in\s+(?:my\s+)?(\w+)""", re.I | re.S), "replace"),
    (re.compile(r"^(?:please\s+)?(?:archive|save to archival(?: memory)?)\s*:\s*(.+)$", re.I | re.S), "archive"),
    (re.compile(r"^(?:please\s+)?search\s+(?:my\s+|your\s+)?(?:archival|archive)(?:\s+memory)?\s+for\s+(.+?)[.?!]*$", re.I | re.S), "search_archival"),
    (re.compile(r"^(?:please\s+)?search\s+(?:our\s+|the\s+)?(?:conversation|history|messages)\s+for\s+(.+?)[.?!]*$", re.I | re.S), "search_conversation"),
    (re.compile(r"^echo\s*:\s*(.+)$", re.I | re.S), "echo"),
]


def command(ctx: Context) -> Plan | None:
    text = ctx.user_text
    for pattern, kind in _COMMANDS:
        match = pattern.search(text)
        if not match:
            continue
        if kind == "call" and match.group(1) not in ctx.tools and re.fullmatch(r"[a-z][a-z0-9_]*_[a-z0-9_]+", match.group(1)):
            name = match.group(1)  # a tool's name, but no such tool is attached: say so rather than guess
            return reply(f"I have no tool called {name}, so I can't call it.", f"The user asked me to call {name}, but no "
                         "tool of that name is attached to me.", "command")
        if kind == "call" and match.group(1) in ctx.tools:
            name = match.group(1)
            arguments, _ = fill(ctx.tools[name], match.group(2).strip())
            return one(name, arguments, f"The user asked me to call {name} explicitly.", "command")
        if kind == "remember_in" and ctx.offers("memory_insert"):
            label = match.group(1)
            return one("memory_insert", {"label": label, "new_string": match.group(2).strip()},
                       f"The user asked me to remember this in my {label} block.", "command",
                       lambda ctx, label=label: f"Done: I've added that to my {label} block.")  # type: ignore[misc]  # mypy: lambda with defaults
        if kind == "replace" and ctx.offers("memory_replace"):
            old, new, label = match.groups()
            return one("memory_replace", {"label": label, "old_string": old, "new_string": new},
                       f"The user asked me to change \"{old}\" in my {label} block.", "command",
                       lambda ctx, label=label: f"Done: I've changed that in my {label} block.")  # type: ignore[misc]  # mypy: lambda with defaults
        if kind == "archive" and ctx.offers("archival_memory_insert"):
            body = match.group(1)
            tags = re.findall(r"#(\w+)", body)
            content = re.sub(r"\s*#\w+", "", body).strip()
            return one("archival_memory_insert", {"content": content, "tags": tags} if tags else {"content": content},
                       "The user asked me to archive this.", "command")
        if kind == "search_archival" and ctx.offers("archival_memory_search"):
            return one("archival_memory_search", {"query": match.group(1).strip()},
                       "The user asked me to search my archival memory.", "command")
        if kind == "search_conversation" and ctx.offers("conversation_search"):
            return one("conversation_search", {"query": match.group(1).strip()}, "The user asked me to search our "
                       "conversation.", "command")
        if kind == "echo":
            return reply(match.group(1).strip(), "The user asked me to repeat their words.", "command")
    return None

