"""Build the static site of the chapters (`make docs`): python scripts/docs.py [--site-dir site] [--keep-stage DIR].

Executes nothing: the chapters show the outputs stored in them (cards, transcripts, memory diffs), rendered by
mkdocs-jupyter with mkdocs-material. The steps:

1. Lay out the pages in a staging folder, mirroring the repository so that the README's links keep working: the README
   as the home page (index.md), docs/*.md, and the chapters notebooks/NN_*.ipynb. A widget's stored view needs a live
   kernel, so its output keeps only its stored text form (text/plain, text/html), as nbval compares it. Files that the
   pages link to but that are no pages (letta_nb/local/offline/__init__.py) are copied as they are.
2. `mkdocs build --strict` with mkdocs.yml as the base and the navigation in chapter order: a warning fails the build,
   among them a Markdown page's link to a page or an anchor that does not exist. scripts/docs_hooks.py builds each
   chapter's table of contents from its rendered headings.
3. The chapters link to each other as JupyterLab does (``03_memory_architecture.ipynb#List-passages-...``); such a
   link becomes a link to the chapter's page and its heading there, and a link to a heading of the same chapter
   (``#Version-notes``) to that heading's id on the page. A chapter's link to a page of docs/
   (``../docs/where-letta-stands.md``) becomes a link to that page.
4. Every internal link and anchor of every page of the built site is checked (mkdocs does not look into notebook
   pages); one that leads nowhere fails the build, with the page and the link.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = "notebooks/[0-9][0-9]_*.ipynb"
GUIDES = "docs/*.md"
STANDS = "where-letta-stands.md"  # the page on Letta's versions, next to Home in the navigation
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1>", re.DOTALL)
ID_ATTR = re.compile(r"""\b(?:id|name)=["']([^"']+)["']""")
URL_ATTR = re.compile(r"""\b(?:href|src)=["']([^"']*)["']""")
CHAPTER_LINK = re.compile(r"^(?:\./)?(\d\d_[^/#?]+)\.ipynb(?:#(.*))?$")
GUIDE_LINK = re.compile(r"^\.\./docs/([^/#?]+)\.md(#.*)?$")  # a chapter's link to a page of docs/, as JupyterLab opens it


# ------------------------------------------------------------------------------------------------ 1. the pages
def strip_widget_views(nb: dict) -> int:
    """Drop widget views (they need a kernel) and the widget state; their outputs keep text/plain and text/html."""
    dropped = 0
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
                dropped += 1
                if not data:
                    data["text/plain"] = "(an interactive widget: run the chapter in JupyterLab to use it)"
    return dropped


def chapter_title(nb: dict, fallback: str) -> str:
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            match = re.search(r"(?m)^#\s+(.+?)\s*$", "".join(cell.get("source", "")))
            if match:
                return re.sub(r"[`*_]", "", match.group(1))
    return fallback


def _linked_files(page_source: Path, text: str) -> list[Path]:
    """Repository files that a Markdown page links to relatively (without anchor or query)."""
    found = []
    for target in MD_LINK.findall(text):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            continue
        path = (page_source.parent / unquote(parts.path)).resolve()
        if path.is_file() and ROOT in path.parents:
            found.append(path)
    return found


def stage(dest: Path) -> list:
    """Lay out the pages under dest/docs; return the navigation."""
    docs = dest / "docs"
    docs.mkdir(parents=True)
    pages: dict[Path, Path] = {ROOT / "README.md": docs / "index.md"}  # repository file -> staged page
    for path in sorted(ROOT.glob(GUIDES)):
        pages[path] = docs / path.relative_to(ROOT)
    chapters = []
    for path in sorted(ROOT.glob(CHAPTERS)):
        nb = json.loads(path.read_text())
        strip_widget_views(nb)
        target = docs / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n")
        chapters.append({chapter_title(nb, path.stem): path.relative_to(ROOT).as_posix()})
    for source, target in pages.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text()
        target.write_text(text)
        for linked in _linked_files(source, text):
            if linked in pages or linked.match(CHAPTERS):
                continue
            # The README's home page sits where the README does, so a link such as letta_nb/local/offline/__init__.py
            # still points at the same relative path: copy that file there (served as it is).
            copy = docs / linked.relative_to(ROOT)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(linked, copy)
    guides = [path.relative_to(ROOT).as_posix() for path in sorted(ROOT.glob(GUIDES)) if path.name != STANDS]
    return [{"Home": "index.md"}, {"Where Letta stands": f"docs/{STANDS}"}, {"Chapters": chapters}, {"Guides": guides}]


# ------------------------------------------------------------------------------------------------ 2. mkdocs
def build(site: Path, work: Path) -> None:
    nav = stage(work)
    config = work / "mkdocs.yml"
    # JSON is YAML: no PyYAML needed here. INHERIT: theme, plugins and extensions come from the repository's mkdocs.yml.
    config.write_text(json.dumps({"INHERIT": str(ROOT / "mkdocs.yml"), "docs_dir": "docs", "site_dir": str(site),
                                  "hooks": [str(ROOT / "scripts" / "docs_hooks.py")], "nav": nav}, indent=1))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(config)],
                            cwd=work, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"docs: mkdocs build --strict failed (exit {result.returncode}); the warnings are above")


# ------------------------------------------------------------------------------------------------ 3. chapter links
def _heading_ids(page: str) -> dict[str, str]:
    """For each heading of a rendered chapter: JupyterLab's id for it (its text, spaces as '-') -> its id here."""
    ids = {}
    for _, attrs, inner in HEADING.findall(page):
        found = ID_ATTR.search(attrs)
        if not found:
            continue
        text = html.unescape(re.sub(r"<[^>]+>", "", inner)).replace("¶", "").strip()
        ids[text.replace(" ", "-")] = html.unescape(found.group(1))
        ids[html.unescape(found.group(1))] = html.unescape(found.group(1))
    return ids


