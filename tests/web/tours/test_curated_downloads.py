"""A curated tour's GPX and GeoJSON downloads are named after the tour, in the page's language."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from guide.catalogue.curated import can_follow


def file_names(response) -> tuple[str, str]:
    """Return the ASCII ``filename`` and the decoded ``filename*`` of a download."""
    kind, *parts = [part.strip() for part in response.headers["Content-Disposition"].split(";")]
    params = dict(part.split("=", 1) for part in parts)
    charset, _language, value = params["filename*"].split("'", 2)
    assert kind == "attachment" and charset == "UTF-8"
    return params["filename"].strip('"'), unquote(value, encoding=charset)


def followed_tours(client):
    catalogue = client.application.extensions["guide.catalogue"]
    tours = [tour for tour in catalogue.tours.values() if can_follow(tour, catalogue)]
    assert tours, "the shipped catalogue has curated tours to follow"
    return tours


def download_link(client, tour, language: str, suffix: str) -> str:
    prefix = "" if language == "vi" else f"/{language}"
    page = client.get(f"{prefix}/tours/{tour.slug}")
    assert page.status_code == 200
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    return soup.select_one(f'a[data-link="{suffix}"]')["href"]


@pytest.mark.parametrize("suffix", ["gpx", "geojson"])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_curated_tours_files_carry_its_own_name(client, language, suffix):
    for tour in followed_tours(client):
        response = client.get(download_link(client, tour, language, suffix))
        assert response.status_code == 200
        ascii_name, name = file_names(response)
        assert name == f"{tour.display_name(language)}.{suffix}"
        assert ascii_name.isascii() and ascii_name.endswith(f".{suffix}")
        assert ascii_name != f"tour.{suffix}"
