"""Choose the relevance background: the question's cosine to the corpus mean (the earlier rule), to a fixed
set of reference news sentences in the candidate's language (assistant/background.py), or a blend of the
two weighted by corpus size — on large and on small indexes.

Every `ask` runs once with the gate off while every candidate the Scorer sees is recorded (cosine, word
overlap, phrase, language); each background rule then re-scores the same candidates offline, its gates
are chosen on XQuAD as bench/answer_gate.py does (the worse of answered / refused-unrelated highest), and
every set is reported at those gates:
- xquad es / en: answerable over the XQuAD paragraphs; refused over the news articles (unrelated).
- dev: data/dev/questions.jsonl over the news articles (evidence among the first 3 cleared candidates;
  `unanswerable` refused).
- one article: an index per news article (data/articles, data/dev/articles); the dev and seed questions
  whose evidence is in it must be answered, XQuAD questions and questions about the other topic's
  articles must be refused. few articles: the same over an index of the four dev articles.

Usage: nice -n 10 python bench/background_choice.py [--n 120] [--work DIR]
"""
from __future__ import annotations

import argparse
import json
import math
import pickle
import random
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
XQUAD = ROOT.parent / "shared" / "data" / "xquad"
SEED = ROOT.parent / "shared" / "data" / "seed_questions_dev.jsonl"
DEV = ROOT / "data" / "dev" / "questions.jsonl"
NEWS = [ROOT / "data" / "articles", ROOT / "data" / "dev" / "articles"]
THRESHOLDS = np.round(np.arange(0.0, 0.8001, 0.01), 3)
KEEP_RATIO, TOP = 0.8, 3


class Recorder:
    """Wraps Scorer so each ask's candidates are recorded with their raw parts."""

    def __init__(self):
        from assistant import relevance
        from index.text import detect_language

        self.current: dict | None = None
        recorder = self
        original_many, original_one = relevance.Scorer.score_many, relevance.Scorer.score

        def score_many(scorer, texts, vectors, doc_ids=None):
            out = original_many(scorer, texts, vectors, doc_ids)
            if recorder.current is not None and len(texts):
                recorder.current.setdefault("vec", scorer.vector)
                recorder.current.setdefault("lang", scorer.language)
                for t, c, r in zip(texts, np.atleast_1d(vectors @ scorer.vector), out):
                    recorder.current["cands"].append((float(c), r.overlap, r.phrase, detect_language(t, default="es"), t))
            return out

        def score(scorer, text, vector, doc_id=None):
            return score_many(scorer, [text], np.asarray(vector).reshape(1, -1), [doc_id])[0]

        relevance.Scorer.score_many, relevance.Scorer.score = score_many, score

    def ask(self, assistant, question: str, **kw) -> dict:
        self.current = {"q": question, "cands": [], "corpus_bg": None, "n": assistant.index.stats().get("chunks")}
        answer = assistant.ask(question, **kw)
        record, self.current = self.current, None
        record["lang"] = answer.language
        if "vec" not in record:
            record["vec"] = assistant.embedder.embed_query(question)
        record["corpus_bg"] = float(record["vec"] @ assistant.index.mean_vector())
        return record


def open_index(path: Path, sources: list[Path]):
    from assistant import Assistant

    assistant = Assistant.open(path)
    if not assistant.documents():
        assistant.ingest(sources)
    assistant.gate = -math.inf
    return assistant


