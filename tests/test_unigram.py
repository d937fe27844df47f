"""The Python unigram tokenizer equals `tokenizers` on the default model's export: every code point,
real Spanish and English texts, prompts, unknown characters, added tokens and the length limit."""
from __future__ import annotations

import json
import random

import pytest

from conftest import SHARED_DATA
from index import onnx_encoder
from index.embedding import DEFAULT_MODEL, Embedder
from index.unigram import UnigramTokenizer

XQUAD = SHARED_DATA / "xquad"
# Written for these tests: names that are ordinary words, roles, places, numbers, odd spacing.
NEWS = [
    "La alcaldesa de León, Rosa Paz, prometió reabrir el mercado de abastos antes del verano.",
    "El ministro Rubio negó que el Gobierno vaya a subir el IVA de los alimentos un 2,5 %.",
    "«No vamos a capitular», dijo Sánchez en Bruselas ante la Comisión Europea.",
    "Paz told reporters in Leon that the water restrictions would be lifted next week.",
    "  ¿Quién es el nuevo portavoz?  ",
    "Tabs\tand\nnewlines\r\nand  double   spaces",
    "Zelenski — ZELENSKÍ — zelenski: ﬁnanciación, ½ millón, Ⅻ, ｆｕｌｌｗｉｄｔｈ",
    "Emoji 🙂 and CJK 中文 and Greek Ωμέγα and Cyrillic Москва",
    "",
    " ",
    "▁ already a metaspace ▁▁",
]


@pytest.fixture(scope="module")
def tokenizers_pair():
    embedder = Embedder(DEFAULT_MODEL)
    encoder = embedder.onnx
    assert encoder is not None and isinstance(encoder.tokenizer, UnigramTokenizer)
    return encoder.tokenizer, encoder.tokenizer.fallback()


def _same(mine, reference, texts):
    expected = reference.encode_batch(list(texts))
    for text, want in zip(texts, expected):
        got = mine.encode(text)
        assert got.ids == want.ids, text
        assert got.type_ids == want.type_ids, text


def test_every_code_point_alone_and_inside_words(tokenizers_pair):
    mine, reference = tokenizers_pair
    points = [chr(c) for c in range(1, 0x30000) if not 0xD800 <= c <= 0xDFFF]
    _same(mine, reference, points)
    _same(mine, reference, [f"ab{c}cd {c}{c} x" for c in points[::7]])


def test_real_news_and_questions_with_prompts(tokenizers_pair):
    mine, reference = tokenizers_pair
    questions = [json.loads(line)["question"] for name in ("questions_es.jsonl", "questions_en.jsonl")
                 for line in open(XQUAD / name, encoding="utf-8")]
    paragraphs = [json.loads(line)["text"] for line in open(XQUAD / "corpus.jsonl", encoding="utf-8")]
    texts = NEWS + questions + paragraphs
    _same(mine, reference, texts + ["query: " + t for t in texts[:600]] + ["passage: " + t for t in texts[:600]])
    # Without the sentence markers, as the embedder counts a prompt's tokens.
    for text in NEWS + questions[:200]:
        assert mine.encode(text, add_special_tokens=False).ids == reference.encode(text, add_special_tokens=False).ids


def test_random_mixtures_of_scripts_and_unknown_characters(tokenizers_pair):
    mine, reference = tokenizers_pair
    rng = random.Random(5)
    alphabet = ("abcdefghijklmnñopqrstuvwxyzáéíóúüABCÁÉ0123456789 .,;:¿?¡!«»\"'-—()%€$\t\n"
                "中文日本語한국어ΩμέγαМосква🙂🚀\u200b\u00ad\ufeff\u2581\u0301\u0008\x7f")
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80))) for _ in range(3000)]
    _same(mine, reference, texts)


def test_added_tokens_and_the_length_limit_follow_tokenizers(tokenizers_pair):
    mine, reference = tokenizers_pair
    long_text = " ".join(["La comisión parlamentaria escuchó durante horas a los responsables."] * 80)
    texts = ["Rellena el <mask> por favor", "<s>hola</s>", "x<unk>y", long_text, "query: " + long_text]
    _same(mine, reference, texts)
    assert len(mine.encode(long_text).ids) == mine.max_length
    assert len(mine.encode(long_text, add_special_tokens=False).ids) == mine.max_length


def test_the_export_keeps_the_python_tokenizer_only_for_this_pipeline(tmp_path):
    from index import unigram

    spec = {"model": {"type": "WordPiece", "vocab": {"a": 0}}, "normalizer": None, "pre_tokenizer": None}
    assert unigram.export(json.dumps(spec), tmp_path) is None
    assert not list(tmp_path.iterdir())
    assert onnx_encoder.EXPORT_FORMAT == 2
