"""One site filter: search, the map's API and the workspace list read the same parameters alike."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from builders import DEFAULT_SITES

from guide.catalogue.filters import SiteFilter
from guide.catalogue.index import load_catalogue


def searched_slugs(client, query: str) -> list[str]:
    response = client.get(f"/search?{query}")
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "html.parser")
    return sorted(a["href"].rsplit("/", 1)[-1] for a in soup.select("ul.results li > a"))


def mapped_slugs(client, query: str) -> list[str]:
    response = client.get(f"/api/sites.geojson?{query}")
    assert response.status_code == 200
    return sorted(f["properties"]["slug"] for f in json.loads(response.data)["features"])


@pytest.mark.parametrize(
    "query",
    ["kind=pagoda", "kind=%C4%91%C3%ACnh", "kind=dinh", "kind=communal-house", "kind=museum"],
)
def test_search_and_the_map_api_choose_the_same_sites_for_a_kind(client, query):
    found = searched_slugs(client, query)
    assert found, "the shipped catalogue has published sites of this kind"
    assert found == mapped_slugs(client, query)


def test_a_kind_id_and_its_label_choose_alike():
    catalogue = load_catalogue(DEFAULT_SITES)
    vocabulary = catalogue.config.vocabulary
    by_id = SiteFilter(kind="communal-house", status="published").apply(catalogue)
    assert by_id and all(site.kind == "communal-house" for site in by_id)
    by_label = SiteFilter(kind="Đình", status="published").apply(catalogue, vocabulary)
    assert by_label == by_id
    assert catalogue.filter(status="published", kind="dinh") == by_id
