"""Speed at scale and against peers: ingest, index build, memory, search latency and recall.

One command (bounded: about 10-15 minutes at the default sizes on 2 cores):

    python bench/speed.py                       # sizes 10k and 100k, writes docs/benchmarks-speed.md
    python bench/speed.py --sizes 1000000       # adds the 1M run (vectors only for the peers)
    python bench/speed.py --store               # the store alone: search without the encoder, filters,
                                                # writes into a 100k index, in-memory BM25 vs FTS5
    python bench/speed.py --ask --sizes 100000  # `ask` against one query embedding: XQuAD and 100k

Everything is measured in one process, fuentes and its peers interleaved on the same chunks and
the same model, so the ratios hold even on a shared, noisy machine; absolute figures do not.
See bench/synthetic.py for how the corpus and the vectors at scale are made.
"""
from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import faiss  # noqa: E402
import numpy as np  # noqa: E402
import psutil  # noqa: E402

from bench import synthetic  # noqa: E402
from index import store  # noqa: E402

K = 10
PROC = psutil.Process()


# ---- small helpers -----------------------------------------------------------------------------
def rss_mb() -> float:
    return PROC.memory_info().rss / 2**20


def latencies(fn, items, warmup: int = 3) -> dict[str, float]:
    for item in items[:warmup]:
        fn(item)
    times = []
    for item in items:
        t0 = time.perf_counter()
        fn(item)
        times.append((time.perf_counter() - t0) * 1000)
    return {"p50": float(np.percentile(times, 50)), "p95": float(np.percentile(times, 95))}


def interleaved(fns: dict[str, callable], items, rounds: int = 3) -> dict[str, dict[str, float]]:
    """Latency of several paths measured in alternating slices, so machine noise hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for fn in fns.values():
        for item in items[:3]:
            fn(item)
    slices = np.array_split(np.arange(len(items)), rounds)
    for part in slices:
        for name, fn in fns.items():
            for i in part:
                t0 = time.perf_counter()
                fn(items[i])
                times[name].append((time.perf_counter() - t0) * 1000)
    return {name: {"p50": float(np.percentile(t, 50)), "p95": float(np.percentile(t, 95))}
            for name, t in times.items()}


def recall_at_k(found: np.ndarray, truth: np.ndarray, k: int = K) -> float:
    return float(np.mean([len(set(f[:k]) & set(t[:k])) / k for f, t in zip(found, truth)]))


def index_bytes(index) -> int:
    return int(faiss.serialize_index(index).nbytes)


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    flags = open("/proc/cpuinfo").read()
    simd = [f for f in ("avx2", "avx512f", "avx512_bf16", "amx_bf16") if f" {f}" in flags]
    import torch

    return {"cpu": model, "cores": str(os.cpu_count()), "simd": " ".join(simd),
            "memory_gb": f"{psutil.virtual_memory().total / 2**30:.0f}",
            "load_avg_at_start": " ".join(f"{x:.1f}" for x in os.getloadavg()),
            "python": platform.python_version(), "torch": torch.__version__, "faiss": faiss.__version__}


# ---- ingest -------------------------------------------------------------------------------------
def bench_ingest(embedder, sentences, n_passages: int, workdir: Path, with_langchain: bool) -> dict:
    """fuentes' whole ingest vs raw model.encode vs LangChain FAISS.from_texts, same chunks."""
    from index.chunking import Chunker
    from index.ingest import ingest
    from index.store import Index

    plans = synthetic.passage_plans(sentences, n_passages, seed=7)
    per_doc = 5
    articles = []
    for d in range(0, n_passages, per_doc):
        text = "\n\n".join(synthetic.passage_text(sentences, p) for p in plans[d:d + per_doc])
        articles.append({"id": f"syn{d:06d}", "title": f"Artículo {d}", "text": text})
    source = workdir / "ingest.jsonl"
    source.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in articles) + "\n", encoding="utf-8")
    chunker = Chunker(embedder.count_tokens, embedder.max_tokens)
    chunk_texts = [s.text for a in articles for s in chunker.split(a["text"])]
    tokens = [embedder.count_tokens(t) for t in chunk_texts]
    result = {"passages": len(chunk_texts), "mean_tokens": float(np.mean(tokens))}

    def raw():
        t0 = time.perf_counter()
        embedder.model.encode(chunk_texts, batch_size=32, normalize_embeddings=True)
        return time.perf_counter() - t0

    def fuentes():
        index = Index.create(workdir / f"ingest-{time.monotonic_ns()}", embedder.name, embedder.dimension)
        t0 = time.perf_counter()
        report = ingest(index, [source], embedder, chunker)
        seconds = time.perf_counter() - t0
        assert report.n_chunks == len(chunk_texts), (report.n_chunks, len(chunk_texts))
        return seconds

    def langchain():
        from langchain_community.vectorstores import FAISS as LCFAISS

        emb = langchain_embeddings(embedder)
        t0 = time.perf_counter()
        LCFAISS.from_texts(chunk_texts, emb)
        return time.perf_counter() - t0

    # raw, fuentes, langchain, raw again: the two raw runs bracket the others against drift.
    runs = {"raw_encode": [raw()], "fuentes_ingest": [fuentes()]}
    if with_langchain:
        runs["langchain_from_texts"] = [langchain()]
    runs["raw_encode"].append(raw())
    for name, seconds in runs.items():
        result[name] = {"seconds": float(np.mean(seconds)), "passages_per_s": len(chunk_texts) / float(np.mean(seconds)),
                        "runs": [round(s, 2) for s in seconds]}
    result["fuentes_overhead_vs_raw"] = result["fuentes_ingest"]["seconds"] / result["raw_encode"]["seconds"] - 1
    return result


