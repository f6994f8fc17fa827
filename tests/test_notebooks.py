"""The notebook series as a whole: it covers the seed, every chapter has the same shape, and saved files are clean.

nbval executes each notebook separately (it is part of the same pytest run); these checks read the files.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SEED_COPY = Path(__file__).with_name("data") / "letta-api-client-skill.txt"
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "letta-api-client-skill.txt"
MAP = tomllib.loads((NOTEBOOKS / "concepts.toml").read_text())
sys.path.insert(0, str(ROOT / "scripts"))
from chapter_report import prose_words  # noqa: E402
SERIES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
REQUIRED_HEADINGS = ("## The idea", "## What you saw", "## Gotchas", "## Exercise", "## Clean up")
SECRET = re.compile(r"(sk-[A-Za-z0-9_-]{16,}|sk-ant-[A-Za-z0-9_-]{8,}|LETTA_API_KEY\s*=\s*[A-Za-z0-9_-]{8,}|Bearer\s+[A-Za-z0-9._-]{12,})")


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def _code(path: Path) -> str:
    return "\n".join(c.source for c in _read(path).cells if c.cell_type == "code")


def assert_sections_in_order(markdown: str) -> None:
    """Every required section is there, in the order of REQUIRED_HEADINGS (both tracks share the chapter shape)."""
    positions = [markdown.find(h) for h in REQUIRED_HEADINGS]
    assert all(p >= 0 for p in positions), f"missing sections: {[h for h, p in zip(REQUIRED_HEADINGS, positions) if p < 0]}"
    assert positions == sorted(positions), f"sections out of order: {REQUIRED_HEADINGS}"


def assert_cell_clean(index: int, cell) -> None:
    """A saved cell: not empty, no secret; a code cell executed, with no error and nothing skipped."""
    assert cell.source.strip(), f"cell {index} is empty"
    text = cell.source + "".join(str(o) for o in cell.get("outputs", []))
    assert not SECRET.search(text), f"cell {index} seems to hold a secret"
    if cell.cell_type == "code":
        assert cell.execution_count is not None, f"cell {index} was not executed before saving"
        assert not any(o.output_type == "error" for o in cell.outputs), f"cell {index} saved an error"
        assert "NBVAL_SKIP" not in cell.source, f"cell {index} is skipped; nbval must run every cell"


def _shown(path: Path) -> str:
    """The code and its stored text outputs: a call the agent makes by itself (a tool it chose from a plain sentence)
    shows in the transcript it printed, not in the code."""
    outputs = [o.get("text", "") or o.get("data", {}).get("text/plain", "") for c in _read(path).cells
               if c.cell_type == "code" for o in c.get("outputs", [])]
    return _code(path) + "\n" + "\n".join(outputs if isinstance(outputs, list) else [])


def test_seed_copy_is_current():
    if SHARED_SEED.exists():  # the checkout sits beside shared/ in development and CI
        assert SEED_COPY.read_text() == SHARED_SEED.read_text(), "tests/data holds an outdated copy of the seed"
    assert "Core Concepts" in SEED_COPY.read_text()


def test_every_seed_concept_maps_to_an_existing_notebook():
    seed = SEED_COPY.read_text()
    headings = re.findall(r"(?:^|\s)\d{1,2}\. ([A-Z][A-Za-z&\- ]+?)(?= See | Conversations enable|\n)", seed)
    assert len(headings) == 11, headings
    for heading in headings + ["Quick Start", "Troubleshooting", "Key Gotchas", "Core Memory Blocks", "Archival Memory",
                               "Conversation History", "Shared Blocks"]:
        assert heading in seed
        assert heading in MAP["concepts"], f"seed concept {heading!r} has no notebook in notebooks/concepts.toml"
        assert (NOTEBOOKS / MAP["concepts"][heading]).exists(), f"{MAP['concepts'][heading]} (for {heading!r}) is missing"


def test_every_seed_example_is_covered_by_its_notebook():
    examples = sorted(set(re.findall(r"\b\d\d_\w+\.py\b", SEED_COPY.read_text())))
    assert len(examples) == 13
    for example in examples:
        entry = MAP["examples"].get(example)
        assert entry, f"seed example {example} is not mapped in notebooks/concepts.toml"
        shown = _shown(NOTEBOOKS / entry["notebook"])
        for call in entry["calls"]:
            assert call in shown, f"{entry['notebook']} should show {call!r} (seed example {example})"


def test_series_is_numbered_without_gaps():
    numbers = [int(p.name[:2]) for p in SERIES]
    assert numbers == list(range(len(numbers))) and len(numbers) >= 16, [p.name for p in SERIES]


@pytest.mark.parametrize("path", SERIES, ids=[p.name for p in SERIES])
def test_chapter_shape(path):
    cells = _read(path).cells
    markdown = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    assert markdown.startswith(f"# {path.name[:2]} · "), "the first cell is the title '# NN · ...'"
    assert "**What you will learn**" in markdown
    assert_sections_in_order(markdown)
    assert any(c.cell_type == "code" and c.source.startswith("# Checker") for c in cells), "the exercise needs a checker cell"
    assert "letta_nb.connect(" in _code(path), "notebooks get their client from letta_nb.connect()"


@pytest.mark.parametrize("path", SERIES, ids=[p.name for p in SERIES])
def test_code_comes_within_the_first_150_words(path):
    """A chapter opens with why an app needs the idea, in two or three sentences, then code: not pages of prose."""
    words = 0
    for cell in _read(path).cells:
        if cell.cell_type == "code":
            break
        words += prose_words(cell.source)
    assert words <= 150, f"{words} words of prose before the first code cell (goal: at most 150)"


@pytest.mark.parametrize("path", SERIES, ids=[p.name for p in SERIES])
def test_saved_notebook_is_clean(path):
    nb = _read(path)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    for index, cell in enumerate(nb.cells):
        assert_cell_clean(index, cell)


@pytest.mark.parametrize("path", SERIES, ids=[p.name for p in SERIES])
def test_chapter_uses_the_package_helpers_instead_of_copies(path):
    import letta_nb

    exported = set(letta_nb.__all__) | {"delete_agent_and_blocks", "delete_tools"}
    defined = set(re.findall(r"^(?:async\s+)?def\s+(\w+)", _code(path), re.M))
    assert not defined & exported, f"the chapter redefines {sorted(defined & exported)}: use letta_nb's own"


@pytest.mark.parametrize("path", SERIES, ids=[p.name for p in SERIES])
def test_exercise_ships_unsolved(path):
    """The learner writes the exercise: the stored checker output says 'not yet', never a pass."""
    cells = _read(path).cells
    checker = next(c for c in cells if c.cell_type == "code" and c.source.startswith("# Checker"))
    shown = "".join(str(o) for o in checker.outputs)
    assert "not yet" in shown and "✓" not in shown, f"the stored checker output should say 'not yet': {shown[:200]}"
    assert f'exercises.check("{path.name[:2]}"' in checker.source, "the checker cell calls letta_nb.exercises.check"



@pytest.mark.parametrize("path", SERIES, ids=[p.name for p in SERIES])
def test_code_cells_stay_short(path):
    """A learner reads every cell: long app code lives in a module beside the chapters (nbNN_*.py)."""
    long = [(i, len(c.source.splitlines())) for i, c in enumerate(_read(path).cells)
            if c.cell_type == "code" and len(c.source.splitlines()) > 30]
    assert not long, f"code cells over 30 lines (index, lines): {long}"
