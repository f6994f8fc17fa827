"""Message content as text. ``AssistantMessage.content`` (and a user's) is ``str | list[parts]``: never join it blindly."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def text_of(message: Any) -> str:
    """The text of a message, or of its ``content``: a str as it is, a list of parts with their text joined by new
    lines, and non-text parts (images, ...) as ``[image]``."""
    if isinstance(message, BaseModel) and "content" not in type(message).model_fields:
        return ""  # a reasoning message, a tool call...: no content of its own
    content = getattr(message, "content", message)
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    parts = []
    for part in content:
        kind = part.get("type") if isinstance(part, dict) else getattr(part, "type", None)
        text = part.get("text") if isinstance(part, dict) else getattr(part, "text", None)
        parts.append(text if isinstance(text, str) else f"[{kind or 'part'}]")
    return "\n".join(parts)