def langchain_embeddings(embedder):
    """LangChain's embeddings over the model folder fuentes loads (e5 by default; torch against fuentes'
    ONNX encoder), so every LangChain row with its own embedding is a same-model comparison."""
    from langchain_community.embeddings import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(model_name=embedder.source, model_kwargs={"device": "cpu"})


# ---- embedding paths ----------------------------------------------------------------------------
def bench_embedding_paths(embedder, texts: list[str], queries: list[str]) -> dict:
    """fp32 vs whatever fast path index.embedding picks, on the same texts: speed and cosine."""
    from index import embedding as emb

    out = {"fast_path": getattr(embedder, "precision", "fp32"), "bf16_supported": emb.cpu_supports_bf16()
           if hasattr(emb, "cpu_supports_bf16") else False}
    t0 = time.perf_counter()
    ref = embedder.model.encode(texts, batch_size=32, normalize_embeddings=True)
    out["fp32_passages_per_s"] = len(texts) / (time.perf_counter() - t0)
    q = interleaved({"torch_default_threads": lambda t: embedder.model.encode([t], normalize_embeddings=True),
                     "fuentes_embed_query": embedder.embed_query}, queries[:60])
    out["query_ms"] = q
    return out


# ---- dense indexes at scale ---------------------------------------------------------------------
def bench_dense(xb: np.ndarray, xq: np.ndarray, hnsw_m: int, ef_values: list[int]) -> dict:
    n, d = xb.shape
    out: dict[str, dict] = {}
    faiss.omp_set_num_threads(os.cpu_count())

    def record(name, index, build_s, rss_before, params_fn=None, truth=None):
        gc.collect()
        entry = {"build_s": build_s, "bytes": index_bytes(index), "rss_delta_mb": rss_mb() - rss_before}
        out[name] = entry
        return entry

    rss0 = rss_mb()
    t0 = time.perf_counter()
    flat = faiss.IndexFlatIP(d)
    flat.add(xb)
    record("flat", flat, time.perf_counter() - t0, rss0)
    _, truth = flat.search(xq, K)

    def single(index, threads, params=None):
        def run(v):
            return index.search(v.reshape(1, -1), K, params=params)
        faiss.omp_set_num_threads(threads)
        return run

    queries = list(xq)
    # exact search: FAISS's default threads vs one thread, interleaved
    lat_default = {}
    for threads in (os.cpu_count(), 1):
        faiss.omp_set_num_threads(threads)
        lat_default[threads] = latencies(lambda v: flat.search(v.reshape(1, -1), K), queries)
    out["flat"]["latency_ms_threads"] = {str(t): v for t, v in lat_default.items()}
    out["flat"]["latency_ms"] = lat_default[1]
    out["flat"]["recall@10"] = 1.0

    faiss.omp_set_num_threads(os.cpu_count())
    for storage in ("flat", "fp16"):
        rss0 = rss_mb()
        t0 = time.perf_counter()
        if storage == "flat":
            hnsw = faiss.IndexHNSWFlat(d, hnsw_m, faiss.METRIC_INNER_PRODUCT)
        else:
            hnsw = faiss.IndexHNSWSQ(d, faiss.ScalarQuantizer.QT_fp16, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            hnsw.train(xb[:1000])
        hnsw.hnsw.efConstruction = store.HNSW_EF_CONSTRUCTION
        hnsw.add(xb)
        name = f"hnsw{hnsw_m}_{storage}"
        entry = record(name, hnsw, time.perf_counter() - t0, rss0)
        entry["by_ef"] = {}
        faiss.omp_set_num_threads(1)
        for ef in ef_values:
            params = faiss.SearchParametersHNSW(efSearch=ef)
            _, found = hnsw.search(xq, K, params=params)
            lat = latencies(lambda v: hnsw.search(v.reshape(1, -1), K, params=params), queries)
            entry["by_ef"][str(ef)] = {"recall@10": recall_at_k(found, truth), "latency_ms": lat}
        faiss.omp_set_num_threads(os.cpu_count())
        del hnsw
        gc.collect()

    if n >= 50_000:
        nlist = int(4 * np.sqrt(n))
        rss0 = rss_mb()
        t0 = time.perf_counter()
        ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(d), d, nlist, faiss.METRIC_INNER_PRODUCT)
        ivf.train(xb[np.random.default_rng(0).choice(n, min(n, 40 * nlist), replace=False)])
        ivf.add(xb)
        entry = record(f"ivf{nlist}_flat", ivf, time.perf_counter() - t0, rss0)
        entry["by_nprobe"] = {}
        faiss.omp_set_num_threads(1)
        for nprobe in (8, 16, 32):
            params = faiss.SearchParametersIVF(nprobe=nprobe)
            _, found = ivf.search(xq, K, params=params)
            lat = latencies(lambda v: ivf.search(v.reshape(1, -1), K, params=params), queries)
            entry["by_nprobe"][str(nprobe)] = {"recall@10": recall_at_k(found, truth), "latency_ms": lat}
        faiss.omp_set_num_threads(os.cpu_count())
        del ivf
    del flat
    gc.collect()
    return out, truth


