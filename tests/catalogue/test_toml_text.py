"""Site files parse to the same values and the same errors as with tomllib, only faster."""

from __future__ import annotations

import datetime
import tomllib

import pytest

from guide.catalogue import toml_text
from guide.catalogue.index import load_catalogue
from guide.catalogue.layout import site_file


def test_every_shipped_site_file_gives_tomllibs_values(shipped):
    texts = [
        site_file(folder).read_text(encoding="utf-8")
        for folder in sorted(shipped.iterdir())
        if site_file(folder).is_file()
    ]
    assert len(texts) > 50
    for text in texts:
        assert repr(toml_text.loads(text)) == repr(tomllib.loads(text))


@pytest.mark.parametrize(
    "text",
    [
        'code = "7K2Q"\ncode = "7K2R"\n',
        'name = "Đình\x01"\n',
        "visit_minutes = 4_\n",
        "[name]\n[name]\n",
        # What TOML 1.1 accepts and TOML 1.0 (the catalogue's TOML) refuses.
        'name = { vi = "Đình Chèm",\n en = "Chem communal house" }\n',
        'name = { vi = "}",\n en = "x" }\n',
        'name = { vi = "Đình Chèm", }\n',
        'address = "Làng\\x41"\n',
        'address = "Làng\\e"\n',
        "opened = 07:30\n",
        "checked = 2026-12-01 08:00\n",
    ],
)
def test_a_broken_file_gets_tomllibs_message_line_and_column(text):
    with pytest.raises(tomllib.TOMLDecodeError) as expected:
        tomllib.loads(text)
    with pytest.raises(toml_text.TOMLError) as raised:
        toml_text.loads(text)
    assert str(raised.value) == str(expected.value)
    assert "line" in str(raised.value)


def test_dates_and_times_are_tomllibs_own(tmp_path):
    text = "checked = 2026-12-01T08:00:00Z\n[visits]\nfirst = 07:30:00\n"
    assert toml_text.loads(text) == tomllib.loads(text)
    assert toml_text.loads(text)["checked"].tzinfo is datetime.UTC


def test_a_catalogue_reads_the_same_with_either_parser(shipped, monkeypatch):
    fast = load_catalogue(shipped, use_cache=False)
    monkeypatch.setattr(toml_text, "rtoml", None)
    plain = load_catalogue(shipped, use_cache=False)
    assert fast.sites == plain.sites
    assert [str(p) for p in fast.problems] == [str(p) for p in plain.problems]
