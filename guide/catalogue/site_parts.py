"""Read the point, area, sources, inscriptions and media of one ``site.toml``.

``SiteParts`` is the half of ``guide.catalogue.reader.SiteReader`` that reads the
structured fields; it records problems through the reader's ``error`` and ``refuse``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from guide.catalogue.geo import Area, Areas, in_range
from guide.catalogue.layout import AUDIO_SUFFIXES, PHOTO_SUFFIXES, is_safe_relative_path
from guide.catalogue.model import STANDARD_NOTES, CatalogueConfig, Inscription, Media, Source
from guide.catalogue.text_rules import junk_problem
from guide.messages import N_, Message


class SiteParts:
    """Read the structured fields of a site's facts; see ``SiteReader``."""

    data: dict[str, Any]
    config: CatalogueConfig
    areas: Areas
    located: Area | None

    def error(self, name: str, kind: str, template: str, /, **params: object) -> None:
        raise NotImplementedError

    def warn(self, name: str, kind: str, template: str, /, **params: object) -> None:
        raise NotImplementedError

    def refuse(self, name: str, problem: Message | None) -> bool:
        raise NotImplementedError

    def text(self, name: str, required: bool = False) -> str:
        raise NotImplementedError

    def point(self) -> tuple[float | None, float | None]:
        has_lat, has_lon = "lat" in self.data, "lon" in self.data
        if not has_lat and not has_lon:
            return None, None
        if has_lat != has_lon:
            missing = "lon" if has_lat else "lat"
            self.error(
                missing,
                "point.half",
                N_("missing: give both lat and lon, or neither for a draft"),
            )
            return None, None
        lat, lon = self.data["lat"], self.data["lon"]
        for name, value in (("lat", lat), ("lon", lon)):
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.error(
                    name,
                    "point.not_number",
                    N_("%(value)s must be a number of decimal degrees, such as 21.0941"),
                    value=repr(value),
                )
                return None, None
            if not math.isfinite(value):
                self.error(
                    name,
                    "point.not_finite",
                    N_(
                        "%(value)s is not a place: write a number of decimal degrees, "
                        "such as 21.0941"
                    ),
                    value=repr(value),
                )
                return None, None
        lat, lon = float(lat), float(lon)
        self.located = self.areas.locate(lat, lon) if in_range(lat, lon) else None
        swapped_area = None
        if self.located is None and in_range(lon, lat):
            swapped_area = self.areas.locate(lon, lat)
        if swapped_area is not None:
            self.error(
                "lat/lon",
                "point.swapped",
                N_(
                    "latitude and longitude look swapped: swap them to lat = %(lon)s, "
                    "lon = %(lat)s (which lies in %(area)s)"
                ),
                lat=lat,
                lon=lon,
                area=swapped_area.name,
            )
            return None, None
        if not -90 <= lat <= 90:
            self.error(
                "lat",
                "point.lat_range",
                N_("%(lat)s is out of range: latitude is between -90 and 90"),
                lat=lat,
            )
        if not -180 <= lon <= 180:
            self.error(
                "lon",
                "point.lon_range",
                N_("%(lon)s is out of range: longitude is between -180 and 180"),
                lon=lon,
            )
        if not in_range(lat, lon):
            return None, None
        return lat, lon

    def area(self, lat: float | None, lon: float | None) -> str:
        area = self.text("area")
        if area and self.areas.get(area) is None:
            self.error(
                "area",
                "area.unknown",
                N_("%(area)s is not an area id of %(file)s"),
                area=repr(area),
                file=self.config.areas_file,
            )
            return area
        if lat is None or lon is None:
            return area
        here: Area | None = self.located
        if here is None:
            self.error(
                "lat/lon",
                "point.outside",
                N_("(%(lat)s, %(lon)s) lies outside every area of %(file)s: check the point"),
                lat=lat,
                lon=lon,
                file=self.config.areas_file,
            )
        elif not area:
            self.error(
                "area",
                "area.missing",
                N_('missing: the point lies in %(here)s, add area = "%(id)s"'),
                here=here.name,
                id=here.id,
            )
        elif area != here.id:
            self.error(
                "area",
                "area.mismatch",
                N_(
                    "the point lies in %(here)s (area '%(id)s'), not in %(stated)s: "
                    'fix the point, or set area = "%(id)s"'
                ),
                here=here.name,
                id=here.id,
                stated=self.areas.name_of(area),
            )
        return area

    def entries(
        self,
        key: str,
        required: str,
        list_shape: str,
        item_shape: str,
        missing: tuple[str, str] = ("", "item"),
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """Yield (field name, table) for each table of the list ``key`` that has ``required``.

        A value that is no list, or a table without ``required``, is reported with
        the shape to write; ``missing`` names the field suffix and kind of the latter.
        """
        raw = self.data.get(key, [])
        if not isinstance(raw, list):
            self.error(key, f"{key}.list", list_shape)
            return
        suffix, kind = missing
        for index, item in enumerate(raw):
            name = f"{key}[{index}]"
            if not isinstance(item, dict) or not isinstance(item.get(required), str):
                self.error(f"{name}.{suffix}" if suffix else name, f"{key}.{kind}", item_shape)
                continue
            yield name, item

    def sources(self) -> list[Source]:
        result = []
        for name, item in self.entries(
            "sources",
            "url",
            N_('must be a list: sources = [{ url = "https://...", supports = "..." }]'),
            N_('write { url = "https://...", supports = "what it supports" }'),
        ):
            if not item["url"].startswith(("http://", "https://")):
                self.error(
                    f"{name}.url",
                    "sources.url",
                    N_("%(url)s must start with http:// or https://"),
                    url=repr(item["url"]),
                )
                continue
            supports = item.get("supports", "")
            texts = supports.values() if isinstance(supports, dict) else [str(supports)]
            if self.refuse(f"{name}.url", junk_problem(item["url"])) or any(
                self.refuse(f"{name}.supports", junk_problem(str(text))) for text in texts
            ):
                continue
            if isinstance(supports, dict):
                notes = {str(k): str(v) for k, v in supports.items() if isinstance(v, str)}
                result.append(Source(item["url"], notes=notes, publisher=_text(item, "publisher")))
            else:
                note = str(supports).strip()
                if note and note.lower() not in STANDARD_NOTES and len(self.config.languages) > 1:
                    # One text is shown as it is on every page, whatever the page's language.
                    self.warn(
                        f"{name}.supports",
                        "sources.note_language",
                        N_(
                            "%(note)s is one text for every language: write it per language, "
                            'such as supports = { vi = "lễ hội", en = "festival" }, or use '
                            "one of the words the pages translate: %(words)s"
                        ),
                        note=repr(note),
                        words=", ".join(STANDARD_NOTES),
                    )
                result.append(
                    Source(item["url"], str(supports), publisher=_text(item, "publisher"))
                )
        return result

    def inscriptions(self, sources: int) -> list[Inscription]:
        result = []
        for name, item in self.entries(
            "inscriptions",
            "kind",
            N_('must be a list: [[inscriptions]] with kind = "stele", reading = "..."'),
            N_('write { kind = "parallel-sentences", reading = "...", sources = [1] }'),
        ):
            if not any(item.get(key) for key in ("original", "reading", "translation")):
                self.error(
                    name,
                    "inscriptions.text",
                    N_("give the original text, its reading or a translation"),
                )
                continue
            kinds = self.config.vocabulary.inscription_kinds
            if kinds and self.config.vocabulary.inscription_kind(item["kind"]) is None:
                self.error(
                    f"{name}.kind",
                    "inscriptions.kind",
                    N_(
                        "%(kind)s is not an inscription kind of the catalogue: use one of %(kinds)s"
                    ),
                    kind=repr(item["kind"]),
                    kinds=", ".join(term.id for term in kinds),
                )
                continue
            cited = item.get("sources", [])
            if not isinstance(cited, list) or not all(
                isinstance(n, int) and 1 <= n <= sources for n in cited
            ):
                self.error(
                    f"{name}.sources",
                    "inscriptions.sources",
                    N_("must list numbers of this site's sources, from 1 to %(count)s"),
                    count=sources,
                )
                continue
            result.append(
                Inscription(
                    kind=item["kind"],
                    location=_texts(item.get("location")),
                    original=_text(item, "original"),
                    reading=_text(item, "reading"),
                    translation=_texts(item.get("translation")),
                    sources=tuple(cited),
                )
            )
        return result

    def media(self) -> list[Media]:
        result = []
        for name, item in self.entries(
            "media",
            "file",
            N_('must be a list: media = [{ file = "photo.jpg", ... }]'),
            N_('missing: write { file = "photo.jpg", credit = "..." }'),
            missing=("file", "file_missing"),
        ):
            file = item["file"]
            if not is_safe_relative_path(file):
                self.error(
                    f"{name}.file",
                    "media.unsafe",
                    N_(
                        "%(file)s is not a safe path: name a file inside the site's folder, "
                        "without '..' or a leading '/'"
                    ),
                    file=repr(file),
                )
                continue
            if not file.lower().endswith(PHOTO_SUFFIXES + AUDIO_SUFFIXES):
                self.error(
                    f"{name}.file",
                    "media.kind",
                    N_("%(file)s: use a photo (.jpg, .png, .webp) or audio (.mp3, .m4a, .ogg)"),
                    file=repr(file),
                )
                continue
            caption = item.get("caption", {})
            if not isinstance(caption, dict):
                self.error(
                    f"{name}.caption",
                    "media.caption",
                    N_('write caption = { vi = "...", en = "..." }'),
                )
                caption = {}
            media = Media(
                file=file,
                caption={str(k): str(v) for k, v in caption.items()},
                credit=str(item.get("credit", "")),
                licence=str(item.get("licence", "")),
            )
            texts = [("file", file), ("credit", media.credit), ("licence", media.licence)]
            texts += [(f"caption.{k}", v) for k, v in media.caption.items()]
            if any(self.refuse(f"{name}.{part}", junk_problem(text)) for part, text in texts):
                continue
            result.append(media)
        return result


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key, "")
    return value if isinstance(value, str) else ""


def _texts(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        return {"": value}
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, str)}
