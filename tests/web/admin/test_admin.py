"""The staff workspace through the HTTP test client, on a copy of the shipped catalogue."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

import pytest
from browsing import client_as, csrf_token, field_messages, form_fields, sign_in, soup
from bs4 import BeautifulSoup
from builders import add_near_twin
from PIL import Image

from guide.catalogue.checks import check_catalogue
from guide.catalogue.index import load_catalogue

ROLES = ("anonymous", "viewer", "editor-other", "editor-here", "admin")
SLUG = "dinh-chem"  # in area 021, where editor-here may edit and editor-other may not


def facts_of(sites: Path, slug: str = SLUG) -> dict:
    """Return a site's facts as stored on disk."""
    return tomllib.loads((sites / slug / "site.toml").read_text(encoding="utf-8"))


def edit_form(client, slug: str = SLUG) -> dict:
    """Return the edit form of a site as a browser would submit it."""
    response = client.get(f"/admin/sites/{slug}")
    assert response.status_code == 200
    return form_fields(response.data)


# --- The matrix: roles x actions x areas ----------------------------------------------


def _save(client, sites):
    data = edit_form(client) if client is not None else {}
    data.update({"name_en": "Chèm Communal House", "action": "save"})
    data.setdefault("csrf_token", csrf_token(client))
    return client.post(f"/admin/sites/{SLUG}", data=data)


def _publish_draft(client, sites):
    return client.post(
        f"/admin/sites/{SLUG}/status", data={"csrf_token": csrf_token(client), "status": "draft"}
    )


def _upload(client, sites):
    image = io.BytesIO()
    Image.new("RGB", (64, 48), (150, 20, 20)).save(image, "PNG")
    image.seek(0)
    return client.post(
        f"/admin/sites/{SLUG}/media",
        data={
            "media-csrf_token": csrf_token(client),
            "media-file": (image, "gate.png"),
            "media-kind": "photo",
            "media-language": "vi",
        },
        content_type="multipart/form-data",
    )


def _create_here(client, sites):
    return client.post(
        "/admin/sites/new",
        data={
            "csrf_token": csrf_token(client),
            "name_vi": "Nhà thử nghiệm",
            "kind": "other",
            "lat": "21.0700",
            "lon": "105.7700",
            "visit_minutes": "30",
            "action": "save",
        },
    )


WRITE_ACTIONS = {"save": _save, "status": _publish_draft, "upload": _upload}
# What each role gets for a change to Đình Chèm (area 021).
EXPECTED_WRITE = {
    "anonymous": 401,
    "viewer": 403,
    "editor-other": 403,
    "editor-here": 302,
    "admin": 302,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(WRITE_ACTIONS))
def test_changing_a_site_is_allowed_only_in_the_editors_areas(staff_app, staff_sites, role, action):
    before = (staff_sites / SLUG / "site.toml").read_bytes()
    client = client_as(staff_app, role)
    if role == "anonymous":
        # Anonymous visitors have no form to start from: send what a forged request would.
        data = {"csrf_token": csrf_token(client), "name_vi": "x", "kind": "x", "status": "draft"}
        url = {"save": f"/admin/sites/{SLUG}", "status": f"/admin/sites/{SLUG}/status"}.get(
            action, f"/admin/sites/{SLUG}/media"
        )
        response = client.post(url, data=data)
    else:
        response = WRITE_ACTIONS[action](client, staff_sites)
    assert response.status_code == EXPECTED_WRITE[role], response.data[:500]
    after = (staff_sites / SLUG / "site.toml").read_bytes()
    if EXPECTED_WRITE[role] == 302:
        assert after != before
    else:
        assert after == before


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("viewer", 403),
        ("editor-other", 422),
        ("editor-here", 302),
        ("admin", 302),
    ],
)
def test_creating_a_site_needs_an_editor_of_its_area(staff_app, staff_sites, role, status):
    client = client_as(staff_app, role)
    response = _create_here(client, staff_sites)
    assert response.status_code == status
    created = staff_sites / "nha-thu-nghiem" / "site.toml"
    assert created.exists() == (status == 302)
    if role == "editor-other":
        assert any("outside your areas" in m for m in field_messages(response, "point"))
    if status == 302:
        facts = facts_of(staff_sites, "nha-thu-nghiem")
        assert facts["status"] == "draft"
        assert facts["area"] == "021"
        ledger = (staff_sites / "codes.txt").read_text(encoding="utf-8")
        assert f"{facts['code']} nha-thu-nghiem" in ledger


