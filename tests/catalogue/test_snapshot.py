"""The catalogue's snapshot: used while the files are unchanged, never hiding a change."""

from __future__ import annotations

import os
import pickle
import shutil

from builders import site_facts, write_site

from guide.catalogue import codes, records, snapshot
from guide.catalogue.index import load_catalogue
from guide.cli import main

SNAPSHOT = (".cache", snapshot.SNAPSHOT_NAME)


def two_sites(root):
    write_site(root, site_facts())
    write_site(root, site_facts(code="CH2K", slug="chua-mot-cot", name={"vi": "Chùa Một Cột"}))
    return root


def test_a_second_load_takes_every_site_from_the_snapshot(shipped):
    first = load_catalogue(shipped)
    assert (first.snapshot_reused, first.snapshot_read) == (0, 79)
    assert shipped.joinpath(*SNAPSHOT).is_file()
    second = load_catalogue(shipped)
    assert (second.snapshot_reused, second.snapshot_read) == (79, 0)
    assert second.sites == first.sites
    assert second.problems == first.problems
    assert [s.folder for s in second] == [shipped / s.slug for s in first]


def test_sites_and_narratives_are_the_same_with_and_without_the_snapshot(shipped):
    load_catalogue(shipped)
    warm = load_catalogue(shipped)
    files = load_catalogue(shipped, use_cache=False)
    assert warm.snapshot_reused == len(files) > 0
    assert warm.sites == files.sites
    assert [str(p) for p in warm.problems] == [str(p) for p in files.problems]
    for mine, theirs in zip(warm, files, strict=True):
        assert mine.story_languages == theirs.story_languages
        for language in theirs.story_languages:
            assert mine.story(language) == theirs.story(language)
            assert mine.story(language)


def test_a_changed_story_shows_on_the_next_load(empty_catalogue, trust_fresh_files):
    two_sites(empty_catalogue)
    load_catalogue(empty_catalogue)
    story = empty_catalogue / "dinh-chem" / "story.vi.md"
    story.write_text("Đình Chèm thờ Lý Ông Trọng.", encoding="utf-8")
    catalogue = load_catalogue(empty_catalogue)
    assert catalogue.by_slug("dinh-chem").story("vi") == "Đình Chèm thờ Lý Ông Trọng."
    assert catalogue.snapshot_read == 1
    # A narrative that turns bad in place is refused, naming its file.
    story.write_text("Đình Chèm\u202e thờ", encoding="utf-8")
    catalogue = load_catalogue(empty_catalogue)
    assert catalogue.by_slug("dinh-chem") is None
    assert any(p.field == "story.vi.md" and "dinh-chem" in p.path for p in catalogue.errors)
    # A new narrative in another language is noticed by the folder's change.
    (empty_catalogue / "chua-mot-cot" / "story.en.md").write_text("Story.", encoding="utf-8")
    catalogue = load_catalogue(empty_catalogue)
    assert [p.field for p in catalogue.errors if "chua-mot-cot" in p.path] == ["name.en"]


def test_edited_deleted_and_added_sites_show_on_the_next_load(empty_catalogue, trust_fresh_files):
    two_sites(empty_catalogue)
    load_catalogue(empty_catalogue)
    path = empty_catalogue / "dinh-chem" / "site.toml"
    path.write_text(path.read_text().replace("visit_minutes = 45", "visit_minutes = 120"))
    shutil.rmtree(empty_catalogue / "chua-mot-cot")
    write_site(empty_catalogue, site_facts(code="DB3X", slug="den-bach-ma", name={"vi": "Đền"}))
    catalogue = load_catalogue(empty_catalogue)
    assert [s.slug for s in catalogue] == ["den-bach-ma", "dinh-chem"]
    assert catalogue.by_slug("dinh-chem").visit_minutes == 120
    assert (catalogue.snapshot_reused, catalogue.snapshot_read) == (0, 2)
    again = load_catalogue(empty_catalogue)
    assert (again.snapshot_reused, again.snapshot_read) == (2, 0)


