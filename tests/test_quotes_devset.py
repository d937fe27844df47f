"""The quote dev set (data/quotes_dev) is well formed: articles read as the project reads them, every gold
span is in its article exactly once, field values come from the allowed sets, and the counts meet the minimums.
No model is loaded."""
from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from index.sources import read_sources
from index.types import Document

DEV = Path(__file__).resolve().parents[1] / "data" / "quotes_dev"
ARTICLES = DEV / "articles"
GOLD = DEV / "gold.jsonl"

MIN_ARTICLES, MIN_ES, MIN_EN, MIN_STATEMENTS = 32, 22, 10, 260  # the brief's minimums
MIN_WORDS, MAX_WORDS = 250, 600
GOLD_FIELDS = {"doc", "text", "speaker", "speaker_kind", "direct", "pattern", "lang"}
OPTIONAL_FIELDS = {"speaker_aliases"}
SPEAKER_KINDS = {"person", "organization", "role"}
LANGS = {"es", "en"}


def _build_module():
    spec = importlib.util.spec_from_file_location("quotes_dev_build", DEV / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


BUILD = _build_module()


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    read = list(read_sources([ARTICLES]))
    assert all(isinstance(d, Document) for d in read), [d for d in read if not isinstance(d, Document)]
    return {d.id: d for d in read}


def test_counts_meet_the_minimums(gold, docs):
    langs = {g["doc"]: g["lang"] for g in gold}
    per_lang = Counter(langs.values())
    assert len(docs) >= MIN_ARTICLES
    assert per_lang["es"] >= MIN_ES and per_lang["en"] >= MIN_EN, per_lang
    assert len(gold) >= MIN_STATEMENTS
    assert set(langs) == set(docs), "every article has gold statements and every gold doc is an article"


def test_gold_fields_come_from_the_allowed_sets(gold):
    for g in gold:
        assert GOLD_FIELDS <= set(g) <= GOLD_FIELDS | OPTIONAL_FIELDS, g
        assert g["speaker_kind"] in SPEAKER_KINDS, g
        assert isinstance(g["direct"], bool), g
        assert g["pattern"] in BUILD.PATTERNS, g
        assert g["lang"] in LANGS, g
        assert g["speaker"].strip() == g["speaker"] and g["speaker"], g
        assert all(isinstance(a, str) and a for a in g.get("speaker_aliases", [])), g
    by_doc = {}
    for g in gold:
        assert by_doc.setdefault(g["doc"], g["lang"]) == g["lang"], f"{g['doc']} mixes languages"


def test_every_gold_text_is_in_its_stored_article_exactly_once(gold, docs):
    for g in gold:
        text = docs[g["doc"]].text
        assert text.count(g["text"]) == 1, (g["doc"], g["text"], text.count(g["text"]))
        start = text.index(g["text"])
        assert text[start:start + len(g["text"])] == g["text"]
        assert g["text"] == g["text"].strip(), g


def test_articles_have_the_project_format(docs):
    shapes = Counter()
    for doc in docs.values():
        raw = (ARTICLES / f"{doc.id}.txt").read_text(encoding="utf-8")
        first_line = raw.split("\n", 1)[0]
        assert doc.title == first_line, (doc.id, doc.title)
        assert doc.url and raw.rstrip().endswith(doc.url), doc.id
        words = len(doc.text.split())
        assert MIN_WORDS <= words <= MAX_WORDS, (doc.id, words)
        shapes["blank lines" if "\n\n" in doc.text else "single newlines"] += 1
    assert shapes["blank lines"] >= 5 and shapes["single newlines"] >= 5, shapes


def test_articles_and_gold_are_what_the_annotated_sources_build(gold):
    rebuilt = []
    sources = sorted((DEV / "annotated").glob("*.ann"))
    assert [s.stem for s in sources] == sorted(p.stem for p in ARTICLES.glob("*.txt"))
    for src in sources:
        text, lines = BUILD.parse(src)
        assert (ARTICLES / f"{src.stem}.txt").read_text(encoding="utf-8") == text, f"rebuild {src.name}"
        for line in lines:
            line.pop("start")
        rebuilt.extend(lines)
    assert rebuilt == gold, "gold.jsonl is stale: run python data/quotes_dev/build.py"


def test_a_malformed_annotation_is_refused_with_its_place(tmp_path):
    bad = tmp_path / "x.ann"
    bad.write_text("Título\n\nDijo que ⟦algo|Z|R|reported_que⟧.\n===\nlang: es\nA: Ana Paz | person\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="speaker key 'Z' is not in the legend"):
        BUILD.parse(bad)
    bad.write_text("Título\n\nDijo que ⟦algo|A|R|invented⟧.\n===\nlang: es\nA: Ana Paz | person\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="pattern 'invented' is not one of"):
        BUILD.parse(bad)


def _scorer_module():
    path = DEV.parents[1] / "bench" / "quotes_eval.py"
    spec = importlib.util.spec_from_file_location("quotes_eval", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


SCORER = _scorer_module()


def test_the_scorer_matches_speakers_by_name_not_by_surname_alone():
    match = SCORER.speakers_match
    assert match("Lucía Rubio", "person", "Rubio")
    assert match("Lucía Rubio", "person", "lucia rubio")
    assert match("Ana de la Torre", "person", "De la Torre")
    assert match("Susan Bishop", "person", "Judge Susan Bishop")
    assert not match("Andrew Bishop", "person", "Susan Bishop")
    assert not match("Lucía Rubio", "person", "la ministra")
    assert not match("Elena Castillo", "person", "fiscal")
    assert match("Policía Nacional", "organization", "la Policía Nacional")
    assert match("Policía Nacional", "organization", "Policía")
    assert not match("Policía Nacional", "organization", "Guardia Civil")
    assert match("un técnico municipal", "role", "técnico municipal")
    assert not match("un técnico municipal", "role", "alcaldesa")


def test_the_scorer_counts_found_split_wrong_and_spurious_quotes():
    from types import SimpleNamespace as Q

    text = "La alcaldesa, Rosa Prieto, dijo que el plan se retrasa seis meses. Blanco habló de cámaras."
    span = "el plan se retrasa seis meses"
    start = text.index(span)
    gold = [SCORER.Gold(doc="d", text=span, speaker="Rosa Prieto", speaker_kind="person", speaker_aliases=(),
                        direct=False, pattern="reported_que", lang="es", start=start, end=start + len(span))]
    half = start + len(span) // 2
    split = [Q(doc_id="d", start=start, end=half, speaker="Prieto", speaker_kind="person", cue="dijo", text=""),
             Q(doc_id="d", start=half, end=start + len(span), speaker="Rosa Prieto", speaker_kind="person",
               cue="dijo", text="")]
    res = SCORER.score(gold, split, 0.5)
    assert (res.overall.found, res.overall.correct, res.overall.extracted) == (1, 2, 2)

    too_small = [Q(doc_id="d", start=start, end=start + 5, speaker="Rosa Prieto", speaker_kind="person", cue="", text="")]
    res = SCORER.score(gold, too_small, 0.5)
    assert (res.overall.found, res.overall.correct) == (0, 1), "a fragment is correct but does not find the statement"

    wrong = [Q(doc_id="d", start=start, end=start + len(span), speaker="la alcaldesa", speaker_kind="role", cue="", text="")]
    res = SCORER.score(gold, wrong, 0.5)
    assert (res.overall.found, res.overall.wrong_speaker, len(res.wrong), len(res.misses)) == (0, 1, 1, 1)

    elsewhere = text.index("Blanco habló")
    spurious = [Q(doc_id="d", start=elsewhere, end=elsewhere + 12, speaker="Blanco", speaker_kind="person", cue="", text="")]
    res = SCORER.score(gold, spurious, 0.5)
    assert (res.overall.correct, len(res.spurious), res.by_lang["es"].extracted) == (0, 1, 1)
