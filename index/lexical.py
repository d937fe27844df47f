"""In-memory BM25 over one segment's terms: postings arrays saved beside the vectors, FTS5's formula.

A segment's postings are term -> (rows, term frequencies) in CSR form over the segment's rows.
Scores use corpus-wide statistics (rows, document frequency, mean length) summed over all live
segments at query time, so a document scores the same whichever segment holds it, and ranking
equals SQLite FTS5's bm25() (k1 1.2, b 0.75, idf floored at 1e-6) on the same terms. Large segments
rank with MaxScore over per-term upper bounds stored with the postings: the same rows and scores, fewer
postings read (tests/test_maxscore.py).
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
# Try MaxScore (skip the long low-idf lists) when a query's postings in a segment are at least this many:
# below, the full sum is cheaper than MaxScore's extra steps (measured at 100k rows: 0.5 against 1.0 ms).
MAXSCORE_MIN_POSTINGS = 100_000
# Slack on upper bounds, so that rounding in a bound never skips a row that reaches the threshold.
_BOUND_SLACK = 1.0 + 1e-9
_SEED_ROWS = 4  # rows (times k) best on the highest-bound terms, scored exactly for a first bound of the k-th score
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
    # Per term, the largest tf (k1 + 1) / (tf + norm) over its postings with norms at `impact_mean_length`:
    # with idf, an upper bound of what the term adds to any row (MaxScore skips rows below it).
    max_impact: np.ndarray | None = None  # float64 (n_terms,)
    impact_mean_length: float = 0.0

    def __post_init__(self):
        if self.max_impact is None:  # built now, or loaded from a segment written before bounds were stored
            self.impact_mean_length = float(self.lengths.mean()) if len(self.lengths) else 1.0
            self.max_impact = _max_impacts(self.indptr, self.rows, self.tf,
                                           length_norms(self.lengths, self.impact_mean_length))

    def impact_bounds(self, columns: np.ndarray, mean_length: float) -> np.ndarray:
        """Upper bounds of tf (k1 + 1) / (tf + norm) per column when the corpus mean length is `mean_length`.
        A longer mean shrinks every norm by at most impact_mean_length / mean_length, so the stored maxima
        scale by the inverse; a shorter one only grows the norms."""
        scale = max(1.0, mean_length / max(self.impact_mean_length, 1e-9))
        return self.max_impact[columns] * scale * _BOUND_SLACK

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
                 tf=self.tf, lengths=self.lengths, max_impact=self.max_impact,
                 impact_mean_length=np.float64(self.impact_mean_length))

    @classmethod
    def load(cls, path: Path) -> "Postings":
        with np.load(path) as data:
            text = str(data["terms"])
            terms = text.split("\n") if text else []
            bounds = ({"max_impact": data["max_impact"], "impact_mean_length": float(data["impact_mean_length"])}
                      if "max_impact" in data.files else {})
            return cls({t: i for i, t in enumerate(terms)}, data["indptr"], data["rows"], data["tf"], data["lengths"],
                       **bounds)


def _max_impacts(indptr: np.ndarray, rows: np.ndarray, tf: np.ndarray, norms: np.ndarray,
                 block: int = 1 << 22) -> np.ndarray:
    """Per term, the largest tf (k1 + 1) / (tf + norm) over its postings, in blocks of whole terms so a
    1M-row segment needs no double per posting at once; 0 for a term left without postings."""
    n_terms = len(indptr) - 1
    result = np.zeros(n_terms, dtype=np.float64)
    first = 0
    while first < n_terms:
        last = int(np.searchsorted(indptr, indptr[first] + block, side="right")) - 1
        last = min(max(last, first + 1), n_terms)
        start, stop = int(indptr[first]), int(indptr[last])
        if stop > start:
            t = tf[start:stop].astype(np.float64)
            impact = t * (K1 + 1.0) / (t + norms[rows[start:stop]])
            counts = np.diff(indptr[first:last + 1])
            filled = counts > 0
            result[first:last][filled] = np.maximum.reduceat(impact, (indptr[first:last] - start)[filled])
        first = last
    return result


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
               valid: np.ndarray | None = None,
               mean_length: float | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """(rows, BM25 scores) of the k best rows of one segment among the `valid` ones, best first, ties by row;
    None when no term occurs. All the terms' postings are gathered at once and summed per row in doubles, as
    FTS5 computes: on XQuAD every top-10 list equals FTS5's (float32 sums differed on 1-2 % of questions). When the terms' postings are few against the segment's rows (a 1M-row segment,
    a query of rare words), the touched rows alone are summed and ranked: a sort of the postings instead of a
    pass over every row. Sums run in the same order either way, so the scores are identical.
    Given the corpus `mean_length` the norms were computed with, long postings lists of low-idf terms are
    skipped where they cannot change the top k (`_max_score`), with the same result."""
    if mean_length is not None:
        found = _max_score(postings, terms, term_idf, norms, k, valid, mean_length)
        if found is not None:
            return found
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
    touched, sums = _sum_by_row(rows, contribution)
    if valid is not None:
        keep = valid[touched]
        touched, sums = touched[keep], sums[keep]
    best = top_rows(sums, k)
    return touched[best], sums[best]


def _sum_by_row(rows: np.ndarray, contribution: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(ascending distinct rows, their sums). A stable sort keeps each row's terms in query order and bincount
    adds them one after another, as the full pass does (np.add.reduceat pairs them differently: last bits)."""
    order = np.argsort(rows, kind="stable")
    rows = rows[order]
    first = np.concatenate(([True], rows[1:] != rows[:-1]))
    group = np.cumsum(first) - 1
    return rows[first], np.bincount(group, weights=contribution[order], minlength=int(group[-1]) + 1)


