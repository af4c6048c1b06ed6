"""Narratives: a site's Markdown story turned into safe HTML and a plain-text summary.

Staff write narratives in Markdown and may paste HTML into them. Whatever they
paste, what reaches a visitor's browser is HTML from a short list of harmless
tags: scripts, event-handler attributes (``onerror=``), styles, frames, forms,
images from other hosts and ``javascript:`` links are removed by nh3. The
page's only ``<h1>`` is the site's name, so a narrative's top headings become
``<h2>`` (and the levels below them follow).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import nh3
from markdown_it import MarkdownIt

from guide.catalogue.text import CITATION

# Tags a narrative may use. No <img> (photos belong in the site's media, where
# they get captions, credits and sizes), no <script>, <style>, <iframe>, <form>.
ALLOWED_TAGS = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote",
        "em", "strong", "i", "b", "s", "del", "ins", "sub", "sup", "small", "mark",
        "abbr", "cite", "q", "code", "pre", "hr", "a", "dl", "dt", "dd",
        "table", "thead", "tbody", "tr", "th", "td", "caption",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "*": {"lang"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "geo"})
SUMMARY_LENGTH = 200

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel="noopener noreferrer",
    strip_comments=True,
)
_TEXT_ONLY = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style"})
_MARKDOWN = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
_MARKDOWN.enable("table")
_SPACES = re.compile(r"\s+")
# The page lists a site's sources once; a narrative's own list under such a heading is left out.
SOURCES_HEADINGS = frozenset({"nguồn", "sources", "nguồn tham khảo", "references"})


@dataclass(frozen=True)
class Narrative:
    """A narrative ready for a page: sanitized HTML and a short plain-text summary."""

    html: str
    summary: str


def render(markdown: str) -> Narrative:
    """Return the sanitized HTML of a Markdown narrative and its summary.

    >>> render("# Lịch sử\\n\\nĐình <script>alert(1)</script>**Chèm**.").html
    '<h2>Lịch sử</h2>\\n<p>Đình <strong>Chèm</strong>.</p>\\n'
    >>> render("## Lễ hội\\n\\n### Rước nước").html
    '<h2>Lễ hội</h2>\\n<h3>Rước nước</h3>\\n'
    >>> render('<img src=x onerror="alert(1)">Cổng đình').summary
    'Cổng đình'
    >>> render("Dựng năm 1639. [2]\\n\\n## Nguồn\\n\\n- <https://a.vn>").html
    '<p>Dựng năm 1639. <sup class="cite"><a href="#source-2">2</a></sup></p>\\n'
    """
    tokens = _without_sources_section(_MARKDOWN.parse(markdown))
    headings = [t for t in tokens if t.type in ("heading_open", "heading_close")]
    # The page's <h1> is the site's name: the narrative's top headings become <h2>.
    shift = max(0, 2 - min((int(t.tag[1]) for t in headings), default=2))
    for token in headings:
        token.tag = f"h{min(int(token.tag[1]) + shift, 6)}"
    unsafe = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})
    safe = _CLEANER.clean(unsafe)
    return Narrative(html=_link_citations(safe), summary=summarize(CITATION.sub("", safe)))


def _without_sources_section(tokens: list) -> list:
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and index + 1 < len(tokens):
            title = tokens[index + 1].content.strip().lower()
            if title in SOURCES_HEADINGS:
                return tokens[:index]
    return tokens


def _link_citations(safe_html: str) -> str:
    # Runs on sanitized HTML and inserts only markup made here around digits.
    return CITATION.sub(
        lambda m: f'<sup class="cite"><a href="#source-{m.group(1)}">{m.group(1)}</a></sup>',
        safe_html,
    )


def summarize(safe_html: str, length: int = SUMMARY_LENGTH) -> str:
    """Return the first paragraph of sanitized HTML as plain text, cut at a word.

    >>> summarize("<h2>Lịch sử</h2><p>Một hai ba bốn năm.</p>", length=12)
    'Một hai ba…'
    """
    paragraphs = re.findall(r"<p>(.*?)</p>", safe_html, flags=re.S) or [safe_html]
    text = ""
    for paragraph in paragraphs:
        text = plain_text(paragraph)
        if text:
            break
    if len(text) <= length:
        return text
    cut = text[: length + 1].rsplit(" ", 1)[0].rstrip(",;:.–- ")
    return cut + "…"


def plain_text(fragment: str) -> str:
    """Return the text of an HTML fragment without tags, scripts or extra spaces."""
    return _SPACES.sub(" ", html.unescape(_TEXT_ONLY.clean(fragment))).strip()


@lru_cache(maxsize=1024)
def _render_file(path: Path, mtime_ns: int, size: int) -> Narrative:
    return render(path.read_text(encoding="utf-8"))


def render_file(path: Path) -> Narrative:
    """Return the rendered narrative of a story file, re-reading it only when it changes."""
    stat = path.stat()
    return _render_file(path, stat.st_mtime_ns, stat.st_size)
