"""Installation: the Letta server's own environment (``server-venv/`` under the state directory), made with uv.

The server (letta 0.16.8, which pins uvicorn 0.29 and ~830 MB of packages) lives apart from the notebook kernel's
environment so that neither constrains the other. A marker file holds the requirements it was made with: the
environment is ready when they match ``SERVER_REQUIREMENTS``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable

from ..config import SERVER_REQUIREMENTS, StackConfig
from ..exceptions import LettaNbError

Say = Callable[[str], None]
_MARKER = ".letta-nb-requirements"


def _uv() -> str:
    found = shutil.which("uv")
    if found:
        return found
    try:
        from uv import find_uv_bin

        return find_uv_bin()
    except ImportError:
        raise LettaNbError("uv is not installed. Install it with `pip install uv`, then run `letta-nb up` again.") from None


def server_env_ready(cfg: StackConfig) -> bool:
    marker = cfg.venv / _MARKER
    return cfg.venv_python.exists() and marker.exists() and marker.read_text() == "\n".join(SERVER_REQUIREMENTS)


def install(cfg: StackConfig, say: Say = print) -> None:
    """Create the server's own environment (letta==0.16.8); a no-op once it matches our requirements."""
    if server_env_ready(cfg):
        return
    uv = _uv()
    say(f"Installing the Letta server into {cfg.venv} (first run only, about a minute)...")
    cfg.home.mkdir(parents=True, exist_ok=True)
    steps = [
        [uv, "venv", "--quiet", "--allow-existing", "--python", f"{sys.version_info.major}.{sys.version_info.minor}", str(cfg.venv)],
        # No --compile-bytecode: compiling every module of the environment takes 42 s instead of 19 s, while the
        # server's first start compiles only what it imports (+10 s, once) and writes the bytecode, as its
        # allow-list environment never carries PYTHONDONTWRITEBYTECODE (nor do the tool runs, which inherit it).
        [uv, "pip", "install", "--quiet", "--python", str(cfg.venv_python), *SERVER_REQUIREMENTS],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode:
            raise LettaNbError(f"Installing the Letta server failed ({' '.join(step[:3])}):\n{done.stderr[-2000:]}\n"
                               "Check that PyPI is reachable, then run `letta-nb up` again.")
    (cfg.venv / _MARKER).write_text("\n".join(SERVER_REQUIREMENTS))
