"""Loads shared with a forked child: the same catalogue as one process gives, every change seen."""

from __future__ import annotations

import os
import threading
import time
from pathlib import PurePosixPath

import pytest
from builders import site_facts, write_site

from guide.catalogue import forked, index
from guide.catalogue.index import load_catalogue
from guide.catalogue.reader import folder_name, read_text

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here")


@pytest.fixture
def children(monkeypatch):
    """Share every first load with a child, even a small one; return the children started."""
    started = []
    start = forked.start

    def counted(work):
        child = start(work)
        started.append(child)
        return child

    monkeypatch.setattr(index, "FORK_AT", 2)
    monkeypatch.setattr(index, "STAT_FORK_AT", 2)
    monkeypatch.setattr(forked, "start", counted)
    monkeypatch.setattr(forked, "cores", lambda: 2)
    return started


def seen(catalogue):
    """Return what a user of the catalogue sees: sites, folders, stories, problems."""
    return (
        catalogue.sites,
        [str(site.folder) for site in catalogue],
        [[site.story(language) for language in site.story_languages] for site in catalogue],
        [str(problem) for problem in catalogue.problems],
        catalogue.problems,
    )


def test_a_shared_first_load_gives_the_catalogue_of_a_single_process(shipped, children):
    # A warned site and a broken one among the last folders, which the child reads.
    write_site(shipped, site_facts(code="7K2W", slug="zz-dinh", painted="yes"))
    write_site(shipped, site_facts(code="7K2X", slug="zz-chua", lat="north"))
    shared = load_catalogue(shipped, use_cache=False)
    assert len(children) == 1 and children[0] is not None  # a child did read half
    alone = index.FORK_AT
    index.FORK_AT = 10**9
    try:
        single = load_catalogue(shipped, use_cache=False)
    finally:
        index.FORK_AT = alone
    assert len(children) == 1
    assert len(shared) == len(single) > 60
    assert {p.level for p in single.problems} == {"error", "warning"}
    assert seen(shared) == seen(single)


def test_the_snapshot_written_by_a_shared_load_serves_the_next_load(shipped, children):
    first = load_catalogue(shipped)
    second = load_catalogue(shipped)
    assert (second.snapshot_reused, second.snapshot_read) == (first.snapshot_read, 0)
    assert seen(second) == seen(first)


def test_stamps_taken_by_a_child_show_every_change_on_the_next_load(
    empty_catalogue, children, trust_fresh_files
):
    for number in range(4):
        write_site(empty_catalogue, site_facts(code=f"7K2{'QRST'[number]}", slug=f"dinh-{number}"))
    load_catalogue(empty_catalogue)
    unchanged = load_catalogue(empty_catalogue)
    assert (unchanged.snapshot_reused, unchanged.snapshot_read) == (4, 0)
    assert len(children) == 2 and children[1] is not None  # the stamps came from a child
    # A story edited in place, a site edited, one removed and one added.
    (empty_catalogue / "dinh-0" / "story.vi.md").write_text("Đình thờ Thành hoàng.", "utf-8")
    write_site(empty_catalogue, site_facts(code="7K2R", slug="dinh-1", name={"vi": "Đình Mới"}))
    for file in (empty_catalogue / "dinh-2").iterdir():
        file.unlink()
    (empty_catalogue / "dinh-2").rmdir()
    write_site(empty_catalogue, site_facts(code="7K2U", slug="dinh-4"))
    catalogue = load_catalogue(empty_catalogue)
    assert [site.slug for site in catalogue] == ["dinh-0", "dinh-1", "dinh-3", "dinh-4"]
    assert catalogue.by_slug("dinh-0").story("vi") == "Đình thờ Thành hoàng."
    assert catalogue.by_slug("dinh-1").name["vi"] == "Đình Mới"
    assert (catalogue.snapshot_reused, catalogue.snapshot_read) == (1, 3)


