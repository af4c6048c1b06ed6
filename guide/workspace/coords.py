"""Read a point that staff paste: decimal degrees, degrees-minutes-seconds or a map link.

>>> parse_point("21.094072, 105.774237")
(21.094072, 105.774237)
>>> parse_point("21°05′38.7″N 105°46′27.3″E")
(21.094083, 105.77425)
>>> parse_point("https://www.openstreetmap.org/?mlat=21.0941&mlon=105.7742#map=18/21.0941/105.7742")
(21.0941, 105.7742)

The result is (latitude, longitude) rounded to six decimals (about 10 cm). It
is not checked against the catalogue's areas here: swapped or misplaced points
are caught by the same validation as ``guide check``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

from guide.messages import N_, MessageError

PRECISION = 6


class PointFormatError(MessageError):
    """The text is not a point in a form the guide reads; the message says what to paste."""


_NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
# Symbols people and programs use for degrees, minutes and seconds.
_DEGREE = "°º˚d"
_MINUTE = "'′’‘`m"
_SECOND = '"″”“s'
_HEMISPHERE = "NSEWnsew"
_DMS_RE = re.compile(
    rf"""
    (?P<pre>[{_HEMISPHERE}])?\s*
    (?P<deg>\d+(?:[.,]\d+)?)\s*[{_DEGREE}]\s*
    (?:(?P<min>\d+(?:[.,]\d+)?)\s*[{_MINUTE}]\s*)?
    (?:(?P<sec>\d+(?:[.,]\d+)?)\s*(?:[{_SECOND}]|[{_MINUTE}]{{2}})\s*)?
    (?P<post>[{_HEMISPHERE}])?
    """,
    re.VERBOSE,
)
_DECIMAL_PAIR_RE = re.compile(
    rf"^\s*(?P<lat>{_NUMBER})\s*°?\s*(?P<lat_h>[NSns])?\s*[,;\s]\s*"
    rf"(?P<lon>{_NUMBER})\s*°?\s*(?P<lon_h>[EWew])?\s*$"
)
_PREFIXED_PAIR_RE = re.compile(
    rf"^\s*(?P<lat_h>[NSns])\s*(?P<lat>{_NUMBER})\s*°?\s*[,;\s]\s*"
    rf"(?P<lon_h>[EWew])\s*(?P<lon>{_NUMBER})\s*°?\s*$"
)
_GOOGLE_PIN_RE = re.compile(rf"!3d({_NUMBER})!4d({_NUMBER})")
_AT_RE = re.compile(rf"@({_NUMBER}),({_NUMBER})(?:,|$|/|\?)")
_OSM_HASH_RE = re.compile(rf"map=\d+(?:\.\d+)?/({_NUMBER})/({_NUMBER})")
_PAIR_RE = re.compile(rf"^\s*(?:loc:)?\s*({_NUMBER})\s*,\s*({_NUMBER})")


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _checked(lat: float, lon: float, what: str) -> tuple[float, float]:
    # A latitude beyond 90 is let through when it could be a swapped pair: the catalogue's
    # validation then says "swapped" and how to fix it, which helps more than "out of range".
    if not -180 <= lat <= 180 or (abs(lat) > 90 and abs(lon) > 90):
        raise PointFormatError(
            N_("%(what)s: latitude %(lat)s is out of range (-90 to 90)"), what=what, lat=lat
        )
    if not -180 <= lon <= 180:
        raise PointFormatError(
            N_("%(what)s: longitude %(lon)s is out of range (-180 to 180)"), what=what, lon=lon
        )
    return round(lat, PRECISION), round(lon, PRECISION)


def parse_point(text: str) -> tuple[float, float]:
    """Return (lat, lon) from pasted text; raise PointFormatError saying what to paste."""
    text = unquote(text.strip()) if "://" in text or text.startswith("geo:") else text.strip()
    if not text:
        raise PointFormatError(
            N_(
                'nothing pasted: paste "21.094072, 105.774237", "21°05′38.7″N 105°46′27.3″E", '
                "or a link from OpenStreetMap or Google Maps"
            )
        )
    if text.lower().startswith(("http://", "https://", "geo:", "www.", "maps.", "google.")):
        return _parse_link(text)
    for pattern in (_DECIMAL_PAIR_RE, _PREFIXED_PAIR_RE):
        found = pattern.match(text)
        if found:
            lat, lon = _number(found["lat"]), _number(found["lon"])
            if (found["lat_h"] or "").upper() == "S":
                lat = -abs(lat)
            if (found["lon_h"] or "").upper() == "W":
                lon = -abs(lon)
            return _checked(lat, lon, repr(text))
    if any(symbol in text for symbol in _DEGREE[:-1]):
        return _parse_dms(text)
    raise PointFormatError(
        N_(
            '%(text)s is not a point: paste "21.094072, 105.774237", '
            '"21°05′38.7″N 105°46′27.3″E", or a link from OpenStreetMap or Google Maps'
        ),
        text=repr(text),
    )


def _parse_dms(text: str) -> tuple[float, float]:
    values = []
    for found in _DMS_RE.finditer(text):
        if not found["deg"]:
            continue
        degrees = _number(found["deg"])
        minutes = _number(found["min"]) if found["min"] else 0.0
        seconds = _number(found["sec"]) if found["sec"] else 0.0
        if minutes >= 60 or seconds >= 60:
            raise PointFormatError(
                N_("%(text)s: minutes and seconds must be below 60"),
                text=repr(found.group(0).strip()),
            )
        hemisphere = (found["pre"] or found["post"] or "").upper()
        values.append((degrees + minutes / 60 + seconds / 3600, hemisphere))
    if len(values) != 2:
        raise PointFormatError(
            N_(
                "%(text)s: found %(count)s coordinate(s) in degrees, expected latitude and "
                'longitude: paste "21.094072, 105.774237", "21°05′38.7″N 105°46′27.3″E", '
                "or a link from OpenStreetMap or Google Maps"
            ),
            text=repr(text),
            count=len(values),
        )
    (first, first_h), (second, second_h) = values
    if first_h in "EW" and first_h and second_h in "NS" and second_h:
        (first, first_h), (second, second_h) = (second, second_h), (first, first_h)
    lat = -first if first_h == "S" else first
    lon = -second if second_h == "W" else second
    return _checked(lat, lon, repr(text))


def _parse_link(link: str) -> tuple[float, float]:
    if link.lower().startswith("geo:"):
        found = _PAIR_RE.match(link[4:])
        if found:
            return _checked(_number(found[1]), _number(found[2]), link)
        raise PointFormatError(N_("%(link)s: a geo: link needs 'geo:LAT,LON'"), link=repr(link))
    if not link.lower().startswith(("http://", "https://")):
        link = "https://" + link
    parts = urlsplit(link)
    host = parts.netloc.lower()
    query = parse_qs(parts.query)
    if host.endswith(("goo.gl", "app.goo.gl", "g.co")) or host == "maps.app.goo.gl":
        raise PointFormatError(
            N_(
                "%(link)s is a short link that only Google can expand: open it in a browser and "
                "paste the long address from the address bar, or right-click the place and copy "
                "its coordinates"
            ),
            link=repr(link),
        )
    if "openstreetmap" in host or host.endswith("osm.org"):
        if "mlat" in query and "mlon" in query:
            return _checked(_number(query["mlat"][0]), _number(query["mlon"][0]), link)
        found = _OSM_HASH_RE.search(parts.fragment) or _OSM_HASH_RE.search(parts.query)
        if found:
            return _checked(_number(found[1]), _number(found[2]), link)
        if re.search(r"/(node|way|relation)/\d+", parts.path):
            raise PointFormatError(
                N_(
                    "%(link)s names an OpenStreetMap object, not a point: on its page, "
                    "right-click the place, choose 'Show address', and paste the link or the "
                    "coordinates shown"
                ),
                link=repr(link),
            )
        raise PointFormatError(
            N_("%(link)s: no point found in this OpenStreetMap link"), link=repr(link)
        )
    if "google" in host:
        found = _GOOGLE_PIN_RE.search(link)
        if found:
            return _checked(_number(found[1]), _number(found[2]), link)
        for key in ("q", "query", "ll", "destination", "center", "sll"):
            if key in query:
                pair = _PAIR_RE.match(query[key][0])
                if pair:
                    return _checked(_number(pair[1]), _number(pair[2]), link)
        # A place or a route's destination written as coordinates in the path.
        for segment in reversed(parts.path.split("/")):
            pair = _PAIR_RE.match(segment.replace("+", ""))
            if pair and not segment.startswith("@"):
                return _checked(_number(pair[1]), _number(pair[2]), link)
        found = _AT_RE.search(parts.path)
        if found:
            return _checked(_number(found[1]), _number(found[2]), link)
        raise PointFormatError(
            N_(
                "%(link)s: no coordinates in this Google Maps link: right-click the place on the "
                "map and click the coordinates to copy them, then paste them here"
            ),
            link=repr(link),
        )
    raise PointFormatError(
        N_(
            '%(link)s: links from %(host)s are not read: paste "21.094072, 105.774237", '
            '"21°05′38.7″N 105°46′27.3″E", or a link from OpenStreetMap or Google Maps'
        ),
        link=repr(link),
        host=host,
    )
