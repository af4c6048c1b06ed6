"""JSON written into pages keeps no character HTML could read as markup, and reads back the same."""

from __future__ import annotations

import json

from guide.render.jsonhtml import json_for_html

AWKWARD = "</script><!-- Đình & 'Chèm' \u2028\u2029 > \\u003c"


def test_no_markup_character_is_left_raw_and_the_data_reads_back():
    data = {"name": AWKWARD, "list": [AWKWARD * 3, "tiếng Việt", 1.5, None], AWKWARD: True}
    text = str(json_for_html(data))
    for character in "<>&'\u2028\u2029":
        assert character not in text
    assert json.loads(text) == data
    assert "Đình" in text  # letters stay letters, not \\u escapes
