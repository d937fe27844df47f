"""MaxScore in the in-memory BM25 returns exactly what the full sum returns: rows, scores, ties, filters."""
import numpy as np

from index import lexical, store
from index.filters import Filters
from index.store import DocumentBatch, Index, NewChunk
from index.types import Document

# Ordinary Spanish news words; the first ones occur in most chunks, as "de" or "gobierno" do in news.
WORDS = ("de la el en que los gobierno presidente dijo ministro madrid sánchez rubio león rosa paz congreso "
         "acuerdo votación partido reunión semana mercado empresa bolsa precio energía crisis ucrania moscú "
         "kiev parís tropas seguridad frontera elecciones encuesta campaña tribunal juez sentencia fiscal "
         "huelga sindicato salario pensiones vivienda alquiler incendio lluvia sequía embalse cosecha").split()


def _zipf_texts(rng, n):
    weights = 1.0 / np.arange(1, len(WORDS) + 1) ** 0.8
    weights /= weights.sum()
    # few distinct lengths and term counts: many equal scores, so ties are decided by row
    return [" ".join(rng.choice(WORDS, size=int(rng.integers(4, 9)), p=weights)) for _ in range(n)]


def _document(doc_id, texts, published):
    chunks, cursor = [], 0
    for text in texts:
        chunks.append(NewChunk(cursor, cursor + len(text), text, text, text))
        cursor += len(text) + 1
    vectors = np.ones((len(texts), 4), dtype=np.float32) / 2.0
    return DocumentBatch(Document(doc_id, doc_id, " ".join(texts), published=published), "es", chunks, vectors)


def test_maxscore_equals_the_full_sum_on_a_real_index(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "DELTA_MAX_ROWS", 2000)  # keep the second write as its own segment
    rng = np.random.default_rng(11)
    index = Index.create(tmp_path / "idx", "test-model", 4)
    days = [f"2025-0{m}-1{d}" for m in range(1, 7) for d in range(5)]
    index.write([_document(f"d{i}", _zipf_texts(rng, 100), days[i % len(days)]) for i in range(40)])
    index.write([_document(f"e{i}", _zipf_texts(rng, 100), days[(i * 7) % len(days)]) for i in range(10)])
    index.write([], remove_ids=["d3", "e1"])  # tombstones in both segments
    assert len(index.view().segments) == 2

    engaged = []
    max_score = lexical._max_score
    monkeypatch.setattr(lexical, "_max_score", lambda *a: engaged.append(r := max_score(*a)) or r)
    queries = [[w] for w in ("de", "sánchez", "cosecha", "inexistente")]  # one-term queries
    queries += [list(rng.choice(WORDS, size=int(rng.integers(2, 9)), replace=False)) for _ in range(60)]
    queries += [["de", "la", "el", "en", "que", "embalse"], ["de", "la", "sequía"], ["gobierno", "de", "de"]]
    filters = [None, Filters.of(doc_ids=[f"d{i}" for i in range(0, 40, 3)]),
               Filters.of(published_from="2025-02-10", published_to="2025-03-12")]
    for field in ("stems", "cognates"):
        for terms in queries:
            for filt in filters:
                for k in (1, 10, 50):
                    monkeypatch.setattr(lexical, "MAXSCORE_MIN_POSTINGS", 10**12)
                    full = index.lexical_search(terms, k, filt, field=field)
                    monkeypatch.setattr(lexical, "MAXSCORE_MIN_POSTINGS", 0)
                    fast = index.lexical_search(terms, k, filt, field=field)
                    assert fast == full, (field, terms, filt, k)  # ids and scores to the last bit, ties by id
    skipped = [r for r in engaged if r is not None]
    assert len(skipped) > 100  # MaxScore really ran (not only its fallbacks) on most multi-term queries
    assert any(len(set(s[1].tolist())) < len(s[1]) for s in skipped)  # and ties were among its results


def test_max_impacts_bound_every_contribution_and_survive_a_round_trip(tmp_path):
    rng = np.random.default_rng(5)
    postings = lexical.Postings.build(_zipf_texts(rng, 3000))
    path = tmp_path / "p.npz"
    with open(path, "wb") as f:
        postings.save_to(f)
    loaded = lexical.Postings.load(path)
    assert loaded.max_impact.tolist() == postings.max_impact.tolist()
    assert loaded.impact_mean_length == postings.impact_mean_length
    # a segment saved before the bounds were stored gets the same bounds at load
    with open(path, "wb") as f:
        np.savez(f, terms=np.array("\n".join(postings.vocabulary)), indptr=postings.indptr, rows=postings.rows,
                 tf=postings.tf, lengths=postings.lengths)
    assert lexical.Postings.load(path).max_impact.tolist() == postings.max_impact.tolist()
    # the bound holds whatever the corpus mean length is (other segments change it)
    columns = np.arange(len(postings.vocabulary))
    for mean_length in (postings.impact_mean_length * 0.5, postings.impact_mean_length, 3 * postings.impact_mean_length):
        norms = lexical.length_norms(postings.lengths, mean_length)
        bounds = postings.impact_bounds(columns, mean_length)
        for column in columns:
            start, stop = postings.indptr[column], postings.indptr[column + 1]
            tf = postings.tf[start:stop].astype(np.float64)
            actual = tf * (lexical.K1 + 1.0) / (tf + norms[postings.rows[start:stop]])
            assert actual.max() <= bounds[column]
            if mean_length == postings.impact_mean_length:
                assert bounds[column] <= actual.max() * (1 + 1e-6)  # and is tight at the segment's own mean


def test_a_merge_recomputes_the_bounds_and_a_term_left_without_rows_bounds_nothing():
    first = lexical.Postings.build(["sequía embalse", "sequía cosecha lluvia", "embalse"])
    second = lexical.Postings.build(["huelga sindicato", "sequía"])
    keep_first = np.array([True, False, True])  # drops the only row holding "cosecha" and "lluvia"
    merged = lexical.Postings.concatenate([(first, keep_first), (second, np.ones(2, dtype=bool))])
    rebuilt = lexical.Postings.build(["sequía embalse", "embalse", "huelga sindicato", "sequía"])
    for term, column in merged.vocabulary.items():
        if term in ("cosecha", "lluvia"):
            assert merged.max_impact[column] == 0.0
        else:
            assert merged.max_impact[column] == rebuilt.max_impact[rebuilt.vocabulary[term]]
