"""Security regressions of `fuentes serve`, each through the real HTTP routes of a real server."""
from __future__ import annotations

import json

import pytest

from ui.testing import running_server

SECRET = "Texto secreto del servidor que ningún cliente debe poder leer.\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("security")) as server:
        yield server


def call_gradio(client, api_name: str, data: list) -> list[tuple[str, str]]:
    """Run a Gradio event through its HTTP API; returns the (event, data) pairs it streamed."""
    started = client.post(f"/gradio_api/call/{api_name}", json={"data": data})
    assert started.status_code == 200, started.text
    event_id = started.json()["event_id"]
    stream = client.get(f"/gradio_api/call/{api_name}/{event_id}")
    events, name = [], None
    for line in stream.text.splitlines():
        if line.startswith("event:"):
            name = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            events.append((name, line.split(":", 1)[1].strip()))
    return events


def test_chat_upload_never_reads_a_path_the_client_names(server, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    with server.client() as client:
        events = call_gradio(client, "ingest", [[{"path": str(secret), "meta": {"_type": "gradio.FileData"}}]])
        assert events and events[-1][0] == "error", events
        assert client.get("/api/documents/secret").status_code == 404
        assert all(d["id"] != "secret" for d in client.get("/api/documents").json()["documents"])


def test_chat_upload_of_a_really_uploaded_file_still_ingests(server, tmp_path):
    article = ("El puerto de Vigo bate su récord de tráfico\n"
               "El puerto de Vigo movió 4,6 millones de toneladas en 2025, un 8 % más que el año anterior.\n")
    with server.client() as client:
        uploaded = client.post("/gradio_api/upload", files=[("files", ("vigo.txt", article.encode(), "text/plain"))])
        assert uploaded.status_code == 200, uploaded.text
        [path] = uploaded.json()
        events = call_gradio(client, "ingest", [[{"path": path, "meta": {"_type": "gradio.FileData"}}]])
        assert events[-1][0] == "complete", events
        assert "Added 1" in json.loads(events[-1][1])[0]
        assert client.get("/api/documents/vigo").json()["text"] == article.strip()


# ---- Host names (DNS rebinding) and cross-site writes ---------------------------------------------
ARTICLE = ("La Rioja amplía su red de bibliotecas rurales\n"
           "El consejero Rubio anunció en Logroño doce nuevas salas de lectura para pueblos pequeños.\n")


def test_only_local_host_names_are_served(server):
    port = server.url.rsplit(":", 1)[1]
    with server.client() as client:
        for local in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "LOCALHOST"):
            assert client.get("/api/health", headers={"Host": local}).status_code == 200, local
        for foreign in ("rebind.example", f"rebind.example:{port}", "127.0.0.1.rebind.example", ""):
            for path in ("/api/health", "/", "/api/documents"):
                refused = client.get(path, headers={"Host": foreign})
                assert refused.status_code == 400, (foreign, path)
                assert "--allowed-host" in refused.json()["error"]


def test_cross_site_writes_are_refused(server):
    files = [("files", ("rioja.txt", ARTICLE.encode(), "text/plain"))]
    with server.client() as client:
        for header in ({"Origin": "http://evil.example"}, {"Referer": "http://evil.example/page.html"},
                       {"Origin": "null"}, {"Origin": f"http://localhost:1{server.url.rsplit(':', 1)[1]}"}):
            refused = client.post("/api/documents", files=files, headers=header)
            assert refused.status_code == 403, header
            assert "cross-site" in refused.json()["error"]
            assert client.post("/gradio_api/upload", files=files, headers=header).status_code == 403
        assert client.get("/api/documents/rioja").status_code == 404

        # The same page's own writes, and clients that send no Origin (curl, scripts), go through.
        same = client.post("/api/documents", files=files, headers={"Origin": server.url})
        assert same.status_code == 201, same.text
        assert client.delete("/api/documents/rioja", headers={"Origin": "http://evil.example"}).status_code == 403
        assert client.get("/api/documents/rioja").status_code == 200
        assert client.delete("/api/documents/rioja").status_code == 200
        # Reading stays open to any origin: the browser itself keeps the answer from a foreign page.
        assert client.get("/api/health", headers={"Origin": "http://evil.example"}).status_code == 200


CREDENTIALS = ("ana", "s3cret")


