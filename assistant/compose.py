"""Extractive answers: pick the sentences of the retrieved chunks that answer, cite each span, phrase the rest."""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from index.embedding import Embedder
from index.store import Index
from index.text import cognate_keys, sentence_spans, stems
from index.types import Chunk

from .retrieval import query_terms
from .types import Citation, Hit

# Relevance is judged by how far a sentence's cosine to the question rises above the question's
# cosine to the corpus as a whole (its mean vector), as a share of the room left up to 1.
# Absolute cosines mean little: an English model puts any two Spanish texts near 0.4.
MIN_LIFT = 0.28
# A smaller lift counts when the sentence also holds half the question's content words.
MIN_LIFT_WITH_WORDS = 0.15
MAX_SENTENCES = 3
_KEEP_RATIO = 0.8  # further sentences must score this close to the best one

PHRASES = {
    "en": {
        "lead": "From the articles:",
        "nothing": "I found nothing in these articles that answers this question.",
        "no_statements": "I found no statements by {name} in these articles.",
        "closest": "Closest names: {names}.",
        "said_in": "{name}, in “{title}”:",
        "who": "{name} said it [{n}]:",
        "reported": "(reported)",
    },
    "es": {
        "lead": "Según los artículos:",
        "nothing": "No encontré nada en estos artículos que responda a esta pregunta.",
        "no_statements": "No encontré declaraciones de {name} en estos artículos.",
        "closest": "Nombres más parecidos: {names}.",
        "said_in": "{name}, en «{title}»:",
        "who": "Lo dijo {name} [{n}]:",
        "reported": "(en estilo indirecto)",
    },
}


@dataclass(frozen=True)
class ScoredSpan:
    doc_id: str
    start: int
    end: int
    text: str
    cosine: float
    overlap: float  # share of the question's content stems found in the span
    hit_rank: int
    background: float = 0.0  # the question's cosine to the corpus mean

    @property
    def score(self) -> float:
        return self.cosine + 0.3 * self.overlap + 0.05 / self.hit_rank

    @property
    def relevant(self) -> bool:
        return is_relevant(lift(self.cosine, self.background), self.overlap)


def lift(cosine: float, background: float) -> float:
    return (cosine - background) / max(1e-6, 1.0 - background)


def is_relevant(lift_value: float, overlap: float) -> bool:
    return lift_value >= MIN_LIFT or (lift_value >= MIN_LIFT_WITH_WORDS and overlap >= 0.5)


def term_overlap(question: str, text: str) -> float:
    """Share of the question's content words found in `text`, by stem or, across languages, by cognate."""
    shares = []
    question_stems = set(query_terms(question))
    if question_stems:
        found = set(stems(text, "es")) | set(stems(text, "en"))
        shares.append(len(question_stems & found) / len(question_stems))
    question_keys = set(cognate_keys(question))
    if question_keys:
        shares.append(len(question_keys & set(cognate_keys(text))) / len(question_keys))
    return max(shares, default=0.0)


class SentenceVectors:
    """The sentences of a chunk and their vectors, kept for recently cited chunks.

    Chunk ids are never reused and a chunk's text never changes, so an entry stays valid.
    """

    def __init__(self, embedder: Embedder, max_chunks: int = 4096):
        self.embedder = embedder
        self.max_chunks = max_chunks
        self._entries: OrderedDict[int, tuple[list[tuple[int, int]], np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()

    def of(self, chunks: Sequence[Chunk]) -> list[tuple[list[tuple[int, int]], np.ndarray]]:
        """(sentence spans relative to the chunk, their vectors) for each chunk, in order."""
        with self._lock:
            missing = [c for c in dict.fromkeys(chunks) if c.id not in self._entries]
        spans = {c.id: sentence_spans(c.text) for c in missing}
        texts = [c.text[s:e] for c in missing for s, e in spans[c.id]]
        vectors = self.embedder.embed(texts)
        with self._lock:
            offset = 0
            for chunk in missing:
                n = len(spans[chunk.id])
                self._entries[chunk.id] = (spans[chunk.id], vectors[offset:offset + n])
                offset += n
            result = []
            for chunk in chunks:
                self._entries.move_to_end(chunk.id)
                result.append(self._entries[chunk.id])
            while len(self._entries) > self.max_chunks:
                self._entries.popitem(last=False)
            return result


def candidate_sentences(hits: Sequence[Hit], question: str, question_vector: np.ndarray,
                        sentence_vectors: SentenceVectors, background: float = 0.0) -> list[ScoredSpan]:
    """Every sentence of the hit chunks, scored against the question."""
    candidates = []
    for hit, (spans, vectors) in zip(hits, sentence_vectors.of([h.chunk for h in hits])):
        if not spans:
            continue
        cosines = vectors @ question_vector
        for (start, end), cosine in zip(spans, cosines):
            text = hit.chunk.text[start:end]
            candidates.append(ScoredSpan(hit.chunk.doc_id, hit.chunk.start + start, hit.chunk.start + end, text,
                                         float(cosine), term_overlap(question, text), hit.rank, background))
    return candidates


def select_sentences(candidates: Sequence[ScoredSpan], limit: int = MAX_SENTENCES) -> list[ScoredSpan]:
    """The best relevant sentence and those close to it, one per place, in score order."""
    ranked = sorted((c for c in candidates if c.relevant), key=lambda c: -c.score)
    if not ranked:
        return []
    best = ranked[0].score
    chosen: list[ScoredSpan] = []
    for span in ranked:
        if len(chosen) == limit or span.score < _KEEP_RATIO * best:
            break
        if any(c.doc_id == span.doc_id and c.start < span.end and span.start < c.end for c in chosen):
            continue
        chosen.append(span)
    return chosen


def cite(index: Index, spans: Sequence[ScoredSpan]) -> list[Citation]:
    citations = []
    for span in spans:
        doc = index.document(span.doc_id)
        if doc is None:  # removed by another writer since it was retrieved: nothing left to cite
            continue
        citations.append(Citation(len(citations) + 1, span.doc_id, doc.title, doc.url, span.start, span.end,
                                  span.text, round(span.score, 4)))
    return citations


def fact_answer_text(language: str, citations: Sequence[Citation]) -> str:
    if not citations:
        return PHRASES[language]["nothing"]
    lines = [PHRASES[language]["lead"]]
    lines += [f"- {c.text} [{c.n}]" for c in citations]
    return "\n".join(lines)
