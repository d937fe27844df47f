"""Choose the "nothing found" gate: how often `ask` answers answerable questions and refuses unanswerable
ones at every threshold of the calibrated relevance score, per language, with the curve plotted.

Question kinds (each asked with the gate off, so every candidate's score is seen):
- answerable: XQuAD questions over the XQuAD paragraphs; "answered right" = an answer string is in a
  citation that clears the threshold.
- unanswerable, article removed: the same questions over the XQuAD index limited (document filter) to
  the paragraphs of *other* Wikipedia articles: the topic is absent, the genre is the same.
- unanswerable, unrelated: the same questions over the news articles (data/articles and data/dev).
- dev: data/dev/questions.jsonl over the news articles: its answerable questions (evidence cited) and
  its `unanswerable` questions (refused).
XQuAD's paragraphs are Spanish: Spanish questions choose the same-language gate, English questions the
cross-language gate, each the threshold where the worse of "answered" and "refused, unrelated" is
highest; the dev questions are then scored at the chosen pair. Writes docs/answer-gate.{json,png}
and prints a table.

Usage: nice -n 10 python bench/answer_gate.py [--n 200] [--model NAME_OR_PATH] [--work DIR]
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
NEWS = [ROOT / "data" / "articles", ROOT / "data" / "dev" / "articles"]
DEV = ROOT / "data" / "dev" / "questions.jsonl"
THRESHOLDS = np.round(np.arange(0.0, 0.8001, 0.01), 3)


def open_index(path: Path, sources: list[Path], model: str | None):
    from assistant import Assistant

    assistant = Assistant.open(path, model=model)
    if not assistant.documents():
        assistant.ingest(sources)
    assistant.gate = -math.inf
    # Every sentence vector in one batch up front, as an index that stores them at ingest would have
    # them (issue 10); embedding them a few at a time per question would dominate the run.
    chunks = list(assistant.index.chunks(assistant.index.chunk_ids()).values())
    saved = path.parent / f"{path.name}-sentences.pkl"  # kept with --work, so a rerun skips the embedding
    if saved.exists():
        assistant.vectors._sentences.put_many(pickle.loads(saved.read_bytes()))
    entries = assistant.vectors.sentences(chunks)
    saved.write_bytes(pickle.dumps({c.id: e for c, e in zip(chunks, entries)}))
    return assistant


def scored(assistant, answer) -> list[tuple[float, str, bool]]:
    """(score, text, same language as the question) of every citation."""
    languages = assistant._doc_languages()
    return [(c.score, c.text, languages.get(c.doc_id) == answer.language) for c in answer.citations]


def cleared(cited, same_gate: float, cross_gate: float) -> list[tuple[float, str, bool]]:
    return [c for c in cited if c[0] >= (same_gate if c[2] else cross_gate)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="XQuAD questions per language (random, seed 0)")
    parser.add_argument("--model", default=None, help="model for new indexes (default: the project default)")
    parser.add_argument("--work", type=Path, default=None, help="keep the indexes here between runs")
    parser.add_argument("--skip", type=int, default=0,
                        help="start after this many shuffled questions: --skip 150 --n 150 checks the shipped "
                             "gates on questions the choice (--n 150) never saw")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "answer-gate")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="fuentes-gate-"))
    work.mkdir(parents=True, exist_ok=True)

    corpus = work / "xquad.jsonl"
    docs = [json.loads(line) for line in (XQUAD / "corpus.jsonl").read_text().splitlines()]
    if not corpus.exists():
        with corpus.open("w") as out:
            for doc in docs:
                out.write(json.dumps({"id": doc["id"], "title": doc["title"], "text": doc["text"]},
                                     ensure_ascii=False) + "\n")
    xquad = open_index(work / "xquad", [corpus], args.model)
    news = open_index(work / "news", NEWS, args.model)
    model = xquad.index.model_name
    title_of = {d["id"]: d["title"] for d in docs}
    records: dict[str, list] = {}
    for language in ("es", "en"):
        questions = [json.loads(line) for line in (XQUAD / f"questions_{language}.jsonl").read_text().splitlines()]
        random.Random(0).shuffle(questions)
        rows = []
        for i, q in enumerate(questions[args.skip:args.skip + args.n]):
            gold_title = title_of[q["gold_ids"][0]]
            others = [d for d, t in title_of.items() if t != gold_title]
            rows.append({
                "answers": q["answers"],
                "answerable": scored(xquad, xquad.ask(q["question"])),
                "article_removed": scored(xquad, xquad.ask(q["question"], doc_ids=others)),
                "unrelated": scored(news, news.ask(q["question"])),
            })
            print(f"\r{language} {i + 1}/{min(args.n, len(questions))}", end="", file=sys.stderr)
        print(file=sys.stderr)
        records[language] = rows
    dev_rows = []
    for line in DEV.read_text().splitlines():
        q = json.loads(line)
        dev_rows.append({"lang": q["lang"], "type": q["type"], "evidence": [e["text"] for e in q["evidence"]],
                         "cited": scored(news, news.ask(q["question"]))})

    curves = curves_from(records)
    chosen = {"same": choose(curves, "xquad es"), "cross": choose(curves, "xquad en")}
    dev = dev_rates(dev_rows, chosen["same"], chosen["cross"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    Path(f"{args.out}.json").write_text(json.dumps(
        {"model": model, "n": args.n, "chosen": chosen, "dev_at_chosen": dev, "thresholds": THRESHOLDS.tolist(),
         "curves": curves},
        indent=1))
    (work / "records.json").write_text(json.dumps({"xquad": records, "dev": dev_rows}, ensure_ascii=False))
    plot(curves, chosen, model, Path(f"{args.out}.png"))
    print(f"model {model}; chosen gates: same language {chosen['same']}, across languages {chosen['cross']}")
    print("| gate | " + " | ".join(curves) + " |")
    print("|---|" + "---|" * len(curves))
    for t in sorted({0.2, 0.24, 0.26, 0.28, 0.3, 0.32, 0.34, 0.36, 0.38, 0.4, 0.45, 0.5, *chosen.values()}):
        i = int(round(t * 100))
        print(f"| {t:.2f} | " + " | ".join(f"{curves[c][i]:.3f}" for c in curves) + " |")
    print("dev set at the chosen gates: " + ", ".join(f"{k} {v:.3f}" for k, v in dev.items()))
    from assistant.relevance import gate_for

    same, cross = gate_for(model)
    print(f"at the shipped gates ({same}, {cross}): " + ", ".join(
        f"{c} {curves[c][int(round((same if c.startswith('xquad es') else cross) * 100))]:.3f}"
        for c in curves if c.startswith("xquad")))
    return 0


def curves_from(records: dict[str, list]) -> dict[str, list[float]]:
    """XQuAD rates at every threshold; its paragraphs are Spanish, so Spanish questions measure the
    same-language gate and English questions the cross-language gate."""
    curves: dict[str, list[float]] = {}
    for language, rows in records.items():
        answered, right, removed, unrelated = [], [], [], []
        for t in THRESHOLDS:
            answered.append(np.mean([bool(cleared(r["answerable"], t, t)) for r in rows]))
            right.append(np.mean([any(any(a in text for a in r["answers"]) for _, text, _ in cleared(r["answerable"], t, t))
                                  for r in rows]))
            removed.append(np.mean([not cleared(r["article_removed"], t, t) for r in rows]))
            unrelated.append(np.mean([not cleared(r["unrelated"], t, t) for r in rows]))
        curves[f"xquad {language} answered"] = answered
        curves[f"xquad {language} answer string cited"] = right
        curves[f"xquad {language} refused, article removed"] = removed
        curves[f"xquad {language} refused, unrelated news"] = unrelated
    return {name: [round(float(v), 4) for v in values] for name, values in curves.items()}


def dev_rates(dev_rows: list[dict], same: float, cross: float) -> dict[str, float]:
    out = {}
    for language in ("es", "en"):
        rows = [r for r in dev_rows if r["lang"] == language]
        answerable = [r for r in rows if r["type"] != "unanswerable"]
        unanswerable = [r for r in rows if r["type"] == "unanswerable"]
        out[f"{language} evidence in top 3"] = float(np.mean([
            any(any(e in text for e in r["evidence"]) for _, text, _ in cleared(r["cited"], same, cross)[:3])
            for r in answerable]))
        out[f"{language} unanswerable refused"] = float(np.mean([not cleared(r["cited"], same, cross)
                                                                 for r in unanswerable]))
    return out


def choose(curves: dict[str, list[float]], prefix: str) -> float:
    """The threshold whose worse rate of (answered, refused unrelated) is highest; ties: mid-plateau."""
    targets = [f"{prefix} answered", f"{prefix} refused, unrelated news"]
    worst = [min(curves[c][i] for c in targets) for i in range(len(THRESHOLDS))]
    best = max(worst)
    plateau = [i for i, w in enumerate(worst) if w >= best - 1e-9]
    return float(THRESHOLDS[plateau[len(plateau) // 2]])


def plot(curves: dict[str, list[float]], chosen: dict[str, float], model: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(13, 5), sharey=True)
    panels = (("xquad es", "same", "Spanish questions, Spanish paragraphs (same-language gate)"),
              ("xquad en", "cross", "English questions, Spanish paragraphs (cross-language gate)"))
    for ax, (prefix, kind, title) in zip(axes, panels):
        for name, values in curves.items():
            if name.startswith(prefix):
                ax.plot(THRESHOLDS, values, label=name.removeprefix(prefix).strip(" ,") or name)
        ax.axvline(chosen[kind], color="grey", linestyle="--", label=f"chosen {chosen[kind]:.2f}")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("gate (calibrated relevance)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="lower left")
    axes[0].set_ylabel("share of questions")
    fig.suptitle(f"Answer gate trade-off, {model}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    raise SystemExit(main())
