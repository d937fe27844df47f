"""Lexical, dense and hybrid retrieval: stemming and accents, hostile input, BM25 equal to FTS5, fusion, filters."""
import json

import pytest

from assistant import Assistant
from assistant.retrieval import (BALANCED_FUSION, E5_FUSION, RRF_K, fusion_for, fusion_weights, lexical_coverage,
                                 query_terms, reciprocal_rank_fusion)
from index.embedding import DEFAULT_MODEL
from index.errors import FuentesError

ARTICLES = [
    {"id": "tropas", "title": "Tropas", "published": "2025-03-02",
     "text": "El primer ministro británico propuso enviar una tropa europea de paz a Ucrania."},
    {"id": "gas", "title": "Gas", "published": "2025-05-10",
     "text": "La Comisión Europea negoció con Noruega el suministro de gas natural para el invierno."},
    {"id": "eleccion", "title": "Elección", "published": "2025-06-20",
     "text": "Los votantes rumanos eligieron un nuevo presidente tras una campaña muy polarizada."},
    {"id": "storm", "title": "Storm", "published": "2025-07-01",
     "text": "A powerful hurricane made landfall in Florida, forcing thousands of residents to evacuate."},
]


@pytest.fixture(scope="module")
def small(tmp_path_factory, embedder):
    folder = tmp_path_factory.mktemp("retrieval")
    corpus = folder / "news.jsonl"
    corpus.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES))
    assistant = Assistant.open(folder / "index")
    assistant.ingest([corpus])
    return assistant


def test_lexical_side_folds_accents_and_stems_plurals(small):
    hits = small.search("TROPAS europeas", k=2, mode="lexical")
    assert hits[0].chunk.doc_id == "tropas"
    assert small.search("eleccion presidente rumano", k=1, mode="lexical")[0].chunk.doc_id == "eleccion"


def test_english_stemming_applies_to_english_questions(small):
    assert small.search("hurricanes evacuating residents", k=1, mode="lexical")[0].chunk.doc_id == "storm"


@pytest.mark.parametrize("hostile", [
    '"', '""', "tropas\"", "AND", "OR tropas", "tropas NOT gas", "NEAR(tropas gas)", "NEAR(", "*", "tro*",
    "-gas", "(tropas", "tropas)", "^tropas", "col:tropas", "{terms}: gas", "🙂🚀", "'; DROP TABLE chunks; --",
    "\x00", "   ", "tropas AND AND OR NOT ((( ***",
])
def test_any_user_text_is_a_safe_lexical_query(small, hostile):
    for mode in ("lexical", "hybrid"):
        hits = small.search(hostile, k=3, mode=mode)
        assert all(h.chunk.doc_id in {a["id"] for a in ARTICLES} for h in hits)
    assert small.info()["chunks"] == 4  # nothing was dropped


def test_query_terms_drop_stopwords_in_both_languages():
    terms = query_terms("¿Qué dijo el portavoz sobre las tropas?")
    assert "que" not in terms and "el" not in terms and {"trop", "portavoz"} <= set(terms)
    terms = query_terms("What did the spokesman say about the troops?")
    assert "the" not in terms and "troop" in terms


def test_fusion_keeps_an_item_that_one_side_missed():
    fused = reciprocal_rank_fusion({"dense": [(7, 0.9), (3, 0.5)], "lexical": [(3, 12.0)]})
    assert [item for item, _ in fused] == [3, 7]
    assert dict(fused)[7] == pytest.approx(1 / (RRF_K + 1))


def test_lexical_weight_follows_how_much_of_the_question_the_index_knows(small):
    spanish = lexical_coverage(small.index, "¿Quién propuso enviar una tropa europea?")
    english = lexical_coverage(small.index, "Who proposed sending a European force?")
    assert spanish == 1.0 and english < 0.5
    for fusion in (E5_FUSION, BALANCED_FUSION):
        es, en = fusion_weights(spanish, fusion), fusion_weights(english, fusion)
        assert es["lexical"] > en["lexical"] and es["dense"] < en["dense"]
        assert en["dense"] > 0.9 * fusion.dense
    assert fusion_weights(english, E5_FUSION)["dense"] > fusion_weights(english, E5_FUSION)["lexical"]
    # MiniLM reads Spanish poorly, so there the stems lead a Spanish question; e5's vectors lead both.
    assert fusion_weights(spanish, BALANCED_FUSION)["lexical"] > fusion_weights(spanish, BALANCED_FUSION)["dense"]
    assert fusion_weights(spanish, E5_FUSION)["dense"] > fusion_weights(spanish, E5_FUSION)["lexical"]


def test_each_model_gets_the_fusion_fitted_to_it():
    assert fusion_for(DEFAULT_MODEL) is E5_FUSION and fusion_for("multilingual-e5-small") is E5_FUSION
    assert fusion_for("sentence-transformers/all-MiniLM-L6-v2") is BALANCED_FUSION
    assert fusion_for("all-MiniLM-L6-v2") is BALANCED_FUSION
    assert fusion_for("/models/some-other-model") is BALANCED_FUSION