@pytest.fixture(scope="module")
def guarded_server(tmp_path_factory):
    """Signed in, under a proxy name, with a short upload time limit. Its sign-in throttle test runs last."""
    with running_server(tmp_path_factory.mktemp("guarded"), "--auth", "ana:s3cret",
                        "--allowed-host", "news.example.org", "--upload-seconds", "0.5") as server:
        yield server


def test_allowed_host_names_a_proxy_name(guarded_server):
    with guarded_server.client(auth=CREDENTIALS) as client:
        for name in ("news.example.org", "NEWS.example.org:443", "localhost"):
            assert client.get("/api/documents", headers={"Host": name}).status_code == 200, name
        refused = client.get("/api/documents", headers={"Host": "archive.example.org"})
        assert refused.status_code == 400 and "--allowed-host archive.example.org" in refused.json()["error"]
        question = {"question": "¿Qué dijo Rubio?"}
        assert client.post("/api/ask", json=question, headers={"Host": "news.example.org",
                                                               "Origin": "https://news.example.org"}).status_code == 200
        assert client.post("/api/ask", json=question, headers={"Host": "news.example.org",
                                                               "Origin": "https://evil.example"}).status_code == 403


def test_allowed_hosts_from_the_environment(server, monkeypatch):
    from click.testing import CliRunner

    import ui.server
    from ui.cli import serve

    calls = []
    monkeypatch.setattr(ui.server, "run", lambda service, **kw: calls.append(kw))
    index = ["--index", str(server.index)]
    env = {"FUENTES_ALLOWED_HOSTS": "archive.example.org  news.example.org", "FUENTES_AUTH": "ana:pw"}
    assert CliRunner().invoke(serve, index, env=env).exit_code == 0
    assert CliRunner().invoke(serve, [*index, "--allowed-host", "only.example.org"], env=env).exit_code == 0
    assert CliRunner().invoke(serve, [*index, "--host", "192.168.1.20"], env={"FUENTES_AUTH": "ana:pw"}).exit_code == 0
    local = {"localhost", "127.0.0.1", "::1"}
    assert [c["allowed_hosts"] for c in calls] == [local | {"archive.example.org", "news.example.org"},
                                                   local | {"only.example.org"}, local | {"192.168.1.20"}]


# ---- failed sign-ins are throttled ---------------------------------------------------------------
def test_the_throttle_remembers_a_bounded_number_of_clients():
    from ui.guard import MAX_TRACKED_CLIENTS, LoginThrottle

    throttle = LoginThrottle(app=None)
    for n in range(MAX_TRACKED_CLIENTS + 50):
        throttle._record(f"10.0.{n // 256}.{n % 256}", 1.0)
    assert len(throttle.failures) == MAX_TRACKED_CLIENTS
    assert "10.0.0.0" not in throttle.failures  # the oldest went first
    for _ in range(3 * throttle.max_failures):
        throttle._record("10.9.9.9", 2.0)
    assert len(throttle.failures["10.9.9.9"]) == throttle.max_failures


