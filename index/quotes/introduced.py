"""A quote with no cue that makes a paragraph of its own right after a sentence whose subject is a person
is that person's: 'El presidente del club, Enrique Paz, atendió a los medios tras la final.' then
'«Fue mala suerte. Hemos competido hasta el final».' News introduces a speaker this way as often as
with a speech verb; the person must be the only one named in that sentence."""
from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from index.quotes.article import Article
from index.quotes.mentions import Mentions
from index.quotes.patterns import Statement
from index.speakers import PREPOSITIONS, Entity

MIN_INTRODUCED_WORDS = 4  # a cue-less fragment shorter than this is a title or a term, not speech


def introduced_quotes(art: Article, mentions: Mentions, taken: list[tuple[int, int]]) -> list[tuple[Statement, Entity]]:
    """(statement, speaker) for each such quote outside the `taken` spans of statements already found."""
    people: dict[int, dict[int, object]] = {}  # sentence -> {entity id: first mention}, one pass (linear)
    for m in mentions.items:
        if m.entity is not None and m.entity.kind == "person":
            people.setdefault(art.token_sentence[m.first], {}).setdefault(id(m.entity), m)
    quoted = {art.token_sentence[art.token_at(q.start)] for q in art.quotes.spans if q.start < len(art.text)}
    spans = sorted(taken)
    starts = [a for a, _ in spans]
    reach = list(accumulate((b for _, b in spans), max))  # furthest end among spans starting so far
    out = []
    for q in art.quotes.spans:
        if not q.opened or q.n_words(art.text) < MIN_INTRODUCED_WORDS or not alone_in_paragraph(art, q):
            continue
        i = bisect_right(starts, q.start) - 1
        if i >= 0 and reach[i] > q.start:
            continue  # inside a statement already found
        k = art.token_at(q.start)
        sentence = art.token_sentence[k]
        if sentence == 0 or sentence - 1 in quoted:
            continue  # the sentence before holds a quote of its own
        named = list(people.get(sentence - 1, {}).values())
        if len(named) != 1:
            continue  # nobody, or several people: whose words these are is not said
        m = named[0]
        if m.first > 0 and art.tokens[m.first - 1].folded in PREPOSITIONS:
            continue  # a complement ('ante la mirada de Marta León'), not the subject
        if art.paragraph(q.start) - art.paragraph(art.tokens[m.first].start) == 1:
            out.append((Statement(q.start, q.end, True, "", k, q.start), m.entity))
    return out


def alone_in_paragraph(art: Article, q) -> bool:
    """A quote that makes a paragraph of its own ('«…»' alone, or '«…».')."""
    text = art.text
    before = text[:q.start].rstrip(" \t")
    after = text[q.end:].lstrip(" \t.")
    return (not before or before.endswith("\n")) and (not after or after.startswith("\n"))
