"""XQuAD nDCG@10, MRR@10 and R@10 per search mode on the first N questions per language, one fresh index.

    python bench/xquad_modes.py 300 > run.json     # run it on two checkouts to compare them

Goes through `assistant.evaluation.evaluate`, the code of `fuentes eval`.
"""
import json
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant import Assistant  # noqa: E402
from assistant.evaluation import MODES, evaluate, load_questions  # noqa: E402

XQUAD = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "xquad"


def main(limit: int) -> dict:
    assistant = Assistant.open(Path(tempfile.mkdtemp()) / "xquad")
    started = time.perf_counter()
    assistant.ingest([XQUAD / "corpus.jsonl"])
    out: dict = {"ingest_s": time.perf_counter() - started}
    for language in ("es", "en"):
        questions = load_questions(XQUAD / f"questions_{language}.jsonl")
        questions = replace(questions, questions=questions.questions[:limit])
        report = evaluate(assistant, questions, k=10, modes=MODES, ask=False).to_dict()
        out[language] = {m["mode"]: {k: v for k, v in m["scores"]["overall"].items()
                                     if k in ("n", "recall_10", "mrr_10", "ndcg_10")} for m in report["modes"]}
    return out


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10**9)))