# ---- uploads: hostile content is refused through the real route, and never holds the service -------
ALIAS_BOMB = ("---\n"
              'a: &a ["Rubio","Rubio","Rubio","Rubio","Rubio","Rubio","Rubio","Rubio","Rubio"]\n'
              + "".join(f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefg", "bcdefgh"))
              + "title: [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n---\nEl ministro Rubio visitó León.\n")


def uploaded_names(server) -> set[str]:
    folder = server.index / "uploads"
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def test_yaml_alias_bomb_upload_is_refused(server):
    assert len(ALIAS_BOMB) < 600  # a few hundred bytes that would expand to billions of strings
    with server.client() as client:
        response = client.post("/api/documents", files=[("files", ("bomba.md", ALIAS_BOMB.encode(), "text/markdown"))])
        assert response.status_code == 422, response.text[:500]
        assert "aliases" in response.json()["error"]
        assert "bomba.md" not in uploaded_names(server)
        assert len(client.get("/api/documents").content) < 100_000
        assert client.get("/api/documents/bomba").status_code == 404


def test_lone_surrogates_give_clear_4xx_or_a_skipped_line(server):
    good = json.dumps({"id": "paz-leon", "text": "La alcaldesa de León, Rosa Paz, abrió el mercado de abastos."})
    bad = '{"id": "roto", "text": "Rubio dijo \\ud800 algo"}'
    with server.client() as client:
        response = client.post("/api/documents", files=[("files", ("mezcla.jsonl", f"{good}\n{bad}\n".encode(),
                                                                   "application/jsonl"))])
        assert response.status_code == 201, response.text
        assert response.json()["added"] == ["paz-leon"]
        [skipped] = response.json()["skipped"]
        assert skipped["file"] == "mezcla.jsonl:2" and "line 2" in skipped["reason"] and "surrogate" in skipped["reason"]

        for raw in (b'{"question": "\\ud800"}', b'{"question": "Qu\\u00e9 dijo Paz \\udc00?"}',
                    b'{"question": "What did Paz say?", "doc_ids": ["\\ud800"]}',
                    b'{"question": "What did Paz say?", "doc_ids": "\\ud800"}',
                    b'{"question": "What did Paz say?", "\\ud800": 1}'):
            response = client.post("/api/ask", content=raw, headers={"Content-Type": "application/json"})
            assert response.status_code == 422, (raw, response.status_code, response.text[:300])
            assert response.json()["status"] == 422
        assert client.post("/api/ask", json={"question": "¿Qué dijo Rosa Paz?"}).status_code == 200
        assert client.delete("/api/documents/paz-leon").status_code == 200


def test_two_files_with_one_name_in_one_upload_are_refused(server):
    files = [("files", ("cronica.txt", "Crónica de Rubio en León.\nRubio habló.\n".encode(), "text/plain")),
             ("files", ("cronica.txt", "Otra crónica de Paz.\nPaz habló.\n".encode(), "text/plain"))]
    with server.client() as client:
        response = client.post("/api/documents", files=files)
        assert response.status_code == 400 and "two files named 'cronica.txt'" in response.json()["error"]
        assert client.get("/api/documents/cronica").status_code == 404
    assert "cronica.txt" not in uploaded_names(server)


def test_fully_rejected_uploads_leave_no_file_behind(server):
    bad_lines = '{"id": "a/b", "text": "Rosa Paz."}\n{"id": "c", "text": "Paz \\u0000 León"}\nnot json\n'
    with server.client() as client:
        response = client.post("/api/documents", files=[
            ("files", ("rechazado.jsonl", bad_lines.encode(), "application/jsonl")),
            ("files", ("vacio.md", b"---\ntitle: Solo metadatos\n---\n", "text/markdown"))])
        assert response.status_code == 422
        assert len(response.json()["details"]) == 4
    assert not {"rechazado.jsonl", "vacio.md"} & uploaded_names(server)


def test_an_upload_over_the_time_limit_is_refused_and_questions_keep_answering(guarded_server):
    articles = "\n".join(json.dumps({
        "id": f"pleno-{i}", "title": f"Pleno municipal {i}",
        "text": " ".join(f"La concejala Rosa Paz dijo en el pleno {i} que el presupuesto {j} de León "
                         f"crecerá un {j} por ciento." for j in range(30))}) for i in range(40))
    server = guarded_server
    with server.client(auth=CREDENTIALS) as client:
        response = client.post("/api/documents", files=[("files", ("plenos.jsonl", articles.encode(), "text/plain"))])
        assert response.status_code == 413, response.text[:300]
        assert "longer than 0.5 s" in response.json()["error"] and "fuentes ingest" in response.json()["error"]
        assert client.get("/api/documents").json() == {"documents": []}
        assert "plenos.jsonl" not in uploaded_names(server)
        assert client.post("/api/ask", json={"question": "¿Qué dijo Rosa Paz?"}).status_code == 200


# Last: it locks this client out of signing in for a minute.
def test_failed_sign_ins_are_throttled(guarded_server):
    from ui.guard import MAX_FAILED_LOGINS

    with guarded_server.client() as client:
        for attempt in range(MAX_FAILED_LOGINS):
            if attempt % 2:
                assert client.get("/api/documents", auth=("ana", f"guess{attempt}")).status_code == 401
            else:
                wrong = client.post("/login", data={"username": "ana", "password": f"guess{attempt}"})
                assert wrong.status_code == 400
        for throttled in (client.post("/login", data={"username": "ana", "password": "s3cret"}),
                          client.get("/api/documents", auth=("ana", "s3cret"))):
            assert throttled.status_code == 429
            assert int(throttled.headers["retry-after"]) >= 1
            assert "too many failed sign-ins" in throttled.json()["error"]
        # Requests that do not sign in are not held up.
        assert client.get("/api/health").status_code == 200
