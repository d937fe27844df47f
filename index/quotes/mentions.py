"""Mentions of speakers in an article: capitalised names typed as person, place or organisation, the
entities they refer to, and the lookups the subject rules use (roles are in `roles`)."""
from __future__ import annotations

from bisect import bisect_left
from typing import Sequence

from simplemma import is_known

from index.people import fullest_name, name_keys, same_name
from index.quotes.article import Article, Mention
from index.given_names import is_given_name
from index.quotes.demonyms import person_of_origin
from index.quotes.english import is_party_tag
from index.quotes.interviews import askers
from index.quotes.roles import RoleResolver
from index.speakers import (
    DETERMINERS, HONORIFICS, NAME_PARTICLES, NATION_WORDS, ORG_WORDS, ORGS, PLACES, PREPOSITIONS, ROLE_HEADS,
    ROLE_MODIFIERS, SOURCE_HEADS, Entity, is_capitalized, name_kind,
)
from index.speech_verbs import lookup
from index.text import fold
from index.types import Person

# Closed-class words that take a capital only because they open a sentence: 'Según Olena Kovalenko',
# 'Ayer Sánchez', 'The Pentagon'. A sentence-initial run that starts with one of them drops it.
SENTENCE_OPENERS = frozenset(fold(w) for w in """
según segun para por durante tras ante bajo con contra desde en entre hacia hasta sin sobre a de del al
el la los las lo un una unos unas este esta estos estas ese esa eso aquel aquella su sus mi tu
y e o pero aunque mientras cuando si porque como donde pues sino ni que quien cual
ayer hoy anoche mañana ahora entonces luego después antes además también tampoco incluso asimismo
sin embargo así ya aún todavía nunca siempre finalmente mientras preguntado preguntada consultado
consultada interrogado interrogada
according for by with from in on at to of after before during since until as about against without
the a an this that these those his her its their our my your
and but or if when while although though because so yet nor
yesterday today tonight now then later also meanwhile however still earlier asked speaking
others many some both all few most several otros otras muchos muchas algunos algunas ambos todos varios
somebody someone nobody everyone everybody anyone alguien nadie todo nada
""".split())
# Closed-class words never read as a name anywhere.
_NEVER_NAME = frozenset("segun according cuando when el ella he she it they we este esta".split())
_TITLE_WORDS = frozenset("prime defence defense foreign finance interior vice deputy state chief pro tem pro-tem "
                         "general home".split())
# Prepositions in front of a single capitalised word that make it a place: 'en Missouri', 'from Ohio'.
_PLACE_PREPOSITIONS = frozenset("en desde hacia in from at near".split())
_ARTICLES_BEFORE_NAMES = frozenset("the el la los las".split())
# Common nouns for places: the name right after them is the place's ('barrio Belgrano', 'calle Rosales').
_PLACE_NOUNS = frozenset(fold(w) for w in "barrio colonia calle avenida plaza paseo localidad municipio comuna "
                         "provincia departamento pueblo parroquia vereda corregimiento distrito sector "
                         "street avenue road township village borough district neighborhood neighbourhood".split())
# Common nouns for outlets: the name after them is the outlet's ('la emisora Onda Poniente').
_MEDIA_NOUNS = frozenset(fold(w) for w in "emisora radio televisión canal cadena revista diario periódico "
                         "web portal agencia station channel magazine newspaper website".split())
_MAX_SUBJECT_LEAD = 6  # words looked at before a name for a verb that makes it an object
_TITLE_ABBREVIATIONS = frozenset("prof dña dn don dona lic ing gen gral".split())
_MULTIWORD_PARTICLES = (("de", "la"), ("de", "las"), ("de", "los"), ("van", "der"), ("van", "den"), ("de", "le"))


def _has_given_name(name: str) -> bool:
    """'Ana de la Torre' has a given name; 'de la Torre' and 'Torre' do not."""
    words = name.split()
    return len(words) > 1 and fold(words[0]) not in NAME_PARTICLES | {"la", "las", "los"}


