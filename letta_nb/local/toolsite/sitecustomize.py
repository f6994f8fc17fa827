"""Loaded by every Python the local Letta server starts (the stack puts this folder on its PYTHONPATH); it acts only
in a tool run.

letta 0.16.8 runs each custom tool in a new Python process, whose script imports letta.functions.ast_parsers to
coerce the arguments. Importing any part of letta first runs letta/__init__.py, which imports all of letta (the ORM,
every provider's SDK): about 7 s of CPU, most of a tool turn. Unless the script uses letta itself (it imports letta
to hand the tool an ``agent_state``, or the tool's own code does), letta is registered here as a bare package, so its
submodules load without that __init__ (0.2 s). Nothing else changes: the same files run.
"""

import importlib.util
import sys
import types
from pathlib import Path


def _bare_letta() -> None:
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is None or script.parent.name != "tool_execution_dir" or "letta" in sys.modules:
        return
    try:
        source = script.read_text()
    except OSError:
        return
    if "import letta\n" in source or "from letta import" in source:
        return
    spec = importlib.util.find_spec("letta")
    if spec is None or not spec.submodule_search_locations:
        return
    package = types.ModuleType("letta")
    package.__path__ = list(spec.submodule_search_locations)
    package.__spec__ = spec
    package.__file__ = spec.origin
    sys.modules["letta"] = package


_bare_letta()
