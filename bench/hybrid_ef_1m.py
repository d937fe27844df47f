"""Hybrid search (query vector given) at the store's efSearch against lower ones, interleaved per question,
with the hybrid top-10 overlap against the store's setting; wall time and this thread's CPU time.

    nice -n 10 python bench/hybrid_ef_1m.py --index /tmp/speed4/store-1000000 --efs 1024,512,256
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import synthetic  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--efs", default="1024,512,256", help="the first is the reference")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    from assistant.retrieval import Retriever
    from index import store
    from index.embedding import load_embedder

    embedder = load_embedder()
    questions = synthetic.questions(max(args.queries, 200))[:args.queries]
    qvec = embedder.embed(questions, role="query")
    index = store.Index.open(args.index)
    retriever = Retriever(index, embedder)
    efs = [int(e) for e in args.efs.split(",")]
    wall = {ef: [] for ef in efs}
    cpu = {ef: [] for ef in efs}
    lists = {ef: [] for ef in efs}
    for round_ in range(args.rounds):
        for q, v in zip(questions, qvec):
            for ef in efs:
                store.hnsw_ef_search = lambda n, ef=ef: ef
                w, c = time.perf_counter(), time.thread_time()
                hits = retriever.search(q, 10, "hybrid", query_vector=v)
                wall[ef].append((time.perf_counter() - w) * 1000)
                cpu[ef].append((time.thread_time() - c) * 1000)
                if round_ == 0:
                    lists[ef].append([h.chunk.id for h in hits])
    ref = lists[efs[0]]
    result = {"load": os.getloadavg(), "by_efsearch": {str(ef): {
        "wall_p50": float(np.median(wall[ef])), "wall_p95": float(np.percentile(wall[ef], 95)),
        "main_thread_cpu_p50": float(np.median(cpu[ef])),
        "top10_overlap_with_first": float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(lists[ef], ref)])),
        "identical_top10_with_first": float(np.mean([a == b for a, b in zip(lists[ef], ref)]))} for ef in efs}}
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