def collect(n: int, work: Path) -> dict:
    recorder = Recorder()
    corpus = work / "xquad.jsonl"
    docs = [json.loads(line) for line in (XQUAD / "corpus.jsonl").read_text().splitlines()]
    if not corpus.exists():
        corpus.write_text("".join(json.dumps({"id": d["id"], "title": d["title"], "text": d["text"]},
                                             ensure_ascii=False) + "\n" for d in docs))
    xquad, news = open_index(work / "xquad", [corpus]), open_index(work / "news", NEWS)
    out: dict = {"xquad": {}, "dev": [], "small": []}
    xq_small = []
    for language in ("es", "en"):
        questions = [json.loads(line) for line in (XQUAD / f"questions_{language}.jsonl").read_text().splitlines()]
        random.Random(0).shuffle(questions)
        rows = []
        for i, q in enumerate(questions[:n]):
            rows.append({"answers": q["answers"], "answerable": recorder.ask(xquad, q["question"]),
                         "unrelated": recorder.ask(news, q["question"])})
            print(f"\r{language} {i + 1}/{n}", end="", file=sys.stderr)
        print(file=sys.stderr)
        out["xquad"][language] = rows
        xq_small += [q["question"] for q in questions[n:n + 10]]
    dev = [json.loads(line) for line in DEV.read_text().splitlines()]
    seed = [json.loads(line) for line in SEED.read_text().splitlines()]
    for q in dev:
        out["dev"].append({"type": q["type"], "lang": q["lang"], "evidence": [e["text"] for e in q["evidence"]],
                           "record": recorder.ask(news, q["question"])})
    # Small indexes: one article each, and the four dev articles together.
    files = sorted(p for folder in NEWS for p in folder.glob("*.txt"))
    topic = {p.stem: ("ukraine" if p.parent.name == "articles" and p.parent.parent.name == "data"
                      and "dev" not in str(p) else p.stem) for p in files}
    asked = [q for q in dev + seed if q.get("evidence")]
    for kind, group in [("one", [[p] for p in files]), ("few", [[p for p in files if "dev" in str(p.parent)]])]:
        for paths in group:
            ids = {p.stem for p in paths}
            a = open_index(work / f"{kind}-{'-'.join(sorted(ids))[:60]}", paths)
            for q in asked:
                doc = q["evidence"][0]["doc"]
                if doc in ids:
                    expect = "answer"
                elif all(topic.get(doc) != topic[i] for i in ids):
                    expect = "refuse"
                else:
                    continue  # same topic, another article: the "article removed" case, not a gate's job
                out["small"].append({"kind": kind, "expect": expect, "lang": q.get("lang", "es"),
                                     "evidence": [e["text"] for e in q["evidence"]], "record": recorder.ask(a, q["question"])})
            for question in xq_small:
                out["small"].append({"kind": kind, "expect": "refuse", "lang": "xquad", "evidence": [],
                                     "record": recorder.ask(a, question)})
            print(f"{kind} {sorted(ids)}", file=sys.stderr)
    return out


def scheme_backgrounds(record: dict, refs: dict, scheme: str) -> dict[str, float]:
    """{candidate language: background} under a rule."""
    ref = {lang: float(m @ record["vec"]) for lang, m in refs.items()}
    if scheme == "corpus":
        return {lang: record["corpus_bg"] for lang in refs}
    if scheme == "reference":
        return ref
    n0 = float(scheme.split()[1])
    w = record["n"] / (record["n"] + n0)
    return {lang: w * record["corpus_bg"] + (1 - w) * ref[lang] for lang in refs}


def ranked(record: dict, refs: dict, scheme: str, overlap_w: float = 0.35, phrase_w: float = 0.3):
    """[(score, same language, text)] best first, one per text."""
    bgs = scheme_backgrounds(record, refs, scheme)
    best: dict[str, tuple] = {}
    for cos, ov, ph, lang, text in record["cands"]:
        bg = bgs[lang]
        s = (cos - bg) / max(1e-6, 1 - bg) + overlap_w * ov + phrase_w * ph
        if text not in best or s > best[text][0]:
            best[text] = (s, lang == record["lang"], text)
    return sorted(best.values(), key=lambda x: -x[0])


def cleared(rank, same: float, cross: float):
    passing = [r for r in rank if r[0] >= (same if r[1] else cross)]
    if not passing:
        return []
    top = passing[0][0]
    return [r for r in passing if r[0] >= KEEP_RATIO * top][:TOP]


def holds(texts, evidence) -> bool:
    return any(any(e in t or (len(t) > 10 and t in e) for e in evidence) for t in texts)


