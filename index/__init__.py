"""fuentes' index layer: articles in, a searchable index of chunks, vectors and quotes out."""
from .errors import FuentesError, IndexFormatError, IndexNotFoundError, ModelMismatchError
from .types import Chunk, Document, IngestReport, Person, Quote, SkippedFile

__all__ = ["Chunk", "Document", "FuentesError", "IndexFormatError", "IndexNotFoundError", "IngestReport",
           "ModelMismatchError", "Person", "Quote", "SkippedFile"]
