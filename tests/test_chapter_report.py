"""scripts/chapter_report.py: each count on a small chapter built here, the goals check, and one run on the real
chapters. Needs no server (fast tier)."""

import json
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "chapter_report.py"
sys.path.insert(0, str(ROOT / "scripts"))

import chapter_report as report  # noqa: E402

MARKDOWN = """# Title

This is **plain** prose with a [link](https://example.com/a b).

```python
print("these words are code, not prose")
```

<div class="note">Tagged text</div> <!-- a hidden comment -->

| a | b |
|---|---|
"""  # Title, This is **plain** prose with a [link], Tagged text, a b: 12 words
CELL_1 = """%matplotlib inline
# call in_a_comment {"x": 1}
send(agent, 'call add_todo {"item": "milk"}')
send(agent, "remember in human: likes tea")
send(agent, 'replace "tea" with "coffee" in human')
"""  # 3 phrases (the comment doesn't count)
CELL_2 = """for line in lines:
    send(agent, f"archive: {line} #notes")
send(agent, "search archival for tea")
send(agent, "Search conversation for milk")
send(agent, "echo: hi")
note = "archiving is fun; search for it; call me maybe"
"""  # 4 phrases
CELL_3 = "!pip install something\nprint('echo: from a cell with a shell line')\n"  # 1 phrase
CELL_4 = "def broken(:\n    x = 'echo: in a cell that does not parse'\n"  # 1 phrase, from the raw source


def chapter() -> nbformat.NotebookNode:
    """A chapter with 14 words, 4 code cells, 9 phrases, 2 hint outputs, 2 empty outputs and 2 one-word streams."""
    return new_notebook(cells=[
        new_markdown_cell(MARKDOWN),
        new_code_cell(CELL_1, outputs=[
            new_output("stream", name="stdout", text="hello world\n"),
            new_output("stream", name="stdout", text="\n"),  # empty stream among other outputs
            new_output("display_data", data={"text/plain": ""}),  # empty
            new_output("stream", name="stdout", text="Done\n"),  # one word
        ]),
        new_markdown_cell("Two more."),
        new_code_cell(CELL_2, outputs=[
            new_output("execute_result", data={"text/plain": "hint: use x", "text/html": "<b>Hint</b>: use x"},
                       execution_count=1),  # one hint output, though the word is in both
            new_output("display_data", data={"image/png": "iVBORw0KGgo="}),  # no text: not empty
            new_output("stream", name="stdout", text="The Solution is 4\n"),  # hint
            new_output("stream", name="stdout", text="Hinterland\n"),  # one word, not a hint
            new_output("display_data", data={"text/html": '<div class="hint-box">ok</div>'}),  # hint only in a tag
        ]),
        new_code_cell(CELL_3),
        new_code_cell(CELL_4),
    ])


def test_prose_words_leave_out_code_blocks_tags_and_link_targets():
    assert report.prose_words(MARKDOWN) == 12
    assert report.prose_words("~~~\nfenced with tildes\n~~~\nonly these four words") == 4
    assert report.prose_words("- done, don't stop — ok") == 4


def test_command_phrases_count_string_literals_only():
    assert [report.command_phrases(c) for c in (CELL_1, CELL_2, CELL_3, CELL_4)] == [3, 4, 1, 1]
    assert report.command_phrases('x = 1  # echo: not a string') == 0
    assert report.command_phrases('s = f"call {name} {{}}" + "call memory_insert {" + f"call memory_replace {{"') == 2


def test_output_text_and_one_word_streams():
    assert report.output_text(new_output("display_data", data={"image/png": "iVBORw0KGgo="})) is None
    assert report.output_text(new_output("display_data", data={})) == ""
    assert report.output_text(new_output("stream", name="stdout", text=" \n")) == " \n"
    assert report.is_one_word_stream(new_output("stream", name="stdout", text=" ok\n"))
    assert not report.is_one_word_stream(new_output("stream", name="stdout", text="two words"))
    assert not report.is_one_word_stream(new_output("stream", name="stdout", text="\n"))
    assert not report.is_one_word_stream(new_output("execute_result", data={"text/plain": "7"}, execution_count=1))


