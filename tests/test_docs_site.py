"""The static site of the chapters (`make docs`, scripts/docs.py), built once into a temporary folder.

Checks: a page per chapter, in order, the README as the home page; widgets reduced to their stored text form;
every internal link of the site leads somewhere (and the check itself catches a broken one); and, in Debian's headless
chromium (as tests/test_browser.py: never `playwright install`), a chapter page shows a memory card with its usage bar.
Screenshot: artifacts/docs/chapter02.png. No Letta server is needed: the site executes nothing.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "docs"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
CHAPTERS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MEMORY_CARD_CHAPTER = "02_agents_and_memory_blocks"


def _docs_module():
    spec = importlib.util.spec_from_file_location("letta_nb_docs", ROOT / "scripts" / "docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("docs") / "site"
    started = time.monotonic()
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "docs.py"), "--site-dir", str(site)],
                            cwd=ROOT, capture_output=True, text=True, timeout=280, check=False)
    assert result.returncode == 0, f"scripts/docs.py failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    print(f"site built in {time.monotonic() - started:.0f} s: {result.stdout.strip()}")
    return site


def test_a_page_per_chapter_in_order_and_the_readme_as_home(site):
    assert len(CHAPTERS) == 17
    for name in CHAPTERS:
        assert (site / "notebooks" / name / "index.html").is_file(), f"no page for {name}"
    home = (site / "index.html").read_text()
    assert "Choosing a Letta" in home and "The local stack" in home, "the README is the home page"
    links = re.findall(r'href="(?:\./)?notebooks/(\d\d_[^/"]+)/"', home)
    order = list(dict.fromkeys(links))
    assert order == CHAPTERS, f"the navigation lists the chapters out of order or incompletely: {order}"
    chapter = (site / "notebooks" / "03_memory_architecture" / "index.html").read_text()
    assert "jp-OutputArea-output" in chapter and "lnb-card" in chapter, "stored outputs (cards) are on the page"


def test_widgets_show_their_stored_text(site):
    page = (site / "notebooks" / MEMORY_CARD_CHAPTER / "index.html").read_text()
    assert "lnb-w-snapshot" in page and "Core memory" in page, "the widget's static picture stands in for it"
    for name in CHAPTERS:
        html = (site / "notebooks" / name / "index.html").read_text()
        assert "application/vnd.jupyter.widget-view+json" not in html and "@jupyter-widgets/html-manager" not in html


def test_every_internal_link_of_the_site_leads_somewhere(site):
    assert _docs_module().check_links(site) == []
    page = (site / "notebooks" / "03_memory_architecture" / "index.html").read_text()
    assert 'href="../14_troubleshooting/#where-the-skill-and-letta-client-1121-differ"' in page, \
        "JupyterLab-style links between chapters point at the chapter's page and heading"
    own = (site / "notebooks" / "14_troubleshooting" / "index.html").read_text()
    assert 'href="#where-the-skill-and-letta-client-1121-differ"' in own, "and a chapter's links to its own headings too"


def test_the_link_check_catches_a_broken_link_and_anchor(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">x</h2><a href="#here">ok</a><a href="../b/">gone</a>'
                                               '<a href="#nowhere">bad anchor</a><a href="https://example.org/">out</a>')
    (tmp_path / "index.html").write_text('<a href="a/#here">ok</a><a href="a/#there">bad</a><img src="logo.png">')
    broken = _docs_module().check_links(tmp_path)
    assert len(broken) == 4, broken
    assert any("a/index.html: ../b/" in b for b in broken) and any("#nowhere" in b for b in broken)
    assert any("index.html: a/#there" in b for b in broken) and any("logo.png" in b for b in broken)


def test_a_chapter_page_shows_a_memory_card_in_chromium(site):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium with `apt-get install -y chromium` "
                    "(scripts/bootstrap.sh --browser does this)")
    from playwright.sync_api import expect, sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(30_000)
            # Only the site itself: no CDN (MathJax, fonts) is needed to show the stored outputs.
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
            try:
                page.goto(f"{base}/notebooks/{MEMORY_CARD_CHAPTER}/")
                card = page.locator(".lnb-card.lnb-c-block").first
                card.scroll_into_view_if_needed()
                expect(card).to_be_visible()
                expect(card.locator(".lnb-kind")).to_have_text("block")
                expect(card.locator(".lnb-bar")).to_be_visible()
                box = card.bounding_box()
                assert box and box["width"] > 200 and box["height"] > 50, f"the card is not laid out: {box}"
                border = card.evaluate("e => getComputedStyle(e).borderTopStyle")
                assert border != "none", "the card's own style (from its stored output) did not apply"
                hrefs = page.locator("nav.md-nav--primary a.md-nav__link").evaluate_all("els => els.map(e => e.href)")
                listed = list(dict.fromkeys(m.group(1) for h in hrefs if (m := re.search(r"/notebooks/(\d\d_[^/]+)/", h))))
                assert listed == CHAPTERS, f"the navigation beside the page lists the chapters in order: {listed}"
                page.screenshot(path=ARTIFACTS / "chapter02.png")
            except Exception:
                page.screenshot(path=ARTIFACTS / "failure.png")
                raise
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
