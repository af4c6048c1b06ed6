"""Visitors' feedback: the public form's protections, the staff queue, answers by mail, the CLI."""

from __future__ import annotations

import csv
import io
import logging
import os

import pytest
from browsing import free_port, sign_in
from bs4 import BeautifulSoup
from builders import make_staff_app
from sqlalchemy import inspect, select, text

from guide.cli import main
from guide.listening.models import Feedback
from guide.workspace.db import AuditEntry, db

SLUG = "dinh-chem"  # in area 021, where editor-here edits
FORM = f"/sites/{SLUG}/feedback"
SAME_SITE = {"Origin": "http://localhost"}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def post(client, data: dict, headers: dict | None = None, **environ):
    extra = {"environ_base": environ} if environ else {}
    return client.post(
        FORM,
        data={"language": "vi", **data},
        headers=SAME_SITE if headers is None else headers,
        **extra,
    )


def stored(app) -> list[Feedback]:
    with app.app_context():
        rows = list(db.session.scalars(select(Feedback).order_by(Feedback.id)))
        db.session.expunge_all()
        return rows


def test_story_page_has_the_form_and_sets_no_cookie(staff_app):
    client = staff_app.test_client()
    response = client.get(f"/en/sites/{SLUG}")
    assert response.headers.getlist("Set-Cookie") == []
    form = soup(response).select_one("form[data-feedback]")
    assert form["method"] == "post" and form["action"] == FORM
    assert {i["value"] for i in form.select("input[name=useful]")} == {"yes", "no"}
    assert {i["value"] for i in form.select("input[name=topic]")} == {
        "story",
        "location",
        "hours",
        "photo",
        "other",
    }
    assert form.select_one("input[name=language]")["value"] == "en"
    honeypot = form.select_one("input[name=website]")
    assert honeypot.find_parent(attrs={"hidden": True}) is not None
    assert form.find("summary").get_text() == "Report a mistake"


def test_a_submission_is_kept_once_and_answered_in_its_language(staff_app):
    client = staff_app.test_client()
    data = {"useful": "no", "topic": "hours", "report": "Mở cửa  đến 17:00", "language": "en"}
    first = post(client, data)
    assert first.status_code == 303
    assert first.headers.getlist("Set-Cookie") == []
    thanks = client.get(first.headers["Location"])
    assert thanks.status_code == 200 and thanks.headers.getlist("Set-Cookie") == []
    assert soup(thanks).h1.get_text() == "Thank you"
    assert soup(thanks).html["lang"] == "en"
    # The same words again (spacing aside), the same day: answered alike, kept once.
    again = post(client, {**data, "report": "Mở cửa đến 17:00"})
    assert again.status_code == 303
    rows = stored(staff_app)
    assert len(rows) == 1
    row = rows[0]
    assert (row.slug, row.area, row.useful, row.topic, row.language, row.status) == (
        SLUG,
        "021",
        False,
        "hours",
        "en",
        "new",
    )
    vietnamese = client.get(post(client, {"useful": "yes"}).headers["Location"])
    assert soup(vietnamese).h1.get_text() == "Cảm ơn bạn"


def test_a_filled_honeypot_is_answered_like_success_but_not_kept(staff_app):
    client = staff_app.test_client()
    response = post(client, {"comment": "buy now", "website": "http://spam.example"})
    assert response.status_code == 303
    assert stored(staff_app) == []


@pytest.mark.parametrize(
    "headers", [{"Origin": "https://evil.example"}, {"Referer": "https://evil.example/x"}, {}]
)
def test_a_form_from_another_site_is_refused(staff_app, headers):
    response = post(staff_app.test_client(), {"useful": "yes"}, headers=headers)
    assert response.status_code == 403
    assert stored(staff_app) == []


def test_referer_of_our_own_page_is_enough(staff_app):
    headers = {"Referer": f"http://localhost/sites/{SLUG}"}
    assert post(staff_app.test_client(), {"useful": "yes"}, headers=headers).status_code == 303


@pytest.mark.parametrize(
    ("field", "value"),
    [("comment", "x" * 2001), ("report", "y" * 2001), ("contact", "z" * 201)],
)
def test_over_long_text_is_refused_naming_the_field(staff_app, field, value):
    data = {"topic": "other", field: value, "language": "en"}
    response = post(staff_app.test_client(), data)
    assert response.status_code == 400
    alert = soup(response).select_one("[role=alert]").get_text()
    assert f"({field})" in alert and "at most" in alert
    assert stored(staff_app) == []