def test_chapter_row_counts_each_column_exactly():
    assert report.chapter_row(chapter(), "99_test") == {
        "chapter": "99_test", "words": 14, "code cells": 4, "est. minutes": 4.1, "command phrases": 9,
        "version notes": 0, "callouts": 0, "hint outputs": 2, "empty outputs": 2, "one-word streams": 2}


VERSIONED = """The agent remembers.

On letta 0.16.8 the route answers 404, a quirk of the server.

> **On the local stack** the sandbox has no internet.
> It says so on a second line.

> **The Skill vs SDK 1.12** `passages.list(query_text=...)` is gone.

The Skill calls `passages.list`, which the SDK dropped.

```python
print("0.16.8 inside a code fence is not prose")
```

The Letta API Client Skill names this concept; naming the Skill is not a version note.
"""


def test_version_notes_outside_the_callout_style_and_callouts():
    assert report.version_notes(VERSIONED) == (2, 2)
    assert report.version_notes("> **On the local stack** one\n\n> **On the local stack** two\n\n"
                                "> **On the local stack** three") == (0, 3)
    noisy = new_notebook(cells=[new_markdown_cell(VERSIONED), new_markdown_cell("> **On the local stack** again")])
    rows = [report.chapter_row(noisy, "03_noisy"), report.chapter_row(noisy, "14_troubleshooting")]
    unmet = report.unmet_goals(rows + [report.totals_row(rows)])
    assert unmet == ["03_noisy: 2 version notes outside a callout (goal: none; chapter 14's table holds the rest)",
                     "03_noisy: 3 callouts (goal: at most 2)"]  # chapter 14 is their home: no goal there


def test_totals_and_goals():
    long = new_notebook(cells=[new_markdown_cell("word " * 1000)] + [new_code_cell("x = 1") for _ in range(21)])
    rows = [report.chapter_row(chapter(), "98_test"), report.chapter_row(long, "99_long")]
    total = report.totals_row(rows)
    assert total == {"chapter": "total", "words": 1014, "code cells": 25, "est. minutes": 30.1,
                     "command phrases": 9, "version notes": 0, "callouts": 0, "hint outputs": 2, "empty outputs": 2, "one-word streams": 2}
    unmet = report.unmet_goals(rows + [total])
    assert len(unmet) == 5 and unmet[0].startswith("99_long: 26.0 estimated minutes")
    clean = new_notebook(cells=[new_markdown_cell("Short and clean."), new_code_cell("print('fine output')")])
    clean_row = report.chapter_row(clean, "00_clean")
    assert report.unmet_goals([clean_row, report.totals_row([clean_row])]) == []


def test_check_exits_1_only_with_check(tmp_path, capsys):
    path = tmp_path / "01_test.ipynb"
    nbformat.write(chapter(), path)
    assert report.main([str(path)]) == 0
    assert "| 01_test | 14 | 4 | 4.1 | 9 | 0 | 0 | 2 | 2 | 2 |" in capsys.readouterr().out
    assert report.main([str(path), "--check", "--json"]) == 1
    out, err = capsys.readouterr()
    assert [r["chapter"] for r in json.loads(out)] == ["01_test", "total"]
    assert "Unmet goals:" in err and "9 command phrases" in err


def test_the_real_chapters_one_row_each():
    chapters = sorted(ROOT.glob("notebooks/[0-9][0-9]_*.ipynb"))
    result = subprocess.run([sys.executable, str(SCRIPT), "--json"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["chapter"] for r in rows] == [p.stem for p in chapters] + ["total"]
    assert len(chapters) >= 1
    for row in rows:
        assert all(isinstance(row[c], int | float) and row[c] >= 0 for c in report.COLUMNS), row
    assert rows[-1]["words"] == sum(r["words"] for r in rows[:-1])
