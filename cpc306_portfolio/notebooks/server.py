"""The app's web server: Voilà behind a gate (``python -m cpc306_portfolio.notebooks.server``).

``cpc306 app`` starts this module in its own process with Voilà's arguments, and hands it
this run's token and its settings through the environment (never the command line,
which every user of the machine can read). Compared with plain ``voila``:

- every route Voilà installs is wrapped in :class:`Gate` (Host, Origin, token; see
  :mod:`.gate`), static files included; Host checking (``allow_remote_access``) and
  tornado's XSRF check are on as well;
- the render route answers only the pages ``cpc306 app`` generated for this run (any
  other path is 404 before a kernel starts); the folder tree and the contents API are
  gone; the file route serves only the portfolio's built HTML (``exports/*.html``);
- at most ``max_kernels`` kernels serve pages at once: the oldest idle one (no page
  connected) is stopped to make room, and when every kernel has a page open the request
  gets a page that says so instead of a kernel. Besides them, kernels are pre-heated
  (imports done, page built ahead, waiting to be opened): Start here's as the server
  starts (in a process that imported beside the server: :mod:`.serve`, :mod:`.warm_kernel`;
  its cells run as soon as it answers: :mod:`.page_client`), then, once a page has
  settled, a bounded few near it, with spares for the page open and the pages most likely
  next (:mod:`.preheat`, :mod:`.preheat_order`);
- a websocket message may be as large as one choice of files the evidence form accepts.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import re
import uuid
from html import escape
from pathlib import Path
from typing import Any

import tornado.log
import tornado.web
import tornado.websocket
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.httputil import split_host_and_port
from traitlets import Integer
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.static_file_handler import AllowListFileHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from .attachment_route import ROUTE as ATTACHMENT_ROUTE
from .attachment_route import AttachmentHandler
from .gate import (
    LOCAL_HOSTS,
    MAX_KERNELS,
    SETTINGS_ENV,
    TOKEN_ARG,
    TOKEN_ENV,
    cookie_name,
    judge_request,
)
from .preheat import preheat_every_page, ready_first, refill_one_at_a_time
from .readiness import announce_ready, first_preheat
from .record_route import ROUTE as RECORD_ROUTE
from .record_route import RecordHandler
from .server_start import SETTINGS_FROM_STDIN, settings_from_stdin
from .upload_limits import MAX_FILE_BYTES

#: ipywidgets sends every chosen file in one websocket message (tornado's default limit,
#: 10 MiB, silently dropped bigger ones): room for several files at the form's limit.
MAX_MESSAGE_BYTES = 6 * MAX_FILE_BYTES
EXPORT_PATTERN = r"[^/\\]+\.html"


def _page(title: str, words: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>body{{font:18px/1.5 system-ui,sans-serif;"
        "max-width:40em;margin:3em auto;padding:0 1em;color:#1b1b1b}</style></head>"
        f"<body><main><h1>{escape(title)}</h1><p>{words}</p></main></body></html>"
    )


def _refusal_page(reason: str, command: str = "cpc306 app") -> str:
    whose = "your caseload" if command != "cpc306 app" else "your portfolio"
    return _page(
        "The app did not answer",
        f"The app refused this request: {escape(reason)}.</p><p>If this is {whose}, "
        f"open the address that <code>{escape(command)}</code> printed in your terminal (it "
        "carries the key, and changes every time the app starts).",
    )


class Gate(tornado.web.RequestHandler):
    """Mixed in front of every handler: the checks of :mod:`.gate` before anything runs."""

    async def prepare(self) -> None:
        token = str(self.settings.get("cpc306_token", ""))
        port = self.request.host.rpartition(":")[2]
        verdict = judge_request(
            method=self.request.method or "GET",
            host=self.request.host,
            headers=self.request.headers,
            query_token=self.get_query_argument(TOKEN_ARG, None),
            cookie=self.get_cookie(cookie_name(port)),
            token=token,
        )
        if not token or not verdict.allowed:
            self.log_refusal(verdict.reason or "no token configured")
            self.set_status(verdict.status or 403)
            command = str(self.settings.get("cpc306_command") or "cpc306 app")
            self.finish(_refusal_page(verdict.reason or "refused", command))
            return
        if verdict.from_address and not isinstance(self, tornado.websocket.WebSocketHandler):
            self.set_cookie(cookie_name(port), token, path="/", httponly=True, samesite="Strict")
        result = super().prepare()
        if inspect.isawaitable(result):
            await result

    def log_refusal(self, reason: str) -> None:
        tornado.log.access_log.warning(
            "refused %s %s (Host %s): %s",
            self.request.method,
            self.request.path,
            self.request.host,
            reason,
        )


def gated(cls: type[Any]) -> type[Any]:
    """``cls`` with :class:`Gate` in front of it."""
    return type(f"Gated{cls.__name__}", (Gate, cls), {})


class _KernelLimitReached(tornado.web.HTTPError):
    """Inside the server only: becomes the "Too many pages are open" page, never a user's error."""

    def __init__(self, limit: int) -> None:
        super().__init__(503, f"{limit} pages are open, the most the app runs at once")


