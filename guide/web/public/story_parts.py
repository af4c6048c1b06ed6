"""Parts of a story page made in Python for its language: the nearby list, languages named.

A template's every call of a function (a translation, an address, a filter)
goes through Jinja's context; a list of six nearby sites made in the template
made two dozen such calls, made here it is one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from markupsafe import Markup, escape

from guide.catalogue.model import Site
from guide.web.i18n import lang_attr, localized
from guide.web.i18n import page_gettext as gettext
from guide.web.language_paths import page_url


@dataclass(frozen=True)
class NearbySite:
    """A published site within walking reach of the one shown."""

    site: Site
    label: str
    metres: int
    minutes: int

    @property
    def metres_text(self) -> str:
        """Return the distance with thin spaces between thousands, as in "1 250"."""
        return f"{self.metres:,}".replace(",", "\u202f")


@dataclass(frozen=True)
class NearbyLink:
    """A nearby site as the page's list shows it, in the page's language."""

    label: str
    href: str
    lang_attr: Markup
    name: str
    distance: Markup


def nearby_links(nearby: Sequence[NearbySite], language: str) -> list[NearbyLink]:
    """Return the nearby sites with their links, names and walking distances in ``language``."""
    links = []
    for near in nearby:
        # As the template's ``_`` gives it: the translation is markup, the values escaped.
        distance = gettext(
            "%(metres)s m, about %(minutes)s min walk",
            metres=escape(near.metres_text),
            minutes=escape(near.minutes),
        )
        name = near.site.name
        links.append(
            NearbyLink(
                near.label,
                page_url("public.story", slug=near.site.slug),
                lang_attr(name, language),
                localized(name, language),
                Markup(distance),
            )
        )
    return links


@lru_cache(maxsize=256)
def language_name(code: str, language: str) -> str:
    """Return the name of the language ``code`` in ``language``, as a sentence writes it."""
    # The language alone ("中文", "chinois"), not its script ("中文 (简体)").
    name = Locale.parse(code).get_language_name(language) or code
    # Vietnamese writes language names in lower case inside a sentence.
    return name[:1].lower() + name[1:] if language == "vi" else name
