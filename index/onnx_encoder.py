"""ONNX Runtime encoder for an index's sentence-transformers model: exported once from the torch
model, checked against it, cached in the user data folder, and run without importing torch.

The whole sentence-transformers pipeline after the token embedding lookup (transformer, pooling,
normalise, any dense layer) is one ONNX graph; tokenisation uses the model's own fast tokenizer, saved
beside it. The token embedding table stays outside the graph, as a memory-mapped .npy file read row by
row: it is most of a multilingual model (e5-small: 384 of 470 MB), and loading it into the runtime
was most of a cold query. A cached export is keyed by the model name and a SHA-256 of the model folder's weights and
configuration, so a changed model never meets a stale graph.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import warnings
from pathlib import Path
from typing import Sequence

import numpy as np

from . import unigram
from .unigram import UnigramTokenizer

log = logging.getLogger(__name__)

EXPORT_FORMAT = 2  # 2: token embeddings outside the graph (word_embeddings.npy), graph input inputs_embeds
# An export is kept only if it agrees this closely with the torch model on every probe text.
MIN_COSINE = 0.9999
# Files whose content defines the model (weights, configuration, vocabulary); others (README,
# ready-made onnx/openvino folders of hub repos) do not enter the key.
_MODEL_SUFFIXES = (".safetensors", ".bin", ".json", ".txt", ".model")
_SKIPPED_DIRS = {"onnx", "openvino", ".git", ".cache"}
# Spanish and English news sentences of every length, one past the token limit, one with leading
# spaces: the export is checked on all of them, across several batch shapes.
PROBE_TEXTS = (
    "El portavoz del Kremlin, Dmitri Peskov, dijo que Moscú no aceptará tropas extranjeras en Ucrania.",
    "La ministra Rosa Paz anunció en León un plan de vivienda de 300 millones de euros.",
    "Rubio se reunió con Sánchez en Madrid para hablar de aranceles y de la OTAN.",
    "  Las bolsas europeas cerraron con ganancias impulsadas por el sector energético.",
    "What did Peskov say about European troops?",
    "Forecasters warned that a strong storm will bring heavy rain to the coast on Friday.",
    "¿Quién dijo que la seguridad de Europa está en juego?",
    "Sí.",
    " ".join(["El Gobierno aprobó el presupuesto tras una larga negociación con los socios de la coalición,"
              " que exigieron más gasto social y una rebaja fiscal para las rentas bajas."] * 12),
)

_logged: set[str] = set()
_logged_lock = threading.Lock()


def log_once(message: str) -> None:
    """Warn once per process and message: a fallback is worth one line, not one per query."""
    with _logged_lock:
        if message in _logged:
            return
        _logged.add(message)
    log.warning(message)


def available() -> str | None:
    """None when the ONNX path can run here; otherwise why not (FUENTES_ONNX=0, a missing package)."""
    if os.environ.get("FUENTES_ONNX", "1").strip().lower() in ("0", "false", "no", "off"):
        return "FUENTES_ONNX=0"
    import importlib.util

    for package in ("onnxruntime", "tokenizers"):
        if importlib.util.find_spec(package) is None:
            return f"{package} is not installed (pip install {package})"
    return None


def cache_root() -> Path:
    """FUENTES_ONNX_CACHE, else `onnx/` in the user data folder."""
    if os.environ.get("FUENTES_ONNX_CACHE"):
        return Path(os.environ["FUENTES_ONNX_CACHE"])
    from platformdirs import user_data_dir

    return Path(user_data_dir("fuentes")) / "onnx"


def model_folder(source: str) -> Path | None:
    """The local folder of a model given by path or by a name in the Hugging Face cache; None if neither."""
    path = Path(source).expanduser()
    if path.is_dir():
        return path.resolve()
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(source, local_files_only=True))
    except Exception:  # not a hub name, or not in the cache: torch will say why if it matters
        return None


def _model_files(folder: Path) -> list[Path]:
    files = []
    for root, dirs, names in os.walk(folder, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
        files += [Path(root) / n for n in sorted(names) if n.endswith(_MODEL_SUFFIXES)]
    return files


def weights_hash(folder: Path) -> str:
    """SHA-256 over the model folder's defining files (path and content), memoised by size and mtime
    so a cold query does not re-read hundreds of MB."""
    files = _model_files(folder)
    stamp = [[str(f.relative_to(folder)), f.stat().st_size, f.stat().st_mtime_ns] for f in files]
    memo_path = cache_root() / "hashes.json"
    try:
        memo = json.loads(memo_path.read_text())
    except (OSError, ValueError):
        memo = {}
    entry = memo.get(str(folder))
    if entry and entry.get("stamp") == stamp:
        return entry["sha256"]
    digest = hashlib.sha256()
    for f in files:
        digest.update(str(f.relative_to(folder)).encode() + b"\0")
        with open(f, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    sha = digest.hexdigest()
    memo[str(folder)] = {"stamp": stamp, "sha256": sha}
    try:
        _write_atomic(memo_path, json.dumps(memo, indent=1).encode())
    except OSError:  # a read-only data folder only costs the re-hash next time
        pass
    return sha


def export_dir(name: str, sha: str) -> Path:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")[-80:]
    return cache_root() / f"{slug}-{sha[:16]}-v{EXPORT_FORMAT}"


class OnnxEncoder:
    """A cached ONNX export run by ONNX Runtime; `encode` returns what SentenceTransformer.encode
    (normalize_embeddings=False) returns, as float32.

    Example:
        >>> enc = OnnxEncoder(export_dir("all-MiniLM-L6-v2", sha))
        >>> enc.encode(["Peskov habló.", "Zelensky respondió."]).shape
        (2, 384)
    """

    def __init__(self, folder: Path, threads: int | None = 1):
        import onnxruntime as ort

        self.folder = folder
        meta = json.loads((folder / "meta.json").read_text())
        if meta.get("format") != EXPORT_FORMAT:
            raise ValueError(f"ONNX export format {meta.get('format')!r}, expected {EXPORT_FORMAT}")
        self.name = meta["name"]
        self.dimension = int(meta["dimension"])
        self.max_seq_length = int(meta["max_seq_length"])
        self.prompts: dict[str, str] = meta["prompts"]
        self.default_prompt_name: str | None = meta["default_prompt_name"]
        self.truncate_dim: int | None = meta["truncate_dim"]
        self._pad_id = int(meta["pad_id"])
        # Read lazily by the OS: a query touches a few rows of the table, not its hundreds of MB.
        self._table = np.load(folder / meta["word_embeddings"], mmap_mode="r") if meta.get("word_embeddings") else None
        if meta.get("unigram"):  # e5's 250k pieces: the Python tokenizer, not tokenizers' slow trie
            self.tokenizer = UnigramTokenizer(folder, meta["unigram"], self.max_seq_length)
        else:
            from tokenizers import Tokenizer

            self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            self.tokenizer.no_padding()
            self.tokenizer.enable_truncation(self.max_seq_length, strategy="longest_first")
        options = ort.SessionOptions()
        if threads is not None:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        # Graph optimisations were applied once at export and saved: repeating them costs start-up.
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(folder / "model.onnx"), options,
                                            providers=["CPUExecutionProvider"])
        self.input_names = [i.name for i in self.session.get_inputs()]

    def resolve_prompt(self, prompt: str | None, prompt_name: str | None) -> str | None:
        """The prompt sentence-transformers would prepend (explicit, named, or the model's default)."""
        if prompt is not None:
            return prompt
        if prompt_name is not None:
            if prompt_name not in self.prompts:
                raise ValueError(f"Prompt name {prompt_name!r} not found in the configured prompts "
                                 f"dictionary with keys {list(self.prompts)!r}.")
            return self.prompts[prompt_name]
        if self.default_prompt_name is not None:
            return self.prompts.get(self.default_prompt_name)
        return None

    def encode(self, texts: Sequence[str], prompt: str | None = None, prompt_name: str | None = None,
               batch_size: int = 32) -> np.ndarray:
        """Embed texts in length-sorted batches, as sentence-transformers does, so padding stays small."""
        prompt = self.resolve_prompt(prompt, prompt_name)
        texts = [prompt + t for t in texts] if prompt else list(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        for start in range(0, len(texts), batch_size):
            batch = order[start:start + batch_size]
            out[batch] = self._run([texts[i] for i in batch])
        return out

    def _run(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        feeds = {
            "input_ids": np.full((len(texts), width), self._pad_id, dtype=np.int64),
            "attention_mask": np.zeros((len(texts), width), dtype=np.int64),
            "token_type_ids": np.zeros((len(texts), width), dtype=np.int64),
        }
        for row, e in enumerate(encodings):
            n = len(e.ids)
            feeds["input_ids"][row, :n] = e.ids
            feeds["attention_mask"][row, :n] = 1
            feeds["token_type_ids"][row, :n] = e.type_ids
        if self._table is not None:
            feeds["inputs_embeds"] = np.ascontiguousarray(self._table[feeds["input_ids"]], dtype=np.float32)
        vectors = self.session.run(None, {k: feeds[k] for k in self.input_names})[0]
        if self.truncate_dim:
            vectors = vectors[:, :self.truncate_dim]
        return vectors.astype(np.float32, copy=False)


def open_cached(name: str, source: str, threads: int | None = 1) -> OnnxEncoder | None:
    """The cached export for this model, or None (not exported yet, ONNX unavailable, unreadable cache)."""
    if available() is not None:
        return None
    folder = model_folder(source)
    if folder is None:
        return None
    target = export_dir(name, weights_hash(folder))
    if not (target / "meta.json").exists():
        return None
    try:
        return OnnxEncoder(target, threads)
    except Exception as exc:  # a damaged cache must not stop queries: torch serves them
        log_once(f"ONNX export at {target} could not be loaded ({exc}); using torch. Delete the folder to re-export.")
        return None


def export(model, name: str, source: str, threads: int | None = 1) -> OnnxEncoder | None:
    """Export a loaded SentenceTransformer (fp32) to the cache, check it, and open it; None (logged
    once) when ONNX is unavailable or the export fails or disagrees with torch."""
    why_not = available()
    if why_not is not None:
        log_once(f"ONNX query encoder off: {why_not}; queries use torch.")
        return None
    folder = model_folder(source)
    if folder is None:
        log_once(f"ONNX query encoder off for {name!r}: no local model folder to key the export by; "
                 f"queries use torch.")
        return None
    target = export_dir(name, weights_hash(folder))
    if (target / "meta.json").exists():
        return open_cached(name, source, threads)
    try:
        _export_to(model, name, target)
        encoder = OnnxEncoder(target, threads)
    except Exception as exc:  # many exporter and runtime error types; each means "use torch"
        log_once(f"ONNX export of {name!r} failed ({type(exc).__name__}: {exc}); queries use torch.")
        return None
    return encoder


def _export_to(model, name: str, target: Path) -> None:
    import torch

    transformer = model[0]
    tokenizer = getattr(transformer, "tokenizer", None)
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        raise ValueError("the model has no fast (Rust) tokenizer to run without transformers")
    if any(getattr(m, "include_prompt", True) is False for m in model):
        raise ValueError("pooling excludes prompt tokens (include_prompt=False), which the export does not carry")
    features = model.preprocess(list(PROBE_TEXTS[:2]))
    table = _word_embeddings(model)
    input_names = ["input_ids" if table is None else "inputs_embeds"]
    input_names += [k for k in ("attention_mask", "token_type_ids") if k in features]
    example = {"inputs_embeds": table(features["input_ids"]).detach() if table is not None else None, **features}

    class Pipeline(torch.nn.Module):
        def __init__(self, st):
            super().__init__()
            self.st = st

        def forward(self, *inputs):
            return self.st(dict(zip(input_names, inputs)))["sentence_embedding"]

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))
    try:
        axes = {k: {0: "batch", 1: "tokens"} for k in input_names} | {"sentence_embedding": {0: "batch"}}
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer warnings about shape-dependent Python branches
            torch.onnx.export(Pipeline(model).eval(), tuple(example[k] for k in input_names),
                              str(work / "raw.onnx"), dynamo=False, input_names=input_names,
                              output_names=["sentence_embedding"], dynamic_axes=axes, opset_version=17)
        _optimise(work / "raw.onnx", work / "model.onnx")
        (work / "raw.onnx").unlink()
        backend.to_str()  # fails early on an unserialisable tokenizer
        (work / "tokenizer.json").write_text(backend.to_str())
        unigram_settings = unigram.export(backend.to_str(), work)
        if table is not None:
            np.save(work / "word_embeddings.npy", table.weight.detach().float().cpu().numpy())
        meta = {
            "format": EXPORT_FORMAT, "name": name,
            "dimension": int(model.get_embedding_dimension()),
            "max_seq_length": int(model.max_seq_length),
            "prompts": dict(model.prompts), "default_prompt_name": model.default_prompt_name,
            "truncate_dim": model.truncate_dim, "pad_id": int(tokenizer.pad_token_id or 0),
            "word_embeddings": "word_embeddings.npy" if table is not None else None,
            "unigram": unigram_settings,
        }
        (work / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False))
        check_agreement(model, OnnxEncoder(work, threads=None))
        for f in work.iterdir():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        try:
            os.rename(work, target)  # atomic: readers see no folder or a whole one
        except OSError:
            if not (target / "meta.json").exists():  # another process won the race: use theirs
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _word_embeddings(model):
    """The transformer's token embedding table when its forward also takes `inputs_embeds` (BERT-like
    models); None keeps the lookup inside the graph."""
    import inspect

    import torch

    transformer = model[0]
    auto = getattr(transformer, "auto_model", None) or getattr(transformer, "model", None)
    table = auto.get_input_embeddings() if hasattr(auto, "get_input_embeddings") else None
    if not isinstance(table, torch.nn.Embedding) or "inputs_embeds" not in inspect.signature(auto.forward).parameters:
        return None
    return table


