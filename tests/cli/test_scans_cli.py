"""``guide scans`` reports the arrivals and page views that real visits left in the database."""

from __future__ import annotations

import csv
import io

import pytest

from guide.cli import main


def rows(output: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(output)))


def test_counts_by_code_split_into_plaque_and_link_with_the_views(runner, scanned):
    result = runner.invoke(main, ["scans", "--by", "code", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert rows(result.stdout) == [
        ["code", "plaque", "link", "total", "views"],
        ["P7ZT", "3", "1", "4", "5"],
        ["QZ6W", "2", "0", "2", "2"],
        ["X42C", "0", "1", "1", "1"],
    ]


def test_an_area_by_its_name_without_accents_and_by_area_language_and_day(runner, scanned):
    result = runner.invoke(main, ["scans", "--area", "quan hoan kiem", "--format", "csv"])
    assert [r[0] for r in rows(result.stdout)[1:]] == ["P7ZT", "X42C"]
    by_area = rows(runner.invoke(main, ["scans", "--by", "area", "--format", "csv"]).stdout)
    assert by_area[1:] == [
        ["Quận Hoàn Kiếm", "3", "2", "5", "6"],
        ["Quận Ba Đình", "2", "0", "2", "2"],
    ]
    by_language = rows(runner.invoke(main, ["scans", "--by", "language", "--format", "csv"]).stdout)
    assert by_language[1:] == [["vi", "5", "1", "6", "7"], ["en", "0", "1", "1", "1"]]
    by_day = rows(runner.invoke(main, ["scans", "--by", "day", "--format", "csv"]).stdout)
    assert by_day[1:] == [[scanned.isoformat(), "5", "2", "7", "8"]]


def test_a_period_without_scans_and_the_table_format(runner, scanned):
    later = runner.invoke(main, ["scans", "--since", "2999-01-01", "--format", "csv"])
    assert rows(later.stdout) == [["code", "plaque", "link", "total", "views"]]
    table = runner.invoke(main, ["scans", "--by", "via", "--until", scanned.isoformat()])
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["via", "plaque", "link", "total", "views"]
    # A view cannot tell how the visitor came: every view is under "link".
    assert lines[1].split() == ["plaque", "5", "0", "5", "0"]
    assert lines[2].split() == ["link", "0", "2", "2", "8"]
    assert lines[-1].split() == ["total", "5", "2", "7", "8"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--since", "2025-13-01"], "'2025-13-01' is not a day: write it as YYYY-MM-DD"),
        (["--until", "hôm qua"], "'hôm qua' is not a day"),
        (["--since", "2025-02-01", "--until", "2025-01-01"], "--since 2025-02-01 is after"),
        (["--area", "Sao Hỏa"], "'Sao Hỏa' is not an area id or name"),
    ],
)
def test_bad_dates_and_areas_are_refused_with_the_reason(runner, scanned, args, message):
    result = runner.invoke(main, ["scans", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
