"""Statements that are acts on someone: instructions ('told lawmakers not to send …', 'urged ministers to …')
and evaluations ('praised Brewer for …', 'singled out Tobin as …', 'denounced the plan as …'). The
subject speaks; the person told, praised or blamed is the object, never the speaker."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from index.quotes.cues import EN_PASSIVE_AUXILIARIES, Cue
from index.quotes.subjects import Subject
from index.speech_verbs import lookup

if TYPE_CHECKING:
    from index.quotes.patterns import Patterns, Statement

# Speech verbs whose object is told to do something.
INSTRUCTION_LEMMAS = frozenset("tell urge warn call advise".split())
_MAX_OBJECT_TOKENS = 8  # 'legislative leaders', 'House Speaker Andy Tobin', 'the government and the council'
# Past and present forms of verbs that judge someone for something, with the word that opens the reason.
EVALUATION_FORMS = frozenset(
    "praised praises criticised criticises criticized criticizes denounced denounces condemned condemns "
    "blamed blames accused accuses singled slammed slams blasted blasts hailed hails lambasted lambasts "
    "applauded applauds commended commends faulted faults rebuked rebukes".split())
_REASON_WORDS = frozenset("for as of over".split())
_MIN_REASON_WORDS = 2
_MAX_LEAD_TOKENS = 40    # tokens looked back for another speech verb before an instruction (keeps it linear)
_MAX_REASON_TOKENS = 60  # tokens looked ahead for 'but said' after an evaluation


def _object_end(p: "Patterns", k: int, stop: frozenset[str]) -> int | None:
    """The first token after verb token k that is one of `stop`, across a short object noun phrase."""
    toks = p.art.tokens
    sentence = p.art.token_sentence[k]
    j = k + 1
    while j < len(toks) and j - k <= _MAX_OBJECT_TOKENS + 1 and p.art.token_sentence[j] == sentence:
        t = toks[j]
        if t.folded in stop and j > k + 1:
            return j
        if not (t.is_word or t.text in "'’-") or t.folded in ("that", "who", "which") or (
                lookup(t.folded) is not None and j > k + 1):
            return None
        j += 1
    return None


def instruction(p: "Patterns", cue: Cue) -> "Statement | None":
    """'told legislative leaders not to send …' / 'urged ministers to act' / 'called on the council to …'."""
    if cue.form.language != "en" or cue.form.lemma not in INSTRUCTION_LEMMAS:
        return None
    toks = p.art.tokens
    k = cue.verb
    lead_from = max(p.art.first_token_of_sentence(k), cue.first - _MAX_LEAD_TOKENS)
    if any(lookup(toks[j].folded) is not None for j in range(lead_from, cue.first)):
        return None  # 'said that her coach had told her to …': inside another speaker's statement
    if cue.form.lemma == "call":
        if k + 1 >= len(toks) or toks[k + 1].folded != "on":
            return None
        k += 1
    to = _object_end(p, k, frozenset(("to", "not", "never")))
    if to is None:
        return None
    start = to
    if toks[to].folded in ("not", "never"):
        if to + 1 >= len(toks) or toks[to + 1].folded != "to":
            return None
    else:
        start = to + 1  # 'urged ministers to act': the statement is what they are to do
    if start >= len(toks) or not toks[start].is_word:
        return None
    return p.clause_statement(toks[start].start, cue)


def evaluation(p: "Patterns", k: int) -> "tuple[Statement, Subject] | None":
    """'praised Brewer for not putting the brakes on …', 'singled out Tobin as …': the whole act, from
    the verb to the end of the clause, said by the verb's subject."""
    from index.quotes.patterns import Statement

    art, toks = p.art, p.art.tokens
    if art.language != "en" or toks[k].folded not in EVALUATION_FORMS or not toks[k].text[0].islower():
        return None
    if k > 0 and toks[k - 1].folded in EN_PASSIVE_AUXILIARIES:
        return None  # 'was praised for …': the praise is someone else's
    verb_end = k + 1 if toks[k].folded == "singled" and k + 1 < len(toks) and toks[k + 1].folded == "out" else k
    if toks[k].folded == "singled" and verb_end == k:
        return None
    reason = _object_end(p, verb_end, _REASON_WORDS)
    if reason is None:
        return None
    ce = art.clause_end(toks[k].start)
    for j in range(reason + 1, min(art.token_at(ce), reason + 1 + _MAX_REASON_TOKENS)):
        if toks[j].folded in ("and", "but") and j + 1 < len(toks) and lookup(toks[j + 1].folded) is not None:
            ce = toks[j - 1].end if toks[j - 1].text != "," else toks[j - 2].end
            break  # 'praised Bishop for … but said …': the second verb has its own statement
    if len(re.findall(r"\w+", art.text[toks[reason].end:ce])) < _MIN_REASON_WORDS:
        return None
    who, subject_first = p.subjects.before(k)
    if who is None:
        return None
    cue = art.text[toks[k].start:toks[verb_end].end]
    left = toks[subject_first].start if subject_first is not None else toks[k].start
    return Statement(toks[k].start, ce, False, cue, k, left, reported=True), who
