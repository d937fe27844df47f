"""What the cross-language word matches (relevance.WORD_MATCH) cost `ask`: English questions over the
sample articles, p50 latency with word vectors cold (cache emptied before each question), warm (kept),
and with the word matches off, in one process, as ratios to "off".

Usage: nice -n 10 python bench/word_match_cost.py [--index DIR] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEED = ROOT.parent / "shared" / "data" / "seed_questions_dev.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from assistant import Assistant, relevance
    from assistant.vectors import _LRU

    index = args.index or Path(tempfile.mkdtemp(prefix="fuentes-words-")) / "index"
    assistant = Assistant.open(index)
    assistant.ingest([ROOT / "data" / "articles"])
    questions = [q["question"] for q in map(json.loads, SEED.read_text().splitlines()) if q.get("lang") == "en"]
    assistant.ask(questions[0])  # model, reference sentences and stored vectors loaded once
    original = relevance.Scorer._word_overlaps

    def run(mode: str) -> float:
        relevance.Scorer._word_overlaps = original if mode != "off" else (lambda self, texts, chosen: {})
        times = []
        for _ in range(args.repeat):
            for q in questions:
                if mode == "cold":
                    assistant.vectors._words = _LRU(assistant.vectors._words.limit)
                started = time.perf_counter()
                assistant.ask(q)
                times.append(time.perf_counter() - started)
        relevance.Scorer._word_overlaps = original
        return statistics.median(times) * 1000

    off, warm, cold = run("off"), run("warm"), run("cold")
    print(f"{len(questions)} English questions x {args.repeat}; ask p50 ms: off {off:.0f}, warm {warm:.0f} "
          f"({warm / off:.2f}x), cold {cold:.0f} ({cold / off:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
