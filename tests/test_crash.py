"""A writer killed with SIGKILL mid-ingest leaves the previous index readable and whole."""
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from assistant import Assistant

from conftest import ROOT

KILL_POINTS = {
    # Rows are inserted but not committed, the first file of the new segment is fully written.
    "after_vector_file": "index.store._write_file_atomically",
    # Inside the transaction, half-way through inserting documents.
    "mid_insert": "index.store._insert_document",
}


def _writer_script(index_dir, corpus, target):
    return textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        import index.store as store
        from assistant import Assistant
        module_name, function_name = {target!r}.rsplit(".", 1)
        original = getattr(store, function_name)
        calls = []
        def dying(*args, **kwargs):
            result = original(*args, **kwargs)
            calls.append(1)
            if len(calls) >= 2 or function_name == "_write_file_atomically":
                os.kill(os.getpid(), signal.SIGKILL)
            return result
        setattr(store, function_name, dying)
        Assistant.open({str(index_dir)!r}).ingest([{str(corpus)!r}])
    """)


def _state(assistant):
    return assistant.info()["documents"], assistant.info()["chunks"], assistant.info()["vectors"]


@pytest.mark.parametrize("kill_point", sorted(KILL_POINTS))
def test_sigkill_inside_the_write_keeps_the_previous_index(writable_sample, tmp_path, kill_point):
    index_dir = writable_sample.index.path
    before = _state(writable_sample)
    answer_before = writable_sample.search("tropas europeas", k=3)
    corpus = tmp_path / "more.jsonl"
    corpus.write_text("\n".join(json.dumps({"id": f"extra-{i}", "title": f"Extra {i}",
                                            "text": f"Noticia número {i} sobre la cumbre de la OTAN en Vilna."})
                                for i in range(5)))
    proc = subprocess.run([sys.executable, "-c", _writer_script(index_dir, corpus, KILL_POINTS[kill_point])],
                          env=dict(os.environ, HF_HUB_OFFLINE="1"), capture_output=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]

    reopened = Assistant.open(index_dir, create=False)
    assert _state(reopened) == before
    assert [h.chunk.id for h in reopened.search("tropas europeas", k=3)] == [h.chunk.id for h in answer_before]
    assert reopened.document("extra-0") is None

    # The next writer goes through and leaves no stray segment files behind.
    report = reopened.ingest([corpus])
    assert len(report.added) == 5
    assert _state(reopened)[0] == before[0] + 5
    assert not list(index_dir.glob("segments/*.tmp"))


def test_sigkill_at_a_random_moment_of_a_long_ingest(writable_sample, tmp_path):
    index_dir = writable_sample.index.path
    before = _state(writable_sample)
    corpus = tmp_path / "long.jsonl"
    corpus.write_text("\n".join(json.dumps({"id": f"long-{i}", "title": f"Larga {i}",
                                            "text": " ".join([f"Frase {j} de la crónica {i} sobre el frente."
                                                              for j in range(40)])})
                                for i in range(60)))
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "ingest", str(corpus), "--index", str(index_dir)],
                            env=dict(os.environ, HF_HUB_OFFLINE="1"), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(8)  # model loaded, embedding under way
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    reopened = Assistant.open(index_dir, create=False)
    after = _state(reopened)
    # Either the whole batch committed or none of it did; never a mix.
    assert after == before or after[0] == before[0] + 60
    assert after[1] == after[2]


# ---- creating an index --------------------------------------------------------------------------
def _creator_killed_at_the_manifest(index_dir):
    """Creates an index and SIGKILLs itself after the second manifest row is written."""
    return textwrap.dedent(f"""
        import os, signal, sqlite3, sys
        sys.path.insert(0, {str(ROOT)!r})
        class DiesInTheManifest(sqlite3.Connection):
            def executemany(self, sql, rows):
                if "INSERT INTO manifest" not in sql:
                    return super().executemany(sql, rows)
                for n, row in enumerate(rows, start=1):
                    self.execute(sql, row)
                    if n == 2:
                        os.kill(os.getpid(), signal.SIGKILL)
        connect = sqlite3.connect
        sqlite3.connect = lambda *args, **kwargs: connect(*args, factory=DiesInTheManifest, **kwargs)
        from index.store import Index
        Index.create({str(index_dir)!r}, "sentence-transformers/all-MiniLM-L6-v2", 384)
    """)


def test_sigkill_while_an_index_is_created_leaves_no_half_made_index(tmp_path, embedder):
    index_dir = tmp_path / "index"
    proc = subprocess.run([sys.executable, "-c", _creator_killed_at_the_manifest(index_dir)],
                          env=dict(os.environ, HF_HUB_OFFLINE="1"), capture_output=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]

    info = subprocess.run([sys.executable, "-m", "assistant", "info", "--index", str(index_dir)],
                          env=dict(os.environ, HF_HUB_OFFLINE="1"), cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert "Traceback" not in info.stderr and "no index at" in info.stderr, info.stderr[-2000:]

    # The next writer creates the index whole and ingests.
    corpus = tmp_path / "one.jsonl"
    corpus.write_text(json.dumps({"id": "leon", "text": "La alcaldesa de León, Rosa Paz, inauguró el puente."}))
    assistant = Assistant.open(index_dir)
    assert assistant.ingest([corpus]).added == ("leon",)
    assert assistant.info()["documents"] == 1
    assert not list(index_dir.glob(".*creating*"))  # the dead creator's temporary file was cleared


CREATOR = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, sys.argv[1])
    from index.store import Index
    start = float(sys.argv[3])
    time.sleep(max(0.0, start - time.time()))  # all creators start together
    index = Index.create(sys.argv[2], "sentence-transformers/all-MiniLM-L6-v2", 384)
    print(index.model_name, index.dimension)
""")


