"""The index contract, run on both stores: SQLite + FAISS (a folder) and PostgreSQL + pgvector (a URL).

The PostgreSQL server is real (tests/postgres_server.py), started once per session on 127.0.0.1.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

from assistant import Assistant
from index.errors import IndexFormatError, ModelMismatchError
from index.filters import Filters
from index.locations import open_index

from conftest import ROOT

NEWS = [
    {"id": "kremlin", "title": "El Kremlin responde", "published": "2025-09-05",
     "text": "El portavoz del Kremlin, Dmitri Peskov, dijo que Moscú no aceptará tropas extranjeras en Ucrania. "
             "«No hay nada que negociar con quien no quiere escuchar», afirmó Peskov ante la prensa."},
    {"id": "paris", "title": "Cumbre en París", "published": "2025-09-04",
     "text": "Los líderes europeos se reunieron en París para discutir garantías de seguridad para Kiev. "
             "La ministra Margarita Robles aseguró que España enviará instructores militares."},
    {"id": "markets", "title": "Bolsas", "published": "2025-08-01",
     "text": "Las bolsas europeas cerraron con ganancias impulsadas por el sector energético."},
    {"id": "weather", "title": "Storm warning", "published": "2025-07-15",
     "text": "Forecasters warned that a strong storm will bring heavy rain to the coast on Friday. "
             "\"Stay away from the beaches,\" said Laura Young, the head of the coastguard."},
]
QUERIES = ["tropas extranjeras", "storm and rain", "garantías de seguridad para Kiev", "bolsas energético",
           "What did Peskov say?", "instructores militares españoles"]


def write_jsonl(path, articles):
    path.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in articles) + "\n", encoding="utf-8")
    return path


@pytest.fixture(params=["sqlite", "postgres"])
def location(request, tmp_path):
    if request.param == "sqlite":
        return tmp_path / "index"
    return request.getfixturevalue("postgres_server").new_database()


@pytest.fixture
def news(location, tmp_path):
    assistant = Assistant.open(location)
    assistant.ingest([write_jsonl(tmp_path / "news.jsonl", NEWS)])
    return assistant


def all_chunks(assistant):
    index = assistant.index
    return index.chunks(index.chunk_ids(Filters()))


def test_stored_chunks_and_quotes_slice_their_documents(news):
    chunks = all_chunks(news)
    assert {c.doc_id for c in chunks.values()} == {a["id"] for a in NEWS}
    for chunk in chunks.values():
        assert news.document(chunk.doc_id).text[chunk.start:chunk.end] == chunk.text
    quotes = news.quotes()
    assert any(q.speaker == "Dmitri Peskov" for q in quotes)
    for quote in quotes:
        assert news.document(quote.doc_id).text[quote.start:quote.end] == quote.text


def test_dense_search_equals_brute_force_numpy_top_k(news, embedder):
    chunks = all_chunks(news)
    ids = sorted(chunks)
    matrix = embedder.embed([chunks[i].text for i in ids])
    for query in QUERIES:
        q = embedder.embed_query(query)
        expected = matrix @ q
        order = np.argsort(-expected)[:3]
        got = news.index.dense_search(q, 3)
        assert [round(s, 4) for _, s in got] == [round(float(expected[i]), 4) for i in order]
        assert got[0][0] == ids[order[0]] or np.isclose(got[0][1], expected[order[1]], atol=1e-4)


def test_unchanged_skipped_changed_replaced_removed(news, tmp_path):
    report = news.ingest([write_jsonl(tmp_path / "news.jsonl", NEWS)])
    assert set(report.unchanged) == {a["id"] for a in NEWS} and not report.added and not report.replaced
    old = set(news.index.chunk_ids(Filters(doc_ids=("markets",))))
    changed = [dict(a, text="Las bolsas asiáticas cayeron por el miedo a una guerra comercial.")
               if a["id"] == "markets" else a for a in NEWS]
    assert news.ingest([write_jsonl(tmp_path / "news.jsonl", changed)]).replaced == ("markets",)
    new = set(news.index.chunk_ids(Filters(doc_ids=("markets",))))
    assert new and not old & new
    assert news.search("bolsas asiáticas guerra comercial", k=1)[0].chunk.doc_id == "markets"
    assert news.remove(["weather", "nope"]) == ["weather"]
    assert news.document("weather") is None
    assert all(h.chunk.doc_id != "weather" for h in news.search("storm rain coast", k=10))
    stats = news.info()
    assert (stats["documents"], stats["vectors"]) == (3, stats["chunks"])


def test_filters_by_document_and_date(news, embedder):
    q = embedder.embed_query("noticias de Europa")
    for filters, expected in [(Filters(doc_ids=("paris", "markets")), {"paris", "markets"}),
                              (Filters(published_from="2025-09-01"), {"kremlin", "paris"}),
                              (Filters(published_to="2025-08-01"), {"markets", "weather"}),
                              (Filters(doc_ids=("kremlin", "weather"), published_to="2025-08-01"), {"weather"})]:
        dense = news.index.dense_search(q, 10, filters)
        docs = {news.index.chunks([i])[i].doc_id for i, _ in dense}
        assert docs == expected, filters
        hits = news.search("europeas seguridad tormenta bolsas tropas", k=10, doc_ids=filters.doc_ids,
                           published_from=filters.published_from, published_to=filters.published_to)
        assert {h.chunk.doc_id for h in hits} <= expected
    assert news.index.dense_search(q, 5, Filters(doc_ids=())) == []
    assert news.index.lexical_search(["bols"], 5, Filters(doc_ids=())) == []


def test_mean_vector_tracks_additions_and_removals(news, embedder):
    def expected():
        chunks = all_chunks(news)
        return embedder.embed([c.text for c in chunks.values()]).mean(axis=0)

    assert np.allclose(news.index.mean_vector(), expected(), atol=1e-4)
    news.remove(["paris"])
    assert np.allclose(news.index.mean_vector(), expected(), atol=1e-4)


def test_answers_cite_exact_spans(news):
    answer = news.ask("What did Peskov say?")
    assert answer.citations and {c.speaker for c in answer.citations} == {"Dmitri Peskov"}
    for c in answer.citations:
        assert news.document(c.doc_id).text[c.start:c.end] == c.text


def test_an_index_is_only_used_with_its_own_model(news, location):
    with pytest.raises(ModelMismatchError, match=news.index.model_name.rsplit("/", 1)[-1]):
        Assistant.open(location, model="intfloat/multilingual-e5-base")


def test_a_reader_keeps_reading_while_a_writer_commits(news, location, tmp_path):
    reader = Assistant.open(location, create=False)
    expected = [(h.chunk.id, round(h.score, 6)) for h in reader.search("portavoz del Kremlin", k=2)]
    extra = [{"id": f"baltic-{i}", "title": f"Báltico {i}",
              "text": f"La armada sueca detectó el submarino número {i} cerca de la isla de Gotland."} for i in range(6)]
    errors, seen = [], []
    done = threading.Event()

    def read():
        try:
            while not done.is_set():
                hits = reader.search("portavoz del Kremlin", k=2)
                seen.append(hits[0].chunk.doc_id)
        except Exception as exc:  # noqa: BLE001 - the test reports any reader failure
            errors.append(exc)

    thread = threading.Thread(target=read)
    thread.start()
    try:
        news.ingest([write_jsonl(tmp_path / "extra.jsonl", extra)])
    finally:
        done.set()
        thread.join()
    assert not errors and seen and set(seen) == {"kremlin"}
    assert [(h.chunk.id, round(h.score, 6)) for h in reader.search("portavoz del Kremlin", k=2)][0] == expected[0]
    assert reader.search("submarino Gotland", k=1)[0].chunk.doc_id.startswith("baltic-")


_KILLED_WRITER = """
import os, signal, sys
sys.path.insert(0, {root!r})
import index.store, index.pg_store
from assistant import Assistant
# Inside the write transaction: after every row went in (PostgreSQL, one COPY per table),
# half-way through the documents (SQLite, one document at a time).
if {location!r}.startswith("postgresql"):
    module, name, deadly_call = index.pg_store, "_insert_documents", 1
