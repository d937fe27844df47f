"""Retrieval and citation quality: xquad (es, en→es) per mode beside the reference figures, the seed dev set,
a fusion study on a held-out split, and the sample's ingest speed and query latency.

    python bench/quality.py                     # writes docs/benchmarks-quality.md (+ .json, + plots)
    python bench/quality.py --skip-fusion       # without the fusion study

Every figure goes through `assistant.evaluation` — the same code as `fuentes eval` — over fresh
temporary indexes. A hand-written section between `<!-- notes -->` and `<!-- /notes -->` in the
existing note is kept when the note is rewritten.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data"
XQUAD = SHARED / "xquad"
SEED = SHARED / "seed_questions_dev.jsonl"
ARTICLES = ROOT / "data" / "articles"

from assistant import Assistant  # noqa: E402
from assistant.eval_report import write_report  # noqa: E402
from assistant.evaluation import MODES, evaluate, load_questions, percentile, ranking_metrics  # noqa: E402

# xquad README: paragraph retrieval over the same 240 Spanish paragraphs.
REFERENCE = {
    ("BM25 (k1 0.9, b 0.4, Snowball es, folded)", "es"): (.937, .988, .994, .959, .968),
    ("BM25 (same)", "en"): (.476, .636, .682, .546, .579),
    ("multilingual-e5-base (MTEB)", "es"): (.943, None, .996, .964, .972),
}
TARGETS = {"es": 0.97, "en": 0.93}  # hybrid nDCG@10 with the default model, issue 9
FIELDS = ("recall_1", "recall_5", "recall_10", "mrr_10", "ndcg_10")
NOTES = re.compile(r"<!-- notes -->.*?<!-- /notes -->", re.S)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import torch

    return (f"{cpu}, {os.cpu_count()} logical CPUs, Python {platform.python_version()}, torch {torch.__version__}, "
            f"torch threads {torch.get_num_threads()}")


def load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def fmt(x, digits=3) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def git_head() -> str:
    """The commit, and the tracked source files that differ from it (they were measured too)."""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "diff", "--name-only", "HEAD", "--", "index", "assistant"],
                               capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return head + (f" with uncommitted changes to {', '.join(dirty)}" if dirty else "")


# ---- fusion study ---------------------------------------------------------------------------------


def weighted_rrf(lists: dict[str, list[int]], k: float, w_dense: float) -> list[int]:
    """RRF with a weight on the dense list (the lexical lists have weight 1); ids best first."""
    fused: dict[int, float] = {}
    for name, ranking in lists.items():
        weight = w_dense if name == "dense" else 1.0
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return [i for i, _ in sorted(fused.items(), key=lambda p: (-p[1], p[0]))]


class ChunkLists:
    """Collects each question's chunk lists per retriever (and chunk -> document) during `evaluate`:
    dense and lexical from `search`, plus the cognate-key list when this version's hybrid fuses one."""

    def __init__(self, assistant: Assistant, depth: int = 50):
        self.assistant, self.depth = assistant, depth
        self.lists: dict[str, dict[str, list[int]]] = {}
        self.chunk_doc: dict[int, str] = {}
        try:
            from index.text import cognate_keys
        except ImportError:
            cognate_keys = None
        self.cognate_keys = cognate_keys

    def __call__(self, question, mode, hits) -> None:
        if mode not in ("dense", "lexical"):
            return
        self.lists.setdefault(question.id, {})[mode] = [h.chunk.id for h in hits]
        self.chunk_doc.update((h.chunk.id, h.chunk.doc_id) for h in hits)
        if mode == "lexical" and self.cognate_keys is not None:
            index = self.assistant.index
            ranking = index.lexical_search(self.cognate_keys(question.question), self.depth, None, field="cognates")
            self.lists[question.id]["cognate"] = [i for i, _ in ranking]
            self.chunk_doc.update((c.id, c.doc_id) for c in index.chunks([i for i, _ in ranking]).values())


