"""From cues to attributed statements: applying the patterns, resolving pronouns and elided subjects,
continuing quotes, and keeping one statement per stretch of text."""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from index.quotes.article import Article
from index.quotes.colon_quotes import colon_quotes
from index.quotes.cues import Cue, complementizer, find_cues
from index.quotes.evaluations import EVALUATION_FORMS, evaluation, instruction
from index.quotes.headline import headline_statement
from index.quotes.introduced import alone_in_paragraph, introduced_quotes
from index.quotes.issuers import ISSUER, resolve_issuer
from index.quotes.mentions import Mentions
from index.quotes.patterns import Found, Patterns, Statement
from index.quotes.role_carry import person_for_role
from index.quotes.subjects import ELIDED, PRONOUN, Subject
from index.speakers import Entity
from index.speech_verbs import RESPONSE_LEMMAS, SAY, VerbForm

_CONNECTOR_TAIL = re.compile(r"(?:[\s,;]+|\b(?:y|e|pero|mientras(?: que)?|al tiempo que|aunque|and|but|while)\b)+$",
                             re.IGNORECASE)
_AND_THEN = re.compile(r"[^\S\n]*,?[^\S\n]*(?:y|e|and)[^\S\n]+(?:(?:luego|además|también|después|then|also)[^\S\n]+)?")
_SENTENCE_GAP = re.compile(r"[^\S\n]*[.;:]?[^\S\n]*")  # only the end of the reported sentence between
_COORDINATED = re.compile(r",?\s+(?:y|e|and)(?:\s+(?:también|además|also))?\s*$", re.IGNORECASE)
# Paragraph breaks an elided subject or a cue-less quote may reach back across to its speaker.
CARRY_OVER_PARAGRAPHS = 2
CONTINUATION_MIN_WORDS = 5      # a cue-less quote shorter than this is a phrase, not a continued statement
CONTINUATION_MAX_SENTENCES = 2  # sentences allowed between a statement and the quote that continues it
# What stands between the halves of a quote split by its cue: ' she said, ' / ' said the minister, '
_SPLIT_BY_CUE = re.compile(r"[ \t]+[^.!?\"“”«»\n]{2,60},[ \t]*")
_RELATIVE_PRONOUNS = frozenset("quien quienes who".split())
_AUXILIARY_BEFORE_CUE = frozenset("ha han habia se le les also has had".split())
_DEMONSTRATIVE_PRONOUNS = frozenset("este esta".split())
_PERSONAL_PRONOUNS = frozenset("he she el ella".split())  # 'they' may be the people a role speaks for


def statements_of_cue(p: Patterns, cue: Cue) -> Found | None:
    """The statement a speech verb introduces, trying each pattern in turn, with its subject."""
    art, toks = p.art, p.art.tokens
    after, after_next = p.subjects.after(cue.verb + 1)
    if cue.form.lemma == "tell":
        after, after_next = None, cue.verb + 1  # 'told the court that…': the object is the addressee
    # '…denounced the "senseless tragedy," saying the parade…': a gerund with words after it introduces them
    gerund_with_object = cue.form.form == "gerund" and cue.verb + 1 < len(toks) and toks[cue.verb + 1].is_word
    found = None if gerund_with_object else (
        p.quote_before_cue(cue, after) or p.quote_before_english_subject(cue) or p.so_says(cue, after))
    if found is not None:
        return found
    if cue.form.language == "en":
        after, after_next = None, cue.verb + 1  # English puts the subject after the verb only after a quote
        told = instruction(p, cue)
        if told is not None:
            who, subject_first = p.subjects.before(cue.first)
            return (told, who) if who is not None else None
    after_token = after_next if after is not None else cue.verb + 1
    if cue.form.lemma == "tell" and after is None:
        j = cue.verb + 1
        while j < len(toks) and j < cue.verb + 6 and toks[j].is_word and toks[j].folded != "that":
            j += 1
        after_token = j
    comp = complementizer(art, after_token - 1) if cue.form.kind == SAY or cue.form.lemma == "tell" else None
    if comp is not None and p.takes_noun_phrase_object(cue, after_token):
        comp = None  # 'reclamó un plan para la comarca que no dependa…': a relative 'que'
    st = (p.colon_quote(cue, after_token) or p.quote_object(cue, after_token, comp) or p.reported_clause(cue, comp)
          or p.characterization(cue, after_token) or p.infinitive_object(cue, after_token)
          or p.noun_phrase_object(cue, after_token))
    if st is None:
        parenthetical = p.parenthetical(cue, after, after_token)
        if parenthetical is not None:
            return parenthetical
        st = p.english_bare_clause(cue, after_token, after)
    if st is None:
        return None
    if after is not None:
        return st, after
    if cue.form.form == "gerund":
        if toks[art.first_token_of_sentence(cue.first)].folded in _PERSONAL_PRONOUNS | {"they"}:
            return st, PRONOUN  # 'She praised Rosa, saying…': the pronoun, not the person praised
        return st, (p.mentions.sentence_subject(cue.first) or ELIDED)
    who, subject_first = p.subjects.before(cue.first)
    if subject_first is not None:
        st.left = min(st.left, toks[subject_first].start)
    return (st, who) if who is not None else None


