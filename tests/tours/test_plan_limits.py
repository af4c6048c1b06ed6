"""The planner's limits: distances kept per catalogue, orders kept, a CPU limit and busy answers."""

from __future__ import annotations

import json
import random
import urllib.error
import urllib.request

import numpy as np
import pytest
from browsing import LiveServer
from bs4 import BeautifulSoup
from builders import DEFAULT_SITES, edit_site, site_facts
from tour_data import make_app

from guide import create_app
from guide.catalogue.geo import distance_matrix_m
from guide.catalogue.index import load_catalogue
from guide.tours.limits import PlanLimits, PlannerBusy
from guide.tours.matrix import geodesic_matrix, site_matrix
from guide.tours.ordering import best_order, nearest_neighbour
from guide.tours.travel import Travel
from guide.web import get_catalogue, reload_catalogue
from guide.web.tours.api import planner_limits

SMALL = ["Z2HN", "9XT4", "8S2D", "YKW7"]


def published_codes(app) -> list[str]:
    with app.app_context():
        catalogue = get_catalogue()
        return [site.code for site in catalogue.published() if site.has_location]


def permalink(codes, **options) -> str:
    query = "&".join([f"stops={','.join(codes)}", *(f"{k}={v}" for k, v in options.items())])
    return f"/tours/plan.json?{query}"


# ---------------------------------------------------------------- the catalogue's matrix


def test_the_catalogue_matrix_gives_the_distances_of_the_pair_by_pair_function(shipped):
    located = [site for site in shipped.sites if site.has_location]
    rng = random.Random(7)
    rng.shuffle(located)
    points = [(site.lat, site.lon) for site in located]
    codes = [site.code for site in located]
    kept = geodesic_matrix(shipped, points, codes)
    assert kept.tolist() == distance_matrix_m(points)
    # Asked again (now from the kept matrix), and with a start that is no site.
    start = (21.0368, 105.8345)
    again = geodesic_matrix(shipped, [start, *points[:10]], [None, *codes[:10]])
    assert again.tolist() == distance_matrix_m([start, *points[:10]])


def test_estimates_from_the_matrix_equal_the_old_estimates(shipped):
    travel = Travel.from_settings({**_defaults(), "GUIDE_ROUTING_URL": ""})
    sites = [site for site in shipped.published() if site.has_location][:12]
    points = [(site.lat, site.lon) for site in sites]
    codes = [site.code for site in sites]
    for mode in ("walk", "car"):
        new, source = travel.matrix(points, mode, lambda: geodesic_matrix(shipped, points, codes))
        old, _ = travel.matrix(points, mode)
        assert source == "estimate" and new == old


def _defaults():
    from guide.settings import defaults

    return defaults()


def test_the_matrix_is_kept_with_the_catalogue_and_made_afresh_on_reload(make_catalogue):
    here = site_facts(code="7K2Q", slug="dinh-chem")
    there = site_facts(code="YKW7", slug="den-ba", lat=21.085, lon=105.775, name={"vi": "Đền Bà"})
    root = make_catalogue(here, there)
    app = create_app({"TESTING": True, "GUIDE_SITES": str(root), "GUIDE_ROUTING_URL": ""})
    client = app.test_client()
    first = client.get(permalink(["7K2Q", "YKW7"])).get_json()
    with app.app_context():
        kept = site_matrix(get_catalogue())
        assert site_matrix(get_catalogue()) is kept
    # The site moves 1 km south; the reloaded catalogue measures it again.
    edit_site(root / "den-ba", lat=21.076)
    reload_catalogue(app)
    with app.app_context():
        assert site_matrix(get_catalogue()) is not kept
    moved = client.get(permalink(["7K2Q", "YKW7"])).get_json()
    assert moved["total_m"] > first["total_m"] + 1000


# ---------------------------------------------------------------- the CPU limit


