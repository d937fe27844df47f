"""Shared fixtures: the real bundled model, loaded once, and a sample index built once per session."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_ARTICLES = ROOT / "data" / "articles"


def _shared_data() -> Path:
    """The given data (XQuAD, seed sets): $FUENTES_SHARED_DATA, else a `shared/data` beside the checkout or
    beside one of its parents (worktrees sit one level deeper), else the documented place."""
    if os.environ.get("FUENTES_SHARED_DATA"):
        return Path(os.environ["FUENTES_SHARED_DATA"])
    found = (d / "shared" / "data" for d in ROOT.parents if (d / "shared" / "data" / "xquad").is_dir())
    return next(found, ROOT.parent / "shared" / "data")


SHARED_DATA = _shared_data()


@pytest.fixture(scope="session")
def embedder():
    from index.embedding import load_embedder

    return load_embedder()


def assistant_over(folder: Path, articles: dict[str, str]):
    """A fresh index in `folder` over articles written there as `name: text` files."""
    from assistant import Assistant

    paths = []
    for name, text in articles.items():
        paths.append(folder / name)
        paths[-1].write_text(text, encoding="utf-8")
    assistant = Assistant.open(folder / "index")
    assistant.ingest(paths)
    return assistant


@pytest.fixture(scope="session")
def sample_index_dir(tmp_path_factory, embedder) -> Path:
    """An index of the three sample articles; tests that write must copy it (see `sample_assistant`)."""
    from assistant import Assistant

    path = tmp_path_factory.mktemp("sample") / "index"
    Assistant.open(path).ingest([SAMPLE_ARTICLES])
    return path


@pytest.fixture(scope="session")
def sample(sample_index_dir):
    """A read-only Assistant over the sample articles."""
    from assistant import Assistant

    return Assistant.open(sample_index_dir, create=False)


@pytest.fixture
def writable_sample(sample_index_dir, tmp_path):
    """A private copy of the sample index for tests that ingest or remove."""
    from assistant import Assistant

    path = tmp_path / "index"
    shutil.copytree(sample_index_dir, path)
    return Assistant.open(path, create=False)


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL + pgvector on 127.0.0.1, started once, stopped at the end of the session."""
    from postgres_server import PostgresServer

    server = PostgresServer()
    try:
        yield server
    finally:
        server.stop()
