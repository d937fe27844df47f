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
