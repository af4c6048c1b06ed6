"""A server started on the catalogue's snapshot still shows the narratives as they are now."""

from __future__ import annotations

from bs4 import BeautifulSoup

from guide import create_app
from guide.catalogue import snapshot
from guide.web import get_catalogue


def started(root, tmp_path):
    return create_app(
        {
            "TESTING": True,
            "GUIDE_SITES": str(root),
            "GUIDE_PHOTO_CACHE": str(tmp_path / "photo-cache"),
        }
    )


def narrative(app, path: str) -> str:
    response = app.test_client().get(path, follow_redirects=True)
    assert response.status_code == 200
    found = BeautifulSoup(response.data, "html.parser").find(id="narrative")
    return found.get_text(" ", strip=True) if found else ""


def test_a_restart_shows_a_story_edited_in_place_and_a_new_language(
    story_root, tmp_path, monkeypatch
):
    # Files just written are kept in the snapshot (a real load waits two seconds for
    # that); every change here alters a size or the folder, which no clock hides.
    monkeypatch.setattr(snapshot, "RACY_NS", 0)
    folder = story_root / "dinh-chem"
    (folder / "story.en.md").unlink()
    first = started(story_root, tmp_path)
    assert "The Chèm house" not in narrative(first, "/en/sites/dinh-chem")
    # Written in place (no new file in the folder), and a narrative in a further language.
    with open(folder / "story.vi.md", "r+", encoding="utf-8") as story:
        story.truncate(0)
        story.write("Đình Chèm, bản sửa tại chỗ.")
    (folder / "story.en.md").write_text("The Chèm house, in English.", encoding="utf-8")
    again = started(story_root, tmp_path)
    with again.app_context():
        catalogue = get_catalogue()
        # Only the changed folder was read again; the other sites came from the snapshot.
        assert catalogue.snapshot_read == 1 and catalogue.snapshot_reused > 1
    assert narrative(again, "/sites/dinh-chem") == "Đình Chèm, bản sửa tại chỗ."
    assert narrative(again, "/en/sites/dinh-chem") == "The Chèm house, in English."