def relink_chapters(site: Path) -> int:
    """Rewrite the chapters' links to one another (JupyterLab style) into links to their pages and headings."""
    pages = {path.parent.name: path for path in sorted((site / "notebooks").glob("[0-9][0-9]_*/index.html"))}
    headings = {name: _heading_ids(path.read_text()) for name, path in pages.items()}
    changed = 0

    def fix(match: re.Match) -> str:
        nonlocal changed
        url = html.unescape(match.group(2))
        guide = GUIDE_LINK.match(url)
        if guide:
            changed += 1
            return f"{match.group(1)}../../docs/{guide.group(1)}/{html.escape(guide.group(2) or '', quote=True)}{match.group(3)}"
        link = CHAPTER_LINK.match(url)
        if not link or link.group(1) not in pages:
            return match.group(0)
        name, fragment = link.group(1), link.group(2)
        new = f"../{name}/"
        if fragment is not None:
            fragment = unquote(fragment)
            new += "#" + html.escape(headings[name].get(fragment, fragment), quote=True)  # unknown: the check says so
        changed += 1
        return f"{match.group(1)}{new}{match.group(3)}"

    for name, path in pages.items():
        def own(match: re.Match, name=name) -> str:
            """A link to a heading of the same chapter (``#Heading-text``), as JupyterLab writes it."""
            nonlocal changed
            fragment = unquote(html.unescape(match.group(2))[1:])
            if fragment not in headings[name] or headings[name][fragment] == fragment:
                return match.group(0)
            changed += 1
            return f"{match.group(1)}#{html.escape(headings[name][fragment], quote=True)}{match.group(3)}"

        text = re.sub(r"""(\bhref=["'])([^"']*)(["'])""", fix, path.read_text())
        path.write_text(re.sub(r"""(\bhref=["'])(#[^"']+)(["'])""", own, text))
    return changed


# ------------------------------------------------------------------------------------------------ 4. link check
def check_links(site: Path) -> list[str]:
    """Every internal href/src of every page must lead to a file of the site, and its #anchor to an id there."""
    site = site.resolve()
    ids: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            ids[path] = {html.unescape(i) for i in ID_ATTR.findall(path.read_text(errors="replace"))}
        return ids[path]

    broken = []
    for page in sorted(site.rglob("*.html")):
        for raw in URL_ATTR.findall(page.read_text(errors="replace")):
            url = html.unescape(raw).strip()
            parts = urlsplit(url)
            if not url or parts.scheme or parts.netloc or url.startswith("//"):
                continue  # external (https:, mailto:, data:, javascript:): not this check's business
            if parts.path:
                base = site if parts.path.startswith("/") else page.parent
                target = (base / unquote(parts.path).lstrip("/")).resolve()
                if target.is_dir():
                    target = target / "index.html"
            else:
                target = page
            where = page.relative_to(site).as_posix()
            if site != target and site not in target.parents:
                broken.append(f"{where}: {url} leaves the site")
            elif not target.is_file():
                broken.append(f"{where}: {url} (no {target.relative_to(site).as_posix()})")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids_of(target):
                broken.append(f"{where}: {url} (no anchor #{unquote(parts.fragment)} in "
                              f"{target.relative_to(site).as_posix()})")
    return broken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site-dir", default=str(ROOT / "site"), help="where the site goes (default: site/)")
    parser.add_argument("--keep-stage", help="lay out the pages in this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)
    site = Path(args.site_dir).resolve()
    started = time.monotonic()
    if args.keep_stage:
        work = Path(args.keep_stage).resolve()
        shutil.rmtree(work, ignore_errors=True)
        build(site, work)
    else:
        with tempfile.TemporaryDirectory(prefix="letta-nb-docs-") as tmp:
            build(site, Path(tmp))
    relinked = relink_chapters(site)
    broken = check_links(site)
    if broken:
        print(f"docs: {len(broken)} broken internal link(s):", *broken, sep="\n  ", file=sys.stderr)
        return 1
    pages = len(list(site.rglob("index.html")))
    print(f"docs: {pages} pages in {site} ({relinked} links between chapters), every internal link checked, "
          f"in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
