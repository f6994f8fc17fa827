"""The TypeScript track (notebooks/ts/): its shape, its pins, its kernel, its type checks and its exercise checkers.

nbval executes the notebooks themselves against the local stack (notebooks/ts/conftest.py gives them the Deno kernel);
these tests read the files, type-check the cells' code with `deno check`, and run the checkers' own tests.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from letta_nb import ts
from tests.test_notebooks import _code, _read, assert_cell_clean, assert_sections_in_order

ROOT = Path(__file__).resolve().parent.parent
TRACK = ROOT / "notebooks" / "ts"
CONFIG = TRACK / "deno.json"
SERIES = sorted(TRACK.glob("[0-9][0-9]_*.ipynb"))
MAP = tomllib.loads((ROOT / "notebooks" / "concepts.toml").read_text())
SEED = (Path(__file__).with_name("data") / "letta-api-client-skill.txt").read_text()


def test_the_track_has_chapters_numbered_without_gaps():
    assert [int(p.name[:2]) for p in SERIES] == list(range(len(SERIES))) and len(SERIES) == 3, SERIES


def test_every_typescript_example_of_the_skill_is_covered():
    examples = sorted(set(re.findall(r"\b\d\d_\w+\.ts\b", SEED)))
    assert len(examples) == 13, examples
    for example in examples:
        entry = MAP["typescript"]["examples"].get(example)
        assert entry, f"seed example {example} is not mapped in notebooks/concepts.toml [typescript.examples]"
        code = _code(ROOT / "notebooks" / entry["notebook"])
        for call in entry["calls"]:
            assert call in code, f"{entry['notebook']} should show {call!r} (seed example {example})"


def test_every_typescript_gotcha_of_the_skill_is_reproduced_in_a_cell():
    code = "\n".join(_code(p) for p in SERIES)
    gotchas = {
        "baseURL, not baseUrl": "// @ts-expect-error -- 'baseUrl' does not exist",
        "blocks.attach(blockId, {agent_id})": "client.agents.blocks.attach(teamBlock.id, { agent_id",
        "blocks.retrieve(label, {agent_id})": 'client.agents.blocks.retrieve("human", { agent_id',
        "passages.create returns an array": "// @ts-expect-error -- Property 'text' does not exist on type 'PassageCreateResponse'",
        "content is string | array": "typeof message.content === \"string\"",
        "conversations return a stream": "// @ts-expect-error -- Property 'messages' does not exist on type 'Stream",
        "run_first": '{ type: "run_first"',
        "constrain_child_tools": '{ type: "constrain_child_tools"',
        "exit_loop": '{ type: "exit_loop"',
    }
    for gotcha, shown in gotchas.items():
        assert shown in code, f"the Skill's TypeScript gotcha {gotcha!r} is not reproduced ({shown!r})"


def test_the_concept_map_names_the_track_for_each_concept():
    concepts = MAP["typescript"]["concepts"]
    for concept, notebook in concepts.items():
        assert concept in MAP["concepts"], f"{concept!r} is no concept of the Python map"
        assert (ROOT / "notebooks" / notebook).is_file(), notebook
    assert {"Client Setup", "Custom Tools", "Streaming", "Conversations", "Tool Rules"} <= set(concepts)


@pytest.mark.parametrize("path", SERIES, ids=[p.name for p in SERIES])
def test_chapter_shape(path):
    cells = _read(path).cells
    markdown = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    assert markdown.startswith(f"# ts{path.name[:2]} · "), "the first cell is the title '# tsNN · ...'"
    assert "**What you will learn**" in markdown
    assert_sections_in_order(markdown)
    assert "Where SDK 1.12.1 differs" in markdown, "each chapter says where the SDK differs from the Skill"
    assert "connect()" in _code(path), "chapters get their client from connect() (letta_nb.ts)"


@pytest.mark.parametrize("path", SERIES, ids=[p.name for p in SERIES])
def test_saved_notebook_is_clean_and_ships_its_exercise_unsolved(path):
    nb = _read(path)
    assert nb.metadata["kernelspec"]["name"] == ts.KERNEL_NAME
    for index, cell in enumerate(nb.cells):
        assert_cell_clean(index, cell)
        if cell.cell_type == "code":
            assert len(cell.source.splitlines()) <= 30, f"cell {index} is over 30 lines"
    checker = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith("// Checker"))
    assert f'await check("ts{path.name[:2]}", ' in checker.source
    shown = "".join(o.get("text", "") for o in checker.outputs)
    assert shown.startswith("not yet") and "✓" not in shown, shown
    assert (TRACK / "solutions" / f"ts{path.name[:2]}.ts").is_file()


def test_the_sdk_is_pinned_by_the_committed_lock():
    config = json.loads(CONFIG.read_text())
    assert config["imports"]["@letta-ai/letta-client"] == "npm:@letta-ai/letta-client@1.12.1"
    assert config["lock"] == {"path": "./deno.lock", "frozen": True}, "a changed dependency fails instead of relocking"
    lock = json.loads((TRACK / "deno.lock").read_text())
    assert lock["specifiers"] == {"npm:@letta-ai/letta-client@1.12.1": "1.12.1"}
    assert lock["npm"]["@letta-ai/letta-client@1.12.1"]["integrity"].startswith("sha512-")


def test_the_kernel_is_registered_into_the_given_prefix_only(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    folder = ts.install_kernel(tmp_path / "env")
    assert folder == tmp_path / "env" / "share" / "jupyter" / "kernels" / "deno"
    spec = json.loads((folder / "kernel.json").read_text())
    assert spec["argv"][0] == str(ts.deno_bin()) and Path(spec["argv"][0]).is_file()
    assert spec["argv"][1:] == ["jupyter", "--kernel", "--conn", "{connection_file}"] and spec["language"] == "typescript"
    assert not home.exists(), "nothing is written to the home folder"
    assert ts.install_kernel(tmp_path / "env") == folder, "running it again is harmless"


def test_this_environment_offers_the_kernel():
    from jupyter_client.kernelspec import KernelSpecManager

    ts.install_kernel()
    specs = KernelSpecManager().find_kernel_specs()
    assert Path(specs["deno"]).resolve() == ts.kernel_dir().resolve()


def _typecheck(*sources: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(ts.deno_bin()), "check", "--quiet", "--config", str(CONFIG), *map(str, sources)],
                          capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})


def test_the_cells_and_modules_type_check():
    result = ts.typecheck(SERIES, CONFIG)
    assert result.returncode == 0, result.stderr[-3000:]
    modules = [TRACK / "letta_nb.ts", TRACK / "exercises.ts", *sorted((TRACK / "solutions").glob("*.ts")),
               ROOT / "tests" / "ts" / "exercises_test.ts"]
    result = _typecheck(*modules)
    assert result.returncode == 0, result.stderr[-3000:]


def test_the_gotchas_marked_as_type_errors_are_type_errors(tmp_path):
    """Without their `@ts-expect-error` lines the chapters do not type-check: each gotcha is a real compile error."""
    for path in SERIES:
        module = tmp_path / f"{path.stem}.ts"
        module.write_text(re.sub(r"^\s*// @ts-expect-error.*$", "", ts.cells_as_module(path), flags=re.M))
        result = _typecheck(module)
        assert result.returncode != 0, f"{path.name}: its @ts-expect-error lines mark no errors"
        expected = {"00": ["'baseUrl' does not exist", "toUpperCase"], "01": ["Property 'text' does not exist"],
                    "02": ["Property 'messages' does not exist", "'name' does not exist"]}[path.name[:2]]
        for message in expected:
            assert message in result.stderr, f"{path.name}: expected the type error {message!r}"


def test_late_output_comes_before_the_idle_status():
    """Deno's kernel can publish a cell's last line after the cell's idle status; LateOutput hands it out first."""
    cell, sentinel_parent = "cell-1", "sentinel-1"
    sent = []

    def execute(code, store_history):
        sent.append((code, store_history))
        return sentinel_parent

    marker = []

    def message(kind, parent, **content):
        return {"msg_type": kind, "parent_header": {"msg_id": parent}, "content": content}

    queue = [message("stream", cell, name="stdout", text="a\n"), message("status", cell, execution_state="idle"),
             message("stream", cell, name="stdout", text="b\n")]

    def get(timeout=None):
        if not queue and sent and not marker:  # the sentinel ran: its marker and the late line come in one chunk
            text = re.search(r'console\.log\("([^"]+)"\)', sent[0][0]).group(1)
            marker.append(text)
            queue.extend([message("status", sentinel_parent, execution_state="busy"),
                          message("stream", sentinel_parent, name="stdout", text=f"c\n{text}\n"),
                          message("status", sentinel_parent, execution_state="idle")])
        return queue.pop(0)

    reader = ts.LateOutput(get, execute)
    got = [reader.get_iopub_msg() for _ in range(4)]
    assert [(m["msg_type"], m["content"].get("text") or m["content"].get("execution_state")) for m in got] == [
        ("stream", "a\n"), ("stream", "b\n"), ("stream", "c\n"), ("status", "idle")]
    assert all(m["parent_header"]["msg_id"] == cell for m in got), "late lines belong to the cell"
    assert sent[0][1] is False, "the sentinel stays out of the history"


