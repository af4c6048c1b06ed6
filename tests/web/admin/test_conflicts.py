"""Two people edit one site: the late save is merged field by field, not reverting the other."""

from __future__ import annotations

import tomllib

from browsing import form_fields, sign_in
from bs4 import BeautifulSoup

SLUG = "dinh-chem"


def signed_in(app, name: str):
    client = app.test_client()
    assert sign_in(client, name).status_code == 302
    return client


def edit_form(client) -> dict:
    response = client.get(f"/admin/sites/{SLUG}")
    assert response.status_code == 200
    return form_fields(response.data)


def conflict_form(response) -> dict:
    """Return what the conflict page's form sends when no choice is ticked."""
    data = form_fields(response.data)
    for name in [name for name in data if name.startswith("resolve-")]:
        del data[name]
    data["action"] = "save"
    return data


def facts(sites) -> dict:
    return tomllib.loads((sites / SLUG / "site.toml").read_text(encoding="utf-8"))


def story(sites, language: str) -> str:
    return (sites / SLUG / f"story.{language}.md").read_text(encoding="utf-8")


def test_changes_to_different_fields_both_survive(staff_app, staff_sites):
    name_before = facts(staff_sites)["name"]["vi"]
    first, second = signed_in(staff_app, "admin"), signed_in(staff_app, "editor-here")
    first_form, second_form = edit_form(first), edit_form(second)
    first_form.update({"story_en": "The first editor's English narrative.", "action": "save"})
    assert first.post(f"/admin/sites/{SLUG}", data=first_form).status_code == 302
    second_form.update({"name_vi": "Đình Chèm (Thụy Phương)", "action": "save"})
    response = second.post(f"/admin/sites/{SLUG}", data=second_form)
    assert response.status_code == 409
    page = BeautifulSoup(response.data, "html.parser")
    assert page.select("fieldset.conflict") == []
    assert "Narrative (EN" in page.select_one(".theirs-changed").text
    assert "Name (VI)" in page.select_one(".mine-changed").text
    # Nothing is written until the merge is sent again.
    assert facts(staff_sites)["name"]["vi"] == name_before
    merged = conflict_form(response)
    assert merged["story_en"] == "The first editor's English narrative."
    assert merged["name_vi"] == "Đình Chèm (Thụy Phương)"
    assert second.post(f"/admin/sites/{SLUG}", data=merged).status_code == 302
    assert facts(staff_sites)["name"]["vi"] == "Đình Chèm (Thụy Phương)"
    assert story(staff_sites, "en") == "The first editor's English narrative.\n"


def test_only_the_fields_this_person_changed_are_written(staff_app, staff_sites):
    """Even when the form sent back still holds the old value of the other person's field."""
    first, second = signed_in(staff_app, "admin"), signed_in(staff_app, "editor-here")
    first_form, second_form = edit_form(first), edit_form(second)
    first_form.update({"address": "Số 1 Làng Chèm", "action": "save"})
    assert first.post(f"/admin/sites/{SLUG}", data=first_form).status_code == 302
    second_form.update({"tags": "đình, làng", "action": "save"})
    response = second.post(f"/admin/sites/{SLUG}", data=second_form)
    assert response.status_code == 409
    assert second.post(f"/admin/sites/{SLUG}", data=conflict_form(response)).status_code == 302
    stored = facts(staff_sites)
    assert stored["address"] == "Số 1 Làng Chèm" and stored["tags"] == ["đình", "làng"]


