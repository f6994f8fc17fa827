"""`letta-nb notebooks` and `letta-nb lab [DIR]`: copying the chapters out of the package, and which folder lab opens.

No server: the stack is replaced by a stand-in and JupyterLab's exec is caught. tests/test_wheel.py does the real
thing from a built wheel.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from letta_nb import chapters, cli

ROOT = Path(__file__).resolve().parent.parent


def test_the_checkout_is_the_source_and_every_chapter_file_is_listed():
    assert chapters.source_dir() == ROOT / "notebooks"
    listed = chapters.files()
    notebooks = [f for f in listed if f.endswith(".ipynb") and "/" not in f]  # the numbered chapters (ts/: the TypeScript track)
    assert notebooks == sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) and len(notebooks) == 17
    assert listed[:17] == notebooks, "chapters first"
    assert "nb13_tools.py" in listed and "solutions/02_agents_and_memory_blocks.py" in listed
    assert not any(f in listed for f in ("sanitize.cfg", "concepts.toml")), "test-only files stay in the checkout"


def test_copy_keeps_your_changes_and_updates_what_you_did_not_touch(tmp_path):
    dest = tmp_path / "mine"
    first = chapters.copy_chapters(dest)
    assert first.chapters == 17 and len(first.copied) == len(chapters.files()) and not first.kept
    assert (dest / "solutions").is_dir() and (dest / "nb15_app.py").is_file()

    again = chapters.copy_chapters(dest)
    assert not again.copied and len(again.current) == len(first.copied), "nothing to do the second time"

    edited = dest / "02_agents_and_memory_blocks.ipynb"
    edited.write_text(edited.read_text() + " ")
    kept = chapters.copy_chapters(dest)
    assert kept.kept == ["02_agents_and_memory_blocks.ipynb"] and edited.read_text().endswith(" ")
    assert any("--force" in line for line in kept.lines())

    # A file still as letta-nb wrote it, but from an older letta-nb: updated without asking.
    old = dest / "nb13_tools.py"
    old.write_text("# an older version\n")
    manifest = json.loads((dest / chapters.MANIFEST).read_text())
    manifest["files"]["nb13_tools.py"] = chapters._digest(old)
    (dest / chapters.MANIFEST).write_text(json.dumps(manifest))
    updated = chapters.copy_chapters(dest)
    assert updated.updated == ["nb13_tools.py"] and updated.kept == ["02_agents_and_memory_blocks.ipynb"]
    assert old.read_bytes() == (ROOT / "notebooks" / "nb13_tools.py").read_bytes()

    forced = chapters.copy_chapters(dest, force=True)
    assert forced.replaced == ["02_agents_and_memory_blocks.ipynb"] and not forced.kept
    assert edited.read_bytes() == (ROOT / "notebooks" / edited.name).read_bytes()


def test_copy_refuses_the_source_itself_and_a_file():
    with pytest.raises(ValueError, match="where the chapters come from"):
        chapters.copy_chapters(ROOT / "notebooks")
    with pytest.raises(NotADirectoryError):
        chapters.copy_chapters(ROOT / "README.md")


def test_notebooks_command(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["notebooks"]) == 0
    out = capsys.readouterr().out
    assert "17 chapters in" in out and "letta-nb lab letta-nb-notebooks" in out
    assert len(list((tmp_path / "letta-nb-notebooks").glob("[0-9][0-9]_*.ipynb"))) == 17
    assert cli.main(["notebooks", str(ROOT / "notebooks")]) == 1
    assert "choose another folder" in capsys.readouterr().err


class FakeStack:
    started = 0

    def __init__(self, *args, **kwargs):
        pass

    def up(self, *args, **kwargs):
        FakeStack.started += 1


@pytest.fixture
def lab(monkeypatch):
    """`letta-nb lab` up to the exec of JupyterLab, whose argv is returned instead."""
    calls = []

    def execv(path, argv):
        calls.append(argv)
        raise SystemExit(0)

    FakeStack.started = 0
    monkeypatch.setattr(cli, "Stack", FakeStack)
    monkeypatch.setattr(cli.os, "execv", execv)

    def run(*args):
        with pytest.raises(SystemExit):
            cli.main(["lab", *args])
        return calls[-1]

    return run


def test_lab_opens_notebooks_of_a_checkout(lab, monkeypatch):
    monkeypatch.chdir(ROOT)
    argv = lab("--no-browser", "--port", "9999")
    assert argv[:3] == [sys.executable, "-m", "jupyterlab"], "this environment's JupyterLab"
    assert f"--notebook-dir={ROOT / 'notebooks'}" in argv and "--ServerApp.port=9999" in argv and "--no-browser" in argv
    assert FakeStack.started == 1


def test_lab_elsewhere_copies_the_chapters_first(lab, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    argv = lab("--ServerApp.token=abc")
    assert f"--notebook-dir={tmp_path / 'letta-nb-notebooks'}" in argv and "--ServerApp.token=abc" in argv
    assert len(list((tmp_path / "letta-nb-notebooks").glob("*.ipynb"))) == 17
    assert "17 chapters in" in capsys.readouterr().out

    monkeypatch.chdir(tmp_path / "letta-nb-notebooks")  # inside the copied folder: open it, copy nothing
    assert f"--notebook-dir={tmp_path / 'letta-nb-notebooks'}" in lab()

    own = tmp_path / "own"
    own.mkdir()
    (own / "mine.ipynb").write_text("{}")
    assert f"--notebook-dir={own}" in lab(str(own)), "a folder of your own opens as it is"
    assert not list(own.glob("0*.ipynb"))

    assert f"--notebook-dir={tmp_path / 'new'}" in lab(str(tmp_path / "new"))
    assert len(list((tmp_path / "new").glob("*.ipynb"))) == 17, "a new folder gets the chapters"


def test_lab_without_jupyterlab_says_how_to_install_it(monkeypatch, tmp_path, capsys):
    real = cli.importlib.util.find_spec
    monkeypatch.setattr(cli.importlib.util, "find_spec", lambda name, *a: None if name == "jupyterlab" else real(name, *a))
    monkeypatch.setattr(cli, "Stack", FakeStack)
    monkeypatch.chdir(tmp_path)
    FakeStack.started = 0
    assert cli.main(["lab"]) == 1
    err = capsys.readouterr().err
    assert 'pip install "letta-nb[lab]"' in err and "JupyterLab" in err
    assert FakeStack.started == 0 and not (tmp_path / "letta-nb-notebooks").exists(), "nothing started or copied"


def test_unknown_options_are_an_error_outside_lab(capsys):
    with pytest.raises(SystemExit):
        cli.main(["status", "--bogus"])
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err