class CappedKernelManager(AsyncMappingKernelManager):
    """At most ``max_kernels`` page kernels; the oldest idle one is stopped to make room.

    Pre-heated kernels still waiting in a page's pool (one a page at most) are not counted.
    """

    max_kernels = Integer(MAX_KERNELS, config=True, help="Kernels alive at once, at most.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._starting = 0
        self._warming: set[str] = set()

    def _pooled(self) -> set[str]:
        """Kernels pre-heated for a page and not yet given to one."""
        out = set(self._warming)
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    out.add(str(task.result().get("kernel_id")))
        return out

    def _alive(self) -> int:
        return len((set(self._kernels) | set(self._pending_kernels)) - self._pooled())

    def _idle(self) -> list[str]:
        """Kernels no page is connected to and that run nothing, oldest activity first."""
        out = []
        pooled = self._pooled()
        for kid in [k for k in list(self._kernels) if k not in pooled]:
            kernel = self._kernels[kid]
            if self._kernel_connections.get(kid, 0) == 0 and (
                getattr(kernel, "execution_state", "") == "idle"
            ):
                out.append((kernel.last_activity, kid))
        return [kid for _when, kid in sorted(out)]

    async def make_room(self) -> bool:
        """Stop idle kernels until one more fits; False if every kernel has a page open."""
        while self._alive() + self._starting >= self.max_kernels:
            idle = self._idle()
            if not idle:
                return False
            self.log.info("kernel limit: stopping the oldest idle kernel %s", idle[0])
            await self.shutdown_kernel(idle[0])
        return True

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        if kwargs.get("env", {}).get("VOILA_PREHEAT") == "True":
            kid = kwargs.setdefault("kernel_id", str(uuid.uuid4()))
            self._warming.add(kid)
            try:
                return str(await super().start_kernel(*args, **kwargs))
            finally:
                self._warming.discard(kid)
        if not await self.make_room():
            raise _KernelLimitReached(self.max_kernels)
        self._starting += 1
        try:
            return str(await super().start_kernel(*args, **kwargs))
        finally:
            self._starting -= 1


def _limit_page(limit: int) -> str:
    return _page(
        "Too many pages are open",
        f"The app runs at most {limit} pages at once, and that many are open now (in tabs "
        "or windows). Close a tab you no longer need, then reload this page (Ctrl-R or F5).",
    )


class PageHandler(TornadoVoilaHandler):
    """Voilà's render route, for the generated pages only."""

    async def get(self, path: str | None = None) -> None:
        pages = self.settings["cpc306_pages"]
        if path not in pages:
            raise tornado.web.HTTPError(404, "not one of the app's pages")
        self.xsrf_token  # noqa: B018  (sets the _xsrf cookie the page's own posts carry)
        manager = self.kernel_manager
        pool = getattr(manager, "_pools", {}).get(path, [])
        await first_preheat(manager, path or "", pool)
        # A pre-heated kernel that could not start (the limit) is dropped, not awaited.
        pool[:] = [t for t in pool if not (t.done() and t.exception() is not None)]
        # Taking a pre-heated kernel makes it a page's kernel too: the cap holds either way.
        if not await manager.make_room():
            self.set_status(503)
            self.finish(_limit_page(manager.max_kernels))
            return
        ready_first(pool)  # a kernel ready now, not one still starting
        try:
            await super().get(path)
            preheat_every_page(manager, self.settings, path or "")
        except _KernelLimitReached:
            if self._headers_written:
                raise
            self.set_status(503)
            self.finish(_limit_page(manager.max_kernels))


class QueryGate(tornado.web.RequestHandler):
    """In front of Voilà's ``/voila/query/<kernel>``: only a page kernel of this server.

    A pre-heated kernel waits there for its page to be asked for; it holds no key, so the
    Gate would refuse it (and the page would run at once, showing the portfolio as it was
    when the server started). Only a local Host, no browser's Origin, and the id of a
    kernel this server started get through.
    """

    async def prepare(self) -> None:
        name, _port = split_host_and_port(self.request.host.lower())
        kid = self.request.path.rstrip("/").rpartition("/")[2]
        known = kid in self.settings["kernel_manager"]
        if name not in LOCAL_HOSTS or "Origin" in self.request.headers or not known:
            self.set_status(403)
            self.finish()
            return
        result = super().prepare()
        if inspect.isawaitable(result):
            await result


class NotFound(tornado.web.RequestHandler):
    """Every other address: 404 (after the gate, so a caller without the key learns nothing)."""

    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


class StartRedirect(tornado.web.RequestHandler):
    """The folder tree's routes: the app has no tree, only its start page."""

    def get(self, path: str = "") -> None:
        self.redirect(f"{self.settings['base_url']}voila/render/{self.settings['cpc306_start']}")


class ExportHandler(tornado.web.StaticFileHandler):
    """The learner's built HTML, and nothing else from the portfolio."""

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        if not re.fullmatch(EXPORT_PATTERN, os.path.basename(absolute_path)):
            raise tornado.web.HTTPError(404)
        # A link planted in exports/ must not hand out a file from elsewhere on the disk.
        if os.path.dirname(os.path.realpath(absolute_path)) != os.path.realpath(root):
            raise tornado.web.HTTPError(404)
        return super().validate_absolute_path(root, absolute_path)

    def set_extra_headers(self, path: str) -> None:
        # A built page shows here in its own opaque origin: whatever script it carries
        # cannot use the app's session (its requests say Origin: null and are refused).
        self.set_header("Content-Security-Policy", "sandbox allow-scripts allow-popups")


class AppServer(Voila):
    """Voilà with the gate, the page list, the export route and the kernel cap."""

    def _settings(self) -> dict[str, Any]:
        return dict(json.loads(os.environ.get(SETTINGS_ENV, "{}")))

    def init_settings(self) -> dict[str, Any]:
        # Taken out of the environment before any kernel starts (kernels inherit it).
        token = os.environ.pop(TOKEN_ENV, "")
        self.token = token
        settings = super().init_settings()
        ours = self._settings()
        settings.update(
            allow_remote_access=False,
            xsrf_cookies=True,
            websocket_max_message_size=MAX_MESSAGE_BYTES,
            default_handler_class=gated(NotFound),
            cpc306_token=token,
            cpc306_pages=frozenset(ours.get("pages", ())),
            cpc306_start=ours.get("start", ""),
            cpc306_command=ours.get("command", "cpc306 app"),
            # The assessor's caseload: learner key -> portfolio folder (attachments only).
            cpc306_portfolios=dict(ours.get("portfolios", {})),
            # The assessor's own folder of unit assessment records (the workspace's button).
            cpc306_records=str(ours.get("records", "")),
        )
        if hasattr(self.kernel_manager, "fill_if_needed"):  # pre-heating on
            refill_one_at_a_time(self.kernel_manager)
        if ours.get("ready"):  # the command prints its address once the start page is ready
            ready = announce_ready(
                self.kernel_manager, settings["cpc306_start"], Path(ours["ready"])
            )
            settings["cpc306_ready"] = asyncio.get_event_loop().create_task(ready)  # Voilà's loop
        return dict(settings)

    def init_handlers(self) -> list[Any]:
        exports = self._settings().get("exports", "")
        out: list[Any] = []
        for pattern, cls, *rest in super().init_handlers():
            if cls is VoilaContentsHandler:
                continue
            if cls is TornadoVoilaTreeHandler:
                cls, rest = StartRedirect, []
            elif cls is TornadoVoilaHandler:
                cls = PageHandler
            elif cls is RequestInfoSocketHandler:
                out.append((pattern, type("GatedQuery", (QueryGate, cls), {}), *rest))
                continue
            elif cls is AllowListFileHandler:
                pattern = pattern.replace("(.*)", f"exports/({EXPORT_PATTERN})")
                cls, rest = (ExportHandler, [{"path": exports}]) if exports else (NotFound, [])
            out.append((pattern, gated(cls), *rest))
        if self._settings().get("portfolios"):
            base = self.base_url.rstrip("/")
            out.insert(0, (base + ATTACHMENT_ROUTE, gated(AttachmentHandler)))
            out.insert(0, (base + RECORD_ROUTE, gated(RecordHandler)))
        return out


def main() -> None:
    """Start the server, as ``voila`` would, with Voilà's command-line arguments.

    Or, given only :data:`~.server_start.SETTINGS_FROM_STDIN`, with the arguments and the
    environment the command sends once it knows them (this module is imported by then).
    """
    import sys

    if sys.argv[1:] == [SETTINGS_FROM_STDIN]:
        given = settings_from_stdin()
        if given is None:
            return  # the command stopped before it needed a server
        os.environ.clear()
        os.environ.update(given["env"])
        sys.argv[1:] = given["argv"]
    AppServer.launch_instance()


if __name__ == "__main__":
    main()