def collect(art: Article, mentions: Mentions, patterns: Patterns) -> list[Statement]:
    """Every attributed statement of the article, overlaps removed, in text order."""
    toks = art.tokens
    cues = find_cues(art)
    # questions answered: everything before 'respondió' in its sentence is the interviewer's prompt
    # ('deputies responded to the home' answers nothing: only a response that introduces a statement counts)
    found_by_cue = [statements_of_cue(patterns, cue) for cue in cues]
    response_at: dict[int, int] = {}
    for cue, found in zip(cues, found_by_cue):
        if cue.form.lemma in RESPONSE_LEMMAS and found is not None:
            response_at.setdefault(art.token_sentence[cue.verb], cue.first)
    pending: list[tuple[Statement, Subject, VerbForm | None]] = []
    claimed: set[int] = set()
    for cue, found in zip(cues, found_by_cue):
        sentence = art.token_sentence[cue.verb]
        if sentence in response_at and cue.first < response_at[sentence]:
            continue
        if found is None:
            continue
        st, who = found
        if st.direct:
            claimed.add(st.start)
        pending.append((st, who, cue.form))
    for k, t in enumerate(toks):
        if t.folded in ("segun", "according", "palabras", "words"):
            found = patterns.according_to(k)
        elif t.folded == "para":
            found = patterns.opinion_for(k)
        elif t.folded in ("a", "en", "in"):
            found = patterns.in_their_view(k)
        elif t.folded in EVALUATION_FORMS:
            found = evaluation(patterns, k)
        else:
            continue
        if found is not None:
            pending.append((found[0], found[1], None))
    headline = headline_statement(art, mentions)
    if headline is not None:
        pending.append((headline[0], headline[1], None))
    taken = [(st.start, st.end) for st, _who, _form in pending]
    pending += [(st, who, None) for st, who in introduced_quotes(art, mentions, taken)]
    _resolve_subjects(art, mentions, pending)
    found_statements = [st for st, _who, _form in pending if st.speaker is not None]
    found_statements += colon_quotes(art, mentions, found_statements, claimed)
    found_statements += _quotes_before_coordinated_cue(art, found_statements, claimed)
    found_statements = _add_continuations(art, found_statements, claimed)
    return _one_per_stretch(art, found_statements)


