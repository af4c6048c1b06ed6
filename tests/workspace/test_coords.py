"""Points pasted by staff: decimal, degrees-minutes-seconds and map links."""

from __future__ import annotations

import pytest

from guide.workspace.coords import PointFormatError, parse_point

CHEM = (21.094072, 105.774237)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21.094072, 105.774237", CHEM),
        ("21.094072 105.774237", CHEM),
        ("21.094072,105.774237", CHEM),
        ("  21.094072;105.774237  ", CHEM),
        ("21,094072; 105,774237", CHEM),
        ("21.094072° N, 105.774237° E", CHEM),
        ("N 21.094072, E 105.774237", CHEM),
        ("21.094072N 105.774237E", CHEM),
        ("-33.8688, 151.2093", (-33.8688, 151.2093)),
        ("33.8688 S, 151.2093 E", (-33.8688, 151.2093)),
        ("40.7128 N, 74.0060 W", (40.7128, -74.006)),
    ],
)
def test_decimal_degrees(text, expected):
    assert parse_point(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21°05′38.7″N 105°46′27.3″E", (21.094083, 105.77425)),
        ("21°05'38.7\"N 105°46'27.3\"E", (21.094083, 105.77425)),
        ("21° 05' 38.7\" N, 105° 46' 27.3\" E", (21.094083, 105.77425)),
        ("N21°05′38.7″ E105°46′27.3″", (21.094083, 105.77425)),
        ("105°46′27.3″E 21°05′38.7″N", (21.094083, 105.77425)),
        ("21°5.645′N 105°46.455′E", (21.094083, 105.77425)),
        ("21º05’38.7”N 105º46’27.3”E", (21.094083, 105.77425)),
        ("33°52′08″S 151°12′33″E", (-33.868889, 151.209167)),
    ],
)
def test_degrees_minutes_seconds(text, expected):
    assert parse_point(text) == expected


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://www.openstreetmap.org/?mlat=21.094072&mlon=105.774237#map=18/21.09/105.77", CHEM),
        ("https://www.openstreetmap.org/#map=19/21.094072/105.774237", CHEM),
        ("https://www.openstreetmap.org/#map=19/21.094072/105.774237&layers=N", CHEM),
        ("https://osm.org/?mlat=21.094072&mlon=105.774237", CHEM),
        (
            "https://www.google.com/maps/place/%C4%90%C3%ACnh+Ch%C3%A8m/@21.0941229,105.7719421,17z/"
            "data=!3m1!4b1!4m6!3m5!1s0x3135aa!8m2!3d21.094072!4d105.774237!16s",
            CHEM,
        ),
        ("https://www.google.com/maps/@21.094072,105.774237,17z", CHEM),
        ("https://maps.google.com/?q=21.094072,105.774237", CHEM),
        ("https://www.google.com/maps/search/?api=1&query=21.094072%2C105.774237", CHEM),
        ("https://www.google.com/maps?ll=21.094072,105.774237&z=17", CHEM),
        ("https://www.google.com.vn/maps/dir//21.094072,105.774237/@21.09,105.77,17z", CHEM),
        ("geo:21.094072,105.774237?z=17", CHEM),
        ("www.openstreetmap.org/#map=19/21.094072/105.774237", CHEM),
    ],
)
def test_map_links(link, expected):
    assert parse_point(link) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "nothing pasted"),
        ("near the river", "is not a point"),
        ("https://maps.app.goo.gl/AbCdEf123", "short link"),
        ("https://www.openstreetmap.org/node/6652529905", "names an OpenStreetMap object"),
        ("https://www.google.com/maps/place/%C4%90%C3%ACnh+Ch%C3%A8m", "no coordinates"),
        ("https://example.org/?lat=21&lon=105", "are not read"),
        ("21°61′00″N 105°46′27.3″E", "below 60"),
        ("21°05′38.7″N", "expected latitude and longitude"),
        ("200.5, 300.1", "out of range"),
    ],
)
def test_what_is_not_a_point_is_explained(text, words):
    with pytest.raises(PointFormatError, match=words):
        parse_point(text)


def test_a_swapped_pair_is_read_as_given_for_validation_to_report():
    # Validation (the same as guide check) says "swapped" and how to fix it.
    assert parse_point("105.774237, 21.094072") == (105.774237, 21.094072)
