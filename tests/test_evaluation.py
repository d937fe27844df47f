"""`fuentes eval`: metrics against hand-computed values, question-set and BEIR loading, the command end to end."""
from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from assistant.evaluation import (
    EvaluationError,
    Evidence,
    Question,
    citation_precision,
    corpus_paths,
    deltas,
    evidence_recall,
    find_spans,
    load_baseline,
    load_questions,
    ranking_metrics,
    same_person,
    speaker_correct,
)
from assistant.types import Citation

# ---- metrics ---------------------------------------------------------------------------------


def test_ranking_metrics_match_hand_computed_values():
    gold = {"q1": ["a"], "q2": ["b", "c"], "q3": ["z"], "q4": ["d"]}
    ranked = {
        "q1": ["a", "x", "y"],           # gold first
        "q2": ["x", "b", "y", "c"],      # golds at 2 and 4
        "q3": ["x", "y"],                # gold never retrieved
        "q4": ["x", "y", "w", "v", "u", "d"],  # gold at 6: outside @5, inside @10
    }
    m = ranking_metrics(gold, ranked)
    assert m["q1"] == pytest.approx({"recall@1": 1, "recall@5": 1, "recall@10": 1, "mrr@10": 1, "ndcg@10": 1})
    # q2: DCG = 1/log2(3) + 1/log2(5); ideal = 1 + 1/log2(3)
    ndcg_q2 = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
    assert m["q2"] == pytest.approx({"recall@1": 0, "recall@5": 1, "recall@10": 1, "mrr@10": 0.5,
                                     "ndcg@10": ndcg_q2})
    assert m["q3"] == pytest.approx({"recall@1": 0, "recall@5": 0, "recall@10": 0, "mrr@10": 0, "ndcg@10": 0})
    assert m["q4"] == pytest.approx({"recall@1": 0, "recall@5": 0, "recall@10": 1, "mrr@10": 1 / 6,
                                     "ndcg@10": 1 / math.log2(7)})


def test_ranking_metrics_leave_out_questions_without_gold():
    assert set(ranking_metrics({"q1": ["a"], "q2": []}, {"q1": ["a"], "q2": ["a"]})) == {"q1"}


def test_evidence_recall_needs_the_whole_span_inside_a_retrieved_span():
    text = "Peskov dijo que fueron esfuerzos muy constructivos. Luego calló."
    ev1, ev2 = Evidence("d", "esfuerzos muy constructivos"), Evidence("d", "calló")
    located = {ev1: find_spans(text, ev1.text), ev2: find_spans(text, ev2.text)}
    assert located[ev1] == [(23, 50)]
    assert text[23:50] == ev1.text
    assert evidence_recall(located, [("d", 0, 52)]) == 0.5             # only ev1 inside
    assert evidence_recall(located, [("d", 0, 40)]) == 0.0             # ev1 cut in half: not found
    assert evidence_recall(located, [("other", 0, 64)]) == 0.0         # right span, wrong document
    assert evidence_recall(located, [("d", 0, 52), ("d", 52, 64)]) == 1.0
    assert evidence_recall({}, [("d", 0, 64)]) is None


def test_citation_precision_counts_citations_overlapping_gold():
    text = "Uno. Peskov habló de esfuerzos muy constructivos. Tres."
    ev = Evidence("d", "esfuerzos muy constructivos")
    located = {ev: find_spans(text, ev.text)}
    cited = [("d", 5, 49), ("d", 50, 55), ("e", 5, 49)]
    assert citation_precision(located, cited) == pytest.approx(1 / 3)
    assert citation_precision(located, []) is None


def test_speaker_match_is_accent_insensitive_on_the_surname():
    assert same_person("Peskov", "Dmitri Peskov")
    assert same_person("Barrot", "Jean-Noël Barrot")
    assert same_person("Zelenski", "Volodímir Zelenski")
    assert same_person("Peña", "Pena")
    assert not same_person("Peskov", "Vladimir Putin")
    assert not same_person("Peskov", None)


def _citation(n, speaker):
    return Citation(n, "d", "t", None, 0, 1, "x", 1.0, speaker)


def test_speaker_correct_needs_every_named_speaker_to_match():
    assert speaker_correct("Peskov", [_citation(1, "Dmitri Peskov"), _citation(2, None)])
    assert not speaker_correct("Peskov", [_citation(1, "Dmitri Peskov"), _citation(2, "Vladimir Putin")])
    assert not speaker_correct("Peskov", [_citation(1, None)])
    assert not speaker_correct("Peskov", [])


# ---- loading ---------------------------------------------------------------------------------


