"""Statements in an article: direct and reported speech with exact offsets and a resolved speaker.

The interface is `extract_quotes(doc, known=()) -> ArticleQuotes`; the rules behind it can be replaced
without touching callers. Modules, in the order the work flows:
marks (quote marks) -> article (tokens, sentences, paragraphs) -> mentions (names, roles, entities)
-> subjects (who a verb's subject is) -> cues (speech verbs) -> patterns (one function per construction)
-> resolution (pronouns, elided subjects, continuations, overlaps) -> records (Quote, Person).
Beside them: english (party tags, bare clauses, age nouns), evaluations ('told X not to …', 'praised Y for
…'), issuers (who stands behind 'the statement' or 'it'), colon_quotes ('X took a harder line: "…"').
"""
from __future__ import annotations

from typing import Sequence

from index.quotes.article import Article
from index.quotes.marks import QuoteSpan, pair_marks
from index.quotes.mentions import Mentions
from index.quotes.patterns import Patterns
from index.quotes.records import ArticleQuotes, build_records
from index.quotes.resolution import collect
from index.quotes.subjects import SubjectFinder
from index.types import Document, Person

__all__ = ["ArticleQuotes", "QuoteSpan", "extract_quotes", "pair_marks"]


def extract_quotes(doc: Document, known: Sequence[Person] = ()) -> ArticleQuotes:
    """Direct and reported statements in `doc`, each with its speaker and exact character span.

    `known` are people from other articles: their roles let 'El presidente francés' resolve to a
    Macron who is only named 'Macron' here. Every quote satisfies doc.text[q.start:q.end] == q.text.
    """
    art = Article(doc)
    mentions = Mentions(art, known)
    patterns = Patterns(art, mentions, SubjectFinder(art, mentions))
    return build_records(doc, collect(art, mentions, patterns), mentions)
