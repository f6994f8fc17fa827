"""Report, per chapter (``notebooks/NN_*.ipynb``), how long it reads and what its stored outputs hold.

Usage: ``uv run --frozen --extra lab python scripts/chapter_report.py [--json] [--check] [NOTEBOOK ...]``. Columns:
- words: words of prose in the markdown cells (fenced code blocks, HTML tags and comments, link targets left out); a
  word is a whitespace-separated token with a letter or digit in it (so table rules and bullets don't count).
- code cells: the number of code cells. est. minutes: words / 200 + 1 per code cell, rounded to one decimal.
- command phrases: the offline model's explicit command phrases (``call TOOL {json}``, ``remember in LABEL:``,
  ``replace "A" with "B" in LABEL``, ``archive:``, ``search archival for``, ``search conversation for``, ``echo:``)
  inside the string literals of code cells (comments don't count; f-strings count by their literal text).
- hint outputs: stored outputs whose text holds the word "hint" or "solution" (any case, or plural; not a call to
  ``hint(...)``, which only invites the learner to ask), one per output;
  an output's text is its text/plain, text/html (tags left out) and stream text together.
- version notes: markdown paragraphs that speak of a version (``0.16.8``, ``1.12``, "the Skill says/shows/uses/writes/calls",
  "on the local stack", "local stack only", "on (Letta) Cloud", "Letta Cloud ... retired/answers 4xx") outside the one callout style. callouts: blockquotes that
  open with ``**On the local stack**`` or ``**The Skill vs SDK 1.12**`` (the one style for a version note). Chapter 14,
  whose table is where the version notes of the series live, is left out of both goals.
- empty outputs: stored outputs whose text is empty or whitespace (an empty stream among a cell's other outputs too;
  an output with no text at all, an image, doesn't count). one-word streams: stream outputs of one word after strip.

Goals (from the project's issue): every chapter at most 25 estimated minutes; at most 5 command phrases in the whole
series; no version note outside a callout and at most 2 callouts per chapter; no hint or solution text in stored outputs; no empty or one-word outputs. The report never fails on them;
``--check`` exits 1 and lists (on stderr) the goals that are unmet.
"""

import argparse
import ast
import json
import re
import sys
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
COLUMNS = ["words", "code cells", "est. minutes", "command phrases", "version notes", "callouts", "hint outputs",
           "empty outputs", "one-word streams"]
PHRASES = re.compile(r"\bcall \w+ \{|\bremember in \w+\s*:|\breplace [\"'][^\"']*[\"'] with [\"'][^\"']*[\"'] in \w+"
                     r"|\barchive:|\bsearch archival for\b|\bsearch conversation for\b|\becho:", re.I)
HINT = re.compile(r"\b(?:hints?|solutions?)\b(?!\()", re.I)  # the word, not the invitation to call hint(...)
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)", re.M | re.S)
TAG = re.compile(r"<!--.*?-->|<[^>\n]+>", re.S)
VERSION = re.compile(r"0\.16\.8|\b1\.12\b|\bSkill (?:says|shows|uses|writes|calls)\b|\bon the local stack\b"
                     r"|\blocal stack only\b|\bon (?:Letta )?Cloud\b"
                     r"|Letta Cloud\b[^.]*\b(?:retire[sd]?|answers 4\d\d)", re.I)
CALLOUT = re.compile(r"^>\s*\*\*(?:On the local stack|The Skill vs SDK 1\.12)\*\*")
VERSION_HOME = "14_"  # chapter 14's table gathers the version notes: the goals on them don't apply there
MAX_MINUTES, MAX_PHRASES, MAX_CALLOUTS = 25, 5, 2


def chapter_paths(folder: Path = NOTEBOOKS) -> list[Path]:
    """The chapter notebooks, in order."""
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def prose_words(markdown: str) -> int:
    """Words of prose in one markdown cell's source."""
    text = re.sub(r"\]\([^)]*\)", "] ", TAG.sub(" ", FENCE.sub(" ", markdown)))  # of [label](target), only the label
    return sum(1 for token in text.split() if re.search(r"[^\W_]", token))


def paragraphs(markdown: str) -> list[str]:
    """One markdown cell's paragraphs (blank-line separated; a blockquote's lines stay together), code fences left out."""
    return [p.strip() for p in re.split(r"\n[ \t>]*\n", FENCE.sub(" ", markdown)) if p.strip()]


def version_notes(markdown: str) -> tuple[int, int]:
    """(version notes outside a callout, callouts) in one markdown cell."""
    found = [p for p in paragraphs(markdown) if VERSION.search(p) or CALLOUT.match(p)]
    callouts = sum(1 for p in found if CALLOUT.match(p))
    return len(found) - callouts, callouts


def string_literals(code: str) -> list[str]:
    """The string literals of one code cell (an f-string as its literal text); the whole source if it doesn't parse."""
    try:
        tree = ast.parse(re.sub(r"(?m)^[ \t]*[%!].*$", "", code))  # IPython magics and shell lines left out
    except SyntaxError:
        return [code]
    found, inside = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and id(node) not in inside:
            inside.update(id(child) for child in ast.walk(node))
            found.append("".join(v.value if isinstance(v, ast.Constant) else "{…}" for v in node.values))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in inside:
            found.append(node.value)
    return found