def test_a_truncated_snapshot_is_rebuilt(empty_catalogue, trust_fresh_files):
    two_sites(empty_catalogue)
    load_catalogue(empty_catalogue)
    stored = empty_catalogue.joinpath(*SNAPSHOT)
    stored.write_bytes(stored.read_bytes()[: stored.stat().st_size // 2])
    catalogue = load_catalogue(empty_catalogue)
    assert [s.slug for s in catalogue] == ["chua-mot-cot", "dinh-chem"]
    assert catalogue.snapshot_read == 2
    assert load_catalogue(empty_catalogue).snapshot_reused == 2


class _Planted:
    """What a foreign snapshot could hold: a call made while unpickling."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


def test_a_foreign_snapshot_is_refused_not_run(empty_catalogue, tmp_path, trust_fresh_files):
    two_sites(empty_catalogue)
    load_catalogue(empty_catalogue)
    stored = empty_catalogue.joinpath(*SNAPSHOT)
    marker = tmp_path / "ran"
    stored.write_bytes(snapshot._MAGIC + pickle.dumps(((), {"dinh-chem": _Planted(marker)})))
    catalogue = load_catalogue(empty_catalogue)
    assert not marker.exists()
    assert len(catalogue) == 2 and catalogue.snapshot_read == 2


def test_a_changed_configuration_voids_the_snapshot(empty_catalogue, trust_fresh_files):
    two_sites(empty_catalogue)
    load_catalogue(empty_catalogue)
    config = empty_catalogue / "catalogue.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert load_catalogue(empty_catalogue).snapshot_reused == 0


def test_check_names_broken_files_on_every_load(runner, empty_catalogue, trust_fresh_files):
    two_sites(empty_catalogue)
    (empty_catalogue / "chua-mot-cot" / "site.toml").write_text("code = ", encoding="utf-8")
    outputs = []
    for _ in range(2):
        result = runner.invoke(main, ["check", "--sites", str(empty_catalogue)])
        assert result.exit_code == 1
        outputs.append(result.output)
    assert load_catalogue(empty_catalogue).snapshot_reused == 2
    assert outputs[0] == outputs[1]
    line = next(line for line in outputs[1].splitlines() if "chua-mot-cot" in line)
    assert f"{empty_catalogue / 'chua-mot-cot' / 'site.toml'}: is not valid TOML" in line


def test_a_snapshot_of_the_wrong_shape_is_refused(empty_catalogue, trust_fresh_files):
    two_sites(empty_catalogue)
    load_catalogue(empty_catalogue)
    stored = empty_catalogue.joinpath(*SNAPSHOT)
    key, (names, files, stamps, width, values, problems) = pickle.loads(
        stored.read_bytes()[len(snapshot._MAGIC) :]
    )
    # One value short: every value after it would belong to the wrong field.
    short = (names, files, stamps, width, values[:-1], problems)
    stored.write_bytes(snapshot._MAGIC + pickle.dumps((key, short)))
    catalogue = load_catalogue(empty_catalogue)
    assert (catalogue.snapshot_reused, catalogue.snapshot_read) == (0, 2)
    assert [s.slug for s in catalogue] == ["chua-mot-cot", "dinh-chem"]
    assert load_catalogue(empty_catalogue).snapshot_reused == 2


def test_a_site_read_again_keeps_the_others_in_the_snapshot(empty_catalogue, trust_fresh_files):
    two_sites(empty_catalogue)
    first = load_catalogue(empty_catalogue)
    path = empty_catalogue / "dinh-chem" / "site.toml"
    path.write_text(path.read_text().replace("visit_minutes = 45", "visit_minutes = 50"))
    second = load_catalogue(empty_catalogue)
    assert (second.snapshot_reused, second.snapshot_read) == (1, 1)
    third = load_catalogue(empty_catalogue)
    assert (third.snapshot_reused, third.snapshot_read) == (2, 0)
    assert third.by_slug("dinh-chem").visit_minutes == 50
    assert third.by_slug("chua-mot-cot") == first.by_slug("chua-mot-cot")


def test_only_the_changed_folders_among_many_are_read_again(empty_catalogue, trust_fresh_files):
    taken: set[str] = set()
    slugs = [f"di-tich-{n}" for n in range(8)]
    for slug in slugs:
        code = codes.issue(taken)
        taken.add(code)
        write_site(empty_catalogue, site_facts(code=code, slug=slug, name={"vi": slug}))
    load_catalogue(empty_catalogue)
    # A story edited in place, a story deleted, a site.toml edited in place and a folder
    # gone, spread over the catalogue: each is one folder read again, the others are kept.
    (empty_catalogue / "di-tich-1" / "story.vi.md").write_text("Đã sửa.", encoding="utf-8")
    (empty_catalogue / "di-tich-4" / "story.vi.md").unlink()
    facts = empty_catalogue / "di-tich-6" / "site.toml"
    facts.write_text(facts.read_text().replace("visit_minutes = 45", "visit_minutes = 90"))
    shutil.rmtree(empty_catalogue / "di-tich-7")
    catalogue = load_catalogue(empty_catalogue)
    assert (catalogue.snapshot_reused, catalogue.snapshot_read) == (4, 3)
    assert catalogue.by_slug("di-tich-1").story("vi") == "Đã sửa."
    assert catalogue.by_slug("di-tich-4").story_languages == ()
    assert catalogue.by_slug("di-tich-6").visit_minutes == 90
    assert catalogue.by_slug("di-tich-7") is None
    files = load_catalogue(empty_catalogue, use_cache=False)
    assert catalogue.sites == files.sites
    assert [str(p) for p in catalogue.problems] == [str(p) for p in files.problems]


def test_a_damaged_record_is_read_again_and_the_others_kept(empty_catalogue, trust_fresh_files):
    two_sites(empty_catalogue)
    fresh = load_catalogue(empty_catalogue, use_cache=False)
    load_catalogue(empty_catalogue)
    stored = empty_catalogue.joinpath(*SNAPSHOT)
    key, (names, files, stamps, width, values, problems) = pickle.loads(
        stored.read_bytes()[len(snapshot._MAGIC) :]
    )
    # The first site's rank detail with more values than the record has fields.
    values[records._RANK_AT] = tuple(range(99))
    damaged = (names, files, stamps, width, values, problems)
    stored.write_bytes(snapshot._MAGIC + pickle.dumps((key, damaged)))
    catalogue = load_catalogue(empty_catalogue)
    assert (catalogue.snapshot_reused, catalogue.snapshot_read) == (1, 1)
    assert catalogue.sites == fresh.sites