def _max_score(postings: Postings, terms: Sequence[str], term_idf: np.ndarray, norms: np.ndarray, k: int,
               valid: np.ndarray | None, mean_length: float) -> tuple[np.ndarray, np.ndarray] | None:
    """MaxScore: the same top k as the full sum, or None when skipping would not pay (then the caller sums all).

    Terms are taken by upper bound, highest first, until the bounds of the rest sum below a lower bound of the
    k-th score (the exact k-th best score among the rows best on the highest-bound list). A row that
    only the rest hold cannot reach the top k, so only the taken ("essential") lists are summed, as partial
    scores; the k-th best partial score raises the lower bound, and rows whose partial score plus the rest's
    bounds stays below it are dropped. The few left get every term's contribution, summed in query order as
    the full pass sums them, by binary search in each term's rows."""
    columns, weights = [], []
    for term, weight in zip(terms, term_idf):
        column = postings.vocabulary.get(term)
        if column is not None:
            columns.append(column)
            weights.append(weight)
    if len(columns) < 2:
        return None
    columns = np.asarray(columns)
    starts, stops = postings.indptr[columns], postings.indptr[columns + 1]
    if int((stops - starts).sum()) < MAXSCORE_MIN_POSTINGS:
        return None
    weights = np.asarray(weights, dtype=np.float64)
    bounds = weights * postings.impact_bounds(columns, mean_length)
    order = np.argsort(-bounds, kind="stable")
    rest = np.concatenate((np.cumsum(bounds[order][::-1])[::-1], [0.0]))  # rest[j]: bounds of order[j:]
    # Lower bound of the k-th score: exact scores of the rows best on the highest-bound terms (one list
    # usually; more while they hold fewer than k valid rows).
    lengths = stops - starts
    n_seed = min(int(np.searchsorted(np.cumsum(lengths[order]), _SEED_ROWS * k)) + 1, len(columns))
    touched, partial = _partial_scores(postings, order[:n_seed], starts, stops, weights, norms, valid)
    best = top_rows(partial, _SEED_ROWS * k)
    if len(best) < k:
        return None
    seed_rows = np.sort(touched[best])
    threshold = float(np.sort(_scores_of(postings, seed_rows, starts, stops, weights, norms))[-k])
    n_essential = int(np.argmax(rest * _BOUND_SLACK < threshold / _BOUND_SLACK))  # first j whose rest is below
    if n_essential == 0 or n_essential >= len(columns):
        return None
    if n_essential != n_seed:
        touched, partial = _partial_scores(postings, order[:n_essential], starts, stops, weights, norms, valid)
    kth = top_rows(partial, k)  # a partial score never exceeds the row's score: a lower bound again
    if len(kth) == k:
        threshold = max(threshold, float(partial[kth[-1]]))
    candidates, partial = touched, partial
    # Add the skipped terms' contributions one list at a time, highest bound first, dropping after each the
    # rows that cannot reach the k-th score even with every remaining bound. Slack both ways: rounding in a
    # partial sum or a bound never drops a row that reaches it.
    for j in range(n_essential, len(columns) + 1):
        cut = (threshold / _BOUND_SLACK - rest[j] * _BOUND_SLACK) / _BOUND_SLACK
        keep = partial >= cut
        candidates, partial = candidates[keep], partial[keep]
        if j == len(columns) or len(candidates) <= k:
            break
        i = order[j]
        partial = partial + _lookup(postings, starts[i], stops[i], weights[i], norms, candidates)
        kth = top_rows(partial, k)
        if len(kth) == k:
            threshold = max(threshold, float(partial[kth[-1]]))
    scores = _scores_of(postings, candidates, starts, stops, weights, norms)
    best = top_rows(scores, k)
    return candidates[best], scores[best]


