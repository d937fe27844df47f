"""The Markdown report of an evaluation: tables per mode, language and type, a PNG plot, worst questions, deltas."""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Mapping, Sequence

from .evaluation import (ASK_COLUMNS, SEARCH_COLUMNS, Breakdown, EvalReport, ModeReport, SearchResult, deltas,
                         require_eval_extra)

PLOT_COLUMNS = ("recall_1", "recall_5", "recall_10", "mrr_10", "ndcg_10", "evidence_recall_5")


def _fmt(value: float | int | None, latency: bool = False) -> str:
    if value is None:
        return "–"
    if isinstance(value, int) and not latency:
        return str(value)
    return f"{value:.1f}" if latency else f"{value:.3f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _columns(scores: Sequence[object], columns: Mapping[str, str]) -> list[str]:
    """The columns at least one of the rows has a value for."""
    return [f for f in columns if any(getattr(s, f) is not None for s in scores)]


def _scores_table(labelled: Sequence[tuple[str, object]], columns: Mapping[str, str], first: str) -> list[str]:
    shown = _columns([s for _, s in labelled], columns)
    header = [first, "n"] + [columns[f] for f in shown]
    rows = [[label, str(s.n)] + [_fmt(getattr(s, f), latency=f.startswith("latency")) for f in shown]
            for label, s in labelled]
    return _table(header, rows)


def _breakdown_tables(named: Sequence[tuple[str, Breakdown]], columns: Mapping[str, str]) -> list[str]:
    lines: list[str] = []
    for title, attribute in (("By question language", "by_language"), ("By question type", "by_type")):
        labelled = [(f"{name} · {group}", scores) for name, b in named
                    for group, scores in getattr(b, attribute).items()]
        if labelled:
            lines += ["", f"**{title}**", ""] + _scores_table(labelled, columns, "mode · group")
    return lines


def worst_questions(mode: ModeReport, n: int = 10) -> list[SearchResult]:
    """Questions whose first gold document ranks lowest (missing ones first); perfect ones are left out."""
    graded = [r for r in mode.results if r.gold_docs and r.gold_rank != 1]
    return sorted(graded, key=lambda r: (-(r.gold_rank or 10**6), r.metrics.get("ndcg@10", 0.0), r.id))[:n]


