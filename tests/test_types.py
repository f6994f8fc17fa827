"""The type check of the package: mypy, as pyproject.toml's [tool.mypy] sets it up (all of letta_nb/, the pydantic
plugin, check_untyped_defs), finds nothing. Fast tier: no server.

Its cache (.mypy_cache/, git-ignored) makes a re-run take about a second; a cold run, as in CI, about 15 s."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_finds_nothing_in_the_package():
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, f"mypy (letta_nb/):\n{result.stdout}{result.stderr}"