def _resolve_subjects(art: Article, mentions: Mentions, pending) -> None:
    """Pronouns and elided subjects take the speaker of context, in text order."""
    toks = art.tokens
    last: Statement | None = None
    last_answerer: Entity | None = None  # the latest person quoted who is not an interviewer
    # the latest statement not told inside a relative clause: '…a pedido de la fiscal Rosa Noguera, quien alegó
    # que…. Dijo desconocer…' carries the main speaker, not the person named inside the reported clause
    last_main: Statement | None = None
    for st, who, form in sorted(pending, key=lambda p: p[0].cue_token):
        if isinstance(who, Entity):
            st.speaker = who
            if who.kind in ("role", "source") and last_main is not None:
                st.speaker = person_for_role(art, who, st.cue_token, last_main.speaker,
                                             art.paragraph(st.start) - art.paragraph(last_main.end)) or who
        elif who == PRONOUN:
            # 'este respondió' and answers go to the latest person named (the one asked); 'él dijo' to the last speaker
            pronoun = toks[st.cue_token - 1].folded if st.cue_token > 0 else ""
            if toks[st.cue_token - 1].folded in ("ha", "han", "se") and st.cue_token > 1:
                pronoun = toks[st.cue_token - 2].folded
            response = form is not None and form.lemma in RESPONSE_LEMMAS
            named_since = mentions.last_person_between(last.end if last is not None else 0, st.cue_token)
            if response or pronoun in _DEMONSTRATIVE_PRONOUNS:
                st.speaker = mentions.last_person_before(st.cue_token)
            elif named_since is not None and (last is None or named_since is not last.speaker):
                st.speaker = named_since  # 'Price smiled. "Ask me on Friday," she said.'
            elif last is not None and last.speaker and (last.speaker.kind == "person" or last.speaker.kind in (
                    "role", "source") and pronoun in _PERSONAL_PRONOUNS
                    and mentions.last_person_before(st.cue_token) is None):
                # 'A witness … said …. "…," she said': the witness again, unless a person was just named
                # ('Bishop, who reads X, according to an aide, … "…," he said')
                st.speaker = last.speaker
            else:
                st.speaker = mentions.last_person_before(st.cue_token)
        elif who == ISSUER:
            st.speaker = resolve_issuer(art, mentions, st.start, last)
        elif who == ELIDED:
            carry = last_main or last
            same_sentence = carry is not None and art.token_sentence[carry.cue_token] == art.token_sentence[st.cue_token]
            if same_sentence or (carry is not None
                                 and art.paragraph(st.start) - art.paragraph(carry.end) <= CARRY_OVER_PARAGRAPHS):
                st.speaker = carry.speaker
            else:  # nobody quoted just before: the person just named, or the only one lately, else the organisation
                st.speaker = (mentions.last_person_before(st.cue_token) or mentions.sole_person_before(st.cue_token)
                              or mentions.organization_subject_before(st.cue_token))
        if who in (PRONOUN, ELIDED) and st.speaker is not None and id(st.speaker) in mentions.askers:
            st.speaker = last_answerer or mentions.last_answerer_before(st.cue_token)  # the interviewer never answers
        if st.speaker is not None:
            last = st
            nested = last_main is not None and st.cue_token >= 0 \
                and last_main.start <= toks[st.cue_token].start < last_main.end  # 'X dijo que la empresa argumenta que…'
            if not _relative_cue(toks, st.cue_token) and not nested:
                last_main = st
            if st.speaker.kind == "person" and id(st.speaker) not in mentions.askers:
                last_answerer = st.speaker


def _relative_cue(toks, cue_token: int) -> bool:
    """Whether the speech verb at `cue_token` opens a relative aside: ', quien alegó', ', who said'."""
    j = cue_token - 1
    while j > 0 and toks[j].folded in _AUXILIARY_BEFORE_CUE:
        j -= 1
    return j > 0 and toks[j].folded in _RELATIVE_PRONOUNS and toks[j - 1].text == ","


