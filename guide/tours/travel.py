"""Travel between points: metres and minutes for each mode, estimated or from a routing server.

Estimates are geodesic metres (geopy) times a detour factor per mode; a
routing server that speaks the OSRM HTTP API gives road distances instead when
``GUIDE_ROUTING_URL`` is set, and when it fails or is slow the estimates are
used, so nothing breaks without one. Minutes follow from a speed per mode. The
factors, speeds and server are settings (``guide.settings``).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from guide import settings
from guide.catalogue.geo import distance_matrix_m
from guide.catalogue.model import TOUR_MODES
from guide.messages import N_

log = logging.getLogger(__name__)

MODES = TOUR_MODES
# Each mode's names, as message ids: a choice in a form ("On foot") and the words
# within a sentence ("times on foot at 4.5 km/h").
MODE_LABELS = {"walk": N_("On foot"), "bike": N_("By bicycle"), "car": N_("By car")}
MODE_PHRASES = {"walk": N_("on foot"), "bike": N_("by bicycle"), "car": N_("by car")}
# OSRM's standard profile names for each travel mode.
OSRM_PROFILES = {"walk": "foot", "bike": "bike", "car": "car"}


class RoutingError(Exception):
    """The routing server did not give a usable table of distances."""


@dataclass(frozen=True)
class Travel:
    """How fast each mode goes and how distances are found (estimates or a routing server)."""

    speeds_kmh: Mapping[str, float]
    detours: Mapping[str, float]
    routing_url: str = ""
    routing_timeout_s: float = 2.0

    @classmethod
    def from_settings(cls, config: Mapping[str, Any] | None = None) -> Travel:
        """Return the travel model of the given settings (default: ``settings.resolve()``)."""
        config = settings.resolve() if config is None else config
        return cls(
            speeds_kmh={
                "walk": float(config["GUIDE_WALK_SPEED_KMH"]),
                "bike": float(config["GUIDE_BIKE_SPEED_KMH"]),
                "car": float(config["GUIDE_CAR_SPEED_KMH"]),
            },
            detours={
                "walk": float(config["GUIDE_WALK_DETOUR"]),
                "bike": float(config["GUIDE_BIKE_DETOUR"]),
                "car": float(config["GUIDE_CAR_DETOUR"]),
            },
            routing_url=str(config["GUIDE_ROUTING_URL"] or ""),
            routing_timeout_s=float(config["GUIDE_ROUTING_TIMEOUT_S"]),
        )

    def minutes(self, metres: float, mode: str) -> int:
        """Return whole minutes to travel ``metres`` in ``mode`` (at least 1 for any distance)."""
        if metres <= 0:
            return 0
        return max(1, round(metres / (self.speeds_kmh[mode] * 1000.0 / 60.0)))

    def estimated_leg(self, straight_m: float, mode: str) -> tuple[int, int]:
        """Return the estimated metres and minutes of a way ``straight_m`` metres as the crow flies.

        The one estimate of a single way: the story page's nearby sites and, without
        a routing server, the next stop of a tour and the planner's legs agree with it.
        """
        metres = straight_m * self.detours[mode]
        return round(metres), self.minutes(metres, mode)

    def estimate(
        self,
        points: Sequence[tuple[float, float]],
        mode: str,
        geodesic: Callable[[], np.ndarray] | None = None,
    ) -> list[list[float]]:
        """Return estimated travel metres: geodesic metres times the mode's detour factor.

        ``geodesic`` gives the geodesic metres between the points when they are
        already known (the catalogue's sites, ``guide.tours.matrix``).
        """
        factor = self.detours[mode]
        metres = geodesic() if geodesic is not None else distance_matrix_m(points)
        return (np.asarray(metres, dtype=float) * factor).tolist()

    def road(self, points: Sequence[tuple[float, float]], mode: str) -> list[list[float]]:
        """Return road metres from the routing server's /table service; raise RoutingError."""
        profile = OSRM_PROFILES[mode]
        base = self.routing_url.replace("{mode}", mode).replace("{profile}", profile)
        coordinates = ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in points)
        url = f"{base.rstrip('/')}/table/v1/{profile}/{coordinates}?annotations=distance"
        try:
            with urllib.request.urlopen(url, timeout=self.routing_timeout_s) as response:
                data = json.loads(response.read().decode("utf-8"))
        except (OSError, ValueError, urllib.error.URLError) as error:
            raise RoutingError(f"{base}: {error}") from error
        if not isinstance(data, dict) or data.get("code") != "Ok":
            code = data.get("code") if isinstance(data, dict) else data
            raise RoutingError(f"{base}: answered {code!r} instead of 'Ok'")
        table = data.get("distances")
        n = len(points)
        if (
            not isinstance(table, list)
            or len(table) != n
            or not all(isinstance(row, list) and len(row) == n for row in table)
        ):
            raise RoutingError(f"{base}: no {n}x{n} 'distances' table in the answer")
        estimate = None
        rows = []
        for i, row in enumerate(table):
            out = []
            for j, value in enumerate(row):
                if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
                    out.append(float(value))
                else:  # no road between the two: estimate that one pair
                    estimate = estimate or self.estimate(points, mode)
                    out.append(estimate[i][j])
            rows.append(out)
        return rows

    def matrix(
        self,
        points: Sequence[tuple[float, float]],
        mode: str,
        geodesic: Callable[[], np.ndarray] | None = None,
    ) -> tuple[list[list[float]], str]:
        """Return travel metres between every two points and "road" or "estimate"."""
        if self.routing_url and len(points) > 1:
            try:
                return self.road(points, mode), "road"
            except RoutingError as error:
                log.warning("routing server failed, distances are estimated: %s", error)
        return self.estimate(points, mode, geodesic), "estimate"
