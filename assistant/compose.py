"""Extractive answers: pick the sentences of the retrieved chunks that answer, cite each span, phrase the rest."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from index.store import Index

from .relevance import Relevance, Scorer
from .types import Citation, Hit
from .vectors import VectorSource

MAX_SENTENCES = 3
_KEEP_RATIO = 0.8  # further sentences must score this close to the best one

# The assistant's own words; quoted and cited text is always shown as written (often Spanish).
PHRASES = {
    "en": {
        "lead": "From the articles (passages quoted as written):",
        "nothing": "I found nothing in these articles that answers this question.",
        "absent": "I found nothing in these articles that answers this question: none of the passages I found mentions {names}.",
        "no_statements": "I found no statements by {name} in these articles.",
        "none_on_topic": "None of {name}'s statements in these articles is clearly about “{topic}”; "
                         "everything {name} said:",
        "closest": "Closest names: {names}.",
        "whom": "Whom do you mean by “{pronoun}”? Name the person, e.g. “What did Peskov say about Europe?”",
        "said_in": "{name}, in “{title}”:",
        "who": "{name} said it [{n}]:",
        "reported": "(reported)",
        "ambiguous": "Several people in these articles are called “{name}”; ask again with the full name:",
        "ambiguous_role": "Several people in these articles fit “{name}”; ask again with a name:",
        "candidate": "- {name}{roles} [{n}]",
        "person": "{name}, as the articles name them: {roles} [{n}]",
        "person_no_role": "{name} is named in the articles without a role; first mention [{n}]:",
    },
    "es": {
        "lead": "Según los artículos:",
        "nothing": "No encontré nada en estos artículos que responda a esta pregunta.",
        "absent": "No encontré nada en estos artículos que responda a esta pregunta: ninguno de los pasajes encontrados menciona {names}.",
        "no_statements": "No encontré declaraciones de {name} en estos artículos.",
        "none_on_topic": "Ninguna declaración de {name} en estos artículos trata claramente de «{topic}»; "
                         "todo lo que dijo:",
        "closest": "Nombres más parecidos: {names}.",
        "whom": "¿A quién se refiere con «{pronoun}»? Diga el nombre, p. ej. «¿Qué dijo Peskov sobre Europa?»",
        "said_in": "{name}, en «{title}»:",
        "who": "Lo dijo {name} [{n}]:",
        "reported": "(en estilo indirecto)",
        "ambiguous": "En estos artículos hay varias personas llamadas «{name}»; pregunte de nuevo con el nombre completo:",
        "ambiguous_role": "En estos artículos hay varias personas que encajan con «{name}»; pregunte de nuevo con un nombre:",
        "candidate": "- {name}{roles} [{n}]",
        "person": "{name}, según los artículos: {roles} [{n}]",
        "person_no_role": "{name} aparece en los artículos sin un cargo; primera mención [{n}]:",
    },
}


@dataclass(frozen=True)
class ScoredSpan:
    doc_id: str
    start: int
    end: int
    text: str
    relevance: Relevance
    hit_rank: int

    @property
    def score(self) -> float:
        return self.relevance.score


def candidate_sentences(hits: Sequence[Hit], scorer: Scorer, vectors: VectorSource) -> list[ScoredSpan]:
    """Every sentence of the hit chunks, scored against the question in one batch (so the costlier
    cross-language word matches go only to the sentences that could still be cited)."""
    places, texts, rows, doc_ids = [], [], [], []
    for hit, (spans, sentence_vectors) in zip(hits, vectors.sentences([h.chunk for h in hits])):
        for (start, end), vector in zip(spans, sentence_vectors):
            places.append((hit, start, end))
            texts.append(hit.chunk.text[start:end])
            rows.append(vector)
            doc_ids.append(hit.chunk.doc_id)
    if not texts:
        return []
    scores = scorer.score_many(texts, np.stack(rows), doc_ids)
    return [ScoredSpan(hit.chunk.doc_id, hit.chunk.start + start, hit.chunk.start + end, text, relevance, hit.rank)
            for (hit, start, end), text, relevance in zip(places, texts, scores)]


def select_sentences(candidates: Sequence[ScoredSpan], scorer: Scorer, limit: int = MAX_SENTENCES) -> list[ScoredSpan]:
    """The best sentence over the gate and those close to it, one per place, in score order."""
    ranked = sorted((c for c in candidates if scorer.passes(c.relevance, c.doc_id)), key=lambda c: (-c.score, c.hit_rank))
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
