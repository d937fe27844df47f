"""Cold start of the command line, in fresh processes (the OS file cache stays warm, as for a user's
second command): `fuentes ask` on a fact question, end to end, with the ONNX query encoder and with
torch (FUENTES_ONNX=0), interleaved; `fuentes serve` from launch to the printed URL and from the
printed URL to the first 200 of /api/health. One `-X importtime` profile of `ask` gives the modules
that cost the most.

    python bench/cold_start.py [--index DIR] [--runs 5] [--json] [--out FILE.json]

Without --index, the sample articles are ingested into a temporary index first (not timed).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from ui.testing import stop  # noqa: E402 - this parent is not what is timed; its children are

QUESTION = "¿Qué propuso Macron sobre las tropas europeas en Ucrania?"


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, HF_HUB_OFFLINE="1", PYTHONPATH=str(ROOT), **extra)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def time_ask(index: Path, **env: str) -> float:
    """Seconds from spawning `python -m assistant ask` to its exit."""
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "assistant", "ask", QUESTION, "--index", str(index)],
                         env=_env(**env), capture_output=True, text=True, cwd=ROOT, timeout=300)
    elapsed = time.perf_counter() - started
    if out.returncode != 0:
        raise RuntimeError(f"fuentes ask failed:\n{out.stderr}")
    return elapsed


def import_profile(index: Path, top: int = 15) -> list[dict]:
    """Cumulative import time (ms) of the top-level packages `ask` loads, largest first."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "assistant", "ask", QUESTION,
                          "--index", str(index)], env=_env(), capture_output=True, text=True, cwd=ROOT, timeout=300)
    cumulative: dict[str, int] = {}
    for line in out.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if match and len(match.group(2)) == 1:  # a top-level import (one space of indent)
            name = match.group(3)
            cumulative[name] = cumulative.get(name, 0) + int(match.group(1))
    ranked = sorted(cumulative.items(), key=lambda kv: -kv[1])[:top]
    return [{"module": name, "ms": round(us / 1000, 1)} for name, us in ranked]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def time_serve(index: Path, timeout: float = 120) -> dict:
    """Seconds to the printed URL, and from the printed URL to the first /api/health 200."""
    port = _free_port()
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--index", str(index), "--port", str(port)],
                               env=_env(), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=ROOT)
    try:
        printed = None
        for line in process.stderr:
            if f":{port}/" in line:
                printed = time.perf_counter()
                break
            if time.perf_counter() - started > timeout:
                break
        if printed is None:
            raise RuntimeError("fuentes serve never printed its URL")
        while time.perf_counter() - printed < timeout:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as response:
                    if response.status == 200:
                        healthy = time.perf_counter()
                        break
            except OSError:
                time.sleep(0.02)
        else:
            raise RuntimeError(f"/api/health did not answer within {timeout}s of the URL")
        return {"to_url_s": printed - started, "url_to_health_s": healthy - printed, "to_health_s": healthy - started}
    finally:
        stop(process, timeout=10)


def _summary(values: list[float]) -> dict:
    return {"p50_s": round(statistics.median(values), 3), "min_s": round(min(values), 3),
            "max_s": round(max(values), 3), "runs": [round(v, 3) for v in values]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, help="An existing index (default: the sample articles, ingested now).")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="Print the results as JSON.")
    parser.add_argument("--out", type=Path, help="Also write the JSON here.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="fuentes-cold-") as tmp:
        index = args.index
        if index is None:
            index = Path(tmp) / "index"
            subprocess.run([sys.executable, "-m", "assistant", "ingest", str(ROOT / "data" / "articles"),
                            "--index", str(index)], env=_env(), check=True, capture_output=True, cwd=ROOT)
        time_ask(index)  # exports the ONNX graph if this model has none cached yet; not timed
        onnx, torch = [], []
        for _ in range(args.runs):  # interleaved, so load drift hits both alike
            onnx.append(time_ask(index))
            torch.append(time_ask(index, FUENTES_ONNX="0"))
        serve = [time_serve(index) for _ in range(args.runs)]
        result = {
            "question": QUESTION, "index": str(args.index or "sample articles (temporary)"),
            "load_average": os.getloadavg(), "python": sys.version.split()[0],
            "ask_onnx": _summary(onnx), "ask_torch": _summary(torch),
            "serve_to_url": _summary([s["to_url_s"] for s in serve]),
            "serve_url_to_health": _summary([s["url_to_health_s"] for s in serve]),
            "serve_to_health": _summary([s["to_health_s"] for s in serve]),
            "ask_import_profile_ms": import_profile(index),
        }
    text = json.dumps(result, indent=1)
    if args.out:
        args.out.write_text(text + "\n")
    if args.json:
        print(text)
    else:
        print(f"ask (ONNX)  p50 {result['ask_onnx']['p50_s']} s   (torch) p50 {result['ask_torch']['p50_s']} s")
        print(f"serve: URL after {result['serve_to_url']['p50_s']} s, /api/health "
              f"{result['serve_url_to_health']['p50_s']} s later")
        for row in result["ask_import_profile_ms"]:
            print(f"  {row['ms']:>8} ms  {row['module']}")


if __name__ == "__main__":
    main()