def test_control_characters_are_refused(staff_app):
    response = post(staff_app.test_client(), {"comment": "Hay\x00quá"})
    assert response.status_code == 400
    assert "U+0000" in soup(response).select_one("[role=alert]").get_text()


def test_an_empty_form_is_refused_in_vietnamese(staff_app):
    response = post(staff_app.test_client(), {})
    assert response.status_code == 400
    assert soup(response).html["lang"] == "vi"
    assert "hữu ích" in soup(response).select_one("[role=alert]").get_text()


def test_too_many_from_one_address_get_429_with_retry_after(staff_sites, tmp_path):
    app = make_staff_app(staff_sites, tmp_path, GUIDE_FEEDBACK_LIMIT="3/minute")
    client = app.test_client()
    answers = [
        post(client, {"comment": f"lần {n}"}, REMOTE_ADDR="198.51.100.1").status_code
        for n in range(4)
    ]
    assert answers == [303, 303, 303, 429]
    refused = post(client, {"comment": "nữa"}, REMOTE_ADDR="198.51.100.1")
    assert int(refused.headers["Retry-After"]) > 0
    # Another address is not held back by the first one.
    assert post(client, {"comment": "khác"}, REMOTE_ADDR="198.51.100.2").status_code == 303
    assert len(stored(app)) == 4


def test_feedback_about_a_draft_or_unknown_site_is_404(staff_app):
    response = staff_app.test_client().post(
        "/sites/no-such-site/feedback", data={"useful": "yes"}, headers=SAME_SITE
    )
    assert response.status_code == 404


def test_nothing_stores_the_address_or_the_browser(staff_app, caplog):
    caplog.set_level(logging.DEBUG)
    client = staff_app.test_client()
    agent = "Mozilla/5.0 (Linux; Android 14) UniqueAgent/9.9"
    environ = {"REMOTE_ADDR": "203.0.113.7", "HTTP_USER_AGENT": agent}
    client.get(f"/sites/{SLUG}", environ_base=environ)
    data = {"useful": "yes", "comment": "Rất hay", "topic": "photo", "report": "Ảnh mờ"}
    assert post(client, data, **environ).status_code == 303
    assert len(stored(staff_app)) == 1
    with staff_app.app_context():
        dump = []
        for table in inspect(db.engine).get_table_names():
            dump += [repr(row) for row in db.session.execute(text(f'SELECT * FROM "{table}"'))]
    everything = "\n".join(dump) + "\n".join(r.getMessage() for r in caplog.records)
    assert "Rất hay" in everything  # the dump did read the feedback table
    assert "203.0.113.7" not in everything
    assert "UniqueAgent" not in everything


# --- The staff queue ------------------------------------------------------------------


def seed(app) -> dict[str, int]:
    """Store one report about Đình Chèm (021) and one about a site in another area."""
    client = app.test_client()
    other = next(
        s for s in app.extensions["guide.catalogue"] if s.area != "021" and s.area and s.is_public
    )
    post(client, {"topic": "location", "report": "Sai vị trí", "contact": "ban@example.vn"})
    client.post(
        f"/sites/{other.slug}/feedback",
        data={"comment": "Ở khu khác", "contact": "0912 345 678"},
        headers=SAME_SITE,
    )
    rows = stored(app)
    return {"here": rows[0].id, "other": rows[1].id, "other_area": other.area}


def queue_ids(client, query: str = "") -> list[int]:
    page = client.get(f"/admin/feedback/{query}")
    assert page.status_code == 200
    return [int(li["data-id"]) for li in soup(page).select("li.feedback-item")]


def staff_client(app, name: str):
    client = app.test_client()
    sign_in(client, name)
    return client


def token(client) -> str:
    page = client.get("/admin/feedback/")
    return soup(page).find("meta", {"name": "csrf-token"})["content"]


def act(client, feedback_id: int, action: str, answer: str = ""):
    return client.post(
        f"/admin/feedback/{feedback_id}",
        data={"csrf_token": token(client), "action": action, "answer": answer},
    )


