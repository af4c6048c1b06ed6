"""Photos and recordings in the staff workspace: captions, order, removal and putting back.

Through the HTTP test client, on a writable copy of the shipped catalogue, with
real photos made by Pillow and real recordings encoded by PyAV.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from browsing import client_as, csrf_token, form_fields, media_files, stored, upload
from bs4 import BeautifulSoup
from builders import png

from guide.catalogue.checks import check_catalogue
from guide.catalogue.index import load_catalogue

SLUG = "dinh-chem"  # in area 021: editor-here may edit it, editor-other may not


def soup(response) -> BeautifulSoup:
    """Parse a response's HTML."""
    return BeautifulSoup(response.data, "html.parser")


def media_form(client, slug: str = SLUG) -> dict:
    """Return the media list form of a site's editor as a browser would submit it."""
    response = client.get(f"/admin/sites/{slug}")
    assert response.status_code == 200
    return form_fields(response.data, "form#media-list")


def row_of(form: dict, file: str) -> int:
    """Return the row number of ``file`` in a media list form."""
    return next(int(k.split("-")[1]) for k, v in form.items() if k.endswith("-file") and v == file)


def public_photos(app, slug: str = SLUG, language: str = "vi") -> list[tuple[str, str]]:
    """Return (photo URL, caption) of each photo on the public story page."""
    prefix = "" if language == "vi" else f"/{language}"
    page = soup(app.test_client().get(f"{prefix}/sites/{slug}"))
    found = []
    for figure in page.select("figure.photo"):
        caption = figure.figcaption.contents[0] if figure.figcaption else ""
        found.append((figure.img["src"], str(caption).strip()))
    return found


def revision_summaries(client, slug: str = SLUG) -> list[str]:
    """Return the summaries of a site's revisions, newest first."""
    rows = soup(client.get(f"/admin/sites/{slug}/history")).select("table.history tbody tr")
    return [row.select("td")[3].text for row in rows]


# --- Captions in every language, credit and licence -------------------------------------


def test_an_upload_keeps_a_caption_in_each_language(staff_app, staff_sites):
    client = client_as(staff_app, "editor-here")
    response = upload(
        client,
        png((120, 60, 20)),
        "mai-dinh.png",
        caption_vi="Mái đình nhìn từ sân",
        caption_en="The roof seen from the yard",
        credit="Nguyễn Văn A",
        licence="CC BY 4.0",
    )
    assert response.status_code == 302
    entry = stored(staff_sites)["media"][-1]
    assert entry["caption"] == {"vi": "Mái đình nhìn từ sân", "en": "The roof seen from the yard"}
    assert entry["credit"] == "Nguyễn Văn A" and entry["licence"] == "CC BY 4.0"
    assert [c for _src, c in public_photos(staff_app, language="en")] == [
        "The roof seen from the yard"
    ]
    assert [c for _src, c in public_photos(staff_app, language="vi")] == ["Mái đình nhìn từ sân"]


def test_captions_credit_and_licence_are_edited_in_every_language(
    staff_app, staff_sites, two_photos
):
    client = client_as(staff_app, "editor-here")
    form = media_form(client)
    n = row_of(form, two_photos[0])
    assert form[f"item-{n}-caption-vi"] == "Cổng đình"
    assert form[f"item-{n}-caption-en"] == ""
    form.update(
        {
            f"item-{n}-caption-vi": "Cổng tam quan",
            f"item-{n}-caption-en": "The three-entrance gate",
            f"item-{n}-credit": "Trần Thị B",
            f"item-{n}-licence": "CC BY-SA 4.0",
            "action": "save",
        }
    )
    response = client.post(f"/admin/sites/{SLUG}/media/list", data=form)
    assert response.status_code == 302
    entry = stored(staff_sites)["media"][0]
    assert entry["caption"] == {"vi": "Cổng tam quan", "en": "The three-entrance gate"}
    assert (entry["credit"], entry["licence"]) == ("Trần Thị B", "CC BY-SA 4.0")
    # The other photo is as it was.
    assert stored(staff_sites)["media"][1]["caption"] == {"vi": "Sân đình"}
    assert public_photos(staff_app, language="en")[0][1] == "The three-entrance gate"
    page = soup(staff_app.test_client().get(f"/en/sites/{SLUG}"))
    assert "Trần Thị B" in page.select("figure.photo")[0].select_one(".credit").text
    assert "CC BY-SA 4.0" in page.select("figure.photo")[0].select_one(".credit").text
    summary = revision_summaries(client)[0]
    assert summary == f"caption, credit, licence of {two_photos[0]}"
    # The form shows what is stored now.
    again = media_form(client)
    assert again[f"item-{n}-caption-en"] == "The three-entrance gate"


