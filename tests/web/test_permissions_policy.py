"""Every page says which powerful browser features it may use: location and full screen only.

The map's "show my location" and full-screen buttons are the guide's only uses
of such features; the camera, microphone, payments, USB and the like are denied
to every page and to anything a page might frame.
"""

from __future__ import annotations

import pytest
from browsing import LiveServer, sign_in

PUBLIC = ["/", "/sites/dinh-chem", "/map", "/map?embed=1", "/tours/plan", "/passport", "/nowhere"]
STAFF = ["/admin/login", "/admin/"]
DENIED = ["camera", "microphone", "payment", "usb", "interest-cohort", "display-capture", "serial"]


def policy_of(response) -> dict[str, str]:
    """Return the Permissions-Policy header as {feature: allowlist}."""
    header = response.headers["Permissions-Policy"]
    pairs = (item.strip().split("=", 1) for item in header.split(","))
    return {feature: allowlist for feature, allowlist in pairs}


def check(policy: dict[str, str]) -> None:
    assert policy["geolocation"] == "(self)"
    assert policy["fullscreen"] == "(self)"
    for feature in DENIED:
        assert policy[feature] == "()", feature
    # Nothing else is allowed to anyone.
    allowed = {feature for feature, allowlist in policy.items() if allowlist != "()"}
    assert allowed == {"geolocation", "fullscreen"}


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_allow_location_to_the_guide_only(staff_app, path):
    response = staff_app.test_client().get(path)
    check(policy_of(response))
    # Beside the other security headers, which stay.
    assert "Content-Security-Policy" in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", STAFF)
def test_staff_pages_have_the_same_policy(staff_app, path):
    client = staff_app.test_client()
    if path != "/admin/login":
        sign_in(client, "admin")
    response = client.get(path)
    assert response.status_code == 200, path
    check(policy_of(response))


@pytest.mark.browser
@pytest.mark.server
def test_chromium_applies_the_policy_without_complaint(staff_app, page):
    warnings: list[str] = []
    page.on(
        "console",
        lambda message: (
            warnings.append(message.text) if "Permissions-Policy" in message.text else None
        ),
    )
    server = LiveServer(staff_app).start()
    try:
        page.goto(f"{server.url}/map")
        allows = page.evaluate(
            "features => features.map(f => document.featurePolicy.allowsFeature(f))",
            ["geolocation", "fullscreen", "camera", "microphone", "payment", "usb"],
        )
    finally:
        server.stop()
    assert allows == [True, True, False, False, False, False]
    assert warnings == [], "Chromium should know every feature the header names"
