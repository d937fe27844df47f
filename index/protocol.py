"""The store protocol: every member the rest of fuentes uses from an index, whatever engine holds it.

`index.store.Index` (SQLite + vector and lexical segments in one folder) is the default
implementation; another engine (PostgreSQL + pgvector) implements the same members. Ids:
chunks have integer ids that are never reused, documents and quotes have string ids.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Literal, Protocol, Sequence, runtime_checkable

import numpy as np

from .filters import Filters
from .types import Chunk, Document, Person, Quote

if TYPE_CHECKING:
    from .store import DocumentBatch, DocumentInfo

LexicalField = Literal["stems", "cognates"]


@runtime_checkable
class Store(Protocol):
    """What `assistant/` and `index/ingest.py` need from an index."""

    model_name: str
    """The sentence-transformers model every vector of this index was made with."""
    dimension: int
    """Length of every vector."""

    @classmethod
    def create(cls, location: str, model_name: str, dimension: int) -> "Store":
        """Make an empty index for `model_name` at `location` (or open it if it is already there)."""

    @classmethod
    def open(cls, location: str) -> "Store":
        """Open an existing index; IndexNotFoundError if absent, IndexFormatError if its format is unknown."""

    @property
    def location(self) -> str:
        """Where the index lives (a folder or a URL), for messages."""

    def generation(self) -> int:
        """Change token: differs after every committed write, so caches keyed on it stay correct."""

    def close(self) -> None:
        """Release this thread's connection; the object may be used again afterwards."""

    # ---- search ----------------------------------------------------------------------------
    def dense_search(self, query: np.ndarray, k: int, filters: Filters | None = None) -> list[tuple[int, float]]:
        """Top-k (chunk id, inner product) for a normalised query vector, best first, among chunks passing filters."""

    def lexical_search(self, terms: Iterable[str], k: int, filters: Filters | None = None,
                       field: LexicalField = "stems") -> list[tuple[int, float]]:
        """Top-k (chunk id, BM25) where any term matches `field` ("stems" or "cognates"); higher is better."""

    def known_terms(self, terms: Iterable[str]) -> set[str]:
        """The stems among `terms` that occur in at least one chunk (the coverage vocabulary)."""

    def mean_vector(self) -> np.ndarray:
        """Mean of all chunk vectors (zeros when empty): a query's typical cosine to this corpus."""

    # ---- reads -----------------------------------------------------------------------------
    def chunks(self, ids: Sequence[int]) -> dict[int, Chunk]:
        """The chunks with these ids that exist, by id."""

    def chunk_ids(self, filters: Filters | None = None) -> list[int]:
        """Ids of every chunk passing the filters, ascending."""

    def document(self, doc_id: str) -> Document | None:
        """One document with its full text, or None."""

    def documents(self) -> list["DocumentInfo"]:
        """Every document's metadata and counts, by id."""

    def quotes(self, doc_id: str | None = None) -> list[Quote]:
        """Stored statements (of one document, or all), in document and offset order."""

    def article_people(self) -> list[Person]:
        """People as found per article (merging across articles is the caller's job)."""

    def content_hashes(self, doc_ids: Sequence[str] | None = None) -> dict[str, str]:
        """Content hash by document id, for the given ids (all when None): unchanged ones are skipped."""

    def sentence_vectors(self, chunk_ids: Sequence[int]) -> dict[int, tuple[list[tuple[int, int]], np.ndarray]]:
        """Per chunk: its sentence spans relative to the chunk text, and their normalised float32 vectors (n, d)."""

    def quote_vectors(self, quote_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Per quote id: the normalised float32 vector of the quote text, made at ingest."""

    def stats(self) -> dict[str, object]:
        """Counts and settings for `fuentes info`."""

    # ---- writes ----------------------------------------------------------------------------
    def write(self, batches: Sequence["DocumentBatch"], remove_ids: Sequence[str] = ()) -> None:
        """Add or replace the batches' documents and remove `remove_ids`, in one atomic commit."""
