"""The one seam to stored vectors: sentence and quote vectors from the index when it keeps them,
else computed once and cached here. Every answer path reads vectors through `VectorSource`."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Sequence

import numpy as np

from index.embedding import Embedder
from index.store import Index
from index.text import sentence_spans
from index.types import Chunk, Quote

SentenceEntry = tuple[list[tuple[int, int]], np.ndarray]  # spans relative to the chunk, one vector a span


class _LRU:
    """A bounded, thread-safe map; entries stay valid because chunk and quote ids are never reused."""

    def __init__(self, limit: int):
        self.limit = limit
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys) -> dict:
        with self._lock:
            found = {}
            for key in keys:
                if key in self._items:
                    self._items.move_to_end(key)
                    found[key] = self._items[key]
            return found

    def put_many(self, items: dict) -> None:
        with self._lock:
            self._items.update(items)
            while len(self._items) > self.limit:
                self._items.popitem(last=False)


class VectorSource:
    """Sentence vectors of chunks and vectors of quotes.

    The index computes them at ingest when it has `sentence_vectors(chunk_ids)` and
    `quote_vectors(quote_ids)`; for an index without them they are embedded on first use and kept.
    """

    def __init__(self, index: Index, embedder: Embedder, max_entries: int = 4096):
        self.index = index
        self.embedder = embedder
        self._sentences = _LRU(max_entries)
        self._quotes = _LRU(max_entries * 4)
        self._words = _LRU(max_entries * 16)

    @property
    def stored(self) -> bool:
        """True when the index serves both kinds of vectors itself."""
        return hasattr(self.index, "sentence_vectors") and hasattr(self.index, "quote_vectors")

    def sentences(self, chunks: Sequence[Chunk]) -> list[SentenceEntry]:
        """(sentence spans relative to the chunk, their normalised vectors) for each chunk, in order."""
        unique = list({c.id: c for c in chunks}.values())
        found = self._sentences.get_many([c.id for c in unique])
        missing = [c for c in unique if c.id not in found]
        if missing:
            fresh = self._stored_sentences(missing) if hasattr(self.index, "sentence_vectors") else {}
            todo = [c for c in missing if c.id not in fresh]
            fresh.update(self._embed_sentences(todo))
            self._sentences.put_many(fresh)
            found.update(fresh)
        return [found[c.id] for c in chunks]

    def quotes(self, quotes: Sequence[Quote]) -> np.ndarray:
        """One normalised vector a quote, in order (shape: len(quotes) × dimension)."""
        if not quotes:
            return np.zeros((0, self.embedder.dimension), dtype=np.float32)
        ids = list(dict.fromkeys(q.id for q in quotes))
        found = self._quotes.get_many(ids)
        missing = [q for q in {q.id: q for q in quotes}.values() if q.id not in found]
        if missing:
            fresh = dict(self.index.quote_vectors([q.id for q in missing])) if hasattr(self.index, "quote_vectors") else {}
            todo = [q for q in missing if q.id not in fresh]
            if todo:
                vectors = self.embedder.embed([q.text for q in todo])
                fresh.update({q.id: v for q, v in zip(todo, vectors)})
            self._quotes.put_many(fresh)
            found.update(fresh)
        return np.stack([found[q.id] for q in quotes]).astype(np.float32, copy=False)

    def words(self, words: Sequence[str]) -> np.ndarray:
        """One normalised vector a single word, embedded as a passage and kept (a corpus's vocabulary recurs)."""
        if not words:
            return np.zeros((0, self.embedder.dimension), dtype=np.float32)
        found = self._words.get_many(words)
        missing = list(dict.fromkeys(w for w in words if w not in found))
        if missing:
            fresh = dict(zip(missing, self.embedder.embed(missing, batch_size=128)))
            self._words.put_many(fresh)
            found.update(fresh)
        return np.stack([found[w] for w in words]).astype(np.float32, copy=False)

    def _stored_sentences(self, chunks: Sequence[Chunk]) -> dict[int, SentenceEntry]:
        stored = self.index.sentence_vectors([c.id for c in chunks])
        return {cid: (list(spans), np.asarray(vectors, dtype=np.float32)) for cid, (spans, vectors) in stored.items()}

    def _embed_sentences(self, chunks: Sequence[Chunk]) -> dict[int, SentenceEntry]:
        if not chunks:
            return {}
        spans = {c.id: sentence_spans(c.text) for c in chunks}
        texts = [c.text[s:e] for c in chunks for s, e in spans[c.id]]
        vectors = self.embedder.embed(texts) if texts else np.zeros((0, self.embedder.dimension), np.float32)
        out, offset = {}, 0
        for chunk in chunks:
            n = len(spans[chunk.id])
            out[chunk.id] = (spans[chunk.id], vectors[offset:offset + n])
            offset += n
        return out