def test_the_queue_is_scoped_like_editing(staff_app):
    ids = seed(staff_app)
    assert staff_app.test_client().get("/admin/feedback/").status_code == 302
    admin = staff_client(staff_app, "admin")
    assert sorted(queue_ids(admin)) == sorted([ids["here"], ids["other"]])
    here = staff_client(staff_app, "editor-here")
    assert queue_ids(here) == [ids["here"]]
    other = staff_client(staff_app, "editor-other")
    assert ids["here"] not in queue_ids(other)
    assert act(other, ids["here"], "resolve").status_code == 403
    viewer = staff_client(staff_app, "viewer")
    page = soup(viewer.get("/admin/feedback/"))
    assert len(page.select("li.feedback-item")) == 2
    assert page.select("form.handle") == []
    assert act(viewer, ids["here"], "dismiss").status_code == 403
    assert {r.status for r in stored(staff_app)} == {"new"}


def test_filters_and_the_link_to_the_field_in_question(staff_app):
    ids = seed(staff_app)
    admin = staff_client(staff_app, "admin")
    assert queue_ids(admin, "?kind=report") == [ids["here"]]
    assert queue_ids(admin, "?kind=comment") == [ids["other"]]
    assert queue_ids(admin, f"?area={ids['other_area']}") == [ids["other"]]
    assert queue_ids(admin, f"?site={SLUG}") == [ids["here"]]
    assert queue_ids(admin, "?status=resolved") == []
    item = soup(admin.get("/admin/feedback/")).select_one(f"#feedback-{ids['here']}")
    link = item.select_one("a.correct")["href"]
    assert link == f"/admin/sites/{SLUG}#point"
    editor = soup(admin.get(link.split("#")[0]))
    assert editor.find(id="point") is not None


def test_visitor_text_is_shown_escaped(staff_app):
    post(staff_app.test_client(), {"comment": "<script>alert(1)</script><b>x</b>"})
    page = staff_client(staff_app, "admin").get("/admin/feedback/")
    comment = soup(page).select_one("blockquote.comment")
    assert comment.find("script") is None and comment.find("b") is None
    assert comment.get_text() == "<script>alert(1)</script><b>x</b>"


def test_resolve_and_dismiss_are_audited(staff_app):
    ids = seed(staff_app)
    editor = staff_client(staff_app, "editor-here")
    assert act(editor, ids["here"], "resolve").status_code == 303
    admin = staff_client(staff_app, "admin")
    assert act(admin, ids["other"], "dismiss").status_code == 303
    rows = {r.id: r for r in stored(staff_app)}
    assert (rows[ids["here"]].status, rows[ids["here"]].handled_by) == ("resolved", "editor-here")
    assert rows[ids["other"]].status == "dismissed"
    with staff_app.app_context():
        entries = [(e.user_name, e.action) for e in db.session.scalars(select(AuditEntry))]
    assert ("editor-here", "feedback.resolved") in entries
    assert ("admin", "feedback.dismissed") in entries


def test_a_post_without_csrf_token_is_refused(staff_app):
    ids = seed(staff_app)
    admin = staff_client(staff_app, "admin")
    response = admin.post(f"/admin/feedback/{ids['here']}", data={"action": "resolve"})
    assert response.status_code == 400
    assert {r.status for r in stored(staff_app)} == {"new"}


def test_an_answer_is_mailed_when_the_contact_is_an_address(staff_sites, tmp_path, smtp_server):
    controller, received = smtp_server
    app = make_staff_app(
        staff_sites,
        tmp_path,
        GUIDE_MAIL_SERVER="127.0.0.1",
        GUIDE_MAIL_PORT=controller.port,
        GUIDE_MAIL_FROM="ditich@example.vn",
    )
    ids = seed(app)
    editor = staff_client(app, "editor-here")
    response = act(editor, ids["here"], "answer", "Cảm ơn, chúng tôi đã sửa vị trí.")
    assert response.status_code == 303
    assert len(received.messages) == 1
    sender, recipients, content = received.messages[0]
    assert (sender, recipients) == ("ditich@example.vn", ["ban@example.vn"])
    from email import message_from_bytes, policy

    mail = message_from_bytes(content, policy=policy.default)
    assert "chúng tôi đã sửa vị trí" in mail.get_content()
    row = next(r for r in stored(app) if r.id == ids["here"])
    assert (row.status, row.answered_via, row.handled_by) == ("answered", "mail", "editor-here")
    # A phone number cannot be mailed: the answer is recorded as given elsewhere.
    admin = staff_client(app, "admin")
    act(admin, ids["other"], "answer", "Đã gọi điện.")
    assert len(received.messages) == 1
    row = next(r for r in stored(app) if r.id == ids["other"])
    assert (row.status, row.answered_via) == ("answered", "elsewhere")


