"""Who asks in an interview or press conference. The person who asked a question ('El periodista Tomás
Vega le preguntó…', 'la periodista Sara Palacios, que le preguntó…') is not the one who answers, so an
answer, an elided subject or a bare role ('la consejera contestó') never goes to them."""
from __future__ import annotations

import re
from typing import Sequence

from index.quotes.article import Article, Mention
from index.speakers import PREPOSITIONS

# Question verbs, folded: 'preguntó', 'preguntaba', 'interpeló', 'inquirió' (not the participle
# 'preguntado', whose subject is the one asked).
_QUESTION_VERB = re.compile(r"^(pregunt|interpel|inquiri|consult)(o|a|aba|aron|aban|an)$|^(asked|asks|questioned)$")
# 'pregunta(s)', 'consulta', 'preguntado/a', 'consultada', 'interrogado' before 'de'/'por' + the asker.
_QUESTION_NOUN = re.compile(r"^(pregunta|preguntas|consulta|consultas|(pregunt|consult|interrog)ad[oa]s?)$")
_QUESTIONER_WINDOW = 5  # tokens between the question word and the asker's name
# Roles whose holder asks rather than answers.
_ASKING_ROLES = re.compile(r"\b(periodista|entrevistador|entrevistadora|moderador|moderadora|presentador|"
                           r"presentadora|reporter|interviewer|journalist|moderator|host)\b")


def _is_question_verb(art: Article, k: int) -> bool:
    t = art.tokens[k]
    if _QUESTION_VERB.match(t.folded):
        return True
    # 'quiso saber': the common way to report a question
    return t.folded == "saber" and k > 0 and art.tokens[k - 1].folded in ("quiso", "quisieron")


def _named_as_questioner(art: Article, m: Mention) -> bool:
    """'a preguntas de Ana Gil', 'consultado por el periodista Juan Peralta': the agent of a question."""
    toks = art.tokens
    saw_agent = False
    for j in range(m.first - 1, max(-1, m.first - 1 - _QUESTIONER_WINDOW), -1):
        f = toks[j].folded
        if art.token_sentence[j] != art.token_sentence[m.first]:
            return False
        if f in ("de", "del", "por"):
            saw_agent = True
        elif saw_agent and _QUESTION_NOUN.match(f):
            return True
    return False


def askers(art: Article, persons: Sequence[Mention]) -> frozenset[int]:
    """Ids of the entities who ask: subjects of a question verb, or people introduced as journalists."""
    out: set[int] = set()
    for m in persons:
        if m.entity is not None and any(_ASKING_ROLES.search(r.lower()) for r in m.entity.roles):
            out.add(id(m.entity))
    for m in persons:
        if m.entity is not None and _named_as_questioner(art, m):
            out.add(id(m.entity))
    ordered = sorted(persons, key=lambda m: m.first)
    i = 0
    latest: Mention | None = None
    toks = art.tokens
    for k in range(len(toks)):
        while i < len(ordered) and ordered[i].first < k:
            m = ordered[i]
            if m.entity is not None and not (m.first > 0 and toks[m.first - 1].folded in PREPOSITIONS):
                latest = m
            i += 1
        if not _is_question_verb(art, k):
            continue
        after = _subject_after(art, ordered, i, k)
        if after is not None:
            out.add(id(after.entity))  # '«¿…?», preguntó el periodista Juan Peralta'
        elif latest is not None and art.token_sentence[latest.first] == art.token_sentence[k]:
            out.add(id(latest.entity))
    return frozenset(out)


def _subject_after(art: Article, ordered: Sequence[Mention], i: int, k: int) -> Mention | None:
    """A person named right after a question verb, past lower-case words ('preguntó el periodista X')."""
    toks = art.tokens
    if i >= len(ordered) or ordered[i].entity is None or ordered[i].first - k > _QUESTIONER_WINDOW:
        return None
    if all(toks[j].is_word and toks[j].text.islower() and toks[j].folded not in ("a", "al", "le", "les")
           for j in range(k + 1, ordered[i].first)):
        return ordered[i]
    return None
