"""What a pip user gets: the wheel, installed into a fresh virtual environment outside the checkout.

Builds the wheel (`uv build --wheel`), installs it into a new venv (its dependencies from PyPI, through uv's cache),
and, from a folder that is no checkout: `letta-nb lab` without the lab extra names `pip install "letta-nb[lab]"`;
`letta-nb notebooks DIR` copies the 17 chapters with their helpers and solutions; with the lab extra installed, the
first chapter executes there (`jupyter nbconvert --execute` of that venv, so its kernel imports the installed letta_nb,
not the checkout's) against the running local stack. About 1-2 minutes, most of it the chapter and the installs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = "00_first_agent"

pytestmark = pytest.mark.timeout(600)


def _uv() -> list[str]:
    found = shutil.which("uv")
    return [found] if found else [sys.executable, "-m", "uv"]


def _run(argv, *, cwd: Path, env: dict | None = None, timeout: float = 300, check: bool = True):
    result = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                            check=False)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(map(str, argv))} exited with {result.returncode}:\n{result.stdout[-3000:]}\n"
                    f"{result.stderr[-5000:]}")
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run([*_uv(), "build", "--wheel", "--out-dir", out], cwd=ROOT)
    (found,) = out.glob("letta_nb-*.whl")
    return found


def test_the_wheel_carries_the_chapters_and_not_the_test_files(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(n.removeprefix("letta_nb/_notebooks/") for n in names if n.startswith("letta_nb/_notebooks/"))
    chapters = [n for n in shipped if n.endswith(".ipynb") and "/" not in n]
    expected = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert chapters == expected and len(chapters) == 17
    track = sorted(p.relative_to(ROOT / "notebooks").as_posix() for p in (ROOT / "notebooks" / "ts").glob("[0-9][0-9]_*.ipynb"))
    assert track and set(track) <= set(shipped), "the TypeScript track ships too"
    assert {"ts/deno.json", "ts/deno.lock", "ts/letta_nb.ts", "ts/exercises.ts"} <= set(shipped)
    assert "ts/conftest.py" not in shipped, "nbval's plumbing stays in the checkout"
    assert "nb13_tools.py" in shipped and any(n.startswith("solutions/") for n in shipped)
    assert not [n for n in shipped if n.endswith((".cfg", ".toml", ".pyc")) or "__pycache__" in n]
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("/METADATA"))).decode()
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    core = [r for r in requires if "extra ==" not in r]
    assert not any(name in r for r in core for name in ("jupyterlab", "nbval", "pytest", "playwright", "mkdocs")), core
    assert any("jupyterlab" in r and "extra == 'lab'" in r.replace('"', "'") for r in requires), requires


def test_a_fresh_install_copies_the_chapters_and_runs_one(wheel, tmp_path, stack):
    venv = tmp_path / "venv"
    python = venv / "bin" / "python"
    home = tmp_path / "learner"  # a folder that is no checkout: no notebooks/, no pyproject.toml
    home.mkdir()
    _run([*_uv(), "venv", "--quiet", "--python", sys.executable, venv], cwd=tmp_path)
    _run([*_uv(), "pip", "install", "--quiet", "--python", python, wheel], cwd=tmp_path)

    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    letta_nb = venv / "bin" / "letta-nb"

    no_lab = _run([letta_nb, "lab"], cwd=home, env=env, check=False)
    assert no_lab.returncode == 1 and 'pip install "letta-nb[lab]"' in no_lab.stderr, no_lab.stderr

    copied = _run([letta_nb, "notebooks", "chapters"], cwd=home, env=env)
    assert "17 chapters in" in copied.stdout, copied.stdout
    folder = home / "chapters"
    assert len(list(folder.glob("[0-9][0-9]_*.ipynb"))) == 17
    assert (folder / "solutions").is_dir() and (folder / "nb13_tools.py").is_file()

    _run([*_uv(), "pip", "install", "--quiet", "--python", python, f"{wheel}[lab]"], cwd=tmp_path)
    # A first cell that says which Python and which letta_nb the kernel runs: the fresh install's, not the checkout's.
    path = folder / f"{CHAPTER}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(
        "import sys, letta_nb, letta_nb.exercises\nprint('WHERE', sys.prefix, letta_nb.__file__)\n"
        "print('SOLUTIONS', letta_nb.exercises.solutions_dir())"))
    nbformat.write(nb, path)
    _run([venv / "bin" / "jupyter", "nbconvert", "--to", "notebook", "--execute", "--output-dir", tmp_path / "out",
          "--ExecutePreprocessor.timeout=180", path.name], cwd=folder, env=env, timeout=400)
    executed = nbformat.read(tmp_path / "out" / path.name, as_version=4)
    where = "".join(o.get("text", "") for o in executed.cells[0].outputs)
    assert str(venv) in where and str(ROOT) not in where, where
    assert f"SOLUTIONS {folder / 'solutions'}" in where, "the reference solutions are found beside the copied chapters"
    errors = [o for c in executed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    assert sum(1 for c in executed.cells if c.cell_type == "code" and c.outputs) > 5, "the chapter ran and printed"
