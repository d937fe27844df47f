"""Core records of the index layer: documents, chunks, quotes, people and ingest reports."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    text: str
    url: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    source_path: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """Hash of everything stored for the document; an unchanged hash means ingest can skip it."""
        h = hashlib.sha256()
        for part in (self.title, self.text, self.url or "", self.published or ""):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
        return h.hexdigest()


@dataclass(frozen=True)
class Chunk:
    id: int
    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Quote:
    """A statement in an article: `text` is `doc.text[start:end]`, `speaker` the canonical name."""

    id: str
    doc_id: str
    speaker: str
    start: int
    end: int
    text: str
    direct: bool
    cue: str = ""
    speaker_kind: str = "person"  # person | organization | place | source | unknown


@dataclass(frozen=True)
class Person:
    """Someone (or something) quoted or named in the articles, with every name used for them."""

    name: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    kind: str = "person"  # person | organization | place | source
    n_quotes: int = 0


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str


@dataclass(frozen=True)
class IngestReport:
    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    skipped: tuple[SkippedFile, ...] = ()
    n_chunks: int = 0
    n_quotes: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.skipped
