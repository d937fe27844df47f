"""The one `Assistant` a server process shares: lock-free reads, and uploads that are bounded in time and one at a time."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from assistant import Answer, Assistant, Hit
from assistant.limits import DEFAULT_K
from index.errors import FuentesError
from index.types import Document, IngestReport, Person, Quote

from .deadline import DeadlineEmbedder, IngestDeadline
from .uploads import Upload, UploadError, remove_upload, save_uploads

MAX_UPLOAD_SECONDS = 30.0  # an upload is ingested within this or refused with nothing written


class NotFoundError(FuentesError):
    """A document id that is not in the index."""


@dataclass(frozen=True)
class UploadResult:
    report: IngestReport
    names: dict[str, str]  # saved path -> the file name the user gave


class Service:
    """Everything the HTTP API and the chat do, over one shared `Assistant`.

    Reads take no lock: the index below is thread-safe, and an ingest prepares everything
    (reading, quotes, embedding) before one SQLite transaction makes it visible, so a question
    asked during an upload is answered at once from the index before or after it. A document
    removed while a question is answered is left out of its citations. Writes (uploads,
    removals) are serialised by `write_lock`, so two uploads never interleave their files.
    """

    def __init__(self, assistant: Assistant, upload_dir: Path, upload_seconds: float = MAX_UPLOAD_SECONDS):
        self.assistant = assistant
        self.upload_dir = upload_dir
        self.upload_seconds = upload_seconds
        self.write_lock = threading.Lock()

    @classmethod
    def open(cls, index_path: Path | str, upload_seconds: float = MAX_UPLOAD_SECONDS) -> "Service":
        assistant = Assistant.open(index_path)
        return cls(assistant, upload_folder(assistant.index), upload_seconds)

    def warm_up(self) -> None:
        """Load the model, the vectors and the people cache now, so the first question does not wait."""
        self.assistant.embedder.embed_query("warm up")
        if self.documents():
            self.people()
            self.ask("What was said about the war?")

    # ---- reading -------------------------------------------------------------------------
    def ask(self, question: str, k: int = DEFAULT_K, doc_ids: Sequence[str] | None = None,
            history: Sequence = ()) -> Answer:
        return self._ask(question, k, doc_ids, history)

    def ask_with_sources(self, question: str, k: int = DEFAULT_K, doc_ids: Sequence[str] | None = None,
                         history: Sequence = ()) -> tuple[Answer, dict[str, Document]]:
        """The answer and the documents it cites (one removed meanwhile is left out)."""
        answer = self._ask(question, k, doc_ids, history)
        cited = {c.doc_id for c in answer.citations}
        return answer, {d: doc for d in cited if (doc := self.assistant.document(d)) is not None}

    def search(self, query: str, k: int = 10, mode: str = "hybrid",
               doc_ids: Sequence[str] | None = None) -> list[Hit]:
        check_text(query, "the query")
        self._check_ids(doc_ids or ())
        return self.assistant.search(query, k=k, mode=mode, doc_ids=list(doc_ids) if doc_ids else None)

    def documents(self):
        return self.assistant.documents()

    def document(self, doc_id: str) -> Document:
        check_text(doc_id, "the document id")
        doc = self.assistant.document(doc_id)
        if doc is None:
            raise NotFoundError(f"no document with id {doc_id!r}; GET /api/documents lists the ids")
        return doc

    def quotes(self, speaker: str | None = None, doc_id: str | None = None) -> list[Quote]:
        if speaker is not None:
            check_text(speaker, "the speaker")
        if doc_id is not None:
            self._check_ids([doc_id])
        return self.assistant.quotes(speaker=speaker, doc_id=doc_id)

    def people(self) -> list[Person]:
        return self.assistant.people()

    def info(self) -> dict[str, object]:
        return self.assistant.info()

    def _ask(self, question: str, k: int, doc_ids: Sequence[str] | None, history: Sequence = ()) -> Answer:
        check_text(question, "the question")
        self._check_ids(doc_ids or ())
        return self.assistant.ask(question, k=k, doc_ids=list(doc_ids) if doc_ids else None, history=list(history))

    def _check_ids(self, doc_ids: Sequence[str]) -> None:
        for doc_id in doc_ids:
            check_text(doc_id, "a document id")
        missing = [d for d in doc_ids if self.assistant.document(d) is None]
        if missing:
            raise NotFoundError(f"no document with id {', '.join(map(repr, missing))}; "
                                f"GET /api/documents lists the ids")

    # ---- writing -------------------------------------------------------------------------
    def upload(self, uploads: Sequence[Upload]) -> UploadResult:
        """Save files under the upload folder (names already checked) and ingest them within
        `upload_seconds`, waiting for another upload included; a file from which no article could
        be read is deleted again, and so is every file of a refused upload."""
        deadline = IngestDeadline(self.upload_seconds)
        if not self.write_lock.acquire(timeout=self.upload_seconds):
            raise UploadError(f"another upload was being ingested for all of {self.upload_seconds:g} s: "
                              f"retry in a moment", status=503)
        try:
            saved = save_uploads(self.upload_dir, uploads)
            try:
                report = self._ingest(deadline, [path for path, _ in saved])
            except UploadError:
                for path, _ in saved:
                    path.unlink(missing_ok=True)
                raise
            for path, _ in saved:
                if _fully_rejected(path, report):
                    path.unlink(missing_ok=True)
        finally:
            self.write_lock.release()
        return UploadResult(report, {str(path): name for path, name in saved})

    def _ingest(self, deadline: IngestDeadline, paths: Sequence[Path]) -> IngestReport:
        """`Assistant.ingest`, stopped with nothing written once the deadline has passed."""
        # Ingest-only imports (langchain text splitters, trafilatura) stay off serve's start-up.
        from index.chunking import Chunker
        from index.ingest import ingest

        embedder = DeadlineEmbedder(self.assistant.embedder, deadline)
        chunker = Chunker(embedder.count_tokens, embedder.max_tokens)
        return ingest(self.assistant.index, paths, embedder, chunker, extract_quotes=deadline.quote_extractor())

    def remove(self, doc_id: str) -> None:
        check_text(doc_id, "the document id")
        with self.write_lock:
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


def check_text(value: str, what: str) -> None:
    """Lone surrogates (possible in JSON escapes) are not text: refuse them before SQLite or the model sees them."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise FuentesError(f"{what} contains a lone surrogate ({value[error.start]!a}) at character {error.start}, "
                           f"which is not Unicode text: send valid UTF-8 / complete \\uXXXX pairs") from error


def _fully_rejected(path: Path, report: IngestReport) -> bool:
    """Every article of the file was skipped: the whole file, or (.jsonl) every non-blank line."""
    skipped = {s.path for s in report.skipped}
    if str(path) in skipped:
        return True
    if path.suffix.lower() != ".jsonl":
        return False
    lines = [n for n, line in enumerate(path.read_bytes().split(b"\n"), start=1) if line.strip()]
    return all(f"{path}:{n}" in skipped for n in lines)
