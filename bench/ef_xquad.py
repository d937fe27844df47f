"""XQuAD's chunks inside one HNSW graph with a 100k index's distractor vectors: nDCG@10 / MRR@10 by efSearch.

    nice -n 10 python bench/ef_xquad.py --distractors /tmp/speed2/idx100000 --xquad-index /tmp/speed2/xquad-e5

The graph is built as the store builds it (`store.build_graph`) over every distractor vector and
every XQuAD chunk vector, so the gold chunks pass through the graph. Dense: the graph's top 50 (or
exact). Hybrid: that dense list fused as `Retriever` fuses it with the stems and cognate lists of the
XQuAD index alone (the lexical side does not depend on efSearch; distractors are left out of it).
"""
import argparse
import json
import sys
import time
from pathlib import Path

import faiss
import numpy as np

from assistant.evaluation import SEARCH_DEPTH, load_questions, ranking_metrics
from assistant.retrieval import (fusion_for, fusion_weights, lexical_coverage, query_terms,
                                 reciprocal_rank_fusion)
from index import store
from index.embedding import load_embedder
from index.store import Index
from index.text import cognate_keys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--distractors", type=Path, required=True)
    parser.add_argument("--xquad-index", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=Path("/work/shared/data/xquad/questions_es.jsonl"))
    parser.add_argument("--efs", default="64,128,256,512")
    parser.add_argument("--json", type=Path, default=Path("docs/benchmarks-speed-ef-xquad.json"))
    args = parser.parse_args(argv)

    xq = Index.open(args.xquad_index)
    model = xq.stats()["model"]
    dist_view = Index.open(args.distractors).view()
    xq_view = xq.view()
    xq_ids = np.concatenate([s.ids for s in xq_view.segments])
    xq_vectors = np.concatenate([s.vectors for s in xq_view.segments])
    xq_docs = {i: c.doc_id for i, c in xq.chunks([int(i) for i in xq_ids]).items()}
    distractors = np.concatenate([s.vectors for s in dist_view.segments])
    matrix = np.ascontiguousarray(np.concatenate([distractors, xq_vectors]), dtype=np.float32)
    # Row r >= len(distractors) is XQuAD chunk xq_ids[r - len(distractors)]; distractor rows map to -1.
    row_chunk = np.concatenate([np.full(len(distractors), -1), xq_ids])
    t0 = time.perf_counter()
    with store.faiss_threads(1):
        graph = store.build_graph(matrix)
    build_s = time.perf_counter() - t0

    embedder = load_embedder(model)
    qs = load_questions(args.questions).questions
    vectors = np.stack([embedder.embed_query(q.question) for q in qs]).astype(np.float32)
    gold = {q.id: list(q.gold_docs) for q in qs}
    lexical = {q.id: {"lexical": xq.lexical_search(query_terms(q.question), SEARCH_DEPTH),
                      "cognate": xq.lexical_search(cognate_keys(q.question), SEARCH_DEPTH, field="cognates")}
               for q in qs}
    fusion = fusion_for(model)
    weights = {q.id: fusion_weights(lexical_coverage(xq, q.question), fusion) for q in qs}

    def dense_lists(setting):
        with store.faiss_threads(1):
            if setting == "exact":
                D, I = faiss.knn(vectors, matrix, SEARCH_DEPTH, metric=faiss.METRIC_INNER_PRODUCT)
            else:
                D, I = graph.search(vectors, SEARCH_DEPTH, params=faiss.SearchParametersHNSW(efSearch=setting))
        # A distractor takes a place in the list under its own negative id (never a gold document).
        return [[(int(row_chunk[r]) if row_chunk[r] >= 0 else -int(r) - 1, float(d)) for d, r in zip(dr, ir) if r >= 0]
                for dr, ir in zip(D, I)]

    def doc_of(i):
        return xq_docs.get(i, f"distractor-{i}")

    result = {"model": model, "distractors": len(distractors), "xquad_chunks": len(xq_ids), "questions": len(qs),
              "graph_build_s": build_s, "by_setting": {}}
    settings = [int(e) for e in args.efs.split(",")] + ["exact"]
    for s in settings:
        dense = dense_lists(s)
        row = {}
        for mode in ("dense", "hybrid"):
            ranked = {}
            for q, d in zip(qs, dense):
                if mode == "dense":
                    order = d
                else:
                    order = reciprocal_rank_fusion({"dense": d, **lexical[q.id]}, fusion.k, weights[q.id])
                ranked[q.id] = list(dict.fromkeys(doc_of(i) for i, _ in order))[:10]
            per_q = ranking_metrics(gold, ranked)
            row[mode] = {m: float(np.mean([v[m] for v in per_q.values()])) for m in ("ndcg@10", "mrr@10", "recall@10")}
        result["by_setting"][str(s)] = row
        print(s, row, flush=True)
    with open("/proc/loadavg") as f:
        result["loadavg"] = f.read().split()[:3]
    args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