else:
    module, name, deadly_call = index.store, "_insert_document", 2
original = getattr(module, name)
calls = []
def dying(*args, **kwargs):
    result = original(*args, **kwargs)
    calls.append(1)
    if len(calls) >= deadly_call:
        os.kill(os.getpid(), signal.SIGKILL)
    return result
setattr(module, name, dying)
Assistant.open({location!r}).ingest([{corpus!r}])
"""


def test_sigkill_inside_the_write_keeps_the_previous_index(news, location, tmp_path):
    before = news.info()
    hits_before = [(h.chunk.id, round(h.score, 6)) for h in news.search("tropas europeas", k=3)]
    corpus = write_jsonl(tmp_path / "more.jsonl", [
        {"id": f"extra-{i}", "title": f"Extra {i}", "text": f"Noticia número {i} sobre la cumbre de la OTAN en Vilna."}
        for i in range(5)])
    script = _KILLED_WRITER.format(root=str(ROOT), location=str(location), corpus=str(corpus))
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, timeout=300,
                          env=dict(os.environ, HF_HUB_OFFLINE="1"))
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
    after = Assistant.open(location, create=False)
    stats = after.info()
    for key in ("documents", "chunks", "quotes", "vectors", "generation"):
        assert stats[key] == before[key], key
    assert [(h.chunk.id, round(h.score, 6)) for h in after.search("tropas europeas", k=3)] == hits_before
    assert after.ingest([corpus]).added == tuple(f"extra-{i}" for i in range(5))


def test_lexical_scores_agree_between_the_stores(tmp_path, postgres_server):
    """BM25 in SQL uses FTS5's formula: the same corpus gets the same scores on both stores."""
    corpus = write_jsonl(tmp_path / "news.jsonl", NEWS)
    folder = Assistant.open(tmp_path / "folder")
    folder.ingest([corpus])
    database = Assistant.open(postgres_server.new_database())
    database.ingest([corpus])
    texts = lambda a, ranking: [(a.index.chunks([i])[i].text, round(s, 5)) for i, s in ranking]  # noqa: E731
    for terms, field in [(["bols", "energet"], "stems"), (["trop", "extranjer", "ucrani"], "stems"),
                         (["storm", "rain", "coast"], "stems"), (["garan", "segur"], "cognates")]:
        expected = texts(folder, folder.index.lexical_search(terms, 5, field=field))
        assert expected, terms
        assert texts(database, database.index.lexical_search(terms, 5, field=field)) == expected, terms


