"""Does ONNX Runtime's transformer fusion speed up the query encoder? The cached export against a fused one.

    nice -n 10 python bench/onnx_fusion.py --json docs/benchmarks-speed-round4-fusion.json

The fused graph comes from a fresh export with eager attention (the cached export's SDPA pattern does not
fuse) through `onnxruntime.transformers.optimizer.optimize_model(model_type="bert")`. Both run on one
thread; one query at a time, interleaved; cosines against torch (sentence-transformers on the same
folder) over tests/news_sentences.py plus a few questions, as queries and as passages, batch 1 and 8.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench.speed import machine  # noqa: E402

QUESTIONS = ["¿Qué dijo Pedro Sánchez sobre el acuerdo con Bruselas?", "Who did Rubio meet in Kiev last week?",
             "¿Dónde anunció el ministro León las ayudas por la sequía?", "When did Rosa Paz deny the report?"]


def fused_export(source: str, work: Path, heads: int, hidden: int) -> tuple[Path, dict]:
    import torch
    from onnxruntime.transformers import optimizer
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(source, device="cpu", model_kwargs={"attn_implementation": "eager"})
    features = model.preprocess(["query: hola", "passage: un texto algo más largo"])
    table = model[0].auto_model.get_input_embeddings()
    names = ["inputs_embeds", "attention_mask"]  # as index/onnx_encoder.py exports BERT-like models
    example = (table(features["input_ids"]).detach(), features["attention_mask"])

    class Pipeline(torch.nn.Module):
        def __init__(self, st):
            super().__init__()
            self.st = st

        def forward(self, *inputs):
            return self.st(dict(zip(names, inputs)))["sentence_embedding"]

    axes = {k: {0: "batch", 1: "tokens"} for k in names} | {"sentence_embedding": {0: "batch"}}
    with torch.no_grad():
        torch.onnx.export(Pipeline(model).eval(), example, str(work / "raw.onnx"), dynamo=False, input_names=names,
                          output_names=["sentence_embedding"], dynamic_axes=axes, opset_version=17)
    fused = optimizer.optimize_model(str(work / "raw.onnx"), model_type="bert", num_heads=heads, hidden_size=hidden,
                                     opt_level=0)
    fused.save_model_to_file(str(work / "fused.onnx"))
    stats = {k: v for k, v in fused.get_fused_operator_statistics().items() if v}
    return work / "fused.onnx", stats


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, required=True)
    args = parser.parse_args(argv)
    import news_sentences
    import onnx
    import torch
    from sentence_transformers import SentenceTransformer

    from index import onnx_encoder
    from index.embedding import load_embedder

    embedder = load_embedder()
    current_dir = embedder.onnx.folder
    texts = list(news_sentences.SPANISH) + list(news_sentences.ENGLISH) + QUESTIONS
    config = SentenceTransformer(embedder.source, device="cpu")[0].auto_model.config
    work = Path(tempfile.mkdtemp(prefix="fuentes-fusion-"))
    try:
        fused_path, stats = fused_export(embedder.source, work, config.num_attention_heads, config.hidden_size)
        fused_dir = work / "encoder"
        fused_dir.mkdir()
        for f in current_dir.iterdir():
            if f.name != "model.onnx":
                os.symlink(f, fused_dir / f.name)
        shutil.move(str(fused_path), fused_dir / "model.onnx")
        ops = {name: collections.Counter(n.op_type for n in onnx.load(str(d / "model.onnx")).graph.node)
               for name, d in (("current", current_dir), ("fused", fused_dir))}
        encoders = {"current": onnx_encoder.OnnxEncoder(current_dir, threads=1),
                    "fused": onnx_encoder.OnnxEncoder(fused_dir, threads=1)}
        torch.set_num_threads(1)
        reference_model = SentenceTransformer(embedder.source, device="cpu")
        worst = {name: 1.0 for name in encoders}
        for prompt_name in ("query", "passage"):
            reference = reference_model.encode(texts, prompt_name=prompt_name, batch_size=8, convert_to_numpy=True)
            for name, enc in encoders.items():
                for batch_size in (1, 8):
                    mine = enc.encode(texts, prompt_name=prompt_name, batch_size=batch_size)
                    cos = (mine * reference).sum(1) / np.linalg.norm(mine, axis=1) / np.linalg.norm(reference, axis=1)
                    worst[name] = min(worst[name], float(cos.min()))
        times = {name: [] for name in encoders}
        for _ in range(args.rounds):
            for text in texts:
                for name, enc in encoders.items():
                    t0 = time.perf_counter()
                    enc.encode([text], prompt_name="query", batch_size=1)
                    times[name].append((time.perf_counter() - t0) * 1000)
        result = {
            "machine": machine(), "load": os.getloadavg(), "texts": len(texts), "fused_operators": stats,
            "attention_ops": {n: c.get("Attention", 0) for n, c in ops.items()},
            "min_cosine_vs_torch": worst,
            "one_query_ms": {n: {"p50": float(np.median(t)), "p95": float(np.percentile(t, 95))} for n, t in times.items()},
        }
        result["current_over_fused_p50"] = result["one_query_ms"]["current"]["p50"] / result["one_query_ms"]["fused"]["p50"]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, indent=1))
    args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