def test_exercise_checkers_reject_wrong_answers_and_accept_the_solutions(stack):
    result = subprocess.run([str(ts.deno_bin()), "test", "--allow-all", "--config", str(CONFIG),
                             str(ROOT / "tests" / "ts" / "exercises_test.ts")],
                            capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, timeout=240, cwd=ROOT)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert re.search(r"ok \| 3 passed \| 0 failed", result.stdout), result.stdout[-1000:]


def test_lab_registers_the_kernel_into_this_environment(monkeypatch, tmp_path):
    """`letta-nb lab` with the ts extra writes the Deno kernelspec under sys.prefix (never the home folder)."""
    from letta_nb import cli

    class NoStack:
        def up(self, *args, **kwargs):
            pass

    prefix = tmp_path / "env"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(ts.sys, "prefix", str(prefix))
    monkeypatch.setattr(cli, "Stack", lambda *a, **k: NoStack())
    monkeypatch.setattr(cli.os, "execv", lambda path, argv: (_ for _ in ()).throw(SystemExit(0)))
    monkeypatch.chdir(ROOT)
    with pytest.raises(SystemExit):
        cli.main(["lab", "--no-browser"])
    assert (prefix / "share" / "jupyter" / "kernels" / "deno" / "kernel.json").is_file()
    assert not (tmp_path / "home").exists()


def test_letta_nb_notebooks_copies_the_track_too(tmp_path):
    from letta_nb import chapters

    listed = chapters.files()
    assert {"ts/00_client_and_messages.ipynb", "ts/deno.json", "ts/deno.lock", "ts/letta_nb.ts",
            "ts/solutions/ts00.ts"} <= set(listed)
    report = chapters.copy_chapters(tmp_path / "mine")
    assert report.chapters == len(list((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))), "ts chapters are no extra top-level chapters"
    assert (tmp_path / "mine" / "ts" / "solutions" / "ts01.ts").is_file()
    assert (tmp_path / "mine" / "ts" / "deno.lock").read_bytes() == (TRACK / "deno.lock").read_bytes()
