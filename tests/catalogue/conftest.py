"""Fixtures of the tests in tests/catalogue/."""

from __future__ import annotations

import shutil

import pytest
from builders import DEFAULT_SITES

from guide.catalogue import snapshot


@pytest.fixture
def trust_fresh_files(monkeypatch):
    """Keep files just written in the snapshot: tests cannot wait for them to age.

    A real load leaves out files changed in the last two seconds (a coarse clock
    could hide a second change); every change a test makes here alters a size
    or an inode, which no clock hides.
    """
    monkeypatch.setattr(snapshot, "RACY_NS", 0)


@pytest.fixture
def shipped(tmp_path, trust_fresh_files):
    """Return a copy of the shipped catalogue (sources, media, inscriptions, warnings)."""
    root = tmp_path / "sites"
    shutil.copytree(DEFAULT_SITES, root, ignore=shutil.ignore_patterns(".cache"))
    return root