# ---- lexical at scale ---------------------------------------------------------------------------
def bench_lexical(index, term_lists: list[list[str]], query_term_lists: list[list[str]]) -> dict:
    """SQLite FTS5 (fuentes) vs bm25s (numba / numpy) vs rank_bm25, same stems, same queries."""
    out = {}
    import bm25s
    from rank_bm25 import BM25Okapi

    # One FTS5 query per question (fuentes' lexical mode runs more: stems and cognate keys).
    out["fts5_one_query"] = {"latency_ms": latencies(lambda q: index.lexical_search(q, 50), query_term_lists)}
    for backend in ("numba", "numpy"):
        try:
            t0 = time.perf_counter()
            model = bm25s.BM25(backend=backend)
            model.index(_bm25s_tokens(term_lists), show_progress=False)
            build = time.perf_counter() - t0
            vocab = model.vocab_dict

            def query(q, model=model, vocab=vocab, threads=1):
                known = [t for t in q if t in vocab]
                if not known:
                    return None
                return model.retrieve([known], k=50, show_progress=False, n_threads=threads)

            # n_threads=1 is fuentes' setting for one query; -1 is every core.
            out[f"bm25s_{backend}"] = {"build_s": build, "latency_ms": latencies(query, query_term_lists),
                                       "latency_ms_all_threads": latencies(lambda q: query(q, threads=-1),
                                                                           query_term_lists)}
        except Exception as exc:  # numba missing or failing: report, don't stop the benchmark
            out[f"bm25s_{backend}"] = {"error": repr(exc)}
    t0 = time.perf_counter()
    rb = BM25Okapi(term_lists)
    build = time.perf_counter() - t0

    def rb_query(q):
        scores = rb.get_scores(q)
        return np.argpartition(-scores, 50)[:50]

    # rank_bm25 is single-threaded numpy: its default is fuentes' setting.
    out["rank_bm25"] = {"build_s": build, "latency_ms": latencies(rb_query, query_term_lists[:30])}
    return out


def _bm25s_tokens(term_lists):
    import bm25s

    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in terms] for terms in term_lists]
    return bm25s.tokenization.Tokenized(ids=ids, vocab=vocab)


def one_thread(fn):
    """A peer's call run with fuentes' query settings: one torch thread and one FAISS thread."""
    from index.embedding import torch_threads
    from index.store import faiss_threads

    def run(item):
        with torch_threads(1), faiss_threads(1):
            return fn(item)
    return run


# ---- the fuentes index at scale -----------------------------------------------------------------
def build_fuentes_index(path: Path, embedder, sentences, plans, vectors, per_doc: int = 10):
    from index.store import DocumentBatch, Index, NewChunk
    from index.types import Document

    index = Index.create(path, embedder.name, embedder.dimension)
    batches = []
    for d in range(0, len(plans), per_doc):
        parts = [synthetic.passage_text(sentences, p) for p in plans[d:d + per_doc]]
        text, chunks, cursor = "", [], 0
        for p_i, part in enumerate(parts):
            start = len(text)
            text += part
            fields = (start, start + len(part), part, synthetic.passage_terms(sentences, plans[d + p_i]),
                      synthetic.passage_cognates(sentences, plans[d + p_i]))
            chunks.append(NewChunk(*fields[:len(dataclasses.fields(NewChunk))]))  # cognates: newer stores
            text += "\n\n"
        doc = Document(f"syn{d:07d}", f"Artículo sintético {d}", text.rstrip("\n"))
        batches.append(DocumentBatch(doc, "es", chunks, vectors[d:d + len(chunks)]))
    t0 = time.perf_counter()
    index.write(batches)
    return index, time.perf_counter() - t0


