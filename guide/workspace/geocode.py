"""Turn an address into candidate points with a Nominatim geocoder (through geopy).

The service's URL and user agent are settings. When the service cannot be
reached or answers with an error, ``GeocoderUnreachable`` carries a message for
the editor, who can still place the point by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from guide.messages import N_, MessageError

if TYPE_CHECKING:
    from geopy.geocoders import Nominatim


class GeocoderUnreachable(MessageError):
    """The geocoder could not answer; the message says so in words for staff."""


@dataclass(frozen=True)
class Candidate:
    """One place the geocoder proposes for an address."""

    label: str
    lat: float
    lon: float


def geocoder(url: str, user_agent: str, timeout_s: float) -> Nominatim:
    """Return a geopy Nominatim client for the service at ``url`` (scheme, host and path)."""
    # Imported on first use: geopy's geocoders bring an HTTP stack (requests, about half a
    # second and 15 MiB) that a server needs only when staff look an address up.
    from geopy.geocoders import Nominatim

    parts = urlsplit(url if "://" in url else f"https://{url}")
    domain = parts.netloc + parts.path.rstrip("/")
    return Nominatim(
        user_agent=user_agent, domain=domain, scheme=parts.scheme or "https", timeout=timeout_s
    )


def lookup_address(
    query: str,
    url: str,
    user_agent: str,
    timeout_s: float = 5.0,
    *,
    country_codes: str = "vn",
    limit: int = 5,
) -> list[Candidate]:
    """Return up to ``limit`` candidate points for ``query``; raise GeocoderUnreachable."""
    query = query.strip()
    if not query:
        return []
    client = geocoder(url, user_agent, timeout_s)
    from geopy.exc import GeopyError

    try:
        found = client.geocode(
            query, exactly_one=False, limit=limit, country_codes=country_codes or None
        )
    except GeopyError as error:
        raise GeocoderUnreachable(
            N_(
                "the address service at %(url)s cannot be reached or failed (%(error)s): "
                "place the point on the map or paste coordinates instead"
            ),
            url=url,
            error=type(error).__name__,
        ) from error
    return [
        Candidate(location.address, round(location.latitude, 6), round(location.longitude, 6))
        for location in found or []
    ]