def test_processes_creating_one_index_at_once_all_succeed(tmp_path):
    folders, creators = 4, 3  # every creator of every folder starts at the same moment
    start = time.time() + 6  # time enough for every process to import faiss first
    procs = [(tmp_path / f"index-{n}", subprocess.Popen(
        [sys.executable, "-c", CREATOR, str(ROOT), str(tmp_path / f"index-{n}"), str(start)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)) for n in range(folders) for _ in range(creators)]
    for index_dir, proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-2000:]
        assert out.split() == ["sentence-transformers/all-MiniLM-L6-v2", "384"]
        assert not list(index_dir.glob(".*creating*"))


# ---- a document removed by another writer while a question is answered ----------------------------
def _remove_after(owner, method_name, index_dir, removed):
    """Let `method_name` run for real, then remove the document of its first result through a second
    Assistant on the same folder, as another process would, before the answer cites it."""
    original = getattr(owner, method_name)
    other = Assistant.open(index_dir, create=False)

    def then_remove(*args, **kwargs):
        results = original(*args, **kwargs)
        if results and not removed:
            removed.append(results[0].doc_id)
            assert other.remove([results[0].doc_id]) == [results[0].doc_id]
        return results
    return then_remove


def test_a_document_removed_before_it_is_cited_is_left_out(writable_sample, monkeypatch):
    from assistant import retrieval

    index_dir = writable_sample.index.path
    removed: list[str] = []
    real_search = retrieval.Retriever.search
    other = Assistant.open(index_dir, create=False)

    def search_then_remove(self, *args, **kwargs):
        hits = real_search(self, *args, **kwargs)
        if hits and not removed:
            removed.append(hits[0].chunk.doc_id)
            assert other.remove([hits[0].chunk.doc_id]) == [hits[0].chunk.doc_id]
        return hits

    monkeypatch.setattr(retrieval.Retriever, "search", search_then_remove)
    answer = writable_sample.ask("¿Quién propuso enviar tropas europeas a Ucrania?")
    assert removed and removed[0] not in {c.doc_id for c in answer.citations}
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    for citation in answer.citations:
        assert writable_sample.document(citation.doc_id).text[citation.start:citation.end] == citation.text


def test_a_quote_whose_document_is_removed_before_it_is_cited_is_left_out(writable_sample, monkeypatch):
    index_dir = writable_sample.index.path
    removed: list[str] = []
    book = writable_sample.book  # every answer path reads quotes through the PeopleBook
    monkeypatch.setattr(book, "quotes", _remove_after(book, "quotes", index_dir, removed))
    answer = writable_sample.ask("What did Peskov say?")
    assert removed and removed[0] not in {c.doc_id for c in answer.citations}
    for citation in answer.citations:
        assert writable_sample.document(citation.doc_id).text[citation.start:citation.end] == citation.text
