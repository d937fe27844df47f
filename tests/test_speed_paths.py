"""Fast paths keep results: thread settings restored, bf16 only when it matches fp32, HNSW close to exact."""
import numpy as np

import index.store as store
from index.embedding import BF16_MIN_COSINE, cpu_supports_bf16, torch_threads
from index.filters import Filters
from index.ingest import lexical_terms
from index.store import DocumentBatch, Index, NewChunk, build_graph, faiss_threads
from index.types import Document

NEWS = [
    "El portavoz del Kremlin, Dmitri Peskov, dijo que Moscú no aceptará tropas extranjeras en Ucrania.",
    "Los líderes europeos se reunieron en París para discutir garantías de seguridad para Kiev.",
    "Las bolsas europeas cerraron con ganancias impulsadas por el sector energético.",
]


def test_torch_threads_are_restored_after_a_query(embedder):
    import torch

    before = torch.get_num_threads()
    with torch_threads(1):
        assert torch.get_num_threads() == 1
    embedder.embed_query("¿Qué dijo Peskov?")
    assert torch.get_num_threads() == before


def test_faiss_threads_are_restored_after_a_search():
    import faiss

    before = faiss.omp_get_max_threads()
    with faiss_threads(1):
        assert faiss.omp_get_max_threads() == 1
    assert faiss.omp_get_max_threads() == before


def test_query_path_matches_batch_path(embedder):
    one = np.stack([embedder.embed_query(t) for t in NEWS])
    batch = embedder.embed(NEWS, role="query")  # the same prompt as embed_query
    assert np.allclose(one, batch, atol=1e-5)


def test_auto_precision_follows_the_cpu(embedder):
    assert embedder.precision == ("bf16" if cpu_supports_bf16() else "fp32")


def test_a_bf16_embedder_stays_within_the_cosine_bound_of_fp32(embedder):
    """Forced bf16 (emulated where the CPU lacks it) either agrees with fp32 or falls back to it."""
    from index.embedding import DEFAULT_MODEL, Embedder

    reference = embedder.embed(NEWS) if embedder.precision == "fp32" else Embedder(precision="fp32").embed(NEWS)
    forced = Embedder(DEFAULT_MODEL, precision="bf16")
    assert forced.precision in ("bf16", "fp32")
    assert (forced.embed(NEWS) * reference).sum(axis=1).min() >= BF16_MIN_COSINE


def test_cached_lexical_terms_equal_a_fresh_stemmer():
    import snowballstemmer

    from index.text import STOPWORDS, words

    for language, name in (("es", "spanish"), ("en", "english")):
        fresh = snowballstemmer.stemmer(name)
        for text in NEWS + ["What did Peskov say about European troops?"]:
            expected = fresh.stemWords([w for w in words(text) if w not in STOPWORDS[language]])
            assert lexical_terms(text, language) == " ".join(expected)


def _clustered(n, d=384, seed=0):
    """Unit vectors around a few hundred centres, like embeddings of related news passages."""
    rng = np.random.default_rng(seed)
    centres = np.random.default_rng(99).normal(size=(300, d)).astype(np.float32)  # queries share them
    x = centres[rng.integers(0, 300, n)] + 0.6 * rng.normal(size=(n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_hnsw_graph_recall_against_exact_brute_force():
    x = _clustered(20_000)
    graph = build_graph(x)
    queries = _clustered(200, seed=1)
    truth = np.argsort(-(queries @ x.T), axis=1)[:, :10]
    _, found = graph.search(queries, 10)
    recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth)])
    assert recall >= 0.98


def _batch(doc_id, vectors, published=None):
    text = " ".join(f"frase{i}." for i in range(len(vectors)))
    pieces, chunks, cursor = text.split(" "), [], 0
    for piece in pieces:
        chunks.append(NewChunk(cursor, cursor + len(piece), piece, piece))
        cursor += len(piece) + 1
    return DocumentBatch(Document(doc_id, doc_id, text, published=published), "es", chunks, vectors)


def _segment_files(path):
    return {p.name: p.stat().st_ino for p in (path / "segments").iterdir()}


def _brute(index, q, k, allowed=None):
    ids, matrix = index.all_vectors()
    scores = matrix @ q
    order = [i for i in np.argsort(-scores) if allowed is None or int(ids[i]) in allowed]
    return [int(ids[i]) for i in order[:k]]


