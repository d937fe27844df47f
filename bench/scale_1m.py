"""The dense side at 1M chunks as fuentes builds it: HNSW (fp16, M=32, the store's efConstruction)
against exact search, with recall@10, single-query latency and resident memory.

Vectors come from bench/synthetic.py (real sentence embeddings recombined, plus noise), as in
bench/speed.py. Usage: python bench/scale_1m.py [--n 1000000] [--queries 200]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import faiss  # noqa: E402
import numpy as np  # noqa: E402
import psutil  # noqa: E402

from bench import synthetic  # noqa: E402
from index import store  # noqa: E402


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--efs", default="128,256,512,1024", help="efSearch values, comma-separated")
    parser.add_argument("--json", type=Path, default=ROOT / "docs" / "benchmarks-scale-1m.json")
    args = parser.parse_args()
    from index.embedding import load_embedder

    embedder = load_embedder()
    sentences = synthetic.real_sentences(embedder.count_tokens)
    sentence_vectors = embedder.embed(sentences.texts)
    queries = embedder.embed(synthetic.questions(args.queries))
    plans = synthetic.passage_plans(sentences, args.n, seed=args.n)
    xb = synthetic.passage_vectors(sentence_vectors, plans, seed=args.n)
    del plans
    result: dict = {"n": args.n, "queries": len(queries), "efConstruction": store.HNSW_EF_CONSTRUCTION}

    exact = faiss.IndexFlatIP(xb.shape[1])
    exact.add(xb)
    faiss.omp_set_num_threads(1)
    times = []
    for q in queries:
        t = time.perf_counter()
        exact.search(q[None, :], 10)
        times.append((time.perf_counter() - t) * 1000)
    _, truth = exact.search(queries, 10)
    result["exact_ms_p50"] = float(np.median(times))
    del exact

    faiss.omp_set_num_threads(2)
    base = rss_mb()
    graph = faiss.IndexHNSWSQ(xb.shape[1], faiss.ScalarQuantizer.QT_fp16, store.HNSW_M, faiss.METRIC_INNER_PRODUCT)
    graph.hnsw.efConstruction = store.HNSW_EF_CONSTRUCTION
    t = time.perf_counter()
    graph.add(xb)
    result["hnsw_build_s"] = time.perf_counter() - t
    del xb
    result["hnsw_rss_mb"] = rss_mb() - base
    faiss.omp_set_num_threads(1)
    result["by_ef"] = {}
    for ef in (int(e) for e in args.efs.split(",")):
        graph.hnsw.efSearch = ef
        times = []
        found = []
        for q in queries:
            t = time.perf_counter()
            _, ids = graph.search(q[None, :], 10)
            times.append((time.perf_counter() - t) * 1000)
            found.append(ids[0])
        recall = float(np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth)]))
        result["by_ef"][ef] = {"recall@10": recall, "p50_ms": float(np.median(times)),
                               "p95_ms": float(np.percentile(times, 95))}
        print(ef, result["by_ef"][ef], flush=True)
    result["process_rss_mb"] = rss_mb()
    args.json.write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
