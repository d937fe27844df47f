"""The one `Assistant` a server process shares, with the locking that keeps answers consistent during writes."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from assistant import Answer, Assistant, Hit
from index.errors import FuentesError
from index.types import Document, IngestReport, Person, Quote

from .uploads import Upload, remove_upload, save_uploads


class NotFoundError(FuentesError):
    """A document id that is not in the index."""


class ReadWriteLock:
    """Many readers or one writer; a waiting writer stops new readers so it is never starved."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writer or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            while self._writer or self._readers:
                self._cond.wait()
            self._writers_waiting -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


@dataclass(frozen=True)
class UploadResult:
    report: IngestReport
    names: dict[str, str]  # saved path -> the file name the user gave


class Service:
    """Everything the HTTP API and the chat do, over one shared `Assistant`.

    Reads (ask, search, listings) hold the read lock for their whole run, so each sees one
    index generation from start to end. An upload prepares its documents (parsing, embedding:
    the slow part) without the lock and takes the write lock only for the commit, so questions
    keep being answered while an article is ingesting.
    """

    def __init__(self, assistant: Assistant, upload_dir: Path):
        self.assistant = assistant
        self.upload_dir = upload_dir
        self.lock = ReadWriteLock()
        self._ingest_mutex = threading.Lock()  # one upload at a time: saving + ingest
        index = assistant.index
        commit = index.write

        def locked_commit(*args, **kwargs):
            with self.lock.write():
                return commit(*args, **kwargs)

        # Assistant.ingest/remove end in index.write(); wrapping it here keeps the lock on the
        # commit alone instead of the whole ingest.
        index.write = locked_commit

    @classmethod
    def open(cls, index_path: Path) -> "Service":
        assistant = Assistant.open(index_path)
        return cls(assistant, Path(assistant.index.path) / "uploads")

    def warm_up(self) -> None:
        """Load the model, the vectors and the people cache now, so the first question does not wait."""
        self.assistant.embedder.embed_query("warm up")
        if self.documents():
            self.people()
            self.ask("What was said about the war?")

    # ---- reading -------------------------------------------------------------------------
    def ask(self, question: str, k: int = 5, doc_ids: Sequence[str] | None = None) -> Answer:
        with self.lock.read():
            return self._ask(question, k, doc_ids)

    def ask_with_sources(self, question: str, k: int = 5, doc_ids: Sequence[str] | None = None
                         ) -> tuple[Answer, dict[str, Document]]:
        """The answer and the documents it cites, read from the same index generation."""
        with self.lock.read():
            answer = self._ask(question, k, doc_ids)
            cited = {c.doc_id for c in answer.citations}
            return answer, {d: doc for d in cited if (doc := self.assistant.document(d)) is not None}

    def search(self, query: str, k: int = 10, mode: str = "hybrid",
               doc_ids: Sequence[str] | None = None) -> list[Hit]:
        with self.lock.read():
            self._check_ids(doc_ids or ())
            return self.assistant.search(query, k=k, mode=mode, doc_ids=list(doc_ids) if doc_ids else None)

    def documents(self):
        with self.lock.read():
            return self.assistant.documents()

    def document(self, doc_id: str) -> Document:
        with self.lock.read():
            doc = self.assistant.document(doc_id)
        if doc is None:
            raise NotFoundError(f"no document with id {doc_id!r}; GET /api/documents lists the ids")
        return doc

    def quotes(self, speaker: str | None = None, doc_id: str | None = None) -> list[Quote]:
        with self.lock.read():
            if doc_id is not None:
                self._check_ids([doc_id])
            return self.assistant.quotes(speaker=speaker, doc_id=doc_id)

    def people(self) -> list[Person]:
        with self.lock.read():
            return self.assistant.people()

    def info(self) -> dict[str, object]:
        with self.lock.read():
            return self.assistant.info()

    def _ask(self, question: str, k: int, doc_ids: Sequence[str] | None) -> Answer:
        # Callers hold the read lock; it is not re-entrant (a waiting writer would deadlock us).
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
        with self._ingest_mutex:
            saved = save_uploads(self.upload_dir, uploads)
            report = self.assistant.ingest([path for path, _ in saved])
            unreadable = {s.path for s in report.skipped}
            for path, _ in saved:
                if str(path) in unreadable:
                    path.unlink(missing_ok=True)
        return UploadResult(report, {str(path): name for path, name in saved})

    def remove(self, doc_id: str) -> None:
        with self._ingest_mutex:
            if not self.assistant.remove([doc_id]):
                raise NotFoundError(f"no document with id {doc_id!r}; GET /api/documents lists the ids")
            remove_upload(self.upload_dir, doc_id)
