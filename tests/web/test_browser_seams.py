"""The public pages and the service worker in headless Chromium, served by waitress on loopback.

The content security policy must not block anything a public page uses, and the
service worker must never keep staff pages, sign-in pages or answers to forms.
"""

from __future__ import annotations

import io
import time

import pytest
from browsing import TILE_PREFIX
from builders import STAFF_PASSWORD
from PIL import Image

pytestmark = [pytest.mark.browser, pytest.mark.server]

TOUR = "hanh-trinh-dia-chi-do-bac-tu-liem"
PUBLIC_PAGES = [
    "/",
    "/search?q=chem",
    "/sites/dinh-chem",
    "/passport",
    "/map",
    "/tours",
    "/tours/plan",
    f"/tours/{TOUR}",
]


def watch(page) -> list[str]:
    """Collect console errors, CSP reports and uncaught exceptions of ``page``."""
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"exception: {error}"))
    return problems


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_run_under_the_security_policy_without_errors(live_server, page, path):
    problems = watch(page)
    # The tile server is another host, unreachable here: answer its tiles with a blank one.
    tile = io.BytesIO()
    Image.new("RGB", (256, 256), (240, 240, 240)).save(tile, "PNG")
    page.route(
        TILE_PREFIX + "**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=tile.getvalue()),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (event) => {"
        " console.error('Content Security Policy violation: ' + event.violatedDirective +"
        " ' ' + event.blockedURI); });"
    )
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert problems == []
    assert page.outside_requests == []


def kept_addresses(page) -> list[str]:
    """Return the paths of everything the service worker keeps, pages and files."""
    return page.evaluate(
        """async () => {
          const kept = [];
          for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) kept.push(new URL(request.url).pathname);
          }
          return kept;
        }"""
    )


def wait_until_kept(page, path: str, timeout_s: float = 15) -> None:
    """Wait until the service worker keeps ``path``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if path in kept_addresses(page):
            return
        time.sleep(0.2)
    raise AssertionError(f"the service worker did not keep {path}: {kept_addresses(page)}")


def test_the_service_worker_never_keeps_staff_pages_or_form_answers(page, seams_staff_server):
    base = seams_staff_server.url
    page.goto(f"{base}/en/sites/dinh-chem")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    wait_until_kept(page, "/en/sites/dinh-chem")
    # From here on the worker controls every navigation.
    page.goto(f"{base}/admin/login?lang=en")
    assert page.evaluate("() => !!navigator.serviceWorker.controller")
    page.fill("#name", "editor-here")
    page.fill("#password", STAFF_PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    page.goto(f"{base}/admin/sites/dinh-chem")
    page.fill("#name_en", "Chèm Communal House")
    page.click("button[name=action][value=save]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{base}/admin/sites/dinh-chem/preview")
    page.wait_for_load_state("networkidle")
    # The preview runs the visitor script, which asks the worker to keep the page.
    page.goto(f"{base}/en/sites/dinh-chem")
    page.wait_for_load_state("networkidle")
    time.sleep(1)
    kept = kept_addresses(page)
    assert "/en/sites/dinh-chem" in kept
    assert [path for path in kept if path.startswith("/admin")] == []
