"""The search index the export's search page uses in the browser."""

from __future__ import annotations

from typing import Any

from flask import url_for

from guide.catalogue.index import Catalogue
from guide.catalogue.text import fold


def search_index(catalogue: Catalogue) -> dict[str, Any]:
    """Return the published sites with the folded text the server's search matches against.

    ``text`` is ``Site.search_text()``, so the browser matches exactly as
    ``catalogue.filter(q=...)`` does: every folded word of the query occurs in it.
    ``kinds`` gives, per kind id, the folded words (id, labels, aliases) that
    name it, so ``?kind=đình`` finds what the server's filter finds.
    """
    languages = catalogue.config.interface_languages
    sites = []
    for site in sorted(catalogue.published(), key=lambda s: s.slug):
        sites.append(
            {
                "slug": site.slug,
                "code": site.code,
                "text": site.search_text(),
                "area": site.area,
                "kind": site.kind,
                "name": {lang: site.display_name(lang) for lang in languages},
                "url": {
                    lang: url_for("public.story", slug=site.slug, lang=lang) for lang in languages
                },
            }
        )
    kinds = {
        term.id: sorted({fold(word) for word in (term.id, *term.labels.values(), *term.aliases)})
        for term in catalogue.config.vocabulary.kinds
    }
    return {"languages": list(languages), "kinds": kinds, "sites": sites}