def test_emptying_a_caption_removes_it_and_nothing_changed_records_nothing(
    staff_app, staff_sites, two_photos
):
    client = client_as(staff_app, "admin")
    before = len(revision_summaries(client))
    form = media_form(client)
    form["action"] = "save"
    response = client.post(f"/admin/sites/{SLUG}/media/list", data=form, follow_redirects=True)
    assert any("Nothing changed" in f.text for f in soup(response).select(".flash"))
    assert len(revision_summaries(client)) == before
    form = media_form(client)
    form[f"item-{row_of(form, two_photos[1])}-caption-vi"] = ""
    form["action"] = "save"
    client.post(f"/admin/sites/{SLUG}/media/list", data=form)
    assert stored(staff_sites)["media"][1]["caption"] == {}


def test_a_caption_too_long_is_explained_next_to_it_and_nothing_changes(
    staff_app, staff_sites, two_photos
):
    before = (staff_sites / SLUG / "site.toml").read_bytes()
    client = client_as(staff_app, "admin")
    form = media_form(client)
    n = row_of(form, two_photos[1])
    form.update({f"item-{n}-caption-en": "x" * 501, f"item-{n}-credit": "Ai đó", "action": "save"})
    response = client.post(f"/admin/sites/{SLUG}/media/list", data=form)
    assert response.status_code == 422
    page = soup(response)
    help_texts = [p.text for p in page.select(f"#help-item-{n}-caption-en p.error")]
    assert help_texts and "At most 500 characters" in help_texts[0]
    assert page.select_one(f"#item-{n}-caption-en")["aria-invalid"] == "true"
    # What was typed is kept in the form.
    assert page.select_one(f"#item-{n}-credit")["value"] == "Ai đó"
    assert (staff_sites / SLUG / "site.toml").read_bytes() == before


# --- Order ----------------------------------------------------------------------------


def test_photos_are_reordered_and_visitors_see_the_new_order(staff_app, staff_sites, two_photos):
    first_url = public_photos(staff_app)[0][0]
    assert two_photos[0] in first_url
    client = client_as(staff_app, "editor-here")
    form = media_form(client)
    page = soup(client.get(f"/admin/sites/{SLUG}"))
    assert page.select_one('button[value="up-0"]').has_attr("disabled")
    assert page.select_one('button[value="down-1"]').has_attr("disabled")
    form["action"] = f"up-{row_of(form, two_photos[1])}"
    response = client.post(f"/admin/sites/{SLUG}/media/list", data=form)
    assert response.status_code == 302
    assert media_files(staff_sites) == [two_photos[1], two_photos[0]]
    assert [two_photos[1] in src for src, _c in public_photos(staff_app)] == [True, False]
    assert revision_summaries(client)[0] == "order of photos and recordings"
    # Captions travel with their photo.
    assert stored(staff_sites)["media"][0]["caption"] == {"vi": "Sân đình"}
    form = media_form(client)
    form["action"] = "down-0"
    client.post(f"/admin/sites/{SLUG}/media/list", data=form)
    assert media_files(staff_sites) == two_photos


def test_an_unknown_action_is_refused(staff_app, staff_sites, two_photos):
    client = client_as(staff_app, "admin")
    form = media_form(client)
    for action in ("up-9", "sideways-0", "remove-x"):
        form["action"] = action
        assert client.post(f"/admin/sites/{SLUG}/media/list", data=form).status_code == 400
    assert media_files(staff_sites) == two_photos


# --- Removing and putting back: nothing is lost ----------------------------------------


