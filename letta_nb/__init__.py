"""letta-nb: Letta in Jupyter. ``connect()`` gives a client; the local stack runs a real Letta server offline."""

from .agentfile import inspect_agent_file
from .agents import delete_agents, fresh_agent
from .config import OFFLINE_EMBEDDING_HANDLE, OFFLINE_LLM_HANDLE
from .connect import DefaultModels, connect, default_models, target
from .content import text_of
from .display import disable, enable, memory_diff, render, show, to_frame
from .errors import LettaNbError, explain, translated
from .exceptions import (
    ApprovalPending,
    InvalidRequest,
    KeyRejected,
    NotFound,
    RunFailed,
    RunLost,
    ServerFailed,
    ServerTimeout,
    ServerUnreachable,
    StackNotRunning,
    StreamCut,
)
from .workbench import context_window, fork, to_script, trace, try_tool

__all__ = ["connect", "fresh_agent", "delete_agents", "default_models", "target", "DefaultModels", "LettaNbError", "explain",
           "OFFLINE_LLM_HANDLE", "OFFLINE_EMBEDDING_HANDLE"]
__all__ += ["inspect_agent_file", "text_of", "show", "render", "enable", "disable", "to_frame", "memory_diff"]
__all__ += ["try_tool", "fork", "to_script", "load_ipython_extension"]
__all__ += ["context_window", "trace"]
__all__ += ["translated", "ServerUnreachable", "ServerTimeout", "StackNotRunning", "KeyRejected", "NotFound",
            "InvalidRequest", "ApprovalPending", "ServerFailed", "RunFailed", "RunLost", "StreamCut"]
__version__ = "0.1.0"


def load_ipython_extension(ip) -> None:
    """``%load_ext letta_nb``: the ``%letta`` / ``%%letta`` magics (:mod:`letta_nb.workbench.magic`), imported only then."""
    from .workbench.magic import load_ipython_extension as load

    load(ip)


def __getattr__(name: str):
    """``letta_nb.workshop``, ``.widgets`` and ``.client_tools`` on first use, so that importing letta_nb (and the CLI)
    does not load ipywidgets."""
    if name in ("workshop", "widgets", "client_tools", "exercises"):
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
