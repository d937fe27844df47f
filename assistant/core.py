"""`Assistant`: the Python API that the CLI, the UI and the evaluation all go through."""
from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from index.embedding import DEFAULT_MODEL, Embedder, load_embedder
from index.errors import IndexNotFoundError, ModelMismatchError
from index.filters import Filters
from index.locations import create_index, index_exists, open_index, parse_location
from index.store import DocumentInfo, Index
from index.types import Document, IngestReport, Person, Quote

from . import answer_type, person_answers, statements
from .background import backgrounds
from .compose import PHRASES, candidate_sentences, cite, fact_answer_text, select_sentences
from .conversation import Turn, is_pronoun, resolve, turns_from
from .limits import DEFAULT_K, DEFAULT_MODE, DEFAULT_SEARCH_K, check_k, check_question
from .people_book import PeopleBook
from .question import Question
from .relevance import Scorer, folded_contains, gate_for
from .retrieval import Retriever
from .types import Answer, Hit
from .vectors import VectorSource


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
        self.book = PeopleBook(index)
        self._vectors: VectorSource | None = None
        # The "nothing found" gate; None means the one calibrated for the index's model
        # (relevance.GATES). bench/answer_gate.py sets it to -inf to see every candidate's score.
        self.gate: float | None = None
        self._languages: tuple[int, dict[str, str]] | None = None

    @classmethod
    def open(cls, path: str | Path | None = None, model: str | None = None, create: bool = True) -> "Assistant":
        """Open the index at `path` (a folder or a postgresql:// URL), creating it (with `model`,
        default the bundled one) if missing."""
        location = parse_location(path)
        if index_exists(location):
            index = open_index(location)
            if model is not None and model != index.model_name:
                raise ModelMismatchError(
                    f"index at {index.path} was built with {index.model_name!r}; it can only be used with that "
                    f"model. Leave --model out, or give another --index for {model!r}."
                )
        elif create:
            embedder = load_embedder(model or DEFAULT_MODEL)
            index = create_index(location, embedder.name, embedder.dimension)
        else:
            raise IndexNotFoundError(f"no index at {location}: run `fuentes ingest PATH --index {location}` first")
        return cls(index)

    @property
    def embedder(self) -> Embedder:
        """The index's own model, loaded on first use (commands like `info` never need it)."""
        return load_embedder(self.index.model_name)

    @property
    def vectors(self) -> VectorSource:
        """Sentence and quote vectors: stored in the index when it has them, else computed once and kept."""
        if self._vectors is None:
            self._vectors = VectorSource(self.index, self.embedder)
        return self._vectors

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
    def search(self, query: str, k: int = DEFAULT_SEARCH_K, mode: str = DEFAULT_MODE,
               doc_ids: Sequence[str] | None = None,
               published_from: str | None = None, published_to: str | None = None) -> list[Hit]:
        check_k(k)
        filters = Filters.of(doc_ids, published_from, published_to)
        return Retriever(self.index, self.embedder).search(query, k, mode, filters)

    def ask(self, question: str, k: int = DEFAULT_K, doc_ids: Sequence[str] | None = None,
            published_from: str | None = None, published_to: str | None = None,
            history: Sequence[Turn | Mapping[str, Any]] | None = None) -> Answer:
        """Answer with cited spans only; when nothing relevant is found, say so and cite nothing.

        `history` is the conversation so far, oldest first: `Turn`s (or `answer.turn` of earlier
        answers), {"question", "intent", "person", "topic"} dicts, or chat messages
        {"role": "user" | "assistant", "content": …}. A follow-up ("And what did he say about
        Europe?", "¿Y sobre la OTAN?") is read against it.
        """
        text = check_question(question)
        check_k(k)
        started = time.perf_counter()
        parsed = resolve(text, turns_from(history), self.book.is_person)
        filters = Filters.of(doc_ids, published_from, published_to)
        # The question is embedded once; every path below reuses the vector.
        vector = self.embedder.embed_query(parsed.text)
        gates = gate_for(self.index.model_name) if self.gate is None else (self.gate, self.gate)
        scorer = Scorer(parsed.text, vector, backgrounds(vector, self.embedder), gates,
                        parsed.language, self._doc_languages(), self.vectors.words)
        parsed, body, citations = self._answer(parsed, scorer, k, filters)
        timings = {"total": round((time.perf_counter() - started) * 1000, 2)}
        return Answer(question, parsed.language, parsed.intent, body, tuple(citations), timings,
                      person=parsed.person, topic=parsed.topic)

    def _answer(self, parsed: Question, scorer: Scorer, k: int, filters: Filters):
        phrases = PHRASES[parsed.language]
        if is_pronoun(parsed.person):  # "What did he say?" with no earlier turn naming him
            return parsed, phrases["whom"].format(pronoun=parsed.person), []
        if parsed.intent in ("quote", "person") and parsed.person:
            parsed, match = self._find_person(parsed)
            if match.ambiguous:
                body, citations = person_answers.ambiguous(self.book, self.index, self.vectors, parsed.person,
                                                           match.candidates, parsed.language, filters,
                                                           by_role=match.by_role)
                return parsed, body, citations
            if match.person is not None and parsed.intent == "person":
                parsed = replace(parsed, person=match.person.name)
                body, citations = person_answers.who_is(self.index, self.vectors, scorer, match.person,
                                                        parsed.language, filters)
                return parsed, body, citations
            if parsed.intent == "quote":
                if match.person is None:
                    body = phrases["no_statements"].format(name=parsed.person)
                    if match.suggestions:
                        body += " " + phrases["closest"].format(names=", ".join(match.suggestions))
                    return parsed, body, []
                parsed = replace(parsed, person=match.person.name)
                topic_scorer = scorer.with_text(parsed.topic) if parsed.topic else None
                found, on_topic = statements.what_said(self.book, self.index, self.vectors, topic_scorer,
                                                       match.person.name, filters)
                if not found:
                    return parsed, phrases["no_statements"].format(name=match.person.name), []
                body, citations = statements.statements_answer(self.index, match.person.name, parsed.language, found)
                if not on_topic:  # say so, and show everything the person said instead
                    body = phrases["none_on_topic"].format(name=match.person.name, topic=parsed.topic) + "\n" + body
                return parsed, body, citations
            parsed = replace(parsed, intent="fact", person=None)  # "¿Quién es el portavoz?": a role, not a name
        hits = Retriever(self.index, self.embedder).search(parsed.text, k, DEFAULT_MODE, filters,
                                                           query_vector=scorer.vector)
        absent = self._absent_names(parsed, hits)
        if absent:  # the articles are not about what the question names
            names = ", ".join(f"“{n}”" if parsed.language == "en" else f"«{n}»" for n in absent)
            return parsed, phrases["absent"].format(names=names), []
        if parsed.intent == "who" and parsed.topic:
            scorer = scorer.with_text(parsed.topic)  # words of "who said X" that matter are X's
        sentences = candidate_sentences(hits, scorer, self.vectors)
        if parsed.intent == "fact":
            sentences = [s for s in sentences if answer_type.can_answer(parsed.text, s.text)]
        if parsed.intent == "who":
            # One scale for statements and sentences: a passage wins only by being more relevant.
            best = statements.who_said(self.book, self.index, self.vectors, scorer, hits, sentences)
            top_sentence = max((s.score for s in sentences), default=float("-inf"))
            if best is not None and scorer.passes(best.relevance, best.quote.doc_id) and best.score >= top_sentence:
                body, citations = statements.who_answer(self.index, parsed.language, best)
                return parsed, body, citations
        citations = cite(self.index, select_sentences(sentences, scorer))
        return parsed, fact_answer_text(parsed.language, citations), citations

    def _absent_names(self, parsed: Question, hits: Sequence) -> list[str]:
        """Names in the question that the retrieved passages never mention, nor their whole articles (a
        passage may say 'Brewer' where the article said 'Jan Brewer' first)."""
        languages = self._doc_languages()
        across = any(languages.get(h.chunk.doc_id, parsed.language) != parsed.language for h in hits)
        absent = answer_type.absent_names(parsed.text, (h.chunk.text for h in hits), parsed.language, across)
        if absent:
            documents = (self.index.document(d) for d in dict.fromkeys(h.chunk.doc_id for h in hits))
            absent = answer_type.absent_names(parsed.text, (d.text for d in documents if d), parsed.language, across)
        return absent

    def _find_person(self, parsed: Question):
        """The person a question names. "X de Y" is read whole when it names someone or is a role: "¿Qué
        dijo el ministro de Sanidad?" asks about the health minister, not about a minister's words on
        health; "¿Qué dijo el secretario general de la OTAN?" never falls back to any "secretario"."""
        short = self.book.find(parsed.person)
        joined = next((f"{parsed.person} {link} {parsed.topic}" for link in ("de", "del")
                       if parsed.topic and folded_contains(parsed.text, f"{parsed.person} {link} {parsed.topic}")), None)
        if joined:
            match = self.book.find(joined)
            other = match.person is not None and (short.person is None or match.person.name != short.person.name)
            if other or match.ambiguous or short.by_role:  # same person either way: keep the topic
                return replace(parsed, person=joined, topic=None), match
        return parsed, short

    def _doc_languages(self) -> dict[str, str]:
        """Each document's language, cached until the index changes (the gate depends on the pair)."""
        generation = self.index.generation()
        if self._languages is None or self._languages[0] != generation:
            self._languages = (generation, {d.id: d.language for d in self.index.documents()})
        return self._languages[1]

    # ---- quotes and people ---------------------------------------------------------------
    def people(self) -> list[Person]:
        """Everyone quoted or named as a speaker, one record per person across articles."""
        return self.book.people()

    def quotes(self, speaker: str | None = None, doc_id: str | None = None) -> list[Quote]:
        """Statements in the index, speakers given by their canonical names; filter by speaker (any alias;
        a name several people share gives the statements of each, under their own names)."""
        return self.book.quotes(speaker=speaker, doc_id=doc_id)

    # ---- documents -----------------------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        return self.index.documents()

    def document(self, doc_id: str) -> Document | None:
        return self.index.document(doc_id)

    def info(self) -> dict[str, object]:
        return self.index.stats()
