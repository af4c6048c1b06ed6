"""Checks before publishing: a draft's open problems, shown before it goes public.

Publishing a draft with open problems (no photo, no rank, an example source, a
short story, one publisher, errors ``guide check`` would give) first shows
them on a confirmation page; one more click publishes anyway.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

from flask import render_template
from flask_babel import gettext as _

from guide.catalogue.checks import site_problems
from guide.catalogue.minimums import (
    MIN_PUBLISHERS,
    MIN_WORDS,
    independent_publishers,
    story_shortfalls,
)
from guide.catalogue.model import Site
from guide.web.admin.common import catalogue, languages
from guide.web.forms import ActionForm
from guide.web.i18n import translated

# The hosts that documentation reserves for examples: a source there is a placeholder.
EXAMPLE_HOSTS = ("example.org", "example.com", "example.net")
MINIMUM_KINDS = ("story.short", "sources.independent")


def is_example(url: str) -> bool:
    """Return whether a source's link points at a reserved example host.

    >>> is_example("https://www.example.org/page"), is_example("https://nhandan.vn/a")
    (True, False)
    """
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return any(host == name or host.endswith("." + name) for name in EXAMPLE_HOSTS)


def short_story(site: Site) -> bool:
    """Return whether publishing would leave the site below the story minimums."""
    return bool(story_shortfalls(site, languages())) or (
        len(independent_publishers(site)) < MIN_PUBLISHERS
    )


def open_problems(site: Site) -> list[str]:
    """Return what is still missing or wrong before ``site`` goes public, in the page's words."""
    found = []
    if not site.photos():
        found.append(_("No photo: visitors see the story without a picture."))
    if not site.rank:
        found.append(_("No heritage rank: give the rank a source states, if any."))
    for number, source in enumerate(site.sources, start=1):
        if is_example(source.url):
            found.append(
                _(
                    "Source %(number)d is a placeholder on %(url)s: cite the real page.",
                    number=number,
                    url=source.url,
                )
            )
    for language, words in story_shortfalls(site, languages()).items():
        found.append(
            _(
                "The story in %(language)s has %(words)d words, fewer than %(minimum)d.",
                language=language.upper(),
                words=words,
                minimum=MIN_WORDS,
            )
        )
    publishers = independent_publishers(site)
    if len(publishers) < MIN_PUBLISHERS:
        found.append(
            _(
                "%(count)d independent publishers back the story, fewer than %(minimum)d.",
                count=len(publishers),
                minimum=MIN_PUBLISHERS,
            )
        )
    published = dataclasses.replace(site, status="published", needs_story=False)
    for problem in site_problems(published, catalogue().root, languages()):
        if problem.level == "error" and problem.kind not in MINIMUM_KINDS:
            where = problem.path.rsplit("/", 1)[-1]
            field = f" {problem.field}" if problem.field else ""
            found.append(f"{where}{field}: {translated(problem)}")
    return found


def render_publish_check(site: Site, problems: list[str]):
    """Return the confirmation page listing ``problems``, with a button to publish anyway."""
    return render_template(
        "admin/publish.html",
        site=site,
        problems=problems,
        marks_needs_story=short_story(site) and not site.needs_story,
        action_form=ActionForm(),
    )
