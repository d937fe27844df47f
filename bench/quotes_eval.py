"""Speaker-correct recall and precision of Assistant.quotes() on the sample articles against seed_quotes_dev.jsonl.

Usage: python bench/quotes_eval.py [--gold FILE] [--articles DIR] [-v]
"""
from __future__ import annotations

import argparse
import tempfile
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.people import merge_people  # noqa: E402
from index.types import Person  # noqa: E402


def same_speaker(a: str, b: str) -> bool:
    kinds = ("person", "place", "organization", "source", "unknown")
    return any(len(merge_people([Person(a, kind=k), Person(b, kind=k)])) == 1 for k in kinds)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(ROOT.parent / "shared" / "data" / "seed_quotes_dev.jsonl"))
    ap.add_argument("--articles", default=str(ROOT / "data" / "articles"))
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    from assistant import Assistant

    # Through the public API, as users get them: ingest into a fresh index, then Assistant.quotes().
    with tempfile.TemporaryDirectory() as tmp:
        assistant = Assistant.open(Path(tmp) / "index")
        assistant.ingest([args.articles])
        quotes = assistant.quotes()
        people = assistant.people()
        docs = {d.id: assistant.document(d.id) for d in assistant.documents()}
    gold = [json.loads(line) for line in Path(args.gold).read_text(encoding="utf-8").splitlines() if line.strip()]

    spans = []
    for g in gold:
        text = docs[g["doc"]].text
        s = text.find(g["evidence"])
        if s < 0:
            print(f"evidence not found in {g['doc']}: {g['evidence']!r}", file=sys.stderr)
        spans.append((g["doc"], s, s + len(g["evidence"]), g["speaker"]))

    def overlaps(q, sp):
        return q.doc_id == sp[0] and q.start < sp[2] and sp[1] < q.end

    for q in quotes:
        assert docs[q.doc_id].text[q.start:q.end] == q.text, q
    found, misses = 0, []
    for g, sp in zip(gold, spans):
        if any(overlaps(q, sp) and same_speaker(q.speaker, sp[3]) for q in quotes):
            found += 1
        else:
            got = [q.speaker for q in quotes if overlaps(q, sp)]
            misses.append((g, got))
    correct, wrong = 0, []
    for q in quotes:
        if any(overlaps(q, sp) and same_speaker(q.speaker, sp[3]) for sp in spans):
            correct += 1
        else:
            wrong.append(q)
    recall = found / len(gold)
    precision = correct / len(quotes) if quotes else 0.0
    print(f"gold statements {len(gold)}  extracted quotes {len(quotes)}")
    print(f"speaker-correct recall    {recall:.3f}  ({found}/{len(gold)})")
    print(f"speaker-correct precision {precision:.3f}  ({correct}/{len(quotes)})")
    for g, got in misses:
        print(f"MISS  {g['doc']}  {g['speaker']}: {g['evidence'][:70]!r}  extracted speakers here: {got}")
    for q in wrong:
        print(f"EXTRA {q.doc_id}  {q.speaker} ({q.speaker_kind}), cue {q.cue!r}: {q.text[:80]!r}")
    if args.verbose:
        for q in quotes:
            print(f"  {q.id:28} {q.speaker:26} {q.speaker_kind:7} {q.cue:16} {'D' if q.direct else 'R'} {q.text[:70]!r}")
        for p in people:
            print("  person", p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
