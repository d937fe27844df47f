"""BM25 with MaxScore against the full sum, hybrid search, and the graph's efSearch against exact dense, on a
built store (the 1M synthetic index of `bench/speed.py --store`, or the 100k one), all in one process.

    nice -n 10 python bench/maxscore_1m.py --index /tmp/speed4/store-1000000 --json docs/benchmarks-speed-round4-1m.json

Paths are interleaved per question (full sum, then MaxScore, then the hybrid both ways), three rounds; wall
time and this thread's CPU time are both kept, because other jobs share the two cores. Every MaxScore list
is compared with the full sum's (ids and scores). Dense: each efSearch against exact search over every live
vector (`faiss.knn`), recall@10 / @50 and the latency of `Index.dense_search`.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import faiss
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import synthetic  # noqa: E402
from bench.speed import machine  # noqa: E402

K = 10
LISTS = 50  # what the retriever asks of each list


def timed(fn):
    wall, cpu = time.perf_counter(), time.thread_time()
    out = fn()
    return out, (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000


def summary(values) -> dict:
    return {"p50": float(np.percentile(values, 50)), "p95": float(np.percentile(values, 95)),
            "mean": float(np.mean(values))}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--efs", default="64,128,256,512,1024")
    parser.add_argument("--json", type=Path, required=True)
    args = parser.parse_args(argv)

    from assistant.retrieval import Retriever, query_terms
    from index import lexical
    from index.embedding import load_embedder
    from index.store import Index
    from index.text import cognate_keys

    embedder = load_embedder()
    questions = synthetic.questions(max(args.queries, 200))[:args.queries]
    qvec = embedder.embed(questions, role="query")
    t0 = time.perf_counter()
    index = Index.open(args.index)
    view = index.view()
    result: dict = {"machine": machine(), "index": str(args.index), "open_s": time.perf_counter() - t0,
                    "rows": view.n_rows, "live": view.n_live, "segments": [len(s) for s in view.segments],
                    "load_before": os.getloadavg()}
    retriever = Retriever(index, embedder)
    full_limit = lexical.MAXSCORE_MIN_POSTINGS

    def with_limit(limit, fn):
        lexical.MAXSCORE_MIN_POSTINGS = limit
        try:
            return fn()
        finally:
            lexical.MAXSCORE_MIN_POSTINGS = full_limit

    paths = {
        "stems": lambda q, v: index.lexical_search(query_terms(q), LISTS),
        "cognates": lambda q, v: index.lexical_search(cognate_keys(q), LISTS, field="cognates"),
        "hybrid_vector_given": lambda q, v: [(h.chunk.id, h.score) for h in
                                             retriever.search(q, K, "hybrid", query_vector=v)],
    }
    times = {f"{name}_{way}_{clock}": [] for name in paths for way in ("full", "maxscore") for clock in ("wall", "cpu")}
    differ = {name: 0 for name in paths}
    for q, v in list(zip(questions, qvec))[:3]:  # warm-up
        for fn in paths.values():
            fn(q, v)
    for round_ in range(args.rounds):
        for n, (q, v) in enumerate(zip(questions, qvec)):
            for name, fn in paths.items():
                found = {}
                # which way runs first alternates: the first call on a question pays its cache misses
                for way in (("full", "maxscore") if (n + round_) % 2 == 0 else ("maxscore", "full")):
                    limit = 10**15 if way == "full" else full_limit
                    found[way], wall, cpu = timed(lambda: with_limit(limit, lambda: fn(q, v)))
                    times[f"{name}_{way}_wall"].append(wall)
                    times[f"{name}_{way}_cpu"].append(cpu)
                differ[name] += found["full"] != found["maxscore"]
    result["latency_ms"] = {name: summary(values) for name, values in times.items()}
    result["lists_differing_from_full_sum"] = differ
    print(json.dumps(result["latency_ms"], indent=1), differ, flush=True)

    # Dense: the graph at several efSearch values against exact search over every live vector.
    ids, matrix = index.all_vectors()
    from index import store
    faiss.omp_set_num_threads(2)
    _, exact_rows = faiss.knn(np.ascontiguousarray(qvec, dtype=np.float32), matrix, LISTS,
                              metric=faiss.METRIC_INNER_PRODUCT)
    truth = ids[exact_rows]
    del matrix
    faiss.omp_set_num_threads(1)
    dense = {}
    default_ef = store.hnsw_ef_search(view.n_rows)
    for ef in [int(e) for e in args.efs.split(",") if e]:
        store.hnsw_ef_search = lambda n_vectors, ef=ef: ef  # the store's setting, replaced for this sweep
        found, walls = [], []
        for v in qvec:
            hits, wall, _ = timed(lambda: index.dense_search(v, LISTS))
            found.append([h[0] for h in hits])
            walls.append(wall)
        dense[str(ef)] = {"recall@10": float(np.mean([len(set(f[:K]) & set(t[:K])) / K for f, t in zip(found, truth)])),
                          "recall@50": float(np.mean([len(set(f) & set(t)) / LISTS for f, t in zip(found, truth)])),
                          "latency_ms": summary(walls)}
        print(ef, dense[str(ef)], flush=True)
    result["dense_by_efsearch"] = dense
    result["store_efsearch_at_this_size"] = default_ef
    result["load_after"] = os.getloadavg()
    args.json.write_text(json.dumps(result, indent=1))
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