def test_removing_a_photo_keeps_the_file_and_it_can_be_put_back(staff_app, staff_sites, two_photos):
    gone = two_photos[0]
    public_url = public_photos(staff_app)[0][0]
    client = client_as(staff_app, "editor-here")
    form = media_form(client)
    n = row_of(form, gone)
    form.update({f"item-{n}-caption-en": "Gate", "action": f"remove-{n}"})
    response = client.post(f"/admin/sites/{SLUG}/media/list", data=form)
    assert response.status_code == 302
    assert media_files(staff_sites) == [two_photos[1]]
    # The file stays in the site's folder; visitors no longer see it.
    assert (staff_sites / SLUG / gone).is_file()
    assert all(gone not in src for src, _c in public_photos(staff_app))
    assert staff_app.test_client().get(public_url).status_code == 404
    assert [p for p in check_catalogue(load_catalogue(staff_sites)) if p.level == "error"] == []
    assert revision_summaries(client)[0] == f"{gone} removed from the site (file kept)"
    # The editor lists it as removed and offers to put it back.
    page = soup(client.get(f"/admin/sites/{SLUG}"))
    removed = page.select_one(f'ul.removed-media li[data-file="{gone}"]')
    assert removed is not None
    back = form_fields(str(removed), "form")
    response = client.post(f"/admin/sites/{SLUG}/media/put-back", data=back)
    assert response.status_code == 302
    assert media_files(staff_sites) == [two_photos[1], gone]
    # Its caption and credit come back from the revisions.
    assert stored(staff_sites)["media"][1]["caption"] == {"vi": "Cổng đình"}
    assert revision_summaries(client)[0] == f"{gone} put back"
    assert soup(client.get(f"/admin/sites/{SLUG}")).select("ul.removed-media li") == []


def test_only_removed_media_files_can_be_put_back(staff_app, staff_sites, two_photos):
    client = client_as(staff_app, "admin")
    (staff_sites / SLUG / "notes.txt").write_text("not media", encoding="utf-8")
    page = soup(client.get(f"/admin/sites/{SLUG}"))
    digest = page.select_one('input[name="list-base_digest"]')["value"]
    for file in (two_photos[0], "notes.txt", "../dinh-chem/site.toml", "web/x.480.png"):
        response = client.post(
            f"/admin/sites/{SLUG}/media/put-back",
            data={"back-csrf_token": csrf_token(client), "back-base_digest": digest, "file": file},
        )
        assert response.status_code == 404, file
    assert media_files(staff_sites) == two_photos


def test_removing_and_replacing_recordings_keeps_every_file(staff_app, staff_sites, mp3_bytes):
    from builders import encoded_audio

    other_mp3 = encoded_audio("mp3", "libmp3lame", 22050, 0.5)
    client = client_as(staff_app, "editor-here")
    assert upload(client, mp3_bytes, "a.mp3", "audio", language="en").status_code == 302
    first = media_files(staff_sites)[0]
    assert upload(client, other_mp3, "b.mp3", "audio", language="en").status_code == 302
    second = media_files(staff_sites)[0]
    assert media_files(staff_sites) == [second] and first != second
    assert (staff_sites / SLUG / first).read_bytes() == mp3_bytes
    page = soup(client.get(f"/admin/sites/{SLUG}"))
    assert page.select_one(f'ul.removed-media li[data-file="{first}"] audio') is not None
    # Putting the first narration back replaces the second, which is kept too.
    back = form_fields(str(page.select_one(f'ul.removed-media li[data-file="{first}"]')), "form")
    assert client.post(f"/admin/sites/{SLUG}/media/put-back", data=back).status_code == 302
    assert media_files(staff_sites) == [first]
    assert load_catalogue(staff_sites).by_slug(SLUG).audio("en").file == first
    assert (staff_sites / SLUG / second).is_file()
    # Removing the narration takes it off the story page and keeps the file.
    form = media_form(client)
    form["action"] = "remove-0"
    assert client.post(f"/admin/sites/{SLUG}/media/list", data=form).status_code == 302
    assert media_files(staff_sites) == []
    story = soup(staff_app.test_client().get(f"/en/sites/{SLUG}"))
    assert story.select("audio") == []
    assert (staff_sites / SLUG / first).is_file() and (staff_sites / SLUG / second).is_file()


def test_the_same_photo_uploaded_twice_is_listed_once(staff_app, staff_sites):
    client = client_as(staff_app, "admin")
    data = png((10, 120, 10))
    upload(client, data, "a.png")
    response = upload(client, data, "a-again.png")
    assert response.status_code == 302
    assert len(media_files(staff_sites)) == 1
    page = soup(client.get(response.headers["Location"]))
    assert any(
        "already" in f.text and media_files(staff_sites)[0] in f.text for f in page.select(".flash")
    )
    assert len(list((staff_sites / SLUG / "photos").iterdir())) == 1


# --- Who may change media --------------------------------------------------------------

EXPECTED = {"anonymous": 401, "viewer": 403, "editor-other": 403, "editor-here": 302, "admin": 302}