@pytest.mark.parametrize(
    ("role", "list_status", "import_status", "audit_status"),
    [
        ("anonymous", 302, 302, 302),
        ("viewer", 200, 403, 403),
        ("editor-other", 200, 403, 403),
        ("editor-here", 200, 403, 403),
        ("admin", 200, 200, 200),
    ],
)
def test_pages_each_role_may_open(staff_app, role, list_status, import_status, audit_status):
    client = client_as(staff_app, role)
    assert client.get("/admin/").status_code == list_status
    assert client.get(f"/admin/sites/{SLUG}").status_code == list_status
    assert client.get(f"/admin/sites/{SLUG}/history").status_code == list_status
    assert client.get("/admin/import").status_code == import_status
    assert client.get("/admin/audit").status_code == audit_status
    if role == "anonymous":
        assert client.get("/admin/").headers["Location"].startswith("/admin/login?next=")


def test_viewers_see_the_form_disabled_and_no_save_button(staff_app):
    client = client_as(staff_app, "viewer")
    page = soup(client.get(f"/admin/sites/{SLUG}"))
    assert all(fs.has_attr("disabled") for fs in page.select("form.site-form fieldset"))
    assert page.select_one("#save") is None
    assert page.select("form[action$='/status']") == []


def test_an_editor_may_not_move_a_point_out_of_their_areas(staff_app, staff_sites):
    client = client_as(staff_app, "editor-here")
    data = edit_form(client)
    data.update({"lat": "21.0287", "lon": "105.8524", "action": "save"})  # Hoàn Kiếm
    response = client.post(f"/admin/sites/{SLUG}", data=data)
    assert response.status_code == 422
    messages = field_messages(response, "point")
    assert any("Quận Hoàn Kiếm" in m and "outside your areas" in m for m in messages)
    assert facts_of(staff_sites)["lat"] == 21.094072


# --- Sign-in, CSRF, sessions ------------------------------------------------------------


def test_posts_without_a_csrf_token_are_refused(staff_app, staff_sites):
    client = client_as(staff_app, "admin")
    data = edit_form(client)
    data.pop("csrf_token")
    data.update({"name_en": "Changed", "action": "save"})
    response = client.post(f"/admin/sites/{SLUG}", data=data)
    assert response.status_code == 400
    assert "security token" in soup(response).select_one("p.message").text
    assert "Changed" not in (staff_sites / SLUG / "site.toml").read_text(encoding="utf-8")
    login = staff_app.test_client().post(
        "/admin/login", data={"name": "admin", "password": "correct horse battery staple"}
    )
    assert login.status_code == 400


def test_a_token_from_another_session_is_refused(staff_app, staff_sites):
    other = client_as(staff_app, "viewer")
    client = client_as(staff_app, "admin")
    data = edit_form(client)
    data.update({"csrf_token": csrf_token(other), "name_en": "Changed", "action": "save"})
    assert client.post(f"/admin/sites/{SLUG}", data=data).status_code == 400


def test_session_cookie_flags(staff_sites, tmp_path):
    from builders import make_staff_app

    plain = make_staff_app(staff_sites, tmp_path).test_client()
    response = sign_in(plain, "admin")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    https = make_staff_app(staff_sites, tmp_path, GUIDE_HTTPS=True).test_client()
    response = sign_in(https, "admin")
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_workspace_speaks_vietnamese_first(staff_app):
    client = staff_app.test_client()
    client.environ_base.pop("HTTP_ACCEPT_LANGUAGE")
    page = soup(client.get("/admin/login"))
    assert page.h1.text == "Đăng nhập"
    refused = soup(sign_in(client, "admin", "sai mật khẩu rồi"))
    assert refused.select_one("#help-password p.error").text == "Sai tên tài khoản hoặc mật khẩu."
    sign_in(client, "admin")
    listing = soup(client.get("/admin/"))
    flags = [flag.text for flag in listing.select('tr[data-slug="den-ngoc-son"] .flag')]
    assert "bản nháp" in flags and "cần vị trí" in flags and "chưa có ảnh" in flags


def test_signing_out_ends_the_session(staff_app):
    client = client_as(staff_app, "admin")
    assert client.get("/admin/").status_code == 200
    client.post("/admin/logout", data={"csrf_token": csrf_token(client)})
    assert client.get("/admin/").status_code == 302


