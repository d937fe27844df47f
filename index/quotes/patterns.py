"""One function per way news attributes a statement. Each returns a Statement and its subject, or None.

Cue patterns take a speech verb (a Cue); the others start from a word ('según', 'para').
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.quotes.article import Article
from index.quotes.cues import Cue, quote_starting_near
from index.quotes.demonyms import stands_for_person
from index.quotes.english import EN_PREPOSITIONS, NO_BARE_CLAUSE_LEMMAS, age_noun_start, party_tag_start
from index.quotes.issuers import DOCUMENT_NOUNS, PERSONAL_DOCUMENTS, ISSUER, ISSUER_PRONOUNS, is_document_phrase, issuer_named_after
from index.quotes.mentions import Mentions
from index.quotes.subjects import ELIDED, PRONOUN, Subject, SubjectFinder
from index.speakers import (
    DETERMINERS, HONORIFICS, INDEFINITE, ORG_WORDS, PREPOSITIONS, ROLE_HEADS, ROLE_MODIFIERS, SOURCE_HEADS, Entity,
)
from index.speech_verbs import CHARACTERIZE, SAY, lookup
from index.text import fold


@dataclass
class Statement:
    start: int
    end: int
    direct: bool
    cue: str
    cue_token: int
    left: int                    # where the statement's own words (subject, cue) begin in the text
    speaker: Entity | None = None
    reported: bool = False


Found = tuple[Statement, Subject]

_CONNECTOR_BEFORE_SO = re.compile(r"[\s,;]*(?:\by\b|\be\b)?[\s,]*(?:así\s+)?(?:también\s+|mismo\s+)?$", re.IGNORECASE)
_MAX_APPOSITION_TOKENS = 20
_DOCUMENT_LOOKBACK = 400  # tokens searched back for the first mention of 'the release', 'the statement'  # words of a title and office between a name and 'said'
# Verbs whose infinitive object is the statement: 'aseguró estar dispuesto', 'negó haber recibido'.
_INFINITIVE_OBJECT_LEMMAS = frozenset(
    "afirmar asegurar negar reconocer admitir decir declarar confesar reiterar lamentar defender "
    "sostener garantizar claim deny admit".split())
# Words ending like infinitives that are nouns or adjectives: 'pidió calma' is no statement, nor 'un lugar'.
_NOT_INFINITIVE = frozenset("lugar mujer poder deber placer militar popular nuclear familiar similar particular "
                            "regular bienestar hogar mar par ayer car mayor menor mejor peor exterior interior "
                            "anterior posterior superior inferior cualquier alrededor".split())
_ENGLISH_PRONOUNS = frozenset("he she they".split())
_POSSESSIVES = frozenset("su sus his her their".split())
_VIEW_NOUNS = frozenset("juicio opinion parecer entender view opinion".split())
# Critical verbs whose noun-phrase object is a statement when it is long enough to carry content.
_NOUN_PHRASE_OBJECT_LEMMAS = frozenset("criticar denunciar lamentar reclamar exigir elogiar cuestionar rechazar "
                                       "destacar expresar manifestar valorar".split())
_NP_OPENERS = frozenset("el la los las un una unos unas su sus".split())
# Verbs whose noun phrase comes after 'de'/'sobre': 'alertó de los riesgos de…', 'se quejó de la falta de…'.
_PREPOSITIONAL_OBJECT_LEMMAS = frozenset("advertir alertar avisar quejarse".split())
_NP_PREPOSITIONS = frozenset("de del sobre".split())
_NP_CLAUSE_BREAK = re.compile(r",\s+(?:aunque|pero|y|e|mientras|sino|porque|ya que|tras|antes|después)\b",
                              re.IGNORECASE)
MIN_NOUN_PHRASE_OBJECT_WORDS = 5  # 'la tardía detención de los sospechosos'; not 'la rebaja fiscal'
_MAX_STACKED_TITLES = 3  # titles written one before another in front of a name
_MAX_ROLE_WORDS = 3  # lower-case role words between a team and a name: 'boss', 'assistant head coach'
_MAX_NOUN_PHRASE = 5  # words in 'the top seed', 'the former club captain', 'a senior administration official'
# A setting after a closing cue: '…, the company said on Thursday.', '…, it said in a news release.'
_TRAILING_SETTING_OPENERS = frozenset(
    "on in at late early last this during after ayer hoy en durante tras yesterday today tonight earlier later "
    "afterwards afterward monday tuesday wednesday thursday friday saturday sunday".split())
_MAX_TRAILING_SETTING = 6
# Words that open a relative aside whose own speech verb ends at the aside's closing comma.
_RELATIVE_OPENERS = frozenset("who que quien quienes".split())
MIN_CLAUSE_WORDS = 3  # a bare clause, an infinitive or an instruction shorter than this is no statement



@dataclass
class Patterns:
    art: Article
    mentions: Mentions
    subjects: SubjectFinder

    def cue_text(self, cue: Cue) -> str:
        toks = self.art.tokens
        return self.art.text[toks[cue.first].start:toks[cue.verb].end]

    def statement(self, start: int, end: int, direct: bool, cue: Cue, reported: bool = False) -> Statement:
        if not direct:
            end = self._aside_end(start, end, cue)
        return Statement(start, end, direct, self.cue_text(cue), cue.verb, self.art.tokens[cue.first].start,
                         reported=reported)

    def _aside_end(self, start: int, end: int, cue: Cue) -> int:
        """A speech verb in a relative aside (', who said the budget was balanced, left early', ', que aseguró
        que…, salió') reports only up to the comma that closes the aside."""
        toks = self.art.tokens
        if cue.first >= 2 and toks[cue.first - 1].folded in _RELATIVE_OPENERS and toks[cue.first - 2].text == ",":
            comma = self.art.text.find(",", start, end)
            return comma if comma > start else end
        return end

    def clause_statement(self, start: int, cue: Cue) -> Statement | None:
        """The reported clause opening at character `start`; None when it is too short to say anything."""
        end = self._aside_end(start, self.art.clause_end(start), cue)
        if len(re.findall(r"\w+", self.art.text[start:end])) < MIN_CLAUSE_WORDS:
            return None
        return self.statement(start, end, False, cue, reported=True)

    # ---- a quote next to the verb
    def quote_before_cue(self, cue: Cue, after: Subject) -> Found | None:
        """'«…», dijo Bauer' / '«…», declaró ayer el ministro' / '"…," he said' (subject after or elided)."""
        art = self.art
        q = art.quotes.ending_before(art.tokens[cue.first].start, art.text)
        if q is None or not (q.opened or cue.form.kind != CHARACTERIZE):
            return None
        start = q.start if q.opened else art.sentence_at(q.start)[0]
        return self.statement(start, q.end, True, cue), (after if after is not None else ELIDED)

    def so_says(self, cue: Cue, after: Subject) -> Found | None:
        """'…ganar es importante, y así lo indica el estratego': 'así (también) lo' before the verb points back
        at the clause before it in the sentence, which is the statement; the subject follows the verb."""
        art, toks = self.art, self.art.tokens
        j = cue.first - 1
        if j < 2 or toks[j].folded != "lo" or after is None:
            return None
        j -= 1
        if toks[j].folded in ("tambien", "mismo"):
            j -= 1
        if toks[j].folded != "asi":
            return None
        ss, _se = art.sentence_at(toks[j].start)
        end = toks[j].start
        m = _CONNECTOR_BEFORE_SO.search(art.text, ss, end)
        end = m.start() if m else end
        q = art.quotes.ending_before(end + 1, art.text)
        start = q.start if q is not None and q.start >= ss else ss
        if len(art.text[start:end].split()) < 3:
            return None
        return Statement(start, end, False, self.cue_text(cue), cue.verb, toks[j].start, reported=True), after

    def quote_before_english_subject(self, cue: Cue) -> Found | None:
        """'"…," Smith said.' / '"…," the minister said' / '"…," she said'."""
        art, toks = self.art, self.art.tokens
        if cue.form.language != "en" or cue.first == 0:
            return None
        if cue.first > 1 and stands_for_person(art, cue.first - 1):  # '"…," the Norwegian added'
            q = self._english_quote_before(toks[cue.first - 2].start)
            if q is not None:  # unresolved, the nationality stays a role for the speaker carried over to judge
                origin = self.mentions.person_of_origin(cue.first - 1, art.token_at(q.start))
                return (Statement(q.start, q.end, True, self.cue_text(cue), cue.verb, toks[cue.first - 2].start),
                        origin or self.subjects.role(toks[cue.first - 1].text))
        m = self.mentions.ending_at(cue.first - 1)
        if toks[cue.first - 1].text == ",":
            named = self._person_before_apposition(cue.first - 1)
            if named is not None:
                m = named  # '"…," John Grunsfeld, astronaut and associate administrator of NASA, said'
        tag = party_tag_start(toks, cue.first - 1) if m is None and toks[cue.first - 1].text == "," else None
        if tag is not None:
            m = self.mentions.ending_at(tag - 1)  # '"…," Sen. John Rose, R-Ariz., said'
            m = m if m is not None and m.kind == "person" else None
        if m is not None:
            title = self.mentions.titles.get(m.first)
            name_at = toks[m.first].start
            if title and art.text.startswith(title + " ", name_at - len(title) - 1):
                name_at -= len(title) + 1
            honorific = re.search(r"\b(?:[A-Z][a-z]{1,4}\.\s+)+$", art.text[max(0, name_at - 20):name_at])
            if honorific and fold(honorific.group(0).split(".")[0]) in HONORIFICS:
                name_at -= len(honorific.group(0))  # '"…," Sen. Tom Hill said'
            if m.kind == "role" and m.first > 0 and toks[m.first].folded in DETERMINERS:
                name_at = toks[m.first].start
            if not title and m.kind == "person":
                name_at = self._before_team_and_role(m.first, name_at)  # '"…," Eastfield boss Mark Young said'
            q = self._english_quote_before(name_at)
            if q is None:
                return None
            st = Statement(q.start, q.end, True, self.cue_text(cue), cue.verb, toks[m.first].start)
            return st, (m.entity or self.subjects.role(m.text))
        noun_phrase = self._definite_noun_phrase_before(cue.first)
        if noun_phrase is not None:
            d, phrase = noun_phrase
            q = self._english_quote_before(toks[d].start)
            if q is not None:  # '"…," the top seed said'
                who = self._noun_phrase_speaker(d, phrase)
                if who is not None:
                    return Statement(q.start, q.end, True, self.cue_text(cue), cue.verb, toks[d].start), who
        age_at = age_noun_start(art.text, toks[cue.first].start)
        if age_at is not None:
            q = self._english_quote_before(age_at)
            if q is not None:  # '"…," the 22-year-old said': the person being written about
                return Statement(q.start, q.end, True, self.cue_text(cue), cue.verb, age_at), PRONOUN
        if toks[cue.first - 1].folded in ISSUER_PRONOUNS:
            q = self._english_quote_before(toks[cue.first - 1].start)
            if q is not None:  # '"…," it said': the organisation that issued it
                return Statement(q.start, q.end, True, self.cue_text(cue), cue.verb, toks[cue.first - 1].start), ISSUER
        if toks[cue.first - 1].folded in _ENGLISH_PRONOUNS:
            q = self._english_quote_before(toks[cue.first - 1].start)
            if q is None:
                return None
            return Statement(q.start, q.end, True, self.cue_text(cue), cue.verb, toks[cue.first - 1].start), PRONOUN
        return None

    def _person_before_apposition(self, comma: int):
        """The person mention that opens an apposition closed by the comma at token `comma` ('John Grunsfeld,
        astronaut and associate administrator of NASA's Science Mission Directorate,'), if one does."""
        toks = self.art.tokens
        j = comma - 1
        while j > 0 and comma - j <= _MAX_APPOSITION_TOKENS and toks[j].text not in ",\"“”«».;:":
            j -= 1
        if j <= 0 or toks[j].text != "," or j == comma - 1:
            return None
        m = self.mentions.ending_at(j - 1)
        return m if m is not None and m.kind == "person" else None

    def _english_quote_before(self, pos: int):
        """The quote closed right before `pos` by a comma, '?' or '!' ('"…," she said'); a quote whose last
        sentence ends in a full stop is done, so the words after it start a new statement ('"…." He added that')."""
        art = self.art
        q = art.quotes.ending_before(pos, art.text, r"[ \t,]*", opened_only=True)
        if q is None or art.text[q.end - 2:q.end - 1] == ".":
            return None
        return q

    def _before_team_and_role(self, first: int, name_at: int) -> int:
        """'Eastfield boss Mark Young', 'Harbour City manager Sam Page': where a team-and-role title in front
        of a name starts (one capitalised run, then lower-case role words), else `name_at`."""
        toks = self.art.tokens
        p = first - 1
        while p >= 0 and first - p <= _MAX_ROLE_WORDS and toks[p].is_word and toks[p].text[0].islower() \
                and (toks[p].folded in ROLE_HEADS or toks[p].folded in ROLE_MODIFIERS):
            p -= 1
        if p == first - 1 or p < 0:
            return name_at
        if not toks[p].is_word:
            return toks[p + 1].start  # '"…," manager Tom León said': the role alone
        team = self.mentions.ending_at(p)
        if team is None or team.kind not in ("organization", "place", "person"):
            return name_at
        return toks[team.first].start

    def _definite_noun_phrase_before(self, k: int) -> tuple[int, str] | None:
        """'the top seed' right before token k: (its determiner's token, the phrase without it)."""
        toks = self.art.tokens
        d = k - 1
        # a capitalised modifier may stand before a role head: 'the NASA scientist', 'a White House aide'
        role_head = k > 0 and (toks[k - 1].folded in ROLE_HEADS or toks[k - 1].folded in SOURCE_HEADS)
        while d >= 0 and k - d <= _MAX_NOUN_PHRASE and toks[d].is_word \
                and (toks[d].text[0].islower() or role_head and d < k - 1) \
                and toks[d].folded not in DETERMINERS and toks[d].folded not in ("a", "an"):
            d -= 1
        if d < 0 or d == k - 1 or toks[d].folded not in ("the", "el", "la", "a", "an") or k - d > _MAX_NOUN_PHRASE:
            return None
        return d, self.art.text[toks[d + 1].start:toks[k - 1].end]

    def _noun_phrase_speaker(self, d: int, phrase: str) -> Subject:
        """Who a common noun phrase after determiner token d stands for: the issuer of a document ('the
        statement'), an organisation ('the company'), a role ('the top seed'); an indefinite phrase
        ('a senior administration official') is someone new, never a person named before."""
        toks = self.art.tokens
        words = [w.lower() for w in re.findall(r"\w+", phrase)]
        if is_document_phrase(words):
            return self.issuer_of(d + len(phrase.split()))
        if toks[d].folded in ("a", "an"):
            if any(w in ROLE_HEADS or w in SOURCE_HEADS for w in words):
                return self.subjects.role(phrase)
            return None
        if words and words[-1] in ORG_WORDS:
            return self.mentions.resolve_organization(self.art.text[toks[d].start:toks[d].end] + " " + phrase,
                                                      toks[d].start)
        return self.mentions.resolve_role(phrase, toks[d].start) or self.subjects.role(phrase)

    def issuer_of(self, noun: int) -> Subject:
        """The document at token `noun`: the issuer named after it ('a report by X'), else the issuer named at the
        same document noun earlier ('a news release from X … according to the news release'), else in context."""
        return issuer_named_after(self.art, self.mentions, noun) or self._issuer_named_before(noun) or ISSUER

    def _issuer_named_before(self, noun: int) -> Entity | None:
        """The issuer given at the latest earlier use of the same document noun, within _DOCUMENT_LOOKBACK tokens."""
        toks = self.art.tokens
        for k in range(noun - 1, max(-1, noun - _DOCUMENT_LOOKBACK), -1):
            if toks[k].folded == toks[noun].folded:
                found = issuer_named_after(self.art, self.mentions, k)
                if found is not None:
                    return found
        return None

    def colon_quote(self, cue: Cue, after_token: int) -> Statement | None:
        """'Él respondió: «…»' / 'She told reporters: "…"'."""
        toks = self.art.tokens
        j = after_token
        while j < len(toks) and j < after_token + 5 and toks[j].is_word:
            j += 1
        if j < len(toks) and toks[j].text == ":":
            q = quote_starting_near(self.art, j, 1)
            if q is not None:
                return self.statement(q.start, q.end, True, cue)
        return None

    def quote_object(self, cue: Cue, after_token: int, comp: int | None) -> Statement | None:
        """'elogió los "esfuerzos muy constructivos"': a quote as the verb's object."""
        q = quote_starting_near(self.art, after_token - 1, 4)
        if q is not None and cue.form.language == "en" and cue.form.kind in (SAY, CHARACTERIZE) \
                and any(t.is_word for t in self.art.tokens[after_token:self.art.token_at(q.start)]):
            return None  # 'said his client was "deeply ashamed"': the quote sits inside a bare clause
        if q is not None and (comp is None or self.art.tokens[comp].start > q.start):
            return self.statement(q.start, q.end, True, cue)
        return None

    # ---- reported speech
    def reported_clause(self, cue: Cue, comp: int | None) -> Statement | None:
        """'dijo que …' / 'said that …'."""
        if comp is None:
            return None
        toks = self.art.tokens
        cs = toks[comp + 1].start if comp + 1 < len(toks) else toks[comp].end
        ce = self.art.clause_end(cs)
        return self.statement(cs, ce, False, cue, reported=True) if ce > cs else None

    def characterization(self, cue: Cue, after_token: int) -> Statement | None:
        """'calificó de ridícula la idea', 'describió X como Y', 'dismissed the claims as …'."""
        if cue.form.kind != CHARACTERIZE:
            return None
        art, toks = self.art, self.art.tokens
        cs = toks[after_token].start if after_token < len(toks) else len(art.text)
        ce = art.clause_end(cs)
        segment = fold(art.text[cs:ce])
        if ce > cs and (re.match(r"(de|como|as)\b", segment) or re.search(r"\b(como|as)\b", segment)):
            return self.statement(cs, ce, False, cue, reported=True)
        return None

    def infinitive_object(self, cue: Cue, after_token: int) -> Statement | None:
        """'aseguró estar dispuesto a…', 'negó haber recibido…', 'claimed to have…', 'denied having…'."""
        if cue.form.lemma not in _INFINITIVE_OBJECT_LEMMAS or after_token >= len(self.art.tokens):
            return None
        toks = self.art.tokens
        t = toks[after_token]
        if cue.form.language == "es":
            word = re.sub(r"(se|lo|la|le|les|los|las|nos|me)$", "", t.folded)
            if not (t.is_word and len(word) >= 4 and word.endswith(("ar", "er", "ir")) and word not in _NOT_INFINITIVE):
                return None
        elif not (t.folded == "to" or (t.folded.endswith("ing") and cue.form.lemma in ("deny", "admit"))):
            return None
        return self.clause_statement(t.start, cue)

    def takes_noun_phrase_object(self, cue: Cue, after_token: int) -> bool:
        """Whether a critical verb is followed by a noun phrase ('denunció la falta de…', 'alertó de los
        riesgos…'): then a 'que' inside that phrase is a relative pronoun, not a reported clause."""
        toks = self.art.tokens
        if cue.form.form not in ("finite", "participle") or after_token + 1 >= len(toks):
            return False
        t = toks[after_token]
        if cue.form.lemma in _NOUN_PHRASE_OBJECT_LEMMAS:
            return t.folded in _NP_OPENERS
        return cue.form.lemma in _PREPOSITIONAL_OBJECT_LEMMAS and t.folded in _NP_PREPOSITIONS \
            and toks[after_token + 1].folded in _NP_OPENERS

    def noun_phrase_object(self, cue: Cue, after_token: int) -> Statement | None:
        """'criticó la tardía licitación de las obras…', 'denunció la falta de información sobre…': a critical
        verb whose object is a long noun phrase says what the speaker holds ('lamentó la sentencia' is too
        short to say anything and stays out)."""
        toks = self.art.tokens
        if not self.takes_noun_phrase_object(cue, after_token):
            return None
        if toks[after_token].folded in _NP_PREPOSITIONS:
            after_token += 1  # 'alertó de los riesgos de…', 'se quejó de la falta de…'
        cs = toks[after_token].start
        ce = self.art.clause_end(cs)
        other_clause = _NP_CLAUSE_BREAK.search(self.art.text, cs, ce)
        if other_clause is not None:
            ce = other_clause.start()  # 'valoró la medida, aunque su portavoz …': the object ends at the comma
        if len(re.findall(r"\w+", self.art.text[cs:ce])) < MIN_NOUN_PHRASE_OBJECT_WORDS:
            return None
        return self.statement(cs, ce, False, cue, reported=True)

    def english_bare_clause(self, cue: Cue, after_token: int, after: Subject) -> Statement | None:
        """'Smith said the plan was dead.' (English drops 'that')."""
        toks = self.art.tokens
        after_token = self.subjects.skip_adverbials(after_token)
        if after_token < len(toks) and toks[after_token].folded == "on" and after_token + 1 < len(toks) \
                and toks[after_token + 1].is_word and toks[after_token + 1].text[0].isupper():
            after_token += 2  # 'said on Saturday he was grateful'
        if not (cue.form.language == "en" and cue.form.kind == SAY and cue.form.lemma not in NO_BARE_CLAUSE_LEMMAS
                and (cue.form.form in ("finite", "participle")
                     or cue.form.form == "gerund" and toks[cue.first - 1].text == ",")  # ', saying the plan…'
                and after_token < len(toks) and toks[after_token].is_word
                and (toks[after_token].folded not in PREPOSITIONS or toks[after_token].folded == "a")
                and toks[after_token].folded not in EN_PREPOSITIONS and after is None):
            return None
        return self.clause_statement(toks[after_token].start, cue)

    def parenthetical(self, cue: Cue, after: Subject, after_token: int) -> Found | None:
        """'The plan, she said, was dead.' / 'The plan is dead, she said.' / 'El acuerdo, dijo Sánchez, está cerca.'"""
        art, toks = self.art, self.art.tokens
        sentence_first = art.first_token_of_sentence(cue.verb)
        if cue.form.kind != SAY or cue.first <= sentence_first + 2:
            return None
        subject_first = cue.first
        who: Subject = after
        if after is None:  # subject before the verb: ', she said,' / ', Smith said.'
            before = cue.first - 1
            if toks[before].folded in _ENGLISH_PRONOUNS | {"el", "ella"}:
                who, subject_first = PRONOUN, before
            elif toks[before].folded in ISSUER_PRONOUNS and cue.form.language == "en":
                who, subject_first = ISSUER, before  # '…, it said.'
            else:
                m = self.mentions.ending_at(before)
                if m is None:
                    who, subject_first = self.subjects.common_noun_subject(before, sentence_first)
                    if who is None or subject_first is None:
                        return None  # '…, the company said.' / '…, the statement said.'
                elif m.entity is None:
                    return None
                else:
                    who, subject_first = m.entity, m.first
                    if m.kind == "role" and m.first > 0 and toks[m.first].folded not in DETERMINERS:
                        return None
                    if subject_first > 0 and toks[subject_first - 1].folded in DETERMINERS:
                        subject_first -= 1  # '…, the Sheriff's Office said'
                    for _title in range(_MAX_STACKED_TITLES):  # '…, Mayor Pro Tem X said': 'Mayor' + 'Pro Tem'
                        title = self.mentions.titles.get(subject_first)
                        at = toks[subject_first].start - len(title or "") - 1
                        if not title or at < 0 or not art.text.startswith(title, at):
                            break
                        subject_first = art.token_at(at)
            end_token = self._past_trailing_setting(cue.verb + 1)
        else:
            end_token = after_token
        if subject_first == 0 or toks[subject_first - 1].text != ",":
            return None
        if art.quotes.ending_before(toks[subject_first - 1].start, art.text, r"[ \t,]*") is not None:
            return None  # a quote before the comma: the quote patterns own it
        sentence_start, sentence_end = art.sentence_at(toks[cue.verb].start)
        closing = toks[end_token] if end_token < len(toks) else None
        if closing is not None and closing.text == "," and art.token_sentence[end_token] == art.token_sentence[cue.verb]:
            end = art.clause_end(sentence_start)  # the cue sits inside the sentence: the whole sentence speaks
        elif closing is None or closing.text in ".;!?" or art.token_sentence[end_token] != art.token_sentence[cue.verb]:
            end = toks[subject_first - 1].start  # the cue closes the sentence
        else:
            return None
        if len(re.findall(r"\w+", art.text[sentence_start:end])) < 4:
            return None
        st = Statement(sentence_start, end, False, self.cue_text(cue), cue.verb, toks[subject_first].start,
                       reported=True)
        return st, who

    def _past_trailing_setting(self, k: int) -> int:
        """'…, the company said on Thursday.' / 'said in a news release.': the token after a short setting
        phrase that closes the sentence, else k."""
        art, toks = self.art, self.art.tokens
        if k >= len(toks) or toks[k].folded not in _TRAILING_SETTING_OPENERS:
            return k
        j = k
        while j < len(toks) and j - k <= _MAX_TRAILING_SETTING and toks[j].is_word \
                and art.token_sentence[j] == art.token_sentence[k] and lookup(toks[j].folded) is None:
            j += 1
        if j >= len(toks) or toks[j].text in ".;!?" or art.token_sentence[j] != art.token_sentence[k]:
            return j
        return k

    # ---- patterns without a verb
    def according_to(self, k: int) -> Found | None:
        """'según X, …' / '…, según X' / 'according to X' / 'según ha indicado X' / 'according to academics'."""
        art, toks = self.art, self.art.tokens
        t = toks[k]
        if t.folded == "segun":
            a = k + 1
        elif t.folded == "according" and k + 1 < len(toks) and toks[k + 1].folded == "to":
            a = k + 2
        elif t.folded in ("palabras", "words") and k > 0 and toks[k - 1].folded in ("en", "the") \
                and k + 1 < len(toks) and toks[k + 1].folded in ("de", "del", "of"):
            a = k + 2 if toks[k + 1].folded != "del" else k + 1  # 'en palabras de X', 'in the words of X'
            k = k - 1 if toks[k - 1].folded == "en" else k - 2
            t = toks[k]
        else:
            return None
        if a >= len(toks):
            return None
        cue_end = a - 1
        j = a
        while j < len(toks) and j <= a + 2 and toks[j].folded in ("ha", "han", "habia", "lo", "le", "les", "se"):
            j += 1
        verb = lookup(toks[j].folded) if j < len(toks) else None
        if verb is not None and (j > a or verb.form == "finite"):
            cue_end, a = j, j + 1  # 'según ha indicado X', 'según explicó X'
        who, nxt = self._document_source(a)  # 'according to the news release': its issuer, not an organisation 'news'
        if who is None:
            who, nxt = self.subjects.after(a)
        if who is None and a < len(toks) and toks[a].folded in ("el", "ella") and a + 1 < len(toks) and (
                toks[a + 1].folded in DETERMINERS | INDEFINITE or not toks[a + 1].is_word):
            who, nxt = PRONOUN, a + 1
        if who is None and cue_end > k + 1 and (a >= len(toks) or toks[a].text in ",."):
            who, nxt = ELIDED, a  # 'según explicó, …': the speaker carries over
        if who is None and a < len(toks) and toks[a].folded in ROLE_HEADS and (
                a + 1 >= len(toks) or not toks[a + 1].is_word or art.token_sentence[a + 1] != art.token_sentence[a]):
            phrase = toks[a].text  # '…, según ministra' in a title: the one the article names with that role
            who, nxt = (self.mentions.resolve_role(phrase, toks[a].start) or self.subjects.role(phrase)), a + 1
        if who is None:
            who, nxt = self._bare_plural_source(a)
        if who is None:
            return None
        if nxt + 1 < len(toks) and toks[nxt].text == ",":
            named = self.mentions.starting_at(nxt + 1)  # 'según el secretario general, Pedro Lucas, …'
            if named is not None and named.kind == "person" and named.entity is not None \
                    and named.last + 1 < len(toks) and toks[named.last + 1].text == ",":
                who, nxt = named.entity, named.last + 1
        ss, se = art.sentence_at(t.start)
        cue = art.text[t.start:toks[cue_end].end]
        if nxt < len(toks) and toks[nxt].start < se and toks[k].start <= ss + 1:
            cs = toks[nxt + 1].start if toks[nxt].text == "," else toks[nxt].start
            st = Statement(cs, art.clause_end(cs), False, cue, k, t.start, reported=True)
        elif t.start > ss:
            ce = t.start
            while ce > ss and art.text[ce - 1] in " ,":
                ce -= 1
            st = Statement(ss, ce, False, cue, k, t.start, reported=True)
        else:
            return None
        return (st, who) if st.end > st.start else None

    def _document_source(self, a: int) -> tuple[Subject, int]:
        """'according to a filing with regulators', 'según el comunicado': the issuer of the document, and
        the token that ends its phrase (the comma before the statement, or the sentence end)."""
        toks = self.art.tokens
        h = a
        while h < len(toks) and h - a < 3 and (toks[h].folded in DETERMINERS | INDEFINITE or toks[h].text[0].islower()) \
                and fold(toks[h].text) not in DOCUMENT_NOUNS:
            h += 1
        if h >= len(toks) or fold(toks[h].text) not in DOCUMENT_NOUNS or h == a \
                or fold(toks[h].text) in PERSONAL_DOCUMENTS:
            return None, a  # 'según la denuncia' is often a person's: left unattributed
        sentence = self.art.token_sentence[h]
        e = h
        while e + 1 < len(toks) and self.art.token_sentence[e + 1] == sentence and toks[e + 1].text != ",":
            e += 1
        return self.issuer_of(h), e + 1

    def _bare_plural_source(self, a: int) -> tuple[Subject, int]:
        """'according to academics', 'según expertos consultados': a plural noun phrase without article."""
        toks = self.art.tokens
        if a >= len(toks) or not toks[a].is_word or not toks[a].text[0].islower():
            return None, a
        if not (toks[a].folded.endswith("s") and len(toks[a].folded) > 3) or toks[a].folded in PREPOSITIONS:
            return None, a
        if toks[a].folded in DETERMINERS | INDEFINITE:
            return None, a
        e = self.subjects.noun_phrase_end(a)
        return self.mentions.named(self.art.text[toks[a].start:toks[e].end], "source"), e + 1

    def in_their_view(self, k: int) -> Found | None:
        """'A su juicio, …' / 'En su opinión, …' / 'In her view, …' at a sentence start: the opinion of
        the person being quoted (resolved like a pronoun)."""
        art, toks = self.art, self.art.tokens
        if not art.is_sentence_initial(k) or k + 3 >= len(toks):
            return None
        words = tuple(t.folded for t in toks[k:k + 3])
        if words[0] not in ("a", "en", "in") or words[1] not in _POSSESSIVES or words[2] not in _VIEW_NOUNS \
                or toks[k + 3].text != ",":
            return None
        cs = toks[k + 4].start if k + 4 < len(toks) else len(art.text)
        ce = art.clause_end(cs)
        if len(re.findall(r"\w+", art.text[cs:ce])) < 4:
            return None
        cue = art.text[toks[k].start:toks[k + 2].end]
        return Statement(cs, ce, False, cue, k + 2, toks[k].start, reported=True), PRONOUN

    def opinion_for(self, k: int) -> Found | None:
        """'Para la portavoz, …' / 'Para Sánchez, …' / 'For the minister, …': the opinion of whoever follows."""
        art, toks = self.art, self.art.tokens
        if toks[k].folded not in ("para",) or not art.is_sentence_initial(k) or k + 1 >= len(toks):
            return None
        who, nxt = self.subjects.after(k + 1)
        if not isinstance(who, Entity) or who.kind not in ("person", "role", "organization"):
            return None
        if nxt >= len(toks) or toks[nxt].text != "," or nxt + 1 >= len(toks):
            return None
        cs = toks[nxt + 1].start
        ce = art.clause_end(cs)
        if len(re.findall(r"\w+", art.text[cs:ce])) < 4:
            return None
        head = toks[k + 1].folded
        if who.kind == "organization" and head not in DETERMINERS:
            return None
        st = Statement(cs, ce, False, art.text[toks[k].start:toks[k].end], k, toks[k].start, reported=True)
        return st, who

