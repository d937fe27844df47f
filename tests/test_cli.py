"""The `fuentes` command as a user runs it, through click's runner."""
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from index.embedding import DEFAULT_MODEL

from conftest import ROOT, SAMPLE_ARTICLES


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


def test_ingest_ask_search_quotes_people_info_remove(run, tmp_path):
    index = tmp_path / "index"
    result = run("ingest", SAMPLE_ARTICLES, "--index", index)
    assert result.exit_code == 0, result.output
    assert "3 added, 0 replaced, 0 unchanged, 0 skipped" in result.output

    result = run("ingest", SAMPLE_ARTICLES, "--index", index, "--json")
    assert json.loads(result.output)["unchanged"] == sorted(p.stem for p in SAMPLE_ARTICLES.glob("*.txt"))

    result = run("ask", "What did Peskov say?", "--index", index, "--json")
    answer = json.loads(result.output)
    assert answer["intent"] == "quote" and answer["citations"][0]["speaker"] == "Dmitri Peskov"

    result = run("ask", "What did Peskov say?", "--index", index)
    assert "esfuerzos muy constructivos" in result.output and "[1] " in result.output

    result = run("search", "tropas europeas", "--index", index, "--json", "-k", "3")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["rank"] for line in lines] == [1, 2, 3]

    result = run("quotes", "--speaker", "peskov", "--index", index, "--json")
    quotes = [json.loads(line) for line in result.output.splitlines()]
    assert quotes and {q["speaker"] for q in quotes} == {"Dmitri Peskov"}

    result = run("people", "--index", index)
    assert "Dmitri Peskov" in result.output

    result = run("info", "--index", index)
    assert "documents: 3" in result.output and DEFAULT_MODEL in result.output

    result = run("remove", "002_723bcfcd4b6f1e05", "--index", index)
    assert result.exit_code == 0 and "removed 1" in result.output
    result = run("remove", "002_723bcfcd4b6f1e05", "--index", index)
    assert result.exit_code == 1 and "fuentes info" in result.output


def test_index_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("FUENTES_INDEX", str(tmp_path / "env-index"))
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(SAMPLE_ARTICLES / "000_dd2e3692a9aa2054.txt")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env-index" / "fuentes.sqlite3").exists()


def test_asking_without_an_index_says_how_to_build_one(run, tmp_path):
    result = run("ask", "What did Peskov say?", "--index", tmp_path / "missing")
    assert result.exit_code == 1
    assert "no index at" in result.output and "fuentes ingest" in result.output


def test_skipped_files_are_listed_and_exit_3(run, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.md").write_text("---\ntitle: Cumbre\n---\nLa cumbre terminó sin acuerdo sobre Ucrania.\n")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    result = run("ingest", folder, "--index", tmp_path / "index")
    assert result.exit_code == 3
    assert "1 added" in result.output and "scan.pdf" in result.output and ".pdf" in result.output


def test_bad_options_are_usage_errors(run, tmp_path):
    result = run("ask", "hola", "-k", "0", "--index", tmp_path)
    assert result.exit_code == 2 and "-k" in result.output


def test_help_does_not_load_torch_or_faiss():
    code = ("import sys; from click.testing import CliRunner; from assistant.cli import cli; "
            "r = CliRunner().invoke(cli, ['--help']); assert 'ingest' in r.output, r.output; "
            "print(sorted(m for m in ('torch', 'faiss', 'sentence_transformers') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_python_dash_m_assistant_is_the_same_command():
    out = subprocess.run([sys.executable, "-m", "assistant", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0 and "ask" in out.stdout and "quotes" in out.stdout
