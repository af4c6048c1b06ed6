"""Public pages that visitors read: home, search, story pages, the passport and the 404 page.

Every page here is the same for every visitor in a language (nothing personal
is rendered on the server: the passport's stamps stay in the visitor's
browser), so each carries an ETag and answers a repeated request with 304.
"""

from __future__ import annotations

from collections import Counter

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, gettext
from werkzeug.exceptions import HTTPException

from guide.catalogue.codes import ledger_entries
from guide.catalogue.filters import SiteFilter
from guide.catalogue.index import Catalogue
from guide.catalogue.model import Site
from guide.catalogue.text import fold
from guide.listening.scans import PLAQUE_MARKER, count_view, counter, is_countable
from guide.listening.words import VIA_LINK, VIA_PLAQUE
from guide.render.jsonhtml import json_for_html
from guide.web.addresses import api_base
from guide.web.i18n import available_languages, preferred_language, root_language, select_language
from guide.web.loaded import get_catalogue
from guide.web.pagecache import cached_page, site_version
from guide.web.public.story import story_page
from guide.web.responses import page_response
from guide.web.tour_steps import tour_step

bp = Blueprint("public", __name__)

# Paths whose 404 is a plain error, not the visitor's page with a search box.
_PLAIN_404_PREFIXES = ("/static/", "/photos/", "/media/", "/api/")


def sorted_sites(sites: list[Site], language: str) -> list[Site]:
    """Return sites in alphabetical order of their names in ``language``, ignoring diacritics."""
    return sorted(sites, key=lambda site: fold(site.display_name(language)))


def areas_with_sites(catalogue: Catalogue, language: str) -> list[tuple[str, str, list[Site]]]:
    """Return (area id, area name, published sites) for each area that has published sites."""
    by_area: dict[str, list[Site]] = {}
    for site in catalogue.published():
        by_area.setdefault(site.area, []).append(site)
    rows = [
        (area_id, catalogue.areas.name_of(area_id, language), sorted_sites(sites, language))
        for area_id, sites in by_area.items()
    ]
    return sorted(rows, key=lambda row: fold(row[1]))


def kinds_with_counts(catalogue: Catalogue) -> list[tuple[str, int]]:
    """Return each kind id with published sites and their count, in the vocabulary's order."""
    counts = Counter(site.kind for site in catalogue.published())
    ordered = [kind.id for kind in catalogue.config.vocabulary.kinds]
    ordered += sorted(set(counts) - set(ordered))
    return [(kind, counts[kind]) for kind in ordered if counts[kind]]


@bp.get("/")
def home() -> Response:
    """Show the search box, links to the map and passport, and sites by area and kind."""
    catalogue = get_catalogue()
    language = select_language()
    wanted = root_language()
    if wanted is not None:
        # Only the bare root chooses for the visitor; every other address names its language.
        response = redirect(url_for("public.home", lang=wanted), code=302)
        response.vary.update(("Accept-Language", "Cookie"))
        return response

    def render() -> str:
        return render_template(
            "public/home.html",
            areas=areas_with_sites(catalogue, language),
            kinds=kinds_with_counts(catalogue),
            total=len(catalogue.published()),
        )

    response = page_response(cached_page(catalogue, render))
    if request.path == "/":
        response.vary.update(("Accept-Language", "Cookie"))
    return response


@bp.get("/search")
def search() -> Response:
    """Find published sites by name ignoring case and diacritics, by area and by kind."""
    catalogue = get_catalogue()
    language = select_language()
    query = request.args.get("q", "").strip()
    area = request.args.get("area", "").strip()
    kind = request.args.get("kind", "").strip()
    searched = bool(query or area or kind)

    def render() -> str:
        results = []
        if searched:
            results = sorted_sites(
                SiteFilter.from_mapping(request.args, status="published").apply(
                    catalogue, catalogue.config.vocabulary
                ),
                language,
            )
        return render_template(
            "public/search.html",
            query=query,
            area=area,
            kind=kind,
            searched=searched,
            results=results,
            areas=areas_with_sites(catalogue, language),
            kinds=kinds_with_counts(catalogue),
        )

    return page_response(cached_page(catalogue, render))


@bp.get("/S/<code>")
@bp.get("/s/<code>")
@bp.get("/S/<code>/<marker>")
@bp.get("/s/<code>/<marker>")
def short_code(code: str, marker: str | None = None) -> Response:
    """Send a scanned plaque code, in any letter case, to the site's story page.

    The code stays valid when the site is renamed or archived; a draft (or an
    unknown code) gets the 404 page. ``/S/<CODE>/Q`` is the address printed in
    plaques' QR codes: the arrival is counted as a plaque scan, ``/S/<CODE>``
    as a link.
    """
    if marker is not None and marker.upper() != PLAQUE_MARKER:
        abort(404)
    site = get_catalogue().by_code(code)
    if site is None or not site.is_public:
        abort(404)
    # The visitor's language: the remembered choice, else the browser's list in order.
    asked = request.args.get("lang", "")
    language = asked if asked in available_languages() else preferred_language()
    scans = counter(current_app)
    if scans is not None and is_countable(request):
        scans.add(site.code, language, VIA_PLAQUE if marker else VIA_LINK)
    response = redirect(url_for("public.story", slug=site.slug, lang=language), code=302)
    response.vary.add("Accept-Language")
    return response