@pytest.mark.parametrize("role", sorted(EXPECTED))
@pytest.mark.parametrize("action", ["caption", "remove", "put-back"])
def test_changing_media_is_allowed_only_in_the_editors_areas(
    staff_app, staff_sites, two_photos, role, action
):
    admin = client_as(staff_app, "admin")
    if action == "put-back":
        form = media_form(admin)
        form["action"] = "remove-0"
        admin.post(f"/admin/sites/{SLUG}/media/list", data=form)
    before = (staff_sites / SLUG / "site.toml").read_bytes()
    # The form as an administrator sees it: what a forged request from the others would send.
    page = soup(admin.get(f"/admin/sites/{SLUG}"))
    client = client_as(staff_app, role)
    token = csrf_token(client)
    if action == "put-back":
        url = f"/admin/sites/{SLUG}/media/put-back"
        data = form_fields(str(page.select_one("ul.removed-media li")), "form")
        data["back-csrf_token"] = token
    else:
        url = f"/admin/sites/{SLUG}/media/list"
        data = form_fields(str(page), "form#media-list")
        data["list-csrf_token"] = token
        data["item-0-caption-en"] = "Gate"
        data["action"] = "save" if action == "caption" else "remove-1"
    response = client.post(url, data=data)
    assert response.status_code == EXPECTED[role], response.data[:300]
    changed = (staff_sites / SLUG / "site.toml").read_bytes() != before
    assert changed == (EXPECTED[role] == 302)


def test_viewers_see_media_without_buttons(staff_app, two_photos):
    page = soup(client_as(staff_app, "viewer").get(f"/admin/sites/{SLUG}"))
    items = page.select("form#media-list li.media-item")
    assert [item["data-file"] for item in items] == two_photos
    assert all(item.fieldset.has_attr("disabled") for item in items)
    assert page.select("form#media-list button") == []
    assert page.select("form.upload") == []


# --- The same save path: conflicts, atomic writes, revisions ---------------------------


def test_a_media_change_after_someone_elses_save_gets_a_conflict(
    staff_app, staff_sites, two_photos
):
    first = client_as(staff_app, "admin")
    second = client_as(staff_app, "editor-here")
    first_form, second_form = media_form(first), media_form(second)
    first_form.update({"item-0-caption-vi": "Cổng đình làng Chèm", "action": "save"})
    assert first.post(f"/admin/sites/{SLUG}/media/list", data=first_form).status_code == 302
    second_form.update({"item-1-caption-en": "The yard, from the gate", "action": "remove-0"})
    response = second.post(f"/admin/sites/{SLUG}/media/list", data=second_form)
    assert response.status_code == 409
    page = soup(response)
    assert page.select_one(".media-conflict") is not None
    added = [s.text for s in page.select(".media-conflict pre.diff span.add")]
    assert any("The yard, from the gate" in line for line in added)
    # Nothing of the first save was overwritten, nothing of the second saved.
    facts = stored(staff_sites)
    assert facts["media"][0]["caption"] == {"vi": "Cổng đình làng Chèm"}
    assert media_files(staff_sites) == two_photos
    assert "en" not in facts["media"][1]["caption"]
    # The form keeps the second person's text over the saved list, ready to save again.
    kept = form_fields(response.data, "form#media-list")
    assert kept["item-1-caption-en"] == "The yard, from the gate"
    kept["action"] = "save"
    assert second.post(f"/admin/sites/{SLUG}/media/list", data=kept).status_code == 302
    assert stored(staff_sites)["media"][1]["caption"]["en"] == "The yard, from the gate"


def test_an_upload_after_the_page_was_opened_makes_removal_a_conflict(
    staff_app, staff_sites, two_photos
):
    client = client_as(staff_app, "admin")
    form = media_form(client)
    upload(client_as(staff_app, "editor-here"), png((1, 2, 3)), "moi.png")
    form["action"] = "remove-0"
    assert client.post(f"/admin/sites/{SLUG}/media/list", data=form).status_code == 409
    assert len(media_files(staff_sites)) == 3


def test_a_media_save_interrupted_by_a_crash_leaves_the_old_file(
    staff_app, staff_sites, two_photos, monkeypatch
):
    import os

    from guide.catalogue import store

    before = (staff_sites / SLUG / "site.toml").read_bytes()
    client = client_as(staff_app, "admin")
    form = media_form(client)
    form["action"] = "remove-0"

    def crash(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.os, "fsync", crash)
    response = client.post(f"/admin/sites/{SLUG}/media/list", data=form)
    monkeypatch.setattr(store.os, "fsync", os.fsync)
    assert response.status_code == 500
    assert "could not be saved" in soup(response).select_one("#media .error-summary").text
    assert (staff_sites / SLUG / "site.toml").read_bytes() == before
    assert not [p for p in (staff_sites / SLUG).iterdir() if p.name.endswith(".tmp")]