def fusion_study(sets: dict[str, object], collected: dict[str, ChunkLists], reports: dict, cut: int = 10) -> dict:
    """Grid over RRF k and a dense weight, chosen on paragraphs with an even number, reported on the odd ones.

    The split is by gold paragraph, so no paragraph (and no parallel es/en question) is on both sides."""

    def part_of(q) -> int:
        return int(q.gold_ids[0][2:]) % 2

    def ndcg(lang: str, part: int, k: float, w: float) -> float:
        c = collected[lang]
        qs = [q for q in sets[lang].questions if part_of(q) == part]
        ranked = {q.id: dedupe_doc_ids_ids(weighted_rrf(c.lists[q.id], k, w)[:c.depth], c.chunk_doc)[:cut]
                  for q in qs}
        m = ranking_metrics({q.id: q.gold_ids for q in qs}, ranked)
        return sum(v["ndcg@10"] for v in m.values()) / len(m)

    grid = [(k, w) for k in (5, 10, 20, 30, 60, 100) for w in (0.5, 1.0, 1.5, 2.0, 3.0)]
    tune = {(k, w): {lang: ndcg(lang, 0, k, w) for lang in sets} for k, w in grid}
    # Chosen by the mean over both languages: one setting for every question, no per-language switch.
    best = max(grid, key=lambda g: (sum(tune[g].values()) / len(tune[g]), -abs(g[0] - 60), -abs(g[1] - 1)))
    test = {f"plain RRF k={k} w={w}" + (" (best on tune)" if (k, w) == best else ""):
            {lang: ndcg(lang, 1, k, w) for lang in sets} for k, w in sorted({best, (60, 1.0)})}

    def shipped(lang: str, part: int) -> float:
        by_id = {q.id: part_of(q) for q in sets[lang].questions}
        values = [r.metrics["ndcg@10"] for r in reports[lang].mode("hybrid").results if by_id[r.id] == part]
        return sum(values) / len(values)

    test["hybrid search as shipped"] = {lang: shipped(lang, 1) for lang in sets}
    shipped_tune = {lang: shipped(lang, 0) for lang in sets}
    counts = {part: {lang: sum(part_of(q) == part for q in sets[lang].questions) for lang in sets} for part in (0, 1)}
    lists = sorted(next(iter(collected.values())).lists[sets["es"].questions[0].id])
    return {"lists": lists, "grid": [{"k": k, "w_dense": w, **{f"tune_{lang}": v for lang, v in tune[(k, w)].items()}}
                     for k, w in grid],
            "best": {"k": best[0], "w_dense": best[1]},
            "test": test, "shipped_tune": shipped_tune,
            "n_tune": counts[0], "n_test": counts[1]}


def dedupe_doc_ids_ids(chunk_ids: list[int], chunk_doc: dict[int, str]) -> list[str]:
    return list(dict.fromkeys(chunk_doc[i] for i in chunk_ids))


# ---- the runs ---------------------------------------------------------------------------------------


def run_xquad(workdir: Path, fusion: bool, limit: int | None = None) -> dict:
    assistant = Assistant.open(workdir / "xquad-index")
    ingest = assistant.ingest([XQUAD / "corpus.jsonl"])
    out = {"ingest": {"documents": len(ingest.added), "chunks": ingest.n_chunks, "seconds": ingest.seconds}}
    sets = {lang: load_questions(XQUAD / f"questions_{lang}.jsonl") for lang in ("es", "en")}
    if limit:  # a smoke run; every question set keeps its parallel questions
        sets = {lang: replace(qs, questions=qs.questions[:limit]) for lang, qs in sets.items()}
    reports, collected = {}, {}
    for lang, qs in sets.items():
        print(f"xquad {lang}: {len(qs.questions)} questions × {len(MODES)} modes", file=sys.stderr)
        collected[lang] = ChunkLists(assistant)
        reports[lang] = evaluate(assistant, qs, k=10, modes=MODES, ask=False, progress=True,
                                 on_search=collected[lang])
    out["reports"] = reports
    if fusion:
        out["fusion"] = fusion_study(sets, collected, reports)
    return out


def run_seed(workdir: Path, repeats: int = 5) -> dict:
    assistant = Assistant.open(workdir / "sample-index")
    ingest = assistant.ingest([ARTICLES])
    qs = load_questions(SEED)
    report = evaluate(assistant, qs, k=10, modes=MODES, progress=True)
    # Latency: every seed question, `repeats` times, warm model (evaluate() already warmed it).
    timings: dict[str, list[float]] = {"search (hybrid, k=10)": [], "ask (k=5)": []}
    for _ in range(repeats):
        for q in qs.questions:
            t0 = time.perf_counter()
            assistant.search(q.question, k=10)
            timings["search (hybrid, k=10)"].append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            assistant.ask(q.question, k=5)
            timings["ask (k=5)"].append((time.perf_counter() - t0) * 1000)
    return {"ingest": {"documents": len(ingest.added), "chunks": ingest.n_chunks, "quotes": ingest.n_quotes,
                       "seconds": ingest.seconds}, "report": report, "timings": timings}


# ---- the note -----------------------------------------------------------------------------------------


