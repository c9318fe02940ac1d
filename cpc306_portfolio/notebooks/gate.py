"""The app's gate: who may talk to ``cpc306 app`` at all (pure checks, no server needed).

Voilà answers any Host and, without a token, any caller. Every request to the app is
checked here before Voilà sees it:

- the Host must be ``127.0.0.1`` or ``localhost``, so a DNS-rebound name (``evil.example``
  resolving to 127.0.0.1) is refused;
- an ``Origin``, when the browser sends one (every cross-origin fetch, every websocket,
  every POST), must be the app's own;
- the request must carry this run's token: in the address (``?token=``, the URL the
  command prints), in an ``Authorization: token`` header, or in the session cookie set
  when the address was opened. The cookie is ``SameSite=Strict``, so a page on another
  site that links to or embeds the app never sends it;
- a request that has only the cookie must also be one the browser says comes from the
  app itself (``Sec-Fetch-Site``: ``same-origin``, or ``none`` when the learner typed or
  bookmarked an address): ports do not make sites, so a page on another port of
  127.0.0.1 is "same-site" and its requests would carry the cookie;
- a change (anything but GET, HEAD, OPTIONS) must also come from the app's own page: with
  its Origin, or with the token in a header (tornado's XSRF check runs on top).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass

from tornado.httputil import split_host_and_port

from ..errors import UsageError

#: The run's token, from ``cpc306 app`` to the server (never on a command line).
TOKEN_ENV = "CPC306_APP_TOKEN"
#: The server's settings (JSON: the pages, the start page, the exports folder).
SETTINGS_ENV = "CPC306_APP_SETTINGS"
#: Kernels alive at once, at most: about one per open page (each holds ~120 MB).
MAX_KERNELS = 8
#: Pages served at once at most, if not the default (a laptop with little memory may lower it;
#: each page's kernel holds about 140 MiB).
KERNELS_ENV = "CPC306_APP_KERNELS"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TOKEN_ARG = "token"


def cookie_name(port: int | str) -> str:
    """The session cookie's name: per port, as two apps on one machine share a cookie jar."""
    return f"cpc306-app-{port}"


@dataclass(frozen=True)
class Verdict:
    """What the gate decided: ``status`` 0 lets the request through."""

    status: int = 0
    reason: str = ""
    #: True when the token came with the request itself: the caller sets the cookie.
    from_address: bool = False

    @property
    def allowed(self) -> bool:
        return self.status == 0


def _same(given: str | None, token: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), token.encode())


def _header_token(headers: Mapping[str, str]) -> str | None:
    scheme, _, value = headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "token" else None


def judge_request(
    *,
    method: str,
    host: str,
    headers: Mapping[str, str],
    query_token: str | None,
    cookie: str | None,
    token: str,
) -> Verdict:
    """Decide whether one request may reach the app (see the module's docstring)."""
    name, _port = split_host_and_port(host.lower())
    if name not in LOCAL_HOSTS:
        return Verdict(403, f"Host {name!r} refused: the app answers only 127.0.0.1")
    origin = headers.get("Origin")
    if origin is not None and origin.lower() != f"http://{host.lower()}":
        return Verdict(403, f"a request from {origin!r} refused: the app answers only itself")
    in_header = _header_token(headers)
    if _same(query_token, token) or _same(in_header, token):
        # Whoever holds the key may come from anywhere: the page `cpc306 app` opens is a
        # local file that forwards to the address (the key stays off command lines).
        return Verdict(from_address=query_token is not None)
    if not _same(cookie, token):
        return Verdict(403, "this address needs the key the app was started with")
    fetched_from = headers.get("Sec-Fetch-Site", "none").lower()
    if fetched_from not in {"same-origin", "none"}:
        return Verdict(403, f"a {fetched_from} request refused: the app answers only itself")
    if method.upper() not in SAFE_METHODS and origin is None:
        return Verdict(403, "a change must come from the app's own page")
    return Verdict()


def max_kernels(env: Mapping[str, str]) -> int:
    """How many pages the app serves at once: ``CPC306_APP_KERNELS`` if set, else 8."""
    raw = env.get(KERNELS_ENV, "").strip()
    if not raw:
        return MAX_KERNELS
    if not raw.isdigit() or not 1 <= int(raw) <= 64:
        raise UsageError(
            f"{KERNELS_ENV}={raw}: not a number of pages the app can serve at once",
            hint=f"set {KERNELS_ENV} to a whole number from 1 to 64, or leave it unset for "
            f"{MAX_KERNELS}",
        )
    return int(raw)
