"""The index directory: exact dense search, incremental ingest, removal, format and model checks."""
import json
import sqlite3

import numpy as np
import pytest

from assistant import Assistant
from index.errors import IndexFormatError, IndexNotFoundError, ModelMismatchError
from index.filters import Filters
from index.store import DB_NAME, Index

from conftest import SAMPLE_ARTICLES

NEWS = [
    {"id": "kremlin", "title": "El Kremlin responde", "published": "2025-09-05",
     "text": "El portavoz del Kremlin, Dmitri Peskov, dijo que Moscú no aceptará tropas extranjeras en Ucrania."},
    {"id": "paris", "title": "Cumbre en París", "published": "2025-09-04",
     "text": "Los líderes europeos se reunieron en París para discutir garantías de seguridad para Kiev."},
    {"id": "markets", "title": "Bolsas", "published": "2025-08-01",
     "text": "Las bolsas europeas cerraron con ganancias impulsadas por el sector energético."},
    {"id": "weather", "title": "Storm warning", "published": "2025-07-15",
     "text": "Forecasters warned that a strong storm will bring heavy rain to the coast on Friday."},
]


def write_jsonl(path, articles):
    path.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in articles) + "\n")
    return path


@pytest.fixture
def news(tmp_path):
    assistant = Assistant.open(tmp_path / "index")
    assistant.ingest([write_jsonl(tmp_path / "news.jsonl", NEWS)])
    return assistant


def test_dense_search_equals_brute_force_numpy_top_k(news, embedder):
    index = news.index
    vectors = index.vectors()
    ids = np.array([vectors.id_map.at(i) for i in range(vectors.ntotal)])
    matrix = np.stack([vectors.reconstruct(int(i)) for i in ids])
    for query in ["tropas extranjeras", "storm and rain", "garantías de seguridad", "bolsa"]:
        q = embedder.embed_query(query)
        expected_scores = matrix @ q
        order = np.argsort(-expected_scores)[:3]
        got = index.dense_search(q, 3)
        # Allow ties: compare scores, and ids where scores differ.
        assert [round(s, 5) for _, s in got] == [round(float(expected_scores[i]), 5) for i in order]
        assert got[0][0] == int(ids[order[0]]) or np.isclose(got[0][1], expected_scores[order[1]])


def test_every_stored_chunk_slices_its_document(news):
    for info in news.documents():
        doc = news.document(info.id)
        ids = news.index.chunk_ids(Filters.of([info.id]))
        for chunk in news.index.chunks(ids).values():
            assert doc.text[chunk.start:chunk.end] == chunk.text


def test_unchanged_documents_are_skipped_changed_replaced_and_removed(tmp_path, news):
    before = news.info()
    report = news.ingest([write_jsonl(tmp_path / "news.jsonl", NEWS)])
    assert report.unchanged == ("kremlin", "markets", "paris", "weather") or set(report.unchanged) == {
        "kremlin", "paris", "markets", "weather"}
    assert report.added == () and report.replaced == ()
    assert news.info()["vectors"] == before["vectors"]

    old_chunk_ids = set(news.index.chunk_ids(Filters.of(["markets"])))
    changed = [dict(a, text="Las bolsas asiáticas cayeron por el miedo a una guerra comercial.")
               if a["id"] == "markets" else a for a in NEWS]
    report = news.ingest([write_jsonl(tmp_path / "news.jsonl", changed)])
    assert report.replaced == ("markets",)
    assert "asiáticas" in news.document("markets").text
    new_chunk_ids = set(news.index.chunk_ids(Filters.of(["markets"])))
    assert not old_chunk_ids & new_chunk_ids
    stored_ids = {news.index.vectors().id_map.at(i) for i in range(news.index.vectors().ntotal)}
    assert not old_chunk_ids & stored_ids and new_chunk_ids <= stored_ids
    assert news.search("bolsas asiáticas guerra comercial", k=1)[0].chunk.doc_id == "markets"

    assert news.remove(["weather", "nope"]) == ["weather"]
    assert news.document("weather") is None
    assert all(h.chunk.doc_id != "weather" for h in news.search("storm rain coast", k=10))
    assert news.info()["vectors"] == news.info()["chunks"]


def test_broken_files_are_skipped_and_reported_while_the_rest_goes_in(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.txt").write_text("La OTAN anunció nuevas maniobras en el Báltico.")
    (folder / "empty.txt").write_text("   \n")
    (folder / "latin1.txt").write_bytes("Declaración del ministro de Economía".encode("latin-1") + b"\xe9")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG")
    assistant = Assistant.open(tmp_path / "index")
    report = assistant.ingest([folder])
    assert report.added == ("good",)
    skipped = {s.path.rsplit("/", 1)[-1]: s.reason for s in report.skipped}
    assert set(skipped) == {"empty.txt", "latin1.txt", "binary.txt"}
    assert "UTF-8" in skipped["latin1.txt"]
    assert assistant.search("maniobras Báltico", k=1)[0].chunk.doc_id == "good"


def test_opening_a_missing_index_says_how_to_make_one(tmp_path):
    with pytest.raises(IndexNotFoundError, match="fuentes ingest"):
        Assistant.open(tmp_path / "nothing", create=False)


def test_an_unknown_format_version_is_refused_not_misread(news):
    db = sqlite3.connect(news.index.path / DB_NAME)
    with db:
        db.execute("UPDATE manifest SET value = '99' WHERE key = 'format_version'")
    db.close()
    with pytest.raises(IndexFormatError, match="format version 99"):
        Index.open(news.index.path)


def test_an_index_is_only_used_with_its_own_model(news):
    with pytest.raises(ModelMismatchError, match="all-MiniLM-L6-v2"):
        Assistant.open(news.index.path, model="intfloat/multilingual-e5-base")


def test_a_reader_sees_new_documents_once_a_writer_commits(tmp_path, news):
    reader = Assistant.open(news.index.path, create=False)
    assert reader.search("portavoz del Kremlin", k=1)[0].chunk.doc_id == "kremlin"
    extra = [{"id": "baltic", "title": "Báltico",
              "text": "La armada sueca detectó un submarino cerca de la isla de Gotland."}]
    news.ingest([write_jsonl(tmp_path / "extra.jsonl", extra)])
    assert reader.search("submarino Gotland", k=1)[0].chunk.doc_id == "baltic"


def test_mean_vector_tracks_additions_and_removals(news):
    vectors = news.index.vectors()
    matrix = np.stack([vectors.reconstruct(int(vectors.id_map.at(i))) for i in range(vectors.ntotal)])
    assert np.allclose(news.index.mean_vector(), matrix.mean(axis=0), atol=1e-5)
    news.remove(["paris"])
    vectors = news.index.vectors()
    matrix = np.stack([vectors.reconstruct(int(vectors.id_map.at(i))) for i in range(vectors.ntotal)])
    assert np.allclose(news.index.mean_vector(), matrix.mean(axis=0), atol=1e-5)


def test_sample_articles_ingest_with_their_ids_and_source_url(sample):
    ids = [d.id for d in sample.documents()]
    assert ids == sorted(p.stem for p in SAMPLE_ARTICLES.glob("*.txt"))
    assert sample.document("001_ab8ee154ac1eb8ca").url.startswith("https://www.zerohedge.com/")
