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