def test_a_lexical_miss_never_removes_a_dense_hit(small):
    # English words absent from every article: the lexical side finds nothing, dense still answers.
    query = "volcanic eruption ash cloud"
    assert small.search(query, k=4, mode="lexical") == []
    dense = [h.chunk.id for h in small.search(query, k=4, mode="dense")]
    hybrid = [h.chunk.id for h in small.search(query, k=4, mode="hybrid")]
    assert hybrid == dense


def test_hybrid_ranks_carry_every_retrievers_score(small):
    top = small.search("suministro de gas natural", k=2)[0]
    assert top.chunk.doc_id == "gas" and top.rank == 1
    assert set(top.scores_by_retriever) == {"dense", "lexical", "cognate"}


def test_filters_by_document_and_date(small):
    assert {h.chunk.doc_id for h in small.search("Europa", k=10, doc_ids=["gas"])} == {"gas"}
    dated = small.search("noticias", k=10, published_from="2025-05-01", published_to="2025-06-30")
    assert {h.chunk.doc_id for h in dated} == {"gas", "eleccion"}
    assert small.search("tropas", k=5, doc_ids=[]) == []


def test_bad_k_and_mode_are_refused_with_the_valid_values(small):
    with pytest.raises(FuentesError, match="from 1 to 50"):
        small.search("gas", k=0)
    with pytest.raises(ValueError, match="dense"):
        small.search("gas", mode="semantic")


SENTENCES = [
    "El ministro Rubio viajó a León para reunirse con la alcaldesa Rosa Paz.",
    "La alcaldesa de León pidió más fondos para el puerto y el ferrocarril.",
    "Sánchez anunció en Madrid un plan de vivienda para jóvenes.",
    "Los agricultores protestaron en Madrid contra el plan de aguas del Gobierno.",
    "The European Commission approved new sanctions on Russian oil exports.",
    "Oil prices rose after the Commission announced the sanctions.",
    "El puerto de Valencia batió su récord de contenedores en marzo.",
    "La Paz fue la sede de la cumbre andina sobre el litio y el agua.",
    "Rubio dijo que el ferrocarril llegará a León en 2027.",
    "The storm closed the port of Valencia for two days.",
]


def _fts5_reference(rows: dict[int, str], match_terms: list[str], k: int) -> list[tuple[int, float]]:
    """SQLite FTS5's own bm25() over the same stored terms: the ranking the in-memory engine must equal."""
    import sqlite3

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(terms, tokenize = 'unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO t(rowid, terms) VALUES (?, ?)", rows.items())
    match = " OR ".join('"' + term + '"' for term in match_terms)
    return [(rowid, -score) for rowid, score in
            db.execute("SELECT rowid, bm25(t) FROM t WHERE t MATCH ? ORDER BY rank, rowid LIMIT ?", (match, k))]


def test_in_memory_bm25_equals_sqlite_fts5_across_segments_and_removals(tmp_path):
    import numpy as np

    from index.filters import Filters
    from index.ingest import lexical_terms
    from index.store import DocumentBatch, Index, NewChunk
    from index.types import Document

    index = Index.create(tmp_path / "idx", "test-model", 4)
    stored: dict[int, str] = {}
    for n, sentence in enumerate(SENTENCES):  # one write each: one segment each until they merge
        language = "en" if sentence.startswith("The") or sentence.startswith("Oil") else "es"
        terms = lexical_terms(sentence, language)
        chunk = NewChunk(0, len(sentence), sentence, terms)
        index.write([DocumentBatch(Document(f"d{n}", f"d{n}", sentence), language, [chunk],
                                   np.eye(4, dtype=np.float32)[[n % 4]])])
        stored[index.chunk_ids(Filters.of([f"d{n}"]))[0]] = terms
    questions = ["¿Qué dijo Rubio sobre el ferrocarril de León?", "plan de vivienda en Madrid",
                 "oil sanctions Commission", "puerto de Valencia", "La Paz agua litio"]

    def check():
        for question in questions:
            terms = query_terms(question)
            got = index.lexical_search(terms, 5)
            expected = _fts5_reference(stored, terms, 5)
            assert [i for i, _ in got] == [i for i, _ in expected], question
            assert [s for _, s in got] == pytest.approx([s for _, s in expected], rel=1e-9), question  # doubles, as FTS5

    check()
    assert index.known_terms(["leon", "rubi", "zzz"]) == {"leon", "rubi"}
    removed = index.chunk_ids(Filters.of(["d0", "d8"]))
    index.write([], remove_ids=["d0", "d8"])
    for chunk_id in removed:
        stored.pop(chunk_id)
    assert index.stats()["chunks"] == len(stored)
    check()
    # Rubio was only in the removed chunks: the vocabulary follows the live rows, tombstones or not.
    assert index.known_terms(["leon", "rubi", "zzz"]) == {"leon"}
