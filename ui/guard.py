"""Which requests reach the app at all: known Host names only, same-origin writes only, and throttled logins."""
from __future__ import annotations

import ipaddress
import json
import time
from collections import OrderedDict, deque
from typing import Iterable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARD_HOSTS = ("0.0.0.0", "::", "")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Failed logins: this many per client in the window, then 429 until the window has passed.
MAX_FAILED_LOGINS = 10
FAILED_LOGIN_WINDOW_S = 60.0
MAX_TRACKED_CLIENTS = 10_000  # the throttle's memory is bounded: the oldest clients are forgotten first


def allowed_host_names(bound_host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """Local names, the address the server listens on (unless it is a wildcard) and `extra`."""
    names = {*LOCAL_NAMES, *(name.strip().lower().strip("[]") for name in extra if name.strip())}
    if bound_host not in WILDCARD_HOSTS:
        names.add(bound_host.lower().strip("[]"))
    return frozenset(names)


def host_name(value: str) -> str:
    """The name part of a Host header or URL netloc: 'Example.org:80' -> 'example.org', '[::1]:7860' -> '::1'."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else ""
    name, sep, port = value.rpartition(":")
    return name if sep and port.isdigit() else value


def _is_loopback(name: str) -> bool:
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


async def _refuse(scope: Scope, send: Send, status: int, message: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"error": message, "status": status, "details": []}).encode()
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    raw_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw_headers += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


class HostGuard:
    """Refuses a Host header that is not a known name (DNS rebinding: a web page whose domain now
    resolves to 127.0.0.1 sends its own name as Host), and a write whose Origin or Referer is
    another site (a page posting a form to this server). Requests without either header, such
    as curl's, are not cross-site and pass.

    Starlette's TrustedHostMiddleware does the first half, but answers with plain text that does
    not say how to allow a name; the API promises JSON errors that say what to do."""

    def __init__(self, app: ASGIApp, allowed: frozenset[str]):
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        name = host_name(host)
        if name not in self.allowed and not _is_loopback(name):
            return await _refuse(scope, send, 400, (
                f"host name {name or '(none)'!r} is not served here; start the server with "
                f"--allowed-host {name or 'NAME'} (or FUENTES_ALLOWED_HOSTS) to serve it under that name"))
        if scope.get("method", "GET") in UNSAFE_METHODS or scope["type"] == "websocket":
            origin = headers.get("origin") or headers.get("referer")
            if origin is not None and _netloc(origin) != host.strip().lower():
                return await _refuse(scope, send, 403, (
                    f"cross-site request refused: a write must come from a page of this server "
                    f"({host}), not from {origin[:200]!r}"))
        await self.app(scope, receive, send)


def _netloc(url: str) -> str:
    try:
        return urlsplit(url.strip()).netloc.lower()
    except ValueError:
        return "(unparsable)"


class LoginThrottle:
    """After MAX_FAILED_LOGINS failed sign-ins (chat login form or API Basic auth) from one client
    within FAILED_LOGIN_WINDOW_S seconds, that client gets 429 on sign-in paths until the window passes."""

    def __init__(self, app: ASGIApp, max_failures: int = MAX_FAILED_LOGINS, window_s: float = FAILED_LOGIN_WINDOW_S):
        self.app = app
        self.max_failures = max_failures
        self.window_s = window_s
        self.failures: OrderedDict[str, deque[float]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_sign_in(scope):
            return await self.app(scope, receive, send)
        client = (scope.get("client") or ("unknown", 0))[0]
        now = time.monotonic()
        recent = self._recent(client, now)
        if len(recent) >= self.max_failures:
            retry = max(1, int(recent[0] + self.window_s - now) + 1)
            return await _refuse(scope, send, 429, (
                f"too many failed sign-ins ({len(recent)} in {self.window_s:.0f} s): wait {retry} s and try "
                f"again with the --auth credentials"), {"retry-after": str(retry)})

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start" and _failed(scope, message["status"]):
                self._record(client, time.monotonic())
            await send(message)

        await self.app(scope, receive, watch)

    def _recent(self, client: str, now: float) -> deque[float]:
        times = self.failures.get(client, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if not times:
            self.failures.pop(client, None)
        return times

    def _record(self, client: str, now: float) -> None:
        times = self.failures.setdefault(client, deque(maxlen=self.max_failures))
        times.append(now)
        self.failures.move_to_end(client)
        while len(self.failures) > MAX_TRACKED_CLIENTS:
            self.failures.popitem(last=False)


def _is_sign_in(scope: Scope) -> bool:
    """The chat's login form, or an API call that carries Basic credentials."""
    path = scope["path"]
    if scope["method"] == "POST" and path.rstrip("/").endswith("/login"):
        return True
    return path.startswith(("/api/", "/docs", "/openapi.json")) and any(
        k.lower() == b"authorization" for k, _ in scope["headers"])


def _failed(scope: Scope, status: int) -> bool:
    return status in (400, 401) if scope["path"].rstrip("/").endswith("/login") else status == 401
