"""Which documents a search may return: passed down to the store, never expanded into id lists."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Filters:
    doc_ids: tuple[str, ...] | None = None  # None: every document
    published_from: str | None = None  # ISO date, inclusive
    published_to: str | None = None

    @property
    def active(self) -> bool:
        return self.doc_ids is not None or bool(self.published_from) or bool(self.published_to)

    @property
    def excludes_all(self) -> bool:
        return self.doc_ids is not None and not self.doc_ids
