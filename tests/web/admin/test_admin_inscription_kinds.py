"""The editor offers the catalogue's inscription kinds in the editor's language, and only those."""

from __future__ import annotations

import tomllib

from browsing import client_as, field_messages, form_fields, soup

SLUG = "dinh-chem"
IDS = ["stele", "horizontal-board", "parallel-sentences", "bell", "other"]


def stored(sites) -> list[dict]:
    facts = tomllib.loads((sites / SLUG / "site.toml").read_text(encoding="utf-8"))
    return facts.get("inscriptions", [])


def kind_options(client, language: str) -> list[tuple[str, str]]:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    page = soup(client.get(f"/admin/sites/{SLUG}"))
    options = page.select("select[name='ins-0-kind'] option")
    return [(option["value"], option.get_text(strip=True)) for option in options]


def test_the_kinds_are_offered_by_id_with_their_label_in_the_editors_language(inscribed_staff_app):
    client = client_as(inscribed_staff_app, "editor-here")
    english = kind_options(client, "en")
    assert [value for value, _ in english] == IDS
    assert dict(english)["horizontal-board"] == "Horizontal board"
    vietnamese = dict(kind_options(client, "vi"))
    assert vietnamese["horizontal-board"] == "Hoành phi"
    assert vietnamese["parallel-sentences"] == "Câu đối"


def test_a_kind_outside_the_list_is_refused_next_to_its_input(inscribed_staff_app, inscribed_sites):
    client = client_as(inscribed_staff_app, "editor-here")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    data = form_fields(client.get(f"/admin/sites/{SLUG}").data)
    # An old page, or a hand-made request, sends the Vietnamese word itself.
    data.update(
        {
            "ins-0-kind": "hoành phi",
            "ins-0-reading": "Đại Việt",
            "ins-0-sources": "1",
            "action": "save",
        }
    )
    response = client.post(f"/admin/sites/{SLUG}", data=data)
    assert response.status_code == 422
    messages = field_messages(response, "ins-0-kind")
    assert any("'hoành phi'" in m and ", ".join(IDS) in m for m in messages), messages
    assert stored(inscribed_sites) == []


def test_a_listed_kind_is_saved_by_its_id(inscribed_staff_app, inscribed_sites):
    client = client_as(inscribed_staff_app, "editor-here")
    data = form_fields(client.get(f"/admin/sites/{SLUG}").data)
    data.update({"ins-0-kind": "bell", "ins-0-reading": "Đại Việt", "action": "save"})
    assert client.post(f"/admin/sites/{SLUG}", data=data).status_code == 302
    assert [item["kind"] for item in stored(inscribed_sites)] == ["bell"]