def evaluate(data: dict, refs: dict, scheme: str, same: float, cross: float) -> dict[str, float]:
    out = {}
    for language, rows in data["xquad"].items():
        out[f"xquad {language} answered"] = np.mean([bool(cleared(ranked(r["answerable"], refs, scheme), same, cross)) for r in rows])
        out[f"xquad {language} refused"] = np.mean([not cleared(ranked(r["unrelated"], refs, scheme), same, cross) for r in rows])
        out[f"xquad {language} string"] = np.mean([holds([t for *_, t in cleared(ranked(r["answerable"], refs, scheme), same, cross)], r["answers"]) for r in rows])
    for language in ("es", "en"):
        rows = [r for r in data["dev"] if r["lang"] == language]
        ans = [r for r in rows if r["type"] != "unanswerable"]
        una = [r for r in rows if r["type"] == "unanswerable"]
        out[f"dev {language} evidence"] = np.mean([holds([t for *_, t in cleared(ranked(r["record"], refs, scheme), same, cross)], r["evidence"]) for r in ans])
        out[f"dev {language} refused"] = np.mean([not cleared(ranked(r["record"], refs, scheme), same, cross) for r in una])
    for kind in ("one", "few"):
        rows = [r for r in data["small"] if r["kind"] == kind]
        ans = [r for r in rows if r["expect"] == "answer"]
        ref = [r for r in rows if r["expect"] == "refuse"]
        out[f"{kind} answered"] = np.mean([bool(cleared(ranked(r["record"], refs, scheme), same, cross)) for r in ans])
        out[f"{kind} evidence"] = np.mean([holds([t for *_, t in cleared(ranked(r["record"], refs, scheme), same, cross)], r["evidence"]) for r in ans])
        out[f"{kind} refused"] = np.mean([not cleared(ranked(r["record"], refs, scheme), same, cross) for r in ref])
    return {k: round(float(v), 3) for k, v in out.items()}


def choose(data: dict, refs: dict, scheme: str, language: str) -> tuple[float, float]:
    """(threshold, worse rate) maximising min(answered, refused) on XQuAD `language`; mid-plateau."""
    rows = data["xquad"][language]
    tops_a = [ranked(r["answerable"], refs, scheme)[:1] for r in rows]
    tops_u = [ranked(r["unrelated"], refs, scheme)[:1] for r in rows]
    worst = []
    for t in THRESHOLDS:
        answered = np.mean([bool(x) and x[0][0] >= t for x in tops_a])
        refused = np.mean([not x or x[0][0] < t for x in tops_u])
        worst.append(min(answered, refused))
    best = max(worst)
    plateau = [i for i, w in enumerate(worst) if w >= best - 1e-9]
    return float(THRESHOLDS[plateau[len(plateau) // 2]]), round(float(best), 3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=120, help="XQuAD questions per language (random, seed 0)")
    parser.add_argument("--work", type=Path, default=None, help="keep indexes and records here between runs")
    parser.add_argument("--schemes", nargs="+", default=["corpus", "reference", "blend 5", "blend 20", "blend 80"])
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="fuentes-background-"))
    work.mkdir(parents=True, exist_ok=True)
    saved = work / f"records-{args.n}.pkl"
    data = pickle.loads(saved.read_bytes()) if saved.exists() else collect(args.n, work)
    saved.write_bytes(pickle.dumps(data))
    from assistant.background import reference_means
    from index.embedding import load_embedder

    refs = reference_means(load_embedder())
    results = {}
    for scheme in args.schemes:
        same, _ = choose(data, refs, scheme, "es")
        cross, _ = choose(data, refs, scheme, "en")
        results[scheme] = {"gates": (same, cross), **evaluate(data, refs, scheme, same, cross)}
    keys = [k for k in next(iter(results.values())) if k != "gates"]
    print("| measure | " + " | ".join(f"{s} {results[s]['gates']}" for s in results) + " |")
    print("|---|" + "---|" * len(results))
    for k in keys:
        print(f"| {k} | " + " | ".join(f"{results[s][k]:.3f}" for s in results) + " |")
    (work / "background_choice.json").write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
