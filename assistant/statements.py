"""Quote answers: "what did X say (about Y)" lists X's statements; "who said …" names the speaker."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np

from index.people import match_person
from index.text import sentence_spans
from index.types import Document, Quote

from .compose import PHRASES, is_relevant, lift, term_overlap
from .question import Question
from .retrieval import Filters
from .types import Citation

if TYPE_CHECKING:
    from .core import Assistant

MAX_STATEMENTS = 20
WHO_SEARCH_DEPTH = 10


def answer_what_said(assistant: "Assistant", question: Question, filters: Filters
                     ) -> tuple[str, list[Citation]]:
    phrases = PHRASES[question.language]
    person, suggestions = match_person(question.person, assistant.people())
    if person is None:
        text = phrases["no_statements"].format(name=question.person)
        if suggestions:
            text += " " + phrases["closest"].format(names=", ".join(suggestions))
        return text, []
    quotes = [q for q in assistant.quotes(speaker=person.name) if _passes(q, filters, assistant)]
    quotes = _outermost(quotes)
    if not quotes:
        return phrases["no_statements"].format(name=person.name), []
    scores = _relevance(assistant, question.topic, quotes) if question.topic else [1.0] * len(quotes)
    ranked = sorted(zip(quotes, scores), key=lambda pair: -pair[1])[:MAX_STATEMENTS]
    if question.topic:
        best = ranked[0][1]
        ranked = [(q, s) for q, s in ranked if s >= best - 0.15]
    # Group by article, keeping each article's statements in reading order.
    by_doc: dict[str, list[tuple[Quote, float]]] = {}
    for quote, score in ranked:
        by_doc.setdefault(quote.doc_id, []).append((quote, score))
    citations: list[Citation] = []
    lines: list[str] = []
    for doc_id, items in by_doc.items():
        doc = assistant.document(doc_id)
        if doc is None:  # removed by another writer since its quotes were read
            continue
        lines.append(phrases["said_in"].format(name=person.name, title=doc.title))
        for quote, score in sorted(items, key=lambda pair: pair[0].start):
            citation = _quote_citation(len(citations) + 1, doc, quote, score)
            citations.append(citation)
            marker = "" if quote.direct else f" {phrases['reported']}"
            lines.append(f"- {quote.text}{marker} [{citation.n}]")
    return "\n".join(lines), citations


def answer_who_said(assistant: "Assistant", question: Question, filters: Filters
                    ) -> tuple[str, list[Citation]]:
    """Find the statement closest to the words asked about, among quotes in the best passages."""
    phrases = PHRASES[question.language]
    topic = question.topic or question.text
    vector = assistant.embedder.embed_query(topic)
    hits = assistant.search(topic, k=WHO_SEARCH_DEPTH, doc_ids=filters.doc_ids,
                            published_from=filters.published_from, published_to=filters.published_to)
    candidates: list[tuple[Quote, int]] = []
    seen: set[str] = set()
    for hit in hits:
        for quote in assistant.quotes(doc_id=hit.chunk.doc_id):
            overlaps = quote.start < hit.chunk.end and hit.chunk.start < quote.end
            if overlaps and quote.id not in seen:
                seen.add(quote.id)
                candidates.append((quote, hit.rank))
    if not candidates:
        return phrases["nothing"], []
    cosines = assistant.embedder.embed([q.text for q, _ in candidates]) @ vector
    background = float(vector @ assistant.index.mean_vector())
    scored = []
    for (quote, rank), cosine in zip(candidates, cosines):
        overlap = term_overlap(topic, quote.text)
        scored.append((float(cosine) + 0.3 * overlap + 0.05 / rank, float(cosine), overlap, quote))
    score, cosine, overlap, quote = max(scored, key=lambda item: item[0])
    if not is_relevant(lift(cosine, background), overlap):
        return phrases["nothing"], []
    doc = assistant.document(quote.doc_id)
    if doc is None:  # removed by another writer since its quotes were read
        return phrases["nothing"], []
    citation = _quote_citation(1, doc, quote, score)
    text = phrases["who"].format(name=quote.speaker, n=1) + f" {quote.text}"
    return text, [citation]


def _relevance(assistant: "Assistant", topic: str, quotes: Sequence[Quote]) -> list[float]:
    vector = assistant.embedder.embed_query(topic)
    cosines = assistant.embedder.embed([q.text for q in quotes]) @ vector
    return [float(c) + 0.3 * term_overlap(topic, q.text) for q, c in zip(quotes, np.atleast_1d(cosines))]


def _outermost(quotes: Sequence[Quote]) -> list[Quote]:
    """Drop a statement nested inside another one of the same article (a quote inside reported speech)."""
    return [
        q for q in quotes
        if not any(o is not q and o.doc_id == q.doc_id and o.start <= q.start and q.end <= o.end
                   and (o.end - o.start) > (q.end - q.start) for o in quotes)
    ]


def _passes(quote: Quote, filters: Filters, assistant: "Assistant") -> bool:
    if filters.doc_ids is not None and quote.doc_id not in filters.doc_ids:
        return False
    if filters.published_from or filters.published_to:
        doc = assistant.document(quote.doc_id)
        if doc is None:
            return False
        published = doc.published or ""
        if filters.published_from and published < filters.published_from:
            return False
        if filters.published_to and (not published or published > filters.published_to):
            return False
    return True


def _quote_citation(n: int, doc: Document, quote: Quote, score: float) -> Citation:
    context_start, context_end = _sentence_around(doc.text, quote.start, quote.end)
    return Citation(n, doc.id, doc.title, doc.url, quote.start, quote.end, quote.text, round(score, 4),
                    speaker=quote.speaker, context_start=context_start, context_end=context_end)


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentences that contain the span, found in a window around it (whole articles are slow to split)."""
    window_start = max(0, text.rfind("\n", 0, max(0, start - 1)) + 1)
    window_end = text.find("\n", end)
    window_end = len(text) if window_end < 0 else window_end
    spans = [(window_start + s, window_start + e) for s, e in sentence_spans(text[window_start:window_end])]
    covering = [(s, e) for s, e in spans if s < end and start < e]
    if not covering:
        return start, end
    return min(start, covering[0][0]), max(end, covering[-1][1])
