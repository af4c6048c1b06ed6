"""The feedback form on a phone in Chromium: visible, usable, sent with and without JavaScript."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from guide.listening.models import Feedback
from guide.workspace.db import db

pytestmark = [pytest.mark.browser, pytest.mark.server]
SLUG = "dinh-chem"


def rows(app) -> list[Feedback]:
    with app.app_context():
        found = list(db.session.scalars(select(Feedback)))
        db.session.expunge_all()
        return found


def fill_and_send(page) -> None:
    form = page.locator("form[data-feedback]")
    form.scroll_into_view_if_needed()
    yes = form.get_by_label("Yes", exact=True)
    box = yes.locator("xpath=..").bounding_box()
    assert box is not None and box["height"] >= 44  # a tap target, not a speck
    yes.check()
    form.locator("summary").click()
    form.get_by_label("the opening hours").check()
    form.locator("#feedback-report").fill("Chiều thứ Hai đóng cửa")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    form.get_by_role("button", name="Send").click()


def test_the_form_works_on_a_phone(server, staff_app, page):
    page.goto(f"{server.url}/en/sites/{SLUG}")
    assert page.locator("#feedback").is_visible()
    assert not page.locator("input[name=website]").is_visible()
    fill_and_send(page)
    page.wait_for_url("**/feedback/thanks*")
    # The English page: its thanks are in English too.
    assert page.locator("h1").inner_text() == "Thank you"
    assert page.context.cookies() == []
    [row] = rows(staff_app)
    assert (row.useful, row.topic, row.report) == (True, "hours", "Chiều thứ Hai đóng cửa")
    assert page.outside_requests == []


def test_the_form_works_without_javascript_in_english(server, staff_app, browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False, locale="en-US"
    )
    page = context.new_page()
    try:
        page.goto(f"{server.url}/sites/{SLUG}?lang=en")
        form = page.locator("form[data-feedback]")
        form.get_by_label("No", exact=True).check()
        form.locator("#feedback-comment").fill("The map was hard to read")
        form.get_by_role("button", name="Send").click()
        page.wait_for_url("**/feedback/thanks*")
        assert page.locator("h1").inner_text() == "Thank you"
        [row] = rows(staff_app)
        assert (row.useful, row.comment, row.language) == (False, "The map was hard to read", "en")
    finally:
        context.close()


def test_offline_the_form_says_sending_needs_a_connection(server, page):
    page.goto(f"{server.url}/en/sites/{SLUG}")
    notice = page.locator("[data-offline-notice]")
    assert not notice.is_visible()
    page.context.set_offline(True)
    notice.wait_for(state="visible")
    assert "sending needs a connection" in notice.inner_text()
    assert page.get_by_role("button", name="Send").is_disabled()
    page.context.set_offline(False)
    notice.wait_for(state="hidden")
