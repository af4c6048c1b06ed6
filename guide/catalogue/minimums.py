"""Story minimums: enough words in every catalogue language and two independent publishers."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from guide.catalogue.layout import SITE_FILE, story_file
from guide.catalogue.model import Problem, Site, Source
from guide.catalogue.text import CITATION, fold
from guide.messages import N_

MIN_WORDS = 150
MIN_PUBLISHERS = 2

# The closing list of sources is furniture, not story: its heading and everything after it.
_SOURCES_HEADING = re.compile(
    r"^#{1,6}\s*(nguồn|nguồn tham khảo|sources|references)\s*$", re.I | re.M
)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^>]*>|https?://\S+")
_WORD = re.compile(r"\w+(?:['’.-]\w+)*")
# Second-level labels under which a country's domains are sold (báo.com.vn, nhandan.org.vn).
_GENERIC_LABELS = {"com", "net", "org", "gov", "edu", "ac", "co", "info", "int", "health"}


def story_words(markdown: str) -> int:
    """Return how many words a narrative tells, without [n] markers, Markdown or its sources.

    >>> story_words("## Lịch sử\\n\\nĐình **được** dựng năm 1639. [1]\\n\\n## Nguồn\\n\\n1. a b")
    7
    """
    heading = _SOURCES_HEADING.search(markdown)
    if heading:
        markdown = markdown[: heading.start()]
    text = CITATION.sub(" ", markdown)
    text = _LINK.sub(r" \1 ", text)
    text = _AUTOLINK.sub(" ", text)
    # What is left of the syntax (#, *, _, >, |, list numbers' dots) holds no word characters,
    # except underscores, which \w counts.
    return len(_WORD.findall(text.replace("_", " ")))


def publisher_key(source: Source) -> str:
    """Return the web domain a source was published on, such as ``nhandan.vn``.

    >>> publisher_key(Source("https://betav3-m.kienthuc.net.vn/a.html"))
    'kienthuc.net.vn'
    >>> publisher_key(Source("https://vi.wikipedia.org/wiki/Chùa"))
    'wikipedia.org'
    """
    host = (urlsplit(source.url).hostname or "").lower().rstrip(".")
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _GENERIC_LABELS else 2
    return ".".join(labels[-keep:])


def only_coordinate(source: Source) -> bool:
    """Return whether a source backs nothing but the site's point on the map.

    >>> only_coordinate(Source("https://osm.org/node/1", "coordinate (OpenStreetMap object)"))
    True
    >>> only_coordinate(Source("https://a.vn", notes={"vi": "tọa độ, địa chỉ"}))
    False
    """
    texts = [source.supports, *source.notes.values()]
    folded = [fold(text) for text in texts if text.strip()]
    if not folded:
        return False
    coordinate = ("coordinate", "toa do", "doi chieu toa do")
    # "coordinate, address" backs more than the point; "coordinate (OpenStreetMap object)" not.
    return all(
        text.startswith(coordinate) and not re.search(r"[,;]|\b(and|va)\b", text) for text in folded
    )


def independent_publishers(site: Site) -> list[str]:
    """Return the distinct publishers of a site's sources that back more than its point.

    Two sources are one publisher when they share a domain or a ``publisher`` name.
    """
    groups: list[tuple[set[str], set[str]]] = []
    for source in site.sources:
        if only_coordinate(source):
            continue
        domains = {publisher_key(source)}
        names = {fold(source.publisher)} if source.publisher.strip() else set()
        joined = [g for g in groups if g[0] & domains or g[1] & names]
        for group in joined:
            groups.remove(group)
            domains |= group[0]
            names |= group[1]
        groups.append((domains, names))
    return sorted(min(domains) for domains, _ in groups)


def story_shortfalls(site: Site, languages: tuple[str, ...]) -> dict[str, int]:
    """Return the word count of each catalogue language whose narrative is under the minimum."""
    counts = {language: story_words(site.story(language) or "") for language in languages}
    return {language: n for language, n in counts.items() if n < MIN_WORDS}


def minimum_problems(site: Site, root: Path, languages: tuple[str, ...]) -> list[Problem]:
    """Return the story minimums a site misses: errors when published, else warnings.

    A published site whose writer declared ``needs_story = true`` gets warnings:
    its sources support no more.
    """
    level = "error" if site.status == "published" and not site.needs_story else "warning"
    problems = []
    folder = root / site.slug
    for language, words in story_shortfalls(site, languages).items():
        problems.append(
            Problem.of(
                str(story_file(folder, language)),
                "",
                "story.short",
                N_(
                    "the narrative has %(words)s words, fewer than %(minimum)s: write more from "
                    "the sources, or set needs_story = true in site.toml if they support no more"
                ),
                level,
                words=words,
                minimum=MIN_WORDS,
            )
        )
    publishers = independent_publishers(site)
    if len(publishers) < MIN_PUBLISHERS:
        problems.append(
            Problem.of(
                str(folder / SITE_FILE),
                "sources",
                "sources.independent",
                N_(
                    "independent publishers behind the story: %(count)s (%(publishers)s), fewer "
                    "than %(minimum)s: cite another publisher, not only for the coordinate"
                ),
                level,
                count=len(publishers),
                publishers=", ".join(publishers) or "—",
                minimum=MIN_PUBLISHERS,
            )
        )
    return problems
