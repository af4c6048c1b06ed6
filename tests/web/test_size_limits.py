"""A request over the size limit is answered 413 with the limit in words, not as an expired form."""

from __future__ import annotations

import io
import json

from browsing import csrf_token, sign_in
from bs4 import BeautifulSoup
from builders import make_staff_app
from werkzeug.test import EnvironBuilder

SLUG = "dinh-chem"
LIMIT = 20_000_000


def post_large(client, path: str, **options):
    """Post a large body, closing the temporary file the test client spools it to."""
    builder = EnvironBuilder(path=path, method="POST", **options)
    environ = builder.get_environ()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()


def message(response) -> str:
    """Return the message paragraph of a workspace page."""
    return BeautifulSoup(response.data, "html.parser").select_one("p.message").get_text(strip=True)


def test_the_default_limit_is_set_from_the_largest_upload(staff_sites, tmp_path):
    app = make_staff_app(staff_sites, tmp_path)
    assert app.config["MAX_CONTENT_LENGTH"] == 31_000_000


def test_an_upload_over_the_limit_names_the_limit(staff_sites, tmp_path):
    app = make_staff_app(staff_sites, tmp_path, MAX_CONTENT_LENGTH=LIMIT)
    client = app.test_client()
    assert sign_in(client, "admin").status_code == 302
    before = sorted(p.name for p in (staff_sites / SLUG).iterdir())
    response = post_large(
        client,
        f"/admin/sites/{SLUG}/media",
        data={
            "media-csrf_token": csrf_token(client),
            "media-kind": "photo",
            "media-file": (io.BytesIO(b"x" * (LIMIT + 1)), "huge.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert message(response).startswith("Too large: the limit is 20 MB")
    assert "expired" not in response.get_data(as_text=True)
    assert sorted(p.name for p in (staff_sites / SLUG).iterdir()) == before


def test_the_login_form_over_the_limit_says_so_in_vietnamese(staff_sites, tmp_path):
    app = make_staff_app(staff_sites, tmp_path, MAX_CONTENT_LENGTH=LIMIT)
    client = app.test_client()
    client.environ_base.pop("HTTP_ACCEPT_LANGUAGE")
    response = post_large(
        client,
        "/admin/login",
        data={"csrf_token": csrf_token(client), "name": "admin", "password": "x" * (LIMIT + 1)},
    )
    assert response.status_code == 413
    assert message(response).startswith("Quá lớn: giới hạn là 20 MB")
    assert "hết hạn" not in response.get_data(as_text=True)


def test_a_body_without_a_token_over_the_limit_is_still_413(staff_sites, tmp_path):
    app = make_staff_app(staff_sites, tmp_path, MAX_CONTENT_LENGTH=1_000)
    response = app.test_client().post("/admin/login", data={"name": "x" * 2_000})
    assert response.status_code == 413
    assert "0.001 MB" in message(response)


def test_the_tour_api_answers_json(staff_sites, tmp_path):
    app = make_staff_app(staff_sites, tmp_path, MAX_CONTENT_LENGTH=1_000)
    response = app.test_client().post(
        "/api/tours/plan",
        data=json.dumps({"stops": ["x" * 2_000]}),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.get_json()["ok"] is False
    assert "the limit is 0.001 MB" in response.get_json()["message"]
