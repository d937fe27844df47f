"""Hybrid search at 100k against LangChain's FAISS store, same run, same model, one thread each.

    nice -n 10 python bench/peer_check.py --index /tmp/speed2/idx100000 --qcache /tmp/speed2/qcache.pkl

LangChain's store holds the same passages and vectors as the fuentes index and embeds its query with
the same model through `HuggingFaceEmbeddings` (torch); fuentes embeds with its ONNX encoder.
"""
import argparse
import json
import pickle
import sys
from pathlib import Path

import numpy as np

from assistant.retrieval import Retriever
from bench.speed import K, interleaved, one_thread
from index.embedding import load_embedder
from index.store import Index


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--qcache", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--json", type=Path, default=Path("docs/benchmarks-speed-peer.json"))
    args = parser.parse_args(argv)
    from langchain_community.embeddings import HuggingFaceEmbeddings
    from langchain_community.vectorstores import FAISS as LCFAISS

    _, _, questions, qvec = pickle.loads(args.qcache.read_bytes())
    index = Index.open(args.index)
    model = index.stats()["model"]
    embedder = load_embedder(model)
    retriever = Retriever(index, embedder)
    view = index.view()
    ids = np.concatenate([seg.ids for seg in view.segments])
    vectors = np.concatenate([seg.vectors for seg in view.segments])
    chunks = index.chunks([int(i) for i in ids])
    pairs = [(chunks[int(i)].text, v.tolist()) for i, v in zip(ids, vectors) if int(i) in chunks]
    from index.e5_model import e5_model_path

    lc_model = str(e5_model_path()) if "e5" in model else model
    lc_emb = HuggingFaceEmbeddings(model_name=lc_model, model_kwargs={"device": "cpu"})
    lc = LCFAISS.from_embeddings(pairs, lc_emb)
    del pairs
    qs = questions[:args.queries]
    qv = dict(zip(questions, qvec))
    fns = {
        "fuentes_hybrid_with_embedding": lambda q: retriever.search(q, K, "hybrid"),
        "fuentes_hybrid_vector_given": lambda q: retriever.search(q, K, "hybrid", query_vector=qv[q]),
        "fuentes_embed_query": lambda q: embedder.embed_query(q),
        "langchain_similarity_search_1thread": one_thread(lambda q: lc.similarity_search(q, k=K)),
        "langchain_by_vector_1thread": one_thread(lambda q: lc.similarity_search_by_vector(qv[q].tolist(), k=K)),
    }
    result = {"index": str(args.index), "model": model, "chunks": len(ids), "latency_ms": interleaved(fns, qs)}
    lat = result["latency_ms"]
    result["langchain_over_fuentes_p50"] = (lat["langchain_similarity_search_1thread"]["p50"]
                                            / lat["fuentes_hybrid_with_embedding"]["p50"])
    with open("/proc/loadavg") as f:
        result["loadavg"] = f.read().split()[:3]
    args.json.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
