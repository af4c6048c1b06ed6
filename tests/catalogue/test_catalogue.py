"""The catalogue library: loading, validation of each site, look-ups and nearby search."""

from __future__ import annotations

import random

import pytest
from builders import DEFAULT_SITES, edit_site, site_facts, write_site

from guide.catalogue.geo import distance_m
from guide.catalogue.index import load_catalogue


def problems_of(root):
    catalogue = load_catalogue(root)
    return catalogue, [str(p) for p in catalogue.problems]


def only_problem(root, field):
    catalogue, problems = problems_of(root)
    matching = [p for p in problems if f": {field}: " in p]
    assert matching, f"no problem on {field!r} in {problems}"
    return catalogue, matching[0]


def test_a_valid_site_loads_with_its_facts(make_catalogue):
    root = make_catalogue(site_facts())
    catalogue, problems = problems_of(root)
    assert problems == []
    site = catalogue.by_slug("dinh-chem")
    assert site.name["vi"] == "Đình Chèm"
    assert (site.lat, site.lon) == (21.094072, 105.774237)
    assert site.story("vi") == "Câu chuyện."


def test_missing_field_names_file_field_and_fix(make_catalogue):
    facts = site_facts()
    del facts["kind"]
    catalogue, problem = only_problem(make_catalogue(facts), "kind")
    assert "dinh-chem/site.toml" in problem
    assert "missing" in problem and 'add kind = "..."' in problem
    assert catalogue.by_slug("dinh-chem") is None


def test_mistyped_field_says_what_type_is_wanted(make_catalogue):
    _, problem = only_problem(make_catalogue(site_facts(visit_minutes="45")), "visit_minutes")
    assert "'45'" in problem and "whole number of minutes" in problem


def test_story_in_a_language_without_a_name(empty_catalogue):
    facts = site_facts(name={"vi": "Đình Chèm"})
    write_site(empty_catalogue, facts, {"vi": "Chuyện.", "en": "Story."})
    _, problem = only_problem(empty_catalogue, "name.en")
    assert "story.en.md exists" in problem and 'add en = "..."' in problem


def test_empty_name_is_reported(make_catalogue):
    _, problem = only_problem(
        make_catalogue(site_facts(name={"vi": "Đình Chèm", "en": " "})), "name.en"
    )
    assert "empty" in problem


@pytest.mark.parametrize(("lat", "lon", "field"), [(95.0, 105.77, "lat"), (21.09, 185.0, "lon")])
def test_coordinates_out_of_range(make_catalogue, lat, lon, field):
    _, problem = only_problem(make_catalogue(site_facts(lat=lat, lon=lon)), field)
    assert "out of range" in problem


def test_swapped_latitude_and_longitude_gives_the_corrected_pair(make_catalogue):
    root = make_catalogue(site_facts(lat=105.774237, lon=21.094072))
    _, problem = only_problem(root, "lat/lon")
    assert "swap" in problem
    assert "lat = 21.094072, lon = 105.774237" in problem
    assert "Quận Bắc Từ Liêm" in problem


def test_point_outside_its_stated_area_names_the_real_area(make_catalogue):
    # Area "001" is Ba Đình in the boundary file; the point is Đình Chèm in Bắc Từ Liêm.
    _, problem = only_problem(make_catalogue(site_facts(area="001")), "area")
    assert "Quận Bắc Từ Liêm" in problem and "Quận Ba Đình" in problem
    assert 'area = "021"' in problem


def test_point_outside_every_area(make_catalogue):
    _, problem = only_problem(make_catalogue(site_facts(lat=10.77, lon=106.70)), "lat/lon")
    assert "outside every area" in problem


def test_duplicate_codes_keep_the_first_site_and_report_the_second(make_catalogue):
    root = make_catalogue(
        site_facts(),
        site_facts(
            slug="chua-mot-cot", name={"vi": "Chùa Một Cột"}, lat=21.0359, lon=105.8336, area="001"
        ),
    )
    catalogue, problem = only_problem(root, "code")
    assert "7K2Q is already the code of" in problem
    assert len(catalogue) == 1


def test_slug_must_match_its_folder(empty_catalogue):
    folder = write_site(empty_catalogue, site_facts())
    folder.rename(empty_catalogue / "dinh-chem-2")
    _, problem = only_problem(empty_catalogue, "slug")
    assert "differs from the folder name 'dinh-chem-2'" in problem


@pytest.mark.parametrize("slug", ["../etc", "Đình", "a--b", "UPPER"])
def test_unsafe_slugs_are_refused(empty_catalogue, slug):
    write_site(empty_catalogue, site_facts(slug=slug), folder_name="some-site")
    _, problem = only_problem(empty_catalogue, "slug")
    assert "not a safe slug" in problem