def test_appends_add_a_segment_and_removals_leave_the_graph(tmp_path, monkeypatch):
    """An append writes only its own rows; a removal writes tombstones, not a graph; search
    (plain and filtered) agrees with brute force over the live vectors throughout."""
    monkeypatch.setattr(store, "HNSW_MIN_VECTORS", 1500)
    monkeypatch.setattr(store, "DELTA_MAX_ROWS", 500)
    x = _clustered(3300, d=32)
    index = Index.create(tmp_path / "idx", "test-model", 32)
    index.write([_batch("a", x[:1000])])
    assert index.stats()["vector_index"] == "exact"
    index.write([_batch("b", x[1000:1700]), _batch("e", x[1700:2000])])  # > DELTA_MAX_ROWS: merged, a graph
    assert index.stats()["vector_index"] == "hnsw" and index.stats()["segments"] == 1
    base = index.view().segments[0].name
    base_files = {n: i for n, i in _segment_files(tmp_path / "idx").items() if n.split(".")[0] == base}

    index.write([_batch("c", x[2000:2100])])
    after_append = _segment_files(tmp_path / "idx")
    assert index.stats()["segments"] == 2
    assert all(after_append[name] == inode for name, inode in base_files.items())  # base untouched
    assert [seg.name for seg in index.view().segments] == [base, f"s{index.generation()}"]

    removed = set(index.chunk_ids(Filters.of(["e"])))
    index.write([], remove_ids=["e"])  # 300 of 2100 rows: under DEAD_SHARE_REBUILD
    assert _segment_files(tmp_path / "idx").keys() == after_append.keys()  # tombstones only
    reopened = Index.open(tmp_path / "idx")
    assert reopened.stats()["vectors"] == 1800 and reopened.stats()["tombstones"] == 300
    for q in _clustered(40, d=32, seed=3):
        found = [i for i, _ in reopened.dense_search(q, 10)]
        assert not set(found) & removed
        assert len(set(found) & set(_brute(reopened, q, 10))) >= 9
    allowed = set(reopened.chunk_ids(Filters.of(["c"])))
    q = x[2050]
    assert [i for i, _ in reopened.dense_search(q, 5, Filters.of(["c"]))] == _brute(reopened, q, 5, allowed)
    allowed = set(reopened.chunk_ids(Filters.of(["b"])))
    assert [i for i, _ in reopened.dense_search(q, 5, Filters.of(["b"]))] == _brute(reopened, q, 5, allowed)


def test_tombstones_past_their_share_rebuild_the_segments(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "HNSW_MIN_VECTORS", 500)
    x = _clustered(1200, d=16)
    index = Index.create(tmp_path / "idx", "test-model", 16)
    index.write([_batch("a", x[:600]), _batch("b", x[600:])])
    index.write([], remove_ids=["a"])  # half the rows: past DEAD_SHARE_REBUILD
    stats = index.stats()
    assert stats["tombstones"] == 0 and stats["vectors"] == 600 and stats["segments"] == 1
    assert stats["vector_index"] == "hnsw"
    ids, _ = index.all_vectors()
    assert set(ids.tolist()) == set(index.chunk_ids(Filters.of(["b"])))


def test_a_reader_holds_one_generation_and_moves_whole(tmp_path):
    x = _clustered(400, d=16)
    writer = Index.create(tmp_path / "idx", "test-model", 16)
    writer.write([_batch("a", x[:200])])
    reader = Index.open(tmp_path / "idx")
    old_view = reader.view()
    writer.write([_batch("b", x[200:])])
    # The old generation's files stay on disk for a reader that still holds it.
    assert all(files["ids"].exists() for files in
               (store.segments_io.files(tmp_path / "idx", seg.name) for seg in old_view.segments))
    assert old_view.n_live == 200
    new_view = reader.view()
    assert new_view.generation == old_view.generation + 1 and new_view.n_live == 400
    assert reader.stats()["vectors"] == reader.stats()["chunks"] == 400


