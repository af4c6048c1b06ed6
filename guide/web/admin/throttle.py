"""Slow down password guessing on the sign-in form without locking the real person out.

Three limits, counted by Flask-Limiter in this process's memory only (no
address is written to the database or the logs):

* per client address, every POST to the sign-in form (``GUIDE_LOGIN_ADDRESS_LIMIT``);
* per client address and account, failed sign-ins only
  (``GUIDE_LOGIN_MAX_FAILURES`` per ``GUIDE_LOGIN_WINDOW_S``);
* per account from every address, failed sign-ins only (``GUIDE_LOGIN_ACCOUNT_LIMIT``):
  over it, each attempt for the account waits ``GUIDE_LOGIN_SLOW_S`` seconds before
  its password is checked. It slows a guesser spread over many addresses but
  never refuses: the right password from an address that is not throttled works.

The first two answer 429 with Retry-After. Which address counts is decided by
``GUIDE_PROXY_HOPS`` (ProxyFix in ``guide.web.security``).
"""

from __future__ import annotations

import time

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter
from limits import parse

from guide.workspace.accounts import normalize_name

_EXTENSION = "guide.throttle"
LOGIN_ENDPOINT = "auth.login"


def client_address() -> str:
    """Return the address the request came from (the proxy's client behind trusted proxies)."""
    return request.remote_addr or "unknown"


def account_name() -> str:
    """Return the account name typed into the sign-in form, in its canonical form."""
    return normalize_name(request.form.get("name", ""))[:64] or "-"


def address_and_account() -> str:
    """Return the key of the failures of one account from one address."""
    return f"{client_address()} {account_name()}"


def failed(response: Response) -> bool:
    """Return whether a sign-in attempt was a wrong name or password."""
    return response.status_code == 401


def init_app(app: Flask) -> None:
    """Put the sign-in limits on the login view of ``app``, each app with its own counts."""
    config = app.config
    limiter = Limiter(
        client_address,
        app=app,
        storage_uri="memory://",
        strategy="moving-window",
        headers_enabled=True,
        default_limits=[],
    )
    failures = f"{int(config['GUIDE_LOGIN_MAX_FAILURES'])} per {int(config['GUIDE_LOGIN_WINDOW_S'])} seconds"  # noqa: E501
    view = app.view_functions[LOGIN_ENDPOINT]
    view = limiter.limit(
        failures, key_func=address_and_account, methods=["POST"], deduct_when=failed
    )(view)
    view = limiter.limit(str(config["GUIDE_LOGIN_ADDRESS_LIMIT"]), methods=["POST"])(view)
    app.view_functions[LOGIN_ENDPOINT] = view
    app.extensions[_EXTENSION] = limiter


def slow_down_guessing(name: str) -> None:
    """Wait before checking a password when the account had too many failures lately."""
    if account_is_slowed(name):
        time.sleep(float(current_app.config["GUIDE_LOGIN_SLOW_S"]))


def count_failure(name: str) -> None:
    """Count a failed sign-in for the account, from whatever address it came."""
    limiter: Limiter = current_app.extensions[_EXTENSION]
    item = parse(str(current_app.config["GUIDE_LOGIN_ACCOUNT_LIMIT"]))
    limiter.limiter.hit(item, "login-account", normalize_name(name))


def account_is_slowed(name: str) -> bool:
    """Return whether sign-ins for the account are being slowed down now."""
    limiter: Limiter = current_app.extensions[_EXTENSION]
    item = parse(str(current_app.config["GUIDE_LOGIN_ACCOUNT_LIMIT"]))
    return not limiter.limiter.test(item, "login-account", normalize_name(name))


def minutes_to_wait() -> int:
    """Return in whole minutes how long the limit this request broke still holds."""
    limiter: Limiter = current_app.extensions[_EXTENSION]
    broken = limiter.current_limit
    if broken is None:
        return 1
    return max(1, round((broken.reset_at - time.time()) / 60))
