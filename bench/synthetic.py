"""Synthetic Spanish corpus for speed benchmarks: real sentences recombined into ~170-token passages.

Sentences come from the XQuAD Spanish paragraphs and the sample articles. A passage is a list
of sentence ids, so its text, its lexical terms and (for sizes too large to embed on a laptop)
its vector are all derived from per-sentence data computed once:

- text: the sentences joined by spaces;
- terms: the stems of its sentences joined (what `index.ingest.lexical_terms` would store);
- vector: the normalised sum of its sentences' real embeddings plus a little Gaussian noise,
  so that 1M distinct vectors exist without embedding 1M passages. Queries are real question
  embeddings. Recall of an approximate index is measured against exact search on these vectors.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
XQUAD = SHARED / "xquad"
ARTICLES = ROOT / "data" / "articles"
TARGET_TOKENS = 170


@dataclass(frozen=True)
class Sentences:
    texts: list[str]
    tokens: np.ndarray  # model tokens per sentence
    terms: list[str]  # space-joined stems per sentence
    cognates: list[str]  # space-joined cognate keys per sentence


def real_sentences(count_tokens) -> Sentences:
    """Every sentence of the XQuAD paragraphs and the sample articles, with tokens and stems."""
    from index.ingest import lexical_terms
    from index.text import sentence_spans

    paragraphs = [json.loads(line)["text"] for line in open(XQUAD / "corpus.jsonl", encoding="utf-8")]
    paragraphs += [p for f in sorted(ARTICLES.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n\n")]
    texts = []
    for paragraph in paragraphs:
        for start, end in sentence_spans(paragraph, "es"):
            sentence = " ".join(paragraph[start:end].split())
            if len(sentence) >= 20:
                texts.append(sentence)
    texts = list(dict.fromkeys(texts))
    tokens = np.array([count_tokens(t) for t in texts])
    keep = tokens <= TARGET_TOKENS
    texts = [t for t, k in zip(texts, keep) if k]
    from index.text import cognate_keys

    return Sentences(texts, tokens[keep], [lexical_terms(t, "es") for t in texts],
                     [" ".join(cognate_keys(t)) for t in texts])


def passage_plans(sentences: Sentences, n: int, seed: int = 0) -> list[list[int]]:
    """n lists of sentence ids, each about TARGET_TOKENS model tokens long."""
    rng = random.Random(seed)
    count = len(sentences.texts)
    plans = []
    for _ in range(n):
        plan, total = [], 0
        # A run of consecutive sentences reads like news; a jump every few keeps passages distinct.
        i = rng.randrange(count)
        while total < TARGET_TOKENS - 15:
            if rng.random() < 0.3:
                i = rng.randrange(count)
            plan.append(i)
            total += int(sentences.tokens[i])
            i = (i + 1) % count
        plans.append(plan)
    return plans


def passage_text(sentences: Sentences, plan: list[int]) -> str:
    return " ".join(sentences.texts[i] for i in plan)


def passage_terms(sentences: Sentences, plan: list[int]) -> str:
    return " ".join(sentences.terms[i] for i in plan)


def passage_cognates(sentences: Sentences, plan: list[int]) -> str:
    return " ".join(sentences.cognates[i] for i in plan)


def passage_vectors(sentence_vectors: np.ndarray, plans: list[list[int]], seed: int = 0,
                    noise: float = 0.02, block: int = 50_000) -> np.ndarray:
    """Normalised sum of the sentences' embeddings plus per-dimension noise, float32 (n, d)."""
    rng = np.random.default_rng(seed)
    n, d = len(plans), sentence_vectors.shape[1]
    out = np.empty((n, d), dtype=np.float32)
    for start in range(0, n, block):
        part = plans[start:start + block]
        width = max(len(p) for p in part)
        ids = np.full((len(part), width), -1, dtype=np.int64)
        for row, plan in enumerate(part):
            ids[row, :len(plan)] = plan
        padded = np.vstack([sentence_vectors, np.zeros((1, d), dtype=np.float32)])
        v = padded[ids].sum(axis=1)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        v += rng.normal(0.0, noise, size=v.shape).astype(np.float32)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        out[start:start + len(part)] = v
    return out


def questions(limit: int, seed: int = 0) -> list[str]:
    """Real XQuAD questions, Spanish and English interleaved."""
    es = [json.loads(line)["question"] for line in open(XQUAD / "questions_es.jsonl", encoding="utf-8")]
    en = [json.loads(line)["question"] for line in open(XQUAD / "questions_en.jsonl", encoding="utf-8")]
    mixed = [q for pair in zip(es, en) for q in pair]
    random.Random(seed).shuffle(mixed)
    return mixed[:limit]
