"""Evaluation: load question sets (JSONL or BEIR), run them through `Assistant`, score retrieval and citations."""
from __future__ import annotations

import json
import re
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Sequence

import numpy as np

from index.errors import FuentesError
from index.text import detect_language, fold

if TYPE_CHECKING:
    from .core import Assistant
    from .types import Answer, Hit

from .limits import MODES  # noqa: E402  (re-exported: bench scripts import it from here)
# Ranking metrics, in ranx's names; computed at the document level (several chunks of one
# document count once, at the rank of the first).
RANX_METRICS = ("recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10")
EVIDENCE_CUTOFFS = (5, 10)
# Chunks fetched per search. A document split into several chunks fills several places of a chunk
# list (xquad: 487 chunks for 240 paragraphs), so documents are ranked by their best chunk among
# this many and then cut at k documents, as a document retriever would return them.
SEARCH_DEPTH = 50
FORMAT = "fuentes-eval/1"


class EvaluationError(FuentesError):
    """A question set, corpus or baseline could not be read; the message names the file and line."""


# ---- question sets -------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """A gold span: `text` is an exact substring of document `doc`."""

    doc: str
    text: str


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answers: tuple[str, ...] = ()
    gold_ids: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    lang: str | None = None
    type: str | None = None
    speaker: str | None = None

    @property
    def gold_docs(self) -> tuple[str, ...]:
        """The relevant documents: `gold_ids`, or the evidence documents when only evidence is given."""
        if self.gold_ids:
            return self.gold_ids
        return tuple(dict.fromkeys(e.doc for e in self.evidence))

    @property
    def language(self) -> str:
        return self.lang or detect_language(self.question)


@dataclass(frozen=True)
class QuestionSet:
    name: str
    path: str
    questions: tuple[Question, ...]
    corpus: str | None = None  # a BEIR folder's corpus.jsonl


def load_questions(path: str | Path) -> QuestionSet:
    """A question-set JSONL file, or a BEIR folder (`corpus.jsonl`, `queries.jsonl`, `qrels/*.tsv`).

    Example:
        >>> qs = load_questions("../shared/data/xquad/questions_es.jsonl")
        >>> len(qs.questions), qs.questions[0].gold_ids
        (1190, ('xq00000',))
    """
    path = Path(path)
    if path.is_dir():
        return _load_beir(path)
    if not path.is_file():
        raise EvaluationError(f"no question set at {path}: give a .jsonl file or a BEIR folder")
    questions = [_question(record, path, n) for n, record in _jsonl_records(path)]
    _check_unique(questions, path)
    return QuestionSet(path.stem, str(path), tuple(questions))


