"""fuentes' answering layer: questions in, cited answers out."""
from typing import TYPE_CHECKING

__all__ = ["Assistant", "Answer", "Citation", "Hit"]

if TYPE_CHECKING:
    from .core import Assistant
    from .types import Answer, Citation, Hit


def __getattr__(name: str):
    # Lazy, so `fuentes --help` (which imports assistant.cli) loads neither FAISS nor torch.
    if name == "Assistant":
        from .core import Assistant

        return Assistant
    if name in ("Answer", "Citation", "Hit"):
        from . import types

        return getattr(types, name)
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")
