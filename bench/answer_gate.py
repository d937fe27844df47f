"""How often `ask` answers an answerable question and refuses an unanswerable one, per language.

Answerable: XQuAD questions over the XQuAD paragraphs (the answer string must be in a citation).
Unanswerable: the same questions over the sample articles about the war in Ukraine, which hold
none of their answers. Usage: python bench/answer_gate.py [--n 150]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
XQUAD = ROOT.parent / "shared" / "data" / "xquad"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=150, help="questions per language (random, seed 0)")
    args = parser.parse_args()
    from assistant import Assistant

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "xquad.jsonl"
        with corpus.open("w") as out:
            for line in (XQUAD / "corpus.jsonl").read_text().splitlines():
                doc = json.loads(line)
                out.write(json.dumps({"id": doc["id"], "title": doc["title"], "text": doc["text"]},
                                     ensure_ascii=False) + "\n")
        xquad = Assistant.open(Path(tmp) / "xquad")
        xquad.ingest([corpus])
        sample = Assistant.open(Path(tmp) / "sample")
        sample.ingest([ROOT / "data" / "articles"])
        rows = []
        for language in ("es", "en"):
            questions = [json.loads(l) for l in (XQUAD / f"questions_{language}.jsonl").read_text().splitlines()]
            random.Random(0).shuffle(questions)
            answered = correct = refused = 0
            for q in questions[:args.n]:
                answer = xquad.ask(q["question"])
                cited = " ".join(c.text for c in answer.citations)
                answered += bool(answer.citations)
                correct += any(a in cited for a in q["answers"])
                refused += not sample.ask(q["question"]).citations
            n = min(args.n, len(questions))
            rows.append((language, n, answered / n, correct / n, refused / n))
    print("| questions | n | answerable: answered | answer string cited | unanswerable: refused |")
    print("|---|---|---|---|---|")
    for language, n, answered, correct, refused in rows:
        print(f"| {language} | {n} | {answered:.2f} | {correct:.2f} | {refused:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
