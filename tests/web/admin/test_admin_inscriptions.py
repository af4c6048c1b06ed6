"""The site editor adds, changes and removes inscriptions, checked like ``guide check``."""

from __future__ import annotations

import tomllib

from browsing import client_as, csrf_token, field_messages, form_fields, sign_in, soup

from guide.catalogue.index import load_catalogue

SLUG = "dinh-chem"


def edit_form(client) -> dict:
    response = client.get(f"/admin/sites/{SLUG}")
    assert response.status_code == 200
    return form_fields(response.data)


def stored(sites) -> list[dict]:
    facts = tomllib.loads((sites / SLUG / "site.toml").read_text(encoding="utf-8"))
    return facts.get("inscriptions", [])


def fill(data: dict, number: int, **values: str) -> dict:
    for key, value in values.items():
        data[f"ins-{number}-{key.replace('_', '-')}"] = value
    return data


def test_the_editor_shows_blank_inscription_fieldsets_without_javascript(inscribed_staff_app):
    client = client_as(inscribed_staff_app, "editor-here")
    page = soup(client.get(f"/admin/sites/{SLUG}"))
    sets = page.select("fieldset.inscription")
    assert len(sets) == 2
    kinds = [o["value"] for o in sets[0].select("select[name='ins-0-kind'] option")]
    assert kinds == ["stele", "horizontal-board", "parallel-sentences", "bell", "other"]
    assert page.select_one("textarea[name='ins-0-original']")["lang"] == "vi-Hani"
    assert page.select_one("input[name='ins-0-location-en']") is not None


def test_add_change_and_remove_an_inscription_each_saved_with_a_revision(
    inscribed_staff_app, inscribed_sites
):
    client = client_as(inscribed_staff_app, "editor-here")
    data = fill(
        edit_form(client),
        0,
        kind="horizontal-board",
        location_vi="Tòa đại bái",
        original="大越國 \U00021a38",
        reading="Đại Việt quốc",
        translation_vi="Nước Đại Việt",
        translation_en="The land of Đại Việt",
        sources="1, 2",
    )
    data["action"] = "save"
    assert client.post(f"/admin/sites/{SLUG}", data=data).status_code == 302
    assert stored(inscribed_sites) == [
        {
            "kind": "horizontal-board",
            "location": {"vi": "Tòa đại bái"},
            "original": "大越國 \U00021a38",
            "reading": "Đại Việt quốc",
            "translation": {"vi": "Nước Đại Việt", "en": "The land of Đại Việt"},
            "sources": [1, 2],
        }
    ]
    site = load_catalogue(inscribed_sites).by_slug(SLUG)
    assert site.inscriptions[0].original == "大越國 \U00021a38"
    # The saved inscription comes back in the form, with two blank ones after it.
    data = edit_form(client)
    assert data["ins-0-original"] == "大越國 \U00021a38" and data["ins-0-sources"] == "1, 2"
    assert data["ins-rows"] == "3" and data["ins-1-original"] == ""
    data.update({"ins-0-kind": "stele", "ins-0-reading": "Đại Việt quốc bi", "action": "save"})
    assert client.post(f"/admin/sites/{SLUG}", data=data).status_code == 302
    assert stored(inscribed_sites)[0]["kind"] == "stele"
    assert stored(inscribed_sites)[0]["reading"] == "Đại Việt quốc bi"
    data = edit_form(client)
    data.update({"ins-0-remove": "1", "action": "save"})
    assert client.post(f"/admin/sites/{SLUG}", data=data).status_code == 302
    assert stored(inscribed_sites) == []
    history = soup(client.get(f"/admin/sites/{SLUG}/history"))
    assert len(history.select("tbody tr")) >= 3


def test_saving_other_fields_keeps_the_inscriptions(inscribed_staff_app, inscribed_sites):
    client = client_as(inscribed_staff_app, "admin")
    slug = "chua-tran-quoc"
    before = tomllib.loads((inscribed_sites / slug / "site.toml").read_text(encoding="utf-8"))
    response = client.get(f"/admin/sites/{slug}")
    data = form_fields(response.data)
    data.update({"opening_hours": "08:00-11:30", "action": "save"})
    assert client.post(f"/admin/sites/{slug}", data=data).status_code == 302
    after = tomllib.loads((inscribed_sites / slug / "site.toml").read_text(encoding="utf-8"))
    assert before["inscriptions"] and after["inscriptions"] == before["inscriptions"]


def test_errors_are_shown_next_to_the_inscription_in_the_pages_language(
    inscribed_staff_app, inscribed_sites
):
    client = inscribed_staff_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "vi"
    sign_in(client, "editor-here")
    data = fill(edit_form(client), 0, kind="stele", reading="Đại Việt", sources="99")
    fill(data, 1, location_vi="Sân đình")
    data.update({"action": "save", "csrf_token": csrf_token(client)})
    response = client.post(f"/admin/sites/{SLUG}", data=data)
    assert response.status_code == 422
    assert any("từ 1 đến" in m for m in field_messages(response, "ins-0-sources"))
    assert field_messages(response, "ins-1"), "a location alone is not an inscription"
    assert stored(inscribed_sites) == []
    # What was typed stays in the form.
    page = soup(response)
    assert page.select_one("textarea[name='ins-0-reading']").get_text().strip() == "Đại Việt"


def test_source_numbers_must_be_numbers(inscribed_staff_app, inscribed_sites):
    client = client_as(inscribed_staff_app, "editor-here")
    data = fill(edit_form(client), 0, reading="Đại Việt", sources="the first one")
    data["action"] = "save"
    response = client.post(f"/admin/sites/{SLUG}", data=data)
    assert response.status_code == 422
    assert any("numbers of the sources" in m for m in field_messages(response, "ins-0-sources"))


def test_the_check_warning_about_original_text_shows_in_the_editor(
    inscribed_staff_app, inscribed_sites
):
    client = client_as(inscribed_staff_app, "editor-here")
    data = fill(edit_form(client), 0, original="Dai Viet quoc", sources="1")
    data["action"] = "check"
    response = client.post(f"/admin/sites/{SLUG}", data=data)
    assert response.status_code == 200
    assert stored(inscribed_sites) == []
    assert field_messages(response, "ins-0-original") == [
        "original should hold the Hán/Nôm characters; put the reading in reading"
    ]
