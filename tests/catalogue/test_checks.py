"""Whole-catalogue checks: near duplicates, media files, the code ledger."""

from __future__ import annotations

from builders import beside_minimums, site_facts, write_site

from guide.catalogue.checks import check_catalogue
from guide.catalogue.index import load_catalogue


def messages(root):
    # These tests are about duplicates, media and the ledger; test_minimums.py has the rest.
    return [str(p) for p in beside_minimums(check_catalogue(load_catalogue(root)))]


def test_two_sites_within_30_m_with_similar_names_warn(make_catalogue):
    # About 11 m north of the first point.
    root = make_catalogue(
        site_facts(),
        site_facts(
            code="7K2R", slug="den-chem", name={"vi": "Đình Chèm (Đền Chèm)"}, lat=21.094172
        ),
    )
    found = [m for m in messages(root) if m.startswith("warning:")]
    assert len(found) == 1
    assert "dinh-chem/site.toml" in found[0] and "11 m from den-chem" in found[0]


def test_close_sites_with_different_names_do_not_warn(make_catalogue):
    root = make_catalogue(
        site_facts(),
        site_facts(code="7K2R", slug="bia-ky-niem", name={"vi": "Bia kỷ niệm"}, lat=21.094172),
    )
    assert messages(root) == []


def test_similar_names_far_apart_do_not_warn(make_catalogue):
    root = make_catalogue(
        site_facts(),
        site_facts(code="7K2R", slug="den-chem", name={"vi": "Đình Chèm"}, lat=21.0960),
    )
    assert messages(root) == []


def test_missing_media_file_is_an_error(make_catalogue):
    root = make_catalogue(site_facts(media=[{"file": "cong.jpg", "credit": "UBND"}]))
    found = messages(root)
    assert len(found) == 1
    assert "media[0].file" in found[0] and "'cong.jpg' not found" in found[0]
    (root / "dinh-chem" / "cong.jpg").write_bytes(b"\xff\xd8\xff")
    assert messages(root) == []


def test_code_missing_from_the_ledger_warns(make_catalogue):
    root = make_catalogue(site_facts())
    write_site(
        root,
        site_facts(
            code="7K2R",
            slug="chua-mot-cot",
            name={"vi": "Chùa Một Cột"},
            lat=21.0359,
            lon=105.8336,
            area="001",
        ),
    )
    ledger = root / "codes.txt"
    ledger.write_text(ledger.read_text().replace("7K2R chua-mot-cot\n", ""))
    found = messages(root)
    assert len(found) == 1
    assert "7K2R is not in codes.txt" in found[0] and "'7K2R chua-mot-cot'" in found[0]