def probe_memory(index_path: str, queries: list[str]) -> dict:
    """In a fresh process: open the index, load the model, run hybrid queries; report RSS.

    The peak is the new process's own high-water mark (VmHWM): getrusage's ru_maxrss survives
    exec on Linux and so counts the benchmark's own memory shared into the child by fork.
    """
    code = f"""
import json, os, sys
sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
os.environ.setdefault("HF_HUB_OFFLINE", "1")
import psutil
from index.store import Index
from index.embedding import load_embedder
from assistant.retrieval import Retriever
index = Index.open({index_path!r})
embedder = load_embedder(index.model_name)
r = Retriever(index, embedder)
for q in {queries!r}:
    r.search(q, 10, "hybrid")
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({{"rss_mb": psutil.Process().memory_info().rss / 2**20, "peak_rss_mb": hwm / 1024,
                  "query_encoder": "onnx" if getattr(embedder, "onnx", None) is not None else "torch"}}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode:
        return {"error": done.stderr[-500:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_size(n: int, args, embedder, sentences, sentence_vectors, questions, qvec, workdir: Path) -> dict:
    from assistant.retrieval import Retriever, query_terms

    print(f"[{n}] building passages and vectors", flush=True)
    plans = synthetic.passage_plans(sentences, n, seed=n)
    vectors = synthetic.passage_vectors(sentence_vectors, plans, seed=n, noise=args.noise)
    result: dict = {"n": n}

    print(f"[{n}] dense index types", flush=True)
    result["dense"], truth = bench_dense(vectors, qvec, args.hnsw_m, [64, 128, 256, 512])

    print(f"[{n}] fuentes index (SQLite + FTS5 + FAISS)", flush=True)
    path = workdir / f"fuentes-{n}"
    index, write_s = build_fuentes_index(path, embedder, sentences, plans, vectors)
    files = {f.name: f.stat().st_size for f in path.iterdir() if f.is_file()}
    result["fuentes_build"] = {"write_s": write_s, "files_bytes": files, "total_bytes": sum(files.values())}
    retriever = Retriever(index, embedder)
    # FAISS ids are chunk ids, 1..n in insertion order in a fresh index.
    found = np.array([[cid - 1 for cid, _ in index.dense_search(v, K)] for v in qvec])
    result["fuentes_dense_recall@10"] = recall_at_k(found, truth)

    qv = {q: v for q, v in zip(questions, qvec)}
    fns = {
        "fuentes_hybrid_with_embedding": lambda q: retriever.search(q, K, "hybrid"),
        "fuentes_hybrid_vector_given": lambda q: retriever.search(q, K, "hybrid", query_vector=qv[q]),
        "fuentes_dense_with_embedding": lambda q: retriever.search(q, K, "dense"),
        "fuentes_lexical": lambda q: retriever.search(q, K, "lexical"),
        "fuentes_embed_query": lambda q: embedder.embed_query(q),
    }
    if n <= args.peers_max:
        print(f"[{n}] LangChain FAISS vector store", flush=True)
        from langchain_community.vectorstores import FAISS as LCFAISS

        lc_emb = langchain_embeddings(embedder)
        result["langchain_model"] = embedder.source
        texts = [synthetic.passage_text(sentences, p) for p in plans]
        rss0 = rss_mb()
        t0 = time.perf_counter()
        store = LCFAISS.from_embeddings(list(zip(texts, vectors.tolist())), lc_emb, ids=[str(i) for i in range(n)])
        result["langchain_build"] = {"from_embeddings_s": time.perf_counter() - t0, "rss_delta_mb": rss_mb() - rss0}
        del texts
        lc_found = np.array([[int(doc.id) for doc in store.similarity_search_by_vector(v.tolist(), k=K)]
                             for v in qvec])
        result["langchain_recall@10"] = recall_at_k(lc_found, truth)
        # LangChain as fuentes runs a query (1 torch thread, 1 FAISS thread), and at its defaults.
        fns["langchain_similarity_search_1thread"] = one_thread(lambda q: store.similarity_search(q, k=K))
        fns["langchain_similarity_search_default_threads"] = lambda q: store.similarity_search(q, k=K)
        fns["langchain_by_vector_1thread"] = one_thread(
            lambda q: store.similarity_search_by_vector(qv[q].tolist(), k=K))
        fns["langchain_by_vector_default_threads"] = lambda q: store.similarity_search_by_vector(qv[q].tolist(), k=K)
    print(f"[{n}] search latency", flush=True)
    result["latency_ms"] = interleaved(fns, questions[:args.queries])
    fns.clear()
    store = None
    gc.collect()

    if n <= args.lexical_max:
        print(f"[{n}] lexical peers", flush=True)
        term_lists = [synthetic.passage_terms(sentences, p).split() for p in plans]
        result["lexical"] = bench_lexical(index, term_lists, [query_terms(q) for q in questions[:args.queries]])
        del term_lists
    index.close()
    print(f"[{n}] memory probe (fresh process)", flush=True)
    result["search_process_rss"] = probe_memory(str(path), questions[:20])
    del vectors
    gc.collect()
    return result


# ---- the store: search without the encoder, filters, writes, lexical engine vs FTS5 ----------------
def build_dated_index(path: Path, embedder, sentences, plans, vectors, per_doc: int = 10):
    """The synthetic corpus as 10-passage articles dated over one year, in one write."""
    from index.store import DocumentBatch, Index, NewChunk
    from index.types import Document

    index = Index.create(path, embedder.name, embedder.dimension)
    batches = [_synthetic_article(sentences, plans, vectors, d, per_doc) for d in range(0, len(plans), per_doc)]
    t0 = time.perf_counter()
    index.write(batches)
    return index, time.perf_counter() - t0


def _synthetic_article(sentences, plans, vectors, d: int, per_doc: int, prefix: str = "syn",
                       sentence_vectors: np.ndarray | None = None):
    """One dated article of `per_doc` synthetic passages; with `sentence_vectors`, each passage also
    stores its sentences' spans and real vectors, as an ingest does."""
    import datetime

    from index.store import DocumentBatch, NewChunk
    from index.types import Document

    text, chunks, per_chunk_sentences = "", [], []
    for p_i, plan in enumerate(plans[d:d + per_doc]):
        part = synthetic.passage_text(sentences, plan)
        start = len(text)
        text += part + "\n\n"
        chunks.append(NewChunk(start, start + len(part), part, synthetic.passage_terms(sentences, plan),
                               synthetic.passage_cognates(sentences, plan)))
        if sentence_vectors is not None:
            spans, at = [], 0
            for i in plan:  # passage_text joins the sentences with one space
                spans.append((at, at + len(sentences.texts[i])))
                at += len(sentences.texts[i]) + 1
            per_chunk_sentences.append((spans, sentence_vectors[plan]))
    day = datetime.date(2025, 1, 1) + datetime.timedelta(days=(d // per_doc) % 365)
    doc = Document(f"{prefix}{d:07d}", f"Artículo sintético {d}", text.rstrip("\n"), published=day.isoformat())
    return DocumentBatch(doc, "es", chunks, vectors[d:d + len(chunks)], sentences=per_chunk_sentences)


def probe_writes(index_path: str, n_articles: int, per_doc: int, seed: int) -> dict:
    """In a fresh process: a reader warms up, then adds, replaces and removes `n_articles` articles.
    Peak memory is the kernel's high-water mark (VmHWM), reset after warm-up, minus the reader's RSS."""
    code = f"""
import json, sys, time
sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
import numpy as np, psutil
from bench import synthetic
from bench.speed import _synthetic_article
from index.store import Index
from index.embedding import load_embedder
embedder = load_embedder()
sentences = synthetic.real_sentences(embedder.count_tokens)
sv = embedder.embed(sentences.texts[:2000], batch_size=64)
plans = synthetic.passage_plans(synthetic.Sentences(sentences.texts[:2000], sentences.tokens[:2000],
                                sentences.terms[:2000], sentences.cognates[:2000]), {n_articles * per_doc}, seed={seed})
vectors = synthetic.passage_vectors(sv, plans, seed={seed})
index = Index.open({index_path!r})
q = vectors[0]
for _ in range(20):
    index.dense_search(q, 10); index.lexical_search(["guerr", "president"], 10)

def hwm_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024

def measure(fn):
    open("/proc/self/clear_refs", "w").write("5")  # reset the peak to the current resident size
    rss0 = psutil.Process().memory_info().rss / 2**20
    t0 = time.perf_counter(); fn(); seconds = time.perf_counter() - t0
    index.dense_search(q, 10)  # the reader moves to the new generation
    return {{"seconds": seconds, "peak_over_reader_mb": hwm_mb() - rss0, "reader_rss_mb": rss0,
            "segments": index.stats()["segments"], "tombstones": index.stats()["tombstones"]}}

def batches(prefix):
    return [_synthetic_article(sentences, plans, vectors, d, {per_doc}, prefix) for d in range(0, len(plans), {per_doc})]
out = {{}}
out["add"] = measure(lambda: index.write(batches("new")))
out["replace"] = measure(lambda: index.write(batches("new")))
out["remove"] = measure(lambda: index.write([], remove_ids=[b.document.id for b in batches("new")]))
print(json.dumps(out))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode:
        return {"error": done.stderr[-1500:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _fts5_table(path: Path, texts: list[str]):
    import sqlite3

    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE t USING fts5(terms, tokenize = 'unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO t(rowid, terms) VALUES (?, ?)", ((i + 1, t) for i, t in enumerate(texts)))
    db.commit()
    return db


def _fts5_search(db, terms: list[str], k: int) -> list[int]:
    if not terms:
        return []
    match = " OR ".join('"' + t.replace('"', '""') + '"' for t in dict.fromkeys(terms))
    return [r[0] for r in db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rank LIMIT ?", (match, k))]


def top_overlap(a: list[int], b: list[int]) -> float:
    """Shared share of two top-k lists; two empty lists agree fully."""
    if not a and not b:
        return 1.0
    return len(set(a) & set(b)) / max(len(a), len(b))


def bench_store_size(n: int, args, embedder, sentences, sentence_vectors, questions, qvec, workdir: Path) -> dict:
    from assistant.retrieval import Retriever, lexical_coverage, query_terms
    from index.filters import Filters
    from index.text import cognate_keys

    print(f"[{n}] passages and vectors", flush=True)
    plans = synthetic.passage_plans(sentences, n, seed=n)
    vectors = synthetic.passage_vectors(sentence_vectors, plans, seed=n, noise=args.noise)
    result: dict = {"n": n}
    path = workdir / f"store-{n}"
    index, write_s = build_dated_index(path, embedder, sentences, plans, vectors)
    result["build_write_s"] = write_s
    result["stats"] = index.stats()
    retriever = Retriever(index, embedder)
    qv = {q: v for q, v in zip(questions, qvec)}
    qs = questions[:args.queries]
    terms = {q: query_terms(q) for q in qs}
    keys = {q: cognate_keys(q) for q in qs}
    about_8k = Filters.of(published_from="2025-01-01", published_to="2025-01-29")  # 29 of 365 days ~ 8%
    about_40pct = Filters.of(published_from="2025-01-01", published_to="2025-05-26")
    result["filtered_chunks"] = {"8pct": len(index.chunk_ids(about_8k)), "40pct": len(index.chunk_ids(about_40pct))}
    fns = {
        "hybrid_vector_given": lambda q: retriever.search(q, K, "hybrid", query_vector=qv[q]),
        "dense": lambda q: index.dense_search(qv[q], 50),
        "lexical_stems": lambda q: index.lexical_search(terms[q], 50),
        "lexical_cognates": lambda q: index.lexical_search(keys[q], 50, field="cognates"),
        "coverage": lambda q: lexical_coverage(index, q),
        "hybrid_vector_given_filter_8pct": lambda q: retriever.search(q, K, "hybrid", about_8k, query_vector=qv[q]),
        "hybrid_vector_given_filter_40pct": lambda q: retriever.search(q, K, "hybrid", about_40pct, query_vector=qv[q]),
        "embed_query": lambda q: embedder.embed_query(q),
    }
    print(f"[{n}] search latency", flush=True)
    result["latency_ms"] = interleaved(fns, qs)

    if n <= args.lexical_max:
        print(f"[{n}] FTS5 beside the in-memory engine", flush=True)
        texts = [synthetic.passage_terms(sentences, p) for p in plans]
        t0 = time.perf_counter()
        fts = _fts5_table(workdir / f"fts5-{n}.sqlite3", texts)
        result["fts5_build_s"] = time.perf_counter() - t0
        # Chunk ids are 1..n in write order, as the FTS5 rowids here.
        overlaps = [top_overlap([i for i, _ in index.lexical_search(terms[q], K)], _fts5_search(fts, terms[q], K))
                    for q in qs]
        result["top10_overlap_with_fts5"] = float(np.mean(overlaps))
        result["lexical_vs_fts5_ms"] = interleaved({
            "memory_stems": lambda q: index.lexical_search(terms[q], 50),
            "fts5_stems": lambda q: _fts5_search(fts, terms[q], 50)}, qs[:50], rounds=2)
        fts.close()
    index.close()
    print(f"[{n}] writes (fresh process)", flush=True)
    result["writes_10_articles"] = probe_writes(str(path), 10, 10, seed=n + 1)
    return result


def bench_xquad_lexical() -> dict:
    """The in-memory engine and FTS5 over XQuAD's chunks and questions (es and en): top-10 overlap."""
    from assistant.retrieval import query_terms
    from index.chunking import Chunker
    from index.embedding import load_embedder
    from index.ingest import lexical_terms
    from index.store import DocumentBatch, Index, NewChunk
    from index.text import detect_language
    from index.types import Document

    embedder = load_embedder()
    chunker = Chunker(embedder.count_tokens, embedder.max_tokens)
    texts = []
    for line in open(synthetic.XQUAD / "corpus.jsonl", encoding="utf-8"):
        text = json.loads(line)["text"]
        texts += [lexical_terms(s.text, detect_language(text[:3000])) for s in chunker.split(text)]
    with tempfile.TemporaryDirectory() as tmp:
        fts = _fts5_table(Path(tmp) / "x.sqlite3", texts)
        index = Index.create(Path(tmp) / "idx", "test", 4)
        index.write([DocumentBatch(Document(f"c{i}", "", t or "-"), "es", [NewChunk(0, len(t or "-"), t or "-", t)],
                                   np.ones((1, 4), dtype=np.float32) / 2) for i, t in enumerate(texts)])
        result = {"chunks": len(texts)}
        for language in ("es", "en"):
            qs = [json.loads(line)["question"] for line in open(synthetic.XQUAD / f"questions_{language}.jsonl")]
            overlap, exact_order = [], 0
            for q in qs:
                mine = [i for i, _ in index.lexical_search(query_terms(q), K)]
                ref = _fts5_search(fts, query_terms(q), K)
                overlap.append(top_overlap(mine, ref))
                exact_order += mine == ref
            result[language] = {"questions": len(qs), "top10_overlap": float(np.mean(overlap)),
                                "identical_top10_share": exact_order / len(qs)}
        fts.close()
    return result


def bench_ingest_vectors(embedder) -> dict:
    """What storing sentence and quote vectors adds to ingest: the encode work, on XQuAD's paragraphs."""
    from index.chunking import Chunker
    from index.quotes import extract_quotes
    from index.text import detect_language, sentence_spans
    from index.types import Document

    chunker = Chunker(embedder.count_tokens, embedder.max_tokens)
    chunks, sentences, quotes = [], [], []
    for n, line in enumerate(open(synthetic.XQUAD / "corpus.jsonl", encoding="utf-8")):
        text = json.loads(line)["text"]
        language = detect_language(text[:3000])
        for span in chunker.split(text):
            chunks.append(span.text)
            sentences += [span.text[s:e] for s, e in sentence_spans(span.text, language)]
        quotes += [q.text for q in extract_quotes(Document(f"x{n}", "", text)).quotes]
    from index.ingest import _embed_all

    times = {}
    for name, texts in (("chunks_only", chunks), ("chunks_sentences_quotes", chunks + sentences + quotes)):
        t0 = time.perf_counter()
        _embed_all(embedder, texts, False)
        times[name] = time.perf_counter() - t0
    return {"chunks": len(chunks), "sentences": len(sentences), "quotes": len(quotes), "encode_s": times,
            "ratio": times["chunks_sentences_quotes"] / times["chunks_only"]}


# ---- ask: the whole answer against one query embedding ------------------------------------------
# (file, function) of the parts of an `ask` the profile reports.
ASK_PARTS = (("index/embedding.py", "embed_query"), ("assistant/retrieval.py", "search"),
             ("index/store.py", "dense_search"), ("index/store.py", "lexical_search"),
             ("assistant/retrieval.py", "lexical_coverage"), ("index/store.py", "chunks"),
             ("assistant/compose.py", "candidate_sentences"), ("index/store.py", "sentence_vectors"),
             ("assistant/relevance.py", "score_many"), ("assistant/compose.py", "select_sentences"),
             ("assistant/compose.py", "cite"), ("assistant/conversation.py", "resolve"),
             ("assistant/core.py", "_doc_languages"), ("assistant/statements.py", "who_said"),
             ("assistant/statements.py", "what_said"), ("assistant/core.py", "ask"))


def ask_latency(assistant, questions: list[str], profile_questions: int = 30) -> dict:
    """`ask` and one query embedding, interleaved in one process, and where an `ask` spends its time
    (cProfile, cumulative ms per ask of the parts named in ASK_PARTS)."""
    import cProfile
    import pstats

    embedder = assistant.embedder
    for q in questions[:3]:  # first-use work (people, document languages) is not what is measured
        assistant.ask(q)
    result = {"questions": len(questions),
              "latency_ms": interleaved({"embed_query": embedder.embed_query, "ask": assistant.ask}, questions)}
    result["ask_over_embedding_p50"] = result["latency_ms"]["ask"]["p50"] / result["latency_ms"]["embed_query"]["p50"]
    profiler = cProfile.Profile()
    profiler.enable()
    for q in questions[:profile_questions]:
        assistant.ask(q)
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    parts = {}
    for (filename, _line, function), (_cc, _nc, _tt, cumulative, _callers) in stats.items():
        for suffix, name in ASK_PARTS:
            if function == name and filename.endswith(suffix):
                key = f"{suffix.split('/')[-1][:-3]}.{name}"
                parts[key] = parts.get(key, 0.0) + cumulative * 1000 / profile_questions
    result["profile_ms_per_ask"] = {k: round(v, 3) for k, v in sorted(parts.items(), key=lambda kv: -kv[1])}
    return result


def build_ask_index(path: Path, embedder, sentences, sentence_vectors, n: int, noise: float) -> float:
    """A synthetic n-passage index whose passages store their sentences' vectors, as ingest does."""
    from index.store import Index

    plans = synthetic.passage_plans(sentences, n, seed=n)
    vectors = synthetic.passage_vectors(sentence_vectors, plans, seed=n, noise=noise)
    index = Index.create(path, embedder.name, embedder.dimension)
    t0 = time.perf_counter()
    block = 10_000  # articles are written in blocks, so the sentence vectors never sit in memory at once
    for start in range(0, n, block):
        index.write([_synthetic_article(sentences, plans, vectors, d, 10, sentence_vectors=sentence_vectors)
                     for d in range(start, min(n, start + block), 10)])
    index.close()
    return time.perf_counter() - t0


def ask_main(args, embedder, sentences, sentence_vectors, questions, workdir: Path) -> dict:
    from assistant import Assistant

    results = {"machine": machine(), "args": {k: str(v) for k, v in vars(args).items()},
               "embedder": {"name": embedder.name, "query_encoder": "onnx" if embedder.onnx is not None else "torch"}}
    xquad = args.xquad_index
    if xquad is None:
        xquad = workdir / "xquad"
        print("ask: ingesting the XQuAD corpus", flush=True)
        Assistant.open(xquad).ingest([synthetic.XQUAD / "corpus.jsonl"])
    print("ask: xquad", flush=True)
    results["xquad"] = ask_latency(Assistant.open(xquad, create=False), questions[:args.queries])
    results["xquad"]["index"] = Assistant.open(xquad, create=False).info()
    print(json.dumps(results["xquad"], indent=1), flush=True)
    for n in [int(s) for s in args.sizes.split(",") if s]:
        path = workdir / f"ask-{n}"
        if not (path / "fuentes.sqlite3").exists():
            print(f"[{n}] ask index with sentence vectors", flush=True)
            results[f"build_{n}_s"] = build_ask_index(path, embedder, sentences, sentence_vectors, n, args.noise)
        print(f"[{n}] ask", flush=True)
        results[str(n)] = ask_latency(Assistant.open(path, create=False), questions[:args.queries])
        print(json.dumps(results[str(n)], indent=1), flush=True)
        args.json.write_text(json.dumps(results, indent=1))
    return results


def store_main(args, embedder, sentences, sentence_vectors, questions, qvec, workdir: Path) -> dict:
    results = {"machine": machine(), "args": {k: str(v) for k, v in vars(args).items()}}
    print("xquad lexical: in-memory engine vs FTS5", flush=True)
    results["xquad_lexical"] = bench_xquad_lexical()
    print(json.dumps(results["xquad_lexical"]), flush=True)
    if not args.skip_ingest:
        print("ingest: sentence and quote vectors", flush=True)
        results["ingest_vectors"] = bench_ingest_vectors(embedder)
        print(json.dumps(results["ingest_vectors"]), flush=True)
    results["sizes"] = {}
    for n in [int(s) for s in args.sizes.split(",") if s]:
        results["sizes"][str(n)] = bench_store_size(n, args, embedder, sentences, sentence_vectors, questions, qvec,
                                                    workdir)
        print(json.dumps(results["sizes"][str(n)], indent=1), flush=True)
        args.json.write_text(json.dumps(results, indent=1))
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="chunk counts, comma-separated")
    parser.add_argument("--ingest-passages", type=int, default=400, help="passages embedded for real (ingest)")
    parser.add_argument("--queries", type=int, default=200, help="questions per latency measurement")
    parser.add_argument("--hnsw-m", type=int, default=32)
    parser.add_argument("--noise", type=float, default=0.02, help="per-dimension noise on synthetic vectors")
    parser.add_argument("--peers-max", type=int, default=100_000, help="largest size LangChain is run at")
    parser.add_argument("--lexical-max", type=int, default=100_000, help="largest size the BM25 peers run at")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--json", type=Path, default=Path("docs/benchmarks-speed.json"))
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--store", action="store_true",
                        help="only the store: search without the encoder, filters, writes, BM25 vs FTS5 "
                             "(writes docs/benchmarks-speed-store.json unless --json is given)")
    parser.add_argument("--ask", action="store_true",
                        help="`ask` against one query embedding over XQuAD and synthetic indexes with sentence "
                             "vectors (writes docs/benchmarks-speed-ask.json unless --json is given)")
    parser.add_argument("--xquad-index", type=Path, default=None,
                        help="--ask: an index of the XQuAD corpus built with the default model (else ingested now)")
    args = parser.parse_args(argv)
    if args.store and args.json == Path("docs/benchmarks-speed.json"):
        args.json = Path("docs/benchmarks-speed-store.json")
    if args.ask and args.json == Path("docs/benchmarks-speed.json"):
        args.json = Path("docs/benchmarks-speed-ask.json")
    sizes = [int(s) for s in args.sizes.split(",") if s]

    from index.embedding import load_embedder

    started = time.perf_counter()
    results: dict = {"machine": machine(), "args": {k: str(v) for k, v in vars(args).items()}}
    embedder = load_embedder()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="fuentes-speed-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if args.ask and not sizes:  # XQuAD alone needs no synthetic sentences
        results = ask_main(args, embedder, None, None, synthetic.questions(max(args.queries, 200)), workdir)
        results["total_s"] = time.perf_counter() - started
        args.json.write_text(json.dumps(results, indent=1))
        print(f"wrote {args.json} in {results['total_s']:.0f} s")
        return 0
    results["embedder"] = {"name": embedder.name, "precision": getattr(embedder, "precision", "fp32")}
    sentences = synthetic.real_sentences(embedder.count_tokens)
    print(f"{len(sentences.texts)} real sentences", flush=True)
    t0 = time.perf_counter()
    sentence_vectors = embedder.embed(sentences.texts, batch_size=64)
    results["sentence_embedding_s"] = time.perf_counter() - t0
    questions = synthetic.questions(max(args.queries, 200))
    qvec = embedder.embed(questions)
    if args.ask:
        results = ask_main(args, embedder, sentences, sentence_vectors, questions, workdir)
        results["total_s"] = time.perf_counter() - started
        args.json.write_text(json.dumps(results, indent=1))
        print(f"wrote {args.json} in {results['total_s']:.0f} s")
        return 0
    if args.store:
        results = store_main(args, embedder, sentences, sentence_vectors, questions, qvec, workdir)
        results["total_s"] = time.perf_counter() - started
        args.json.write_text(json.dumps(results, indent=1))
        print(f"wrote {args.json} in {results['total_s']:.0f} s")
        return 0

    if not args.skip_ingest:
        print("ingest", flush=True)
        results["ingest"] = bench_ingest(embedder, sentences, args.ingest_passages, workdir, with_langchain=True)
        print(json.dumps(results["ingest"], indent=1), flush=True)
        results["embedding_paths"] = bench_embedding_paths(
            embedder, [synthetic.passage_text(sentences, p) for p in synthetic.passage_plans(sentences, 64, 3)],
            questions)
    results["sizes"] = {}
    for n in sizes:
        results["sizes"][str(n)] = bench_size(n, args, embedder, sentences, sentence_vectors, questions, qvec, workdir)
        print(json.dumps(results["sizes"][str(n)], indent=1), flush=True)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1))
    results["total_s"] = time.perf_counter() - started
    args.json.write_text(json.dumps(results, indent=1))
    print(f"wrote {args.json} in {results['total_s']:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
