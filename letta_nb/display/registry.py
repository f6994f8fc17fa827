"""Which builder draws what: every class, list and shape that letta_nb displays, in one table.

:func:`letta_nb.display.dispatch.build` reads it: an object's class (or nearest base) in ``CLASSES``; for a list, the
first test of ``LISTS`` that every item passes (in this order), else the ``"mixed"`` form; the ``"message"`` form for
a message whose class the SDK does not have, ``"dict"`` for a dict. letta_nb's own result objects (a fork, a script,
a tool trial, an agent file's report) are not here: each draws itself (``_letta_node_``, see
:class:`letta_nb.display.view.Rendered`). The builders are plain functions in :mod:`.agents`, :mod:`.messages` and
:mod:`.objects`.

The display package imports this module once; the builder modules import :mod:`.dispatch` (for ``build`` and
``Ctx``), so the table is handed to dispatch here rather than read from there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from letta_client.types import AgentState, EmbeddingModel, Folder, Passage, Tool
from letta_client.types.agent_state import Identity, ManagedGroup, Memory, MultiAgentGroup, Source
from letta_client.types.agents.file_list_response import FileListResponse as AgentFile
from letta_client.types.agents.letta_response import LettaResponse
from letta_client.types.agents.passage_search_response import PassageSearchResponse, Result
from letta_client.types.agents.run import Run
from letta_client.types.model import Model
from letta_client.types.passage_search_response import PassageSearchResponseItem

from ..sdk import Page
from ..turns import Transcript
from . import agents, messages, objects
from .dispatch import BUILDERS, Builder, Ctx
from .model import Node


def instances_of(*classes: type) -> Callable[[Any], bool]:
    return lambda item: isinstance(item, classes)


CLASSES: dict[type, Builder] = {
    AgentState: agents.agent_card,
    ManagedGroup: agents.group_card,
    MultiAgentGroup: agents.group_card,
    **dict.fromkeys(agents.BLOCK_TYPES, agents.block_node),
    Memory: agents.agent_memory_card,
    Tool: agents.tool_card,
    **dict.fromkeys(messages.MESSAGE_TYPES, messages.message_card),
    LettaResponse: messages.response_card,
    Transcript: messages.streamed_card,
    Page: objects.page_card,  # this page's items only: iterating a page would fetch the next ones
    Passage: objects.passage_card,
    PassageSearchResponse: objects.search_card,
    Result: objects.result_card,
    PassageSearchResponseItem: objects.scored_card,
    Folder: objects.folder_card,
    Source: objects.folder_card,
    **dict.fromkeys(objects.FOLDER_FILES, objects.folder_file_card),
    AgentFile: objects.agent_file_card,
    Run: objects.run_card,
    Identity: objects.identity_card,
    Model: objects.model_card,
    EmbeddingModel: objects.embedding_model_card,
}

LISTS: list[tuple[Callable[[Any], bool], Callable[[list, Ctx], Node]]] = [
    (instances_of(AgentState), agents.agents_table),
    (instances_of(*agents.BLOCK_TYPES), agents.memory_card),
    (instances_of(Tool), agents.tools_table),
    (agents.is_rule, agents.rules_card),
    (messages.is_message, messages.message_list_card),
    (instances_of(Passage), objects.passages_table),
    (instances_of(Result), objects.results_table),
    (instances_of(PassageSearchResponseItem), objects.scored_table),
    (instances_of(Folder, Source), objects.folders_table),
    (instances_of(*objects.FOLDER_FILES), objects.folder_files_table),
    (instances_of(AgentFile), objects.agent_files_table),
    (instances_of(Run), objects.runs_table),
    (instances_of(Identity), objects.identities_table),
    (objects.is_identity_dict, objects.identity_dicts_table),
    (instances_of(Model), objects.models_table),
    (instances_of(EmbeddingModel), objects.embedding_models_table),
]

FORMS: dict[str, Builder] = {
    "message": messages.message_card,  # chunks of kinds this SDK has no class for: other classes, their message_type
    "dict": objects.from_dict,
    "mixed": objects.mixed_list,
}

BUILDERS.classes.update(CLASSES)
BUILDERS.lists.extend(LISTS)
BUILDERS.forms.update(FORMS)
