"""English-only shapes of attribution: party tags after names, bare clauses after 'said', instructions
('told lawmakers not to …') and evaluations ('praised Y for …', 'singled out Y as …')."""
from __future__ import annotations

import re

from index.text import Token

# 'Sen. Pat Toomey, R-Pa., said' / 'Rep. Ann Lee, D-N.Y., said': party and state, an aside, never a name.
_PARTY_TAG = re.compile(r"^[RDI]-[A-Z][A-Za-z]*$")
_MAX_PARTY_TAG_TOKENS = 6  # 'D', '-', 'N', '.', 'Y', '.' at most
# Verbs that take an object before their statement: 'told reporters that', 'warned lawmakers that'.
OBJECT_TAKING = frozenset("tell warn assure remind inform urge promise advise caution".split())
# Speech verbs whose object is usually a thing, not a statement: 'recalls 200,000 jars', 'announced the
# decision at a meeting'. They make a statement only with 'that' or a quote; the others also take a bare
# clause or a reported noun phrase ('said the plan was dead', 'promised respect and results').
NO_BARE_CLAUSE_LEMMAS = frozenset("recall announce concede".split())  # 'conceded two goals'
# What may stand between 'said' and 'that' without being the start of a bare clause: 'said on Monday
# that', 'said in a statement that', 'said last week that', 'said repeatedly that'.
_BEFORE_THAT = frozenset(
    "on in at during after before last this late early earlier later again also repeatedly publicly "
    "privately previously recently today yesterday tonight a an the statement interview release letter "
    "post briefing conference news press radio television tv monday tuesday wednesday thursday friday "
    "saturday sunday morning afternoon evening night week month year weekend".split())


# 'the 22-year-old', 'the 51-year-old striker': the person the article is talking about, like 'he'/'she'.
_AGE_NOUN = re.compile(r"\b[Tt]he\s+\d{1,3}-year-old(?:\s+[a-z]+)?\s*$")


def age_noun_start(text: str, pos: int) -> int | None:
    """Where 'the 22-year-old' ending right before character `pos` starts, or None."""
    m = _AGE_NOUN.search(text, max(0, pos - 40), pos)
    return m.start() if m else None


# English prepositions the shared list lacks: a bare clause never starts with one ('said through emails that').
EN_PREPOSITIONS = frozenset("through via across over under into onto upon within without around among amid "
                            "throughout toward towards".split())
_SETTING_OPENERS = frozenset("on in at during after before from to with however though also again later "
                             "earlier last this".split()) | EN_PREPOSITIONS


# 'a 12-year-old boy', '12-year-old boy' (a headline): someone unnamed, described by age and a noun.
_UNNAMED_AGE_NOUN = re.compile(r"(?:\b[Aa]n?\s+)?\b\d{1,3}-year-old\s+[a-z]+\s*$")  # checked after the definite form


def unnamed_age_noun_start(text: str, pos: int) -> int | None:
    """Where 'a 12-year-old boy' (or a headline's '12-year-old boy') ending right before `pos` starts."""
    m = _UNNAMED_AGE_NOUN.search(text, max(0, pos - 40), pos)
    return m.start() if m else None


def is_party_tag(token: Token) -> bool:
    return _PARTY_TAG.match(token.text) is not None


def party_tag_start(toks: list[Token], comma: int) -> int | None:
    """The comma opening ', R-Pa.,' when token `comma` closes such a tag; else None."""
    d = comma - 1
    while d >= 0 and comma - d <= _MAX_PARTY_TAG_TOKENS and toks[d].text != ",":
        d -= 1
    if d < 0 or toks[d].text != "," or d + 1 >= comma or not is_party_tag(toks[d + 1]):
        return None
    return d


def bare_clause_before_that(toks: list[Token], verb: int, that: int) -> bool:
    """'said his caucus would back any bill that …': the words between 'said' and 'that' open a clause of
    their own, so that 'that' is a relative pronoun, not the complementizer of 'said'."""
    words = [t for t in toks[verb + 1:that] if t.is_word]
    if words and (words[0].folded in _SETTING_OPENERS or words[0].folded.endswith("ly")):
        return False  # 'said in Washington that', 'said, however, that', 'said repeatedly that'
    return any(t.folded not in _BEFORE_THAT and not t.text[0].isdigit() for t in words)
