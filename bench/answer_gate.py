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
The threshold chosen maximises the worst of: answered right (es, en) and refused unrelated (es, en)
and the dev rates. Writes docs/answer-gate.{json,png} and prints a table.

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


def scored(answer) -> list[tuple[float, str]]:
    return [(c.score, c.text) for c in answer.citations]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="XQuAD questions per language (random, seed 0)")
    parser.add_argument("--model", default=None, help="model for new indexes (default: the project default)")
    parser.add_argument("--work", type=Path, default=None, help="keep the indexes here between runs")
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
        for i, q in enumerate(questions[:args.n]):
            gold_title = title_of[q["gold_ids"][0]]
            others = [d for d, t in title_of.items() if t != gold_title]
            rows.append({
                "answers": q["answers"],
                "answerable": scored(xquad.ask(q["question"])),
                "article_removed": scored(xquad.ask(q["question"], doc_ids=others)),
                "unrelated": scored(news.ask(q["question"])),
            })
            print(f"\r{language} {i + 1}/{min(args.n, len(questions))}", end="", file=sys.stderr)
        print(file=sys.stderr)
        records[language] = rows
    dev_rows = []
    for line in DEV.read_text().splitlines():
        q = json.loads(line)
        dev_rows.append({"lang": q["lang"], "type": q["type"], "evidence": [e["text"] for e in q["evidence"]],
                         "cited": scored(news.ask(q["question"]))})

    curves = curves_from(records, dev_rows)
    chosen = choose(curves)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    Path(f"{args.out}.json").write_text(json.dumps(
        {"model": model, "n": args.n, "chosen": chosen, "thresholds": THRESHOLDS.tolist(), "curves": curves},
        indent=1))
    (work / "records.json").write_text(json.dumps({"xquad": records, "dev": dev_rows}, ensure_ascii=False))
    plot(curves, chosen, model, Path(f"{args.out}.png"))
    print(f"model {model}; chosen gate {chosen}")
    print("| gate | " + " | ".join(curves) + " |")
    print("|---|" + "---|" * len(curves))
    for t in sorted({0.2, 0.25, 0.3, 0.34, 0.4, 0.45, 0.5, chosen}):
        i = int(round(t * 100))
        print(f"| {t:.2f} | " + " | ".join(f"{curves[c][i]:.3f}" for c in curves) + " |")
    return 0


def curves_from(records: dict[str, list], dev_rows: list[dict]) -> dict[str, list[float]]:
    curves: dict[str, list[float]] = {}
    for language, rows in records.items():
        answered, right, removed, unrelated = [], [], [], []
        for t in THRESHOLDS:
            answered.append(np.mean([any(s >= t for s, _ in r["answerable"]) for r in rows]))
            right.append(np.mean([any(s >= t and any(a in text for a in r["answers"]) for s, text in r["answerable"])
                                  for r in rows]))
            removed.append(np.mean([not any(s >= t for s, _ in r["article_removed"]) for r in rows]))
            unrelated.append(np.mean([not any(s >= t for s, _ in r["unrelated"]) for r in rows]))
        curves[f"xquad {language} answered"] = answered
        curves[f"xquad {language} answered right"] = right
        curves[f"xquad {language} refused, article removed"] = removed
        curves[f"xquad {language} refused, unrelated news"] = unrelated
    answerable = [r for r in dev_rows if r["type"] != "unanswerable"]
    unanswerable = [r for r in dev_rows if r["type"] == "unanswerable"]
    curves["dev evidence in top 3"] = [
        float(np.mean([any(s >= t and any(e in text for e in r["evidence"]) for s, text in r["cited"][:3])
                       for r in answerable])) for t in THRESHOLDS]
    curves["dev unanswerable refused"] = [
        float(np.mean([not any(s >= t for s, _ in r["cited"]) for r in unanswerable])) for t in THRESHOLDS]
    return {name: [round(float(v), 4) for v in values] for name, values in curves.items()}


def choose(curves: dict[str, list[float]]) -> float:
    """The threshold whose worst target rate is highest (ties: the middle of the best plateau)."""
    targets = [c for c in curves if "answered right" in c or "unrelated" in c or c.startswith("dev")]
    worst = [min(curves[c][i] for c in targets) for i in range(len(THRESHOLDS))]
    best = max(worst)
    plateau = [i for i, w in enumerate(worst) if w >= best - 1e-9]
    return float(THRESHOLDS[plateau[len(plateau) // 2]])


def plot(curves: dict[str, list[float]], chosen: float, model: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(16, 5), sharey=True)
    for ax, prefix in zip(axes, ("xquad es", "xquad en", "dev")):
        for name, values in curves.items():
            if name.startswith(prefix):
                ax.plot(THRESHOLDS, values, label=name.removeprefix(prefix).strip(" ,") or name)
        ax.axvline(chosen, color="grey", linestyle="--", label=f"chosen {chosen:.2f}")
        ax.set_title(prefix)
        ax.set_xlabel("gate (calibrated relevance)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="lower left")
    axes[0].set_ylabel("share of questions")
    fig.suptitle(f"Answer gate trade-off, {model}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    raise SystemExit(main())
