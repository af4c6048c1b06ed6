"""Rendered public pages kept in memory, so a page asked again is not rendered again.

Public pages are the same for every visitor who asks for the same address in
the same language on the same host (nothing personal is rendered), so the HTML
can be kept. Each loaded catalogue has its own store: reloading the catalogue
after an edit starts afresh, and a story page's key also holds the modification
times of the site's files, so an edited narrative or replaced photo shows at once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from weakref import WeakKeyDictionary

from flask import request

from guide.catalogue.index import Catalogue
from guide.catalogue.layout import SITE_FILE, story_name
from guide.catalogue.model import Site
from guide.web.i18n import select_language

MAX_PAGES = 512

_STORES: WeakKeyDictionary[Catalogue, OrderedDict[Hashable, str]] = WeakKeyDictionary()
_LOCK = Lock()


def site_version(site: Site) -> tuple[int, ...]:
    """Return the modification times of a site's files (facts, stories, media)."""
    if site.folder is None:
        return ()
    names = [SITE_FILE, *(story_name(code) for code in site.story_languages)]
    names += [item.file for item in site.media]
    times = []
    for name in names:
        try:
            times.append((site.folder / name).stat().st_mtime_ns)
        except OSError:
            times.append(0)
    return tuple(times)


def cached_page(catalogue: Catalogue, render: Callable[[], str], *key: Hashable) -> str:
    """Return the page for this request from the store, rendering it with ``render`` if new."""
    full_key = (request.host_url, request.full_path, select_language(), *key)
    with _LOCK:
        store = _STORES.get(catalogue)
        if store is None:
            store = _STORES[catalogue] = OrderedDict()
        body = store.get(full_key)
        if body is not None:
            store.move_to_end(full_key)
            return body
    body = render()
    with _LOCK:
        store[full_key] = body
        while len(store) > MAX_PAGES:
            store.popitem(last=False)
    return body
