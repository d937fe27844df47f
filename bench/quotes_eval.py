"""Speaker-correct recall and precision of index.quotes on the sample articles against seed_quotes_dev.jsonl.

Usage: python bench/quotes_eval.py [--gold FILE] [--articles DIR] [-v]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.people import merge_people  # noqa: E402
from index.quotes import extract_quotes  # noqa: E402
from index.types import Document, Person  # noqa: E402


def read_articles(folder: Path) -> list[Document]:
    try:
        from index.sources import read_sources
    except ImportError:
        read_sources = None
    if read_sources is not None:
        try:
            result = read_sources([str(folder)])
            docs = getattr(result, "documents", result)
            docs = [d for d in docs if isinstance(d, Document)]
            if docs:
                return sorted(docs, key=lambda d: d.id)
        except Exception as exc:  # the reader is another module's work; fall back to plain files
            print(f"index.sources.read_sources failed ({exc}); reading the .txt files directly", file=sys.stderr)
    return [Document(id=p.stem, title=p.stem, text=p.read_text(encoding="utf-8"))
            for p in sorted(folder.glob("*.txt"))]


def same_speaker(a: str, b: str) -> bool:
    kinds = ("person", "place", "organization", "source", "unknown")
    return any(len(merge_people([Person(a, kind=k), Person(b, kind=k)])) == 1 for k in kinds)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default="/work/shared/data/seed_quotes_dev.jsonl")
    ap.add_argument("--articles", default=str(ROOT / "data" / "articles"))
    ap.add_argument("--single-pass", action="store_true", help="no people known from the other articles")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    docs = {d.id: d for d in read_articles(Path(args.articles))}
    gold = [json.loads(line) for line in Path(args.gold).read_text(encoding="utf-8").splitlines() if line.strip()]

    # pass 1 gathers people and roles per article; pass 2 resolves roles with what the corpus knows
    first = {d.id: extract_quotes(d) for d in docs.values()}
    known = merge_people(p for r in first.values() for p in (*r.people, *r.mentioned))
    results = first if args.single_pass else {d.id: extract_quotes(d, known) for d in docs.values()}

    spans = []
    for g in gold:
        text = docs[g["doc"]].text
        s = text.find(g["evidence"])
        if s < 0:
            print(f"evidence not found in {g['doc']}: {g['evidence']!r}", file=sys.stderr)
        spans.append((g["doc"], s, s + len(g["evidence"]), g["speaker"]))

    def overlaps(q, sp):
        return q.doc_id == sp[0] and q.start < sp[2] and sp[1] < q.end

    quotes = [q for r in results.values() for q in r.quotes]
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
        for p in known:
            print("  person", p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
