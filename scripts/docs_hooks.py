"""mkdocs hooks for the site of the chapters (scripts/docs.py adds this file to the build's configuration).

mkdocs-jupyter builds a chapter's table of contents from the notebook's Markdown with inline code removed, while the
page's headings keep it: "The same with `letta_nb`" is listed as "The same with" and links to #the-same-with, but
the heading's id is the-same-with-letta_nb. Here the table of contents is rebuilt from the headings of the rendered
page itself (those of the Markdown cells, the ones with an anchor link), so its entries and links are the page's.
"""

from __future__ import annotations

import html
import re

from mkdocs.structure.toc import get_toc

HEADING = re.compile(r"<h([1-6])\b[^>]*\bid=\"([^\"]+)\"[^>]*>(.*?)</h\1>", re.DOTALL)


def toc_tokens(page_html: str) -> list[dict]:
    roots: list[dict] = []
    stack: list[dict] = []
    for level, anchor, inner in HEADING.findall(page_html):
        if 'class="anchor-link"' not in inner:
            continue  # a heading inside an output, not one of the chapter's own
        text = html.unescape(re.sub(r"<[^>]+>", "", inner)).replace("¶", "").strip()
        token = {"level": int(level), "id": html.unescape(anchor), "name": html.escape(text), "children": []}
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else roots).append(token)
        stack.append(token)
    return roots


def on_page_content(page_html, page, config, files):
    if page.file.src_uri.endswith(".ipynb"):
        tokens = toc_tokens(page_html)
        if tokens:
            page.toc = get_toc(tokens)
    return page_html