# --- Revisions cover media -------------------------------------------------------------


def test_restoring_a_revision_restores_the_media_list(staff_app, staff_sites, two_photos):
    client = client_as(staff_app, "editor-here")
    form = media_form(client)
    form.update({"item-0-caption-en": "Gate", "action": "remove-1"})
    client.post(f"/admin/sites/{SLUG}/media/list", data=form)
    assert media_files(staff_sites) == [two_photos[0]]
    history = soup(client.get(f"/admin/sites/{SLUG}/history")).select("table.history tbody tr")
    # The revision with both photos, as uploaded (before the caption and the removal).
    both = next(
        int(row.select("td")[0].text)
        for row in history
        if row.select("td")[3].text == f"photo {two_photos[1]} added"
    )
    revision = soup(client.get(f"/admin/sites/{SLUG}/history/{both}"))
    assert [li["data-file"] for li in revision.select("ul.revision-media li")] == two_photos
    response = client.post(
        f"/admin/sites/{SLUG}/history/{both}/restore", data={"csrf_token": csrf_token(client)}
    )
    assert response.status_code == 302
    facts = stored(staff_sites)
    assert media_files(staff_sites) == two_photos
    assert facts["media"][0]["caption"] == {"vi": "Cổng đình"}
    assert [two_photos[0] in src for src, _c in public_photos(staff_app)] == [True, False]
    # Restoring the first revision (before any photo) takes them off the site, keeping the files.
    client.post(f"/admin/sites/{SLUG}/history/1/restore", data={"csrf_token": csrf_token(client)})
    assert media_files(staff_sites) == []
    assert all((staff_sites / SLUG / file).is_file() for file in two_photos)
    page = soup(client.get(f"/admin/sites/{SLUG}"))
    assert [li["data-file"] for li in page.select("ul.removed-media li")] == sorted(two_photos)


def test_no_file_a_revision_lists_is_ever_deleted(staff_app, staff_sites, mp3_bytes):
    from builders import encoded_audio

    from guide.workspace.db import Revision, db

    client = client_as(staff_app, "admin")
    upload(client, png((200, 0, 0)), "a.png", caption_vi="A")
    upload(client, png((0, 200, 0)), "b.png")
    upload(client, mp3_bytes, "x.mp3", "audio", language="vi")
    upload(client, encoded_audio("mp3", "libmp3lame", 22050, 0.5), "y.mp3", "audio", language="vi")
    for action in ("up-1", "remove-0", "remove-0"):
        form = media_form(client)
        form["action"] = action
        assert client.post(f"/admin/sites/{SLUG}/media/list", data=form).status_code == 302
    client.post(f"/admin/sites/{SLUG}/history/2/restore", data={"csrf_token": csrf_token(client)})
    data = form_fields(client.get(f"/admin/sites/{SLUG}").data)
    data.update({"name_en": "Chem Communal House", "action": "save"})
    client.post(f"/admin/sites/{SLUG}", data=data)
    with staff_app.app_context():
        listed = {
            entry["file"]
            for revision in db.session.query(Revision).filter_by(slug=SLUG)
            for entry in tomllib.loads(revision.files["site.toml"]).get("media", [])
        }
    assert len(listed) == 4
    assert all((staff_sites / SLUG / file).is_file() for file in listed)


def test_a_revision_whose_file_is_missing_is_not_restored(staff_app, staff_sites, two_photos):
    client = client_as(staff_app, "admin")
    history = soup(client.get(f"/admin/sites/{SLUG}/history")).select("table.history tbody tr")
    newest = int(history[0].select("td")[0].text)
    form = media_form(client)
    form["action"] = "remove-0"
    client.post(f"/admin/sites/{SLUG}/media/list", data=form)
    (staff_sites / SLUG / two_photos[0]).unlink()  # lost outside the guide
    before = (staff_sites / SLUG / "site.toml").read_bytes()
    response = client.post(
        f"/admin/sites/{SLUG}/history/{newest}/restore",
        data={"csrf_token": csrf_token(client)},
        follow_redirects=True,
    )
    errors = [f.text for f in soup(response).select(".flash.error")]
    assert any("Not restored" in e and two_photos[0] in e for e in errors), errors
    assert (staff_sites / SLUG / "site.toml").read_bytes() == before


def test_the_editor_never_deletes_a_media_file():
    """The save path deletes only narratives; a media file name is refused."""
    from guide.workspace.editing import write_files

    with pytest.raises(ValueError, match="only narratives"):
        write_files(Path("/nonexistent"), {"photos/gate.jpg": None})
