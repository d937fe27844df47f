"""One process, one port: the JSON API under /api (OpenAPI at /docs) and the Gradio chat mounted at /."""
from __future__ import annotations

import base64
import binascii
import ipaddress
import os
import secrets
from importlib.metadata import version
from pathlib import Path
from typing import Callable

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from . import api
from .guard import HostGuard, LoginThrottle, allowed_host_names
from .service import Service
from .uploads import MAX_FILE_BYTES

HERE = Path(__file__).resolve().parent
PROTECTED_PREFIXES = ("/api/", "/docs", "/openapi.json")

DESCRIPTION = """Answers questions about news articles with cited passages: every citation is an exact
character span (`start`, `end`) of a document's text.

Errors are JSON: `{"error": "what was wrong and what to do", "status": 422, "details": [...]}`.
Limits: questions 1–1000 characters, `k` 1–50, request bodies 64 KiB; uploads .txt .md .html .jsonl,
at most 20 files of 1 MiB each and 5 MiB together, ingested within 30 s or refused (413) with nothing
added; an article at most 200,000 characters with lines of at most 100,000."""


def is_local(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """'user:password' -> (user, password); the password may contain ':'."""
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ValueError("--auth must look like user:password (both parts non-empty)")
    return user, password


class BasicAuth:
    """HTTP Basic auth for the API and its docs; the Gradio app has its own login page."""

    def __init__(self, app: ASGIApp, credentials: tuple[str, str]):
        self.app = app
        self.user, self.password = credentials

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PROTECTED_PREFIXES) \
                or scope["path"] == "/api/health" or self._allowed(scope):
            return await self.app(scope, receive, send)
        response = api.error(401, "authentication required: send HTTP Basic credentials (the --auth user:password "
                                  "the server was started with)")
        response.headers["WWW-Authenticate"] = 'Basic realm="fuentes"'
        await response(scope, receive, send)

    def _allowed(self, scope: Scope) -> bool:
        header = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, password = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return secrets.compare_digest(user.encode(), self.user.encode()) & \
            secrets.compare_digest(password.encode(), self.password.encode())


def install_docs(app: FastAPI) -> None:
    """Swagger UI at /docs from files shipped in a wheel (fastapi-offline's Swagger UI 5, which renders
    the OpenAPI 3.1 schema FastAPI writes): FastAPI's default loads them from a CDN, which leaves the
    page blank on a machine without internet."""
    import fastapi_offline
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.staticfiles import StaticFiles

    assets = Path(fastapi_offline.__file__).resolve().parent / "static"
    app.mount("/docs/assets", StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs():
        return get_swagger_ui_html(openapi_url="/openapi.json", title="fuentes API",
                                   swagger_js_url="/docs/assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs/assets/swagger-ui.css",
                                   swagger_favicon_url="/docs/assets/favicon.png")


def create_app(service: Service, auth: tuple[str, str] | None = None,
               allowed_hosts: frozenset[str] = allowed_host_names("127.0.0.1")) -> FastAPI:
    import gradio as gr

    from .chat import build

    app = FastAPI(title="fuentes", version=version("fuentes"), description=DESCRIPTION,
                  docs_url=None, redoc_url=None)
    install_docs(app)
    api.install(app, service)
    if auth:
        app.add_middleware(BasicAuth, credentials=auth)
        app.add_middleware(LoginThrottle)
    app.add_middleware(HostGuard, allowed=allowed_hosts)  # outermost: checked before anything else
    script = (HERE / "fuentes.js").read_text(encoding="utf-8")
    return gr.mount_gradio_app(
        app, build(service), path="/", auth=auth, auth_message="fuentes: sign in with the --auth credentials",
        css=(HERE / "fuentes.css").read_text(encoding="utf-8"), head=f"<script>{script}</script>",
        footer_links=[], max_file_size=MAX_FILE_BYTES, ssr_mode=False, mcp_server=False,
        show_error=True,
    )


def run(service: Service, host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None,
        log_level: str = "info", allowed_hosts: frozenset[str] | None = None,
        on_listening: Callable[[], None] | None = None) -> None:
    """Serve until stopped; `on_listening` runs once the socket really accepts connections."""
    import uvicorn

    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    service.warm_up()
    app = create_app(service, auth, allowed_hosts or allowed_host_names(host))

    class Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets)
            if self.started and on_listening is not None:
                on_listening()

    Server(uvicorn.Config(app, host=host, port=port, log_level=log_level)).run()
