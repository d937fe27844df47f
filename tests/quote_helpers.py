"""Shared by the quote tests: the statements extract_quotes finds in a text, each offset checked by slicing."""
from __future__ import annotations

from index.quotes import extract_quotes
from index.types import Document


def said(text: str) -> list[tuple[str, str, str]]:
    """(speaker, speaker kind, words) of every statement in `text`, in order."""
    result = extract_quotes(Document(id="t", title="t", text=text))
    for q in result.quotes:
        assert text[q.start:q.end] == q.text
    return [(q.speaker, q.speaker_kind, q.text) for q in result.quotes]


def speakers(text: str) -> list[str]:
    return [s for s, _k, _t in said(text)]
