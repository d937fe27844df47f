"""Results of the assistant layer: search hits, citations and answers."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Mapping

from index.types import Chunk


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    rank: int  # 1-based
    scores_by_retriever: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Citation:
    """A cited span: `text == document.text[start:end]`, verbatim."""

    n: int
    doc_id: str
    title: str
    url: str | None
    start: int
    end: int
    text: str
    score: float
    speaker: str | None = None
    # The sentence(s) around a quote, for readers who want its setting.
    context_start: int | None = None
    context_end: int | None = None


@dataclass(frozen=True)
class Answer:
    question: str
    language: str
    intent: str
    text: str
    citations: tuple[Citation, ...] = ()
    timings_ms: Mapping[str, float] = field(default_factory=dict)
    # Whom and what the question was understood to be about (after reading it against the history).
    person: str | None = None
    topic: str | None = None

    @property
    def found(self) -> bool:
        return bool(self.citations)

    def to_dict(self) -> dict:
        """The JSON shape of `fuentes ask --json` and `POST /api/ask`."""
        return {
            "question": self.question,
            "language": self.language,
            "intent": self.intent,
            "text": self.text,
            "citations": [asdict(c) for c in self.citations],
            "timings_ms": dict(self.timings_ms),
            "person": self.person,
            "topic": self.topic,
        }

    @property
    def turn(self):
        """This question and answer as a turn of `history` for a follow-up."""
        from .conversation import Turn

        return Turn(self.question, self.intent, self.person, self.topic)
