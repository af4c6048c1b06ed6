"""Story pages in headless Chromium on a 360×740 phone screen, served by a real WSGI server."""

from __future__ import annotations

import urllib.request

import pytest
from browsing import wait_until_kept
from builders import DEFAULT_SITES

from guide.catalogue.index import load_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.server]


def watch(page) -> list[str]:
    """Collect console errors and uncaught exceptions of ``page``."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def scroll_through(page) -> None:
    """Scroll to the bottom and back, so that lazy images load."""
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")


def horizontal_overflow(page) -> int:
    """Return how many CSS pixels the page is wider than the screen."""
    return page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


PAGES = [
    "/",
    "/search?q=dinh+chem",
    "/search?area=021",
    "/sites/dinh-chem",
    "/en/sites/dinh-chem",
    "/sites/van-mieu-quoc-tu-giam",
    "/S/Z2HN",
    "/passport",
    "/S/ZZZZ",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_fit_a_phone_without_errors_or_outside_requests(photo_server, page, path):
    errors = watch(page)
    response = page.goto(photo_server.url + path)
    assert response.status == (404 if path == "/S/ZZZZ" else 200)
    scroll_through(page)
    assert horizontal_overflow(page) <= 0
    assert page.locator("h1").count() == 1
    assert page.evaluate("document.documentElement.lang") in ("vi", "en")
    if response.status == 404:
        # Chromium reports the page's own 404 status as a console error.
        errors = [e for e in errors if "status of 404" not in e]
    assert errors == []
    assert page.outside_requests == []


@pytest.mark.parametrize("path", ["/sites/dinh-chem", "/", "/passport", "/search?q=chem"])
def test_pages_reflow_at_200_percent_zoom(photo_server, page, path):
    # 200% zoom on a 360 px wide phone leaves 180 CSS pixels for the page.
    page.set_viewport_size({"width": 180, "height": 370})
    page.goto(photo_server.url + path)
    scroll_through(page)
    assert horizontal_overflow(page) <= 0


def test_photos_load_from_the_guide_itself_in_a_size_for_the_phone(photo_server, page):
    page.goto(photo_server.url + "/en/sites/dinh-chem")
    first = page.locator("figure.photo img").first
    first.wait_for()
    page.wait_for_function("() => document.querySelector('figure.photo img').complete")
    current = first.evaluate("img => img.currentSrc")
    assert current.startswith(photo_server.url + "/photos/dinh-chem/")
    # A 360 px screen at device scale 1 takes the 360 px size, not the 720 or 1080 px ones.
    assert "/360/photos/" in current
    assert first.get_attribute("alt") == "Test photo 1"
    assert page.locator("figure.photo img").nth(1).get_attribute("loading") == "lazy"


CONTRAST = """
() => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const failures = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim() || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || el.closest("svg, .skip")) continue;
    const fg = parse(style.color).slice(0, 3);
    const [a, b] = [lum(fg), lum(background(el))].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const text = node.textContent.trim().slice(0, 40);
    if (ratio < (large ? 3 : 4.5)) failures.push(`${ratio.toFixed(2)} ${el.tagName} ${text}`);
  }
  return failures;
}
"""


@pytest.mark.parametrize("path", ["/sites/dinh-chem", "/", "/passport", "/S/ZZZZ"])
def test_text_colour_contrast_meets_wcag_aa(photo_server, page, path):
    page.goto(photo_server.url + path)
    assert page.evaluate(CONTRAST) == []


def test_images_and_controls_have_names_for_screen_readers(photo_server, page):
    page.goto(photo_server.url + "/sites/dinh-chem")
    assert page.evaluate("[...document.images].filter(i => !i.alt.trim()).length") == 0
    unlabelled = page.evaluate(
        "[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
        ".filter(e => !e.labels.length && !e.getAttribute('aria-label')).map(e => e.outerHTML)"
    )
    assert unlabelled == []
    locator = page.locator("svg.locator")
    assert locator.get_attribute("role") == "img"
    assert "Đình Chèm" in page.locator("#locator-title").text_content()


def test_opening_a_story_stamps_the_passport(photo_server, page):
    page.goto(photo_server.url + "/S/Z2HN?lang=en")
    status = page.locator("#stamp-status")
    status.wait_for()
    page.wait_for_function("() => document.getElementById('stamp-status').textContent.length > 0")
    assert "1" in status.text_content()
    stamps = page.evaluate("JSON.parse(localStorage.getItem('guide.passport'))")
    assert list(stamps) == ["dinh-chem"]
    page.goto(photo_server.url + "/en/passport")
    row = page.locator("[data-area='021']")
    assert row.locator("[data-progress-text]").text_content() == "1 of 4 in Bắc Từ Liêm District"
    assert row.locator("progress").evaluate("p => p.value") == 1
    assert row.locator("[data-collected] a").get_attribute("href") == "/en/sites/dinh-chem"
    summary = page.locator("#passport-summary").text_content()
    published = len(load_catalogue(DEFAULT_SITES).published())
    assert summary == f"You have collected 1 of {published} red addresses."
    # The visited area is listed first.
    assert page.locator("#passport-areas > li").first.get_attribute("data-area") == "021"
    assert page.outside_requests == []


def test_share_copies_the_link_when_the_phone_has_no_share_sheet(photo_server, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(photo_server.url + "/en/sites/dinh-chem")
    if page.evaluate("'share' in navigator"):
        pytest.skip("this Chromium has a share sheet")
    page.get_by_role("button", name="Share this page").click()
    page.wait_for_function("() => document.getElementById('share-status').textContent.length > 0")
    assert page.locator("#share-status").text_content() == "Link copied."
    assert (
        page.evaluate("navigator.clipboard.readText()") == photo_server.url + "/en/sites/dinh-chem"
    )


def test_a_page_visited_once_loads_again_with_the_server_stopped(photo_server, page):
    base = photo_server.url
    # Chromium asks for English: the plaque opens the English story.
    page.goto(base + "/S/Z2HN")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until_kept(page, "/en/sites/dinh-chem")
    wait_until_kept(page, "/S/Z2HN")
    wait_until_kept(page, "/passport")
    name = page.locator("h1").text_content()
    photo_server.stop()
    with pytest.raises(OSError):
        urllib.request.urlopen(base + "/en/sites/dinh-chem", timeout=3)

    page.goto(base + "/en/sites/dinh-chem")
    assert page.locator("h1").text_content() == name
    # Styled from the kept stylesheet, not a bare page.
    assert page.evaluate("getComputedStyle(document.querySelector('.top')).backgroundColor") == (
        "rgb(164, 22, 26)"
    )
    # The plaque's code works offline too, and so does the passport with its stamp.
    page.goto(base + "/s/z2hn")
    assert page.locator("h1").text_content() == name
    page.goto(base + "/passport")
    assert page.locator("[data-area='021'] [data-collected] a").count() == 1
    # A page never opened says so, in the guide's own words.
    page.goto(base + "/sites/van-mieu-quoc-tu-giam")
    assert page.locator("h1").text_content() in ("Không có kết nối mạng", "No connection")


def test_a_script_in_a_narrative_never_runs(unsafe_server, page):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors = watch(page)
    page.goto(unsafe_server.url + "/sites/doc-hai")
    page.locator("#narrative p").first.click()
    page.wait_for_load_state("networkidle")
    assert page.title() != "hacked"
    assert "Đình Độc Hại" in page.title()
    assert dialogs == [] and errors == []
    assert page.outside_requests == []


def test_the_language_switcher_remembers_the_choice_for_plaque_codes(photo_server, browser):
    context = browser.new_context(locale="en-US", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        photo_server.url) else route.abort())  # fmt: skip
    try:
        # An English browser scanning a plaque gets the English story.
        page.goto(photo_server.url + "/S/Z2HN")
        assert page.url == photo_server.url + "/en/sites/dinh-chem"
        page.click("nav.languages a[data-language=vi]")
        page.wait_for_url(photo_server.url + "/sites/dinh-chem")
        assert page.evaluate("localStorage.getItem('guide.lang')") == "vi"
        # The next plaque, and the root, keep the visitor's choice over the browser's.
        page.goto(photo_server.url + "/S/Z2HN")
        assert page.url == photo_server.url + "/sites/dinh-chem"
        page.goto(photo_server.url + "/")
        assert page.url == photo_server.url + "/"
        assert page.locator("html").get_attribute("lang") == "vi"
    finally:
        context.close()
