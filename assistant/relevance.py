"""Calibrated relevance: one score for every kind of candidate (sentence, quote, person record),
so sentences and statements compete on the same scale, and the "nothing found" gate.

score = lift + OVERLAP_WEIGHT · overlap + PHRASE_WEIGHT · phrase, where
- lift: how far the candidate's cosine to the question rises above the question's background — its
  mean cosine to ordinary news sentences in the candidate's language (assistant/background.py) — as a
  share of the room left up to 1. Absolute cosines mean little across models and languages; the lift
  is comparable between questions, and it does not depend on the corpus (a one-article index too).
- overlap: share of the question's content words found in the candidate (stems or cognates).
- phrase: 1 when the candidate holds a phrase the user quoted, or a run of PHRASE_WORDS question
  words in order; exact wording is strong evidence an embedding can blur.
The gate and the weights were chosen with bench/answer_gate.py (docs/answer-gate.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from index.text import STOPWORDS, cognate_keys, fold, stems, words

from .retrieval import query_terms

OVERLAP_WEIGHT = 0.35
PHRASE_WEIGHT = 0.3
PHRASE_WORDS = 4  # a run of this many question words, in order, counts as an exact phrase
# Across languages a question word is also found when the model puts a word of the candidate this close
# to it ('meeting' / 'reunión', 'missiles' / 'misiles'): spelling cannot see most translations. Chosen
# on XQuAD English questions among 0.89, 0.91 and off (docs/answer-gate.md): 0.89 also matched near
# neighbours ('president' / 'mayor') and made unrelated news pass.
WORD_MATCH = 0.91
# Word vectors are embedded only for the texts that could still reach this rank with every question word
# found: a cited answer has at most 3 sentences, and embedding every word of 50 candidates is slow.
MAX_CONTENDERS = 6
# The gate each model was calibrated for (bench/answer_gate.py, docs/answer-gate.md), as (question and
# passage in the same language, in different languages): across languages cosines run lower, so one
# gate would either refuse English questions over Spanish articles or answer unrelated Spanish ones.
GATES = {
    "intfloat/multilingual-e5-small": (0.43, 0.35),
    "sentence-transformers/all-MiniLM-L6-v2": (0.34, 0.34),  # the earlier gate, not recalibrated
}
DEFAULT_GATE = (0.43, 0.35)

# Words that only frame the question ("how long", "¿cuántos…?"): the answer never repeats them, so
# counting them would lower the overlap of the very sentence that answers.
_FRAME = re.compile(r"\b(?:how (?:long|many|much|often|far|old|big)|cuant[oa]s?|cuales?)\b")
_SURFACE_WORD = re.compile(r"[^\W_]+")
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

    def __init__(self, text: str, vector: np.ndarray, backgrounds: Mapping[str, float], gates: tuple[float, float],
                 language: str = "es", doc_languages: Mapping[str, str] | None = None,
                 word_vectors: Callable[[Sequence[str]], np.ndarray] | None = None):
        self.word_vectors = word_vectors  # embeds single words; None: spelling alone decides overlap
        self.text = text
        self.vector = vector
        self.backgrounds = backgrounds  # {candidate language: background}; the question's language is the fallback
        if language not in backgrounds:
            raise ValueError(f"no background for the question's language {language!r}; have {sorted(backgrounds)}")
        self.gates = gates
        self.language = language
        self.doc_languages = doc_languages or {}
        content = _FRAME.sub(" ", " ".join(words(text)))
        self._stems = set(query_terms(content))
        self._keys = set(cognate_keys(content))
        self._content = [w for w in _content_words(text) if f" {fold(w)} " in f" {content} "]
        self._content_vectors: np.ndarray | None = None
        self._quoted = [q for q in (" ".join(words(m)) for m in _QUOTED.findall(text)) if len(q.split()) >= 2]
        self._words = words(text)

    def with_text(self, text: str) -> "Scorer":
        """The same question vector, with words (overlap, phrases) taken from `text` (a topic)."""
        return Scorer(text, self.vector, self.backgrounds, self.gates, self.language, self.doc_languages,
                      self.word_vectors)

    def background(self, doc_id: str | None) -> float:
        """The background for a candidate of document `doc_id` (unknown documents: the question's language)."""
        language = self.doc_languages.get(doc_id, self.language)
        return self.backgrounds.get(language, self.backgrounds[self.language])

    def score(self, text: str, vector: np.ndarray, doc_id: str | None = None) -> Relevance:
        return Relevance(lift(float(vector @ self.vector), self.background(doc_id)), self.overlap(text), self.phrase(text))

    def score_many(self, texts: Sequence[str], vectors: np.ndarray, doc_ids: Sequence[str | None] | None = None
                   ) -> list[Relevance]:
        """`score` for each text; `doc_ids` (one a text) choose each candidate's background."""
        cosines = np.atleast_1d(vectors @ self.vector) if len(texts) else []
        ids = doc_ids if doc_ids is not None else [None] * len(texts)
        across = [self.doc_languages.get(d, self.language) != self.language for d in ids]
        lifts = [lift(float(c), self.background(d)) for c, d in zip(cosines, ids)]
        overlaps = [self.overlap(t) for t in texts]
        phrases = [self.phrase(t) for t in texts]
        if self.word_vectors is not None and self._content and any(across):
            spelled = [lf + OVERLAP_WEIGHT * o + PHRASE_WEIGHT * ph for lf, o, ph in zip(lifts, overlaps, phrases)]
            for i, share in self._word_overlaps(texts, self._contenders(spelled, overlaps, across)).items():
                overlaps[i] = max(overlaps[i], share)
        return [Relevance(lf, o, ph) for lf, o, ph in zip(lifts, overlaps, phrases)]

    @staticmethod
    def _contenders(spelled: Sequence[float], overlaps: Sequence[float], across: Sequence[bool]) -> list[int]:
        """Texts of another language whose score could still reach the top MAX_CONTENDERS with every
        question word found, best first: embedding the words of the rest could not change the answer."""
        bar = sorted(spelled, reverse=True)[min(MAX_CONTENDERS, len(spelled)) - 1]
        able = [i for i, a in enumerate(across) if a and spelled[i] + OVERLAP_WEIGHT * (1.0 - overlaps[i]) >= bar]
        return sorted(able, key=lambda i: -spelled[i])[:MAX_CONTENDERS]

    def _word_overlaps(self, texts: Sequence[str], chosen: Sequence[int]) -> dict[int, float]:
        """{index: share of the question's content words found in texts[index]}, by spelling or by a word
        of the text within WORD_MATCH of it, for the `chosen` texts."""
        per_text = {i: _content_words(texts[i]) for i in chosen}
        vocabulary = list(dict.fromkeys(w for ws in per_text.values() for w in ws))
        if not vocabulary:
            return {}
        if self._content_vectors is None:
            self._content_vectors = self.word_vectors(self._content)
            self._content_spelling = [(set(cognate_keys(q)), set(query_terms(q))) for q in self._content]
        similar = self._content_vectors @ self.word_vectors(vocabulary).T >= WORD_MATCH  # question × vocabulary
        column = {w: j for j, w in enumerate(vocabulary)}
        shares = {}
        for i, ws in per_text.items():
            if not ws:
                continue
            keys = set(cognate_keys(texts[i]))
            found_stems = set(stems(texts[i], "es")) | set(stems(texts[i], "en"))
            columns = [column[w] for w in ws]
            found = sum(bool(similar[q, columns].any()) or bool(q_keys & keys) or bool(q_stems & found_stems)
                        for q, (q_keys, q_stems) in enumerate(self._content_spelling))
            shares[i] = found / len(self._content)
        return shares

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


def _content_words(text: str) -> list[str]:
    """Distinct lower-case words of `text` that carry meaning (no stopword of either language, no number,
    at least three letters), accents kept: the model reads 'periódico' better than 'periodico'."""
    out = []
    for w in _SURFACE_WORD.findall(text.lower()):
        f = fold(w)
        if len(f) >= 3 and not f.isdigit() and f not in STOPWORDS["es"] and f not in STOPWORDS["en"]:
            out.append(w)
    return list(dict.fromkeys(out))


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