def test_the_same_field_changed_by_both_asks_which_to_keep(staff_app, staff_sites):
    first, second = signed_in(staff_app, "admin"), signed_in(staff_app, "editor-here")
    first_form, second_form = edit_form(first), edit_form(second)
    first_form.update({"address": "Their address", "action": "save"})
    assert first.post(f"/admin/sites/{SLUG}", data=first_form).status_code == 302
    second_form.update({"address": "My address", "ward": "Phường Đông Ngạc", "action": "save"})
    response = second.post(f"/admin/sites/{SLUG}", data=second_form)
    assert response.status_code == 409
    page = BeautifulSoup(response.data, "html.parser")
    choice = page.select_one("fieldset#conflict-address")
    assert choice.legend.text == "Address"
    assert choice.select_one("pre.their-value").text == "Their address"
    assert choice.select_one("pre.my-value").text == "My address"
    values = {radio["value"] for radio in choice.select('input[name="resolve-address"]')}
    assert values == {"theirs", "mine"}
    # Sent again without choosing: asked again, nothing saved.
    again = second.post(f"/admin/sites/{SLUG}", data=conflict_form(response))
    assert again.status_code == 409
    assert BeautifulSoup(again.data, "html.parser").select_one("fieldset.unresolved")
    assert facts(staff_sites)["address"] == "Their address"
    # Keeping theirs for the address still saves the ward this person changed.
    chosen = conflict_form(again) | {"resolve-address": "theirs"}
    assert second.post(f"/admin/sites/{SLUG}", data=chosen).status_code == 302
    stored = facts(staff_sites)
    assert stored["address"] == "Their address" and stored["ward"] == "Phường Đông Ngạc"


def test_choosing_mine_writes_mine(staff_app, staff_sites):
    first, second = signed_in(staff_app, "admin"), signed_in(staff_app, "editor-here")
    first_form, second_form = edit_form(first), edit_form(second)
    first_form.update({"story_en": "Theirs.", "action": "save"})
    assert first.post(f"/admin/sites/{SLUG}", data=first_form).status_code == 302
    second_form.update({"story_en": "Mine.", "action": "save"})
    response = second.post(f"/admin/sites/{SLUG}", data=second_form)
    assert response.status_code == 409
    chosen = conflict_form(response) | {"resolve-story.en": "mine"}
    assert second.post(f"/admin/sites/{SLUG}", data=chosen).status_code == 302
    assert story(staff_sites, "en") == "Mine.\n"


def test_a_save_between_the_conflict_page_and_sending_it_is_not_reverted(staff_app, staff_sites):
    first, second = signed_in(staff_app, "admin"), signed_in(staff_app, "editor-here")
    first_form, second_form = edit_form(first), edit_form(second)
    first_form.update({"rank": "national", "action": "save"})
    assert first.post(f"/admin/sites/{SLUG}", data=first_form).status_code == 302
    second_form.update({"ward": "Phường Đông Ngạc", "action": "save"})
    response = second.post(f"/admin/sites/{SLUG}", data=second_form)
    assert response.status_code == 409
    third_form = edit_form(first) | {"opening_hours": "08:00-17:00", "action": "save"}
    assert first.post(f"/admin/sites/{SLUG}", data=third_form).status_code == 302
    again = second.post(f"/admin/sites/{SLUG}", data=conflict_form(response))
    assert again.status_code == 409  # shown anew with the latest save in it
    assert second.post(f"/admin/sites/{SLUG}", data=conflict_form(again)).status_code == 302
    stored = facts(staff_sites)
    assert stored["rank"] == "national"
    assert stored["opening_hours"] == "08:00-17:00"
    assert stored["ward"] == "Phường Đông Ngạc"


def test_the_conflict_page_speaks_vietnamese_first(staff_app, staff_sites):
    first, second = signed_in(staff_app, "admin"), signed_in(staff_app, "editor-here")
    second.environ_base.pop("HTTP_ACCEPT_LANGUAGE")
    first_form, second_form = edit_form(first), edit_form(second)
    first_form.update({"address": "Địa chỉ của họ", "action": "save"})
    assert first.post(f"/admin/sites/{SLUG}", data=first_form).status_code == 302
    second_form.update({"address": "Địa chỉ của tôi", "action": "save"})
    page = BeautifulSoup(second.post(f"/admin/sites/{SLUG}", data=second_form).data, "html.parser")
    assert (
        page.select_one("main h2").text
        == "Cả hai cùng sửa các trường này: hãy chọn cho từng trường"
    )
    assert page.select_one("fieldset#conflict-address label").text.strip() == "Giữ của họ:"
