"""JSON that is safe to write inside an HTML page: in a ``<script>`` element or an attribute.

Pages hand data to their scripts as JSON in ``<script type="application/json">``
(or ``application/ld+json``) elements, never as script source. ``json.dumps``
alone is not enough there: a name holding ``</script>`` would end the element,
``<!--`` would start an HTML comment, and U+2028/U+2029 end a line in older
JavaScript parsers. Every such character is written as a JSON ``\\uXXXX``
escape, which ``JSON.parse`` and any JSON reader turn back into the same text.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

# Characters that mean something to HTML (or to old JavaScript) inside a script element.
_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "'": "\\u0027",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def json_for_html(data: Any) -> Markup:
    """Return ``data`` as compact JSON with no character HTML could read as markup.

    >>> str(json_for_html({"name": "</script><b>&'\\u2028"}))
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026\\\\u0027\\\\u2028"}'
    >>> json.loads(json_for_html(["Đình Chèm"]))
    ['Đình Chèm']
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # One replace per character present: str.translate looks every character up
    # in a table, many times slower on a story's summary or the map's data. No
    # escape holds a character of another, so the order does not matter.
    for character, escape in _ESCAPES.items():
        if character in text:
            text = text.replace(character, escape)
    return Markup(text)


def json_script(data: Any, element_id: str) -> Markup:
    """Return a ``<script type="application/json">`` element holding ``data``.

    >>> str(json_script({"a": 1}, "map-config"))
    '<script type="application/json" id="map-config">{"a":1}</script>'
    """
    return Markup('<script type="application/json" id="{}">{}</script>').format(
        element_id, json_for_html(data)
    )