def _partial_scores(postings: Postings, terms: np.ndarray, starts: np.ndarray, stops: np.ndarray,
                    weights: np.ndarray, norms: np.ndarray, valid: np.ndarray | None):
    """(ascending rows, sums over the given terms only) of the valid rows they hold: a lower bound of each
    row's score. Sorted, not summed over every row: at 1M rows a pass over all of them costs ~4 ms alone."""
    rows = np.concatenate([postings.rows[starts[i]:stops[i]] for i in terms])
    tf = np.concatenate([postings.tf[starts[i]:stops[i]] for i in terms]).astype(np.float64)
    per_posting = np.repeat(weights[terms], stops[terms] - starts[terms])
    contribution = per_posting * tf * (K1 + 1.0) / (tf + norms[rows])
    if len(terms) > 1:  # one term's rows are ascending and distinct already
        rows, contribution = _sum_by_row(rows, contribution)
    if valid is not None:
        keep = valid[rows]
        rows, contribution = rows[keep], contribution[keep]
    return rows, contribution


def _scores_of(postings: Postings, rows: np.ndarray, starts: np.ndarray, stops: np.ndarray, weights: np.ndarray,
               norms: np.ndarray) -> np.ndarray:
    """BM25 of the given ascending rows, summed term by term in query order as the full pass sums them."""
    scores = np.zeros(len(rows), dtype=np.float64)
    for start, stop, weight in zip(starts, stops, weights):
        scores += _lookup(postings, start, stop, weight, norms, rows)
    return scores


def _lookup(postings: Postings, start: int, stop: int, weight: float, norms: np.ndarray,
            rows: np.ndarray) -> np.ndarray:
    """One term's contribution to each of the given ascending rows (0 where it does not occur)."""
    found = np.zeros(len(rows), dtype=np.float64)
    term_rows, term_tf = postings.rows[start:stop], postings.tf[start:stop]
    if not len(rows) or not len(term_rows):
        return found
    if len(term_rows) <= len(rows):  # walk the shorter side: this term's postings into the rows
        at = np.minimum(np.searchsorted(rows, term_rows), len(rows) - 1)
        hit = rows[at] == term_rows
        where, tf = at[hit], term_tf[hit].astype(np.float64)
    else:  # or the rows into this term's postings
        at = np.minimum(np.searchsorted(term_rows, rows), len(term_rows) - 1)
        where = np.flatnonzero(term_rows[at] == rows)
        tf = term_tf[at[where]].astype(np.float64)
    found[where] = weight * tf * (K1 + 1.0) / (tf + norms[rows[where]])
    return found


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