@pytest.mark.parametrize(
    "path", ["../secret.jpg", "/etc/gate.jpg", "photos/../../x.jpg", "C:\\x.jpg"]
)
def test_unsafe_media_paths_are_refused(make_catalogue, path):
    root = make_catalogue(site_facts(media=[{"file": path, "credit": "x"}]))
    _, problem = only_problem(root, "media[0].file")
    assert "not a safe path" in problem


def test_invalid_code_is_refused(make_catalogue):
    _, problem = only_problem(make_catalogue(site_facts(code="O0I1")), "code")
    assert "not a site code" in problem


def test_published_site_needs_a_location(make_catalogue):
    facts = site_facts(lat=None, lon=None)
    _, problem = only_problem(make_catalogue(facts), "lat")
    assert "set status = 'draft'" in problem


def test_draft_without_location_loads_and_needs_location(make_catalogue):
    catalogue, problems = problems_of(
        make_catalogue(site_facts(lat=None, lon=None, status="draft"))
    )
    assert problems == []
    assert catalogue.by_slug("dinh-chem").needs_location


def test_one_broken_site_file_does_not_stop_the_others(make_catalogue):
    root = make_catalogue(site_facts())
    broken = root / "broken-site"
    broken.mkdir()
    (broken / "site.toml").write_text('code = "ABCD"\nslug = ', encoding="utf-8")
    catalogue, problems = problems_of(root)
    assert [s.slug for s in catalogue] == ["dinh-chem"]
    assert any("broken-site/site.toml" in p and "not valid TOML" in p for p in problems)


def test_code_lookup_ignores_case(make_catalogue):
    catalogue = load_catalogue(make_catalogue(site_facts()))
    assert catalogue.by_code("7k2q").slug == "dinh-chem"
    assert catalogue.by_code(" 7K2Q ").slug == "dinh-chem"
    assert catalogue.by_code("7K2R") is None


def test_search_ignores_diacritics_and_case():
    catalogue = load_catalogue(DEFAULT_SITES)
    for query in ("dinh chem", "ĐÌNH CHÈM", "Đình Chèm"):
        assert "dinh-chem" in [s.slug for s in catalogue.filter(q=query)]
    assert "dinh-chem" not in [s.slug for s in catalogue.filter(q="chua")]


def test_filters_combine():
    catalogue = load_catalogue(DEFAULT_SITES)
    found = catalogue.filter(status="published", kind="communal-house", area="021")
    assert [s.slug for s in found] == ["dinh-chem"]
    assert all(s.area == "001" for s in catalogue.in_area("001"))


def test_nearby_matches_a_full_scan_with_geopy():
    catalogue = load_catalogue(DEFAULT_SITES)
    located = [s for s in catalogue if s.has_location]
    rng = random.Random(7)
    for _ in range(20):
        lat, lon = rng.uniform(20.95, 21.1), rng.uniform(105.75, 105.9)
        radius = rng.choice([300, 1000, 3000])
        expected = sorted(
            (distance_m((lat, lon), (s.lat, s.lon)), s.slug)
            for s in located
            if distance_m((lat, lon), (s.lat, s.lon)) <= radius
        )
        got = [(round(m, 6), s.slug) for s, m in catalogue.nearby(lat, lon, radius)]
        assert got == [(round(m, 6), slug) for m, slug in expected]


def test_nearby_filters_by_status():
    catalogue = load_catalogue(DEFAULT_SITES)
    chem = catalogue.by_slug("dinh-chem")
    found = catalogue.nearby(chem.lat, chem.lon, 5000, status="published")
    assert found[0][0].slug == "dinh-chem" and found[0][1] == pytest.approx(0)
    assert all(site.status == "published" for site, _ in found)


def test_the_snapshot_notices_edited_files(make_catalogue):
    root = make_catalogue(site_facts())
    assert load_catalogue(root).by_slug("dinh-chem").visit_minutes == 45
    assert (root / ".cache" / "catalogue.snapshot").is_file()
    edit_site(root / "dinh-chem", visit_minutes=50)
    assert load_catalogue(root).by_slug("dinh-chem").visit_minutes == 50
    edit_site(root / "dinh-chem", visit_minutes="x")
    catalogue = load_catalogue(root)
    assert catalogue.by_slug("dinh-chem") is None
    assert any(p.field == "visit_minutes" for p in catalogue.problems)


def test_a_corrupt_snapshot_is_ignored(make_catalogue):
    root = make_catalogue(site_facts())
    load_catalogue(root)
    (root / ".cache" / "catalogue.snapshot").write_text("{not a snapshot", encoding="utf-8")
    assert load_catalogue(root).by_slug("dinh-chem") is not None
