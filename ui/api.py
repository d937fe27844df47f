"""The JSON API under /api: routes, the limits they enforce, and one error body shape for every failure."""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, FastAPI, File, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from index.errors import FuentesError

from .schemas import (MAX_JSON_BYTES, MAX_K, MAX_QUESTION_CHARS, AnswerOut, AskRequest,
                      DocumentOut, DocumentsOut, ErrorOut, HealthOut, PeopleOut, QuotesOut, RemovedOut,
                      SearchOut, UploadOut)
from .service import NotFoundError, Service
from .uploads import MAX_FILE_BYTES, MAX_FILES, MAX_UPLOAD_BYTES, Upload, UploadError

MAX_UPLOAD_BODY_BYTES = MAX_UPLOAD_BYTES + MAX_FILES * 1024 + 64 * 1024  # all files plus multipart framing
ERRORS = {code: {"model": ErrorOut} for code in (400, 403, 404, 413, 415, 422, 429, 503)}


class SafeJSONResponse(JSONResponse):
    """JSON whose strings may echo a client's lone surrogate: escaped, never a 500 while reporting an error."""

    def render(self, content) -> bytes:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"),
                          default=str).encode("utf-8", "backslashreplace")


def error(status: int, message: str, details: list | None = None) -> JSONResponse:
    return SafeJSONResponse({"error": message, "status": status, "details": details or []}, status_code=status)


def build_router(service: Service) -> APIRouter:
    router = APIRouter(prefix="/api", responses=ERRORS)

    @router.post("/ask", response_model=AnswerOut, summary="Answer a question with cited passages")
    def ask(body: AskRequest) -> dict:
        """The same JSON as `fuentes ask --json`: the answer text with [n] markers and its citations,
        each an exact span (`start`, `end`) of a document's text."""
        return service.ask(body.question, k=body.k, doc_ids=body.doc_ids).to_dict()

    @router.get("/search", response_model=SearchOut, summary="Ranked passages for a query")
    def search(q: str = Query(min_length=1, max_length=MAX_QUESTION_CHARS, description="The query."),
               k: int = Query(10, ge=1, le=MAX_K),
               mode: Literal["hybrid", "dense", "lexical"] = "hybrid",
               doc_id: list[str] | None = Query(None, description="Only these documents (repeatable).")) -> dict:
        if not q.strip():
            raise FuentesError("the query q is blank: search for something, e.g. q=tropas europeas")
        hits = service.search(q, k=k, mode=mode, doc_ids=doc_id)
        return {"query": q, "k": k, "mode": mode, "hits": [
            {"rank": h.rank, "score": h.score, "doc_id": h.chunk.doc_id, "chunk_id": h.chunk.id,
             "start": h.chunk.start, "end": h.chunk.end, "text": h.chunk.text,
             "scores": dict(h.scores_by_retriever)} for h in hits]}

    @router.get("/documents", response_model=DocumentsOut, summary="The documents in the index")
    def documents() -> dict:
        return {"documents": [asdict(d) for d in service.documents()]}

    @router.get("/documents/{doc_id}", response_model=DocumentOut, summary="One document with its full text")
    def document(doc_id: str) -> dict:
        doc = service.document(doc_id)
        return {"id": doc.id, "title": doc.title, "url": doc.url, "published": doc.published, "text": doc.text}

    @router.post("/documents", response_model=UploadOut, status_code=201, summary="Upload and ingest articles")
    async def upload(files: list[UploadFile] = File(
            description=f"Article files (.txt .md .html .jsonl), at most {MAX_FILES} of "
                        f"{MAX_FILE_BYTES // (1024 * 1024)} MiB each and {MAX_UPLOAD_BYTES // (1024 * 1024)} MiB "
                        f"together; a file's name becomes its document id.")
    ) -> JSONResponse:
        """Saves each file under the index's upload folder and ingests it; the documents are askable
        as soon as this returns. Names must be plain file names (no folders), each used once. An upload
        that takes longer than the server's upload time limit (30 s unless started with
        --upload-seconds) is refused with 413 and nothing is added; questions are answered meanwhile."""
        uploads = [Upload(f.filename or "", await f.read(MAX_FILE_BYTES + 1)) for f in files]
        result = await run_in_threadpool(service.upload, uploads)
        report = result.report
        skipped = [{"file": result.names.get(s.path, Path(s.path).name), "reason": s.reason} for s in report.skipped]
        body = {"added": list(report.added), "replaced": list(report.replaced), "unchanged": list(report.unchanged),
                "skipped": skipped, "n_chunks": report.n_chunks, "n_quotes": report.n_quotes,
                "seconds": round(report.seconds, 3)}
        if skipped and not (report.added or report.replaced or report.unchanged):
            reasons = "; ".join(f"{s['file']}: {s['reason']}" for s in skipped)
            return error(422, f"no article could be read from the upload: {reasons}", skipped)
        return JSONResponse(body, status_code=201)

    @router.delete("/documents/{doc_id}", response_model=RemovedOut, summary="Remove a document")
    def remove(doc_id: str) -> dict:
        service.remove(doc_id)
        return {"removed": doc_id}

    @router.get("/quotes", response_model=QuotesOut, summary="Statements found in the articles")
    def quotes(speaker: str | None = Query(None, min_length=1, max_length=200,
                                           description="Any name or alias of the speaker, accents optional."),
               doc_id: str | None = Query(None, description="Only this document.")) -> dict:
        return {"quotes": [asdict(q) for q in service.quotes(speaker=speaker, doc_id=doc_id)]}

    @router.get("/people", response_model=PeopleOut, summary="People quoted in the articles")
    def people() -> dict:
        return {"people": [asdict(p) for p in service.people()]}

    @router.get("/health", response_model=HealthOut, summary="Liveness and what the index holds")
    def health() -> dict:
        info = service.info()
        return {"status": "ok", "documents": info["documents"], "chunks": info["chunks"],
                "quotes": info["quotes"], "model": info["model"]}

    @router.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    def unknown(path: str, request: Request) -> JSONResponse:
        # Without this the Gradio app mounted at / would answer unknown /api paths with its own page.
        return error(404, f"no API endpoint {request.method} /api/{path}; see /docs for the endpoints")

    return router


