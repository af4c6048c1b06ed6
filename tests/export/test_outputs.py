"""Staging an export's files and moving them into place."""

from __future__ import annotations

from guide.export.outputs import STAGING, clear_staging, commit, write_output

PAGE = b'<html><body><img src="/photos/dinh-chem/cong.jpg"></body></html>'


def staged(out):
    return sorted(path.relative_to(out / STAGING) for path in (out / STAGING).rglob("*"))


def test_a_staged_page_is_one_file_and_lands_in_its_folder(tmp_path):
    out = tmp_path / "out"
    record = write_output(
        out, "en/sites/dinh-chem/index.html", "k", PAGE, "text/html", True, out / STAGING
    )
    assert record["refs"] == ["/photos/dinh-chem/cong.jpg"]
    assert record["size"] == len(PAGE)
    # Nothing is visible before the commit, and the staging folder holds no folders.
    assert not (out / "en").exists()
    assert [path.is_file() for path in (out / STAGING).iterdir()] == [True]
    commit(out, ["en/sites/dinh-chem/index.html"], [])
    assert (out / "en/sites/dinh-chem/index.html").read_bytes() == PAGE
    assert staged(out) == []
    clear_staging(out)
    assert not (out / STAGING).exists()


def test_unchanged_bytes_are_not_staged_and_the_file_stays(tmp_path):
    out = tmp_path / "out"
    target = out / "sites/dinh-chem/index.html"
    target.parent.mkdir(parents=True)
    target.write_bytes(PAGE)
    before = target.stat().st_mtime_ns
    write_output(out, "sites/dinh-chem/index.html", "k", PAGE, "text/html", True, out / STAGING)
    assert not (out / STAGING).exists() or staged(out) == []
    commit(out, ["sites/dinh-chem/index.html"], [])
    assert target.read_bytes() == PAGE and target.stat().st_mtime_ns == before


def test_a_changed_file_replaces_the_old_and_removed_files_go(tmp_path):
    out = tmp_path / "out"
    (out / "sites/dinh-chem").mkdir(parents=True)
    (out / "sites/dinh-chem/index.html").write_bytes(b"old")
    (out / "sites/gone").mkdir(parents=True)
    (out / "sites/gone/index.html").write_bytes(b"gone")
    write_output(out, "sites/dinh-chem/index.html", "k", PAGE, "text/html", True, out / STAGING)
    # Staged but not committed: the served folder still has the last build's bytes.
    assert (out / "sites/dinh-chem/index.html").read_bytes() == b"old"
    commit(out, ["sites/dinh-chem/index.html"], ["sites/gone/index.html"])
    assert (out / "sites/dinh-chem/index.html").read_bytes() == PAGE
    assert not (out / "sites/gone/index.html").exists()


def test_a_page_refers_to_the_guides_own_files_and_not_to_look_alikes():
    from guide.export.outputs import refs_of

    page = (
        '<img src="/photos/dinh-chem/cong.jpg" srcset="/photos/dinh-chem/cong.480.jpg 480w">'
        '<link href="/static/guide.1a2b.css"><a href="https://example.org/static/x.css">x</a>'
        '<a href="/sites/static/y">y</a> see other.org/photos/z.jpg or x/static/-/fonts/f.woff2'
        '<script>fetch("/api/sites/dinh-chem.json?v=1")</script> (/media/Đình Chèm.mp3)'
    )
    assert refs_of("/sites/dinh-chem/index.html", page, "text/html") == {
        "/photos/dinh-chem/cong.jpg",
        "/photos/dinh-chem/cong.480.jpg",
        "/static/guide.1a2b.css",
        "/fonts/f.woff2",
        "/api/sites/dinh-chem.json",
        "/media/Đình",
    }


def test_a_build_into_an_empty_folder_stages_its_layout_and_moves_it_in_whole(tmp_path):
    out = tmp_path / "out"
    css = b"body{background:url(/static/icon.svg)}"
    for relative, body, mimetype in (
        ("en/sites/dinh-chem/index.html", PAGE, "text/html"),
        ("index.html", PAGE, "text/html"),
        ("static/guide.css", css, "text/css"),
    ):
        write_output(out, relative, "k", body, mimetype, True, out / STAGING, whole=True)
    # Nothing is visible before the commit: the pages wait in the staging folder.
    assert sorted(path.name for path in out.iterdir()) == [STAGING]
    staged_folder = (out / STAGING / "en").stat().st_ino
    commit(out, ["en/sites/dinh-chem/index.html", "index.html", "static/guide.css"], [], whole=True)
    assert (out / "en/sites/dinh-chem/index.html").read_bytes() == PAGE
    assert (out / "index.html").read_bytes() == PAGE
    assert (out / "static/guide.css").read_bytes() == css
    # The staged folder itself moved into place, not its files one by one.
    assert (out / "en").stat().st_ino == staged_folder
    assert staged(out) == []


def test_a_folder_that_appeared_during_a_whole_build_keeps_its_files(tmp_path):
    out = tmp_path / "out"
    write_output(out, "static/guide.css", "k", b"new", "text/css", True, out / STAGING, whole=True)
    (out / "static").mkdir()
    (out / "static/guide.css").write_bytes(b"old")
    (out / "static/other.txt").write_bytes(b"someone else's")
    commit(out, ["static/guide.css"], [], whole=True)
    assert (out / "static/guide.css").read_bytes() == b"new"
    assert (out / "static/other.txt").read_bytes() == b"someone else's"
