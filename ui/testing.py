"""Start a real `fuentes serve` on a free loopback port and a Debian Chromium, for tests and benchmarks."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_ARTICLES = sorted((ROOT / "data" / "articles").glob("*.txt"))
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, url: str, process: subprocess.Popen, log: Path, index: Path):
        self.url, self.process, self.log, self.index = url, process, log, index

    def client(self, **kwargs) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, **kwargs)

    def upload(self, paths: list[Path], auth: tuple[str, str] | None = None) -> dict:
        files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in paths]
        with self.client(auth=auth) as client:
            response = client.post("/api/documents", files=files)
        assert response.status_code == 201, response.text
        return response.json()


@contextmanager
def running_server(tmp: Path, *extra_args: str, ingest: list[Path] | None = None,
                   auth: tuple[str, str] | None = None, timeout: float = 600,
                   env_vars: dict[str, str] | None = None) -> Iterator[Server]:
    """Start `fuentes serve` on a free 127.0.0.1 port with a fresh index under `tmp`; stop it after.

    The timeout is generous on purpose: on a loaded 2-core machine loading torch and the model
    has taken minutes, and a slow start is not what the tests check."""
    port = free_port()
    index = tmp / "index"
    log = tmp / "serve.log"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1"}
    env.pop("FUENTES_INDEX", None)
    env.pop("FUENTES_AUTH", None)
    env.pop("FUENTES_ALLOWED_HOSTS", None)
    # The code under test, whatever the caller's PYTHONPATH (a relative one would not hold in `tmp`).
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    env.update(env_vars or {})
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant", "serve", "--index", str(index), "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning", *extra_args],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=tmp,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log, index)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"fuentes serve exited with {process.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(f"{server.url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"fuentes serve did not answer /api/health in {timeout}s:\n{log.read_text()}")
            time.sleep(0.3)
        if ingest:
            server.upload(ingest, auth=auth)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    """Terminate a server process, killing it if it does not exit in `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def ask_json(client: httpx.Client, question: str, **body) -> dict:
    """POST /api/ask and return the answer's JSON, failing with the body on any status but 200."""
    response = client.post("/api/ask", json={"question": question, **body})
    assert response.status_code == 200, response.text
    return response.json()


def launch_chromium(playwright):
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: install Debian's Chromium with `apt-get install -y chromium` "
                           f"(the browser tests never use `playwright install`)")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