def test_a_removed_account_is_signed_out(staff_app):
    from guide.workspace.accounts import remove_user

    client = client_as(staff_app, "editor-here")
    with staff_app.app_context():
        remove_user("editor-here")
    assert client.get("/admin/").status_code == 302


def test_next_only_leads_inside_the_workspace(staff_app):
    client = staff_app.test_client()
    token = csrf_token(client)
    response = client.post(
        "/admin/login?next=https://evil.example/",
        data={"csrf_token": token, "name": "admin", "password": "correct horse battery staple"},
    )
    assert response.headers["Location"] == "/admin/"


# --- Security headers -----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/admin/login", f"/sites/{SLUG}", "/nowhere"])
def test_every_page_has_security_headers(staff_app, path):
    response = staff_app.test_client().get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_embeddable_map_may_be_framed(staff_app):
    response = staff_app.test_client().get("/map?embed=1")
    assert "X-Frame-Options" not in response.headers
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    framed = staff_app.test_client().get("/map")
    assert "frame-ancestors 'none'" in framed.headers["Content-Security-Policy"]


def test_the_tile_host_is_the_only_other_host_in_the_policy(staff_sites, tmp_path):
    from builders import make_staff_app

    app = make_staff_app(
        staff_sites, tmp_path, GUIDE_TILE_URL="https://{s}.tiles.example.vn/{z}/{x}/{y}.png"
    )
    csp = app.test_client().get("/").headers["Content-Security-Policy"]
    images = next(part for part in csp.split("; ") if part.startswith("img-src"))
    assert images == "img-src 'self' data: blob: https://*.tiles.example.vn"


# --- The list of what needs attention -------------------------------------------------


def test_the_list_shows_what_needs_attention(staff_app, staff_sites):
    from guide.web import reload_catalogue

    (staff_sites / SLUG / "story.en.md").unlink()
    reload_catalogue(staff_app)
    client = client_as(staff_app, "viewer")
    page = soup(client.get("/admin/"))
    rows = {row["data-slug"]: row for row in page.select("tr[data-slug]")}
    ngoc_son = [f.text for f in rows["den-ngoc-son"].select(".flag")]
    assert "draft" in ngoc_son and "needs location" in ngoc_son and "no photo" in ngoc_son
    assert "no EN narrative" in [f.text for f in rows[SLUG].select(".flag")]
    attention = soup(client.get("/admin/?attention=1"))
    assert len(attention.select("tr[data-slug]")) <= len(rows)


def test_check_warnings_and_broken_sites_are_listed(staff_app, staff_sites):
    from guide.web import reload_catalogue

    # A second site 5 m from Đình Chèm with a similar name: guide check warns.
    add_near_twin(staff_sites)
    broken = staff_sites / "hong-roi"
    broken.mkdir()
    (broken / "site.toml").write_text('slug = "hong-roi"\n', encoding="utf-8")
    reload_catalogue(staff_app)
    page = soup(client_as(staff_app, "viewer").get("/admin/"))
    twin_row = page.select_one('tr[data-slug="dinh-chem-2"]')
    assert any("similar name" in flag.text for flag in twin_row.select(".flag.warning"))
    assert any("hong-roi" in item.text for item in page.select("section.broken li"))


# --- Editing: validation next to the fields --------------------------------------------


def test_saving_keeps_each_sources_publisher_and_notes_in_every_language(staff_app, staff_sites):
    before = facts_of(staff_sites)["sources"]
    assert any(isinstance(item.get("supports"), dict) for item in before)
    client = client_as(staff_app, "editor-here")
    data = edit_form(client)
    data.update({"opening_hours": "08:00-11:30", "action": "save"})
    assert client.post(f"/admin/sites/{SLUG}", data=data).status_code == 302
    assert facts_of(staff_sites)["sources"] == before