def sites_matrix(shipped, count: int = 66) -> list[list[float]]:
    sites = [site for site in shipped.published() if site.has_location][:count]
    return distance_matrix_m([(site.lat, site.lon) for site in sites])


@pytest.mark.parametrize("closed", [False, True])
def test_a_search_out_of_time_returns_the_nearest_neighbour_tour(shipped, closed):
    matrix = sites_matrix(shipped)
    cut = best_order(matrix, closed=closed, start=0, cpu_seconds=0.0)
    assert cut.complete is False and cut.exact is False
    assert sorted(cut.order) == list(range(len(matrix))) and cut.order[0] == 0
    assert cut.order == nearest_neighbour(matrix, 0)
    full = best_order(matrix, closed=closed, start=0)
    assert full.complete is True
    assert full.cost <= cut.cost


def test_a_free_start_out_of_time_still_visits_every_stop(shipped):
    matrix = sites_matrix(shipped)
    cut = best_order(matrix, closed=False, start=None, cpu_seconds=0.0)
    assert cut.complete is False
    assert sorted(cut.order) == list(range(len(matrix)))


def test_the_cpu_limit_bounds_a_plan_of_every_published_site():
    app = make_app(GUIDE_PLAN_CPU_S=1e-9)
    codes = published_codes(app)
    assert len(codes) > 60
    response = app.test_client().get(permalink(codes))
    assert response.status_code == 200
    data = response.get_json()
    assert sorted(data["order"]) == sorted(codes)
    assert data["exact"] is False
    assert data["total_m"] == sum(leg["metres"] for leg in data["legs"])


# ---------------------------------------------------------------- orders kept


def test_identical_requests_get_identical_plans_and_the_second_is_kept():
    app = make_app()
    client = app.test_client()
    codes = published_codes(app)
    first = client.get(permalink(codes)).get_json()
    with app.app_context():
        release = planner_limits().hold()
    try:
        # Every slot is taken, yet the same plan (stops listed in any order) is answered.
        again = client.get(permalink(codes)).get_json()
        shuffled = client.get(permalink(list(reversed(codes)))).get_json()
        timed = client.get(permalink(codes, start_time="09:15"))
    finally:
        release()
    assert again["order"] == first["order"] and again["legs"] == first["legs"]
    assert again["timetable"] == first["timetable"]
    assert shuffled["order"] == first["order"]
    assert timed.status_code == 200
    assert timed.get_json()["order"] == first["order"]
    assert timed.get_json()["timetable"][0]["arrive"] == "09:15"


def test_the_permalink_keeps_the_stops_as_listed_when_the_order_is_kept():
    app = make_app()
    client = app.test_client()
    codes = published_codes(app)
    client.get(permalink(codes))
    shuffled = client.get(permalink(list(reversed(codes)))).get_json()
    assert f"stops={','.join(reversed(codes))}" in shuffled["links"]["permalink"]


def test_a_kept_order_belongs_to_its_catalogue():
    limits = PlanLimits(concurrency=1, cache_size=4)
    one, two = load_catalogue(DEFAULT_SITES), load_catalogue(DEFAULT_SITES)
    found = best_order([[0, 1, 2], [1, 0, 1], [2, 1, 0]], closed=False)
    limits.order(one, "key", 3, lambda cpu: found)
    assert limits.kept(one, "key") is found
    assert limits.kept(two, "key") is None


def test_the_least_recently_used_order_leaves_first():
    limits = PlanLimits(cache_size=2)
    catalogue = load_catalogue(DEFAULT_SITES)
    for key in ("a", "b"):
        limits.order(catalogue, key, 3, lambda cpu: best_order([[0, 1], [1, 0]], closed=False))
    limits.kept(catalogue, "a")
    limits.order(catalogue, "c", 3, lambda cpu: best_order([[0, 1], [1, 0]], closed=False))
    assert limits.kept(catalogue, "a") is not None
    assert limits.kept(catalogue, "b") is None


# ---------------------------------------------------------------- a full planner


