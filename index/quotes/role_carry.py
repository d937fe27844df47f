"""A role nobody in the article is named with, standing for the person just quoted: 'El alcalde Jaime Rosa
aseguró que… «…», señaló el mandatario de la ciudad.' News writing varies how it names the person it follows;
a definite singular role that resolved to nobody is that person when nothing about it clashes."""
from __future__ import annotations

import re

from index.quotes.article import Article
from index.quotes.demonyms import is_nationality_noun, other_origin
from index.quotes.roles import DEFINITE_GENDER, person_gender, role_clashes
from index.quotes.subjects import ANONYMOUS_SOURCES
from index.speakers import Entity, role_class
from index.text import fold

ROLE_CARRY_PARAGRAPHS = 2  # how far back the person quoted may be
_SEARCH_CHARS = 120        # where the role phrase is looked for around the speech verb
# Roles that are another person by nature: the spokesperson or the reporter is not the one they speak of.
_ALWAYS_ANOTHER = frozenset("spokes press public".split())


def person_for_role(art: Article, role: Entity, cue_token: int, previous: Entity | None,
                    paragraphs_back: int) -> Entity | None:
    """`previous` (the speaker of the latest main statement) when the unresolved `role` introducing the
    statement at `cue_token` can be them: a definite singular role ('el comandante de la Policía', 'the
    coach'), `paragraphs_back` ≤ ROLE_CARRY_PARAGRAPHS, no clash of gender or of role class."""
    if previous is None or previous.kind != "person" or role.kind not in ("role", "source") \
            or role.kind == "source" and fold(role.name.split()[0]) in ANONYMOUS_SOURCES or paragraphs_back > ROLE_CARRY_PARAGRAPHS \
            or is_nationality_noun(role.name) and other_origin(role.name, previous):
        return None
    gender = _definite_article_gender(art, role.name, cue_token)
    if gender is False:
        return None
    if gender is not None and person_gender(previous) not in (None, gender):
        return None
    if role_class(role.name) in _ALWAYS_ANOTHER or role_clashes(role.name, previous):
        return None  # 'el concejal Rosa dijo… «…», añadió el alcalde': two people
    return previous


def _definite_article_gender(art: Article, phrase: str, cue_token: int) -> str | None | bool:
    """The gender the article in front of the role gives ('el' -> 'm', 'la' -> 'f', 'the' -> None), or
    False when the role is not written after a singular definite article near the verb (or is plural)."""
    around = art.tokens[cue_token].start
    lo, hi = max(0, around - _SEARCH_CHARS), min(len(art.text), around + _SEARCH_CHARS)
    found = None
    for m in re.finditer(r"\b(el|la|the|El|La|The)\s+" + re.escape(phrase) + r"\b", art.text[lo:hi]):
        if found is None or abs(lo + m.start() - around) < abs(lo + found.start() - around):
            found = m
    if found is None:
        return False
    head = fold(phrase.split()[0])
    if head.endswith("s") and not head.endswith(("ss", "es")) or head.endswith("es") and found.group(1).lower() == "the":
        return False  # 'the officials', 'la portavoz' is singular
    return DEFINITE_GENDER[found.group(1).lower()]