def test_saving_changes_writes_the_files_and_refreshes_the_guide(staff_app, staff_sites):
    client = client_as(staff_app, "editor-here")
    data = edit_form(client)
    data.update(
        {
            "name_en": "Chèm Communal House",
            "story_en": "## Chèm\n\nA communal house by the Red River.",
            "opening_hours": "08:00-11:30, 13:30-17:00",
            "action": "save",
        }
    )
    response = client.post(f"/admin/sites/{SLUG}", data=data)
    assert response.status_code == 302
    facts = facts_of(staff_sites)
    assert facts["name"]["en"] == "Chèm Communal House"
    assert facts["opening_hours"] == "08:00-11:30, 13:30-17:00"
    assert facts["sources"][0]["url"] == "https://www.openstreetmap.org/node/6652529905"
    story = (staff_sites / SLUG / "story.en.md").read_text(encoding="utf-8")
    assert story.startswith("## Chèm")
    assert check_catalogue(load_catalogue(staff_sites)) == check_catalogue(
        load_catalogue(staff_sites)
    )
    assert not [p for p in load_catalogue(staff_sites).errors if SLUG in p.path]
    public = staff_app.test_client().get(f"/en/sites/{SLUG}")
    assert soup(public).h1.text == "Chèm Communal House"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"lat": "105.774237", "lon": "21.094072"}, "point", "swapped"),
        ({"lat": "10.7769", "lon": "106.7009"}, "point", "outside every area"),
        ({"lat": "21.09", "lon": ""}, "point", "must both be numbers"),
        ({"point_text": "somewhere near the river"}, "point_text", "is not a point"),
        ({"visit_minutes": "5000"}, "visit_minutes", "between 1 and 1440"),
        ({"opening_hours": "morning"}, "opening_hours", "time ranges"),
        ({"name_vi": ""}, "name_vi", "required"),
        ({"sources": "see the book"}, "sources", "start with a link"),
        ({"name_en": "", "story_en": "A story."}, "name_en", "needs the name in EN"),
    ],
)
def test_bad_input_is_explained_next_to_its_field_and_nothing_changes(
    staff_app, staff_sites, changes, field, words
):
    before = {p.name: p.read_bytes() for p in (staff_sites / SLUG).iterdir()}
    client = client_as(staff_app, "admin")
    data = edit_form(client)
    data.update(changes)
    data["action"] = "save"
    response = client.post(f"/admin/sites/{SLUG}", data=data)
    assert response.status_code == 422
    messages = field_messages(response, field)
    assert any(words.lower() in m.lower() for m in messages), messages
    assert soup(response).select_one(".error-summary") is not None
    assert {p.name: p.read_bytes() for p in (staff_sites / SLUG).iterdir()} == before


def test_a_slug_with_dots_is_refused(staff_app, staff_sites):
    client = client_as(staff_app, "admin")
    response = client.post(
        "/admin/sites/new",
        data={
            "csrf_token": csrf_token(client),
            "name_vi": "Thử",
            "slug": "../etc",
            "kind": "communal-house",
            "area": "021",
            "visit_minutes": "30",
            "action": "save",
        },
    )
    assert response.status_code == 422
    assert any("not a safe slug" in m for m in field_messages(response, "slug"))
    assert not (staff_sites.parent / "etc").exists()


def test_check_button_validates_without_saving(staff_app, staff_sites):
    before = (staff_sites / SLUG / "site.toml").read_bytes()
    client = client_as(staff_app, "admin")
    data = edit_form(client)
    data.update(
        {"point_text": "21°05′38.7″N 105°46′27.3″E", "story_en": "**Bold**", "action": "check"}
    )
    response = client.post(f"/admin/sites/{SLUG}", data=data)
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("#lat")["value"] == "21.094083"
    assert page.select_one("#preview-story_en strong").text == "Bold"
    assert (staff_sites / SLUG / "site.toml").read_bytes() == before


def test_a_new_site_near_a_similar_one_needs_confirmation(staff_app, staff_sites):
    client = client_as(staff_app, "admin")
    data = {
        "csrf_token": csrf_token(client),
        "name_vi": "Đình Chèm",
        "slug": "dinh-chem-moi",
        "kind": "communal-house",
        "point_text": "21.09410, 105.77425",
        "visit_minutes": "30",
        "action": "save",
    }
    response = client.post("/admin/sites/new", data=data)
    assert response.status_code == 422
    assert any("similar name" in m for m in field_messages(response, "point"))
    assert soup(response).select_one("#confirm_different") is not None
    assert not (staff_sites / "dinh-chem-moi").exists()
    data.update({"confirm_different": "y", "point_text": "", "lat": "21.0941", "lon": "105.77425"})
    assert client.post("/admin/sites/new", data=data).status_code == 302
    assert facts_of(staff_sites, "dinh-chem-moi")["status"] == "draft"


