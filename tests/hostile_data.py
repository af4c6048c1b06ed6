"""Catalogue texts that hold template syntax and script break-outs, for the escaping tests."""

from __future__ import annotations

import os

from builders import site_facts

# Everything a template engine, an HTML parser or a JavaScript parser could take for code.
HOSTILE = (
    "{{ 7*191 }} {% print(1) %} {{ lipsum.__globals__ }} {# c #}"
    " </script><script>alert(1)</script> \" ' & \u2028 \u2029 <!-- x"
)
NAME = "Đình X " + HOSTILE
OTHER = "Đền Y {{ lipsum.__globals__.os.getpid() }}"
NARRATIVE = f"Câu chuyện {HOSTILE}\n\nĐoạn hai {{{{ 7*191 }}}}.\n"
TOUR = f"Hành trình {HOSTILE}"
# What the server would have printed, had it evaluated the texts.
EVALUATED = ("1337", "<function", "<module", f"Đền Y {os.getpid()}")

A = site_facts(
    code="AAAA", slug="site-a", area="001", lat=21.0325, lon=105.83972, visit_minutes=45,
    name={"vi": NAME, "en": NAME}, address=HOSTILE, kind="communal-house",
)  # fmt: skip
B = site_facts(
    code="BBBB", slug="site-b", area="001", lat=21.035257, lon=105.840252, visit_minutes=30,
    name={"vi": OTHER, "en": OTHER},
)  # fmt: skip


HTML_NAME = '<script>alert("x")</script> Đình <b>Hàng</b> & "Mã"'

# A site name that would run script, were the map to set it as HTML.
MARKUP_NAME = '<img src=x onerror="window.hacked=1">Đình <b>Thử</b>'
