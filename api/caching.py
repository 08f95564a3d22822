"""HTTP validators on every GET: ETag, Last-Modified, 304 to a conditional GET; HEAD on every GET route.

    app.add_middleware(ConditionalGet)      # inner: sees the uncompressed body
    app.add_middleware(GZip)                # Accept-Encoding: gzip (q-values honoured)
    app.add_middleware(HeadAsGet)           # outer: HEAD runs the GET route, the body is dropped

- ETag: a route may set its own (the dumps: the digest of the cached file); otherwise it is the
  SHA-256 of the body. It is weak (`W/"…"`): the same content gzipped or not has the same tag.
- Last-Modified: the store's last recorded write (`pcs_graph.store.state`), or the time this process
  started if later (a new version of the code may change a page without any write). Not on
  `/api/`, `/recherche` and `/action/`: what they show also depends on the search index, which can
  change after the last write (a rebuild), so there a date could answer 304 to a changed page; they
  keep their ETag.
- `Cache-Control: no-cache` unless a route says otherwise: a browser keeps the page but asks each
  time (a cheap 304), so nobody reads a page older than the store.
- If-None-Match wins over If-Modified-Since (RFC 9110, 13.2.2); the 304 carries the validators.

`StateTracker` reads the store's state at most once a second per process (a query of one row per
named graph), shared by the validators, the dump cache and the dataset description.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from typing import Callable

import anyio
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pcs_graph.store.state import StoreState

NO_LAST_MODIFIED = ("/api/", "/recherche", "/action/", "/export/recherche")
log = logging.getLogger("pcs.api")


class StateTracker:
    """The store's state, re-read when older than `ttl` seconds."""

    def __init__(self, read: Callable[[], StoreState], ttl: float = 1.0) -> None:
        self._read = read
        self._ttl = ttl
        self._lock = threading.Lock()
        self._state: StoreState | None = None
        self._at = 0.0
        self.started = datetime.now(timezone.utc).replace(microsecond=0)

    def current(self) -> StoreState:
        with self._lock:
            if self._state is None or time.monotonic() - self._at > self._ttl:
                self._state = self._read()
                self._at = time.monotonic()
            return self._state

    def last_modified(self) -> datetime:
        """The later of the store's last write and this process's start, to the second."""
        modified = self.current().modified
        if modified is None:
            return self.started
        return max(modified.replace(microsecond=0), self.started)


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(timezone.utc), usegmt=True)


def body_etag(body: bytes) -> str:
    return f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'


def etag_matches(header: str, etag: str) -> bool:
    """Weak comparison of If-None-Match with the response's tag (RFC 9110, 8.8.3.2)."""
    if header.strip() == "*":
        return True
    opaque = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == opaque for tag in header.split(","))


def not_modified(request: Headers, etag: str | None, last_modified: str | None) -> bool:
    if "if-none-match" in request:
        return etag is not None and etag_matches(request["if-none-match"], etag)
    since = request.get("if-modified-since")
    if since and last_modified:
        try:
            return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


KEPT_ON_304 = ("etag", "last-modified", "cache-control", "vary", "content-location", "expires", "link",
               "access-control-allow-origin", "access-control-expose-headers")


class ConditionalGet:
    """Adds ETag / Last-Modified / Cache-Control to 200 answers of GET and answers 304 when they match."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        request = Headers(scope=scope)
        tracker: StateTracker | None = getattr(scope["app"].state, "tracker", None)
        last_modified = None
        if tracker is not None and not scope["path"].startswith(NO_LAST_MODIFIED):
            try:
                last_modified = http_date(await anyio.to_thread.run_sync(tracker.last_modified))
            except Exception as e:  # noqa: BLE001 - a store that does not answer: no date, the route says why
                log.warning("store state unavailable for Last-Modified: %s", e)
        start: Message | None = None
        chunks: list[bytes] = []
        mode = "buffer"  # "pass": sent as it comes (not a 200, or the route's own ETag); "drop": 304 sent

        async def send_wrapper(message: Message) -> None:
            nonlocal start, mode
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if message["status"] != 200:
                    mode = "pass"
                    await send(message)
                    return
                self._decorate(headers, last_modified)
                start = message
                if "etag" in headers:  # a route's own tag: decide now, never buffer a large file
                    if not_modified(request, headers["etag"], headers.get("last-modified")):
                        mode = "drop"
                        await self._send_304(send, headers)
                    else:
                        mode = "pass"
                        await send(message)
                return
            if mode == "pass":
                await send(message)
                return
            if mode == "drop":
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            assert start is not None
            headers = MutableHeaders(scope=start)
            headers["etag"] = body_etag(body)
            if not_modified(request, headers["etag"], headers.get("last-modified")):
                await self._send_304(send, headers)
                return
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await self.app(scope, receive, send_wrapper)

    @staticmethod
    def _decorate(headers: MutableHeaders, last_modified: str | None) -> None:
        if last_modified and "last-modified" not in headers:
            headers["last-modified"] = last_modified
        if "cache-control" not in headers:
            headers["cache-control"] = "no-cache"

    @staticmethod
    async def _send_304(send: Send, headers: MutableHeaders) -> None:
        kept = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items() if k in KEPT_ON_304]
        await send({"type": "http.response.start", "status": 304, "headers": kept})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


class HeadAsGet:
    """HEAD on any GET route: the route runs as a GET, its headers are sent, its body is not."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        ended = False

        async def send_headers_only(message: Message) -> None:
            nonlocal ended
            if message["type"] != "http.response.body":
                await send(message)
            elif not message.get("more_body") and not ended:
                ended = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


def accepts_gzip(header: str | None) -> bool:
    """Whether Accept-Encoding names gzip with a q-value above 0."""
    for part in (header or "").split(","):
        name, *params = [p.strip() for p in part.split(";")]
        if name.lower() in ("gzip", "x-gzip"):
            q = next((p.partition("=")[2] for p in params if p.lower().startswith("q=")), "1")
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


class GZip(GZipMiddleware):
    """Starlette's gzip, except that `gzip;q=0` (or no gzip at all) means no compression: Starlette
    only looks for the word. The answer still says `Vary: Accept-Encoding`."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or accepts_gzip(Headers(scope=scope).get("accept-encoding")):
            await super().__call__(scope, receive, send)
            return

        async def send_with_vary(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "accept-encoding" not in headers.get("vary", "").lower():
                    headers.add_vary_header("Accept-Encoding")
            await send(message)

        await self.app(scope, receive, send_with_vary)