_DEFINITE_ARTICLES = frozenset("el la los las the".split())
SOLE_PERSON_SENTENCES = 3  # an elided subject reaches this far back when only one person was named there


class Mentions(RoleResolver):
    """Every mention in an article, its entities and the lookups the subject rules need."""

    def __init__(self, art: Article, known: Sequence[Person]):
        self.art = art
        self.known = known
        self.entities: list[Entity] = []
        self.items: list[Mention] = []
        self.titles: dict[int, str] = {}  # capitalised titles in front of a name: 'Defence Minister'
        self._find_names()
        self._build_entities()
        self._executive_is_the_government()
        self._find_roles()
        self.askers = askers(art, [m for m in self.items if m.kind == "person"])
        self._find_role_mentions()
        self.items.sort(key=lambda m: m.first)
        self._index()

    # ---- lookups
    def _index(self) -> None:
        self._by_start: dict[int, Mention] = {}
        self._by_end: dict[int, Mention] = {}
        for m in self.items:
            self._by_start.setdefault(m.first, m)
            old = self._by_end.get(m.last)
            if old is None or m.first < old.first:
                self._by_end[m.last] = m
        self._persons = [m for m in self.items if m.entity is not None and m.entity.kind == "person"
                         and not m.possessive]
        self._person_starts = [m.first for m in self._persons]
        self._seen_at: dict[int, list[int]] = {}
        for m in self.items:
            if m.kind == "person" and m.entity is not None:
                self._seen_at.setdefault(id(m.entity), []).append(self.art.tokens[m.first].start)

    def starting_at(self, k: int) -> Mention | None:
        return self._by_start.get(k)

    def ending_at(self, k: int) -> Mention | None:
        """The longest mention ending at token k ('el portavoz del Kremlin' over 'Kremlin')."""
        return self._by_end.get(k)

    def last_person_before(self, k: int, max_sentences_back: int = 1) -> Entity | None:
        """The latest person named before token k, in its sentence or the `max_sentences_back` before."""
        sentence = self.art.token_sentence[k]
        i = bisect_left(self._person_starts, k) - 1
        if i >= 0 and self.art.token_sentence[self._persons[i].first] >= sentence - max_sentences_back:
            return self._persons[i].entity
        return None

    def person_of_origin(self, k: int, since: int | None = None) -> Entity | None:
        """The person a nationality noun at token k stands for ('El argentino aseguró…'), or None; `since`
        is the token the look-back counts from when a quote stands between ('"…," the Norwegian added')."""
        return person_of_origin(self.art, self._persons, self._person_starts, self.askers, k, since)

    def sole_person_before(self, k: int, max_sentences_back: int = SOLE_PERSON_SENTENCES) -> Entity | None:
        """The one person named in the `max_sentences_back` sentences before token k's (and in its own),
        when nobody else is: 'El alcalde, Luis Paz, visitó el mercado. Recorrió los puestos. Indicó que…'."""
        sentence = self.art.token_sentence[k]
        found: dict[int, Entity] = {}
        i = bisect_left(self._person_starts, k) - 1
        while i >= 0 and self.art.token_sentence[self._persons[i].first] >= sentence - max_sentences_back:
            entity = self._persons[i].entity
            if id(entity) not in self.askers:
                found[id(entity)] = entity
            i -= 1
        return next(iter(found.values())) if len(found) == 1 else None

    def organization_subject_before(self, k: int) -> Entity | None:
        """The organisation that opens the sentence before token k's, or its own, when no person is named
        after it: 'La Oficina del Presidente difundió un comunicado. En el texto, sostuvo que…'."""
        sentence = self.art.token_sentence[k]
        first = self.art.first_token_of_sentence(k)
        previous = self.art.first_token_of_sentence(first - 1) if first > 0 else first
        for m in reversed(self.items[:bisect_left(self._mention_starts, k)]):
            if self.art.token_sentence[m.first] < sentence - 1:
                return None
            if m.entity is None:
                continue
            if m.entity.kind == "person" and not m.possessive:
                return None
            if m.entity.kind == "organization":
                article = m.first > 0 and self.art.tokens[m.first - 1].folded in _DEFINITE_ARTICLES
                if (m.first - 1 if article else m.first) in (first, previous):
                    return m.entity
        return None

    def last_answerer_before(self, k: int, max_mentions: int = 40) -> Entity | None:
        """The latest person named before token k who is not an interviewer (see `interviews`)."""
        i = bisect_left(self._person_starts, k) - 1
        stop = max(-1, i - max_mentions)
        while i > stop:
            ent = self._persons[i].entity
            if id(ent) not in self.askers:
                return ent
            i -= 1
        return None

    def last_person_between(self, start: int, k: int) -> Entity | None:
        """The latest person named (as a subject, not after 'de'/'of') after character `start` and before
        token k, outside the statement being attributed."""
        i = bisect_left(self._person_starts, k) - 1
        while i >= 0:
            m = self._persons[i]
            if self.art.tokens[m.first].start < start:
                return None
            if not (m.first > 0 and self.art.tokens[m.first - 1].folded in PREPOSITIONS) \
                    and (self.art.language != "en" or self._opens_clause(m.first)):
                return m.entity
            i -= 1
        return None

    def _opens_clause(self, k: int) -> bool:
        """An English name at k is a subject unless a verb stands before it in its clause ('Councillor Wes
        Bell smiled', 'local lawyer Jeff Page', 'Asked about it, Price laughed'; not 'Long criticised Wes Bell')."""
        toks = self.art.tokens
        first = self.art.first_token_of_sentence(k)
        j = k - 1
        while j >= first and k - j <= _MAX_SUBJECT_LEAD:
            if toks[j].text == "," or toks[j].text in "«“\"":
                return True  # after a fronted setting or a quote
            if toks[j].is_word and not (lookup(toks[j].folded) is not None or toks[j].folded.endswith("ed")
                                        and toks[j].text[0].islower()):
                j -= 1
                continue
            return False  # 'Long criticised Wes Bell': a verb before the name makes it an object
        return True

    def sentence_subject(self, k: int) -> Entity | None:
        """The first non-prepositional name in the sentence before token k (subject of a gerund)."""
        first = self.art.first_token_of_sentence(k)
        toks = self.art.tokens
        fallback = None
        for m in self.items[self._first_index_at(first):]:
            if m.first >= k:
                break
            if m.entity is None or m.first > 0 and toks[m.first - 1].folded in PREPOSITIONS or (
                    m.first > 1 and toks[m.first - 1].folded in DETERMINERS and toks[m.first - 2].folded in PREPOSITIONS):
                continue  # 'The head of the Irish Fish Producers, Maureen Hill, …': not the organisation
            titled = self._person_after_team_role(m)
            if titled is not None:
                return titled  # 'Northbridge manager Graham Page praised …': the manager, not the club
            if m.entity.kind == "person":
                return m.entity
            fallback = fallback or m.entity
        return fallback

    def _person_after_team_role(self, m: Mention) -> Entity | None:
        """The person named right after a name and lower-case role words ('Northbridge manager Graham Page')."""
        toks = self.art.tokens
        j = m.last + 1
        while j < len(toks) and j - m.last <= 3 and toks[j].is_word and toks[j].text[0].islower() \
                and (toks[j].folded in ROLE_HEADS or toks[j].folded in ROLE_MODIFIERS):
            j += 1
        if j == m.last + 1:
            return None
        later = self.starting_at(j)
        return later.entity if later is not None and later.kind == "person" else None

    def _first_index_at(self, k: int) -> int:
        return bisect_left(self._mention_starts, k)

    @property
    def _mention_starts(self) -> list[int]:
        if not hasattr(self, "_starts_cache"):
            self._starts_cache = [m.first for m in self.items]
        return self._starts_cache
    def named(self, name: str, kind: str) -> Entity:
        """The entity of `kind` called `name`, created on first use."""
        key = (kind, fold(name))
        if not hasattr(self, "_named"):
            self._named: dict[tuple[str, str], Entity] = {(e.kind, fold(e.name)): e for e in self.entities
                                                           if e.kind != "person"}
        ent = self._named.get(key)
        if ent is None:
            ent = Entity(name, kind, {name})
            self.entities.append(ent)
            self._named[key] = ent
        return ent

    # ---- names
    def _lowercase_words(self) -> set[str]:
        return {t.folded for t in self.art.tokens if t.is_word and t.text[0].islower()}

    def _find_names(self) -> None:
        art, toks = self.art, self.art.tokens
        lowercase = self._lowercase_words()
        self._closed_quotes = [(q.start, q.end) for q in art.quotes.spans if q.opened and q.closed]
        self._closed_starts = [q[0] for q in self._closed_quotes]
        runs: list[tuple[int, int]] = []
        k = 0
        while k < len(toks):
            t = toks[k]
            if not (t.is_word and is_capitalized(t.text)) or lookup(t.folded) is not None or t.folded in _NEVER_NAME \
                    or is_party_tag(t):
                k += 1
                continue
            if t.folded in HONORIFICS and k + 1 < len(toks) and toks[k + 1].text == ".":
                k += 2
                continue
            j = k
            while j + 1 < len(toks):
                nx = toks[j + 1]
                if nx.is_word and is_capitalized(nx.text) and art.text[toks[j].end:toks[j + 1].start] in ("", " ") \
                        and lookup(nx.folded) is None:
                    j += 1
                elif (nx.folded == "of" and j + 2 < len(toks) and is_capitalized(toks[j + 2].text)
                      and any(toks[x].folded in ORG_WORDS for x in range(k, j + 1))):
                    j += 2  # 'Department of Foreign Affairs', 'University of Leeds'
                elif (nx.folded in NAME_PARTICLES and j + 2 < len(toks) and toks[j + 2].is_word
                      and is_capitalized(toks[j + 2].text) and nx.text.islower()):
                    j += 2
                elif (nx.text == "&" and j + 2 < len(toks) and toks[j + 2].is_word and is_capitalized(toks[j + 2].text)):
                    j += 2  # 'Harlow & Young': a firm
                elif (toks[j].folded in ("de", "del") and nx.folded in ("la", "las", "los") and nx.text.islower()
                      and j + 2 < len(toks) and toks[j + 2].is_word and is_capitalized(toks[j + 2].text)):
                    j += 2  # 'De la Torre', 'De los Santos'
                elif (j + 3 < len(toks) and (nx.folded, toks[j + 2].folded) in _MULTIWORD_PARTICLES
                      and nx.text.islower() and toks[j + 3].is_word and is_capitalized(toks[j + 3].text)):
                    j += 3
                else:
                    break
            if j > k and toks[j].folded in HONORIFICS and j + 1 < len(toks) and toks[j + 1].text == ".":
                k = j + 2  # 'Republican Gov. Jan Brewer', 'Arizona Gov. Doug Ducey': a title, not a name
                continue
            runs.append((k, j))
            k = j + 1
        runs = [part for a, j in runs for part in self._split_organization_prefix(a, j)]
        # Words of multi-word names: a lone 'Rubio' or 'León' that opens a sentence is that person.
        name_words = {toks[i].folded for a, b in runs if b > a
                      and name_kind(art.text[toks[a].start:toks[b].end]) == "person"
                      for i in range(a, b + 1) if toks[i].text[0].isupper() and toks[i].folded not in SENTENCE_OPENERS}
        for a, j in runs:
            whole = art.text[toks[a].start:toks[j].end]
            whole_kind = name_kind(whole, art.language)  # 'Home Office' keeps 'Home', 'Home Secretary X' does not
            listed = fold(whole) in PLACES or fold(whole) in ORGS and (len(whole) > 3 or whole.isupper())
            if art.is_sentence_initial(a) and not listed \
                    and self._owes_capital_to_sentence(a, j, lowercase, name_words):
                a += 1
            while a <= j and not toks[a].text[0].isupper():
                a += 1  # a particle left in front after dropping the opener
            while a < j and (toks[a].folded in HONORIFICS or toks[a].folded in _TITLE_ABBREVIATIONS
                             or toks[a].folded[-2:] in ("'s", "’s") and fold(toks[a].text[:-2]) in PLACES):
                a += 1  # 'Dr Michael Young', 'Prof. Ana Ruiz', "Spain's Carlos Alcaraz"
            while a < j and toks[a].text == ".":
                a += 1
            last_role = max((i for i in range(a, j - 1) if toks[i].folded in ROLE_HEADS), default=None)
            if last_role is not None and all(toks[i].text[0].isupper() for i in range(a, last_role + 1)):
                self.titles[last_role + 1] = art.text[toks[a].start:toks[last_role].end]
                a = last_role + 1  # 'House Speaker Andy Tobin': the title is not part of the name
            title_start = a
            while a < j and whole_kind != "organization" and (toks[a].folded in ROLE_HEADS or toks[a].folded[:-1] in ROLE_HEADS or toks[a].folded in ROLE_MODIFIERS
                             or toks[a].folded in NATION_WORDS or toks[a].folded in _TITLE_WORDS):
                a += 1
            if a > title_start and a <= j:
                self.titles[a] = art.text[toks[title_start].start:toks[a - 1].end]
            if a > j or a == j and a > title_start and toks[a].folded in _TITLE_WORDS:
                continue  # 'Bridgette Moore, Mayor Pro Tem, said': a title alone names nobody
            if a in self.titles and toks[a].text[:1].islower():
                del self.titles[a]
                continue  # 'Secretaría de la Cultura', 'Fiscal de la Nación': a title's complement, no name
            name = art.text[toks[a].start:toks[j].end]
            kind = name_kind(name, art.language)
            if kind == "place" and a == j and toks[a].folded in name_words:
                kind = "person"  # 'León' after 'Ana León' was named
            if kind == "person" and a == j and a > 0 and toks[a - 1].folded in _PLACE_PREPOSITIONS \
                    and toks[a].folded not in name_words:
                kind = "place"  # 'en Missouri', 'from Ohio'
            if kind == "person" and a < j and a > 0 and toks[a - 1].folded in _PLACE_PREPOSITIONS \
                    and any(toks[x].folded in ("de", "del") for x in range(a + 1, j)):
                kind = "place"  # 'hacia Arenas de San Pedro', 'en Villar de Olalla'
            if kind == "person" and a > 0 and toks[a - 1].folded in ("its", "their"):
                kind = "other"  # 'with its Curiosity Rover': a thing someone owns, not a person
            if kind == "person" and a > 0 and toks[a - 1].text.islower() and toks[a - 1].folded in _PLACE_NOUNS:
                kind = "place"  # 'en barrio Belgrano', 'on Mill Street' is a street, not a person
            if kind == "person" and a > 0 and toks[a - 1].folded in _ARTICLES_BEFORE_NAMES and a not in self.titles \
                    and toks[a - 1].text[0].isupper() == art.is_sentence_initial(a - 1):
                kind = "organization"  # 'the Sun', 'el Real Oviedo': a person's name takes no article
            if kind == "person" and a > 0 and any(
                    toks[x].text.islower() and (toks[x].folded in ORG_WORDS or toks[x].folded in _MEDIA_NOUNS)
                    and all(toks[y].is_word and toks[y].text.islower() and toks[y].folded not in ROLE_HEADS
                            for y in range(x + 1, a))
                    for x in range(max(0, a - 2), a)):
                # 'la cadena Costa Dorada', 'la emisora Onda Poniente', 'la firma sanlorencina Guerrero Motos'
                kind = "organization"
            if kind == "person" and a > 0 and toks[a - 1].folded in ("de", "del") and a > 1 \
                    and toks[a - 2].folded in SOURCE_HEADS:
                kind = "organization"  # 'fuentes de Moncloa'
            if kind == "other" or self._inside_quote(toks[a].start):
                continue  # a name inside quotation marks is quoted or a title, not a speaker
            genitive = name.endswith(("'s", "’s"))
            if genitive:
                name = name[:-2]  # "Doug Ducey's office": the person is Doug Ducey, and not the subject
            m = Mention(a, j, name, kind)
            m.possessive = genitive or a > 0 and toks[a - 1].folded in ("de", "del", "of")
            self.items.append(m)

    def _executive_is_the_government(self) -> None:
        """'el Ejecutivo' stands for the government the article last named ('Gobierno de España')."""
        government = None
        for m in sorted(self.items, key=lambda m: m.first):
            if m.kind != "organization" or m.entity is None:
                continue
            words = fold(m.text).split()
            if "gobierno" in words and len(words) > 1:
                government = m.entity
            elif words == ["ejecutivo"] and government is not None:
                m.entity = government

    def _split_organization_prefix(self, a: int, j: int) -> list[tuple[int, int]]:
        """'Universidad de Granada Ernesto Paz' is an organisation and a person: split after
        'organisation word + de + one capitalised word' when two or more capitalised words follow."""
        toks = self.art.tokens
        for i in range(a, j - 3):
            if toks[i].folded in ORG_WORDS and toks[i + 1].folded in ("de", "del") \
                    and toks[i + 2].text[0].isupper() and j - (i + 3) >= 1 \
                    and all(toks[x].text[0].isupper() for x in range(i + 3, j + 1)) \
                    and name_kind(self.art.text[toks[i + 3].start:toks[j].end]) == "person":
                return [(a, i + 2), (i + 3, j)]
        if self._complement_of_role_or_organization(a):
            # 'director del Hospital Maciel Aníbal Dutra', 'fiscal de Flagrancia Andrea Vega': the name starts
            # at a given name that has a surname after it
            for g in range(a + 1, j):
                if is_given_name(toks[g].text) and toks[g - 1].folded not in NAME_PARTICLES:
                    return [(a, g - 1), (g, j)]
        return [(a, j)]

    def _complement_of_role_or_organization(self, a: int) -> bool:
        """Whether the run at token a opens with an organisation word or follows 'role de (la)'."""
        toks = self.art.tokens
        if toks[a].folded in ORG_WORDS:
            return True
        d = a - 1
        if d >= 0 and toks[d].folded in ("la", "el", "los", "las"):
            d -= 1
        return d >= 1 and toks[d].folded in ("de", "del") and toks[d - 1].folded in ROLE_HEADS

    def _inside_quote(self, pos: int) -> bool:
        spans = self._closed_quotes
        i = bisect_left(self._closed_starts, pos + 1) - 1
        return i >= 0 and spans[i][0] < pos < spans[i][1]

    def _owes_capital_to_sentence(self, a: int, j: int, lowercase: set[str], name_words: set[str]) -> bool:
        """Whether the first word of a sentence-initial capitalised run is an ordinary word, not a name."""
        toks = self.art.tokens
        word = toks[a].folded
        if word in SENTENCE_OPENERS:
            return not (word == "de" and j > a)  # 'De la Torre' is a surname
        if word in SOURCE_HEADS and j > a and toks[a + 1].folded in ("de", "del"):
            return True  # 'Fuentes de Moncloa': the sources of an organisation
        if j > a:
            # 'Pedro Sánchez dijo' is a name; 'Teenager Young said' opens with a word the article writes in lower case
            return word in lowercase and toks[a + 1].folded in name_words
        if word in name_words:
            return False
        if j == a and self._speaks_next(j) and word not in SOURCE_HEADS and word not in ROLE_HEADS:
            return False  # 'Price said that…': a bare capitalised subject of a speech verb is a name
        if word in lowercase:
            return True  # 'Rubio afirmó que…': a bare capitalised subject of a speech verb is a name
        return is_known(word, lang=self.art.language) or is_known(toks[a].text.lower(), lang=self.art.language)

    def _speaks_next(self, j: int) -> bool:
        """Whether a speech verb (after an auxiliary at most) follows token j."""
        toks = self.art.tokens
        for k in (j + 1, j + 2):
            form = lookup(toks[k].folded) if k < len(toks) else None
            if form is not None and (form.form != "infinitive" or form.language == "en" and k == j + 1):
                return True  # an English base form right after its subject is a present ('Police say')
            if k < len(toks) and toks[k].folded not in ("ha", "han", "has", "had", "have", "also", "tambien", "ya"):
                return False
        return False

    def _build_entities(self) -> None:
        persons = sorted((m for m in self.items if m.kind == "person"), key=lambda m: (-len(m.text.split()), m.first))
        by_text: dict[str, Entity] = {}
        by_key: dict[str, list[Entity]] = {}
        full_at: dict[int, list[int]] = {}  # entity -> first tokens of its multi-word mentions
        for m in persons:
            ent = by_text.get(fold(m.text))
            if len(m.text.split()) == 1:
                # a surname alone is the person last named in full before it ('Ellie Young … Young said')
                fits = {id(e): e for key in name_keys(m.text) for e in by_key.get(key, ())
                        if any(same_name(m.text, al) for al in e.aliases)}
                if len(fits) > 1:
                    ent = max(fits.values(), key=lambda e: max((p for p in full_at.get(id(e), ()) if p < m.first),
                                                               default=-1 - min(full_at.get(id(e), [0]))))
            if ent is None:
                keys = name_keys(m.text)
                ent = next((e for key in keys for e in by_key.get(key, ())
                            if any(same_name(m.text, al) for al in e.aliases)), None)
                if ent is None and len(m.text.split()) == 1 and is_given_name(m.text):
                    # 'aseguró Aníbal' after 'Aníbal Dutra': a given name alone, when one person has it
                    owners = {id(e): e for e in by_text.values() if len(e.name.split()) > 1
                              and fold(e.name.split()[0]) == fold(m.text)}
                    ent = next(iter(owners.values())) if len(owners) == 1 else None
                if ent is None:
                    ent = Entity(m.text, "person", {m.text})
                    self.entities.append(ent)
                for key in keys:
                    if ent not in by_key.setdefault(key, []):
                        by_key[key].append(ent)
                by_text[fold(m.text)] = ent
            ent.aliases.add(m.text)
            m.entity = ent
            if len(m.text.split()) > 1:
                full_at.setdefault(id(ent), []).append(m.first)
        for m in self.items:
            if m.kind in ("place", "organization"):
                m.entity = self.named(m.text, m.kind)
        known_by_key: dict[str, list[Person]] = {}
        for p in self.known:
            if p.kind == "person":
                for n in {k for x in (p.name, *p.aliases) for k in name_keys(x)}:
                    known_by_key.setdefault(n, []).append(p)
        for e in self.entities:
            if e.kind != "person":
                continue
            e.name = fullest_name({a: 1 for a in e.aliases})
            # an article that gives the full name is matched by it; a surname alone must match one person only
            own = [e.name] if len(e.name.split()) > 1 else sorted(e.aliases)
            candidates = {id(p): p for a in own for k in name_keys(a) for p in known_by_key.get(k, ())}
            matches = [p for p in candidates.values()
                       if any(same_name(a, b) for a in own for b in (p.name, *p.aliases))]
            if len(own) == 1 and len(own[0].split()) > 1:
                # 'de la Torre' is a surname alone: Ana de la Torre is not the Manuel de la Torre of another article
                matches = [p for p in matches if any(_has_given_name(b) and same_name(own[0], b)
                                                     for b in (p.name, *p.aliases))]
            if len(matches) == 1:
                p = matches[0]
                e.known_roles.extend(r for r in p.roles if r not in e.known_roles)
                if len(p.name.split()) >= len(e.name.split()):
                    e.name = p.name

    # ---- roles