def test_filters_over_more_ids_than_sqlite_variables(tmp_path):
    """40k allowed chunks and 35k named documents: one JSON parameter, no variable limit hit."""
    rng = np.random.default_rng(5)
    x = rng.normal(size=(40_000, 8)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    index = Index.create(tmp_path / "idx", "test-model", 8)
    index.write([_batch("big", x[:39_990], published="2025-03-01"), _batch("small", x[39_990:], published="2024-01-01")])
    recent = Filters.of(published_from="2025-01-01")
    assert len(index.chunk_ids(recent)) == 39_990
    names = Filters.of([f"missing-{i}" for i in range(35_000)] + ["small"])
    assert len(index.chunk_ids(names)) == 10
    small_ids = set(index.chunk_ids(names))
    assert {i for i, _ in index.dense_search(x[39_995], 10, names)} == small_ids
    hits = index.lexical_search(["frase39995", "frase3"], 10, recent)
    assert [i for i, _ in hits] == [4]  # "frase3" is chunk 4 of "big"; "frase39995" is in "small"
    assert [i for i, _ in index.lexical_search(["frase5"], 10, names)] == [39_996]
    assert all(i not in small_ids for i, _ in index.dense_search(x[39_995], 10, recent))


def test_top_rows_equals_a_full_sort_with_ties_by_row():
    from index.lexical import top_rows

    rng = np.random.default_rng(3)
    for n, k in ((10, 3), (1000, 50), (20_000, 50), (20_000, 1), (300, 300)):
        # Few distinct values: ties at the k-th place are the rule, as in a corpus of repeated sentences.
        values = rng.integers(0, 6, n).astype(np.float64) * rng.choice([0.0, 1.0], n, p=[0.3, 0.7])
        expected = [r for r in np.lexsort((np.arange(n), -values)) if values[r] > 0][:k]
        assert top_rows(values, k).tolist() == expected
    assert top_rows(np.zeros(100), 5).tolist() == []
    sparse = np.zeros(5000)
    sparse[[7, 4000]] = [1.0, 2.0]  # fewer hits than k: every hit, best first
    assert top_rows(sparse, 50).tolist() == [4000, 7]


def test_a_snapshot_keeps_every_list_of_a_search_on_one_generation(tmp_path):
    x = _clustered(400, d=16)
    writer = Index.create(tmp_path / "idx", "test-model", 16)
    writer.write([_batch("a", x[:200])])
    reader = Index.open(tmp_path / "idx")
    with reader.snapshot():
        pinned = reader.view()
        dense_before = reader.dense_search(x[300], 5)
        writer.write([_batch("b", x[200:])])  # commits while the search is under way
        assert reader.view() is pinned and reader.dense_search(x[300], 5) == dense_before
    assert reader.view().generation == pinned.generation + 1 and reader.view().n_live == 400
    assert reader.dense_search(x[300], 1)[0][0] > 200  # the new rows are found once the block ends


def test_a_hybrid_search_runs_its_dense_side_in_another_thread_on_the_same_generation(tmp_path, embedder):
    import threading

    from assistant.retrieval import Retriever

    x = _clustered(400, d=16)
    writer = Index.create(tmp_path / "idx", "test-model", 16)
    writer.write([_batch("a", x[:200])])
    reader = Index.open(tmp_path / "idx")
    retriever = Retriever(reader, embedder)
    dense_threads = []
    search_dense = reader.dense_search
    reader.dense_search = lambda *a, **k: dense_threads.append(threading.current_thread()) or search_dense(*a, **k)
    before = [(h.chunk.id, h.score) for h in retriever.search("frase300", 10, "hybrid", query_vector=x[300])]
    assert dense_threads[-1] is not threading.current_thread()  # the graph search overlapped the BM25 passes
    with reader.snapshot():
        writer.write([_batch("b", x[200:])])  # commits while the search is under way
        pinned = [(h.chunk.id, h.score) for h in retriever._search("frase300", 10, "hybrid", Filters(), x[300])]
    assert pinned == before  # the worker thread read the generation this thread pinned, not the new one
    after = retriever.search("frase300", 10, "hybrid", query_vector=x[300])
    assert after[0].chunk.id > 200 and dense_threads[-1] is not threading.current_thread()


def test_bm25_over_the_touched_rows_equals_bm25_over_every_row(monkeypatch):
    """The sparse path (a query's postings are few against the rows) ranks exactly as the dense one: same
    rows, same doubles, ties by row, with and without a filter."""
    from index import lexical

    rng = np.random.default_rng(7)
    words = [f"w{i}" for i in range(300)]
    # Zipf-like word use and few distinct lengths: many equal scores, as in real text
    texts = [" ".join(rng.choice(words, size=int(rng.integers(3, 9)), p=_zipf(len(words)))) for _ in range(20_000)]
    postings = lexical.Postings.build(texts)
    norms = lexical.length_norms(postings.lengths, float(postings.lengths.mean()))
    valid = rng.random(len(texts)) > 0.3
    for n_terms in (1, 2, 4):
        for _ in range(20):
            terms = list(rng.choice(words[50:], size=n_terms, replace=False))  # rarer words: the sparse path
            idf = lexical.idf(len(texts), np.array([np.count_nonzero([t in x.split() for x in texts[:2000]]) + 1
                                                    for t in terms]))
            for mask in (None, valid):
                monkeypatch.setattr(lexical, "SPARSE_RATIO", 10**9)
                dense = lexical.top_scores(postings, terms, idf, norms, 10, mask)
                monkeypatch.setattr(lexical, "SPARSE_RATIO", 0)
                sparse = lexical.top_scores(postings, terms, idf, norms, 10, mask)
                assert (dense is None) == (sparse is None)
                if dense is not None:
                    assert dense[0].tolist() == sparse[0].tolist() and dense[1].tolist() == sparse[1].tolist()


def _zipf(n):
    weights = 1.0 / np.arange(1, n + 1)
    return weights / weights.sum()
