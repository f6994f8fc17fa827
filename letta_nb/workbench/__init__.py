"""A prototyping workbench: see an agent's context window and trace its runs, try a tool without an agent, fork an
agent, export it as a script, talk to it from a cell."""

from .context import ContextWindow, context_window
from .export import Script, to_script
from .fork import Fork, fork
from .tools import ToolTrial, try_tool
from .tracing import Trace, trace

__all__ = ["context_window", "ContextWindow", "trace", "Trace", "try_tool", "ToolTrial", "fork", "Fork", "to_script",
           "Script"]