def test_question_set_loads_every_field(tmp_path):
    path = tmp_path / "qs.jsonl"
    path.write_text(
        '{"id": "q1", "lang": "en", "type": "quote", "question": "What did Peskov say?", "speaker": "Peskov",'
        ' "evidence": [{"doc": "a1", "text": "esfuerzos"}]}\n'
        "\n"
        '{"id": 2, "question": "¿Dónde?", "answers": ["Kiev"], "gold_ids": ["a2"], "speaker": null}\n',
        encoding="utf-8")
    qs = load_questions(path)
    assert qs.questions == (
        Question("q1", "What did Peskov say?", evidence=(Evidence("a1", "esfuerzos"),), lang="en", type="quote",
                 speaker="Peskov"),
        Question("2", "¿Dónde?", answers=("Kiev",), gold_ids=("a2",)),
    )
    assert qs.questions[0].gold_docs == ("a1",)  # evidence documents stand in for gold_ids
    assert qs.questions[1].language == "es"       # detected when `lang` is absent


@pytest.mark.parametrize("line, complaint", [
    ('{"id": "q2", "question": "ok"', "not valid JSON"),
    ('["q2", "a list"]', "expected a JSON object"),
    ('{"id": "q2"}', '"question"'),
    ('{"id": "q2", "question": "x", "evidence": [{"doc": "a"}]}', '"evidence"'),
    ('{"id": "q2", "question": "x", "gold_ids": "a1"}', '"gold_ids"'),
])
def test_malformed_question_line_is_named_with_its_number(tmp_path, line, complaint):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "q1", "question": "fine"}\n\n' + line + "\n", encoding="utf-8")
    with pytest.raises(EvaluationError) as info:
        load_questions(path)
    assert f"{path}, line 3" in str(info.value)
    assert complaint in str(info.value)


def test_duplicate_question_ids_are_refused(tmp_path):
    path = tmp_path / "dup.jsonl"
    path.write_text('{"id": "q1", "question": "a"}\n{"id": "q1", "question": "b"}\n', encoding="utf-8")
    with pytest.raises(EvaluationError, match="'q1' appears twice"):
        load_questions(path)


def _beir(folder, queries='{"_id": "q1", "text": "¿Quién ganó?"}\n{"_id": "q2", "text": "¿Sin juicio?"}\n'):
    (folder / "qrels").mkdir(parents=True)
    (folder / "corpus.jsonl").write_text(
        '{"_id": "p1", "title": "Final", "text": "Los Broncos ganaron la final en Santa Clara."}\n'
        '{"_id": "p2", "title": "Tiempo", "text": "Llovió en Madrid durante toda la semana."}\n', encoding="utf-8")
    (folder / "queries.jsonl").write_text(queries, encoding="utf-8")
    (folder / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\tp1\t1\nq1\tp2\t0\n",
                                              encoding="utf-8")
    return folder


def test_beir_folder_is_a_question_set_and_its_corpus_becomes_articles(tmp_path):
    folder = _beir(tmp_path / "beir")
    qs = load_questions(folder)
    # q2 has no judgement and a zero score is not relevant, as in BEIR's own evaluation
    assert qs.questions == (Question("q1", "¿Quién ganó?", gold_ids=("p1",)),)
    assert qs.corpus == str(folder / "corpus.jsonl")
    (converted,) = corpus_paths(folder, tmp_path)
    articles = [json.loads(line) for line in converted.read_text(encoding="utf-8").splitlines()]
    assert [(a["id"], a["title"]) for a in articles] == [("p1", "Final"), ("p2", "Tiempo")]
    assert articles[0]["text"] == "Los Broncos ganaron la final en Santa Clara."


def test_malformed_beir_query_line_is_named(tmp_path):
    folder = _beir(tmp_path / "beir", queries='{"_id": "q1", "text": "ok"}\n{"_id": "q3", "text": \n')
    with pytest.raises(EvaluationError, match=r"queries.jsonl, line 2: not valid JSON"):
        load_questions(folder)


def test_missing_question_set_says_what_to_give(tmp_path):
    with pytest.raises(EvaluationError, match="give a .jsonl file or a BEIR folder"):
        load_questions(tmp_path / "nope.jsonl")


# ---- end to end --------------------------------------------------------------------------------

ARTICLES = [
    {"id": "peskov", "title": "El Kremlin y las negociaciones", "url": "https://example.org/peskov",
     "text": "El portavoz del Kremlin, Dmitri Peskov, dijo que las conversaciones con Estados Unidos fueron "
             "\"esfuerzos muy constructivos\". Peskov añadió que Moscú no tiene prisa por firmar un acuerdo.\n\n"
             "Mientras tanto, el ejército ruso siguió atacando la región de Járkov con drones."},
    {"id": "tierras", "title": "China y las tierras raras", "url": "https://example.org/tierras",
     "text": "China produce cerca del 60% de todos los materiales de tierras raras del mundo, según la Agencia "
             "Internacional de la Energía. Los fabricantes europeos de baterías dependen de esas importaciones."},
    {"id": "cumbre", "title": "Una cumbre en la Casa Blanca", "url": "https://example.org/cumbre",
     "text": "Zelenski se reunió con Trump en la Casa Blanca el 18 de agosto. Ambos hablaron de garantías de "
             "seguridad para Ucrania y de un posible alto el fuego."},
]
QUESTIONS = [
    {"id": "e1", "lang": "en", "type": "quote", "question": "What did Peskov say?", "speaker": "Peskov",
     "evidence": [{"doc": "peskov", "text": "esfuerzos muy constructivos"}]},
    {"id": "e2", "lang": "es", "type": "fact",
     "question": "¿Qué porcentaje de los materiales de tierras raras se producen en China?",
     "evidence": [{"doc": "tierras", "text": "60% de todos los materiales de tierras raras"}]},
    {"id": "e3", "type": "fact", "question": "¿Dónde se reunió Zelenski con Trump?", "gold_ids": ["cumbre"]},
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    (folder / "articles.jsonl").write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES),
                                           encoding="utf-8")
    (folder / "questions.jsonl").write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in QUESTIONS),
                                            encoding="utf-8")
    return folder


