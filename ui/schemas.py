"""Request and response bodies of the HTTP API, with the limits it enforces (shown in the OpenAPI schema)."""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, field_validator, model_validator

# Limits are the library's own (assistant/limits.py): one definition for CLI, API and Python.
from assistant.conversation import INTENTS
from assistant.limits import (DEFAULT_K, MAX_DOC_IDS, MAX_HISTORY_TURN_CHARS, MAX_HISTORY_TURNS, MAX_K,
                              MAX_QUESTION_CHARS)
# The index's own records are the response shapes: one definition, no copies to keep in step.
from index.store import DocumentInfo
from index.types import Person, Quote

MAX_JSON_BYTES = 64 * 1024

DocId = Annotated[StrictStr, Field(min_length=1, max_length=300)]


HistoryText = Annotated[StrictStr, Field(max_length=MAX_HISTORY_TURN_CHARS)]


class HistoryTurn(BaseModel):
    """One earlier turn: either a chat message {role, content} or a turn {question, intent, person, topic}
    (the `intent`, `person` and `topic` of an earlier answer)."""

    model_config = ConfigDict(extra="forbid")

    role: str | None = Field(None, pattern="^(user|assistant)$", description="'user' or 'assistant' (chat form).")
    content: HistoryText | None = Field(None, description="The message text (chat form).")
    question: HistoryText | None = Field(None, description="An earlier question (turn form).")
    intent: str | None = Field(None, pattern=f"^({'|'.join(INTENTS)})$")
    person: HistoryText | None = None
    topic: HistoryText | None = None

    @model_validator(mode="after")
    def one_form(self) -> "HistoryTurn":
        chat = self.role is not None or self.content is not None
        turn = self.question is not None
        if chat == turn:
            raise ValueError("a history entry is either {\"role\", \"content\"} or {\"question\", \"intent\", "
                             "\"person\", \"topic\"}")
        if chat and (self.role is None or self.content is None):
            raise ValueError("a chat message needs both role and content")
        return self

    def to_history(self) -> dict:
        if self.role is not None:
            return {"role": self.role, "content": self.content}
        return {"question": self.question, "intent": self.intent, "person": self.person, "topic": self.topic}


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"question": "What did Peskov say?", "k": 5},
                     {"question": "And what did he say about Europe?",
                      "history": [{"role": "user", "content": "What did Peskov say?"}]}]})

    question: StrictStr = Field(min_length=1, max_length=MAX_QUESTION_CHARS,
                                description="Spanish or English, 1 to 1000 characters, not blank.")
    k: StrictInt = Field(DEFAULT_K, ge=1, le=MAX_K, description=f"Passages to consider, 1 to {MAX_K}.")
    doc_ids: list[DocId] | None = Field(None, min_length=1, max_length=MAX_DOC_IDS,
                                        description="Only these documents (ids from GET /api/documents); "
                                                    "leave it out to search all, an empty list is refused.")
    history: list[HistoryTurn] = Field(
        [], max_length=MAX_HISTORY_TURNS,
        description=f"The conversation so far, oldest first, at most {MAX_HISTORY_TURNS} entries of at most "
                    f"{MAX_HISTORY_TURN_CHARS} characters: chat messages or earlier answers' turns. "
                    f"Follow-ups (\"And what did he say about Europe?\") are read against it.")

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
    person: str | None = Field(None, description="The person the question was understood to be about.")
    topic: str | None = Field(None, description="The topic asked about, if any.")


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