def test_an_unknown_schema_version_is_refused(postgres_server):
    import psycopg

    url = postgres_server.new_database()
    Assistant.open(url)
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("UPDATE fuentes.manifest SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(IndexFormatError, match="schema version 99"):
        open_index(url)


def test_two_processes_creating_one_database_index_both_succeed(postgres_server):
    url = postgres_server.new_database()
    script = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from index.pg_store import PgIndex; " \
             f"print(PgIndex.create({url!r}, 'm', 8).dimension)"
    procs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1].decode()[-800:] for o in outputs]
    assert [o[0].decode().strip() for o in outputs] == ["8", "8"]


def test_fuentes_copy_moves_a_folder_index_into_postgresql_and_back(tmp_path, postgres_server):
    from click.testing import CliRunner

    from assistant.cli import cli

    news = Assistant.open(tmp_path / "folder")
    news.ingest([write_jsonl(tmp_path / "news.jsonl", NEWS)])
    url = postgres_server.new_database()
    result = CliRunner().invoke(cli, ["copy", str(news.index.path), url])
    assert result.exit_code == 0, result.output
    assert "4 documents copied, 0 already there" in result.output
    copied = Assistant.open(url, create=False)
    assert copied.info()["chunks"] == news.info()["chunks"] and copied.info()["quotes"] == news.info()["quotes"]
    assert copied.index.model_name == news.index.model_name
    for question in ["What did Peskov say?", "¿Qué dijo Robles?"]:
        assert copied.ask(question).to_dict()["citations"] == news.ask(question).to_dict()["citations"]
    again = CliRunner().invoke(cli, ["copy", str(news.index.path), url])
    assert "0 documents copied, 4 already there" in again.output
    back = CliRunner().invoke(cli, ["copy", url, str(tmp_path / "back")])
    assert back.exit_code == 0, back.output
    assert Assistant.open(tmp_path / "back", create=False).search("tropas extranjeras", k=1)[0].chunk.doc_id == "kremlin"


def test_both_stores_implement_the_store_protocol(news):
    from index.protocol import Store

    members = [m for m in dir(Store) if not m.startswith("_")] + list(Store.__annotations__)
    assert [m for m in members if not hasattr(news.index, m)] == []
    assert isinstance(news.index, Store)
    assert news.index.location and news.info()["documents"] == len(NEWS)


def test_the_cli_takes_a_postgresql_url_wherever_it_takes_an_index_folder(tmp_path, postgres_server):
    from click.testing import CliRunner

    from assistant.cli import cli

    url = postgres_server.new_database()
    corpus = write_jsonl(tmp_path / "news.jsonl", NEWS)
    runner = CliRunner()
    ingested = runner.invoke(cli, ["ingest", str(corpus), "--index", url])
    assert ingested.exit_code == 0, ingested.output
    assert "4 added" in ingested.output
    asked = runner.invoke(cli, ["ask", "What did Peskov say?", "--json"], env={"FUENTES_INDEX": url})
    assert asked.exit_code == 0, asked.output
    assert {c["speaker"] for c in json.loads(asked.output)["citations"]} == {"Dmitri Peskov"}
    info = json.loads(runner.invoke(cli, ["info", "--index", url, "--json"]).output)
    assert (info["store"], info["documents"]) == ("postgresql", 4)
    missing = runner.invoke(cli, ["info", "--index", postgres_server.new_database()])
    assert missing.exit_code == 1 and "fuentes ingest" in missing.output
    unreachable = runner.invoke(cli, ["info", "--index", "postgresql://nobody@127.0.0.1:1/none"])
    assert unreachable.exit_code == 1 and "cannot reach PostgreSQL" in unreachable.output
