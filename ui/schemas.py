"""Request and response bodies of the HTTP API, with the limits it enforces (shown in the OpenAPI schema)."""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, field_validator

# The index's own records are the response shapes: one definition, no copies to keep in step.
from index.store import DocumentInfo
from index.types import Person, Quote

MAX_QUESTION_CHARS = 1000
MAX_K = 50
MAX_DOC_IDS = 100
MAX_JSON_BYTES = 64 * 1024

DocId = Annotated[StrictStr, Field(min_length=1, max_length=300)]


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"question": "What did Peskov say?", "k": 5}]})

    question: StrictStr = Field(min_length=1, max_length=MAX_QUESTION_CHARS,
                                description="Spanish or English, 1 to 1000 characters, not blank.")
    k: StrictInt = Field(5, ge=1, le=MAX_K, description="Passages to consider, 1 to 50.")
    doc_ids: list[DocId] | None = Field(None, min_length=1, max_length=MAX_DOC_IDS,
                                        description="Only these documents (ids from GET /api/documents); "
                                                    "leave it out to search all, an empty list is refused.")

    @field_validator("question")
    @classmethod
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the question is blank: ask something, e.g. \"What did Peskov say?\"")
        return value


class CitationOut(BaseModel):
    n: int
    doc_id: str
    title: str
    url: str | None
    start: int = Field(description="Character offset into the document text.")
    end: int
    text: str = Field(description="Exactly document.text[start:end].")
    score: float
    speaker: str | None = None
    context_start: int | None = None
    context_end: int | None = None


class AnswerOut(BaseModel):
    """The same JSON as `fuentes ask --json`."""

    question: str
    language: str
    intent: str
    text: str = Field(description="One line per cited passage, each ending in [n] markers.")
    citations: list[CitationOut]
    timings_ms: dict[str, float] = {}


class HitOut(BaseModel):
    rank: int
    score: float
    doc_id: str
    chunk_id: int
    start: int
    end: int
    text: str
    scores: dict[str, float]


class SearchOut(BaseModel):
    query: str
    k: int
    mode: str
    hits: list[HitOut]



class DocumentsOut(BaseModel):
    documents: list[DocumentInfo]


class DocumentOut(BaseModel):
    id: str
    title: str
    url: str | None
    published: str | None
    text: str



class QuotesOut(BaseModel):
    quotes: list[Quote]



class PeopleOut(BaseModel):
    people: list[Person]


class SkippedOut(BaseModel):
    file: str
    reason: str


class UploadOut(BaseModel):
    added: list[str]
    replaced: list[str]
    unchanged: list[str]
    skipped: list[SkippedOut]
    n_chunks: int
    n_quotes: int
    seconds: float


class RemovedOut(BaseModel):
    removed: str


class HealthOut(BaseModel):
    status: str
    documents: int
    chunks: int
    quotes: int
    model: str


class ErrorOut(BaseModel):
    """Every 4xx/5xx answer of the API has this body."""

    error: str = Field(description="What was wrong and what to do.")
    status: int
    details: list[dict] = []