def test_fuentes_eval_end_to_end_json_report_plot_and_baseline(tiny, tmp_path):
    from assistant.cli import cli

    runner = CliRunner()
    first = runner.invoke(cli, ["eval", str(tiny / "questions.jsonl"), "--corpus", str(tiny / "articles.jsonl"),
                                "--mode", "all", "-k", "5", "--json"])
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert data["format"] == "fuentes-eval/1"
    assert data["n_questions"] == 3 and data["k"] == 5
    assert data["ingest"]["documents"] == 3 and data["ingest"]["chunks"] >= 3
    assert [m["mode"] for m in data["modes"]] == ["dense", "lexical", "hybrid"]
    hybrid = next(m for m in data["modes"] if m["mode"] == "hybrid")
    overall = hybrid["scores"]["overall"]
    # three clear-cut questions over three unrelated articles: the gold article comes first
    assert overall["n"] == 3
    assert overall["recall_1"] == 1.0 and overall["ndcg_10"] == 1.0
    assert overall["evidence_recall_5"] == 1.0
    assert overall["latency_p50_ms"] > 0
    assert set(hybrid["scores"]["by_language"]) == {"en", "es"}
    assert set(hybrid["scores"]["by_type"]) == {"quote", "fact"}
    assert [r["gold_rank"] for r in hybrid["results"]] == [1, 1, 1]
    # ask runs the questions with evidence or a speaker; Peskov's words cited and attributed to him
    ask = data["ask"]
    assert [r["id"] for r in ask["results"]] == ["e1", "e2"]
    peskov = ask["results"][0]
    assert peskov["evidence_recall"] == 1.0 and peskov["speaker_correct"] is True
    assert ask["scores"]["overall"]["speaker_accuracy"] == 1.0

    baseline = tmp_path / "old.json"
    old = json.loads(first.stdout)
    old["modes"][2]["scores"]["overall"]["ndcg_10"] = 0.5  # pretend hybrid used to be worse
    baseline.write_text(json.dumps(old), encoding="utf-8")
    report = tmp_path / "out" / "report.md"
    second = runner.invoke(cli, ["eval", str(tiny / "questions.jsonl"), "--corpus", str(tiny / "articles.jsonl"),
                                 "--mode", "hybrid", "--report", str(report), "--baseline", str(baseline)])
    assert second.exit_code == 0, second.output
    assert "| hybrid | 3 | 1.000" in second.stdout
    assert f"Report: {report}" in second.stdout
    text = report.read_text(encoding="utf-8")
    assert "## Retrieval (`search`)" in text and "**By question language**" in text
    assert "![metrics per mode](report.png)" in text
    assert "| hybrid | nDCG@10 | 1.000 | 0.500 | +0.500 |" in text
    png = report.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000


def test_fuentes_eval_reports_a_malformed_line_as_a_cli_error(tiny, tmp_path):
    from assistant.cli import cli

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "q1", "question": "bien"}\n{"id": "q2", "question": }\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(bad), "--corpus", str(tiny / "articles.jsonl")])
    assert result.exit_code == 1
    assert f"{bad}, line 2: not valid JSON" in result.output
    assert "Traceback" not in result.output


def test_baseline_must_be_an_eval_output(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"something": 1}', encoding="utf-8")
    with pytest.raises(EvaluationError, match="not a `fuentes eval --json` output"):
        load_baseline(path)


def test_deltas_compare_modes_both_runs_have(tiny):
    from assistant.evaluation import run

    report = run(tiny / "questions.jsonl", corpus=tiny / "articles.jsonl", modes=("lexical",), ask=False)
    old = report.to_dict()
    old["modes"][0]["scores"]["overall"]["recall_1"] = 0.25
    changes = deltas(report, old)
    assert set(changes) == {"lexical"}
    now = report.mode("lexical").scores.overall.recall_1
    assert changes["lexical"]["R@1"] == pytest.approx((now, 0.25, now - 0.25))
    assert report.ask is None
