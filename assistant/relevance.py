"""Calibrated relevance: one score for every kind of candidate (sentence, quote, person record),
so sentences and statements compete on the same scale, and the "nothing found" gate.

score = lift + OVERLAP_WEIGHT · overlap + PHRASE_WEIGHT · phrase, where
- lift: how far the candidate's cosine to the question rises above the question's cosine to the
  corpus as a whole (the index's mean vector), as a share of the room left up to 1. Absolute
  cosines mean little across models and languages; the lift is comparable between questions.
- overlap: share of the question's content words found in the candidate (stems or cognates).
- phrase: 1 when the candidate holds a phrase the user quoted, or a run of PHRASE_WORDS question
  words in order; exact wording is strong evidence an embedding can blur.
The gate and the weights were chosen with bench/answer_gate.py (docs/answer-gate.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from index.text import STOPWORDS, cognate_keys, fold, stems, words

from .retrieval import query_terms

OVERLAP_WEIGHT = 0.35
PHRASE_WEIGHT = 0.3
PHRASE_WORDS = 4  # a run of this many question words, in order, counts as an exact phrase
# The gate each model was calibrated for (bench/answer_gate.py, docs/answer-gate.md), as (question and
# passage in the same language, in different languages): across languages cosines run lower, so one
# gate would either refuse English questions over Spanish articles or answer unrelated Spanish ones.
GATES = {
    "intfloat/multilingual-e5-small": (0.42, 0.28),
    "sentence-transformers/all-MiniLM-L6-v2": (0.34, 0.34),  # the earlier gate, not recalibrated
}
DEFAULT_GATE = (0.42, 0.28)

_QUOTED = re.compile(r"[«“\"']([^«»“”\"']{3,})[»”\"']")


def gate_for(model_name: str) -> tuple[float, float]:
    """(same-language gate, cross-language gate) for a model."""
    return GATES.get(model_name, DEFAULT_GATE)


@dataclass(frozen=True)
class Relevance:
    lift: float
    overlap: float
    phrase: float

    @property
    def score(self) -> float:
        return self.lift + OVERLAP_WEIGHT * self.overlap + PHRASE_WEIGHT * self.phrase


def lift(cosine: float, background: float) -> float:
    return (cosine - background) / max(1e-6, 1.0 - background)


class Scorer:
    """Scores candidates against one question; built once per question (its vector embedded once).

    `gates` is (same language, other language); `doc_languages` maps a document id to its language,
    so a candidate is judged by the gate of its language pair with the question's `language`.
    """

    def __init__(self, text: str, vector: np.ndarray, background: float, gates: tuple[float, float],
                 language: str = "es", doc_languages: Mapping[str, str] | None = None):
        self.text = text
        self.vector = vector
        self.background = background
        self.gates = gates
        self.language = language
        self.doc_languages = doc_languages or {}
        self._stems = set(query_terms(text))
        self._keys = set(cognate_keys(text))
        self._quoted = [q for q in (" ".join(words(m)) for m in _QUOTED.findall(text)) if len(q.split()) >= 2]
        self._words = words(text)

    def with_text(self, text: str) -> "Scorer":
        """The same question vector, with words (overlap, phrases) taken from `text` (a topic)."""
        return Scorer(text, self.vector, self.background, self.gates, self.language, self.doc_languages)

    def score(self, text: str, vector: np.ndarray) -> Relevance:
        return Relevance(lift(float(vector @ self.vector), self.background), self.overlap(text), self.phrase(text))

    def score_many(self, texts: list[str], vectors: np.ndarray) -> list[Relevance]:
        cosines = np.atleast_1d(vectors @ self.vector) if len(texts) else []
        return [Relevance(lift(float(c), self.background), self.overlap(t), self.phrase(t))
                for t, c in zip(texts, cosines)]

    def gate(self, doc_id: str | None) -> float:
        same = self.doc_languages.get(doc_id, self.language) == self.language
        return self.gates[0] if same else self.gates[1]

    def passes(self, relevance: Relevance | float, doc_id: str | None) -> bool:
        value = relevance.score if isinstance(relevance, Relevance) else relevance
        return value >= self.gate(doc_id)

    def overlap(self, text: str) -> float:
        """Share of the question's content words found in `text`, by stem or, across languages, by cognate."""
        shares = []
        if self._stems:
            found = set(stems(text, "es")) | set(stems(text, "en"))
            shares.append(len(self._stems & found) / len(self._stems))
        if self._keys:
            shares.append(len(self._keys & set(cognate_keys(text))) / len(self._keys))
        return max(shares, default=0.0)

    def phrase(self, text: str) -> float:
        folded = " " + " ".join(words(text)) + " "
        if any(f" {q} " in folded for q in self._quoted):
            return 1.0
        return 1.0 if _longest_run(self._words, words(text)) >= PHRASE_WORDS else 0.0


def _longest_run(question: list[str], text: list[str]) -> int:
    """Length of the longest run of question words found in `text` in the same order, with at least
    two content words in it (a run of stopwords proves nothing)."""
    if not question or not text:
        return 0
    content = {w for w in question if not (w in STOPWORDS["es"] or w in STOPWORDS["en"])}
    best = 0
    previous = [0] * (len(text) + 1)
    for qw in question:
        current = [0] * (len(text) + 1)
        for j, tw in enumerate(text, start=1):
            if qw == tw:
                current[j] = previous[j - 1] + 1
                if current[j] > best:
                    run = text[j - current[j]:j]
                    if sum(w in content for w in run) >= 2:
                        best = current[j]
        previous = current
    return best


def folded_contains(text: str, phrase: str) -> bool:
    """True when `phrase` occurs in `text` as whole words, accents and case ignored."""
    return f" {' '.join(words(phrase))} " in f" {' '.join(words(text))} " if words(phrase) else False


__all__ = ["Relevance", "Scorer", "gate_for", "lift", "folded_contains", "fold"]
