"""Atomic writes of site folders, and the clean-up of folders an interrupted write left."""

from __future__ import annotations

import os
import time

import pytest

from guide.catalogue import store


def test_a_site_folder_appears_whole_or_not_at_all(tmp_path, monkeypatch):
    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.os, "replace", fail)
    with pytest.raises(OSError):
        store.write_site_folder(tmp_path, "dinh-chem", {"slug": "dinh-chem"}, {"vi": "Chuyện."})
    assert list(tmp_path.iterdir()) == []


def test_only_stale_half_built_folders_are_removed(tmp_path):
    stale, fresh = tmp_path / ".new-dinh-chem.abc", tmp_path / ".new-chua-mot-cot.def"
    for folder in (stale, fresh):
        folder.mkdir()
        (folder / "site.toml").write_text("", encoding="utf-8")
    an_hour_and_more = time.time() - store.STALE_AFTER_S - 60
    os.utime(stale, (an_hour_and_more, an_hour_and_more))
    store.remove_stale_staging(tmp_path)
    assert not stale.exists()
    assert fresh.is_dir()  # another import may be building it right now
