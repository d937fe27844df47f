"""Fusion grid for one embedding model on xquad: chosen on even-numbered paragraphs, reported on odd ones.

    nice -n 10 python bench/fusion_grid.py                      # the default model, 200-token chunks
    nice -n 10 python bench/fusion_grid.py --model sentence-transformers/all-MiniLM-L6-v2
    nice -n 10 python bench/fusion_grid.py --chunk-tokens 128

xquad is indexed and its 2 x 1190 questions embedded once per (model, chunk size); the dense,
stem and cognate lists (50 chunks each) and the question's lexical coverage are cached under
--cache, so the grid re-fuses lists and never re-encodes. Scores are document-level nDCG@10 (a
paragraph counts once, at its best chunk), as in bench/quality.py.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import pickle
import sys
import time

import numpy as np
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
XQUAD = ROOT.parent / "shared" / "data" / "xquad"
DEPTH = 50
LISTS = ("dense", "lexical", "cognate")


def collect(model: str, chunk_tokens: int, cache: Path) -> dict:
    """Per question: the three ranked chunk-id lists, lexical coverage, gold paragraph; chunk -> paragraph."""
    slug = model.replace("/", "_") + f"-c{chunk_tokens}"
    path = cache / f"{slug}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    from assistant.evaluation import load_questions
    from assistant.retrieval import lexical_coverage, query_terms
    from index.chunking import Chunker
    from index.embedding import load_embedder
    from index.ingest import ingest
    from index.store import Index
    from index.text import cognate_keys

    embedder = load_embedder(model)
    folder = cache / slug
    index = Index.open(folder) if folder.exists() else Index.create(folder, embedder.name, embedder.dimension)
    started = time.perf_counter()
    report = ingest(index, [XQUAD / "corpus.jsonl"], embedder,
                    Chunker(embedder.count_tokens, embedder.max_tokens, chunk_tokens))
    print(f"{slug}: {report.n_chunks} chunks in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    data = {"questions": {}, "chunk_doc": {}, "n_chunks": report.n_chunks}
    for lang in ("es", "en"):
        questions = load_questions(XQUAD / f"questions_{lang}.jsonl").questions
        vectors = embedder.embed([q.question for q in questions], batch_size=64, role="query")
        rows = []
        for q, vector in zip(questions, vectors):
            lists = {"dense": index.dense_search(vector, DEPTH),
                     "lexical": index.lexical_search(query_terms(q.question), DEPTH),
                     "cognate": index.lexical_search(cognate_keys(q.question), DEPTH, field="cognates")}
            rows.append({"id": q.id, "gold": q.gold_ids[0], "coverage": lexical_coverage(index, q.question),
                         "lists": {name: [i for i, _ in ranking] for name, ranking in lists.items()}})
        data["questions"][lang] = rows
    ids = {i for rows in data["questions"].values() for r in rows for lst in r["lists"].values() for i in lst}
    data["chunk_doc"] = {i: c.doc_id for i, c in index.chunks(sorted(ids)).items()}
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(data))
    return data


def settings_ndcg(data: dict, settings: list[dict], lang: str) -> np.ndarray:
    """nDCG@10 of every setting on every question of `lang`, shape (settings, questions).

    Vectorised: per question and RRF k, the fused scores of all settings are one matrix product,
    and a paragraph's rank is the number of other paragraphs with a chunk scoring above its best.
    """
    rows = data["questions"][lang]
    ks = sorted({s["k"] for s in settings})
    base = np.array([[s["dense"], s["lexical"], s["cognate"], s["shift"], s["boost"], s["power"]] for s in settings])
    k_of = np.array([s["k"] for s in settings])
    out = np.zeros((len(settings), len(rows)))
    for j, r in enumerate(rows):
        candidates = sorted({i for lst in r["lists"].values() for i in lst})
        col = {c: n for n, c in enumerate(candidates)}
        docs = [data["chunk_doc"][c] for c in candidates]
        is_gold = np.array([d == r["gold"] for d in docs])
        if not is_gold.any():
            continue
        doc_ids = {d: n for n, d in enumerate(dict.fromkeys(docs))}
        onehot = np.zeros((len(candidates), len(doc_ids)))
        onehot[np.arange(len(candidates)), [doc_ids[d] for d in docs]] = 1.0
        onehot[:, doc_ids[r["gold"]]] = 0.0
        ranks = np.full((3, len(candidates)), np.inf)
        for li, name in enumerate(LISTS):
            for rank, item in enumerate(r["lists"][name], start=1):
                ranks[li, col[item]] = rank
        c = r["coverage"]
        weights = np.stack([base[:, 0] * (1 - base[:, 3] * c ** 3),
                            base[:, 1] * (1 + base[:, 4] * c ** 3) * c ** base[:, 5],
                            base[:, 2]], axis=1)
        for k in ks:
            sel = k_of == k
            fused = weights[sel] @ (1.0 / (k + ranks))
            gold_best = fused[:, is_gold].max(axis=1)
            above = ((fused > gold_best[:, None]).astype(float) @ onehot > 0).sum(axis=1)
            # A paragraph no weighted list holds is not retrieved at all.
            out[sel, j] = np.where((above < 10) & (gold_best > 0), 1.0 / np.log2(above + 2), 0.0)
    return out


def part_of(row: dict) -> int:
    return int(row["gold"][2:]) % 2


def grid() -> list[dict]:
    out = []
    for k, dense, power, cognate, (shift, boost) in itertools.product(
            (2, 5, 10, 20, 60), (1.0, 2.0, 3.0, 4.0, 6.0), (0, 1, 2, 3), (0.0, 0.5, 1.0),
            ((0.0, 0.0), (0.5, 0.0), (0.8, 1.0), (0.5, 1.0), (0.0, 1.0))):
        out.append({"k": k, "dense": dense, "lexical": 1.0, "power": power, "cognate": cognate,
                    "shift": shift, "boost": boost})
    return out


def main() -> None:
    from index.embedding import DEFAULT_MODEL

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--chunk-tokens", type=int, default=200)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/fuentes-fusion"))
    parser.add_argument("--out", type=Path, help="write the whole result as JSON here")
    args = parser.parse_args()
    data = collect(args.model, args.chunk_tokens, args.cache)
    langs = ("es", "en")
    parts = {lang: np.array([part_of(r) for r in data["questions"][lang]]) for lang in langs}
    only = [{"k": 0, "dense": d, "lexical": l, "cognate": c, "shift": 0.0, "boost": 0.0, "power": 0}
            for d, l, c in ((1, 0, 0), (0, 1, 0), (0, 0, 1))]  # k=0: a single list's own order
    shipped = {"k": 10, "dense": 1.0, "lexical": 1.0, "power": 0, "cognate": 1.0, "shift": 0.8, "boost": 1.0}
    settings = grid() + [shipped] + only
    scores = {lang: settings_ndcg(data, settings, lang) for lang in langs}
    rows = [{**s, **{f"{lang}{p}": float(scores[lang][i, parts[lang] == p].mean()) for lang in langs for p in (0, 1)}}
            for i, s in enumerate(settings)]
    singles = dict(zip(LISTS, rows[-3:]))
    rows = rows[:-3]
    # One setting for every question: the best mean of es and en on the tune half, among settings
    # whose English score is not below dense alone (the cross-lingual case fusion must not hurt).
    eligible = [r for r in rows[:-1] if r["en0"] >= singles["dense"]["en0"]]
    best = max(eligible, key=lambda r: (r["es0"] + r["en0"]) / 2)
    result = {"model": args.model, "chunk_tokens": args.chunk_tokens, "n_chunks": data["n_chunks"],
              "single_lists": singles, "shipped": rows[-1], "best": best,
              "top10_tune": sorted(rows[:-1], key=lambda r: -(r["es0"] + r["en0"]))[:10]}
    print(json.dumps({k: v for k, v in result.items() if k != "top10_tune"}, indent=1))
    for r in result["top10_tune"]:
        print({k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()})
    if args.out:
        args.out.write_text(json.dumps({**result, "grid": rows}, indent=1))


if __name__ == "__main__":
    main()
