"""Self-hosted static assets: hashed names, long caching, no escape from their folders."""

from __future__ import annotations

import gzip

from bs4 import BeautifulSoup

from guide.web import assets


def stylesheet_url(client) -> str:
    soup = BeautifulSoup(client.get("/").data, "html.parser")
    return soup.find("link", rel="stylesheet")["href"]


def test_pages_link_the_stylesheet_by_content_hash(client):
    url = stylesheet_url(client)
    assert url.startswith("/static/guide.") and url.endswith(".css")
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert response.cache_control.max_age == 365 * 24 * 3600
    assert response.cache_control.immutable


def test_a_stale_hash_is_served_but_not_cached_for_long(client):
    response = client.get("/static/guide.0000000000.css")
    assert response.status_code == 200
    assert not response.cache_control.immutable
    assert not response.cache_control.max_age


def test_assets_answer_conditional_requests(client):
    url = stylesheet_url(client)
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_paths_outside_the_asset_folders_are_not_served(client):
    for path in ("/static/../__init__.py", "/static/%2e%2e/__init__.py", "/static/nope.css"):
        assert client.get(path).status_code == 404


def test_text_assets_come_gzip_compressed_once_and_answer_conditional_requests(client):
    url = stylesheet_url(client)
    plain = client.get(url)
    gz = {"Accept-Encoding": "gzip"}
    misses = assets._gzipped.cache_info().misses
    first, second = client.get(url, headers=gz), client.get(url, headers=gz)
    assert first.content_encoding == "gzip" and "Accept-Encoding" in first.vary
    assert gzip.decompress(first.data) == plain.data
    # Compressed on the first request only: the second sends the same bytes, kept.
    assert second.data == first.data
    assert assets._gzipped.cache_info().misses <= misses + 1
    # Each encoding has its own ETag, and each answers If-None-Match.
    assert first.headers["ETag"] != plain.headers["ETag"]
    again = client.get(url, headers={**gz, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert client.get(url, headers={"If-None-Match": plain.headers["ETag"]}).status_code == 304
    # A client that does not accept gzip gets the file as it is.
    assert client.get(url, headers={"Accept-Encoding": "identity"}).data == plain.data
