"""Does `ask` cite the evidence? For a question set: the share of answerable questions whose evidence is in
the answer's first 3 citations, the share of `unanswerable` questions refused, and the speaker named,
by language and by question type.

Usage: nice -n 10 python bench/ask_evidence.py QUESTIONS.jsonl --corpus PATH [PATH…] [--index DIR] [--model NAME]
(the seed set: /work/shared/data/seed_questions_dev.jsonl --corpus data/articles;
 the dev set: data/dev/questions.jsonl --corpus data/articles data/dev/articles)
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TOP = 3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", type=Path)
    parser.add_argument("--corpus", type=Path, nargs="+", required=True)
    parser.add_argument("--index", type=Path, default=None, help="reuse or build the index here")
    parser.add_argument("--model", default=None)
    parser.add_argument("--show", action="store_true", help="print every miss")
    args = parser.parse_args()
    from assistant import Assistant
    from index.text import fold

    index = args.index or Path(tempfile.mkdtemp(prefix="fuentes-ask-")) / "index"
    assistant = Assistant.open(index, model=args.model)
    assistant.ingest(args.corpus)
    rows = defaultdict(lambda: [0, 0])  # (lang, kind) -> [hits, n]
    for line in args.questions.read_text().splitlines():
        q = json.loads(line)
        answer = assistant.ask(q["question"])
        lang = q.get("lang") or answer.language
        if q.get("type") == "unanswerable":
            kind, ok = "unanswerable refused", not answer.citations
        else:
            cited = [(c.doc_id, c.start, c.end) for c in answer.citations[:TOP]]
            ok = all(any(d == e["doc"] and _holds(assistant, d, s, t, e["text"]) for d, s, t in cited)
                     for e in q["evidence"][:1]) if q.get("evidence") else bool(answer.citations)
            kind = f"evidence in top {TOP}"
            if q.get("speaker"):
                rows[(lang, "speaker named")][0] += any(fold(q["speaker"]).split()[-1] in fold(c.speaker or "")
                                                        for c in answer.citations[:TOP])
                rows[(lang, "speaker named")][1] += 1
        rows[(lang, kind)][0] += ok
        rows[(lang, kind)][1] += 1
        if args.show and not ok:
            print(f"MISS [{lang} {q.get('type')}] {q['question']}\n  {answer.text[:300]!r}", file=sys.stderr)
    print(f"model {assistant.index.model_name}; {args.questions.name}")
    print("| language | measure | share | n |\n|---|---|---|---|")
    for (lang, kind), (hits, n) in sorted(rows.items()):
        print(f"| {lang} | {kind} | {hits / n:.3f} | {n} |")
    return 0


def _holds(assistant, doc_id: str, start: int, end: int, evidence: str) -> bool:
    """The citation covers the evidence, or the evidence covers the citation (a short quote inside it)."""
    text = assistant.document(doc_id).text
    at = text.find(evidence)
    while at >= 0:
        if start <= at and at + len(evidence) <= end or (at <= start and end <= at + len(evidence)) \
                or (start < at + len(evidence) and at < end and (min(end, at + len(evidence)) - max(start, at)) >= 0.5 * len(evidence)):
            return True
        at = text.find(evidence, at + 1)
    return False


if __name__ == "__main__":
    raise SystemExit(main())
