"""Who a speech verb's subject is: the phrase after a post-posed verb or before a pre-posed one.

The nearest phrase is not always the subject: a name after a preposition ('recogidas por Europa
Press, ha señalado') is a complement, a name after 'a'/'al'/'to' is the addressee ('pide al alcalde
que'), and an adverb or a time or place phrase may stand between verb and subject ('declaró ayer el
ministro', 'afirmó durante la reunión Romoser').
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.quotes.article import Article
from index.quotes.demonyms import stands_for_person
from index.quotes.english import age_noun_start, party_tag_start, unnamed_age_noun_start
from index.quotes.issuers import ISSUER, ISSUER_PRONOUNS, is_document_phrase, issuer_named_after
from index.quotes.mentions import Mention, Mentions
from index.speakers import (
    DETERMINERS, HONORIFICS, INDEFINITE, ORG_WORDS, PREPOSITIONS, PRONOUNS_PERSON, ROLE_HEADS, ROLE_MODIFIERS, SOURCE_HEADS,
    Entity, is_capitalized,
)
from index.speech_verbs import lookup

# A subject that is not written: the speaker carries over from context ('«…», añadió.').
ELIDED = "elided"
# A personal pronoun ('él dijo', 'she said'): the latest speaker or person.
PRONOUN = "pronoun"
Subject = Entity | str | None

_SKIP_BEFORE_VERB = frozenset(
    "le les lo la se me nos ya tambien todavia no nunca solo hoy ayer anoche entonces luego ademas incluso "
    "finalmente recientemente despues antes asimismo igualmente mas tarde also already later then recently "
    "previously again once has have had ha han habia habian habra will would could may might did does do "
    "quiso quisieron querido pudo pudieron podido decidio decidieron vino volvio volvieron a".split())
# English verbs that take a speech verb in the infinitive: 'went on to say', 'was quick to deny'.
_INFINITIVE_CARRIERS = frozenset("went go goes going on was were is are quick keen eager wanted want wants "
                                 "decided decides sought seeks moved declined refused able".split())
_ADVERBS = frozenset(
    "ayer hoy anoche manana tambien ademas luego despues finalmente entonces tarde pronto nuevamente "
    "posteriormente todavia ya asimismo igualmente incluso personalmente textualmente publicamente "
    "yesterday today tonight also later then again earlier afterwards publicly recently".split())
_TIME_NOUNS = frozenset(
    "lunes martes miercoles jueves viernes sabado domingo manana tarde noche semana mes ano dia "
    "monday tuesday wednesday thursday friday saturday sunday morning afternoon evening night week month "
    "year day".split())
_SETTING_PREPOSITIONS = frozenset("durante en ante tras desde a al in during at after on to before".split())
AUXILIARIES = frozenset("ha han habia habian has have had was were is are will would ya also tambien".split())
CLAUSE_WORDS = frozenset("y e pero mientras que aunque sino ni o and but while although or".split())
_MAX_ASIDE_TOKENS = 25  # an apposition or relative clause between a subject and its verb
MAX_TITLE_BEFORE_NAME = 12  # "el catedrático de Derecho Civil de la Universidad de Sevilla Manuel Rubio"
_SINGULAR_INDEFINITE = frozenset("un una a an".split())
# Heads of an unnamed source that are not roles: 'A person familiar with the talks said', 'una persona cercana'.
_UNNAMED_HEADS = frozenset("person persona".split())
_MAX_NOUN_PHRASE_WORDS = 4  # words of "the junior accountant" before "who"
_OPENING_PRONOUNS = frozenset("He She They Él Ella Ellos Ellas".split())  # 'El' opens 'El Colegio de …'
_ONE_OF = frozenset("uno una otro otra one another".split())  # 'Uno de los vecinos, un pastor de la zona, …'
_RELATIVES = frozenset("que quien quienes who which".split())
_MAX_SOURCE_PHRASE = 12  # tokens in 'fuentes de la Consejería de Sanidad consultadas por este diario'
# What follows the organisation in a sources phrase: 'consultadas', 'cercanas', 'próximas', 'por', 'al'.
_QUALIFIES_SOURCE = re.compile(r"^(\w+(adas|ados|idas|idos)|cercanas?|cercanos?|proximas?|proximos?|por|al?)$")
# Spanish endings of nouns for people by trade: meteorólogo, bombero, investigador, analista, agente.
_PERSON_NOUN = re.compile(r"(logo|loga|ero|era|dor|dora|tor|tora|sor|sora|ista|ente|enta|ante|ario|aria)$")
_NOT_PERSON_NOUNS = frozenset("sector motor valor error temor rumor factor vector exterior interior anterior "
                              "posterior superior tenor tutor carretera frontera bandera cartera madera primavera "
                              "escalera gobierno ambiente accidente expediente incidente continente importante "
                              "restaurante calendario escenario horario comentario salario presupuesto".split())
_AFTER_BARE_TITLE = frozenset("que en a al tras durante ante y e".split())  # 'declaró el esloveno, que…'
_REFUSING_CARRIERS = frozenset("nego niega evito evita rehuso rehusa declino declina".split())
# ', quien ha agregado', ', que aseguró': the antecedent speaks ('que' right after a comma and before a speech
# verb opens a relative aside, not a reported clause)
_RELATIVE_SUBJECTS = frozenset("quien quienes who que".split())
_MAX_RELATIVE_TOKENS = 40  # a relative clause with commas inside, between a subject and its verb
_ROLE_NOUNS_AFTER_NAME = 3  # 'Jamshedpur boss Owen Coyle': words between an organisation and its person

_DEFINITE_SINGULAR = frozenset("el la the".split())
# Words that open a fronted phrase; a name inside it, before its comma, is not the verb's subject.
_FRONTING_WORDS = frozenset("al tras despues antes durante preguntado preguntada consultado consultada cuestionado "
                            "cuestionada asked after before during following".split())
_BELIEF_LEMMAS = frozenset("creer entender temer dudar considerar estimar think believe fear".split())
# Sources nobody is named for by nature: "la fuente", "el testigo", "the insider".
ANONYMOUS_SOURCES = frozenset("fuente fuentes source sources testigo testigos witness insider".split())


def _spanish_singular(word: str) -> str:
    """'autoridades' -> 'autoridad', 'empresas' -> 'empresa'; other words as they are."""
    if word.endswith("es") and word[:-2] in ORG_WORDS:
        return word[:-2]
    if word.endswith("s") and word[:-1] in ORG_WORDS:
        return word[:-1]
    return word


def _english_singular(word: str) -> str:
    """'authorities' -> 'authority', 'agencies' -> 'agency', 'police' -> 'police'."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word


