"""Statement answers: "what did X say (about Y)" lists X's statements; "who said …" names the speaker.

Statements are scored with the same calibrated relevance as plain sentences (`relevance.Scorer`),
so a quote and a passage compete on one scale."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from index.filters import Filters
from index.store import Index
from index.text import sentence_spans
from index.types import Document, Quote

from .compose import PHRASES, ScoredSpan
from .people_book import PeopleBook
from .relevance import Relevance, Scorer
from .types import Citation, Hit
from .vectors import VectorSource

MAX_STATEMENTS = 20
TOPIC_MARGIN = 0.15  # statements this close to the best one on the topic are kept


@dataclass(frozen=True)
class ScoredQuote:
    quote: Quote
    relevance: Relevance

    @property
    def score(self) -> float:
        return self.relevance.score


def what_said(book: PeopleBook, index: Index, vectors: VectorSource, scorer: Scorer | None, person_name: str,
              filters: Filters) -> tuple[list[ScoredQuote], bool]:
    """`person_name`'s statements (outermost only) and whether they are on the topic.

    With a topic (`scorer` built on its words), statements rank by the topic against each statement
    and its context and those near the best are kept; when none clears the gate, every statement is
    returned in reading order with on_topic False. Without a topic: all, in reading order."""
    quotes = _outermost([q for q in book.quotes() if q.speaker == person_name and passes(q, filters, index)])
    everything = [ScoredQuote(q, Relevance(1.0, 0.0, 0.0)) for q in quotes][:MAX_STATEMENTS]
    if not quotes or scorer is None:
        return everything, True
    scored = score_in_context(index, vectors, scorer, quotes)
    scored.sort(key=lambda s: -s.score)
    best = scored[0].score
    if not scorer.passes(best, scored[0].quote.doc_id):
        return everything, False
    return [s for s in scored if s.score >= best - TOPIC_MARGIN][:MAX_STATEMENTS], True


def statements_answer(index: Index, person_name: str, language: str, scored: Sequence[ScoredQuote]
                      ) -> tuple[str, list[Citation]]:
    """The statements grouped by article, each article's in reading order, each cited."""
    phrases = PHRASES[language]
    by_doc: dict[str, list[ScoredQuote]] = {}
    for item in scored:
        by_doc.setdefault(item.quote.doc_id, []).append(item)
    citations: list[Citation] = []
    lines: list[str] = []
    for doc_id, items in by_doc.items():
        doc = index.document(doc_id)
        if doc is None:  # removed by another writer since its quotes were read
            continue
        lines.append(phrases["said_in"].format(name=person_name, title=doc.title))
        for item in sorted(items, key=lambda s: s.quote.start):
            citation = quote_citation(len(citations) + 1, doc, item.quote, item.score)
            citations.append(citation)
            marker = "" if item.quote.direct else f" {phrases['reported']}"
            lines.append(f"- {item.quote.text}{marker} [{citation.n}]")
    return "\n".join(lines), citations


def who_said(book: PeopleBook, index: Index, vectors: VectorSource, scorer: Scorer, hits: Sequence[Hit],
             sentences: Sequence[ScoredSpan]) -> ScoredQuote | None:
    """The statement in the retrieved passages that best matches the words asked about.

    A statement scores at least as well as the sentence that holds it, so a passage can beat a quote
    only by being more relevant, never by being scored with another formula."""
    quotes: dict[str, Quote] = {}
    for hit in hits:
        for quote in book.quotes(doc_id=hit.chunk.doc_id):
            if quote.start < hit.chunk.end and hit.chunk.start < quote.end and quote.speaker_kind != "unknown":
                quotes.setdefault(quote.id, quote)
    if not quotes:
        return None
    items = list(quotes.values())
    own = scorer.score_many([q.text for q in items], vectors.quotes(items), [q.doc_id for q in items])
    scored = []
    for quote, relevance in zip(items, own):
        holders = [s.relevance for s in sentences
                   if s.doc_id == quote.doc_id and s.start < quote.end and quote.start < s.end]
        scored.append(ScoredQuote(quote, max([relevance, *holders], key=lambda r: r.score)))
    return max(scored, key=lambda s: s.score)


