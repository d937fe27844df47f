"""The one `Assistant` a server process shares, with the locking that keeps answers consistent during writes."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from assistant import Answer, Assistant, Hit
from index.errors import FuentesError
from index.types import Document, IngestReport, Person, Quote

from .uploads import Upload, remove_upload, save_uploads


class NotFoundError(FuentesError):
    """A document id that is not in the index."""


@dataclass(frozen=True)
class UploadResult:
    report: IngestReport
    names: dict[str, str]  # saved path -> the file name the user gave


class Service:
    """Everything the HTTP API and the chat do, over one shared `Assistant`.

    One lock around every call into the Assistant: a question sees one index generation from
    start to end (its answer and the documents it cites come from the same state), and an
    upload ingests whole between two questions, so answers during an upload are those of the
    index before it or after it, never a mix. The layers below are thread-safe on their own;
    the lock is for that consistency. On this 2-core machine, answering in parallel gave no
    more requests per second than this, so it costs nothing measurable today.
    """

    def __init__(self, assistant: Assistant, upload_dir: Path):
        self.assistant = assistant
        self.upload_dir = upload_dir
        self.lock = threading.Lock()

    @classmethod
    def open(cls, index_path: Path | str) -> "Service":
        assistant = Assistant.open(index_path)
        return cls(assistant, upload_folder(assistant.index))

    def warm_up(self) -> None:
        """Load the model, the vectors and the people cache now, so the first question does not wait."""
        self.assistant.embedder.embed_query("warm up")
        if self.documents():
            self.people()
            self.ask("What was said about the war?")

    # ---- reading -------------------------------------------------------------------------
    def ask(self, question: str, k: int = 5, doc_ids: Sequence[str] | None = None) -> Answer:
        with self.lock:
            return self._ask(question, k, doc_ids)

    def ask_with_sources(self, question: str, k: int = 5, doc_ids: Sequence[str] | None = None
                         ) -> tuple[Answer, dict[str, Document]]:
        """The answer and the documents it cites, read from the same index generation."""
        with self.lock:
            answer = self._ask(question, k, doc_ids)
            cited = {c.doc_id for c in answer.citations}
            return answer, {d: doc for d in cited if (doc := self.assistant.document(d)) is not None}

    def search(self, query: str, k: int = 10, mode: str = "hybrid",
               doc_ids: Sequence[str] | None = None) -> list[Hit]:
        with self.lock:
            self._check_ids(doc_ids or ())
            return self.assistant.search(query, k=k, mode=mode, doc_ids=list(doc_ids) if doc_ids else None)

    def documents(self):
        with self.lock:
            return self.assistant.documents()

    def document(self, doc_id: str) -> Document:
        with self.lock:
            doc = self.assistant.document(doc_id)
        if doc is None:
            raise NotFoundError(f"no document with id {doc_id!r}; GET /api/documents lists the ids")
        return doc

    def quotes(self, speaker: str | None = None, doc_id: str | None = None) -> list[Quote]:
        with self.lock:
            if doc_id is not None:
                self._check_ids([doc_id])
            return self.assistant.quotes(speaker=speaker, doc_id=doc_id)

    def people(self) -> list[Person]:
        with self.lock:
            return self.assistant.people()

    def info(self) -> dict[str, object]:
        # Counts only (SQLite, one connection per thread): /api/health answers even mid-upload.
        return self.assistant.info()

    def _ask(self, question: str, k: int, doc_ids: Sequence[str] | None) -> Answer:
        # Callers hold the lock (it is not re-entrant).
        self._check_ids(doc_ids or ())
        return self.assistant.ask(question, k=k, doc_ids=list(doc_ids) if doc_ids else None)

    def _check_ids(self, doc_ids: Sequence[str]) -> None:
        missing = [d for d in doc_ids if self.assistant.document(d) is None]
        if missing:
            raise NotFoundError(f"no document with id {', '.join(map(repr, missing))}; "
                                f"GET /api/documents lists the ids")

    # ---- writing -------------------------------------------------------------------------
    def upload(self, uploads: Sequence[Upload]) -> UploadResult:
        """Save files under the upload folder (names already checked) and ingest them."""
        with self.lock:
            saved = save_uploads(self.upload_dir, uploads)
            report = self.assistant.ingest([path for path, _ in saved])
            unreadable = {s.path for s in report.skipped}
            for path, _ in saved:
                if str(path) in unreadable:
                    path.unlink(missing_ok=True)
        return UploadResult(report, {str(path): name for path, name in saved})

    def remove(self, doc_id: str) -> None:
        with self.lock:
            if not self.assistant.remove([doc_id]):
                raise NotFoundError(f"no document with id {doc_id!r}; GET /api/documents lists the ids")
            remove_upload(self.upload_dir, doc_id)


def upload_folder(index) -> Path:
    """Uploaded files live beside a folder index; a database index gets a folder of its own
    in the user's data directory, named after its (password-free) URL."""
    if isinstance(index.path, Path):
        return index.path / "uploads"
    import hashlib

    from platformdirs import user_data_dir

    return Path(user_data_dir("fuentes")) / "uploads" / hashlib.sha256(index.path.encode()).hexdigest()[:16]