def test_a_new_site_without_a_point_stays_a_draft_in_the_chosen_area(staff_app, staff_sites):
    client = client_as(staff_app, "editor-here")
    data = {
        "csrf_token": csrf_token(client),
        "name_vi": "Giếng làng",
        "kind": "other",
        "area": "021",
        "visit_minutes": "15",
        "action": "save",
    }
    response = client.post("/admin/sites/new", data=data)
    assert response.status_code == 302
    facts = facts_of(staff_sites, "gieng-lang")
    assert "lat" not in facts and facts["area"] == "021"
    publish = client.post(
        "/admin/sites/gieng-lang/status",
        data={"csrf_token": csrf_token(client), "status": "publish"},
        follow_redirects=True,
    )
    assert any("needs a location" in f.text for f in soup(publish).select(".flash.error"))
    assert facts_of(staff_sites, "gieng-lang")["status"] == "draft"


# --- Publish, archive, preview ---------------------------------------------------------


def test_draft_preview_publish_and_archive(staff_app, staff_sites):
    client = client_as(staff_app, "editor-here")
    visitor = staff_app.test_client()
    data = {
        "csrf_token": csrf_token(client),
        "name_vi": "Nhà văn hóa thôn",
        "kind": "other",
        "lat": "21.0700",
        "lon": "105.7700",
        "visit_minutes": "20",
        "story_vi": "Câu chuyện **của** thôn.",
        "action": "save",
    }
    assert client.post("/admin/sites/new", data=data).status_code == 302
    slug = "nha-van-hoa-thon"
    code = facts_of(staff_sites, slug)["code"]
    assert visitor.get(f"/sites/{slug}").status_code == 404
    preview = client.get(f"/admin/sites/{slug}/preview")
    assert preview.status_code == 200 and soup(preview).h1.text == "Nhà văn hóa thôn"
    assert visitor.get(f"/admin/sites/{slug}/preview").status_code == 302
    token = csrf_token(client)
    # A one-line story without sources: the open problems are shown, then published anyway.
    data = {"csrf_token": token, "status": "publish"}
    assert client.post(f"/admin/sites/{slug}/status", data=data).status_code == 200
    assert facts_of(staff_sites, slug)["status"] == "draft"
    client.post(f"/admin/sites/{slug}/status", data={**data, "confirm": "1"})
    assert soup(visitor.get(f"/sites/{slug}")).h1.text == "Nhà văn hóa thôn"
    # The staff clients' browsers ask for English first.
    assert visitor.get(f"/S/{code}").headers["Location"] == f"/en/sites/{slug}"
    page = soup(client.get(f"/admin/sites/{slug}"))
    assert page.select_one(f'a[href="/sites/{slug}/sign.pdf"]') is not None
    client.post(f"/admin/sites/{slug}/status", data={"csrf_token": token, "status": "archive"})
    assert facts_of(staff_sites, slug)["status"] == "archived"
    assert visitor.get(f"/sites/{slug}").status_code == 200
    assert visitor.get(f"/S/{code}").status_code == 302


# --- Nothing is ever lost: atomic saves, conflicts, revisions --------------------------


def test_a_save_interrupted_by_a_crash_leaves_the_old_files(staff_app, staff_sites, monkeypatch):
    import os

    from guide.catalogue import store

    before = (staff_sites / SLUG / "site.toml").read_bytes()
    story_before = (staff_sites / SLUG / "story.en.md").read_bytes()
    client = client_as(staff_app, "admin")
    data = edit_form(client)
    data.update({"name_en": "Half written", "story_en": "Half a story", "action": "save"})

    def crash(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.os, "fsync", crash)
    response = client.post(f"/admin/sites/{SLUG}", data=data)
    monkeypatch.setattr(store.os, "fsync", os.fsync)
    assert response.status_code == 500
    assert "could not be saved" in soup(response).select_one(".error-summary").text
    assert (staff_sites / SLUG / "site.toml").read_bytes() == before
    assert (staff_sites / SLUG / "story.en.md").read_bytes() == story_before
    assert not [p for p in (staff_sites / SLUG).iterdir() if p.name.endswith(".tmp")]
    errors = [p for p in check_catalogue(load_catalogue(staff_sites)) if p.level == "error"]
    assert errors == []


