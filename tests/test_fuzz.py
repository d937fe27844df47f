"""Bounded fuzzing: the loaders never raise on any file, and the HTTP API never answers >= 500."""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.sources import read_sources
from index.types import Document, SkippedFile
from ui.testing import running_server

ARTICLE = ("La alcaldesa de León inaugura el mercado\n"
           "La alcaldesa de León, Rosa Paz, dijo que \"el mercado abrirá todos los días\" y el concejal Rubio "
           "añadió que costará dos millones de euros.\n")

# Text a hostile client can send: any character, lone surrogates (JSON escapes allow them), NUL, huge words.
nasty_text = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.sampled_from(["\ud800", "a\udfffb", "\x00", "..", "../../etc/passwd", "$$x^2$$", "<script>x</script>",
                     " ", "León/Paz", "a" * 5000]),
    st.builds(lambda a, b: a + b, st.text(max_size=20), st.sampled_from(["\ud800", "\x00", "\u202e", "\ufeff"])),
)
json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), nasty_text),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(nasty_text, children, max_size=4)),
    max_leaves=8,
)
FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


# ---- loaders ---------------------------------------------------------------------------------------
def jsonl_line(record) -> str:
    return json.dumps(record, ensure_ascii=True)  # lone surrogates become \ud800 escapes, as a client would send


file_contents = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.builds(lambda meta, body: f"---\n{meta}\n---\n{body}".encode("utf-8", "surrogatepass"),
              st.text(max_size=120), st.text(max_size=120)),
    st.lists(st.dictionaries(st.sampled_from(["id", "title", "text", "url", "published"]), json_value, max_size=5)
             .map(jsonl_line), max_size=4).map(lambda lines: "\n".join(lines).encode()),
)


@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(suffix=st.sampled_from([".txt", ".md", ".html", ".jsonl"]), content=file_contents)
def test_loaders_read_or_skip_any_file(tmp_path_factory, suffix, content):
    path = tmp_path_factory.mktemp("fuzz") / f"articulo{suffix}"
    path.write_bytes(content)
    for item in read_sources([path]):
        assert isinstance(item, (Document, SkippedFile))
        if isinstance(item, SkippedFile):
            assert item.reason
        else:
            item.text.encode("utf-8")  # storable text: no lone surrogates
            assert "\x00" not in item.text and item.text.strip()
            assert "/" not in item.id and ".." not in item.id
            assert isinstance(item.title, str) and len(item.title) <= 1000


# ---- the HTTP API ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz-server")
    article = tmp / "mercado_leon.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    with running_server(tmp, ingest=[article]) as server:  # one short article: its own small index
        yield server


@pytest.fixture(scope="module")
def client(server):
    with server.client() as client:
        yield client


def assert_no_server_error(response):
    assert response.status_code < 500, (response.request.method, response.request.url, response.text[:300])
    if response.status_code >= 400 and response.request.url.path.startswith("/api/"):
        assert response.json()["error"]


@FUZZ
@given(body=st.one_of(json_value, st.fixed_dictionaries({"question": nasty_text},
                                                        optional={"k": json_value, "doc_ids": json_value})))
def test_ask_never_fails_on_any_body(client, body):
    raw = json.dumps(body, ensure_ascii=True).encode()
    assert_no_server_error(client.post("/api/ask", content=raw, headers={"Content-Type": "application/json"}))


@FUZZ
@given(raw=st.binary(max_size=300))
def test_ask_never_fails_on_any_bytes(client, raw):
    assert_no_server_error(client.post("/api/ask", content=raw, headers={"Content-Type": "application/json"}))


@FUZZ
@given(q=nasty_text, k=st.one_of(st.integers(-5, 60), nasty_text), mode=nasty_text, doc_id=nasty_text,
       speaker=nasty_text)
def test_reading_routes_never_fail(client, q, k, mode, doc_id, speaker):
    safe = lambda s: quote(s.encode("utf-8", "surrogatepass"), safe="")  # noqa: E731
    assert_no_server_error(client.get(f"/api/search?q={safe(q)}&k={safe(str(k))}&mode={safe(mode)}"
                                      f"&doc_id={safe(doc_id)}"))
    assert_no_server_error(client.get(f"/api/documents/{safe(doc_id)}"))
    assert_no_server_error(client.get(f"/api/quotes?speaker={safe(speaker)}&doc_id={safe(doc_id)}"))
    assert_no_server_error(client.delete(f"/api/documents/{safe(doc_id)}x"))


@settings(FUZZ, max_examples=15)
@given(name=st.one_of(nasty_text, st.sampled_from(["a.txt", "b.md", "c.jsonl", "d.html"])), content=file_contents)
def test_uploads_never_fail(client, name, content):
    try:
        files = [("files", (name, content or b" ", "text/plain"))]
        response = client.post("/api/documents", files=files)
    except UnicodeEncodeError:
        return  # the client library cannot even send such a name
    assert_no_server_error(response)
    if response.status_code == 201:
        for doc_id in response.json()["added"]:
            assert client.delete(f"/api/documents/{quote(doc_id, safe='')}").status_code == 200


def test_the_server_still_answers_after_the_fuzzing(client):
    assert client.get("/api/health").json()["status"] == "ok"
    answer = client.post("/api/ask", json={"question": "¿Cuánto costará el mercado de León?"}).json()
    assert any("mercado" in c["text"] for c in answer["citations"])
