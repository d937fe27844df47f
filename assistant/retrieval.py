"""Dense, lexical (BM25) and hybrid search: dense, stems and cognate keys fused by reciprocal rank."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass

import numpy as np

from index.embedding import DEFAULT_MODEL, Embedder, canonical_model_name
from index.filters import Filters
from index.protocol import Store
from index.text import LANGUAGES, STOPWORDS, cognate_keys, detect_language, stems, words

from .limits import MODES
from .types import Hit

# A smaller k than the usual 60 lets a confident first rank count (both models below use 10).
RRF_K = 10
_MIN_DEPTH = 50  # candidates taken from each side before fusion
# The graph search of a hybrid query runs here while the calling thread scores BM25: FAISS releases the
# GIL, so the two sides overlap on two cores (bench/speed.py --store, docs/benchmarks-speed.md).
_DENSE_THREADS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="fuentes-dense")


def query_terms(text: str) -> list[str]:
    """Stems of every content word in both languages: the question's language need not be the article's."""
    content = " ".join(w for w in words(text) if not any(w in STOPWORDS[lang] for lang in LANGUAGES))
    terms: list[str] = []
    for language in LANGUAGES:
        terms += stems(content, language)
    return list(dict.fromkeys(terms))


@dataclass(frozen=True)
class Fusion:
    """Weighted RRF, `w / (k + rank)` per list; as coverage c (share of the question's stems the index
    knows) rises, c³ moves weight from the dense list to the stems."""

    dense: float
    shift: float  # dense weight x (1 - shift * c³)
    boost: float  # stem weight x (1 + boost * c³)
    cognate: float = 1.0
    k: int = RRF_K


# Fitted per model on the even-numbered xquad paragraphs (es and en questions), checked on the odd
# ones and the seed dev set (docs/benchmarks-quality.md, bench/fusion_grid.py): the best mean of
# both languages among settings where English hybrid is not below dense alone.
# multilingual-e5-small's dense list is already 0.96 es / 0.94 en alone, so it leads; the stems
# still fix Spanish names and numbers the vectors blur.
E5_FUSION = Fusion(dense=6.0, shift=0.5, boost=1.0)
# all-MiniLM-L6-v2 is English-only (dense 0.66 on Spanish questions): the stems lead on Spanish
# questions. Kept for its indexes and for any model not fitted here.
BALANCED_FUSION = Fusion(dense=1.0, shift=0.8, boost=1.0)
FUSION_BY_MODEL = {DEFAULT_MODEL: E5_FUSION}


def fusion_for(model_name: str) -> Fusion:
    return FUSION_BY_MODEL.get(canonical_model_name(model_name), BALANCED_FUSION)


def fusion_weights(coverage: float, fusion: Fusion = E5_FUSION) -> dict[str, float]:
    """Trust the stems in proportion to how much of the question the index vocabulary knows.

    A Spanish question over Spanish articles has nearly all its words in the index (coverage
    ~0.97 on XQuAD); an English question over the same articles shares only names and numbers
    (~0.33), and the dense and cognate sides must carry it.
    """
    c3 = coverage ** 3
    return {"dense": fusion.dense * (1.0 - fusion.shift * c3), "lexical": 1.0 + fusion.boost * c3,
            "cognate": fusion.cognate}


def lexical_coverage(index: Store, query: str) -> float:
    """Share of the question's content stems, in its own language, that occur in the index."""
    language = detect_language(query, default="en")
    question_stems = stems(" ".join(w for w in words(query) if w not in STOPWORDS[language]), language)
    if not question_stems:
        return 0.0
    known = index.known_terms(question_stems)
    return sum(s in known for s in question_stems) / len(question_stems)


def reciprocal_rank_fusion(rankings: dict[str, list[tuple[int, float]]], k: int = RRF_K,
                           weights: dict[str, float] | None = None) -> list[tuple[int, float]]:
    """Fuse ranked (id, score) lists; an id missing from one list keeps its score from the others."""
    fused: dict[int, float] = {}
    for name, ranking in rankings.items():
        weight = 1.0 if weights is None else weights.get(name, 1.0)
        for rank, (item, _) in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))


class Retriever:
    def __init__(self, index: Store, embedder: Embedder):
        self.index = index
        self.embedder = embedder

    def search(self, query: str, k: int = 10, mode: str = "hybrid", filters: Filters = Filters(),
               query_vector: np.ndarray | None = None) -> list[Hit]:
        if mode not in MODES:
            raise ValueError(f"search mode {mode!r} is not one of {list(MODES)}")
        # One generation for every list of this search (stores without snapshots read per call).
        with getattr(self.index, "snapshot", nullcontext)():
            return self._search(query, k, mode, filters, query_vector)

    def _dense_in_this_generation(self):
        """`dense_search` for another thread, reading the generation this thread pinned."""
        view = self.index.view() if hasattr(self.index, "snapshot") else None

        def search(vector: np.ndarray, depth: int, allowed: Filters | None) -> list[tuple[int, float]]:
            with self.index.snapshot(view) if view is not None else nullcontext():
                return self.index.dense_search(vector, depth, allowed)
        return search

    def _search(self, query: str, k: int, mode: str, filters: Filters, query_vector: np.ndarray | None) -> list[Hit]:
        allowed = filters if filters.active else None
        depth = max(k, _MIN_DEPTH) if mode == "hybrid" else k
        rankings: dict[str, list[tuple[int, float]]] = {}
        dense = None
        if mode in ("dense", "hybrid"):
            vector = self.embedder.embed_query(query) if query_vector is None else query_vector
            if mode == "hybrid":
                dense = _DENSE_THREADS.submit(self._dense_in_this_generation(), vector, depth, allowed)
            else:
                rankings["dense"] = self.index.dense_search(vector, depth, allowed)
        if mode in ("lexical", "hybrid"):
            rankings["lexical"] = self.index.lexical_search(query_terms(query), depth, allowed)
        if mode == "hybrid":
            # Cognates bridge an English question and a Spanish article where stems cannot.
            rankings["cognate"] = self.index.lexical_search(cognate_keys(query), depth, allowed, field="cognates")

        if dense is not None:
            rankings = {"dense": dense.result(), **rankings}
        if mode == "hybrid":
            fusion = fusion_for(self.embedder.name)
            ranked = reciprocal_rank_fusion(rankings, fusion.k,
                                            fusion_weights(lexical_coverage(self.index, query), fusion))
        else:
            ranked = rankings[mode]
        ranked = ranked[:k]
        chunks = self.index.chunks([i for i, _ in ranked])
        by_retriever = {name: dict(ranking) for name, ranking in rankings.items()}
        return [
            Hit(chunks[i], score, rank,
                {name: scores[i] for name, scores in by_retriever.items() if i in scores})
            for rank, (i, score) in enumerate(ranked, start=1) if i in chunks
        ]