def who_answer(index: Index, language: str, item: ScoredQuote) -> tuple[str, list[Citation]]:
    doc = index.document(item.quote.doc_id)
    if doc is None:  # removed by another writer since its quotes were read
        return PHRASES[language]["nothing"], []
    citation = quote_citation(1, doc, item.quote, item.score)
    return PHRASES[language]["who"].format(name=item.quote.speaker, n=1) + f" {item.quote.text}", [citation]


def score_in_context(index: Index, vectors: VectorSource, scorer: Scorer, quotes: Sequence[Quote]) -> list[ScoredQuote]:
    """Each statement scored by the better of itself and its context (its sentence and the one before):
    «No descartamos ninguna opción» is about troops because the question before it was."""
    own = scorer.score_many([q.text for q in quotes], vectors.quotes(quotes), [q.doc_id for q in quotes])
    out = []
    for quote, relevance in zip(quotes, own):
        context = _context(index, vectors, quote)
        if context is not None:
            text, vector = context
            in_context = scorer.score(text, vector, quote.doc_id)
            if in_context.score > relevance.score:
                relevance = in_context
        out.append(ScoredQuote(quote, relevance))
    return out


def _context(index: Index, vectors: VectorSource, quote: Quote) -> tuple[str, np.ndarray] | None:
    """The text and mean vector of the sentences around a quote, from the stored sentence vectors."""
    chunk_ids = index.chunk_ids(Filters(doc_ids=(quote.doc_id,)))
    chunks = [c for c in index.chunks(chunk_ids).values() if c.start < quote.end and quote.start < c.end]
    if not chunks:
        return None
    chunk = min(chunks, key=lambda c: c.start)
    spans, chunk_vectors = vectors.sentences([chunk])[0]
    covering = [i for i, (s, e) in enumerate(spans)
                if chunk.start + s < quote.end and quote.start < chunk.start + e]
    if not covering:
        return None
    first = max(0, covering[0] - 1)
    chosen = list(range(first, covering[-1] + 1))
    text = chunk.text[spans[chosen[0]][0]:spans[chosen[-1]][1]]
    vector = chunk_vectors[chosen].mean(axis=0)
    return text, vector / max(float(np.linalg.norm(vector)), 1e-12)


def _outermost(quotes: Sequence[Quote]) -> list[Quote]:
    """Drop a statement nested inside another one of the same article (a quote inside reported speech)."""
    return [
        q for q in quotes
        if not any(o is not q and o.doc_id == q.doc_id and o.start <= q.start and q.end <= o.end
                   and (o.end - o.start) > (q.end - q.start) for o in quotes)
    ]


def passes(quote: Quote, filters: Filters, index: Index) -> bool:
    if filters.doc_ids is not None and quote.doc_id not in filters.doc_ids:
        return False
    if filters.published_from or filters.published_to:
        doc = index.document(quote.doc_id)
        if doc is None:
            return False
        published = doc.published or ""
        if filters.published_from and published < filters.published_from:
            return False
        if filters.published_to and (not published or published > filters.published_to):
            return False
    return True


def quote_citation(n: int, doc: Document, quote: Quote, score: float) -> Citation:
    context_start, context_end = sentence_around(doc.text, quote.start, quote.end)
    return Citation(n, doc.id, doc.title, doc.url, quote.start, quote.end, quote.text, round(score, 4),
                    speaker=quote.speaker, context_start=context_start, context_end=context_end)


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentences that contain the span, found in a window around it (whole articles are slow to split)."""
    window_start = max(0, text.rfind("\n", 0, max(0, start - 1)) + 1)
    window_end = text.find("\n", end)
    window_end = len(text) if window_end < 0 else window_end
    spans = [(window_start + s, window_start + e) for s, e in sentence_spans(text[window_start:window_end])]
    covering = [(s, e) for s, e in spans if s < end and start < e]
    if not covering:
        return start, end
    return min(start, covering[0][0]), max(end, covering[-1][1])