def test_changes_among_the_folders_the_parent_stats_show_on_the_next_load(
    empty_catalogue, children, trust_fresh_files
):
    # The child stats the first folders, the parent the last ones once its sites are made.
    slugs = [f"dinh-{number}" for number in range(6)]
    for number, slug in enumerate(slugs):
        write_site(empty_catalogue, site_facts(code=f"7K2{'QRSTUV'[number]}", slug=slug))
    load_catalogue(empty_catalogue)
    assert load_catalogue(empty_catalogue).snapshot_reused == 6
    (empty_catalogue / "dinh-5" / "story.vi.md").write_text("Đình làng Mới.", "utf-8")
    write_site(empty_catalogue, site_facts(code="7K2U", slug="dinh-4", name={"vi": "Đình Cũ"}))
    write_site(empty_catalogue, site_facts(code="7K2Q", slug="dinh-0", name={"vi": "Đình Đầu"}))
    catalogue = load_catalogue(empty_catalogue)
    assert len(children) == 4 and None not in children  # stats and reads shared each time
    assert [site.slug for site in catalogue] == slugs
    assert catalogue.by_slug("dinh-5").story("vi") == "Đình làng Mới."
    assert catalogue.by_slug("dinh-4").name["vi"] == "Đình Cũ"
    assert catalogue.by_slug("dinh-0").name["vi"] == "Đình Đầu"
    assert (catalogue.snapshot_reused, catalogue.snapshot_read) == (3, 3)


def test_broken_files_are_named_whichever_process_read_them(empty_catalogue, children):
    for number in range(6):
        slug = f"dinh-{number}"
        write_site(empty_catalogue, site_facts(code=f"7K2{'QRSTUV'[number]}", slug=slug))
    (empty_catalogue / "dinh-5" / "site.toml").write_text('code = "7K2V\nslug =', "utf-8")
    (empty_catalogue / "dinh-4" / "story.vi.md").write_bytes(b"\xff\xfe")
    catalogue = load_catalogue(empty_catalogue, use_cache=False)
    assert [site.slug for site in catalogue] == ["dinh-0", "dinh-1", "dinh-2", "dinh-3"]
    where = {(os.path.basename(os.path.dirname(p.path)), p.field) for p in catalogue.errors}
    assert ("dinh-5", "") in where
    assert ("dinh-4", "story.vi.md") in where
    toml = next(p for p in catalogue.errors if "dinh-5" in p.path)
    assert "line" in toml.message


def test_a_child_that_fails_leaves_the_work_to_the_parent():
    child = forked.start(lambda: 1 / 0)
    if child is None:
        pytest.skip("no second core")
    assert child.result() is None
    child = forked.start(lambda: [("7K2Q", 1.5, None, {"vi": "Đình"}), b"\x00"])
    assert child.result() == [("7K2Q", 1.5, None, {"vi": "Đình"}), b"\x00"]


def test_with_other_threads_running_a_load_forks_nothing(shipped, children):
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        catalogue = load_catalogue(shipped)
    finally:
        stop.set()
        other.join()
    assert children == [None]  # asked, and refused: a fork could copy a held lock
    assert len(catalogue) > 60 and catalogue.snapshot_read == len(catalogue)


def test_a_parent_that_fails_meanwhile_leaves_no_child_behind():
    child = forked.start(lambda: time.sleep(60))
    if child is None:
        pytest.skip("no second core")
    with pytest.raises(KeyboardInterrupt), forked.waited(child):
        raise KeyboardInterrupt
    with pytest.raises(ChildProcessError):  # reaped already: no such child any more
        os.waitpid(child.pid, os.WNOHANG)


def test_line_ends_of_any_kind_read_as_the_text_stream_reads_them(tmp_path):
    path = tmp_path / "story.vi.md"
    path.write_bytes("Đình\r\nChèm\rThụy Phương\n".encode())
    assert read_text(str(path)) == path.read_text(encoding="utf-8") == "Đình\nChèm\nThụy Phương\n"
    path.write_bytes(b"\xffx")
    with pytest.raises(UnicodeDecodeError) as raised:
        read_text(str(path))
    with pytest.raises(UnicodeDecodeError) as expected:
        path.read_text(encoding="utf-8")
    assert str(raised.value) == str(expected.value)


@pytest.mark.parametrize(
    "path",
    [
        "sites/dinh-chem/site.toml",
        "site.toml",
        "/site.toml",
        "",
        "/",
        "a//b/./site.toml",
        "a/b/",
        "./dinh/site.toml",
        "x/../site.toml",
        "//srv/dinh/site.toml",
        "dinh/.",
    ],
)
def test_the_folder_of_a_site_file_is_named_as_paths_name_it(path):
    assert folder_name(path) == PurePosixPath(path).parent.name
