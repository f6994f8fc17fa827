"""A safe markdown subset for assistant text: paragraphs, **bold**, *em*, `code`, fenced code, lists, headings.

markdown-it-py (CommonMark) parses with only those rules enabled, so raw HTML, links, images, autolinks, entities and
backslash escapes stay literal text; every piece of text is escaped when rendered. No input can inject markup
(``<script>`` stays text) and a model's reply loads nothing. The tags are compact (no newlines between them, ``<br>``
for line breaks, headings as bold paragraphs) because the notebooks' stored outputs hold this HTML.
"""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt

_MD = MarkdownIt("zero").enable(["fence", "list", "heading", "newline", "backticks", "emphasis"])
# One line that starts no block and holds no inline syntax (an _ inside a word, as in snake_case, is none): the
# parser would make it one plain paragraph
_PLAIN = re.compile(r"[^\s#+~\d`*_\x00-](?:[^\n\r`*_\x00]|(?<=[^\W_])_+(?=[^\W_]))*(?<=\S)")
_TAGS = {
    "hardbreak": "<br>", "heading_open": '<p class="lnb-mdh"><strong>', "heading_close": "</strong></p>",
    "bullet_list_open": "<ul>", "bullet_list_close": "</ul>", "ordered_list_close": "</ol>",
}


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _paragraph(self, tokens, idx, options, env) -> str:
    # A tight list's items hide their paragraphs: <li>one</li>, not <li><p>one</p></li>
    return "" if tokens[idx].hidden else ("<p>" if tokens[idx].nesting > 0 else "</p>")


def _item(self, tokens, idx, options, env) -> str:
    env["items"] = env.get("items", 0) + tokens[idx].nesting
    return "<li>" if tokens[idx].nesting > 0 else "</li>"


def _softbreak(self, tokens, idx, options, env) -> str:
    # A line break shows in a paragraph, as in a chat; in a list item it is only the source's wrapping
    return " " if env.get("items") else "<br>"


def _ordered(self, tokens, idx, options, env) -> str:
    start = tokens[idx].attrGet("start")
    return "<ol>" if start is None else f'<ol start="{start}">'


for _name, _tag in _TAGS.items():
    _MD.add_render_rule(_name, lambda self, tokens, idx, options, env, tag=_tag: tag)
_MD.add_render_rule("paragraph_open", _paragraph)
_MD.add_render_rule("paragraph_close", _paragraph)
_MD.add_render_rule("ordered_list_open", _ordered)
_MD.add_render_rule("list_item_open", _item)
_MD.add_render_rule("list_item_close", _item)
_MD.add_render_rule("softbreak", _softbreak)
_MD.add_render_rule("text", lambda self, tokens, idx, options, env: _escape(tokens[idx].content))
_MD.add_render_rule("code_inline", lambda self, tokens, idx, options, env:
                    f"<code>{_escape(tokens[idx].content)}</code>")
_MD.add_render_rule("fence", lambda self, tokens, idx, options, env:
                    f'<pre class="lnb-code">{_escape(tokens[idx].content.rstrip(chr(10)))}</pre>')


def to_html(text: str) -> str:
    """The markdown subset as HTML; every piece of the input's text is escaped."""
    line = text.strip(" \n")
    if _PLAIN.fullmatch(line):
        return f"<p>{_escape(line)}</p>"  # most replies, without the parser's ~50 us a call
    return _MD.render(text)
