"""In-memory BM25 over one segment's terms: postings arrays saved beside the vectors, FTS5's formula.

A segment's postings are term -> (rows, term frequencies) in CSR form over the segment's rows.
Scores use corpus-wide statistics (rows, document frequency, mean length) summed over all live
segments at query time, so a document scores the same whichever segment holds it, and ranking
equals SQLite FTS5's bm25() (k1 1.2, b 0.75, idf floored at 1e-6) on the same terms.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

K1 = 1.2
B = 0.75
# Rank only the rows a query touches when its postings are fewer than this share of a segment's rows.
SPARSE_RATIO = 8
_IDF_FLOOR = 1e-6  # FTS5 gives common terms (idf <= 0) this tiny weight instead of a negative one
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)  # what FTS5's unicode61 tokenizer keeps of stored terms


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


@dataclass
class Postings:
    """Term postings of one segment's rows (row i is the segment's i-th chunk)."""

    vocabulary: dict[str, int]
    indptr: np.ndarray  # int64 (n_terms + 1,)
    rows: np.ndarray  # int32 row per posting, ascending within a term
    tf: np.ndarray  # float32 term frequency per posting
    lengths: np.ndarray  # float32 tokens per row

    @classmethod
    def build(cls, texts: Sequence[str]) -> "Postings":
        """Postings for rows whose stored terms are `texts` (space-separated terms)."""
        vocabulary: dict[str, int] = {}
        term_ids: list[int] = []
        row_ids: list[int] = []
        lengths = np.zeros(len(texts), dtype=np.float32)
        for row, text in enumerate(texts):
            found = tokens(text)
            lengths[row] = len(found)
            for term in found:
                term_ids.append(vocabulary.setdefault(term, len(vocabulary)))
                row_ids.append(row)
        return cls._from_pairs(vocabulary, np.asarray(term_ids, dtype=np.int64),
                               np.asarray(row_ids, dtype=np.int64), lengths)

    @classmethod
    def _from_pairs(cls, vocabulary: dict[str, int], term_ids: np.ndarray, row_ids: np.ndarray,
                    lengths: np.ndarray, counts: np.ndarray | None = None) -> "Postings":
        n_terms, n_rows = len(vocabulary), max(len(lengths), 1)
        keys = term_ids * n_rows + row_ids
        unique, inverse = np.unique(keys, return_inverse=True)
        tf = np.bincount(inverse, weights=counts, minlength=len(unique)).astype(np.float32)
        terms_of = unique // n_rows
        indptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(np.bincount(terms_of, minlength=n_terms), out=indptr[1:])
        return cls(vocabulary, indptr, (unique % n_rows).astype(np.int32), tf, lengths)

    @classmethod
    def concatenate(cls, parts: Sequence[tuple["Postings", np.ndarray]]) -> "Postings":
        """One postings over the kept rows of several, in order; each part comes with a keep-mask over its rows."""
        vocabulary: dict[str, int] = {}
        term_ids, row_ids, counts, lengths = [], [], [], []
        offset = 0
        for postings, keep in parts:
            new_row = np.cumsum(keep) - 1 + offset
            remap = np.array([vocabulary.setdefault(t, len(vocabulary)) for t in postings.vocabulary], dtype=np.int64)
            per_term = np.diff(postings.indptr)
            terms = np.repeat(np.arange(len(per_term)), per_term)
            kept = keep[postings.rows]
            term_ids.append(remap[terms[kept]] if len(remap) else terms[kept])
            row_ids.append(new_row[postings.rows[kept]])
            counts.append(postings.tf[kept])
            lengths.append(postings.lengths[keep])
            offset += int(keep.sum())
        return cls._from_pairs(vocabulary, np.concatenate(term_ids), np.concatenate(row_ids),
                               np.concatenate(lengths), np.concatenate(counts))

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        column = self.vocabulary.get(term)
        if column is None:
            return _EMPTY_ROWS, _EMPTY_TF
        start, stop = self.indptr[column], self.indptr[column + 1]
        return self.rows[start:stop], self.tf[start:stop]

    def save_to(self, file) -> None:
        np.savez(file, terms=np.array("\n".join(self.vocabulary)), indptr=self.indptr, rows=self.rows,
                 tf=self.tf, lengths=self.lengths)

    @classmethod
    def load(cls, path: Path) -> "Postings":
        with np.load(path) as data:
            text = str(data["terms"])
            terms = text.split("\n") if text else []
            return cls({t: i for i, t in enumerate(terms)}, data["indptr"], data["rows"], data["tf"], data["lengths"])


_EMPTY_ROWS = np.zeros(0, dtype=np.int32)
_EMPTY_TF = np.zeros(0, dtype=np.float32)


def idf(n_rows: int, document_frequency: np.ndarray) -> np.ndarray:
    """FTS5's idf per term, floored at a tiny positive weight."""
    df = np.asarray(document_frequency, dtype=np.float64)
    value = np.log((n_rows - df + 0.5) / (df + 0.5))
    return np.where(value > 0, value, _IDF_FLOOR)


