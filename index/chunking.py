"""Splitting a document into chunks that fit the embedding model and keep exact offsets."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from langchain_text_splitters import RecursiveCharacterTextSplitter

# Paragraphs first, then sentence ends, then clauses, then words. Lookbehinds keep the
# punctuation at the end of the piece it closes.
_SEPARATORS = [
    r"\n\s*\n",
    r"\n",
    r"(?<=[.!?…»”\"'])\s+",
    r"(?<=[;:])\s+",
    r"(?<=,)\s+",
    r"\s+",
    "",
]


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


class Chunker:
    """Paragraph- and sentence-aware splitter measuring length in the embedding model's tokens.

    `max_tokens` is a hard ceiling (the model's own limit); no chunk is ever longer, so nothing
    is silently cut from an embedding.
    """

    def __init__(self, count_tokens: Callable[[str], int], max_tokens: int, chunk_tokens: int = 200,
                 overlap_tokens: int = 24):
        if chunk_tokens > max_tokens:
            chunk_tokens = max_tokens
        if overlap_tokens >= chunk_tokens:
            raise ValueError(
                f"Got a larger chunk overlap ({overlap_tokens}) than chunk size ({chunk_tokens}); "
                f"make the overlap smaller."
            )
        self.count_tokens = count_tokens
        self.chunk_tokens = chunk_tokens
        self._splitter = RecursiveCharacterTextSplitter(
            separators=_SEPARATORS,
            is_separator_regex=True,
            keep_separator="end",
            chunk_size=chunk_tokens,
            chunk_overlap=overlap_tokens,
            length_function=count_tokens,
            strip_whitespace=True,
        )

    def split(self, text: str) -> list[Span]:
        spans: list[Span] = []
        cursor = 0
        for piece in self._splitter.split_text(text):
            # Pieces come back in order, so searching from the previous start finds the right
            # occurrence even when a sentence repeats.
            search_from = spans[-1].start + 1 if spans else 0
            start = text.find(piece, search_from)
            if start < 0:
                start = text.find(piece, cursor)
            if start < 0:
                raise AssertionError(f"chunk text not found in document near offset {cursor}")
            spans.append(Span(start, start + len(piece), piece))
            cursor = start
        return spans
