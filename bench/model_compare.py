"""The default model beside all-MiniLM-L6-v2 in one run: ingest speed, query latency, resident memory.

    nice -n 10 python bench/model_compare.py [--out docs/benchmarks-models.json]

Timings come from one process holding both models, with the work interleaved (A B A B), so a
busy machine slows both alike: read them as ratios. Memory comes from one fresh process per model
(resident set after loading and one query, and the peak during an ingest of the xquad corpus).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
XQUAD = ROOT.parent / "shared" / "data" / "xquad"
SEED = ROOT.parent / "shared" / "data" / "seed_questions_dev.jsonl"
MODELS = ("intfloat/multilingual-e5-small", "sentence-transformers/all-MiniLM-L6-v2")


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        line = next(line for line in f if line.startswith("VmRSS"))
    return int(line.split()[1]) / 1024


def memory_of(model: str) -> dict:
    """Run in a fresh process: RSS after load + one query, peak RSS over an xquad ingest."""
    code = f"""
import json, resource, sys, tempfile, time
sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / 'bench')!r})
from model_compare import rss_mb
base = rss_mb()
from assistant import Assistant
t0 = time.perf_counter()
a = Assistant.open(tempfile.mkdtemp() + "/ix", model={model!r})
a.embedder.embed_query("¿Qué dijo Peskov?")
load_s = time.perf_counter() - t0
loaded = rss_mb()
a.ingest([{str(XQUAD / 'corpus.jsonl')!r}])
print(json.dumps({{"rss_python_mb": round(base), "rss_loaded_mb": round(loaded), "load_s": round(load_s, 1),
                   "peak_rss_ingest_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timings() -> dict:
    from assistant import Assistant

    corpus = [json.loads(line) for line in (XQUAD / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    questions = [json.loads(line)["question"] for line in SEED.read_text(encoding="utf-8").splitlines()]
    questions += [json.loads(line)["question"] for line in
                  (XQUAD / "questions_en.jsonl").read_text(encoding="utf-8").splitlines()[:15]]
    tmp = Path(tempfile.mkdtemp(prefix="fuentes-models-"))
    halves = []
    for n, part in enumerate((corpus[::2], corpus[1::2])):
        path = tmp / f"half{n}.jsonl"
        path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in part), encoding="utf-8")
        halves.append(path)
    assistants = {m: Assistant.open(tmp / m.replace("/", "_"), model=m) for m in MODELS}
    ingest = {m: {"seconds": 0.0, "chunks": 0} for m in MODELS}
    for half in halves:  # A B A B
        for m, a in assistants.items():
            report = a.ingest([half])
            ingest[m]["seconds"] += report.seconds
            ingest[m]["chunks"] += report.n_chunks
    query_ms: dict[str, dict[str, list[float]]] = {m: {"embed_query": [], "search": [], "ask": []} for m in MODELS}
    for m, a in assistants.items():
        a.ask("warm up", k=5)
    for _ in range(2):
        for q in questions:
            for m, a in assistants.items():  # interleaved per question
                for name, call in (("embed_query", lambda: a.embedder.embed_query(q)),
                                   ("search", lambda: a.search(q, k=10)), ("ask", lambda: a.ask(q, k=5))):
                    t0 = time.perf_counter()
                    call()
                    query_ms[m][name].append((time.perf_counter() - t0) * 1000)
    out = {}
    for m in MODELS:
        i = ingest[m]
        out[m] = {"ingest_chunks": i["chunks"], "ingest_seconds": round(i["seconds"], 1),
                  "ingest_chunks_per_s": round(i["chunks"] / i["seconds"], 2),
                  "precision": assistants[m].embedder.precision,
                  **{f"{name}_ms_p50": round(percentile(v, 50), 1) for name, v in query_ms[m].items()},
                  **{f"{name}_ms_p95": round(percentile(v, 95), 1) for name, v in query_ms[m].items()},
                  "calls_per_kind": len(query_ms[m]["search"])}
    e5, minilm = (out[m] for m in MODELS)
    out["ratios_e5_over_minilm"] = {
        "ingest_seconds": round(e5["ingest_seconds"] / minilm["ingest_seconds"], 2),
        **{f"{name}_p50": round(e5[f"{name}_ms_p50"] / minilm[f"{name}_ms_p50"], 2)
           for name in ("embed_query", "search", "ask")}}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    result = {"load_average_start": os.getloadavg(), "memory": {m: memory_of(m) for m in MODELS},
              "timings": timings()}
    result["load_average_end"] = os.getloadavg()
    result["seconds"] = round(time.perf_counter() - started)
    result["peak_rss_this_process_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
