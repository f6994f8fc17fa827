"""The TypeScript track's kernel: Deno's Jupyter kernel, registered into this environment (never the user's home).

``pip install "letta-nb[ts]"`` brings the ``deno`` wheel (the whole runtime; no Node needed). ``deno jupyter --install``
would write its kernelspec to ``~/.local/share/jupyter/kernels/deno`` whatever ``JUPYTER_DATA_DIR`` says, so letta-nb
writes the same kernelspec itself into ``<sys.prefix>/share/jupyter/kernels/deno``, where this environment's Jupyter
(and nbval) find it and no other environment sees it. ``letta-nb lab`` calls :func:`install_kernel` when the extra is
installed; the notebooks' own folder pins ``@letta-ai/letta-client`` (``notebooks/ts/deno.json`` and ``deno.lock``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

KERNEL_NAME = "deno"
TS_EXTRA_MISSING = ('the TypeScript track needs Deno, which is not installed in this environment ({python}). '
                    'Install it with:  pip install "letta-nb[ts]"')


def available() -> bool:
    """Whether the ``ts`` extra (the ``deno`` wheel) is installed."""
    return importlib.util.find_spec("deno") is not None


def deno_bin() -> Path:
    """The deno executable of the ``deno`` wheel."""
    if not available():
        raise FileNotFoundError(TS_EXTRA_MISSING.format(python=sys.executable))
    from deno import find_deno_bin

    return Path(find_deno_bin())


def kernel_dir(prefix: str | Path | None = None) -> Path:
    return Path(sys.prefix if prefix is None else prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME


def kernelspec() -> dict:
    """What ``deno jupyter --install`` writes, with this environment's deno."""
    return {"argv": [str(deno_bin()), "jupyter", "--kernel", "--conn", "{connection_file}"],
            "display_name": "Deno (TypeScript)", "language": "typescript"}


def install_kernel(prefix: str | Path | None = None) -> Path:
    """Write (or refresh) the Deno kernelspec under ``prefix`` (default: this environment). Returns its folder."""
    folder = kernel_dir(prefix)
    spec = json.dumps(kernelspec(), indent=2) + "\n"
    target = folder / "kernel.json"
    if not target.is_file() or target.read_text() != spec:
        folder.mkdir(parents=True, exist_ok=True)
        target.write_text(spec)
    return folder


# ---- Late output: Deno's kernel (2.9) forwards console output through a pipe, and can publish a cell's last lines
# *after* the cell's idle status. JupyterLab shows them anyway (it routes messages by their parent); batch runners
# (nbval, nbclient) stop reading at idle and drop them, at random. The fix: when a cell's idle status arrives, run a
# one-line sentinel cell that prints a marker, and hold the idle back until the marker arrives. The pipe keeps order,
# so by then every line the cell printed has arrived, and is handed out before the idle.

class LateOutput:
    """Reads a Deno kernel's iopub channel so that a cell's late stream messages come before its idle status.

    ``get_iopub_msg`` and ``execute`` are a kernel client's methods (jupyter_client's blocking client); use
    :meth:`get_iopub_msg` of this object in their place.
    """

    def __init__(self, get_iopub_msg, execute, timeout: float = 30):
        self._get = get_iopub_msg
        self._execute = execute
        self._timeout = timeout
        self._sentinels: set[str] = set()
        self._ready: list[dict] = []

    def get_iopub_msg(self, timeout=None):
        while not self._ready:
            msg = self._get(timeout=timeout)
            parent = msg["parent_header"].get("msg_id")
            if parent in self._sentinels:
                continue  # what is left of an earlier sentinel
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle" and parent:
                self._ready.extend(self._late(parent))
            self._ready.append(msg)
        return self._ready.pop(0)

    def _late(self, parent: str) -> list[dict]:
        import time
        import uuid

        marker = f"letta-nb-sentinel-{uuid.uuid4().hex}"
        sentinel = self._execute(f'console.log("{marker}");', store_history=False)
        self._sentinels.add(sentinel)
        late, marked, idle = [], False, False
        deadline = time.monotonic() + self._timeout
        while not (marked and idle):
            msg = self._get(timeout=max(0.1, deadline - time.monotonic()))  # queue.Empty when the kernel is stuck
            owner = msg["parent_header"].get("msg_id")
            if owner not in (parent, sentinel):
                continue
            if msg["msg_type"] == "stream":
                lines = msg["content"]["text"].splitlines(keepends=True)
                kept = "".join(line for line in lines if marker not in line)
                marked = marked or len(kept) < len(msg["content"]["text"])
                if kept:  # the cell's own text, even when it came in one chunk with the marker
                    late.append({**msg, "parent_header": {**msg["parent_header"], "msg_id": parent},
                                 "content": {**msg["content"], "text": kept}})
            elif owner == sentinel:
                idle = idle or (msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle")
            else:
                late.append(msg)
        return late


def execute_notebook(path: str | Path, timeout: float = 120) -> None:
    """Run a TypeScript notebook on the Deno kernel, in its folder, and store its outputs (scripts/store.py).

    Raises RuntimeError at the first cell that fails, as ``jupyter nbconvert --execute`` does, and stores nothing.
    """
    import nbformat
    from jupyter_client.manager import start_new_kernel

    path = Path(path)
    install_kernel()
    notebook = nbformat.read(path, as_version=4)
    manager, client = start_new_kernel(kernel_name=KERNEL_NAME, cwd=str(path.parent.resolve()))
    reader = LateOutput(client.get_iopub_msg, client.execute)
    try:
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            msg_id = client.execute(cell.source)
            outputs = []
            while True:
                msg = reader.get_iopub_msg(timeout=timeout)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "status" and content["execution_state"] == "idle":
                    break
                if kind == "execute_input":
                    cell.execution_count = content.get("execution_count")
                elif kind in ("stream", "display_data", "execute_result", "error"):
                    outputs.append(nbformat.v4.output_from_msg(msg))
                elif kind == "clear_output":
                    outputs = []
            cell.outputs = outputs
            errors = [o for o in outputs if o.output_type == "error"]
            if errors:
                raise RuntimeError(f"{path.name}, cell {index}: {errors[0].ename}: {errors[0].evalue}")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    nbformat.write(notebook, path)


def cells_as_module(notebook_path: str | Path) -> str:
    """A TypeScript notebook's code cells as one module, its relative imports made absolute (for ``deno check``)."""
    import re

    import nbformat

    path = Path(notebook_path).resolve()
    notebook = nbformat.read(path, as_version=4)
    code = "\n\n".join(f"// ---- cell {i}\n{c.source}" for i, c in enumerate(notebook.cells) if c.cell_type == "code")
    return re.sub(r'(from\s+")\./', lambda m: m.group(1) + path.parent.as_uri() + "/", code)


def typecheck(notebooks: list[str | Path], config: str | Path) -> subprocess.CompletedProcess:
    """``deno check`` the code cells of each notebook (every cell of one notebook as one module)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="letta-nb-ts-") as folder:
        modules = []
        for notebook in notebooks:
            module = Path(folder) / (Path(notebook).stem + ".ts")
            module.write_text(cells_as_module(notebook))
            modules.append(str(module))
        return subprocess.run([str(deno_bin()), "check", "--quiet", "--config", str(config), *modules],
                              capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