def _add_continuations(art: Article, found: list[Statement], claimed: set[int]) -> list[Statement]:
    """Quotes with no cue of their own that open a sentence right after a direct statement continue it."""
    text = art.text
    by_start = sorted(found, key=lambda s: s.start)
    starts = [s.start for s in by_start]
    reach = list(accumulate((s.end for s in by_start), max))  # furthest end among statements starting so far
    by_end = sorted(found, key=lambda s: s.end)
    ends = [s.end for s in by_end]
    for q in art.quotes.spans:
        if not q.opened or q.start in claimed:
            continue
        i = bisect_right(starts, q.start) - 1
        if i >= 0 and reach[i] > q.start:
            continue  # inside a statement already
        j = bisect_right(ends, q.start) - 1
        previous = by_end[j] if j >= 0 else None
        split_by_cue = previous is not None and previous.direct and previous.cue \
            and _SPLIT_BY_CUE.fullmatch(text[previous.end:q.start]) and previous.cue in text[previous.end:q.start]
        if not split_by_cue and (q.n_words(text) < CONTINUATION_MIN_WORDS or art.sentence_at(q.start)[0] != q.start):
            continue  # '"I want it to work," she said, "but …"': a split quote's second half continues
        continues = previous is not None and (
            previous.direct or previous.speaker.kind == "person" and (
                alone_in_paragraph(art, q) or _right_after(art, previous, q)))
        if not continues or art.paragraph(q.start) - art.paragraph(previous.end) > CARRY_OVER_PARAGRAPHS:
            continue
        if len(re.findall(r"[.!?]\s", text[previous.end:q.start])) > CONTINUATION_MAX_SENTENCES:
            continue
        st = Statement(q.start, q.end, True, "", -1, q.start, previous.speaker)
        k = bisect_right(ends, st.end)
        ends.insert(k, st.end)
        by_end.insert(k, st)
        found.append(st)
    return sorted(found, key=lambda s: s.start)


def _quotes_before_coordinated_cue(art: Article, found: list[Statement], claimed: set[int]) -> list[Statement]:
    """'«Estamos tomando medidas» y agregó que…': a quote followed by 'y' and a speech verb is that verb's
    speaker's, though the verb introduces the clause after it."""
    by_cue_start = {art.tokens[st.cue_token].start: st for st in found if st.cue and st.speaker is not None}
    out = []
    for q in art.quotes.spans:
        if not q.opened or not q.closed or q.start in claimed or art.sentence_at(q.start)[0] != q.start:
            continue  # 'citó "Entre visillos", y dijo que…': a title inside a sentence is no statement
        m = _AND_THEN.match(art.text, q.end)
        st = by_cue_start.get(m.end()) if m else None
        if st is not None and st.start >= q.end:
            out.append(Statement(q.start, q.end, True, "", -1, q.start, st.speaker))
    return out


def _right_after(art: Article, previous: Statement, q) -> bool:
    """'Recordó que la cobertura es del 93 %. «Estamos terminando de aplicar las dosis»': a quote that opens the
    next sentence of the same paragraph, right after a reported statement, goes on with it."""
    between = art.text[previous.end:q.start]
    return art.paragraph(q.start) == art.paragraph(previous.end) and bool(_SENTENCE_GAP.fullmatch(between))


def _one_per_stretch(art: Article, found: list[Statement]) -> list[Statement]:
    """One statement per stretch of text; a reported clause stops where another speaker starts."""
    text = art.text
    found = sorted(found, key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[Statement] = []
    active: list[Statement] = []  # kept statements that may still overlap later ones
    for st in found:
        active = [o for o in active if o.end > st.start]
        drop = False
        for other in active:
            if not (st.start < other.end and other.start < st.end):
                continue
            # a reported clause also stops at the same speaker's coordinated cue: '…confirmó que A y aseguró que B'
            if other.reported and st.left > other.start and (
                    other.speaker is not st.speaker or st.cue and st.reported and _COORDINATED.search(text[max(0, st.left - 30):st.left])):
                m = _CONNECTOR_TAIL.search(text[other.start:st.left])
                other.end = other.start + (m.start() if m else st.left - other.start)
            else:
                other.direct = other.direct or st.direct
                drop = True
        if not drop:
            kept.append(st)
            active.append(st)
    kept = [s for s in kept if s.end > s.start]
    for s in kept:
        if s.reported and re.search(r"[«“\"]\w|(?<!\w)'\w", text[s.start:s.end]):
            s.direct = True
    return sorted(kept, key=lambda s: s.start)