def test_a_crash_between_two_files_leaves_a_valid_catalogue(staff_app, staff_sites, monkeypatch):
    from guide.catalogue import store

    client = client_as(staff_app, "admin")
    data = edit_form(client)
    data.update({"name_en": "Chèm Communal House", "story_en": "A story.", "action": "save"})
    real_write = store.atomic_write_bytes
    written: list[str] = []

    def fail_on_story(path, payload, mode=None):
        if Path(path).name == "story.en.md":
            raise OSError(5, "Input/output error")
        written.append(Path(path).name)
        real_write(path, payload, mode)

    monkeypatch.setattr(store, "atomic_write_bytes", fail_on_story)
    assert client.post(f"/admin/sites/{SLUG}", data=data).status_code == 500
    assert written == ["site.toml"]
    errors = [p for p in check_catalogue(load_catalogue(staff_sites)) if p.level == "error"]
    assert errors == []


def test_the_second_of_two_concurrent_edits_gets_a_conflict_page(staff_app, staff_sites):
    story_before = (staff_sites / SLUG / "story.en.md").read_bytes()
    first = client_as(staff_app, "admin")
    second = client_as(staff_app, "editor-here")
    first_form, second_form = edit_form(first), edit_form(second)
    first_form.update({"address": "Làng Chèm, Thụy Phương", "action": "save"})
    assert first.post(f"/admin/sites/{SLUG}", data=first_form).status_code == 302
    second_form.update({"story_en": "My careful English narrative.", "action": "save"})
    response = second.post(f"/admin/sites/{SLUG}", data=second_form)
    assert response.status_code == 409
    page = soup(response)
    assert "Làng Chèm, Thụy Phương" in page.select_one("section.theirs").text
    assert "My careful English narrative." in page.select_one("section.mine").text
    kept = form_fields(response.data)
    assert kept["story_en"] == "My careful English narrative."
    assert facts_of(staff_sites)["address"] == "Làng Chèm, Thụy Phương"
    assert (staff_sites / SLUG / "story.en.md").read_bytes() == story_before
    # Saving from the conflict page (after merging) goes through.
    kept["action"] = "save"
    assert second.post(f"/admin/sites/{SLUG}", data=kept).status_code == 302
    assert (staff_sites / SLUG / "story.en.md").read_text(encoding="utf-8").startswith("My careful")


def test_revisions_show_a_diff_and_restore(staff_app, staff_sites):
    original = (staff_sites / SLUG / "site.toml").read_text(encoding="utf-8")
    client = client_as(staff_app, "editor-here")
    data = edit_form(client)
    data.update({"rank": "national", "action": "save"})
    client.post(f"/admin/sites/{SLUG}", data=data)
    history = soup(client.get(f"/admin/sites/{SLUG}/history"))
    rows = history.select("table.history tbody tr")
    assert [r.select("td")[2].text for r in rows] == ["editor-here", "(files)"]
    assert "rank" in rows[0].select("td")[3].text
    revision = soup(client.get(f"/admin/sites/{SLUG}/history/2"))
    added = [s.text for s in revision.select("pre.diff span.add")]
    removed = [s.text for s in revision.select("pre.diff span.del")]
    assert '+rank = "national"' in added
    assert '-rank = "special-national"' in removed
    response = client.post(
        f"/admin/sites/{SLUG}/history/1/restore", data={"csrf_token": csrf_token(client)}
    )
    assert response.status_code == 302
    assert (staff_sites / SLUG / "site.toml").read_text(encoding="utf-8") == original
    rows = soup(client.get(f"/admin/sites/{SLUG}/history")).select("table.history tbody tr")
    assert rows[0].select("td")[3].text == "restored revision 1"
    assert len(rows) == 3
    viewer = client_as(staff_app, "viewer")
    refused = viewer.post(
        f"/admin/sites/{SLUG}/history/2/restore", data={"csrf_token": csrf_token(viewer)}
    )
    assert refused.status_code == 403


def test_the_audit_log_records_who_did_what(staff_app):
    client = client_as(staff_app, "editor-here")
    data = edit_form(client)
    data.update({"ward": "Thụy Phương (cũ)", "action": "save"})
    client.post(f"/admin/sites/{SLUG}", data=data)
    sign_in(staff_app.test_client(), "viewer", "not the password")
    admin = client_as(staff_app, "admin")
    rows = soup(admin.get("/admin/audit")).select("table.audit tbody tr")
    entries = [[td.text for td in row.select("td")[1:4]] for row in rows]
    assert ["editor-here", "site.save", SLUG] in entries
    assert ["viewer", "login.failed", ""] in entries
    assert ["editor-here", "login", ""] in entries