def _jsonl_records(path: Path) -> Iterable[tuple[int, dict]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvaluationError(f"{path}: cannot read it as UTF-8 text ({exc})") from exc
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvaluationError(f"{path}, line {n}: not valid JSON ({exc.msg} at column {exc.colno}); "
                                  "fix or remove the line") from exc
        if not isinstance(record, dict):
            raise EvaluationError(f"{path}, line {n}: expected a JSON object, got {type(record).__name__}")
        yield n, record


def _question(record: dict, path: Path, n: int) -> Question:
    where = f"{path}, line {n}"
    qid, text = record.get("id"), record.get("question")
    if not isinstance(qid, (str, int)) or str(qid).strip() == "":
        raise EvaluationError(f'{where}: no "id" (a string); every question needs one')
    if not isinstance(text, str) or not text.strip():
        raise EvaluationError(f'{where}: no "question" (a non-empty string)')
    evidence = record.get("evidence") or []
    if not isinstance(evidence, list) or not all(
            isinstance(e, dict) and isinstance(e.get("doc"), str) and isinstance(e.get("text"), str) and e["text"]
            for e in evidence):
        raise EvaluationError(f'{where}: "evidence" must be a list of {{"doc": id, "text": exact substring}}')
    for key in ("answers", "gold_ids"):
        value = record.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            raise EvaluationError(f'{where}: "{key}" must be a list of strings, got {value!r}')
    for key in ("lang", "type", "speaker"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise EvaluationError(f'{where}: "{key}" must be a string or null, got {record[key]!r}')
    return Question(
        id=str(qid), question=text.strip(),
        answers=tuple(str(a) for a in record.get("answers") or ()),
        gold_ids=tuple(str(g) for g in record.get("gold_ids") or ()),
        evidence=tuple(Evidence(e["doc"], e["text"]) for e in evidence),
        lang=record.get("lang") or None, type=record.get("type") or None, speaker=record.get("speaker") or None,
    )


def _check_unique(questions: Sequence[Question], path: Path) -> None:
    seen: set[str] = set()
    for q in questions:
        if q.id in seen:
            raise EvaluationError(f"{path}: question id {q.id!r} appears twice; ids must be unique")
        seen.add(q.id)


def _load_beir(folder: Path) -> QuestionSet:
    queries_path = folder / "queries.jsonl"
    qrels_files = sorted((folder / "qrels").glob("*.tsv")) if (folder / "qrels").is_dir() else []
    if not queries_path.is_file() or not qrels_files:
        raise EvaluationError(f"{folder} is not a BEIR folder: expected queries.jsonl and qrels/*.tsv in it")
    # test.tsv is BEIR's evaluation split; other splits are used only when it is absent.
    qrels_path = next((p for p in qrels_files if p.stem == "test"), qrels_files[0])
    gold: dict[str, list[str]] = {}
    for n, line in enumerate(qrels_path.read_text(encoding="utf-8").splitlines(), start=1):
        parts = line.rstrip("\n").split("\t")
        if n == 1 and parts[0] in ("query-id", "query_id", "qid"):
            continue
        if not line.strip():
            continue
        if len(parts) not in (3, 4):
            raise EvaluationError(f"{qrels_path}, line {n}: expected query-id<TAB>corpus-id<TAB>score, got {line!r}")
        try:
            score = float(parts[-1])
        except ValueError as exc:
            raise EvaluationError(f"{qrels_path}, line {n}: score {parts[-1]!r} is not a number") from exc
        if score > 0:
            gold.setdefault(parts[0], []).append(parts[-2])
    questions = []
    for n, record in _jsonl_records(queries_path):
        qid, text = record.get("_id"), record.get("text")
        if not isinstance(qid, (str, int)) or not isinstance(text, str) or not text.strip():
            raise EvaluationError(f'{queries_path}, line {n}: a BEIR query needs "_id" and "text"')
        if str(qid) in gold:  # BEIR: queries without judgements are not part of the split
            questions.append(Question(id=str(qid), question=text.strip(), gold_ids=tuple(gold[str(qid)])))
    corpus = folder / "corpus.jsonl"
    return QuestionSet(folder.name, str(folder), tuple(questions), str(corpus) if corpus.is_file() else None)


def corpus_paths(corpus: str | Path, workdir: str | Path) -> list[Path]:
    """Paths to ingest for `--corpus`: a BEIR corpus (lines with `_id`) is rewritten as fuentes
    articles in `workdir`; a BEIR folder means its corpus.jsonl; anything else is ingested as is."""
    corpus = Path(corpus)
    if corpus.is_dir() and (corpus / "corpus.jsonl").is_file() and (corpus / "queries.jsonl").is_file():
        corpus = corpus / "corpus.jsonl"
    if not corpus.exists():
        raise EvaluationError(f"no corpus at {corpus}: give an article file or folder, or a BEIR folder")
    if corpus.is_file() and corpus.suffix == ".jsonl" and _is_beir_corpus(corpus):
        out = Path(workdir) / f"{corpus.parent.name}-{corpus.stem}.jsonl"
        with out.open("w", encoding="utf-8") as f:
            for n, record in _jsonl_records(corpus):
                if "_id" not in record or not isinstance(record.get("text"), str):
                    raise EvaluationError(f'{corpus}, line {n}: a BEIR corpus line needs "_id" and "text"')
                article = {"id": str(record["_id"]), "title": record.get("title") or "", "text": record["text"],
                           "url": record.get("url"), "published": record.get("published")}
                f.write(json.dumps(article, ensure_ascii=False) + "\n")
        return [out]
    return [corpus]


def _is_beir_corpus(path: Path) -> bool:
    for _, record in _jsonl_records(path):
        return "_id" in record and "id" not in record
    return False


# ---- metrics -------------------------------------------------------------------------------


def ranking_metrics(gold: Mapping[str, Sequence[str]], ranked: Mapping[str, Sequence[str]]
                    ) -> dict[str, dict[str, float]]:
    """Per-question recall@1/5/10, MRR@10 and nDCG@10 (binary relevance) computed by ranx.

    `ranked[qid]` lists document ids best first, without repeats; questions without gold
    documents are left out.

    Example:
        >>> ranking_metrics({"q": ["b"]}, {"q": ["a", "b"]})["q"]["mrr@10"]
        0.5
    """
    ranx = require_eval_extra("ranx")
    Qrels, Run, evaluate = ranx.Qrels, ranx.Run, ranx.evaluate

    ids = [q for q in gold if gold[q]]
    if not ids:
        return {}
    qrels = Qrels({q: {d: 1 for d in gold[q]} for q in ids})
    # Scores that decrease with rank keep our order exactly (ranx sorts by score).
    run = Run({q: {d: float(len(ranked.get(q, ())) - i) for i, d in enumerate(ranked.get(q, ()))} for q in ids})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba's uint64 cast notice, harmless here
        evaluate(qrels, run, list(RANX_METRICS), make_comparable=True)  # per-question values land in run.scores
    return {q: {m: float(run.scores[m][q]) for m in RANX_METRICS} for q in ids}


def require_eval_extra(module: str):
    """Import an evaluation-only library, or say how to install the `eval` extra that carries it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise FuentesError(
            f"`fuentes eval` needs {module}, which is in the optional `eval` extra: "
            f"pip install 'fuentes[eval]' (from a checkout: pip install -e '.[eval]')"
        ) from exc


def dedupe_doc_ids(hits: Iterable["Hit"]) -> list[str]:
    """Document ids in hit order, each at the rank of its first chunk."""
    return list(dict.fromkeys(h.chunk.doc_id for h in hits))


def find_spans(text: str, needle: str) -> list[tuple[int, int]]:
    """Every (start, end) where `needle` occurs in `text`."""
    spans, start = [], text.find(needle)
    while needle and start >= 0:
        spans.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return spans


def contains(outer: tuple[int, int], inner: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def evidence_recall(evidence: Mapping[Evidence, Sequence[tuple[int, int]]],
                    spans: Sequence[tuple[str, int, int]]) -> float | None:
    """Share of gold evidence texts lying wholly inside one of `spans` (doc_id, start, end)."""
    if not evidence:
        return None
    found = sum(
        any(doc == ev.doc and contains((s, e), occ) for doc, s, e in spans for occ in occurrences)
        for ev, occurrences in evidence.items()
    )
    return found / len(evidence)


def citation_precision(evidence: Mapping[Evidence, Sequence[tuple[int, int]]],
                       spans: Sequence[tuple[str, int, int]]) -> float | None:
    """Share of cited spans that overlap some gold evidence span; None when nothing is cited."""
    if not spans or not evidence:
        return None
    good = sum(
        any(doc == ev.doc and overlaps((s, e), occ) for ev, occurrences in evidence.items() for occ in occurrences)
        for doc, s, e in spans
    )
    return good / len(spans)


def _name_tokens(name: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(name).lower())


def same_person(gold: str, cited: str | None) -> bool:
    """Accent-insensitive surname match: 'Peskov' ~ 'Dmitri Peskov', 'Barrot' ~ 'Jean-Noël Barrot'."""
    if not cited:
        return False
    g, c = _name_tokens(gold), _name_tokens(cited)
    return bool(g and c) and g[-1] == c[-1]


def speaker_correct(gold: str, citations: Sequence[object]) -> bool:
    """The answer attributes to the right person: some citation names a speaker, and every
    citation that names one names `gold` (a wrong extra attribution counts as an error)."""
    named = [c.speaker for c in citations if getattr(c, "speaker", None)]
    return bool(named) and all(same_person(gold, s) for s in named)


def percentile(values: Sequence[float], q: float) -> float | None:
    return float(np.percentile(np.asarray(values, dtype=float), q)) if len(values) else None


def _mean(values: Iterable[float | bool | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None


# ---- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResult:
    """One question searched in one mode."""

    id: str
    question: str
    language: str
    type: str | None
    mode: str
    ranked_docs: tuple[str, ...]  # document ids, best first, deduplicated
    gold_docs: tuple[str, ...]
    gold_rank: int | None  # document rank of the first gold document, None if not retrieved
    metrics: Mapping[str, float]  # ranx metric name -> value; empty without gold documents
    evidence_recall: Mapping[int, float]  # cutoff (chunks) -> share of evidence found
    latency_ms: float


@dataclass(frozen=True)
class AskResult:
    """One question answered by `Assistant.ask`."""

    id: str
    question: str
    language: str
    type: str | None
    intent: str
    n_citations: int
    evidence_recall: float | None
    citation_precision: float | None
    speaker: str | None
    cited_speakers: tuple[str, ...]
    speaker_correct: bool | None
    latency_ms: float


@dataclass(frozen=True)
class SearchScores:
    """Means over a group of questions; None where no question in the group carries the gold needed."""

    n: int
    recall_1: float | None = None
    recall_5: float | None = None
    recall_10: float | None = None
    mrr_10: float | None = None
    ndcg_10: float | None = None
    evidence_recall_5: float | None = None
    evidence_recall_10: float | None = None
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None


SEARCH_COLUMNS = {  # field -> label in reports
    "recall_1": "R@1", "recall_5": "R@5", "recall_10": "R@10", "mrr_10": "MRR@10", "ndcg_10": "nDCG@10",
    "evidence_recall_5": "EvR@5", "evidence_recall_10": "EvR@10",
    "latency_p50_ms": "p50 ms", "latency_p95_ms": "p95 ms",
}
_RANX_FIELDS = dict(zip(RANX_METRICS, ("recall_1", "recall_5", "recall_10", "mrr_10", "ndcg_10")))


@dataclass(frozen=True)
class AskScores:
    n: int
    evidence_recall: float | None = None
    citation_precision: float | None = None
    speaker_accuracy: float | None = None
    answered: float | None = None  # share of questions with at least one citation
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None


ASK_COLUMNS = {
    "evidence_recall": "evidence recall", "citation_precision": "citation precision",
    "speaker_accuracy": "speaker accuracy", "answered": "answered",
    "latency_p50_ms": "p50 ms", "latency_p95_ms": "p95 ms",
}


@dataclass(frozen=True)
class Breakdown:
    """Scores for all questions, and per question language and per question type."""

    overall: SearchScores | AskScores
    by_language: Mapping[str, SearchScores | AskScores] = field(default_factory=dict)
    by_type: Mapping[str, SearchScores | AskScores] = field(default_factory=dict)


@dataclass(frozen=True)
class ModeReport:
    mode: str
    scores: Breakdown
    results: tuple[SearchResult, ...]


@dataclass(frozen=True)
class AskReport:
    k: int
    scores: Breakdown
    results: tuple[AskResult, ...]


@dataclass(frozen=True)
class EvalReport:
    questions: str  # path of the question set
    n_questions: int
    index: str
    model: str
    k: int  # documents ranked per question
    modes: tuple[ModeReport, ...]
    ask: AskReport | None = None
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0
    corpus: str | None = None  # what was ingested into a fresh index for this run
    ingest: Mapping[str, float] = field(default_factory=dict)  # documents, chunks, seconds, chunks_per_s
    depth: int = SEARCH_DEPTH  # chunks fetched per search
    format: str = FORMAT

    def mode(self, name: str) -> ModeReport:
        return next(m for m in self.modes if m.mode == name)

    def to_dict(self) -> dict:
        """The JSON shape of `fuentes eval --json` (and what `--baseline` reads back)."""
        return asdict(self)


def search_scores(results: Sequence[SearchResult]) -> SearchScores:
    latencies = [r.latency_ms for r in results]
    values = {f: _mean(r.metrics.get(m) for r in results) for m, f in _RANX_FIELDS.items()}
    for cutoff in EVIDENCE_CUTOFFS:
        values[f"evidence_recall_{cutoff}"] = _mean(r.evidence_recall.get(cutoff) for r in results)
    return SearchScores(len(results), **values, latency_p50_ms=percentile(latencies, 50),
                        latency_p95_ms=percentile(latencies, 95))


def ask_scores(results: Sequence[AskResult]) -> AskScores:
    latencies = [r.latency_ms for r in results]
    return AskScores(
        len(results),
        evidence_recall=_mean(r.evidence_recall for r in results),
        citation_precision=_mean(r.citation_precision for r in results),
        speaker_accuracy=_mean(r.speaker_correct for r in results),
        answered=_mean(r.n_citations > 0 for r in results),
        latency_p50_ms=percentile(latencies, 50), latency_p95_ms=percentile(latencies, 95),
    )


def breakdown(results: Sequence[SearchResult] | Sequence[AskResult], score: Callable) -> Breakdown:
    def grouped(key: Callable) -> dict[str, object]:
        groups: dict[str, list] = {}
        for r in results:
            groups.setdefault(key(r), []).append(r)
        return {name: score(group) for name, group in sorted(groups.items())}

    by_type = grouped(lambda r: r.type or "untyped") if any(r.type for r in results) else {}
    return Breakdown(score(results), grouped(lambda r: r.language), by_type)


# ---- running -------------------------------------------------------------------------------


def evaluate(assistant: "Assistant", question_set: QuestionSet, k: int = 10, modes: Sequence[str] = ("hybrid",),
             ask: bool | None = None, ask_k: int = 5, progress: bool = False,
             depth: int = SEARCH_DEPTH, on_search: Callable[[Question, str, list["Hit"]], None] | None = None
             ) -> EvalReport:
    """Search every question in each mode, and ask the questions that carry evidence or a speaker.

    Each search fetches `max(depth, k)` chunks; documents are ranked by their first chunk and cut at
    `k`; evidence recall@c looks at the first c chunks. `ask=None` asks the questions with evidence
    or a speaker; True asks every question; False asks none. `on_search(question, mode, hits)`
    sees every search's hits, for studies that need the raw chunk lists.

    Example:
        >>> report = evaluate(Assistant.open("idx"), load_questions("questions.jsonl"), modes=MODES)
        >>> report.mode("hybrid").scores.overall.ndcg_10
        0.97
    """
    for mode in modes:
        if mode not in MODES:
            raise EvaluationError(f"mode {mode!r} is not one of {list(MODES)}")
    started = time.perf_counter()
    questions = question_set.questions
    notes: list[str] = []
    evidence = _locate_evidence(assistant, questions, notes)
    to_ask = [q for q in questions if ask or (ask is None and (q.evidence or q.speaker))] if ask is not False else []

    from tqdm.auto import tqdm

    bar = tqdm(total=len(questions) * len(modes) + len(to_ask), desc="eval", unit="q", disable=not progress)
    _warm_up(assistant, questions, modes)
    mode_reports = []
    for mode in modes:
        results = []
        for q in questions:
            t0 = time.perf_counter()
            hits = assistant.search(q.question, k=max(depth, k), mode=mode)
            latency = (time.perf_counter() - t0) * 1000
            results.append((q, hits, latency))
            if on_search is not None:
                on_search(q, mode, hits)
            bar.update()
        mode_reports.append(_score_mode(mode, results, evidence, k))
    ask_results = []
    for q in to_ask:
        t0 = time.perf_counter()
        answer = assistant.ask(q.question, k=ask_k)
        ask_results.append(_score_answer(q, answer, (time.perf_counter() - t0) * 1000, evidence))
        bar.update()
    bar.close()
    ask_report = AskReport(ask_k, breakdown(ask_results, ask_scores), tuple(ask_results)) if to_ask else None
    return EvalReport(
        questions=question_set.path, n_questions=len(questions), index=str(assistant.index.path),
        model=assistant.index.model_name, k=k, modes=tuple(mode_reports), ask=ask_report,
        warnings=tuple(notes), seconds=round(time.perf_counter() - started, 2), depth=max(depth, k),
    )


def _warm_up(assistant: "Assistant", questions: Sequence[Question], modes: Sequence[str]) -> None:
    """Load the model and touch the index once so the first timed question is not the cold one."""
    if questions:
        for mode in modes:
            assistant.search(questions[0].question, k=1, mode=mode)


def _locate_evidence(assistant: "Assistant", questions: Sequence[Question], notes: list[str]
                     ) -> dict[str, dict[Evidence, list[tuple[int, int]]]]:
    """Where each question's evidence texts occur in its documents; a missing one is noted and
    still counts (as never found), so a broken question set cannot raise the scores."""
    texts: dict[str, str | None] = {}
    located: dict[str, dict[Evidence, list[tuple[int, int]]]] = {}
    for q in questions:
        spans: dict[Evidence, list[tuple[int, int]]] = {}
        for ev in q.evidence:
            if ev.doc not in texts:
                doc = assistant.document(ev.doc)
                texts[ev.doc] = doc.text if doc is not None else None
            if texts[ev.doc] is None:
                notes.append(f"question {q.id}: evidence document {ev.doc!r} is not in the index")
                spans[ev] = []
                continue
            spans[ev] = find_spans(texts[ev.doc], ev.text)
            if not spans[ev]:
                notes.append(f"question {q.id}: evidence {ev.text!r} does not occur in document {ev.doc!r}")
        located[q.id] = spans
    return located


def _score_mode(mode: str, runs: Sequence[tuple[Question, list["Hit"], float]],
                evidence: Mapping[str, Mapping[Evidence, Sequence[tuple[int, int]]]], k: int) -> ModeReport:
    ranked = {q.id: dedupe_doc_ids(hits)[:k] for q, hits, _ in runs}
    metrics = ranking_metrics({q.id: q.gold_docs for q, _, _ in runs}, ranked)
    results = []
    for q, hits, latency in runs:
        gold = q.gold_docs
        rank = next((i for i, d in enumerate(ranked[q.id], start=1) if d in gold), None)
        ev = {}
        if q.evidence:
            for cutoff in EVIDENCE_CUTOFFS:
                spans = [(h.chunk.doc_id, h.chunk.start, h.chunk.end) for h in hits[:cutoff]]
                ev[cutoff] = evidence_recall(evidence[q.id], spans)
        results.append(SearchResult(q.id, q.question, q.language, q.type, mode, tuple(ranked[q.id]), gold, rank,
                                    metrics.get(q.id, {}), ev, round(latency, 3)))
    return ModeReport(mode, breakdown(results, search_scores), tuple(results))


def _score_answer(q: Question, answer: "Answer", latency: float,
                  evidence: Mapping[str, Mapping[Evidence, Sequence[tuple[int, int]]]]) -> AskResult:
    spans = [(c.doc_id, c.start, c.end) for c in answer.citations]
    return AskResult(
        q.id, q.question, q.language, q.type, answer.intent, len(answer.citations),
        evidence_recall=evidence_recall(evidence[q.id], spans),
        citation_precision=citation_precision(evidence[q.id], spans),
        speaker=q.speaker,
        cited_speakers=tuple(c.speaker for c in answer.citations if c.speaker),
        speaker_correct=speaker_correct(q.speaker, answer.citations) if q.speaker else None,
        latency_ms=round(latency, 3),
    )


def run(questions: str | Path, corpus: str | Path | None = None, index: str | Path | None = None, k: int = 10,
        modes: Sequence[str] = ("hybrid",), ask: bool | None = None, progress: bool = False) -> EvalReport:
    """Load a question set and evaluate it over `index`, or over a fresh temporary index of `corpus`."""
    from dataclasses import replace

    from .core import Assistant

    require_eval_extra("ranx")  # say so before a long ingest, not after it
    question_set = load_questions(questions)
    if not question_set.questions:
        raise EvaluationError(f"{questions} holds no questions")
    if corpus is None:
        return evaluate(Assistant.open(index, create=False), question_set, k, modes, ask, progress=progress)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="fuentes-eval-") as tmp:
        assistant = Assistant.open(Path(tmp) / "index")
        paths = corpus_paths(corpus, tmp)
        ingested = assistant.ingest(paths, progress=progress)
        if not ingested.added:
            raise EvaluationError(f"nothing could be ingested from {corpus}: "
                                  + "; ".join(f"{s.path}: {s.reason}" for s in ingested.skipped[:3]))
        report = evaluate(assistant, question_set, k, modes, ask, progress=progress)
        notes = [f"corpus: skipped {s.path}: {s.reason}" for s in ingested.skipped]
        stats = {"documents": len(ingested.added), "chunks": ingested.n_chunks, "seconds": round(ingested.seconds, 2),
                 "chunks_per_s": round(ingested.n_chunks / ingested.seconds, 1) if ingested.seconds else 0.0}
        return replace(report, corpus=str(corpus), ingest=stats, warnings=tuple(notes) + report.warnings,
                       index="(temporary)")


# ---- baselines -----------------------------------------------------------------------------


def load_baseline(path: str | Path) -> dict:
    """A previous `fuentes eval --json` output."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise EvaluationError(f"cannot read baseline {path}: {exc}; give a file written by `fuentes eval --json`") \
            from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise EvaluationError(f"{path} is not a `fuentes eval --json` output (format {FORMAT!r} expected)")
    return data


def deltas(report: EvalReport, baseline: Mapping) -> dict[str, dict[str, tuple[float, float, float]]]:
    """Per mode (and "ask"), metric label -> (now, baseline, now - baseline) for metrics both have."""
    out: dict[str, dict[str, tuple[float, float, float]]] = {}
    old_modes = {m["mode"]: m["scores"]["overall"] for m in baseline.get("modes", [])}
    rows = [(m.mode, asdict(m.scores.overall), old_modes.get(m.mode), SEARCH_COLUMNS) for m in report.modes]
    if report.ask and baseline.get("ask"):
        rows.append(("ask", asdict(report.ask.scores.overall), baseline["ask"]["scores"]["overall"], ASK_COLUMNS))
    for name, now, old, columns in rows:
        if not old:
            continue
        out[name] = {label: (now[f], old[f], now[f] - old[f]) for f, label in columns.items()
                     if now.get(f) is not None and old.get(f) is not None}
    return out
