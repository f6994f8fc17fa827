"""Wheel build hook: put the chapters into the wheel as ``letta_nb/_notebooks`` (``letta-nb notebooks`` copies them out).

What ships is what a chapter needs to run: the numbered notebooks, the helper modules they import (``nb13_tools.py``)
and the reference solutions. Not nbval's ``sanitize.cfg`` or the tests' ``concepts.toml``. An editable install
(``uv sync`` in a checkout) gets nothing here: there ``letta_nb.chapters`` reads ``notebooks/`` itself.
The patterns are those of ``letta_nb/chapters.py`` (``PATTERNS``).
"""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# The TypeScript track (notebooks/ts/) ships too: its chapters, helpers, solutions and the SDK pin (deno.json, deno.lock).
PATTERNS = ("[0-9][0-9]_*.ipynb", "nb[0-9]*_*.py", "solutions/*.py",
            "ts/[0-9][0-9]_*.ipynb", "ts/*.ts", "ts/solutions/*.ts", "ts/deno.json", "ts/deno.lock")


class ChaptersHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if version != "standard":
            return
        notebooks = Path(self.root) / "notebooks"
        files = sorted({path for pattern in PATTERNS for path in notebooks.glob(pattern) if path.is_file()})
        if not any(path.suffix == ".ipynb" for path in files):
            raise RuntimeError(f"no chapters found in {notebooks}: the wheel must ship them")
        for path in files:
            build_data["force_include"][str(path)] = f"letta_nb/_notebooks/{path.relative_to(notebooks).as_posix()}"
