"""Narratives are rendered from Markdown and sanitized."""

from __future__ import annotations

from bs4 import BeautifulSoup

from guide.render.markdown import render_markdown


def parsed(text: str) -> BeautifulSoup:
    return BeautifulSoup(render_markdown(text), "html.parser")


def test_markdown_becomes_html():
    html = parsed(
        "## Lịch sử\n\nĐình **Chèm** thờ *Lý Ông Trọng*.\n\n- một\n- hai\n\n[Nguồn](https://nhandan.vn/)"
    )
    assert html.h2.text == "Lịch sử"
    assert html.strong.text == "Chèm" and html.em.text == "Lý Ông Trọng"
    assert [li.text for li in html.select("li")] == ["một", "hai"]
    assert html.a["href"] == "https://nhandan.vn/"
    assert "noopener" in html.a["rel"]


def test_tables_are_kept():
    html = parsed("| Năm | Sự kiện |\n|---|---|\n| 2017 | Di tích quốc gia đặc biệt |")
    assert [td.text for td in html.select("td")] == ["2017", "Di tích quốc gia đặc biệt"]


def test_scripts_handlers_and_dangerous_links_are_removed():
    html = parsed(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[click](javascript:alert(1)) ![p](data:image/svg+xml,<svg onload=alert(1)>)"
        '\n\n<a href="https://x.example" onclick="alert(1)">x</a><style>body{}</style>'
    )
    assert html.find("script") is None and html.find("style") is None
    for tag in html.find_all(True):
        assert not [name for name in tag.attrs if name.startswith("on")]
        for attribute in ("href", "src"):
            assert not str(tag.get(attribute, "")).startswith(("javascript:", "data:"))


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
