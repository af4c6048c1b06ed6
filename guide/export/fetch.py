"""Ask the guide for one file of the export: a story page by the view's render, the rest dispatched.

A story page is the HTML the server's view sends (``exported_story``) after
the request's own before-request hooks, without the response around it (the
ETag, the page cache, security headers, the session's cookie): a file keeps
none of those. Any other address, and a story address the view answers with
something else than its page, goes through the app's full dispatch.
"""

from __future__ import annotations

import re
from io import BytesIO

from flask import Flask, g
from flask.ctx import RequestContext
from flask.sessions import SecureCookieSessionInterface
from werkzeug.test import EnvironBuilder

from guide.web.public.views import exported_story

# Per-request nonces: the export's pages are the same for every visitor and build.
_NONCE = re.compile(rb' nonce="[^"]*"')


class BuildError(Exception):
    """A page of the export could not be rendered: names the address and the status."""


def without_nonces(body: bytes) -> bytes:
    """Return an HTML page without its nonces."""
    # On the bytes: no UTF-8 sequence holds a quote, so none is cut in two.
    return _NONCE.sub(b"", body)


class Fetcher:
    """Ask one app for the files of an export, as GET requests without cookies."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._environ: dict | None = None

    def fetch(self, address: str) -> tuple[bytes, str]:
        """Return the body and type of the guide's answer at ``address``, or raise BuildError."""
        with self._request(address) as context:
            if context.request.endpoint == "public.story":
                page = self._story_page(context)
                if page is not None:
                    return without_nonces(page.encode()), "text/html"
            else:
                return self._dispatched(address)
        # A story address the view answers otherwise (a redirect, a 404): asked afresh.
        with self._request(address):
            return self._dispatched(address)

    def _request(self, address: str) -> RequestContext:
        """Return a request context for a GET of ``address``, as the server makes for one."""
        # The request goes through the app's own dispatch, as the server's requests do,
        # without a test client's cookie jar and response wrapping around it.
        headers = {"Accept-Encoding": "identity"}
        base = self._environ
        if base is None:
            base = self._environ = EnvironBuilder(path="/", headers=headers).get_environ()
        if address.isascii() and not any(mark in address for mark in "?#%"):
            # A plain path: the environ EnvironBuilder makes for it, without making it again.
            paths = {"PATH_INFO": address, "REQUEST_URI": address, "RAW_URI": address}
            environ = {**base, **paths, "wsgi.input": BytesIO()}
        else:
            environ = EnvironBuilder(path=address, headers=headers).get_environ()
        # A request without cookies opens an empty session: made here, without the
        # session interface building its signing serializer again for every page
        # (without a secret key it opens none, and Flask gives the null session).
        interface = self.app.session_interface
        cookies = type(interface) is SecureCookieSessionInterface and self.app.secret_key
        session = interface.session_class() if cookies else None
        return RequestContext(self.app, environ, session=session)

    def _story_page(self, context: RequestContext) -> str | None:
        """Return the story page the view sends in this request, or None when it sends no page.

        The request's own hooks run first (its language comes from the path), then the
        view's render (``exported_story``); what the server adds after it are headers,
        which a file does not keep.
        """
        if context.request.routing_exception is not None or self.app.preprocess_request():
            return None
        # Nobody is signed in on a request without cookies or headers: the anonymous user
        # Flask-Login's loader would find (after hashing the client's address to check
        # the empty session), given to its templates' ``current_user`` at once.
        login_manager = getattr(self.app, "login_manager", None)
        if login_manager is not None:
            g._login_user = login_manager.anonymous_user()
        return exported_story(**(context.request.view_args or {}))

    def _dispatched(self, address: str) -> tuple[bytes, str]:
        """Return the body and type of the full dispatch of the request being handled."""
        response = self.app.full_dispatch_request()
        try:
            response.direct_passthrough = False  # a file sent from disk is read here
            if response.status_code != 200:
                raise BuildError(f"{address}: the guide answered {response.status_code}")
            body = response.get_data()
            mimetype = response.mimetype or "application/octet-stream"
        finally:
            response.close()  # a file sent from disk (fonts, photos) stays open until closed
        if mimetype == "text/html":
            body = without_nonces(body)
        return body, mimetype
