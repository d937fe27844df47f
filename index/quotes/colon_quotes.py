"""A quote after a colon whose sentence has no speech verb: 'Peter Stone took a harder line: "…"',
'Asked what she would do next, Stone laughed: "…"'. The sentence's subject speaks."""
from __future__ import annotations

import re
from bisect import bisect_right

from index.quotes.article import Article
from index.quotes.mentions import Mentions
from index.quotes.patterns import Statement
from index.speech_verbs import lookup

_COLON_BEFORE = re.compile(r":[ \t]*$")
_OPENING_PRONOUNS = frozenset("He She Él Ella".split())
MAX_LEAD_TOKENS = 30  # words between the sentence start and the colon: a long lead is narration, not a cue


def colon_quotes(art: Article, mentions: Mentions, found: list[Statement], claimed: set[int]) -> list[Statement]:
    """Statements for quotes opened right after a colon, in sentences without a speech verb before it."""
    toks = art.tokens
    by_end = sorted(found, key=lambda s: s.end)
    ends = [s.end for s in by_end]
    starts = sorted((s.start, s.end) for s in found)
    out = []
    for q in art.quotes.spans:
        if not q.opened or q.start in claimed or not _COLON_BEFORE.search(art.text[max(0, q.start - 3):q.start]):
            continue
        i = bisect_right(starts, (q.start, len(art.text) + 1)) - 1
        if i >= 0 and starts[i][1] > q.start:
            continue  # inside a statement already
        colon = art.token_at(q.start) - 1
        while colon >= 0 and toks[colon].text != ":":
            colon -= 1
        if colon < 0:
            continue
        first = art.first_token_of_sentence(colon)
        if colon - first > MAX_LEAD_TOKENS or any(lookup(t.folded) is not None for t in toks[first:colon]):
            continue  # a speech verb's own colon pattern decides, or a long narration
        who = None
        if toks[first].text in _OPENING_PRONOUNS:
            j = bisect_right(ends, q.start) - 1
            previous = by_end[j] if j >= 0 else None
            if previous is not None and previous.speaker is not None and previous.speaker.kind == "person":
                who = previous.speaker  # 'She was blunt: "…"': the person just quoted
        else:
            who = mentions.sentence_subject(colon)
        if who is None or who.kind not in ("person", "organization", "role", "source"):
            continue
        out.append(Statement(q.start, q.end, True, ":", colon, toks[first].start, who))
    return out
