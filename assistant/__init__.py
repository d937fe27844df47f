"""fuentes' answering layer: questions in, cited answers out."""
from .core import Assistant
from .types import Answer, Citation, Hit

__all__ = ["Assistant", "Answer", "Citation", "Hit"]
