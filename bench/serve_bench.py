"""Measure `fuentes serve` on the sample index, on loopback only:

1. in Debian's Chromium, the time from pressing Enter to the first streamed token of the answer
   and to the complete answer (timed inside the page with performance.now());
2. requests per second of POST /api/ask with 10 concurrent clients (median of 3 runs, errors counted);
3. with --upload: POST /api/ask latency (p50, p95, max) while uploads are ingested, against the same
   latency with no upload: a typical upload (10 articles) and the largest one the server accepts
   (5 files of 1 MiB, articles recombined from XQuAD paragraphs), with each upload's status and duration.

    python bench/serve_bench.py [--rounds 3] [--requests-per-client 10] [--json]
    python bench/serve_bench.py --upload [--json]
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from ui.testing import SAMPLE_ARTICLES, launch_chromium, running_server

QUESTIONS = [
    "What did Peskov say?",
    "¿Qué dijo Zelensky sobre las tropas?",
    "¿Quién propuso enviar tropas a Ucrania?",
    "What did Barrot say about French troops?",
]

# Installed before each question: stamps Enter, the first answer text, and the answer's last line.
TIMER = """
([turn, lastLine]) => {
  const t = window.__fuTiming = {enter: null, first: null, complete: null};
  const box = document.querySelector('#fu-question textarea');
  box.addEventListener('keydown', (e) => { if (e.key === 'Enter' && t.enter === null) t.enter = performance.now(); },
                       {capture: true, once: true});
  const observer = new MutationObserver(() => {
    const bots = document.querySelectorAll('#fu-chat [data-testid=bot]');
    if (bots.length < turn) return;
    const text = bots[turn - 1].innerText.trim();
    if (t.first === null && text.length > 0) t.first = performance.now();
    if (t.complete === null && text.includes(lastLine)) { t.complete = performance.now(); observer.disconnect(); }
  });
  observer.observe(document.getElementById('fu-chat'), {childList: true, subtree: true, characterData: true});
}
"""


def last_line(answer_text: str) -> str:
    """The last line of the answer as the chat shows it (marker and list dash dropped)."""
    line = answer_text.strip().splitlines()[-1]
    return line.removeprefix("- ").rsplit(" [", 1)[0].strip()[-40:]


def browser_timings(server, rounds: int) -> list[dict]:
    with server.client() as client:
        expected = {q: client.post("/api/ask", json={"question": q}).json()["text"] for q in QUESTIONS}
    results = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server.url + "/")
        page.wait_for_selector("#fu-question textarea")
        turn = 0
        for _ in range(rounds):
            for question in QUESTIONS:
                turn += 1
                page.evaluate(TIMER, [turn, last_line(expected[question])])
                page.fill("#fu-question textarea", question)
                page.press("#fu-question textarea", "Enter")
                page.wait_for_function("() => window.__fuTiming.complete !== null", timeout=30_000)
                t = page.evaluate("window.__fuTiming")
                results.append({"question": question, "first_token_ms": t["first"] - t["enter"],
                                "complete_ms": t["complete"] - t["enter"]})
        browser.close()
    return results


def ask_throughput(server, clients: int, per_client: int) -> dict:
    errors: list[str] = []
    barrier = threading.Barrier(clients + 1)

    def worker(offset: int) -> None:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            barrier.wait()
            for i in range(per_client):
                question = QUESTIONS[(offset + i) % len(QUESTIONS)]
                try:
                    response = client.post("/api/ask", json={"question": question})
                except httpx.HTTPError as exc:
                    errors.append(f"{question}: {exc!r}")
                    continue
                if response.status_code != 200 or not response.json()["citations"]:
                    errors.append(f"{question}: {response.status_code} {response.text[:200]}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    total = clients * per_client
    return {"requests": total, "seconds": round(seconds, 3), "requests_per_second": round(total / seconds, 2),
            "errors": len(errors), "first_error": errors[0] if errors else None}


XQUAD_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "xquad" / "corpus.jsonl"


def synthetic_jsonl(n_bytes: int, offset: int) -> bytes:
    """Articles of five XQuAD paragraphs each, one a line, up to `n_bytes` (made at run time, never stored)."""
    paragraphs = list(dict.fromkeys(json.loads(line)["text"] for line in XQUAD_CORPUS.open(encoding="utf-8")))
    lines, size, i = [], 0, offset
    while True:
        text = "\n\n".join(paragraphs[(i * 5 + j) % len(paragraphs)] for j in range(5))
        line = json.dumps({"id": f"bench-{i}", "title": f"Artículo {i}", "text": text}, ensure_ascii=False).encode()
        if size + len(line) + 1 > n_bytes:
            return b"\n".join(lines)
        lines.append(line)
        size += len(line) + 1
        i += 1


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def ask_latencies(server, stop: threading.Event, clients: int = 2) -> list[float]:
    """Milliseconds of each POST /api/ask that `clients` loops send until `stop` is set."""
    latencies: list[float] = []
    failures: list[str] = []

    def loop(offset: int) -> None:
        with httpx.Client(base_url=server.url, timeout=300) as client:
            i = offset
            while not stop.is_set():
                started = time.perf_counter()
                response = client.post("/api/ask", json={"question": QUESTIONS[i % len(QUESTIONS)]})
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    failures.append(response.text[:200])
                i += 1

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    stop.wait()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} asks failed during the upload: {failures[0]}")
    return latencies


def latency_summary(latencies: list[float]) -> dict:
    return {"asks": len(latencies), "p50_ms": round(percentile(latencies, 50), 1),
            "p95_ms": round(percentile(latencies, 95), 1), "max_ms": round(max(latencies), 1)}


def asks_during_uploads(server, baseline_seconds: float = 20) -> dict:
    stop = threading.Event()
    timer = threading.Timer(baseline_seconds, stop.set)
    timer.start()
    results = {"no_upload": latency_summary(ask_latencies(server, stop))}
    uploads = {
        "typical (10 articles, one .jsonl)": [("typical.jsonl", synthetic_jsonl(40_000, 0))],
        "largest accepted (5 x 1 MiB .jsonl)": [(f"max{n}.jsonl", synthetic_jsonl(1024 * 1024, 1000 * (n + 1)))
                                              for n in range(5)],
    }
    for label, files in uploads.items():
        stop = threading.Event()
        outcome: dict = {"bytes": sum(len(data) for _, data in files)}

        def upload() -> None:
            with httpx.Client(base_url=server.url, timeout=600) as client:
                started = time.perf_counter()
                response = client.post("/api/documents", files=[("files", (name, data, "text/plain"))
                                                                for name, data in files])
                outcome.update(status=response.status_code, seconds=round(time.perf_counter() - started, 1),
                               added=len(response.json().get("added", [])) if response.status_code == 201 else 0,
                               error=response.json().get("error", "")[:160] if response.status_code != 201 else "")
                stop.set()

        uploader = threading.Thread(target=upload)
        uploader.start()
        outcome["ask_during_upload"] = latency_summary(ask_latencies(server, stop))
        uploader.join()
        results[label] = outcome
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="Times each question is asked in the browser.")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--requests-per-client", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="Only measure POST /api/ask throughput.")
    parser.add_argument("--upload", action="store_true",
                        help="Only measure /api/ask latency while uploads ingest.")
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    args = parser.parse_args()

    if args.upload:
        with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp), ingest=SAMPLE_ARTICLES) as server:
            with server.client() as client:  # warm-up
                for question in QUESTIONS:
                    client.post("/api/ask", json={"question": question})
            results = asks_during_uploads(server)
        if args.json:
            print(json.dumps(results, ensure_ascii=False))
            return
        base = results.pop("no_upload")
        print(f"POST /api/ask with no upload: p50 {base['p50_ms']} ms, p95 {base['p95_ms']} ms, "
              f"max {base['max_ms']} ms ({base['asks']} asks)")
        for label, r in results.items():
            a = r["ask_during_upload"]
            print(f"{label}, {r['bytes']:,} bytes: HTTP {r['status']} in {r['seconds']} s, {r['added']} added"
                  f"{' (' + r['error'] + ')' if r['error'] else ''}\n"
                  f"  POST /api/ask meanwhile: p50 {a['p50_ms']} ms, p95 {a['p95_ms']} ms, max {a['max_ms']} ms "
                  f"({a['asks']} asks)")
        return

    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp), ingest=SAMPLE_ARTICLES) as server:
        timings = [] if args.no_browser else browser_timings(server, args.rounds)
        with server.client() as client:  # one warm-up pass over the questions
            for question in QUESTIONS:
                client.post("/api/ask", json={"question": question})
        runs = [ask_throughput(server, args.clients, args.requests_per_client) for _ in range(args.runs)]

    first = [t["first_token_ms"] for t in timings] or [float("nan")]
    complete = [t["complete_ms"] for t in timings] or [float("nan")]
    summary = {
        "browser": {"answers": len(timings),
                    "first_token_ms": {"median": round(statistics.median(first), 1), "max": round(max(first), 1)},
                    "complete_ms": {"median": round(statistics.median(complete), 1), "max": round(max(complete), 1)},
                    "by_question": {q: round(statistics.median(t["complete_ms"] for t in timings
                                                               if t["question"] == q), 1)
                                   for q in QUESTIONS if timings}},
        "ask_throughput": {"clients": args.clients, "runs": runs,
                           "median_requests_per_second": statistics.median(r["requests_per_second"] for r in runs),
                           "errors": sum(r["errors"] for r in runs)},
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return
    b, a = summary["browser"], summary["ask_throughput"]
    print(f"Browser, {b['answers']} answers: Enter -> first token median {b['first_token_ms']['median']} ms "
          f"(max {b['first_token_ms']['max']}), -> complete answer median {b['complete_ms']['median']} ms "
          f"(max {b['complete_ms']['max']})")
    for question, ms in b["by_question"].items():
        print(f"  {ms:8.1f} ms  {question}")
    print(f"POST /api/ask, {a['clients']} concurrent clients: "
          f"{', '.join(str(r['requests_per_second']) for r in runs)} req/s -> median "
          f"{a['median_requests_per_second']} req/s, {a['errors']} errors")


if __name__ == "__main__":
    main()