def plot(report: EvalReport, path: Path) -> Path:
    """A grouped bar chart: each ranking metric, one bar per mode (and ask's scores beside them)."""
    matplotlib = require_eval_extra("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups = [(m.mode, asdict(m.scores.overall)) for m in report.modes]
    columns = [f for f in PLOT_COLUMNS if any(g.get(f) is not None for _, g in groups)]
    labels = [SEARCH_COLUMNS[f] for f in columns]
    if report.ask:
        ask = asdict(report.ask.scores.overall)
        ask_columns = [f for f in ("evidence_recall", "citation_precision", "speaker_accuracy") if ask.get(f) is not None]
        labels += [f"ask {ASK_COLUMNS[f]}" for f in ask_columns]
    fig, ax = plt.subplots(figsize=(max(6.0, 1.1 * len(labels) + 2), 4.2))
    width = 0.8 / max(1, len(groups))
    for i, (name, values) in enumerate(groups):
        xs = [j + i * width for j in range(len(columns))]
        ax.bar(xs, [values[f] or 0.0 for f in columns], width, label=name)
    if report.ask:
        xs = [len(columns) + j + 0.4 - width / 2 for j in range(len(ask_columns))]
        ax.bar(xs, [ask[f] or 0.0 for f in ask_columns], width, label=f"ask (k={report.ask.k})", color="0.5")
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(labels))], labels, rotation=20, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score")
    ax.set_title(f"{Path(report.questions).name}: {report.n_questions} questions, k={report.k}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def summary(report: EvalReport) -> str:
    """The overall tables, for the terminal."""
    lines: list[str] = []
    if report.modes:
        lines += _scores_table([(m.mode, m.scores.overall) for m in report.modes], SEARCH_COLUMNS, "mode")
    if report.ask:
        lines += [""] + _scores_table([(f"ask k={report.ask.k}", report.ask.scores.overall)], ASK_COLUMNS, "")
    lines += [f"warning: {w}" for w in report.warnings]
    return "\n".join(lines)


def markdown(report: EvalReport, plot_name: str | None = None, baseline: Mapping | None = None,
             n_worst: int = 10) -> str:
    lines = [
        f"# Evaluation: {Path(report.questions).name}",
        "",
        f"- questions: `{report.questions}` ({report.n_questions})",
        f"- index: `{report.index}`, model `{report.model}`",
        f"- documents ranked by their best chunk (of {report.depth} fetched per search), cut at k = {report.k}; "
        "R@n, MRR, nDCG by ranx; EvR@c = share of gold evidence texts inside one of the first c chunks",
        f"- run time {report.seconds:.1f} s",
    ]
    if report.corpus:
        i = report.ingest
        lines.append(f"- corpus `{report.corpus}` ingested into a fresh index: {i.get('documents')} documents, "
                     f"{i.get('chunks')} chunks in {i.get('seconds')} s ({i.get('chunks_per_s')} chunks/s)")
    if report.modes:
        lines += ["", "## Retrieval (`search`)", ""]
        lines += _scores_table([(m.mode, m.scores.overall) for m in report.modes], SEARCH_COLUMNS, "mode")
        lines += _breakdown_tables([(m.mode, m.scores) for m in report.modes], SEARCH_COLUMNS)
    if report.ask:
        lines += ["", f"## Answers (`ask`, k={report.ask.k})", "",
                  "Evidence recall: gold evidence text inside a cited span. Citation precision: share of "
                  "citations overlapping gold evidence. Speaker accuracy: every citation that names a speaker "
                  "names the asked-about person (accent-insensitive surname).", ""]
        lines += _scores_table([("ask", report.ask.scores.overall)], ASK_COLUMNS, "")
        lines += _breakdown_tables([("ask", report.ask.scores)], ASK_COLUMNS)
    if plot_name:
        lines += ["", f"![metrics per mode]({plot_name})"]
    if baseline is not None:
        lines += ["", "## Against the baseline", ""]
        changes = deltas(report, baseline)
        if not changes:
            lines.append("The baseline has no mode in common with this run.")
        rows = [[name, label, _fmt(now, "ms" in label), _fmt(old, "ms" in label), f"{delta:+.3f}"]
                for name, metrics in changes.items() for label, (now, old, delta) in metrics.items()]
        if rows:
            lines += _table(["mode", "metric", "now", "baseline", "Δ"], rows)
    for mode in report.modes:
        worst = worst_questions(mode, n_worst)
        if not worst:
            continue
        lines += ["", f"## Worst-ranked questions ({mode.mode})", ""]
        lines += _table(["id", "lang", "question", "gold", "gold rank", "top documents"], [
            [r.id, r.language, r.question.replace("|", "\\|"), ", ".join(r.gold_docs[:3]),
             str(r.gold_rank) if r.gold_rank else "not found", ", ".join(r.ranked_docs[:3])]
            for r in worst])
    if report.ask:
        missed = [r for r in report.ask.results
                  if (r.evidence_recall is not None and r.evidence_recall < 1) or r.speaker_correct is False]
        if missed:
            lines += ["", "## Answers that missed evidence or speaker", ""]
            lines += _table(["id", "question", "intent", "citations", "evidence recall", "cited speakers"], [
                [r.id, r.question.replace("|", "\\|"), r.intent, str(r.n_citations), _fmt(r.evidence_recall),
                 ", ".join(dict.fromkeys(r.cited_speakers)) or "–"] for r in missed])
    if report.warnings:
        lines += ["", "## Warnings", ""] + [f"- {w}" for w in report.warnings]
    return "\n".join(lines) + "\n"


def write_report(report: EvalReport, path: str | Path, baseline: Mapping | None = None) -> tuple[Path, Path]:
    """Write the Markdown report and its PNG plot (same name, `.png`) side by side."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    png = plot(report, path.with_suffix(".png"))
    path.write_text(markdown(report, png.name, baseline), encoding="utf-8")
    return path, png
