"""A quote with no cue that makes a paragraph of its own right after a sentence whose subject is a person
is that person's: 'El presidente del club, Enrique Paz, atendió a los medios tras la final.' then
'«Fue mala suerte. Hemos competido hasta el final».' News introduces a speaker this way as often as
with a speech verb; the person must be the only one named in that sentence."""
from __future__ import annotations

from index.quotes.article import Article
from index.quotes.mentions import Mentions
from index.quotes.patterns import Statement
from index.speakers import PREPOSITIONS, Entity

MIN_INTRODUCED_WORDS = 4  # a cue-less fragment shorter than this is a title or a term, not speech


def introduced_quotes(art: Article, mentions: Mentions, taken: list[tuple[int, int]]) -> list[tuple[Statement, Entity]]:
    """(statement, speaker) for each such quote outside the `taken` spans of statements already found."""
    out = []
    for q in art.quotes.spans:
        if not q.opened or q.n_words(art.text) < MIN_INTRODUCED_WORDS or not _alone_in_paragraph(art, q):
            continue
        if any(a <= q.start < b for a, b in taken):
            continue
        k = art.token_at(q.start)
        sentence = art.token_sentence[k]
        if sentence == 0:
            continue
        speaker = _only_person_subject(art, mentions, sentence - 1)
        if speaker is not None and art.paragraph(q.start) - art.paragraph(art.tokens[art.sentence_first_token[sentence - 1]].start) == 1:
            out.append((Statement(q.start, q.end, True, "", k, q.start), speaker))
    return out


def _alone_in_paragraph(art: Article, q) -> bool:
    text = art.text
    before = text[:q.start].rstrip(" \t")
    after = text[q.end:].lstrip(" \t.")
    return (not before or before.endswith("\n")) and (not after or after.startswith("\n"))


def _only_person_subject(art: Article, mentions: Mentions, sentence: int) -> Entity | None:
    """The person named in `sentence` when exactly one is, not after a preposition (a complement), and the
    sentence holds no quote of its own."""
    first = art.sentence_first_token[sentence]
    last = art.sentence_first_token[sentence + 1] - 1 if sentence + 1 < len(art.sentence_first_token) else len(art.tokens) - 1
    start, end = art.tokens[first].start, art.tokens[last].end
    if any(start <= q.start < end for q in art.quotes.spans):
        return None
    people = {id(m.entity): m for m in mentions.items
              if first <= m.first <= last and m.entity is not None and m.entity.kind == "person"}
    if len(people) != 1:
        return None
    m = next(iter(people.values()))
    if m.first > 0 and art.tokens[m.first - 1].folded in PREPOSITIONS:
        return None
    return m.entity
