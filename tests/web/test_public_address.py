"""No address the guide writes comes from the request's Host header.

Each test asks with ``Host: evil.example``. Without ``GUIDE_BASE_URL`` the pages
use relative links and leave out what must be absolute; with it, they use it.
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from builders import DEFAULT_SITES, make_staff_app

from guide import create_app

EVIL = {"Host": "evil.example"}
BASE = "https://ditich.example.vn"
STOPS = "Z2HN,9XT4,8S2D"


def make_client(base: str = ""):
    return create_app(
        {
            "TESTING": True,
            "GUIDE_SITES": str(DEFAULT_SITES),
            "GUIDE_BASE_URL": base,
            "GUIDE_ROUTING_URL": "",
        }
    ).test_client()


def fetch(client, url: str, status: int = 200) -> tuple[str, BeautifulSoup]:
    response = client.get(url, headers=EVIL)
    assert response.status_code == status, url
    html = response.get_data(as_text=True)
    return html, BeautifulSoup(html, "html.parser")


def meta(soup: BeautifulSoup, name: str) -> str | None:
    tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
    return tag["content"] if tag else None


def json_ld(soup: BeautifulSoup) -> dict:
    return json.loads(soup.find("script", type="application/ld+json").string)


@pytest.mark.parametrize("base", ["", BASE])
def test_the_story_page_never_names_the_requested_host(address_story_root, tmp_path, base):
    app = create_app(
        {
            "TESTING": True,
            "GUIDE_SITES": str(address_story_root),
            "GUIDE_PHOTO_CACHE": str(tmp_path / "photo-cache"),
            "GUIDE_BASE_URL": base,
        }
    )
    html, soup = fetch(app.test_client(), "/sites/dinh-chem")
    assert "evil.example" not in html
    canonical = soup.find("link", rel="canonical")["href"]
    alternates = [link["href"] for link in soup.find_all("link", rel="alternate")]
    data = json_ld(soup)
    assert data["image"], "the test site should have photos"
    if base:
        assert canonical == f"{BASE}/sites/dinh-chem"
        assert meta(soup, "og:url") == canonical
        assert data["url"] == canonical
        assert alternates[:2] == [canonical, f"{BASE}/en/sites/dinh-chem"] and len(alternates) == 6
        assert meta(soup, "og:image").startswith(BASE + "/")
        assert meta(soup, "twitter:image").startswith(BASE + "/")
        assert all(url.startswith(BASE + "/") for url in data["image"])
    else:
        # Relative where HTML and JSON-LD allow it; Open Graph's absolute tags are left out.
        assert canonical == "/sites/dinh-chem"
        assert data["url"] == canonical
        # Vietnamese and English first, then the other interface languages' paths.
        assert (
            alternates[:2] == ["/sites/dinh-chem", "/en/sites/dinh-chem"] and len(alternates) == 6
        )
        assert meta(soup, "og:url") is None
        assert meta(soup, "og:image") is None and meta(soup, "twitter:image") is None
        assert meta(soup, "twitter:card") == "summary"
        assert all(url.startswith("/") for url in data["image"])


@pytest.mark.parametrize("base", ["", BASE])
def test_the_planners_share_link_never_names_the_requested_host(base):
    html, soup = fetch(make_client(base), f"/tours/plan?stops={STOPS}")
    assert "evil.example" not in html
    share = soup.select_one("#plan-permalink")["value"]
    assert share == f"{base}/tours/plan?{share.split('?', 1)[1]}"
    qr_item = soup.select_one("a[data-link=qr]").parent
    assert qr_item.has_attr("hidden") is (not base)


@pytest.mark.parametrize("base", ["", BASE])
def test_the_curated_tour_link_never_names_the_requested_host(base):
    html, soup = fetch(make_client(base), "/tours/hoang-thanh-ba-dinh")
    assert "evil.example" not in html
    share = soup.select_one("#plan-permalink")["value"]
    assert share.startswith(f"{base}/tours/plan?")


@pytest.mark.parametrize("base", ["", BASE])
def test_the_printed_itinerary_never_names_the_requested_host(base):
    html, soup = fetch(make_client(base), f"/tours/plan/print?stops={STOPS}")
    assert "evil.example" not in html
    assert soup.select_one(".it-link").get_text().startswith(f"{base}/tours/plan?")
    # Without the public address the itinerary has no QR code to print.
    assert bool(soup.select(".it-qr img")) is bool(base)


def test_the_plans_qr_code_is_refused_without_a_public_address():
    response = make_client().get(f"/tours/plan.qr.png?stops={STOPS}&lang=vi", headers=EVIL)
    assert response.status_code == 404
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert text.startswith("Không tạo được mã QR của hành trình") and "GUIDE_BASE_URL" in text
    english = make_client().get(f"/tours/plan.qr.png?stops={STOPS}&lang=en", headers=EVIL)
    assert english.get_data(as_text=True).startswith("QR codes of plans are not available")


def test_the_plans_qr_code_holds_the_public_address_whatever_the_host():
    import io

    import zxingcpp
    from PIL import Image

    response = make_client(BASE).get(f"/tours/plan.qr.png?stops={STOPS}", headers=EVIL)
    assert response.status_code == 200
    (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.data)))
    assert code.text.startswith(f"{BASE}/tours/plan?stops=")


@pytest.mark.parametrize("path", ["/admin", "/admin/", "/S/Z2HN"])
def test_redirects_stay_relative(staff_sites, tmp_path, path):
    client = make_staff_app(staff_sites, tmp_path).test_client()
    response = client.get(path, headers=EVIL)
    assert 300 <= response.status_code < 400, response.status_code
    location = response.headers["Location"]
    assert "evil.example" not in location
    assert location.startswith("/")


def test_the_admin_redirect_is_relative_on_the_public_address_too(staff_sites, tmp_path):
    client = make_staff_app(staff_sites, tmp_path, GUIDE_BASE_URL=BASE).test_client()
    response = client.get("/admin", headers=EVIL)
    assert response.headers["Location"] == "/admin/"


@pytest.mark.browser
@pytest.mark.server
def test_in_the_browser_a_relative_share_link_is_made_whole_on_its_own_address(live_server, page):
    page.goto(f"{live_server.url}/tours/hoang-thanh-ba-dinh?lang=vi")
    page.wait_for_function("() => document.getElementById('plan-permalink').value.includes('//')")
    share = page.locator("#plan-permalink").input_value()
    assert share.startswith(f"{live_server.url}/tours/plan?")
