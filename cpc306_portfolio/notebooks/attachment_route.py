"""The assessor's workspace hands out a learner's attachments, and never as active content.

An attachment is whatever a learner put in their folder: an HTML page, an SVG with a script,
a notebook. The route (``/cpc306/attachment/<learner>/<record>/<index>``) finds the file only
through the record that lists it (never from a path in the address), reads it without
following a link, and answers with:

- its own media type for the few kinds a browser shows passively (raster images, plain
  text), shown inline; Markdown, CSV and JSON shown as plain text; everything else, and
  anything asked for with ``?download=1``, as a download (``Content-Disposition:
  attachment``) with its own type;
- ``X-Content-Type-Options: nosniff`` and ``Content-Security-Policy: sandbox; default-src
  'none'``, so even a file a browser chose to render runs nothing and reaches nothing.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import tornado.web

from ..errors import PortfolioError
from ..files.regular import read_bytes

#: Shown in the browser's own viewer; anything else is downloaded.
INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "text/plain"})
#: Text a browser would not show passively under its own type: viewed as plain text.
VIEWED_AS_TEXT = frozenset({"text/markdown", "text/x-markdown", "text/csv", "application/json"})
SANDBOX = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
ROUTE = r"/cpc306/attachment/([0-9a-f]{12})/([A-Z][0-9]{3,})/([0-9]{1,4})"
#: Largest attachment handed out (the evidence form accepts much less).
MAX_BYTES = 200 * 1024 * 1024


def attachment_href(learner: str, record: str, index: int, download: bool = False) -> str:
    """The address (relative to the app's root) of one of a record's attachments."""
    return f"/cpc306/attachment/{learner}/{record}/{index}" + ("?download=1" if download else "")


@dataclass(frozen=True)
class Delivery:
    """How one file is handed out: its type, and inline (shown) or as a download."""

    media_type: str
    inline: bool

    def headers(self, name: str) -> dict[str, str]:
        """The response headers for a file called ``name``."""
        kind = "inline" if self.inline else "attachment"
        ascii_name = re.sub(r"[^A-Za-z0-9._ -]", "_", name) or "attachment"
        charset = "; charset=utf-8" if self.media_type.startswith("text/") else ""
        return {
            "Content-Type": self.media_type + charset,
            "Content-Disposition": f'{kind}; filename="{ascii_name}"; '
            f"filename*=UTF-8''{quote(name)}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": SANDBOX,
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
        }


def delivery(name: str, recorded_type: str = "", download: bool = False) -> Delivery:
    """How to hand out a file: by its name's type (the record's word is not trusted alone)."""
    guessed = mimetypes.guess_type(name, strict=False)[0] or ""
    media = guessed or recorded_type or "application/octet-stream"
    if not re.fullmatch(r"[a-z]+/[a-z0-9.+-]+", media):
        media = "application/octet-stream"
    if not download and media in VIEWED_AS_TEXT:
        return Delivery("text/plain", inline=True)
    return Delivery(media, inline=not download and media in INLINE_TYPES)


class AttachmentHandler(tornado.web.RequestHandler):
    """One attachment of one listed record of one portfolio of the caseload."""

    def get(self, learner: str, record: str, index: str) -> None:
        portfolios: dict[str, str] = self.settings.get("cpc306_portfolios", {})
        root = portfolios.get(learner)
        if root is None:
            raise tornado.web.HTTPError(404)
        try:
            from ..portfolio.store import open_portfolio  # not at the server's start

            folio = open_portfolio(Path(root), readonly=True)
            evidence = folio.read_evidence(record)
            attachment = evidence.attachments[int(index)]
            path = folio.attachment_path(attachment)
            if not path.resolve().is_relative_to(folio.evidence_dir.resolve()):
                raise tornado.web.HTTPError(404)
            data = read_bytes(path, folio.root, MAX_BYTES)
        except (PortfolioError, OSError, IndexError, ValueError):
            raise tornado.web.HTTPError(404) from None
        if len(data) > MAX_BYTES:
            raise tornado.web.HTTPError(413)
        name = Path(attachment.path).name
        how = delivery(name, attachment.media_type, bool(self.get_query_argument("download", "")))
        for header, value in how.headers(name).items():
            self.set_header(header, value)
        self.finish(data)
