"""Store a chapter's outputs: execute it on the local stack, then join each cell's consecutive stream outputs into one.

    uv run python scripts/store.py notebooks/08_streaming.ipynb [more.ipynb ...]

nbconvert keeps every `print(..., flush=True)` of a streamed reply as an output of its own (one word each); nbval
joins them before it compares, so a stored notebook may hold them joined, as a reader wants to see them.
A display with no data at all (a live area of `letta_nb.stream`, emptied once its message was shown) is dropped:
nbval compares an output by its data, so a display without any adds nothing to compare.
Ids, timestamps and durations are stored already normalised, by the rules of notebooks/sanitize.cfg that nbval
applies when it compares (`agent-<id>`, `<timestamp>`, `<duration>`): a reader on GitHub or the docs site sees no
value that changes from run to run. In HTML the placeholder is escaped (`&lt;id&gt;`); sanitize.cfg maps it back.
"""

from __future__ import annotations

import configparser
import html
import re
import subprocess
import sys
from pathlib import Path

import nbformat

SANITIZE = Path(__file__).resolve().parents[1] / "notebooks" / "sanitize.cfg"
# Rules that only nbval needs: the timeline's bar geometry would be lost, and the stored form maps back by itself.
COMPARE_ONLY = {"timeline-bars", "stored-placeholders"}


def _rules() -> list[tuple[re.Pattern, str]]:
    config = configparser.ConfigParser(interpolation=None)
    config.read(SANITIZE)
    return [(re.compile(config[name]["regex"]), config[name]["replace"]) for name in config.sections()
            if name not in COMPARE_ONLY]


def scrub(outputs: list, rules: list[tuple[re.Pattern, str]] | None = None) -> list:
    """The outputs with ids, timestamps and durations replaced by sanitize.cfg's placeholders (escaped in HTML)."""
    rules = _rules() if rules is None else rules

    def clean(text: str, markup: bool) -> str:
        for pattern, replace in rules:
            text = pattern.sub(lambda m, r=replace: html.escape(m.expand(r)) if markup else m.expand(r), text)
        return text

    for output in outputs:
        if output.get("output_type") == "stream":
            output["text"] = clean(output["text"], False)
        for kind, value in (output.get("data") or {}).items():
            if kind in ("text/plain", "text/html", "text/markdown") and isinstance(value, str):
                output["data"][kind] = clean(value, kind == "text/html")
    return outputs


def coalesce(outputs: list) -> list:
    """Consecutive stream outputs of the same stream (stdout, stderr) as one."""
    joined: list = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (output.get("output_type") == "stream" and previous is not None and previous.get("output_type") == "stream"
                and previous.get("name") == output.get("name")):
            previous["text"] = previous["text"] + output["text"]
        else:
            joined.append(output)
    return joined


def without_empty_displays(outputs: list) -> list:
    """The outputs less the displays that hold no data at all."""
    return [o for o in outputs if not (o.get("output_type") == "display_data" and not o.get("data"))]


def store(path: Path) -> None:
    if nbformat.read(path, as_version=4).metadata.get("kernelspec", {}).get("name") == "deno":
        from letta_nb import ts  # the TypeScript track (notebooks/ts/): Deno's kernel, read so no late line is lost

        ts.execute_notebook(path)
    else:
        subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace", str(path)],
                       check=True)
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = scrub(coalesce(without_empty_displays(cell.outputs)))
    nbformat.write(notebook, path)


if __name__ == "__main__":
    for name in sys.argv[1:] or sys.exit(__doc__):
        store(Path(name))