def xquad_table(reports: dict) -> list[str]:
    lines = ["| retriever | questions | R@1 | R@5 | R@10 | MRR@10 | nDCG@10 | target nDCG@10 | p50 ms | p95 ms |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for lang in ("es", "en"):
        for mode in reports[lang].modes:
            s = mode.scores.overall
            target = ""
            if mode.mode == "hybrid":
                met = s.ndcg_10 >= TARGETS[lang]
                target = f"≥ {TARGETS[lang]:.2f} {'met' if met else '**not met**'}"
            lang_label = "es" if lang == "es" else "en→es"
            lines.append(f"| fuentes {mode.mode} | {lang_label} | " + " | ".join(fmt(getattr(s, f)) for f in FIELDS)
                         + f" | {target} | {fmt(s.latency_p50_ms, 1)} | {fmt(s.latency_p95_ms, 1)} |")
        for (name, ref_lang), values in REFERENCE.items():
            if ref_lang == lang:
                lines.append(f"| *reference: {name}* | {'es' if lang == 'es' else 'en→es'} | "
                             + " | ".join(fmt(v) for v in values) + " |  |  |  |")
    return lines


def fusion_section(study: dict) -> list[str]:
    lines = [
        f"The chunk lists hybrid search fuses ({', '.join(study['lists'])}; 50 chunks each, collected during the "
        "runs above) fused again with plain weighted RRF, `score = w / (k + rank_dense) + Σ 1 / (k + rank_other)`, "
        "one fixed setting for every question, beside hybrid search as shipped (its own fusion, whatever "
        "`assistant/retrieval.py` does at this commit). The grid was scored on the questions whose "
        f"gold paragraph has an even number (tune: {study['n_tune']['es']} es + {study['n_tune']['en']} en), "
        "one setting chosen by the mean nDCG@10 of both languages, and reported on the odd-numbered paragraphs "
        f"(test: {study['n_test']['es']} es + {study['n_test']['en']} en), which the choice never saw.",
        "",
        "| setting | test nDCG@10 es | test nDCG@10 en→es |", "|---|---|---|",
    ]
    for name, values in study["test"].items():
        lines.append(f"| {name} | {fmt(values['es'])} | {fmt(values['en'])} |")
    lines += ["", "<details><summary>tune split, whole grid (nDCG@10)</summary>", "",
              "| RRF k | dense weight | es | en→es |", "|---|---|---|---|"]
    lines += [f"| {g['k']} | {g['w_dense']} | {fmt(g['tune_es'])} | {fmt(g['tune_en'])} |" for g in study["grid"]]
    lines.append(f"| hybrid as shipped | | {fmt(study['shipped_tune']['es'])} | {fmt(study['shipped_tune']['en'])} |")
    lines += ["", "</details>"]
    return lines


def seed_section(seed: dict) -> list[str]:
    r = seed["report"]
    lines = ["| mode | R@1 | MRR@10 | nDCG@10 | evidence recall@5 | evidence recall@10 |", "|---|---|---|---|---|---|"]
    for m in r.modes:
        s = m.scores.overall
        lines.append(f"| {m.mode} | {fmt(s.recall_1)} | {fmt(s.mrr_10)} | {fmt(s.ndcg_10)} | "
                     f"{fmt(s.evidence_recall_5)} | {fmt(s.evidence_recall_10)} |")
    a = r.ask.scores
    lines += ["", "`ask` (k=5), all 15 questions:", "",
              "| group | n | evidence recall (cited) | citation precision | speaker accuracy | answered |",
              "|---|---|---|---|---|---|"]
    rows = [("all", a.overall)] + [(f"lang {g}", s) for g, s in a.by_language.items()] + \
           [(f"type {g}", s) for g, s in a.by_type.items()]
    lines += [f"| {g} | {s.n} | {fmt(s.evidence_recall)} | {fmt(s.citation_precision)} | "
              f"{fmt(s.speaker_accuracy)} | {fmt(s.answered)} |" for g, s in rows]
    return lines


def speed_section(xq: dict, seed: dict) -> list[str]:
    si, xi = seed["ingest"], xq["ingest"]
    lines = ["| what | figure |", "|---|---|",
             f"| ingest, sample (3 articles → {si['chunks']} chunks, {si['quotes']} quotes) | {si['seconds']:.1f} s, "
             f"{si['chunks'] / si['seconds']:.1f} passages/s (chunking, embedding, quote extraction, commit) |",
             f"| ingest, xquad (240 paragraphs → {xi['chunks']} chunks) | {xi['seconds']:.1f} s, "
             f"{xi['chunks'] / xi['seconds']:.1f} passages/s |"]
    for name, values in seed["timings"].items():
        lines.append(f"| {name}, sample, {len(values)} calls | p50 {percentile(values, 50):.1f} ms, "
                     f"p95 {percentile(values, 95):.1f} ms |")
    return lines


def write_note(path: Path, xq: dict, seed: dict, meta: dict) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    kept = NOTES.search(old)
    notes = kept.group(0) if kept else "<!-- notes -->\n<!-- /notes -->"
    lines = [
        "# Retrieval and citation quality",
        "",
        f"Produced by `python bench/quality.py` (fresh temporary indexes, the default model "
        f"{meta['model']}, `k=10` for search); the same figures come from `fuentes eval` — commands below.",
        "",
        f"- machine: {meta['machine']}",
        f"- commit {meta['commit']}, {meta['date']}, whole run {meta['seconds']:.0f} s; load average "
        f"(1/5/15 min) at start {meta['load_start']}, at end {meta['load_end']}. Other jobs shared these two "
        "cores during the run, so latencies here are upper bounds; the quality figures do not depend on it.",
        "",
        "## xquad: paragraph retrieval (240 Spanish paragraphs, 1190 questions per language)",
        "",
        "Document level: a paragraph split into several chunks counts once, at its best chunk's rank. "
        "Metrics by ranx. Reference rows are the xquad README's figures on the same set.",
        "",
        *xquad_table(xq["reports"]),
        "",
        "![xquad es](benchmarks-quality-xquad-es.png) ![xquad en](benchmarks-quality-xquad-en.png)",
        "",
    ]
    if "fusion" in xq:
        lines += ["## Fusion study (xquad, held-out split)", "", *fusion_section(xq["fusion"]), ""]
    lines += [
        "## Seed dev set (3 sample articles, 15 questions with evidence spans)",
        "",
        "Evidence recall@c: share of gold evidence texts lying wholly inside one of the first c retrieved chunks; "
        "for `ask`, inside a cited span. Citation precision: share of citations overlapping a gold span. "
        "Speaker accuracy: every citation that names a speaker names the asked-about person (accent-insensitive "
        "surname), over the 7 questions that name one.",
        "",
        *seed_section(seed),
        "",
        "## Ingest and latency on the sample",
        "",
        *speed_section(xq, seed),
        "",
        "## Notes",
        "",
        notes,
        "",
        "## Reproduce",
        "",
        "```bash",
        ". .venv/bin/activate",
        "python bench/quality.py                       # this note, ~5-10 min on 2 cores",
        "fuentes eval ../shared/data/xquad/questions_es.jsonl --corpus ../shared/data/xquad/corpus.jsonl --mode all",
        "fuentes eval ../shared/data/xquad/questions_en.jsonl --corpus ../shared/data/xquad/corpus.jsonl --mode all",
        "fuentes eval ../shared/data/xquad/beir-es --corpus ../shared/data/xquad/beir-es --mode all   # BEIR layout",
        "fuentes eval ../shared/data/seed_questions_dev.jsonl --corpus data/articles --mode all "
        "--report /tmp/seed.md",
        "```",
        "",
        "Scores are also in `docs/benchmarks-quality.json` (per-question rows for the seed set); the Markdown "
        "report of each run, as `fuentes eval --report` writes it (worst-ranked questions included), is under "
        "`docs/quality-runs/`.",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def scores_only(report) -> dict:
    """The report without its 7000 per-question rows (they are in the run reports' worst lists)."""
    data = report.to_dict()
    for mode in data["modes"]:
        mode.pop("results")
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks-quality.md")
    parser.add_argument("--skip-fusion", action="store_true", help="leave out the fusion study")
    parser.add_argument("--limit", type=int, help="only the first N xquad questions per language (smoke run)")
    args = parser.parse_args()
    started, load_start = time.perf_counter(), load()
    with tempfile.TemporaryDirectory(prefix="fuentes-quality-") as tmp:
        xq = run_xquad(Path(tmp), fusion=not args.skip_fusion, limit=args.limit)
        seed = run_seed(Path(tmp))
    from index.embedding import DEFAULT_MODEL

    meta = {"machine": machine(), "commit": git_head(), "model": DEFAULT_MODEL, "date": time.strftime("%Y-%m-%d %H:%M"),
            "seconds": time.perf_counter() - started, "load_start": load_start, "load_end": load()}
    runs = args.out.parent / "quality-runs"
    for name, report in (("xquad-es", xq["reports"]["es"]), ("xquad-en", xq["reports"]["en"]),
                         ("seed-dev", seed["report"])):
        write_report(report, runs / f"{name}.md")
    # The note's two plots are the per-run plots, copied next to it.
    for lang in ("es", "en"):
        (args.out.parent / f"benchmarks-quality-xquad-{lang}.png").write_bytes((runs / f"xquad-{lang}.png").read_bytes())
    write_note(args.out, xq, seed, meta)
    summary = {"meta": meta, "xquad": {lang: scores_only(r) for lang, r in xq["reports"].items()},
               "xquad_ingest": xq["ingest"], "fusion": xq.get("fusion"), "seed": seed["report"].to_dict(),
               "seed_ingest": seed["ingest"], "seed_timings": seed["timings"]}
    args.out.with_suffix(".json").write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