# --- Uploads through the editor -------------------------------------------------------


def _jpeg_with_gps(lat_dms, lon_dms) -> bytes:
    from PIL import ExifTags

    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Test camera"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: lat_dms, 3: "E", 4: lon_dms}
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), (180, 40, 30)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_a_photo_upload_is_cleaned_resized_and_proposes_its_point(staff_app, staff_sites):
    client = client_as(staff_app, "admin")
    # Đền Ngọc Sơn has no point yet; its photo carries one.
    data = _jpeg_with_gps((21.0, 1.0, 50.4), (105.0, 51.0, 7.2))
    response = client.post(
        "/admin/sites/den-ngoc-son/media",
        data={
            "media-csrf_token": csrf_token(client),
            "media-file": (io.BytesIO(data), "Cổng đền.JPG"),
            "media-kind": "photo",
            "media-language": "vi",
            "media-caption_vi": "Cầu Thê Húc",
            "media-credit": "Ban quản lý",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert "propose_lat=21.030667" in response.headers["Location"]
    facts = facts_of(staff_sites, "den-ngoc-son")
    entry = facts["media"][-1]
    assert entry["file"].startswith("photos/cong-den-") and entry["file"].endswith(".jpg")
    assert entry["caption"] == {"vi": "Cầu Thê Húc"}
    with Image.open(staff_sites / "den-ngoc-son" / entry["file"]) as stored:
        assert dict(stored.getexif()) == {}
        assert stored.size == (1600, 1200)
    assert b"Test camera" not in (staff_sites / "den-ngoc-son" / entry["file"]).read_bytes()
    stem = Path(entry["file"]).stem
    with Image.open(staff_sites / "den-ngoc-son" / "web" / f"{stem}.480.jpg") as small:
        assert small.size == (480, 360)
    page = soup(client.get(response.headers["Location"]))
    assert page.select_one("#lat")["value"] == "21.030667"
    assert page.select_one("#proposal") is not None


@pytest.mark.parametrize(
    ("payload", "name", "kind", "words"),
    [
        (b"just some text, not a photo\n" * 10, "photo.jpg", "photo", "not a JPEG, PNG or WebP"),
        ("png-bomb", "bomb.png", "photo", "decompression bomb"),
        (b"ID3 not really audio" * 50, "story.mp3", "audio", "not MP3, M4A or OGG"),
        ("big-photo", "big.jpg", "photo", "more than the limit"),
    ],
)
def test_refused_uploads_leave_the_site_unchanged(
    staff_app, staff_sites, payload, name, kind, words
):
    if payload == "png-bomb":
        buffer = io.BytesIO()
        Image.new("1", (12_000, 12_000)).save(buffer, "PNG")
        payload = buffer.getvalue()
    elif payload == "big-photo":
        staff_app.config["GUIDE_PHOTO_MAX_BYTES"] = 2_000
        payload = _jpeg_with_gps((21.0, 1.0, 50.4), (105.0, 51.0, 7.2))
    before = sorted(p.relative_to(staff_sites) for p in (staff_sites / SLUG).rglob("*"))
    toml = (staff_sites / SLUG / "site.toml").read_bytes()
    client = client_as(staff_app, "admin")
    response = client.post(
        f"/admin/sites/{SLUG}/media",
        data={
            "media-csrf_token": csrf_token(client),
            "media-file": (io.BytesIO(payload), name),
            "media-kind": kind,
            "media-language": "vi",
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    flashes = [f.text for f in soup(response).select(".flash.error")]
    assert any(words in f and name in f for f in flashes), flashes
    assert (staff_sites / SLUG / "site.toml").read_bytes() == toml
    assert sorted(p.relative_to(staff_sites) for p in (staff_sites / SLUG).rglob("*")) == before


def test_an_upload_over_the_request_limit_is_refused_with_a_message(staff_sites, tmp_path):
    from builders import make_staff_app

    app = make_staff_app(staff_sites, tmp_path, MAX_CONTENT_LENGTH=10_000)
    client = client_as(app, "admin")
    response = client.post(
        f"/admin/sites/{SLUG}/media",
        data={
            "media-csrf_token": csrf_token(client),
            "media-file": (io.BytesIO(b"x" * 50_000), "huge.jpg"),
            "media-kind": "photo",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "the limit is 0.01 MB" in soup(response).select_one("p.message").text


def test_a_narration_recording_is_stored_per_language(staff_app, staff_sites, mp3_bytes):
    client = client_as(staff_app, "editor-here")
    response = client.post(
        f"/admin/sites/{SLUG}/media",
        data={
            "media-csrf_token": csrf_token(client),
            "media-file": (io.BytesIO(mp3_bytes), "thuyet-minh.bin"),
            "media-kind": "audio",
            "media-language": "en",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    site = load_catalogue(staff_sites).by_slug(SLUG)
    narration = site.audio("en")
    assert narration is not None and narration.file.endswith(".story.en.mp3")
    assert (staff_sites / SLUG / narration.file).read_bytes() == mp3_bytes


# --- Bulk import from the browser ------------------------------------------------------


def test_bulk_import_reports_a_dry_run_then_imports_on_confirmation(staff_app, staff_sites):
    client = client_as(staff_app, "admin")
    csv_text = (
        "slug,name_vi,name_en,lat,lon,address,ward,district,kind,rank,source_url,"
        "description_vi_or_en\n"
        "nha-so-5,Nhà số 5,House No. 5,21.0705,105.7705,,,,Di tích khác,,"
        "https://example.org/a,Ngôi nhà cũ.\n"
        "dinh-chem,Đình Chèm,,21.094072,105.774237,,,,đình,,,\n"
        "sai-toa-do,Sai tọa độ,,105.77,21.07,,,,đình,,,\n"
    )
    response = client.post(
        "/admin/import",
        data={"csrf_token": csrf_token(client), "file": (io.BytesIO(csv_text.encode()), "moi.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    rows = soup(response).select("table.import-report tbody tr")
    outcomes = {r.select("td")[1].text: (r["class"][0], r.select("td")[0].text) for r in rows}
    assert outcomes["nha-so-5"] == ("imported", "moi.csv row 2")
    assert outcomes["dinh-chem"][0] == "present"
    assert outcomes["sai-toa-do"][0] == "rejected"
    assert "swapped" in rows[2].select("td")[3].text
    assert not (staff_sites / "nha-so-5").exists()
    confirm = form_fields(response.data, "form[action$='/import/confirm']")
    done = client.post("/admin/import/confirm", data=confirm)
    assert done.status_code == 200
    assert facts_of(staff_sites, "nha-so-5")["name"]["vi"] == "Nhà số 5"
    history = soup(client.get("/admin/sites/nha-so-5/history")).select("table.history tbody tr")
    assert "imported from moi.csv row 2" in history[0].text
    again = client.post("/admin/import/confirm", data=confirm)
    assert again.status_code == 400


def test_an_unreadable_import_file_is_explained(staff_app):
    client = client_as(staff_app, "admin")
    response = client.post(
        "/admin/import",
        data={"csrf_token": csrf_token(client), "file": (io.BytesIO(b"a,b\n1,2\n"), "x.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "lacks the column(s) slug, name_vi, kind" in soup(response).select_one("#help-file").text


# --- The editor's JSON helpers -------------------------------------------------------


def test_the_point_helper_names_the_area_and_the_problems(staff_app):
    client = client_as(staff_app, "editor-other")
    answer = client.get("/admin/api/point?text=21°05′38.7″N 105°46′27.3″E").get_json()
    assert answer["area_name"] == "Quận Bắc Từ Liêm"
    assert answer["ok"] is False
    assert any("outside your areas" in p["message"] for p in answer["problems"])
    swapped = client.get("/admin/api/point?lat=105.774&lon=21.094").get_json()
    assert any("swapped" in p["message"] for p in swapped["problems"])


def test_the_preview_helper_sanitizes(staff_app):
    client = client_as(staff_app, "viewer")
    answer = client.post(
        "/admin/api/preview",
        data={"text": "**Đình** <img src=x onerror=alert(1)>"},
        headers={"X-CSRFToken": csrf_token(client)},
    ).get_json()
    html = BeautifulSoup(answer["html"], "html.parser")
    assert html.strong.text == "Đình"
    assert html.find("img") is None
