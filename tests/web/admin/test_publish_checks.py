"""Publishing a draft shows its open problems first; "needs story" in the workspace."""

from __future__ import annotations

import tomllib

import tomli_w
from browsing import csrf_token, form_fields, sign_in
from bs4 import BeautifulSoup
from builders import FULL_STORIES, INDEPENDENT_SOURCES, make_staff_app
from PIL import Image

from guide.catalogue.checks import check_catalogue
from guide.catalogue.index import load_catalogue

SLUG = "nha-van-hoa-thon"


def facts_of(sites, slug=SLUG) -> dict:
    return tomllib.loads((sites / slug / "site.toml").read_text(encoding="utf-8"))


def write_draft(sites, **changes) -> None:
    """Write a located draft in area 021 (where editor-here may edit)."""
    facts = {
        "code": "7K2W",
        "slug": SLUG,
        "status": "draft",
        "kind": "architecture",
        "rank": "city",
        "lat": 21.07,
        "lon": 105.77,
        "area": "021",
        "name": {"vi": "Nhà văn hóa thôn", "en": "Village hall"},
        "sources": INDEPENDENT_SOURCES,
        "media": [{"file": "gate.png", "credit": "UBND", "licence": "CC BY 4.0"}],
    }
    facts.update(changes)
    folder = sites / SLUG
    folder.mkdir()
    (folder / "site.toml").write_text(tomli_w.dumps(facts), encoding="utf-8")
    Image.new("RGB", (64, 48), (150, 20, 20)).save(folder / "gate.png")
    for language, text in FULL_STORIES.items():
        (folder / f"story.{language}.md").write_text(text, encoding="utf-8")
    with (sites / "codes.txt").open("a", encoding="utf-8") as ledger:
        ledger.write(f"7K2W {SLUG}\n")


def editor_client(sites, tmp_path):
    app = make_staff_app(sites, tmp_path)
    client = app.test_client()
    assert sign_in(client, "editor-here").status_code == 302
    return client


def publish(client, **extra):
    data = {"csrf_token": csrf_token(client), "status": "publish", **extra}
    return client.post(f"/admin/sites/{SLUG}/status", data=data)


def test_a_draft_without_problems_publishes_in_one_click(staff_sites, tmp_path):
    write_draft(staff_sites)
    client = editor_client(staff_sites, tmp_path)
    response = publish(client)
    assert response.status_code == 302
    assert facts_of(staff_sites)["status"] == "published"
    assert "needs_story" not in facts_of(staff_sites)


def test_open_problems_are_shown_and_publish_anyway_takes_one_more_click(staff_sites, tmp_path):
    write_draft(
        staff_sites,
        rank="",
        media=[],
        sources=[
            {"url": "https://www.openstreetmap.org/node/1", "supports": "coordinate"},
            {"url": "https://example.org/dinh", "supports": "history"},
            {"url": "https://www.wikidata.org/wiki/Q1", "supports": "coordinate (Wikidata)"},
        ],
    )
    (staff_sites / SLUG / "story.en.md").write_text("A short story. [2]", encoding="utf-8")
    client = editor_client(staff_sites, tmp_path)
    response = publish(client)
    assert response.status_code == 200
    assert facts_of(staff_sites)["status"] == "draft"
    page = BeautifulSoup(response.data, "html.parser")
    problems = [li.get_text(" ", strip=True) for li in page.select("#publish-problems li")]
    assert any("No photo" in p for p in problems)
    assert any("No heritage rank" in p for p in problems)
    assert any("placeholder" in p and "https://example.org/dinh" in p for p in problems)
    assert any("story in EN has 3 words" in p for p in problems)
    assert not any("story in VI" in p for p in problems)
    assert any("1 independent publishers" in p for p in problems)
    assert page.select_one("#marks-needs-story") is not None
    # The button is a real form: its fields, CSRF token included, publish anyway.
    fields = form_fields(response.data, "form[action$='/status']")
    assert fields["confirm"] == "1" and fields["csrf_token"]
    again = client.post(f"/admin/sites/{SLUG}/status", data=fields)
    assert again.status_code == 302
    stored = facts_of(staff_sites)
    assert stored["status"] == "published" and stored["needs_story"] is True
    errors = [
        p
        for p in check_catalogue(load_catalogue(staff_sites))
        if p.level == "error" and f"/{SLUG}/" in p.path
    ]
    assert errors == []


def test_confirming_without_the_csrf_token_is_refused(staff_sites, tmp_path):
    write_draft(staff_sites, rank="")
    client = editor_client(staff_sites, tmp_path)
    response = client.post(
        f"/admin/sites/{SLUG}/status", data={"status": "publish", "confirm": "1"}
    )
    assert response.status_code == 400
    assert facts_of(staff_sites)["status"] == "draft"


def test_guide_check_errors_are_among_the_open_problems(staff_sites, tmp_path):
    write_draft(staff_sites)
    (staff_sites / SLUG / "story.vi.md").write_text(FULL_STORIES["vi"] + " [9]", encoding="utf-8")
    client = editor_client(staff_sites, tmp_path)
    page = BeautifulSoup(publish(client).data, "html.parser")
    problems = [li.get_text(" ", strip=True) for li in page.select("#publish-problems li")]
    assert any(p.startswith("story.vi.md") and "[9]" in p for p in problems)


def test_needs_story_shows_in_the_list_and_the_editor_and_can_be_cleared(staff_sites, tmp_path):
    client = editor_client(staff_sites, tmp_path)
    listing = BeautifulSoup(client.get("/admin/").data, "html.parser")
    row = listing.select_one('tr[data-slug="o-thuy-chuong"]')
    assert "needs story" in [flag.get_text(strip=True) for flag in row.select(".flag")]
    chem = listing.select_one('tr[data-slug="dinh-chem"]')
    assert "needs story" not in [flag.get_text(strip=True) for flag in chem.select(".flag")]
    # Đình Chèm lies in the editor's area: set the flag, then clear it.
    editor = client.get("/admin/sites/dinh-chem")
    assert BeautifulSoup(editor.data, "html.parser").select_one("#needs-story") is None
    data = form_fields(editor.data)
    assert "needs_story" not in data
    data.update(needs_story="y", action="save")
    assert client.post("/admin/sites/dinh-chem", data=data).status_code == 302
    assert facts_of(staff_sites, "dinh-chem")["needs_story"] is True
    page = client.get("/admin/sites/dinh-chem")
    soup = BeautifulSoup(page.data, "html.parser")
    assert soup.select_one("#needs-story").get_text(strip=True) == "needs story"
    assert soup.select_one("input[name=needs_story]").has_attr("checked")
    data = form_fields(page.data)
    data.pop("needs_story")
    data["action"] = "save"
    assert client.post("/admin/sites/dinh-chem", data=data).status_code == 302
    assert "needs_story" not in facts_of(staff_sites, "dinh-chem")