def install(app: FastAPI, service: Service) -> None:
    """Add the routes, the error handlers and the body size limit to `app`."""
    app.include_router(build_router(service))
    app.add_middleware(BodyLimit)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        content_type = request.headers.get("content-type", "")
        if request.url.path == "/api/ask" and content_type and "json" not in content_type:
            return error(415, f"POST /api/ask takes JSON: send Content-Type: application/json, not {content_type!r}")
        return _validation_error(exc)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> JSONResponse:
        return error(404, str(exc))

    @app.exception_handler(UploadError)
    async def bad_upload(request: Request, exc: UploadError) -> JSONResponse:
        return error(exc.status, str(exc))

    @app.exception_handler(FuentesError)
    async def bad_value(request: Request, exc: FuentesError) -> JSONResponse:
        return error(422, str(exc))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        # Still JSON for API clients; the traceback goes to the server log.
        return error(500, f"internal error ({type(exc).__name__}); the server log has the details")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error(exc.status_code, str(exc.detail), [])


def _validation_error(exc: RequestValidationError) -> JSONResponse:
    problems = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in problems):
        problem = problems[0]
        where = f"{problem.get('ctx', {}).get('error', 'JSON decode error')} at character {problem['loc'][-1]}"
        return error(400, f"the request body is not valid JSON ({where}); send a JSON object such as "
                          f'{{"question": "What did Peskov say?", "k": 5}}',
                     [{"field": "body", "message": where, "type": "json_invalid"}])
    details = [{"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body",
                "message": _message(e), "type": e.get("type")} for e in problems]
    if any(e.get("type") == "missing" and tuple(e.get("loc", ())) == ("body",) for e in problems):
        return error(422, "the request body is missing: send a JSON object such as "
                          '{"question": "What did Peskov say?"} with Content-Type: application/json', details)
    message = "; ".join(f"{d['field']}: {d['message']}" for d in details)
    return error(422, f"invalid request: {message}", details)


def _message(problem: dict) -> str:
    text = str(problem.get("msg", "invalid value")).removeprefix("Value error, ")
    if problem.get("type") == "extra_forbidden":
        return "unknown field; the accepted fields are question, k and doc_ids"
    if "input" in problem and problem.get("type") not in ("missing",):
        shown = json.dumps(problem["input"], ensure_ascii=False, default=str)
        if len(shown) <= 80:
            text += f" (got {shown})"
    return text


class BodyTooLarge(StarletteHTTPException):
    """Raised while a chunked body is read; an HTTPException so FastAPI passes it on untouched
    to the JSON error handler."""

    def __init__(self, message: str):
        super().__init__(413, message)


class BodyLimit:
    """Refuses /api request bodies over the limit (413) before reading them into memory,
    by Content-Length when given and by counting the bytes of chunked bodies."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            return await self.app(scope, receive, send)
        upload = scope["path"].rstrip("/") == "/api/documents" and scope["method"] == "POST"
        limit = MAX_UPLOAD_BODY_BYTES if upload else MAX_JSON_BYTES
        what = "an upload" if upload else "a request body"
        refusal = f"{what} may be at most {limit:,} bytes; this one is larger"
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            return await error(413, refusal)(scope, receive, send)

        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(refusal)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge:
            if started:
                raise
            await error(413, refusal)(scope, receive, send)
