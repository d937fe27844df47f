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
    batch = embedder.embed(NEWS)
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
    import faiss

    x = _clustered(20_000)
    ids = np.arange(1, len(x) + 1, dtype=np.int64) * 7
    exact = faiss.IndexIDMap2(faiss.IndexFlatIP(x.shape[1]))
    exact.add_with_ids(x, ids)
    graph = build_graph(exact)
    queries = _clustered(200, seed=1)
    truth = ids[np.argsort(-(queries @ x.T), axis=1)[:, :10]]
    _, found = graph.search(queries, 10)
    recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth)])
    assert recall >= 0.98


def _batch(doc_id, vectors):
    text = " ".join(f"frase{i}." for i in range(len(vectors)))
    pieces, chunks, cursor = text.split(" "), [], 0
    for piece in pieces:
        chunks.append(NewChunk(cursor, cursor + len(piece), piece, piece))
        cursor += len(piece) + 1
    return DocumentBatch(Document(doc_id, doc_id, text), "es", chunks, vectors)


def test_index_switches_to_hnsw_at_size_and_keeps_generations(tmp_path, monkeypatch):
    """Above the threshold a graph file joins each generation; additions extend it, removals rebuild it,
    and dense search (plain and filtered) agrees with exact search over the exact map."""
    monkeypatch.setattr(store, "HNSW_MIN_VECTORS", 1500)
    x = _clustered(3000, d=32)
    index = Index.create(tmp_path / "idx", "test-model", 32)
    index.write([_batch("a", x[:1000])])
    assert not any(tmp_path.joinpath("idx").glob("*.hnsw.faiss"))
    assert index.stats()["vector_index"] == "exact"
    index.write([_batch("b", x[1000:2000])])
    index.write([_batch("c", x[2000:])])
    assert index.stats()["vector_index"] == "hnsw"
    index.write([], remove_ids=["b"])
    reopened = Index.open(tmp_path / "idx")
    assert reopened.stats()["vectors"] == 2000
    graphs = sorted(p.name for p in tmp_path.joinpath("idx").glob("*.hnsw.faiss"))
    assert graphs == [f"vectors.{reopened.generation() - 1}.hnsw.faiss", f"vectors.{reopened.generation()}.hnsw.faiss"]

    exact = reopened.vectors()
    for q in _clustered(50, d=32, seed=3):
        D, I = exact.search(q.reshape(1, -1), 10)
        found = [i for i, _ in reopened.dense_search(q, 10)]
        assert len(set(found) & set(I[0].tolist())) >= 9
    allowed = reopened.chunk_ids(Filters.of(["a"]))
    q = x[2500]
    filtered = [i for i, _ in reopened.dense_search(q, 5, Filters.of(["a"]))]
    brute = sorted(allowed, key=lambda i: -float(exact.reconstruct(i) @ q))[:5]
    assert filtered == brute


def test_large_graphs_search_wider(tmp_path, monkeypatch):
    """The graph's efSearch follows the index size at query time, whatever the file was built with."""
    monkeypatch.setattr(store, "HNSW_MIN_VECTORS", 500)
    monkeypatch.setattr(store, "HNSW_LARGE_VECTORS", 1000)
    x = _clustered(1200, d=32)
    index = Index.create(tmp_path / "idx", "test-model", 32)
    index.write([_batch("a", x[:600])])
    index.dense_search(x[0], 5)
    assert faiss_inner_hnsw(index).efSearch == store.HNSW_EF_SEARCH
    index.write([_batch("b", x[600:])])
    index.dense_search(x[0], 5)
    assert faiss_inner_hnsw(index).efSearch == store.HNSW_EF_SEARCH_LARGE


def faiss_inner_hnsw(index):
    import faiss

    return faiss.downcast_index(index.search_vectors().index).hnsw