def test_without_mail_settings_an_answer_is_recorded_as_given_elsewhere(staff_app):
    ids = seed(staff_app)
    admin = staff_client(staff_app, "admin")
    response = act(admin, ids["here"], "answer", "Đã trả lời qua điện thoại.")
    page = soup(admin.get(response.headers["Location"] + "?status=answered"))
    assert "answered elsewhere" in page.select_one(f"#feedback-{ids['here']} .handled").get_text()
    with staff_app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "feedback.answered")
        ).one()
    assert (entry.user_name, entry.detail) == ("admin", "answered elsewhere")


def test_an_unreachable_mail_server_leaves_the_item_new(staff_sites, tmp_path):
    app = make_staff_app(
        staff_sites,
        tmp_path,
        GUIDE_MAIL_SERVER="127.0.0.1",
        GUIDE_MAIL_PORT=free_port(),
        GUIDE_MAIL_FROM="ditich@example.vn",
    )
    ids = seed(app)
    admin = staff_client(app, "admin")
    response = act(admin, ids["here"], "answer", "Cảm ơn.")
    page = soup(admin.get(response.headers["Location"]))
    assert "mail server" in page.select_one(".flash.error").get_text()
    assert next(r for r in stored(app) if r.id == ids["here"]).status == "new"


# --- The command line -----------------------------------------------------------------


def test_the_cli_lists_feedback_as_table_and_csv(staff_app, staff_sites, tmp_path, runner):
    ids = seed(staff_app)
    env = {
        "GUIDE_DATABASE_URL": staff_app.config["GUIDE_DATABASE_URL"],
        "GUIDE_INSTANCE": str(tmp_path / "instance"),
        "GUIDE_SITES": str(staff_sites),
    }
    table = runner.invoke(main, ["feedback", "--area", "021"], env=env)
    assert table.exit_code == 0, table.output
    assert SLUG in table.output and "Sai vị trí" in table.output
    assert "Ở khu khác" not in table.output
    out = runner.invoke(main, ["feedback", "--format", "csv", "--status", "new"], env=env)
    assert out.exit_code == 0, out.output
    records = list(csv.DictReader(io.StringIO(out.output)))
    assert sorted(int(r["id"]) for r in records) == sorted([ids["here"], ids["other"]])
    assert {r["contact"] for r in records} == {"ban@example.vn", "0912 345 678"}
    one = runner.invoke(main, ["feedback", "--site", SLUG, "--format", "csv"], env=env)
    assert [r["slug"] for r in csv.DictReader(io.StringIO(one.output))] == [SLUG]
    bad = runner.invoke(main, ["feedback", "--area", "Nowhere"], env=env)
    assert bad.exit_code == 2 and "--area" in bad.output


# --- PostgreSQL -----------------------------------------------------------------------


def test_feedback_is_stored_in_postgresql(tmp_path, staff_sites):
    url = os.environ.get("GUIDE_TEST_POSTGRES_URL", "")
    if not url:
        pytest.skip(
            "no PostgreSQL server: set GUIDE_TEST_POSTGRES_URL (as root, `source .ci/postgres`)"
        )
    import secrets

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from guide.workspace.db import normalize_url

    engine = create_engine(normalize_url(url), isolation_level="AUTOCOMMIT")
    schema = "guide_test_" + secrets.token_hex(6)
    with engine.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    scoped = (
        make_url(url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    app = make_staff_app(staff_sites, tmp_path, GUIDE_DATABASE_URL=scoped)
    try:
        data = {"useful": "no", "topic": "story", "report": "Năm dựng sai: 1639", "language": "en"}
        assert post(app.test_client(), data).status_code == 303
        with engine.connect() as connection:
            connection.execute(text(f'SET search_path TO "{schema}"'))
            rows = connection.execute(
                text("SELECT slug, area, useful, topic, report, language FROM feedback")
            ).all()
        assert [tuple(r) for r in rows] == [(SLUG, "021", False, "story", data["report"], "en")]
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        with engine.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