def renamed(catalogue: Catalogue, slug: str) -> Site | None:
    """Return the site that was issued a code under ``slug`` and has been renamed since.

    Every line of the ledger counts (a code may have been recorded again under
    its new slug), so an old link keeps leading to the site.
    """
    for code, issued_slug in ledger_entries(catalogue.root):
        if issued_slug == slug:
            site = catalogue.by_code(code)
            if site is not None and site.slug != slug:
                return site
    return None


@bp.get("/sites/<slug>")
def story(slug: str) -> Response:
    """Show a site's story page in the visitor's language."""
    catalogue = get_catalogue()
    site = catalogue.by_slug(slug)
    if site is None:
        moved = renamed(catalogue, slug)
        if moved is not None and moved.is_public:
            return redirect(url_for("public.story", slug=moved.slug), code=301)
        abort(404)
    if not site.is_public:
        abort(404)
    # With a guide server named (GUIDE_API_URL) the page counts itself with a beacon
    # (``data-views``), so the server's page and the export's are the same bytes and
    # a view is counted once, wherever the page was served from.
    if not api_base():
        count_view(current_app, request, site.code, select_language())
    # Opened from a curated tour, the page also shows the way to the next stop: that
    # variant is kept apart from the plain page (and from other tours) in the cache.
    tour = request.args.get("tour", "").strip()
    return page_response(
        cached_page(
            catalogue,
            lambda: render_story(site, tour, counted=True),
            site.slug,
            site_version(site),
            ("tour", tour),
        )
    )


def exported_story(slug: str) -> str | None:
    """Return the body the server sends at this request's story address, or None.

    For the static export, in a request for the page's address whose before-request
    hooks ran: the HTML of the view (``story``) without the response around it
    (ETag, page cache, the server's own view count). None when the view answers
    something else than the plain page (a redirect, a 404): the export asks the view.
    """
    site = get_catalogue().by_slug(slug)
    if site is None or not site.is_public or request.args:
        return None
    return render_story(site, counted=True)


def render_story(site: Site, tour: str = "", counted: bool = False) -> str:
    """Render a site's story page (on a curated tour when ``tour`` names one).

    The staff preview of drafts uses it too, uncounted; a ``counted`` page of a
    public site carries the address its view is counted at when there is a server.
    """
    language = select_language()
    page = story_page(site, language)
    step = tour_step(tour, site, language) if tour else None
    views = view_count_url(site, language) if counted else ""
    return render_template(
        "public/story.html",
        page=page,
        site=site,
        tour_step=step,
        tour_asked=tour,
        views_url=views,
    )


def view_count_url(site: Site, language: str) -> str:
    """Return where the story page of ``site`` counts its view, or "" without a guide server.

    Only GUIDE_API_URL names one: without it the server counts the view itself
    and a static export without a server counts nothing.
    """
    base = api_base()
    if not base or not site.is_public:
        return ""
    return base + url_for("arrivals.count", code=site.code, event="view", lang=language)


@bp.get("/passport")
def passport() -> Response:
    """Show the red addresses stamped in this browser, per area, with progress."""
    catalogue = get_catalogue()
    return page_response(cached_page(catalogue, lambda: render_passport(catalogue)))


def render_passport(catalogue: Catalogue) -> str:
    """Render the passport page with the per-area totals its script needs, as JSON."""
    language = select_language()
    areas = areas_with_sites(catalogue, language)
    data = {
        "areas": [{"id": a, "name": name, "total": len(sites)} for a, name, sites in areas],
        "sites": {
            site.slug: {
                "name": site.display_name(language),
                "area": site.area,
                "url": url_for("public.story", slug=site.slug),
            }
            for _area, _name, sites in areas
            for site in sites
        },
        "text": {
            "progress": gettext(
                "%(done)s of %(total)s in %(area)s", done="{done}", total="{total}", area="{area}"
            ),
            "summary": gettext(
                "You have collected %(done)s of %(total)s red addresses.",
                done="{done}",
                total="{total}",
            ),
        },
    }
    return render_template(
        "public/passport.html",
        areas=areas,
        total=sum(len(sites) for _a, _n, sites in areas),
        passport_json=json_for_html(data),
    )


def not_found_texts() -> list[dict[str, str]]:
    """Return the 404 page's sentences in the page's language, then in Vietnamese and English.

    Only the catalogue's own languages follow the reader's: six versions would
    push the search box of the reader's one off a phone's screen.
    """
    current = select_language()
    others = get_catalogue().config.languages
    ordered = [current, *(code for code in others if code != current)]
    texts = []
    for code in ordered:
        with force_locale(code):
            texts.append(
                {
                    "lang": code,
                    "heading": gettext("Page not found"),
                    "explain": gettext(
                        "We could not find this red address. The code may be mistyped, "
                        "or the page may have moved."
                    ),
                    "search": gettext("Search for a site"),
                    "button": gettext("Search"),
                    "map": gettext("Open the map"),
                    "home": gettext("Go to the home page"),
                }
            )
    return texts


@bp.app_errorhandler(404)
def not_found(error: HTTPException) -> Response | HTTPException:
    """Answer an unknown page in every language, with a search box and the map."""
    if request.path.startswith(_PLAIN_404_PREFIXES):
        return error
    body = render_template("public/not_found.html", texts=not_found_texts())
    response = Response(body, status=404, mimetype="text/html")
    response.cache_control.no_cache = True
    return response
