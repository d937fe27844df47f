"""Statements and entities of one article as the index's records: Quote and Person."""
from __future__ import annotations

from dataclasses import dataclass

from index.quotes.mentions import Mentions
from index.quotes.patterns import Statement
from index.text import fold
from index.types import Document, Person, Quote


@dataclass(frozen=True)
class ArticleQuotes:
    quotes: tuple[Quote, ...]      # in text order, ids f"{doc.id}#q{n}"
    people: tuple[Person, ...]     # everyone quoted in the article, with the names and roles used for them
    mentioned: tuple[Person, ...] = ()  # people named with a role but not quoted: background for other articles


def build_records(doc: Document, statements: list[Statement], mentions: Mentions) -> ArticleQuotes:
    quotes = []
    counts: dict[int, int] = {}
    for n, s in enumerate(sorted(statements, key=lambda s: s.start), 1):
        ent = s.speaker
        counts[id(ent)] = counts.get(id(ent), 0) + 1
        quotes.append(Quote(id=f"{doc.id}#q{n}", doc_id=doc.id, speaker=ent.name, start=s.start, end=s.end,
                            text=doc.text[s.start:s.end], direct=s.direct, cue=s.cue, speaker_kind=ent.kind))
    people = []
    for ent in mentions.entities:
        if id(ent) not in counts:
            continue
        aliases = set(ent.aliases) | {ent.name}
        if ent.kind == "person":
            aliases |= {a.split()[-1] for a in list(aliases) if len(a.split()) > 1}
        people.append(Person(name=ent.name, aliases=tuple(sorted(aliases, key=fold)), roles=tuple(ent.roles),
                             kind=ent.kind, n_quotes=counts[id(ent)]))
    mentioned = tuple(Person(name=e.name, aliases=tuple(sorted(e.aliases, key=fold)), roles=tuple(e.roles))
                      for e in mentions.entities if e.kind == "person" and e.roles and id(e) not in counts)
    return ArticleQuotes(tuple(quotes), tuple(people), mentioned)
