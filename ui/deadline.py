"""A time limit on one upload's ingest: checked between articles and between small embedding batches."""
from __future__ import annotations

import time
from typing import Sequence

import numpy as np

from index.embedding import Embedder
from index.quotes import ArticleQuotes, extract_quotes
from index.types import Document

from .uploads import UploadError

EMBED_SLICE = 32  # passages embedded between two looks at the clock


class IngestDeadline:
    """Raises UploadError (413) once `seconds` have passed since it was made; nothing is written then,
    because ingest writes only after every article is prepared."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.done = 0  # passages embedded so far, for the message

    def check(self) -> None:
        if time.monotonic() > self.ends:
            raise UploadError(
                f"the upload was not ingested: preparing it took longer than {self.seconds:g} s "
                f"({self.done} passages embedded by then), and the server keeps each upload under that so "
                f"questions are not held up; upload fewer or smaller files, or add large collections "
                f"with `fuentes ingest PATH`", status=413)

    def quote_extractor(self):
        def extract(document: Document, *args, **kwargs) -> ArticleQuotes:
            self.check()
            return extract_quotes(document, *args, **kwargs)
        return extract


class DeadlineEmbedder:
    """The index's embedder, embedding in slices with a deadline check before each."""

    def __init__(self, embedder: Embedder, deadline: IngestDeadline):
        self._embedder = embedder
        self._deadline = deadline

    def __getattr__(self, name):  # name, dimension, count_tokens, max_tokens, embed_query
        return getattr(self._embedder, name)

    def embed(self, texts: Sequence[str], *args, **kwargs) -> np.ndarray:
        parts = []
        for start in range(0, len(texts), EMBED_SLICE):
            self._deadline.check()
            parts.append(self._embedder.embed(texts[start:start + EMBED_SLICE], *args, **kwargs))
            self._deadline.done += len(parts[-1])
        if not parts:
            return self._embedder.embed(texts, *args, **kwargs)
        return np.concatenate(parts)
