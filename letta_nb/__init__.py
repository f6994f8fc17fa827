"""letta-nb: Letta in Jupyter. ``connect()`` gives a client; the local stack runs a real Letta server offline."""

from .agents import delete_agents, fresh_agent
from .config import OFFLINE_EMBEDDING_HANDLE, OFFLINE_LLM_HANDLE
from .connect import DefaultModels, connect, default_models, target
from .errors import LettaNbError, explain

__all__ = ["connect", "fresh_agent", "delete_agents", "default_models", "target", "DefaultModels", "LettaNbError", "explain",
           "OFFLINE_LLM_HANDLE", "OFFLINE_EMBEDDING_HANDLE"]
__version__ = "0.1.0"
