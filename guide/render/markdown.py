"""Turn a site's Markdown narrative into safe HTML for story pages and editor previews.

>>> render_markdown("**Đình Chèm** <script>alert(1)</script>")
'<p><strong>Đình Chèm</strong> &lt;script&gt;alert(1)&lt;/script&gt;</p>'
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

# What a narrative may contain once rendered; everything else is removed.
ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "blockquote",
    "ul", "ol", "li", "a", "img", "code", "pre", "table", "thead", "tbody", "tr", "th",
    "td", "sup", "sub", "figure", "figcaption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Raw HTML in the Markdown is kept as text by the parser and cleaned again by nh3.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(text: str) -> str:
    """Return sanitized HTML for Markdown ``text``: no scripts, styles or event handlers."""
    html = _parser().render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
