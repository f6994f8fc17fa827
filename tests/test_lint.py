"""The static check of the package: ruff (pyflakes, bugbear, pyupgrade, simplify, import order, as pyproject.toml
selects) finds nothing in letta_nb/. Fast tier: no server."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing_in_the_package():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "letta_nb"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"ruff check letta_nb:\n{result.stdout}{result.stderr}"