def test_a_full_planner_refuses_new_large_orders_but_not_small_ones():
    limits = PlanLimits(concurrency=1, retry_after=5)
    catalogue = load_catalogue(DEFAULT_SITES)
    release = limits.hold()
    try:
        with pytest.raises(PlannerBusy) as busy:
            limits.order(catalogue, "large", 66, lambda cpu: pytest.fail("computed"))
        assert busy.value.retry_after == 5
        small = best_order([[0, 1], [1, 0]], closed=False)
        assert limits.order(catalogue, "small", 4, lambda cpu: small) is small
    finally:
        release()
    large = best_order([[0, 1], [1, 0]], closed=False)
    assert limits.order(catalogue, "large", 66, lambda cpu: large) is large


def test_a_full_planner_answers_503_with_retry_after_in_the_request_language(busy_app):
    client = busy_app.test_client()
    codes = published_codes(busy_app)
    response = client.get(permalink(codes))
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "7"
    data = response.get_json()
    assert data["error"] == (
        "Hệ thống đang bận lập các hành trình khác. Vui lòng thử lại sau 7 giây."
    )
    assert data["retry_after"] == 7
    english = client.get(permalink(codes, lang="en")).get_json()
    assert english["error"] == "The planner is busy with other tours. Try again in 7 seconds."
    posted = client.post("/api/tours/plan", json={"stops": codes, "lang": "en"})
    assert posted.status_code == 503 and posted.headers["Retry-After"] == "7"
    assert posted.get_json()["error"] == english["error"]
    gpx = client.get(permalink(codes).replace("plan.json", "plan.gpx"))
    assert gpx.status_code == 503 and gpx.mimetype == "text/plain"
    assert "7 giây" in gpx.get_data(as_text=True)
    # Small tours are still planned.
    assert client.get(permalink(SMALL)).status_code == 200


def test_a_full_planner_page_says_so_in_the_page_language(busy_app):
    client = busy_app.test_client()
    codes = published_codes(busy_app)
    query = f"stops={','.join(codes)}"
    for path in ("/en/tours/plan", "/en/tours/plan/print"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 503, path
        assert response.headers["Retry-After"] == "7"
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        alert = page.find(attrs={"role": "alert"})
        assert alert.get_text(strip=True) == (
            "The planner is busy with other tours. Try again in 7 seconds."
        ), path
        assert page.find("html")["lang"] == "en"


@pytest.mark.server
def test_a_real_server_refuses_new_plans_while_full_and_serves_kept_ones():
    app = make_app(GUIDE_PLAN_RETRY_AFTER_S=3)
    codes = published_codes(app)
    server = LiveServer(app).start()
    try:

        def get(path):
            try:
                with urllib.request.urlopen(server.url + path, timeout=30) as answer:
                    return answer.status, dict(answer.headers), json.loads(answer.read())
            except urllib.error.HTTPError as error:
                return error.code, dict(error.headers), json.loads(error.read())

        status, _, kept = get(permalink(codes))
        assert status == 200
        with app.app_context():
            release = planner_limits().hold()
        try:
            status, headers, data = get(permalink(codes[:-1]))
            assert status == 503 and headers["Retry-After"] == "3"
            assert "3 giây" in data["error"]
            status, _, again = get(permalink(codes))
            assert status == 200 and again["order"] == kept["order"]
        finally:
            release()
        status, _, data = get(permalink(codes[:-1]))
        assert status == 200 and len(data["order"]) == len(codes) - 1
    finally:
        server.stop()


def test_a_catalogue_with_too_many_sites_keeps_no_matrix_and_measures_as_before():
    fresh = load_catalogue(DEFAULT_SITES)
    assert site_matrix(fresh, max_sites=10) is None
    points = [(site.lat, site.lon) for site in fresh.sites if site.has_location][:5]
    codes = [site.code for site in fresh.sites if site.has_location][:5]
    assert np.array_equal(geodesic_matrix(fresh, points, codes, 10), distance_matrix_m(points))
