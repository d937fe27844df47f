"""Answers from the people records: "Who is X?" (the role and the sentence that names it) and the
list of candidates when a name fits several people."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from index.filters import Filters
from index.store import Index
from index.types import Person

from .compose import PHRASES
from .people_book import PeopleBook
from .relevance import Scorer, folded_contains
from .retrieval import query_terms
from .statements import passes, quote_citation
from .types import Citation
from .vectors import VectorSource

SEARCH_DEPTH = 20  # passages read to find the sentence that names a person


@dataclass(frozen=True)
class Naming:
    doc_id: str
    start: int
    end: int
    text: str
    vector: np.ndarray


def naming_sentence(index: Index, vectors: VectorSource, person: Person, filters: Filters, role: str | None = None
                    ) -> Naming | None:
    """A sentence that names `person` (and `role`, when given), best lexical match first."""
    names = sorted({person.name, *person.aliases}, key=len, reverse=True)
    allowed = filters if filters.active else None
    ranked = index.lexical_search(query_terms(" ".join([person.name, role or ""])), SEARCH_DEPTH, allowed)
    chunks = index.chunks([i for i, _ in ranked])
    ordered = [chunks[i] for i, _ in ranked if i in chunks]
    for chunk, (spans, sentence_vectors) in zip(ordered, vectors.sentences(ordered)):
        for (s, e), vector in zip(spans, sentence_vectors):
            text = chunk.text[s:e]
            if any(folded_contains(text, n) for n in names) and (role is None or folded_contains(text, role)):
                return Naming(chunk.doc_id, chunk.start + s, chunk.start + e, text, vector)
    return None


def who_is(index: Index, vectors: VectorSource, scorer: Scorer, person: Person, language: str, filters: Filters
           ) -> tuple[str, list[Citation]]:
    """The person's roles, cited to a sentence that names the person with a role."""
    phrases = PHRASES[language]
    found, role_named = None, None
    for role in person.roles:
        found = naming_sentence(index, vectors, person, filters, role)
        if found:
            role_named = role
            break
    if found is None:
        found = naming_sentence(index, vectors, person, filters)
    if found is None:
        return phrases["nothing"], []
    doc = index.document(found.doc_id)
    score = scorer.score(found.text, found.vector, found.doc_id).score
    citation = Citation(1, found.doc_id, doc.title, doc.url, found.start, found.end, found.text, round(score, 4))
    if role_named:
        roles = "; ".join([role_named, *(r for r in person.roles if r != role_named)])
        head = phrases["person"].format(name=person.name, roles=roles, n=1)
    else:
        head = phrases["person_no_role"].format(name=person.name, n=1)
    return f"{head}\n- {found.text} [1]", [citation]


def ambiguous(book: PeopleBook, index: Index, vectors: VectorSource, name: str, candidates: Sequence[Person],
              language: str, filters: Filters, by_role: bool = False) -> tuple[str, list[Citation]]:
    """Say the name fits several people and list each, cited to a statement of theirs or a sentence naming them."""
    phrases = PHRASES[language]
    lines = [phrases["ambiguous_role" if by_role else "ambiguous"].format(name=name)]
    citations: list[Citation] = []
    for person in candidates:
        n = len(citations) + 1
        quote = next((q for q in book.quotes() if q.speaker == person.name and passes(q, filters, index)), None)
        if quote is not None:
            citations.append(quote_citation(n, index.document(quote.doc_id), quote, 1.0))
        else:
            found = naming_sentence(index, vectors, person, filters)
            if found is None:
                continue
            doc = index.document(found.doc_id)
            citations.append(Citation(n, found.doc_id, doc.title, doc.url, found.start, found.end, found.text, 1.0))
        roles = f" ({', '.join(person.roles)})" if person.roles else ""
        lines.append(phrases["candidate"].format(name=person.name, roles=roles, n=n))
    return "\n".join(lines), citations
