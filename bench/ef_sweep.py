"""Hybrid search at several HNSW efSearch values against exact dense search, one process.

    nice -n 10 python bench/ef_sweep.py --index /tmp/speed2/idx100000 --qcache /tmp/speed2/qcache.pkl

The query cache holds (sentences, sentence vectors, questions, question vectors) as bench/speed.py
builds them. Reports per setting: hybrid p50/p95 excluding the encoder, dense recall@50 against exact,
and the hybrid top-10 overlap with the hybrid whose dense side is exact.
"""
import argparse
import json
import pickle
import sys
import time
from pathlib import Path

import faiss
import numpy as np

from assistant.retrieval import Retriever
from index import store
from index.store import Index

K = 10
DEPTH = 50


class _GivenVectors:
    """Stands for the encoder: every query vector is given, so nothing is embedded."""

    def __init__(self, name: str):
        self.name = name

    def embed_query(self, text: str):
        raise RuntimeError("the sweep passes every query vector; no encoder runs")


def _exact_segment(segment, query, k, valid, n_rows):
    rows = None if valid is None else np.flatnonzero(valid)
    matrix = segment.vectors if rows is None else np.ascontiguousarray(segment.vectors[rows])
    with store.faiss_threads(1):
        D, I = faiss.knn(query.reshape(1, -1), matrix, min(k, len(matrix)), metric=faiss.METRIC_INNER_PRODUCT)
    return [(int(segment.ids[i if rows is None else rows[i]]), float(d)) for d, i in zip(D[0], I[0]) if i >= 0]


_ORIGINAL = (store._search_segment, store.hnsw_ef_search)


def use_setting(setting) -> None:
    """Dense search from here on: HNSW at efSearch `setting`, or "exact" (every vector scored)."""
    if setting == "exact":
        store._search_segment, store.hnsw_ef_search = _exact_segment, _ORIGINAL[1]
    else:
        store._search_segment = _ORIGINAL[0]
        store.hnsw_ef_search = lambda n, ef=int(setting): ef


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--qcache", type=Path, required=True)
    parser.add_argument("--efs", default="64,128,256,512")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, default=Path("docs/benchmarks-speed-ef.json"))
    args = parser.parse_args(argv)

    _, _, questions, qvec = pickle.loads(args.qcache.read_bytes())
    index = Index.open(args.index)
    retriever = Retriever(index, _GivenVectors(index.stats()["model"]))
    qv = dict(zip(questions, qvec))
    settle = use_setting
    settings = [int(e) for e in args.efs.split(",")] + ["exact"]
    tops, dense, times = {}, {}, {s: [] for s in settings}
    for s in settings:
        settle(s)
        tops[s] = {q: [h.chunk.id for h in retriever.search(q, K, "hybrid", query_vector=qv[q])] for q in questions}
        dense[s] = {q: [i for i, _ in index.dense_search(qv[q], DEPTH)] for q in questions}
    for _ in range(args.rounds):  # interleaved so load drift hits every setting alike
        for q in questions:
            for s in settings:
                settle(s)
                t0 = time.perf_counter()
                retriever.search(q, K, "hybrid", query_vector=qv[q])
                times[s].append((time.perf_counter() - t0) * 1000)
    store._search_segment, store.hnsw_ef_search = _ORIGINAL
    result = {"index": str(args.index), "queries": len(questions), "stats": index.stats(), "settings": {}}
    for s in settings:
        t = np.array(times[s])
        result["settings"][str(s)] = {
            "hybrid_p50_ms": float(np.percentile(t, 50)), "hybrid_p95_ms": float(np.percentile(t, 95)),
            "dense_recall_at_50_vs_exact": float(np.mean([len(set(dense[s][q]) & set(dense["exact"][q])) / DEPTH
                                                          for q in questions])),
            "dense_recall_at_10_vs_exact": float(np.mean([len(set(dense[s][q][:K]) & set(dense["exact"][q][:K])) / K
                                                          for q in questions])),
            "hybrid_top10_overlap_vs_exact": float(np.mean([len(set(tops[s][q]) & set(tops["exact"][q])) / K
                                                            for q in questions])),
            "hybrid_top10_identical_vs_exact": float(np.mean([tops[s][q] == tops["exact"][q] for q in questions])),
        }
    with open("/proc/loadavg") as f:
        result["loadavg"] = f.read().split()[:3]
    args.json.write_text(json.dumps(result, indent=2))
    print(json.dumps(result["settings"], indent=2), result["loadavg"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