def length_norms(lengths: np.ndarray, mean_length: float) -> np.ndarray:
    """The length part of BM25's denominator per row: k1 (1 - b + b len / mean length)."""
    return K1 * (1.0 - B + B * lengths.astype(np.float64) / max(mean_length, 1e-9))


def top_scores(postings: Postings, terms: Sequence[str], term_idf: np.ndarray, norms: np.ndarray, k: int,
               valid: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """(rows, BM25 scores) of the k best rows of one segment among the `valid` ones, best first, ties by row;
    None when no term occurs. All the terms' postings are gathered at once and summed per row in doubles, as
    FTS5 computes: on XQuAD every top-10 list equals FTS5's (float32 sums differed on 1-2 % of questions). When the terms' postings are few against the segment's rows (a 1M-row segment,
    a query of rare words), the touched rows alone are summed and ranked: a sort of the postings instead of a
    pass over every row. Sums run in the same order either way, so the scores are identical."""
    gathered = _contributions(postings, terms, term_idf, norms)
    if gathered is None:
        return None
    rows, contribution = gathered
    if len(rows) * SPARSE_RATIO >= len(postings.lengths):
        scores = np.bincount(rows, weights=contribution, minlength=len(postings.lengths))
        if valid is not None:
            scores[~valid] = 0.0
        best = top_rows(scores, k)
        return best, scores[best]
    order = np.argsort(rows, kind="stable")  # stable: a row's terms are summed in query order, as bincount does
    rows, contribution = rows[order], contribution[order]
    starts = np.flatnonzero(np.concatenate(([True], rows[1:] != rows[:-1])))
    touched, sums = rows[starts], np.add.reduceat(contribution, starts)
    if valid is not None:
        keep = valid[touched]
        touched, sums = touched[keep], sums[keep]
    best = top_rows(sums, k)
    return touched[best], sums[best]


def _contributions(postings: Postings, terms: Sequence[str], term_idf: np.ndarray, norms: np.ndarray):
    """(rows, BM25 contribution) of every posting of `terms`, in query order; None when no term occurs."""
    starts, stops, weights = [], [], []
    for term, weight in zip(terms, term_idf):
        column = postings.vocabulary.get(term)
        if column is not None:
            starts.append(postings.indptr[column])
            stops.append(postings.indptr[column + 1])
            weights.append(weight)
    if not starts:
        return None
    rows = np.concatenate([postings.rows[a:b] for a, b in zip(starts, stops)])
    tf = np.concatenate([postings.tf[a:b] for a, b in zip(starts, stops)]).astype(np.float64)
    per_posting_idf = np.repeat(np.asarray(weights), np.subtract(stops, starts))
    return rows, per_posting_idf * tf * (K1 + 1.0) / (tf + norms[rows])


def top_rows(values: np.ndarray, k: int, sample_step: int = 16) -> np.ndarray:
    """Rows of the k highest positive values, best first, ties by ascending row.

    The k-th largest value of a strided sample is a lower bound of the k-th largest overall, so only
    rows at or above it are ranked: a comparison over the array instead of a selection over it.
    (A sort of the sample, not np.partition: partition crawls over the many equal zeros.)"""
    threshold = 0.0
    if len(values) > 4 * k:
        sample = np.sort(values[::sample_step])
        if len(sample) >= k:
            threshold = float(sample[-k])
    candidates = np.flatnonzero(values >= threshold) if threshold > 0 else np.flatnonzero(values > 0)
    order = np.lexsort((candidates, -values[candidates]))[:k]
    return candidates[order]
