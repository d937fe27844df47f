"""Start-up imports only what a command uses: checked on the real modules a fresh process loads."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Libraries that only ingest, evaluation or the bench need; none belongs on the query path.
NOT_FOR_QUERIES = ("ranx", "matplotlib", "langchain_core", "langchain_text_splitters", "numba", "scipy",
                   "bm25s", "trafilatura", "pandas", "sklearn", "gradio")
_REPORT = (
    "import json, sys\n"
    "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
)


def _loaded(code: str, **env: str) -> set[str]:
    """Top-level modules loaded by `code` in a fresh interpreter (not this test process's imports)."""
    environ = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", **env)
    out = subprocess.run([sys.executable, "-c", code + _REPORT], env=environ, capture_output=True, text=True,
                         timeout=180, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_cli_ask_loads_no_ingest_or_evaluation_library(sample_index_dir, embedder):
    assert embedder.onnx is not None, "the bundled model's ONNX export must exist for a torch-free ask"
    loaded = _loaded(
        "from assistant.cli import cli\n"
        f"try:\n    cli(['ask', '¿Qué propuso Macron sobre las tropas europeas?', '--index', {str(sample_index_dir)!r}])\n"
        "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
    )
    assert {"assistant", "index", "faiss", "onnxruntime"} <= loaded  # it really answered
    assert loaded.isdisjoint(NOT_FOR_QUERIES), sorted(loaded & set(NOT_FOR_QUERIES))
    assert "torch" not in loaded and "sentence_transformers" not in loaded


def test_cli_help_loads_neither_faiss_nor_a_model():
    loaded = _loaded(
        "from assistant.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
    )
    assert loaded.isdisjoint({"faiss", "torch", "onnxruntime", "sentence_transformers", *NOT_FOR_QUERIES})


def test_serve_start_up_loads_no_evaluation_or_ingest_library(sample_index_dir, embedder):
    # What `fuentes serve` does before it listens: open the service, warm it up, build the app.
    loaded = _loaded(
        "from ui.cli import serve\n"
        "from ui.server import create_app\n"
        "from ui.service import Service\n"
        f"service = Service.open({str(sample_index_dir)!r})\n"
        "service.documents()\nservice.warm_up()\ncreate_app(service)\n"
    )
    assert "gradio" in loaded and "fastapi" in loaded
    assert loaded.isdisjoint({"ranx", "matplotlib", "langchain_core", "langchain_text_splitters", "numba", "bm25s",
                              "trafilatura", "torch"}), sorted(loaded)


def test_stopword_lists_are_bm25s_lists_read_without_its_import_chain():
    loaded = _loaded("from index.text import STOPWORDS\nassert 'el' in STOPWORDS['es'] and 'the' in STOPWORDS['en']\n")
    assert loaded.isdisjoint({"bm25s", "numba", "scipy"})
    from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_SPANISH

    from index.text import STOPWORDS

    assert STOPWORDS == {"es": frozenset(STOPWORDS_SPANISH), "en": frozenset(STOPWORDS_EN_PLUS)}


def test_eval_without_the_eval_extra_says_what_to_install(tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"id": "q1", "question": "¿Qué dijo Peskov?", "gold_ids": ["002_723bcfcd4b6f1e05"]}\n')
    # sys.modules[name] = None makes `import name` fail exactly as when the package is not installed.
    code = (
        "import sys\n"
        "sys.modules['ranx'] = None\n"
        "from click.testing import CliRunner\n"
        "from assistant.cli import cli\n"
        f"r = CliRunner().invoke(cli, ['eval', {str(questions)!r}, '--corpus', {str(ROOT / 'data' / 'articles')!r}])\n"
        "print(r.exit_code)\nprint(r.output)\n"
    )
    environ = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1")
    out = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=300,
                         cwd=ROOT)
    assert out.returncode == 0, out.stderr
    exit_code, _, message = out.stdout.partition("\n")
    assert exit_code == "1"
    assert "needs ranx" in message and "pip install 'fuentes[eval]'" in message and ".[eval]" in message


def test_report_plot_without_matplotlib_says_what_to_install():
    module = "matplotlib"
    code = (
        f"import sys\nsys.modules[{module!r}] = None\n"
        "from index.errors import FuentesError\n"
        "from assistant.evaluation import require_eval_extra\n"
        f"try:\n    require_eval_extra({module!r})\nexcept FuentesError as e:\n    print(e)\n"
    )
    environ = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=60)
    assert f"`fuentes eval` needs {module}" in out.stdout and "[eval]" in out.stdout, out.stdout + out.stderr
