"""``enable()``: the last expression of a cell renders richly with no wrapper, by registering IPython formatters
for letta-client types; ``disable()`` puts back exactly what was there before.

Lists are shared with everything else in Python, so the list formatters render only lists whose items are all
Letta objects and hand any other list back to the formatter that was registered before.
"""

from __future__ import annotations

from typing import Any

from letta_client._base_client import BasePage
from letta_client.types import AgentState, BlockResponse, EmbeddingModel, Folder, Passage, Tool
from letta_client.types.agent_state import Identity, ManagedGroup, Memory, MemoryFileBlock, MultiAgentGroup, Source
from letta_client.types.agents import (ApprovalRequestMessage, ApprovalResponseMessage, AssistantMessage,
                                       EventMessage, HiddenReasoningMessage, ReasoningMessage, SummaryMessage,
                                       SystemMessage, ToolCallMessage, UserMessage)
from letta_client.types.agents.block import Block
from letta_client.types.agents.file_list_response import FileListResponse as AgentFile
from letta_client.types.agents.letta_response import LettaResponse
from letta_client.types.agents.letta_streaming_response import LettaErrorMessage, LettaPing, LettaStopReason, LettaUsageStatistics
from letta_client.types.agents.passage_search_response import PassageSearchResponse, Result
from letta_client.types.agents.run import Run
from letta_client.types.folders.file_list_response import FileListResponse as FolderFile
from letta_client.types.folders.file_upload_response import FileUploadResponse
from letta_client.types.model import Model
from letta_client.types.passage_search_response import PassageSearchResponseItem
from letta_client.types.tool_return_message import ToolReturnMessage
from pydantic import BaseModel

from .view import render

TYPES: tuple[type, ...] = (
    AgentState, Memory, Block, BlockResponse, MemoryFileBlock, Tool, Passage, PassageSearchResponse, Result,
    PassageSearchResponseItem, Folder, Source, FolderFile, AgentFile, Run, Identity, ManagedGroup, MultiAgentGroup,
    Model, EmbeddingModel, LettaResponse, BasePage, FileUploadResponse,
    UserMessage, AssistantMessage, ReasoningMessage, HiddenReasoningMessage, ToolCallMessage, ToolReturnMessage,
    ApprovalRequestMessage, ApprovalResponseMessage, SystemMessage, SummaryMessage, EventMessage,
    LettaErrorMessage, LettaPing, LettaStopReason, LettaUsageStatistics,
)
_MIMES = ("text/html", "text/plain")
# (formatter, type) -> what was registered before enable(), so disable() restores it exactly.
_saved: dict[tuple[str, type], Any] = {}


def _letta_list(obj: Any) -> bool:
    """A non-empty list of letta-client models (or of this package's transcripts)."""
    return bool(obj) and all(isinstance(x, BaseModel) and type(x).__module__.startswith("letta_client") for x in obj)


def _html(obj: Any) -> str:
    return render(obj).html


def _pretty(obj: Any, p: Any, cycle: bool) -> None:
    p.text(render(obj).text)


def _list_html(previous: Any) -> Any:
    def fmt(obj: Any) -> str | None:
        if _letta_list(obj):
            return render(obj).html
        return previous(obj) if previous is not None else None  # None: no HTML, IPython shows the text form

    return fmt


def _list_pretty(previous: Any) -> Any:
    def fmt(obj: Any, p: Any, cycle: bool) -> None:
        if not cycle and _letta_list(obj):
            p.text(render(obj).text)
        elif previous is not None:
            previous(obj, p, cycle)
        else:
            p.text(repr(obj))

    return fmt


def _shell(ip: Any) -> Any:
    if ip is not None:
        return ip
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _previous(formatter: Any, cls: type) -> Any:
    """What the formatter would have used for ``cls`` itself (None when nothing was registered)."""
    try:
        return formatter.lookup_by_type(cls)
    except KeyError:
        return None


def enable(ip: Any = None) -> bool:
    """Register the rich displays in the running IPython (or ``ip``); returns False outside IPython. Safe to repeat."""
    shell = _shell(ip)
    if shell is None:
        return False
    formatters = shell.display_formatter.formatters
    for mime in _MIMES:
        formatter = formatters[mime]
        for cls in TYPES:
            if (mime, cls) not in _saved:
                _saved[(mime, cls)] = formatter.type_printers.get(cls)
            formatter.for_type(cls, _html if mime == "text/html" else _pretty)
        if (mime, list) not in _saved:
            _saved[(mime, list)] = formatter.type_printers.get(list)
            previous = _previous(formatter, list)
            formatter.for_type(list, _list_html(previous) if mime == "text/html" else _list_pretty(previous))
    return True


def disable(ip: Any = None) -> bool:
    """Remove what :func:`enable` registered, restoring earlier formatters; returns False outside IPython."""
    shell = _shell(ip)
    if shell is None:
        return False
    formatters = shell.display_formatter.formatters
    for (mime, cls), before in list(_saved.items()):
        formatter = formatters[mime]
        formatter.type_printers.pop(cls, None)
        if before is not None:
            formatter.for_type(cls, before)
        del _saved[(mime, cls)]
    return True


def enabled() -> bool:
    return bool(_saved)
