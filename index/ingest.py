"""Ingest: article files -> documents -> chunks, vectors, terms and quotes -> one atomic index commit."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
from tqdm import tqdm

from .chunking import Chunker
from .embedding import Embedder
from .errors import ModelMismatchError
from .people import merge_people
from .quotes import ArticleQuotes, extract_quotes
from .sources import read_sources
from .protocol import Store
from .store import DocumentBatch, NewChunk
from .text import cognate_keys, detect_language, sentence_spans, stems
from .types import Document, IngestReport, SkippedFile

QuoteExtractor = Callable[..., ArticleQuotes]  # (document, known people) -> quotes and people
_EMBED_BLOCK = 256  # passages per encode call: large enough to batch well, small enough for progress


def lexical_terms(text: str, language: str) -> str:
    """What the lexical postings store for a chunk: stems without stopwords, accents folded."""
    return " ".join(stems(text, language, drop_stopwords=True))


def ingest(index: Store, paths: Iterable[str | Path], embedder: Embedder, chunker: Chunker,
           extract_quotes: QuoteExtractor = extract_quotes, progress: bool = False) -> IngestReport:
    """Add new documents, replace changed ones, skip unchanged ones; report every skipped file.

    Nothing is written until every document is prepared; then one commit makes them all
    visible at once, so a crash leaves the previous index as it was.
    """
    started = time.perf_counter()
    if embedder.name != index.model_name:
        raise ModelMismatchError(
            f"index at {index.location} was built with {index.model_name!r}, not {embedder.name!r}; "
            f"ingest with --model {index.model_name} or use another --index folder"
        )
    items = list(read_sources(paths))
    known = index.content_hashes([item.id for item in items if not isinstance(item, SkippedFile)])
    documents: list[Document] = []
    skipped: list[SkippedFile] = []
    unchanged: list[str] = []
    for item in items:
        if isinstance(item, SkippedFile):
            skipped.append(item)
        elif known.get(item.id) == item.content_hash:
            unchanged.append(item.id)
        else:
            documents.append(item)

    found_by_doc = _extract_with_known_people(documents, index, extract_quotes)
    prepared = []
    for doc in documents:
        language = detect_language(doc.text[:3000])
        spans = chunker.split(doc.text)
        chunks = [NewChunk(s.start, s.end, s.text, lexical_terms(s.text, language), " ".join(cognate_keys(s.text)))
                  for s in spans]
        prepared.append((doc, language, chunks, found_by_doc[doc.id]))

    # One encode call for chunks, their sentences and the quotes: answers then never embed stored text.
    chunk_texts = [c.text for _, _, chunks, _ in prepared for c in chunks]
    sentence_spans_by_chunk = [sentence_spans(c.text, language) for _, language, chunks, _ in prepared for c in chunks]
    sentence_texts = [c_text[s:e] for c_text, spans in zip(chunk_texts, sentence_spans_by_chunk) for s, e in spans]
    quote_texts = [q.text for _, _, _, found in prepared for q in found.quotes]
    vectors = _embed_all(embedder, chunk_texts + sentence_texts + quote_texts, progress)
    chunk_vectors = vectors[:len(chunk_texts)]
    sentence_vectors = vectors[len(chunk_texts):len(chunk_texts) + len(sentence_texts)]
    quote_vectors = vectors[len(chunk_texts) + len(sentence_texts):]

    batches, offset, sentence_offset, quote_offset = [], 0, 0, 0
    for doc, language, chunks, found in prepared:
        sentences = []
        for spans in sentence_spans_by_chunk[offset:offset + len(chunks)]:
            sentences.append((spans, sentence_vectors[sentence_offset:sentence_offset + len(spans)]))
            sentence_offset += len(spans)
        quotes = tuple(found.quotes)
        batches.append(DocumentBatch(doc, language, chunks, chunk_vectors[offset:offset + len(chunks)],
                                     quotes, tuple(found.people) + tuple(found.mentioned), tuple(sentences),
                                     quote_vectors[quote_offset:quote_offset + len(quotes)]))
        offset += len(chunks)
        quote_offset += len(quotes)
    index.write(batches)

    return IngestReport(
        added=tuple(d.id for d in documents if d.id not in known),
        replaced=tuple(d.id for d in documents if d.id in known),
        unchanged=tuple(unchanged),
        skipped=tuple(skipped),
        n_chunks=len(chunk_texts),
        n_quotes=sum(len(b.quotes) for b in batches),
        seconds=time.perf_counter() - started,
    )


def _extract_with_known_people(documents: list[Document], index: Store, extract_quotes: QuoteExtractor
                               ) -> dict[str, ArticleQuotes]:
    """Two passes: people and roles named anywhere (this batch or already indexed) help resolve
    speakers elsewhere, e.g. 'el presidente francés' in one article is the Macron named in another."""
    first_pass = {doc.id: extract_quotes(doc) for doc in documents}
    known = merge_people(
        list(index.article_people())
        + [p for found in first_pass.values() for p in (*found.people, *found.mentioned)]
    )
    if not known:
        return first_pass
    return {doc.id: extract_quotes(doc, known) for doc in documents}


def _embed_all(embedder: Embedder, texts: list[str], progress: bool) -> np.ndarray:
    if not texts:
        return np.zeros((0, embedder.dimension), dtype=np.float32)
    # Sort globally by length so each encode call pads little, then restore the order.
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.empty((len(texts), embedder.dimension), dtype=np.float32)
    with tqdm(total=len(texts), unit="passage", desc="embedding", disable=not progress) as bar:
        for block_start in range(0, len(order), _EMBED_BLOCK):
            block = order[block_start:block_start + _EMBED_BLOCK]
            out[block] = embedder.embed([texts[i] for i in block])
            bar.update(len(block))
    return out