@dataclass
class SubjectFinder:
    art: Article
    mentions: Mentions

    # ---- after the verb
    def after(self, k: int) -> tuple[Subject, int]:
        """The subject right after a post-posed verb ('dijo Bauer', 'declaró ayer el ministro'): (who, next token)."""
        toks = self.art.tokens
        k = self.skip_adverbials(k)
        if k >= len(toks):
            return None, k
        if toks[k].folded in _SETTING_PREPOSITIONS and not (toks[k].folded == "a" and self.art.language == "en"):
            past = self._skip_setting(k)
            if past is None:
                return None, k  # 'pidió al alcalde que…': the addressee, not the subject
            k = past
        return self._phrase_at(k)

    def _phrase_at(self, k: int) -> tuple[Subject, int]:
        art, toks = self.art, self.art.tokens
        while k + 1 < len(toks) and (toks[k].folded in HONORIFICS or toks[k].text == ".") and toks[k].text[0].isupper() \
                or k + 1 < len(toks) and toks[k].text == "." and toks[k - 1].folded in HONORIFICS:
            k += 1  # 'said Dr Amelia Stone', 'dijo la Dra. Ruiz'
        if toks[k].text[0].isupper() and (toks[k].folded in ROLE_HEADS or toks[k].folded in ROLE_MODIFIERS):
            j = k + 1
            while j < len(toks) and j <= k + 3 and self.mentions.starting_at(j) is None and toks[j].text[0].isupper():
                j += 1
            titled = self.mentions.starting_at(j) if j < len(toks) else None
            if titled is not None and titled.kind == "person":
                k = j  # 'said Senator Tom Price', 'dijo el Ministro de Cultura Ernest Urtasun'
        if art.language == "en" and toks[k].text.islower():
            j = k
            while j < len(toks) and j - k < 3 and toks[j].is_word and toks[j].text.islower() \
                    and (toks[j].folded in ROLE_HEADS or toks[j].folded in ROLE_MODIFIERS or toks[j].folded in ORG_WORDS):
                j += 1
            titled = self.mentions.starting_at(j) if k < j < len(toks) and toks[j - 1].folded in ROLE_HEADS else None
            if titled is not None and titled.kind == "person" and titled.entity is not None:
                return titled.entity, titled.last + 1  # 'according to manager Ole Gunnar Solskjaer'
        t = toks[k]
        if k + 1 < len(toks) and stands_for_person(self.art, k + 1):  # '«…», added the Norwegian'
            origin = self.mentions.person_of_origin(k + 1)
            if origin is not None:
                return origin, k + 2
        m = self.mentions.starting_at(k)
        if m is not None and m.kind != "role":
            later = self._person_after_role_words(m)
            if later is not None:
                return later.entity, later.last + 1
            return m.entity, m.last + 1
        if t.folded in ("el", "la") and k + 2 < len(toks) and toks[k + 1].text.islower() and toks[k + 1].is_word \
                and toks[k + 1].folded not in ROLE_HEADS and toks[k + 1].folded not in ROLE_MODIFIERS \
                and toks[k + 1].folded not in SOURCE_HEADS \
                and (not toks[k + 2].is_word or toks[k + 2].folded in _AFTER_BARE_TITLE):
            # 'declaró el esloveno', 'admitió la estadounidense': the person whose title starts with that word
            who = self.mentions.recent_person_titled(toks[k + 1].text, toks[k].start)
            if who is not None:
                return who, k + 2
        if t.folded in ("el", "ella", "he", "she", "este", "esta") and (
                k + 1 >= len(toks) or not toks[k + 1].is_word or toks[k + 1].folded in CLAUSE_WORDS):
            return PRONOUN, k + 1
        if t.folded in DETERMINERS and k + 1 < len(toks):
            named = self.mentions.starting_at(k + 1)
            if named is not None and named.kind != "role" and named.entity is not None:
                return named.entity, named.last + 1  # 'según la Policía Nacional'
            # 'dijo el coronel Ivan Sirko': a title in front of a name
            h = k + 1
            while h < len(toks) and h <= k + MAX_TITLE_BEFORE_NAME and toks[h].is_word \
                    and toks[h].folded not in CLAUSE_WORDS \
                    and lookup(toks[h].folded) is None and (not is_capitalized(toks[h].text)
                                                            or toks[h - 1].folded in ("de", "del")):
                inner = self.mentions.starting_at(h) if toks[h - 1].folded in ("de", "del") else None
                # 'el catedrático de Derecho Civil de la Universidad de Sevilla Manuel Rubio'
                h = inner.last + 1 if inner is not None and inner.kind in ("organization", "role") else h + 1
                if h + 2 < len(toks) and toks[h].text == "(" and toks[h + 2].text == ")":
                    h += 3  # 'el titular de la Secretaría de Salud (SESA), Rigoberto Zamudio'
            if h + 1 < len(toks) and toks[h].text == "," and h > k + 1:
                h += 1  # 'el ministro de Energía, Karl Weiss'
            named = self.mentions.starting_at(h) if h < len(toks) else None
            if named is not None and named.kind == "person" and h > k + 1:
                return named.entity, named.last + 1
        if t.folded in DETERMINERS | INDEFINITE and k + 1 < len(toks):
            m = self.mentions.starting_at(k)
            if m is not None and m.kind == "role":
                return m.entity or self.role(m.text), m.last + 1
            h = k + 1
            while h < len(toks) and toks[h].folded in ROLE_MODIFIERS:
                h += 1
            named_from = h
            while art.language == "en" and h < len(toks) and h - named_from < 3 and is_capitalized(toks[h].text) \
                    and toks[h].folded not in ROLE_HEADS:
                h += 1  # 'a senior White House aide', 'a Home Office source': the organisation names the role
            if h > named_from and not (h < len(toks) and (toks[h].folded in SOURCE_HEADS or toks[h].folded in ROLE_HEADS)):
                h = named_from
            if art.language == "en" and t.folded in INDEFINITE and h == named_from:
                for noun_modifiers in (1, 2):  # 'a senior administration official', 'a council spokesperson'
                    if h + noun_modifiers < len(toks) and self._unnamed_head(toks[h + noun_modifiers]) \
                            and not self._unnamed_head(toks[h]) \
                            and all(toks[x].is_word and toks[x].text[0].islower() and toks[x].folded not in PREPOSITIONS
                            and toks[x].folded not in ("del", "al") for x in range(h, h + noun_modifiers)):
                        h += noun_modifiers
                        break
            if h < len(toks) and (toks[h].folded in SOURCE_HEADS or toks[h].folded in ROLE_HEADS):
                e = self.noun_phrase_end(h)
                phrase = art.text[toks[k + 1 if h > named_from or t.folded in INDEFINITE else h].start:toks[e].end]
                if t.folded in INDEFINITE or toks[h].folded in SOURCE_HEADS:
                    holder = self._named_holder(t, toks[h].folded, phrase)
                    return holder or self.mentions.named(phrase, "source"), e + 1
                return self.mentions.resolve_role(phrase, t.start) or self.role(phrase), e + 1
            if h < len(toks) and toks[h].folded in ORG_WORDS and t.folded in DETERMINERS:
                e = self.noun_phrase_end(h)
                role_at = max((x for x in range(h + 1, e + 1) if toks[x].folded in ROLE_HEADS), default=None)
                if art.language == "en" and role_at is not None:  # 'the police chief', 'the council leader'
                    phrase = art.text[toks[h].start:toks[role_at].end]
                    return self.mentions.resolve_role(phrase, t.start) or self.role(phrase), role_at + 1
                return self.mentions.resolve_organization(art.text[t.start:toks[e].end], t.start), e + 1
        if t.folded in SOURCE_HEADS and t.folded.endswith("s"):
            e = self.noun_phrase_end(k)
            return self.mentions.named(art.text[t.start:toks[e].end], "source"), e + 1
        return None, k

    def _named_holder(self, determiner, head: str, phrase: str) -> Entity | None:
        """'la funcionaria', 'el responsable', 'the official' with a definite singular article: the person
        just named with a role ('La portavoz, Laura Rubio, … «…», respondió la funcionaria'). A source
        that is anonymous by nature ('la fuente', 'el testigo') or a person named without a role stays unnamed."""
        if determiner.folded not in _DEFINITE_SINGULAR or head.endswith("s") or head in ANONYMOUS_SOURCES:
            return None
        return self.mentions.resolve_holder(phrase, determiner.start)

    def _person_after_role_words(self, m: Mention) -> Mention | None:
        """'Jamshedpur boss Owen Coyle', 'Google chief executive Sundar Pichai': the person, not the organisation."""
        toks = self.art.tokens
        j = m.last + 1
        saw_role = False
        while j < len(toks) and j - m.last <= _ROLE_NOUNS_AFTER_NAME and toks[j].is_word \
                and not is_capitalized(toks[j].text):
            saw_role = saw_role or toks[j].folded in ROLE_HEADS
            j += 1
        if not saw_role:
            return None
        later = self.mentions.starting_at(j)
        return later if later is not None and later.kind == "person" else None

    def skip_adverbials(self, k: int) -> int:
        toks = self.art.tokens
        while k < len(toks):
            f = toks[k].folded
            if f in _ADVERBS or (f.endswith("mente") and len(f) > 7) or (f.endswith("ly") and len(f) > 4
                                                                         and lookup(f) is None):
                k += 1
            elif f in ("este", "esta", "el", "la", "this", "last", "on") and k + 1 < len(toks) \
                    and toks[k + 1].folded in _TIME_NOUNS:
                k += 2
            elif toks[k].text == "," and k + 1 < len(toks) and toks[k + 1].folded in _ADVERBS:
                k += 1
            else:
                return k
        return k

    def _skip_setting(self, k: int) -> int | None:
        """Past a setting or addressee phrase ('durante la reunión', 'a los periodistas', 'to reporters')
        when a subject follows it; None when none does."""
        toks = self.art.tokens
        j = k + 1
        while j < len(toks) and j - k <= 6 and toks[j].is_word and not is_capitalized(toks[j].text) \
                and toks[j].folded not in ("que", "that") and lookup(toks[j].folded) is None:
            if j > k + 1 and toks[j].folded in DETERMINERS and (toks[j + 1].folded in ROLE_HEADS
                                                               if j + 1 < len(toks) else False):
                break  # 'a los periodistas el ministro'
            j += 1
        if j == k + 1:
            outlet = self.mentions.starting_at(j)
            if outlet is None or outlet.kind != "organization":
                return None  # the preposition's own object: 'a Sánchez', 'en Madrid'
            j = outlet.last + 1  # 'ha explicado a Europa Press el secretario general'
        if j < len(toks) and toks[j].text == ",":
            j += 1
        if j >= len(toks):
            return None
        m = self.mentions.starting_at(j)
        if m is not None and m.kind in ("person", "role"):
            return j
        if toks[j].folded in DETERMINERS and j + 1 < len(toks) and (
                toks[j + 1].folded in ROLE_HEADS or toks[j + 1].folded in ROLE_MODIFIERS):
            return j
        return None

    def noun_phrase_end(self, h: int) -> int:
        """Last token of a noun phrase headed at h: its adjectives and de-complements, not 'a Le Monde'."""
        toks, e = self.art.tokens, h
        while e + 1 < len(toks) and toks[e + 1].is_word and e - h < 6 and lookup(toks[e + 1].folded) is None \
                and toks[e + 1].folded not in CLAUSE_WORDS and toks[e + 1].folded not in AUXILIARIES:
            nx = toks[e + 1].folded
            if nx in PREPOSITIONS and nx not in ("de", "del", "of"):
                break
            e += 1
        return e

    def role(self, phrase: str) -> Entity:
        """A role nobody in the article is named with: the role itself speaks."""
        return self.mentions.named(phrase, "role")

    # ---- before the verb
    def before(self, k: int) -> tuple[Subject, int | None]:
        """The subject ending right before token `k`: (who, its first token or None)."""
        art, toks, mentions = self.art, self.art.tokens, self.mentions
        first = art.first_token_of_sentence(k)
        if k - 1 > first and stands_for_person(art, k - 1):  # 'The Spaniard said', 'el argentino aseguró'
            origin = mentions.person_of_origin(k - 1)
            return (origin or self.role(toks[k - 1].text)), k - 2  # unresolved, it is nobody else either
        unnamed = self._unnamed_opening_subject(first, k)
        if unnamed is not None:
            return unnamed
        j = self._before_infinitive_carrier(k, first)
        while j >= first and (toks[j].folded in _SKIP_BEFORE_VERB or toks[j].folded.endswith("mente")
                              and toks[j].folded != "mente"):
            j -= 1
        if j > first and toks[j].folded in _RELATIVE_SUBJECTS and toks[j - 1].text == ",":
            m = mentions.ending_at(j - 2)  # '…, Pedro Lucas, quien ha agregado que': the antecedent speaks
            if m is not None and m.entity is not None and m.kind in ("person", "role", "organization"):
                return m.entity, m.first
        if j >= first and toks[j].folded == "to" and art.language == "en":
            j -= 1  # 'went on to say': skip the verb that carries the infinitive
            while j >= first and toks[j].folded in _INFINITIVE_CARRIERS | _SKIP_BEFORE_VERB:
                j -= 1
        if j < first:
            return ELIDED, None
        j = self._before_party_tag(j)
        t = toks[j]
        if t.text == "," and toks[first].folded in _FRONTING_WORDS and not any(
                toks[x].text == "," for x in range(first, j)):
            return ELIDED, None  # 'Al ser consultada por el periodista Juan Paz, respondió': Paz only asked
        if t.text == ",":
            aside = self._aside_start(j, first)
            if aside is not None:
                aside = self._before_party_tag(aside)
            if aside is not None and toks[aside + 1].folded in ("of", "from", "de", "del"):
                m = mentions.ending_at(aside - 1)  # 'Sophie Rose, of the group Bike Action, said': not the group
                if m is not None and m.kind == "person" and m.entity is not None and not self._is_complement(m):
                    return m.entity, m.first
            named = self._person_opening_aside(aside)
            if named is not None:
                return named
            if self._demonym_before_who(aside):
                return PRONOUN, aside - 2  # 'The Czech, who had won all four meetings, went on to say': a person
            named = self._person_before_relative(j, first)
            if named is not None:
                return named
        before_comma = mentions.ending_at(j - 1) if t.text == "," else None
        if t.text == "," and (before_comma is None or before_comma.entity is None or self._is_complement(before_comma)):
            aside = self._aside_start(j, first)
            if aside is not None:
                m = mentions.ending_at(aside - 1)
                if m is not None and m.entity is not None and not self._is_complement(m):
                    return m.entity, m.first  # 'Raj Bishop, a chemist at Imperial College, said'
                if m is not None and m.kind == "role" and not self._is_complement(m):
                    return self.role(m.text), m.first
                if m is None and toks[aside - 1].is_word and toks[aside - 1].text[0].islower():
                    who, where = self.common_noun_subject(aside - 1, first)
                    if who is not None:
                        return who, where  # 'A Commission spokesperson, speaking on condition of anonymity, said'
        if t.text in ",;:":
            m = mentions.ending_at(j - 1)
            if m is not None and m.kind != "role" and m.entity is not None:
                if self._is_complement(m):
                    return ELIDED, None  # 'recogidas por Europa Press, ha señalado'
                return m.entity, m.first
            # 'Barrot, el ministro francés, dijo'
            r = mentions.role_phrase_back(j - 1)
            if r is not None:
                d = r[0] - 1
                while d > first and toks[d].folded in DETERMINERS | ROLE_MODIFIERS:
                    d -= 1
                if d >= first and toks[d].text == ",":
                    m = mentions.ending_at(d - 1)
                    if m is not None and m.entity is not None:
                        return m.entity, m.first
            return ELIDED, None
        m = mentions.ending_at(j)
        if m is not None and m.kind == "place" and m.first > first and toks[m.first - 1].text.islower() \
                and toks[m.first - 1].is_word and toks[m.first - 1].folded not in PREPOSITIONS:
            return self.common_noun_subject(j, first)  # 'Los vecinos de barrio Belgrano aseguran': the residents
        if m is not None:
            if m.kind == "role":
                if self._is_complement(m):
                    return None, None
                return (m.entity or self.role(m.text)), m.first
            if m.entity is not None:
                if self._is_complement(m) and m.first > 1 and toks[m.first - 1].folded in ("for", "of", "de", "del") \
                        and (toks[m.first - 2].folded in SOURCE_HEADS or toks[m.first - 2].folded in ROLE_HEADS):
                    head = m.first - 2  # 'A spokesman for West Yorkshire Police said': the role speaks
                    phrase = art.text[toks[head].start:toks[m.last].end]
                    return (self.mentions.resolve_role(phrase, toks[head].start) or self.role(phrase)), head
                if self._is_complement(m) and m.kind == "place" and m.first > 1 and toks[m.first - 1].folded in ("of", "from"):
                    named = mentions.ending_at(m.first - 2)
                    if named is not None and named.kind == "person" and named.entity is not None:
                        return named.entity, named.first  # 'Gov. Mark Young of Ohio said': the person, not the state
                if self._is_complement(m):
                    if toks[m.first - 1].folded in ("de", "del", "of") or toks[m.first - 1].folded in DETERMINERS:
                        return None, None  # 'la esposa de Sánchez dijo', 'por parte del BCE ha explicado'
                    return ELIDED, None  # a fronted setting: 'En diálogo con Radio Nacional dijo que'
                return m.entity, m.first
        if t.folded in PRONOUNS_PERSON:
            return PRONOUN, None
        age_at = age_noun_start(art.text, t.end) if art.language == "en" else None
        if age_at is not None and age_at >= toks[first].start:
            return PRONOUN, art.token_at(age_at)  # 'The 24-year-old said that …'
        unnamed_at = unnamed_age_noun_start(art.text, t.end) if art.language == "en" else None
        if unnamed_at is not None and unnamed_at >= toks[first].start:
            k0 = art.token_at(unnamed_at)  # 'A 12-year-old boy says he …': someone the article does not name
            words = art.text[unnamed_at:t.end].split()
            return self.role(" ".join(words[1:]) if words[0].lower() in ("a", "an") else " ".join(words)), k0
        if t.folded in ISSUER_PRONOUNS and art.language == "en" and (j == first or toks[j - 1].text in ",;:"):
            return ISSUER, j  # 'It said the recall would cost…': the organisation behind the statement
        if t.folded in ("y", "e", "and", "but", "pero"):
            # coordinated predicates share the subject: 'Page praised his side but admitted that…'
            if toks[first].text in _OPENING_PRONOUNS:
                return PRONOUN, None  # 'She praised Bishop … but said …': not the object named after the verb
            subject = self.mentions.sentence_subject(k)
            return (subject, None) if subject is not None else (ELIDED, None)
        if t.folded in CLAUSE_WORDS or not t.is_word:
            return ELIDED, None
        if t.is_word and (not is_capitalized(t.text) or t.folded in SOURCE_HEADS):
            return self.common_noun_subject(j, first)  # 'Officials said', 'the company said
        return (ELIDED, None) if art.is_sentence_initial(j) else (None, None)

    def _before_infinitive_carrier(self, k: int, first: int) -> int:
        """The token before a speech verb, past a verb that carries it in the infinitive: 'se limitó a
        decir', 'se negó a confirmar', 'acabó por reconocer' (the carrier's subject is the speaker)."""
        toks = self.art.tokens
        form = lookup(toks[k].folded)
        j = k - 1
        if form is None or form.form != "infinitive" or form.language != "es" or j - 1 < first \
                or toks[j].folded not in ("a", "de", "por"):
            return j
        carrier = j - 1
        if not (toks[carrier].is_word and toks[carrier].text.islower() and toks[carrier].folded.endswith(("o", "a"))) \
                or toks[carrier].folded in _REFUSING_CARRIERS:
            return j  # 'se negó a confirmar que…' asserts nothing
        j = carrier - 1
        while j >= first and toks[j].folded in ("se", "no", "le", "les"):
            j -= 1
        return j

    def _unnamed_opening_subject(self, first: int, k: int) -> tuple[Subject, int] | None:
        """A sentence that opens with an unnamed person ('Una médica de un centro de salud, que prefirió no
        identificarse, explicó…', 'Uno de los vecinos, un pastor de la zona, lamentó…', 'A nurse at the
        hospital, who…, told…'): that role speaks, not a person named in an earlier sentence. Only when
        nobody is named and no other speech verb comes between the phrase and the verb at `k`."""
        toks = self.art.tokens
        start = first
        if toks[start].text in "«“\"":
            return None
        if toks[start].folded in _ONE_OF and start + 1 < k and toks[start + 1].folded in ("de", "of"):
            comma = next((x for x in range(start + 2, min(k, start + _MAX_ASIDE_TOKENS)) if toks[x].text == ","), None)
            if comma is None:
                return None
            start = comma + 1  # the apposition names the role: ', un pastor de la zona,'
        if start < k and toks[start].text == "The" and self.art.language == "en":
            return self._described_by_relative(start, k)
        if start >= k or toks[start].folded not in _SINGULAR_INDEFINITE \
                or toks[start].folded == "a" and self.art.language != "en":
            return None  # Spanish 'a' is a preposition: 'A preguntas del periodista X, respondió'
        h = start + 1
        while h < k and toks[h].folded in ROLE_MODIFIERS:
            h += 1
        for noun_modifiers in (1, 2):  # 'A council spokesperson', 'a senior party official'
            if h + noun_modifiers < k and not self._unnamed_head(toks[h]) and self._unnamed_head(toks[h + noun_modifiers]) \
                    and all(toks[x].is_word and toks[x].text[0].islower() and toks[x].folded not in PREPOSITIONS
                            and toks[x].folded not in ("del", "al") for x in range(h, h + noun_modifiers)):
                h += noun_modifiers
                break
        if h >= k or not (toks[h].folded in ROLE_HEADS or toks[h].folded in SOURCE_HEADS or toks[h].folded in _UNNAMED_HEADS) \
                or not toks[h].text[0].islower():
            return None
        end = self.noun_phrase_end(h)
        if end >= k:
            end = k - 1
        while end > h and (toks[end].folded in DETERMINERS | INDEFINITE or toks[end].folded in ("de", "del", "of")):
            end -= 1  # 'una médica de un centro de salud de' cut at its length bound
        for gap in (2, 3):  # 'a spokesman for West Yorkshire Police', 'a nurse at the Derby hospital'
            if end + gap < k and toks[end + 1].folded in ("for", "at", "of", "de", "del", "en") \
                    and (gap == 2 or toks[end + 2].folded in DETERMINERS):
                m = self.mentions.starting_at(end + gap)
                if m is not None and m.kind in ("organization", "place") and m.last < k:
                    end = m.last
                    break
        relative = False  # inside 'que pidió no dar su nombre', 'who asked not to be named': not the main verb
        for x in range(end + 1, k):
            m = self.mentions.starting_at(x)
            if m is not None and m.kind == "person" and not self._is_complement(m):
                return None
            relative = toks[x].folded in ("que", "quien", "who") or relative and toks[x].text != ","
            if lookup(toks[x].folded) is not None and not relative:
                return None
        return self.role(self.art.text[toks[start + 1].start:toks[end].end]), start

    def _demonym_before_who(self, aside: int | None) -> bool:
        """'The Czech, who …' / 'the Spaniard, who …': a single capitalised word after 'the' that the article
        types as a firm or a place is a person when 'who' follows it; it stands for the person written about."""
        toks = self.art.tokens
        if aside is None or aside < 2 or aside + 1 >= len(toks) or toks[aside + 1].folded != "who":
            return False
        m = self.mentions.ending_at(aside - 1)
        return m is not None and m.first == m.last and m.kind in ("organization", "place") \
            and toks[m.first - 1].folded == "the"

    def _before_party_tag(self, comma: int) -> int:
        """'Pat Toomey, R-Pa., said': the comma before the party tag, so that the name is next to it."""
        toks = self.art.tokens
        if toks[comma].text != ",":
            return comma
        d = party_tag_start(toks, comma)
        return d if d is not None else comma

    def _person_opening_aside(self, aside: int | None) -> tuple[Subject, int] | None:
        """'The study's co-author, Peter Hill of the Max Planck Institute, added': a common-noun subject
        named in the aside that follows it; the name speaks."""
        if aside is None or aside < 1:
            return None
        toks = self.art.tokens
        m = self.mentions.starting_at(aside + 1)
        before = self.mentions.ending_at(aside - 1)
        if m is None or m.kind != "person" or m.entity is None or not toks[aside - 1].is_word:
            return None
        if before is not None and before.kind != "role" or toks[aside - 1].text[0].isupper():
            return None
        return m.entity, m.first

    def _described_by_relative(self, start: int, k: int) -> tuple[Subject, int] | None:
        """'The junior accountant who raised the alarm, …, said': a definite noun phrase defined by its own
        'who' clause is someone the article does not name ('The minister said' is left to the role rules)."""
        toks = self.art.tokens
        who = start + 1
        while who < k and who - start <= _MAX_NOUN_PHRASE_WORDS and toks[who].is_word and toks[who].text[0].islower() \
                and toks[who].folded != "who":
            who += 1
        if who >= k or who == start + 1 or toks[who].folded != "who":
            return None
        for x in range(who + 1, k):
            if lookup(toks[x].folded) is not None:
                return None  # a speech verb inside: not the verb at k that this subject goes with
            m = self.mentions.starting_at(x)
            if m is not None and m.kind == "person" and not self._is_complement(m):
                return None
        return self.role(self.art.text[toks[start + 1].start:toks[who - 1].end]), start

    @staticmethod
    def _unnamed_head(t) -> bool:
        return t.folded in ROLE_HEADS or t.folded in SOURCE_HEADS or t.folded in _UNNAMED_HEADS

    def _person_before_relative(self, comma: int, first: int) -> tuple[Subject, int] | None:
        """'Bravo, que lee "Open", la autobiografía de Andre Agassi, desveló': a person before a relative
        clause that holds commas of its own speaks; the names inside the clause do not."""
        toks = self.art.tokens
        d = comma - 1
        while d > first and comma - d <= _MAX_RELATIVE_TOKENS and toks[d].text not in ".;:«»“”":
            if toks[d].text == "," and toks[d + 1].folded in _RELATIVES:
                m = self.mentions.ending_at(self._before_party_tag(d) - 1)
                if m is not None and m.kind == "person" and m.entity is not None and not self._is_complement(m):
                    return m.entity, m.first
                return None
            d -= 1
        return None

    def _aside_start(self, comma: int, first: int) -> int | None:
        """The comma that opens an aside closed at `comma` ('X, que investigó el caso, calcula'; 'X, por su
        parte, asegura'; 'X, a chemist who …, said'): the opening comma's token, or None."""
        toks = self.art.tokens
        d = comma - 1
        while d > first and comma - d <= _MAX_ASIDE_TOKENS and toks[d].text != "," and toks[d].text not in ".;:«»\"“”":
            d -= 1
        if d <= first or toks[d].text != "," or comma - d < 2:
            return None
        return self._before_party_tag(d)

    def _is_complement(self, m: Mention) -> bool:
        """A mention after a preposition ('por Europa Press', 'del BCE', 'a Sánchez') is nobody's subject."""
        toks = self.art.tokens
        if m.first == 0 or self.art.is_sentence_initial(m.first):
            return False
        prev = toks[m.first - 1].folded
        if prev in DETERMINERS and m.first > 1 and toks[m.first - 2].folded in PREPOSITIONS:
            return True  # 'de la OTAN', 'by the council'
        if prev in ("de", "del") and m.first > 1 and toks[m.first - 2].folded in SOURCE_HEADS \
                and toks[m.first - 2].folded.endswith("s"):
            return False  # 'fuentes de Moncloa aseguran': the organisation speaks ('el responsable de …' does not)
        if m.kind == "role":
            return prev in PREPOSITIONS or prev in ("del", "al")
        return prev in PREPOSITIONS or prev in ("del", "al", "por", "by")

    def _believes(self, k: int) -> bool:
        """Whether the verb at or just after token k holds a belief ('creen', 'temen', 'think'): a group's
        belief is the article's summary, not a statement."""
        toks = self.art.tokens
        while k < len(toks) and toks[k].folded in _SKIP_BEFORE_VERB:
            k += 1
        form = lookup(toks[k].folded) if k < len(toks) else None
        return form is not None and form.lemma in _BELIEF_LEMMAS

    def _sources_of(self, j: int, first: int) -> tuple[Subject, int] | None:
        """'Fuentes del departamento consultadas por este diario', 'fuentes de la Consejería cercanas al
        caso': sources of an organisation, named without what follows the organisation."""
        toks = self.art.tokens
        f = j
        while f > first and j - f < _MAX_SOURCE_PHRASE and toks[f].is_word \
                and not (toks[f].folded in SOURCE_HEADS and toks[f].folded.endswith("s")):
            f -= 1
        if not (toks[f].folded in SOURCE_HEADS and toks[f].folded.endswith("s") and f < j
                and toks[f + 1].folded in ("de", "del")):
            return None
        end = f + 1
        while end < j and not _QUALIFIES_SOURCE.match(toks[end + 1].folded):
            end += 1
        if end == f + 1 or end < j and toks[end + 1].folded not in ("por", "a", "al") \
                and not _QUALIFIES_SOURCE.match(toks[end + 1].folded):
            return None
        if toks[f + 1].folded == "del" and toks[f + 2].text.islower() or toks[f + 2].folded in DETERMINERS \
                and f + 3 <= end and toks[f + 3].text.islower():
            # 'Fuentes del organismo indicaron': the organisation the article names
            owner = toks[f + 2].start if toks[f + 1].folded != "del" else toks[f + 1].start
            org = self.mentions.resolve_organization(self.art.text[owner:toks[end].end], owner)
            if org.name[:1].isupper():  # a named organisation, not the bare noun
                return org, f
        return self.mentions.named(self.art.text[toks[f].start:toks[end].end], "source"), f

    def common_noun_subject(self, j: int, first: int) -> tuple[Subject, int | None]:
        """A lower-case noun phrase before the verb: a source, an organisation, a role, or no speaker."""
        art, toks = self.art, self.art.tokens
        sources = self._sources_of(j, first)
        if sources is not None:
            return sources
        d = j
        while d > first and toks[d - 1].is_word and j - d < 7 and toks[d].folded not in DETERMINERS | INDEFINITE \
                and toks[d - 1].folded not in CLAUSE_WORDS:  # 'But police say': not 'But'
            d -= 1
        words = [x.folded for x in toks[d:j + 1]]
        body = words[1:] if words and words[0] in DETERMINERS | INDEFINITE else words
        if is_document_phrase(words) and not (d > first and toks[d - 1].folded in PREPOSITIONS):
            return issuer_named_after(art, self.mentions, j) or ISSUER, d  # 'the report said', 'the statement said'
        named = self.mentions.starting_at(d + 1) if words and words[0] in DETERMINERS and d < j else None
        if named is not None and named.kind == "organization" and named.entity is not None \
                and not (d > first and toks[d - 1].folded in PREPOSITIONS):
            return named.entity, d  # 'el Ejecutivo regional considera', 'la OTAN misma reconoce'
        if art.language == "en" and body and body[-1] in ORG_WORDS and words[0] in DETERMINERS \
                and not (d > first and toks[d - 1].folded in PREPOSITIONS):
            # English puts the head last: "the district attorney's office said" is an organisation
            return self.mentions.resolve_organization(art.text[toks[d].start:toks[j].end], toks[d].start), d
        head = next((w for w in body if w in SOURCE_HEADS or w in ROLE_HEADS or w[:-1] in ROLE_HEADS
                     or w.endswith("es") and w[:-2] in ROLE_HEADS),
                    next((w for w in body if w not in ROLE_MODIFIERS), ""))
        if art.language == "es" and body and _spanish_singular(body[0]) in ORG_WORDS:
            head = _spanish_singular(body[0])  # Spanish heads come first: 'la asociación de pequeños propietarios'
        elif art.language == "en" and body and head not in SOURCE_HEADS and head not in ROLE_HEADS \
                and _english_singular(body[-1]) in ORG_WORDS:
            head = _english_singular(body[-1])  # English heads come last: 'township police', 'authorities'
        phrase = art.text[toks[d + (len(words) - len(body))].start:toks[j].end]
        if head not in SOURCE_HEADS and head not in ROLE_HEADS and head[:-1] in ROLE_HEADS \
                and not (words and words[0] in DETERMINERS):
            return self.mentions.named(phrase, "source"), d  # 'two moderate senators said'
        phrase = art.text[toks[d + (len(words) - len(body))].start:toks[j].end]
        if d > first and toks[d - 1].folded in PREPOSITIONS:
            return None, None
        if head in SOURCE_HEADS and (not words or words[0] not in DETERMINERS):
            return self.mentions.named(phrase, "source"), d
        if head not in ROLE_HEADS and (head[:-1] in ROLE_HEADS or head.endswith("es") and head[:-2] in ROLE_HEADS) \
                and words and words[0] in ("los", "las", "the") and not self._believes(j + 1):
            return self.mentions.named(phrase, "source"), d  # 'los vecinos de la zona', 'the residents': a group
        if head in SOURCE_HEADS and words[0] in ("el", "la") and not head.endswith("s") \
                and head not in ANONYMOUS_SOURCES:
            # 'el responsable sindical': the one just named with a role ('la fuente' is nobody named)
            resolved = self.mentions.resolve_holder(phrase, toks[d].start)
            if resolved is not None:
                return resolved, d
        if head in ORG_WORDS:
            if words and words[0] in DETERMINERS:
                return self.mentions.resolve_organization(art.text[toks[d].start:toks[j].end], toks[d].start), d
            return self.mentions.named(phrase, "organization"), d
        if head in ROLE_HEADS or head in ("primer", "primera"):
            return (self.mentions.resolve_role(phrase, toks[d].start) or self.role(phrase)), d
        if head in SOURCE_HEADS:
            return self.mentions.named(phrase, "source"), d
        if art.language == "es" and words and words[0] in ("el", "la") and len(body) <= 2 and body \
                and _PERSON_NOUN.search(body[0]) and body[0] not in _NOT_PERSON_NOUNS:
            # 'el meteorólogo indicó', 'el bombero recordó': a job outside the lexicon, for the person just named
            resolved = self.mentions.resolve_role(phrase, toks[d].start)
            if resolved is not None:
                return resolved, d
        return None, None