def command_phrases(code: str) -> int:
    """Occurrences of the explicit command phrases inside one code cell's string literals."""
    return sum(len(PHRASES.findall(text)) for text in string_literals(code))


def output_text(output: dict) -> str | None:
    """An output's text (text/plain, text/html without tags, stream text), or None if it carries no text at all."""
    if output.get("output_type") == "stream":
        return output.get("text", "")
    data = output.get("data", {})
    if not data.keys() & {"text/plain", "text/html"}:
        return None if data else ""
    return data.get("text/plain", "") + "\n" + TAG.sub(" ", data.get("text/html", ""))


def is_one_word_stream(output: dict) -> bool:
    """A stream output whose stripped text is a single word."""
    return output.get("output_type") == "stream" and len(output.get("text", "").split()) == 1


def chapter_row(nb: nbformat.NotebookNode, name: str) -> dict:
    """One chapter's row of the report."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    texts = [output_text(o) for c in code for o in c.get("outputs", [])]
    words = sum(prose_words(c.source) for c in nb.cells if c.cell_type == "markdown")
    minutes = round(words / 200 + len(code), 1)
    notes = [version_notes(c.source) for c in nb.cells if c.cell_type == "markdown"]
    return {"chapter": name, "words": words, "code cells": len(code), "est. minutes": minutes,
            "command phrases": sum(command_phrases(c.source) for c in code),
            "version notes": sum(n for n, _ in notes), "callouts": sum(k for _, k in notes),
            "hint outputs": sum(1 for t in texts if t is not None and HINT.search(t)),
            "empty outputs": sum(1 for t in texts if t is not None and not t.strip()),
            "one-word streams": sum(is_one_word_stream(o) for c in code for o in c.get("outputs", []))}


def totals_row(rows: list[dict]) -> dict:
    """The sums of the columns over all chapters."""
    return {"chapter": "total", **{col: round(sum(r[col] for r in rows), 1) for col in COLUMNS}}


def report(paths: list[Path]) -> list[dict]:
    """One row per chapter notebook, then the totals row."""
    rows = [chapter_row(nbformat.read(p, as_version=4), p.stem) for p in paths]
    return rows + [totals_row(rows)]


def markdown_table(rows: list[dict]) -> str:
    """The report as a Markdown table."""
    lines = ["| chapter | " + " | ".join(COLUMNS) + " |", "|---|" + "---:|" * len(COLUMNS)]
    lines += [f"| {r['chapter']} | " + " | ".join(str(r[c]) for c in COLUMNS) + " |" for r in rows]
    return "\n".join(lines)


def unmet_goals(rows: list[dict]) -> list[str]:
    """The goals the chapters miss, one line each (rows end with the totals row)."""
    *chapters, total = rows
    unmet = [f"{r['chapter']}: {r['est. minutes']} estimated minutes (goal: at most {MAX_MINUTES})"
             for r in chapters if r["est. minutes"] > MAX_MINUTES]
    if total["command phrases"] > MAX_PHRASES:
        unmet.append(f"{total['command phrases']} command phrases in the series (goal: at most {MAX_PHRASES})")
    for r in chapters:
        if r["chapter"].startswith(VERSION_HOME):
            continue
        if r["version notes"]:
            unmet.append(f"{r['chapter']}: {r['version notes']} version notes outside a callout (goal: none; "
                         f"chapter 14's table holds the rest)")
        if r["callouts"] > MAX_CALLOUTS:
            unmet.append(f"{r['chapter']}: {r['callouts']} callouts (goal: at most {MAX_CALLOUTS})")
    for col, what in [("hint outputs", "stored outputs with hint or solution text"),
                      ("empty outputs", "empty stored outputs"), ("one-word streams", "one-word stream outputs")]:
        if total[col]:
            where = ", ".join(f"{r['chapter']} ({r[col]})" for r in chapters if r[col])
            unmet.append(f"{total[col]} {what} (goal: none): {where}")
    return unmet


def main(argv: list[str] | None = None) -> int:
    """Print the report; with --check, list the unmet goals on stderr and return 1 if there are any."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="chapter notebooks (default: notebooks/NN_*.ipynb)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON instead of a Markdown table")
    parser.add_argument("--check", action="store_true", help="exit 1 and list the unmet goals if any")
    args = parser.parse_args(argv)
    rows = report(args.notebooks or chapter_paths())
    print(json.dumps(rows, indent=2) if args.json else markdown_table(rows))
    unmet = unmet_goals(rows) if args.check else []
    if args.check:
        print("\n".join(["Unmet goals:", *(f"- {u}" for u in unmet)]) if unmet else "All goals met.", file=sys.stderr)
    return 1 if unmet else 0


if __name__ == "__main__":
    sys.exit(main())
