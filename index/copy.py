"""Copy an index into another store (a folder into PostgreSQL, or back) without re-embedding."""
from __future__ import annotations

from typing import Callable

import numpy as np

from .errors import ModelMismatchError
from .filters import Filters
from .ingest import lexical_terms
from .store import DocumentBatch, NewChunk
from .text import cognate_keys

COPY_BATCH_DOCUMENTS = 64  # documents per write transaction: bounded memory, few commits


def copy_index(source, target, on_batch: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Write every document of `source` that `target` lacks or holds in another version.

    Vectors are copied as stored; lexical terms are derived again from the chunk text with the
    same functions ingest uses. Returns (documents copied, documents already up to date).
    """
    if source.model_name != target.model_name or source.dimension != target.dimension:
        raise ModelMismatchError(f"the target index uses {target.model_name!r} ({target.dimension} dimensions), "
                                 f"the source {source.model_name!r} ({source.dimension}); copy into an empty target")
    present = target.content_hashes()
    wanted = source.content_hashes()
    todo = [info for info in source.documents() if present.get(info.id) != wanted[info.id]]
    for start in range(0, len(todo), COPY_BATCH_DOCUMENTS):
        part = todo[start:start + COPY_BATCH_DOCUMENTS]
        target.write([_batch(source, info) for info in part])
        if on_batch:
            on_batch(len(part))
    return len(todo), len(wanted) - len(todo)


def _batch(source, info) -> DocumentBatch:
    document = source.document(info.id)
    ids = source.chunk_ids(Filters(doc_ids=(info.id,)))
    chunks = source.chunks(ids)
    ordered = sorted(chunks.values(), key=lambda c: c.start)
    stored = source.chunk_vectors([c.id for c in ordered])
    vectors = np.stack([stored[c.id] for c in ordered]) if ordered else np.zeros((0, source.dimension), np.float32)
    new_chunks = [NewChunk(c.start, c.end, c.text, lexical_terms(c.text, info.language), " ".join(cognate_keys(c.text)))
                  for c in ordered]
    quotes = tuple(source.quotes(info.id))
    sentences = source.sentence_vectors([c.id for c in ordered])
    quote_vectors = source.quote_vectors([q.id for q in quotes])
    return DocumentBatch(
        document, info.language, new_chunks, vectors.astype(np.float32), quotes, tuple(source.article_people(info.id)),
        sentences=[sentences[c.id] for c in ordered] if len(sentences) == len(ordered) else (),
        quote_vectors=np.stack([quote_vectors[q.id] for q in quotes]) if quotes and len(quote_vectors) == len(quotes)
        else None)
