"""Address look-up against a real HTTP server on loopback that answers like Nominatim."""

from __future__ import annotations

import pytest
from browsing import Nominatim, csrf_token, free_port, sign_in
from bs4 import BeautifulSoup

from guide.workspace.geocode import GeocoderUnreachable, lookup_address


def test_an_address_becomes_candidate_points(nominatim):
    found = lookup_address("Đình Chèm, Thụy Phương", nominatim, "guide-test/1.0", 5)
    assert [(c.label, c.lat, c.lon) for c in found] == [
        ("Đình Chèm, Thụy Phương, Bắc Từ Liêm, Hà Nội, Việt Nam", 21.094072, 105.774237)
    ]
    request = Nominatim.requests[-1]
    assert request["path"] == "/search"
    assert request["agent"] == "guide-test/1.0"
    assert request["query"]["countrycodes"] == ["vn"]


def test_nothing_found_is_an_empty_list(nominatim):
    assert lookup_address("không có", nominatim, "guide-test/1.0", 5) == []


def test_a_failing_service_is_reported(nominatim):
    with pytest.raises(GeocoderUnreachable, match="cannot be reached or failed"):
        lookup_address("fail", nominatim, "guide-test/1.0", 5)


def test_an_unreachable_service_is_reported():
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(GeocoderUnreachable, match="place the point on the map"):
        lookup_address("Đình Chèm", url, "guide-test/1.0", 2)


def _editor(staff_app):
    client = staff_app.test_client()
    sign_in(client, "admin")
    return client


def test_the_editor_lists_candidates_from_the_service(staff_app, nominatim):
    staff_app.config["GUIDE_GEOCODER_URL"] = nominatim
    client = _editor(staff_app)
    answer = client.get("/admin/api/geocode?q=Đình Chèm").get_json()
    assert answer["candidates"][0]["lat"] == 21.094072
    response = client.post(
        "/admin/sites/new",
        data={
            "csrf_token": csrf_token(client),
            "name_vi": "Thử",
            "kind": "communal-house",
            "address": "Đình Chèm",
            "ward": "Thụy Phương",
            "visit_minutes": "30",
            "action": "lookup",
        },
    )
    page = BeautifulSoup(response.data, "html.parser")
    button = page.select_one("#lookup-results button.use-point")
    assert (button["data-lat"], button["data-lon"]) == ("21.094072", "105.774237")
    assert Nominatim.requests[-1]["query"]["q"] == ["Đình Chèm, Thụy Phương"]


def test_the_editor_keeps_working_when_the_service_is_unreachable(staff_app):
    staff_app.config["GUIDE_GEOCODER_URL"] = f"http://127.0.0.1:{free_port()}"
    staff_app.config["GUIDE_GEOCODER_TIMEOUT_S"] = 2.0
    client = _editor(staff_app)
    answer = client.get("/admin/api/geocode?q=Đình Chèm")
    assert answer.status_code == 503
    assert "cannot be reached" in answer.get_json()["message"]
    response = client.post(
        "/admin/sites/new",
        data={
            "csrf_token": csrf_token(client),
            "name_vi": "Thử",
            "kind": "communal-house",
            "address": "Đình Chèm",
            "visit_minutes": "30",
            "action": "lookup",
        },
    )
    assert response.status_code == 200
    page = BeautifulSoup(response.data, "html.parser")
    assert "cannot be reached" in page.select_one("#lookup-results .warning").text
    assert page.select_one("#name_vi")["value"] == "Thử"
    assert page.select_one("#save") is not None
