"""`Assistant`: the Python API that the CLI, the UI and the evaluation all go through."""
from __future__ import annotations

import os
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Sequence

from index.embedding import DEFAULT_MODEL, Embedder, load_embedder
from index.errors import FuentesError, IndexNotFoundError, ModelMismatchError
from index.people import canonical_names, match_person, merge_people
from index.store import DB_NAME, DocumentInfo, Index
from index.text import fold
from index.types import Document, IngestReport, Person, Quote

from . import statements
from .compose import SentenceVectors, candidate_sentences, cite, fact_answer_text, select_sentences
from .question import parse_question
from .retrieval import Filters, Retriever
from .types import Answer, Hit

MAX_K = 50


def default_index_path() -> Path:
    """`FUENTES_INDEX`, else a folder in the user's data directory."""
    if os.environ.get("FUENTES_INDEX"):
        return Path(os.environ["FUENTES_INDEX"])
    from platformdirs import user_data_dir

    return Path(user_data_dir("fuentes")) / "index"


class Assistant:
    """Answers questions over one index with cited passages.

    Example:
        >>> a = Assistant.open("/tmp/fuentes-index")
        >>> a.ingest(["data/articles"]).added
        ('000_dd2e3692a9aa2054', '001_ab8ee154ac1eb8ca', '002_723bcfcd4b6f1e05')
        >>> a.ask("What did Peskov say?").citations[0].speaker
        'Dmitri Peskov'
    """

    def __init__(self, index: Index):
        self.index = index
        self._people_cache: tuple[int, list[Person], dict[str, str]] | None = None
        self._people_lock = threading.Lock()
        self._sentence_vectors: SentenceVectors | None = None

    @classmethod
    def open(cls, path: str | Path | None = None, model: str | None = None, create: bool = True) -> "Assistant":
        """Open the index at `path`, creating it (with `model`, default the bundled one) if missing."""
        path = Path(path) if path is not None else default_index_path()
        if (path / DB_NAME).exists():
            index = Index.open(path)
            if model is not None and model != index.model_name:
                raise ModelMismatchError(
                    f"index at {path} was built with {index.model_name!r}; it can only be used with that "
                    f"model. Leave --model out, or give another --index folder for {model!r}."
                )
        elif create:
            embedder = load_embedder(model or DEFAULT_MODEL)
            index = Index.create(path, embedder.name, embedder.dimension)
        else:
            raise IndexNotFoundError(f"no index at {path}: run `fuentes ingest PATH --index {path}` first")
        return cls(index)

    @property
    def embedder(self) -> Embedder:
        """The index's own model, loaded on first use (commands like `info` never need it)."""
        return load_embedder(self.index.model_name)

    # ---- writing -------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], progress: bool = False) -> IngestReport:
        """Add new articles, replace changed ones, skip unchanged ones; skipped files are reported."""
        # Ingest-only imports (langchain text splitters, trafilatura) stay off the query path.
        from index.chunking import Chunker
        from index.ingest import ingest

        embedder = self.embedder
        chunker = Chunker(embedder.count_tokens, embedder.max_tokens)
        return ingest(self.index, paths, embedder, chunker, progress=progress)

    def remove(self, doc_ids: Sequence[str]) -> list[str]:
        """Delete documents by id; returns the ids that were there."""
        present = [d for d in doc_ids if self.index.document(d) is not None]
        self.index.write([], remove_ids=present)
        return present

    # ---- reading -------------------------------------------------------------------------
    def search(self, query: str, k: int = 10, mode: str = "hybrid", doc_ids: Sequence[str] | None = None,
               published_from: str | None = None, published_to: str | None = None) -> list[Hit]:
        _check_k(k)
        filters = Filters(doc_ids, published_from, published_to)
        return Retriever(self.index, self.embedder).search(query, k, mode, filters)

    def ask(self, question: str, k: int = 5, doc_ids: Sequence[str] | None = None,
            published_from: str | None = None, published_to: str | None = None) -> Answer:
        """Answer with cited spans only; when nothing relevant is found, say so and cite nothing."""
        if not question or not question.strip():
            raise FuentesError("the question is empty: ask something, e.g. \"What did Peskov say?\"")
        _check_k(k)
        started = time.perf_counter()
        parsed = parse_question(question.strip())
        filters = Filters(doc_ids, published_from, published_to)
        if parsed.intent == "quote" and parsed.person:
            text, citations = statements.answer_what_said(self, parsed, filters)
        elif parsed.intent == "who":
            text, citations = statements.answer_who_said(self, parsed, filters)
            # "Who proposed X?" may be answered by a plain sentence ("X was proposed by Y") better
            # than by any quote: take the passage when it scores above the best quote.
            fact_text, fact_citations = self._answer_fact(parsed.text, parsed.language, k, filters)
            if fact_citations and (not citations or fact_citations[0].score > citations[0].score):
                text, citations = fact_text, fact_citations
        else:
            text, citations = self._answer_fact(parsed.text, parsed.language, k, filters)
        timings = {"total": round((time.perf_counter() - started) * 1000, 2)}
        return Answer(question, parsed.language, parsed.intent, text, tuple(citations), timings)

    def _answer_fact(self, question: str, language: str, k: int, filters: Filters):
        vector = self.embedder.embed_query(question)
        hits = Retriever(self.index, self.embedder).search(question, k, "hybrid", filters, query_vector=vector)
        background = float(vector @ self.index.mean_vector())
        if self._sentence_vectors is None:
            self._sentence_vectors = SentenceVectors(self.embedder)
        chosen = select_sentences(candidate_sentences(hits, question, vector, self._sentence_vectors, background))
        citations = cite(self.index, chosen)
        return fact_answer_text(language, citations), citations

    # ---- quotes and people ---------------------------------------------------------------
    def _people_state(self) -> tuple[list[Person], dict[str, str]]:
        """People merged across articles, cached until the index changes."""
        generation = self.index.generation()
        with self._people_lock:
            if self._people_cache is None or self._people_cache[0] != generation:
                raw = self.index.article_people()
                quotes = self.index.quotes()
                merged = merge_people(raw)
                names = canonical_names(merged)
                counts: dict[str, int] = {}
                for quote in quotes:
                    name = names.get(_key(quote.speaker), quote.speaker)
                    counts[name] = counts.get(name, 0) + 1
                merged = [Person(p.name, p.aliases, p.roles, p.kind, counts.get(p.name, 0)) for p in merged]
                self._people_cache = (generation, merged, names)
            return self._people_cache[1], self._people_cache[2]

    def people(self) -> list[Person]:
        """Everyone quoted or named as a speaker, one record per person across articles."""
        return list(self._people_state()[0])

    def quotes(self, speaker: str | None = None, doc_id: str | None = None) -> list[Quote]:
        """Statements in the index, speakers given by their canonical names; filter by speaker (any alias)."""
        people, names = self._people_state()
        found = [_canonical(q, names) for q in self.index.quotes(doc_id)]
        if speaker is None:
            return found
        person, _ = match_person(speaker, people)
        return [q for q in found if person is not None and q.speaker == person.name]

    # ---- documents -----------------------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        return self.index.documents()

    def document(self, doc_id: str) -> Document | None:
        return self.index.document(doc_id)

    def info(self) -> dict[str, object]:
        return self.index.stats()


def _key(name: str) -> str:
    return fold(name).strip()


def _canonical(quote: Quote, names: dict[str, str]) -> Quote:
    return replace(quote, speaker=names.get(_key(quote.speaker), quote.speaker))


def _check_k(k: int) -> None:
    if not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise FuentesError(f"k must be an integer from 1 to {MAX_K}, got {k!r}")
