"""The chapters outside a checkout: ``letta-nb notebooks [DIR]`` copies them from the installed package into a folder.

A wheel carries the chapters as ``letta_nb/_notebooks`` (hatch_build.py puts them there); a checkout reads its own
``notebooks/``. What is copied is what a chapter needs: the numbered notebooks, the helper modules they import and the
reference solutions (``solutions/``, which ``letta_nb.exercises.solution`` finds beside the chapters).

Copying again never loses work: a file you changed (ran, edited, saved) is kept unless ``force``; a file still as it
was copied is updated when the installed letta-nb brings a newer version of it. A small manifest in the folder
(``.letta-nb-chapters.json``) remembers what was copied, so the two cases can be told apart.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .words import plural

# The same patterns as hatch_build.py (what the wheel ships).
# The TypeScript track (notebooks/ts/) ships too: its chapters, helpers, solutions and the SDK pin (deno.json, deno.lock).
PATTERNS = ("[0-9][0-9]_*.ipynb", "nb[0-9]*_*.py", "solutions/*.py",
            "ts/[0-9][0-9]_*.ipynb", "ts/*.ts", "ts/solutions/*.ts", "ts/deno.json", "ts/deno.lock")
CHAPTER_PATTERN = PATTERNS[0]
DEFAULT_DIR = "letta-nb-notebooks"
MANIFEST = ".letta-nb-chapters.json"

_PACKAGED = Path(__file__).resolve().parent / "_notebooks"
_CHECKOUT = Path(__file__).resolve().parent.parent / "notebooks"


def source_dir() -> Path:
    """Where the chapters of this installation are: the wheel's copy, else the checkout's ``notebooks/``."""
    for candidate in (_PACKAGED, _CHECKOUT):
        if any(candidate.glob(CHAPTER_PATTERN)):
            return candidate
    raise FileNotFoundError(
        f"this letta-nb installation has no chapters (looked in {_PACKAGED} and {_CHECKOUT}); "
        'reinstall it from PyPI with `pip install --force-reinstall "letta-nb[lab]"`')


def files(root: Path | None = None) -> list[str]:
    """The relative paths (posix) of everything that is copied, sorted: chapters first, then helpers, solutions."""
    root = source_dir() if root is None else root
    found = {path.relative_to(root).as_posix() for pattern in PATTERNS for path in root.glob(pattern) if path.is_file()}
    return sorted(found, key=lambda rel: (not rel.endswith(".ipynb"), "/" in rel, rel))


def has_chapters(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob(CHAPTER_PATTERN))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class CopyReport:
    dest: Path
    copied: list[str] = field(default_factory=list)     # new in the folder
    updated: list[str] = field(default_factory=list)    # unchanged by you, replaced by the installed version
    replaced: list[str] = field(default_factory=list)   # changed by you, replaced because of force
    kept: list[str] = field(default_factory=list)       # changed by you, left alone
    current: list[str] = field(default_factory=list)    # already the installed version

    @property
    def chapters(self) -> int:
        return sum(1 for rel in self.copied + self.updated + self.replaced + self.kept + self.current
                   if "/" not in rel and rel.endswith(".ipynb"))

    def lines(self) -> list[str]:
        out = [(f"{self.chapters} chapters in {self.dest}: {_n(self.copied)} copied, {len(self.updated)} updated, "
                f"{len(self.current)} already up to date.")]
        if self.replaced:
            out.append(f"Replaced {_n(self.replaced)} you had changed (--force): {', '.join(self.replaced)}")
        if self.kept:
            out.append(f"Kept {_n(self.kept)} you changed: {', '.join(self.kept)}")
            out.append("  (`letta-nb notebooks --force` replaces them with the installed version; your changes are lost)")
        return out


def _n(names: list[str]) -> str:
    return plural(len(names), "file")


def copy_chapters(dest: Path | str = DEFAULT_DIR, *, force: bool = False) -> CopyReport:
    """Copy the chapters (and what they read) into ``dest``; never overwrite a file you changed unless ``force``."""
    source = source_dir()
    dest = Path(dest).expanduser().resolve()
    if dest == source.resolve():
        raise ValueError(f"{dest} is where the chapters come from; choose another folder")
    if dest.exists() and not dest.is_dir():
        raise NotADirectoryError(f"{dest} exists and is not a folder")
    manifest_path = dest / MANIFEST
    try:
        written = json.loads(manifest_path.read_text())["files"]
    except (OSError, ValueError, KeyError, TypeError):
        written = {}
    report = CopyReport(dest)
    for rel in files(source):
        src, target = source / rel, dest / rel
        new = _digest(src)
        if not target.exists():
            bucket = report.copied
        else:
            have = _digest(target)
            if have == new:
                report.current.append(rel)
                written[rel] = new
                continue
            if written.get(rel) == have:
                bucket = report.updated
            elif force:
                bucket = report.replaced
            else:
                report.kept.append(rel)
                continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
        written[rel] = new
        bucket.append(rel)
    dest.mkdir(parents=True, exist_ok=True)
    manifest_path.write_text(json.dumps({"source": "letta-nb", "files": written}, indent=1, sort_keys=True) + "\n")
    return report
