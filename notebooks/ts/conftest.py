"""The TypeScript track under nbval: its notebooks run on the Deno kernel, registered into this environment first.

pyproject.toml runs nbval with ``--nbval-current-env`` (every Python chapter on this environment's python kernel);
that option would also start a python kernel for these notebooks. For a notebook whose kernelspec is ``deno`` the
option is set aside while nbval starts its kernel, so it gets the kernel its metadata names. Its iopub channel is
then read through ``ts.LateOutput``: Deno's kernel can publish a cell's last lines after the cell's idle status,
which nbval would drop (letta_nb/ts.py says more).
"""

from __future__ import annotations

from nbval.plugin import IPyNbFile

from letta_nb import ts

ts.install_kernel()  # idempotent: <sys.prefix>/share/jupyter/kernels/deno, never the home folder

_setup = IPyNbFile.setup


def _setup_own_kernel(self):
    if self.nb.metadata.get("kernelspec", {}).get("name") != ts.KERNEL_NAME:
        return _setup(self)
    option = self.parent.config.option
    current_env = option.nbval_current_env
    option.nbval_current_env = False
    try:
        _setup(self)
    finally:
        option.nbval_current_env = current_env
    client = self.kernel.kc
    client.get_iopub_msg = ts.LateOutput(client.get_iopub_msg, client.execute).get_iopub_msg


IPyNbFile.setup = _setup_own_kernel