def _optimise(raw: Path, out: Path) -> None:
    """Apply ONNX Runtime's graph optimisations once and save them, so each start-up skips them."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    options.optimized_model_filepath = str(out)
    ort.InferenceSession(str(raw), options, providers=["CPUExecutionProvider"])


def check_agreement(model, encoder: OnnxEncoder) -> float:
    """Minimum cosine between torch and ONNX over the probe texts, one at a time and batched; raises
    below MIN_COSINE or when the tokenizers disagree."""
    texts = list(PROBE_TEXTS)
    for text in texts:
        torch_ids = model.preprocess([text])["input_ids"][0].tolist()
        if encoder.tokenizer.encode(text).ids != torch_ids:
            raise ValueError(f"tokenizer mismatch on {text[:40]!r}")
    reference = model.encode(texts, batch_size=4, convert_to_numpy=True)
    worst = 1.0
    for batch_size in (1, 4, len(texts)):
        mine = encoder.encode(texts, batch_size=batch_size)
        cosines = (mine * reference).sum(1) / (np.linalg.norm(mine, axis=1) * np.linalg.norm(reference, axis=1))
        worst = min(worst, float(cosines.min()))
    for prompt_name in encoder.prompts:  # e.g. "query: " / "passage: " of e5 models
        reference = model.encode(texts[:3], prompt_name=prompt_name, convert_to_numpy=True)
        mine = encoder.encode(texts[:3], prompt_name=prompt_name)
        cosines = (mine * reference).sum(1) / (np.linalg.norm(mine, axis=1) * np.linalg.norm(reference, axis=1))
        worst = min(worst, float(cosines.min()))
    if worst < MIN_COSINE:
        raise ValueError(f"ONNX disagrees with torch: cosine {worst:.6f} < {MIN_COSINE}")
    return worst


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
