"""Sign and code downloads over HTTP, scanned back to the story page they lead to."""

from __future__ import annotations

import pytest
from builders import DEFAULT_SITES
from scanning import open_url, pdf_pages, pdf_text, png_image, scan, scan_one, svg_image

from guide import create_app


def test_without_a_base_url_the_download_is_404_with_the_setting_named():
    app = create_app({"TESTING": True, "GUIDE_SITES": str(DEFAULT_SITES), "GUIDE_BASE_URL": ""})
    response = app.test_client().get("/sites/dinh-chem/sign.pdf")
    assert response.status_code == 404
    assert response.mimetype == "text/plain"
    assert "set GUIDE_BASE_URL" in response.get_data(as_text=True)
    assert app.test_client().get("/sites/dinh-chem/qr.png").status_code == 404


def test_a_localhost_base_url_gives_no_sign():
    app = create_app(
        {
            "TESTING": True,
            "GUIDE_SITES": str(DEFAULT_SITES),
            "GUIDE_BASE_URL": "http://127.0.0.1:5000",
        }
    )
    response = app.test_client().get("/sites/dinh-chem/sign.pdf")
    assert response.status_code == 404
    assert "GUIDE_BASE_URL" in response.get_data(as_text=True)


def test_the_downloaded_sign_scans_to_the_story_page_of_the_site(signing_client):
    response = signing_client.get("/sites/dinh-chem/sign.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert 'filename="dinh-chem-a5.pdf"' in response.headers["Content-Disposition"]
    [page] = pdf_pages(response.data)
    visit = open_url(signing_client, scan_one(page).text)
    assert (visit.status, visit.path) == (200, "/sites/dinh-chem")
    assert "Đình Chèm" in pdf_text(response.data)


def test_the_sticker_sheet_can_be_downloaded_at_level_h(signing_client):
    response = signing_client.get("/sites/thap-rua/sign.pdf?size=sticker&ec=H")
    assert response.status_code == 200
    [page] = pdf_pages(response.data, 200)
    codes = scan(page)
    assert len(codes) == 12
    assert {code.ec for code in codes} == {"H"}
    assert open_url(signing_client, codes[0].text).path == "/sites/thap-rua"


@pytest.mark.parametrize(
    ("fmt", "load", "mimetype"),
    [("svg", svg_image, "image/svg+xml"), ("png", png_image, "image/png")],
)
def test_the_bare_code_scans_to_the_story_page(signing_client, fmt, load, mimetype):
    response = signing_client.get(f"/sites/nha-48-hang-ngang/qr.{fmt}?size=a6")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    visit = open_url(signing_client, scan_one(load(response.data)).text)
    assert (visit.status, visit.path) == (200, "/sites/nha-48-hang-ngang")


def test_a_draft_has_no_sign(signing_client):
    assert signing_client.get("/sites/den-ngoc-son/sign.pdf").status_code == 404
    assert signing_client.get("/sites/no-such-site/qr.svg").status_code == 404


def test_an_unknown_size_is_400_with_the_sizes_listed(signing_client):
    response = signing_client.get("/sites/dinh-chem/sign.pdf?size=a3")
    assert response.status_code == 400
    assert "a4, a5, a6, sticker" in response.get_data(as_text=True)
    assert signing_client.get("/sites/dinh-chem/sign.pdf?ec=L").status_code == 400
