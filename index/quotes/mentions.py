"""Mentions of speakers in an article: capitalised names typed as person, place or organisation,
role phrases ('la portavoz del Gobierno'), and the entities they refer to."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Sequence

from simplemma import is_known

from index.people import fullest_name, name_keys, same_name
from index.quotes.article import Article
from index.speakers import (
    DETERMINERS, HONORIFICS, INDEFINITE, NAME_PARTICLES, NATION_WORDS, ORG_WORDS, ORGS, PLACES, PREPOSITIONS,
    SOURCE_HEADS, ROLE_HEADS, ROLE_MODIFIERS,
    Entity, is_capitalized, name_kind, nation_of, role_class,
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
_TITLE_WORDS = frozenset("prime defence defense foreign finance interior vice deputy state chief "
                         "general home".split())
_NOT_IN_ROLE = frozenset("le les se lo a al que y e pero si no ha han and but to that".split())
_AUXILIARIES = frozenset("ha han habia habian has have had was were is are will would ya also tambien".split())
# Prepositions in front of a single capitalised word that make it a place: 'en Missouri', 'from Ohio'.
_PLACE_PREPOSITIONS = frozenset("en desde hacia in from at near".split())
# Heads of a definite noun phrase that stands for whatever organisation the article is about.
GENERIC_ORGANIZATION_HEADS = frozenset(fold(w) for w in (
    "company firm group organization organisation agency empresa compañía firma grupo organismo entidad "
    "organización institución club equipo team retailer cadena operadora aseguradora".split()))
# Outlets credited for an interview ('told the BBC'): never the organisation a 'the company' stands for.
MEDIA_OUTLETS = frozenset(fold(w) for w in (
    "BBC", "CNN", "Reuters", "AFP", "EFE", "Europa Press", "Bloomberg", "Associated Press", "Sky News", "Fox News",
    "Cadena SER", "RTVE", "Radio Nacional", "TVE", "La Sexta", "Antena 3", "ITV", "NPR", "CBS", "NBC", "ABC"))
_ARTICLES_BEFORE_NAMES = frozenset("the el la los las".split())
_TITLE_ABBREVIATIONS = frozenset("prof dña dn don dona lic ing gen gral".split())
_MAX_TITLE_TOKENS = 9  # 'la climatóloga de la Universidad de Barcelona' before a name
MAX_ROLE_CANDIDATES = 40  # mentions looked back at to resolve a role: keeps a long article linear
_MULTIWORD_PARTICLES = (("de", "la"), ("de", "las"), ("de", "los"), ("van", "der"), ("van", "den"), ("de", "le"))


@dataclass
class Mention:
    """A stretch of tokens naming a speaker: tokens `first`..`last` inclusive."""

    first: int
    last: int
    text: str
    kind: str         # person | place | organization | role
    entity: Entity | None = None
    possessive: bool = False  # after 'de'/'of': someone's spokesman, not a subject


def _gender_stem(word: str) -> str:
    """'investigadora', 'investigador', 'investigadores' -> 'investigador'; 'técnica'/'técnico' -> 'tecnic'."""
    for ending in ("oras", "ores", "ora", "as", "os", "es", "a", "o"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: len(word) - len(ending)] + ("or" if ending.startswith("or") else "")
    return word


class Mentions:
    """Every mention in an article, its entities and the lookups the subject rules need."""

    def __init__(self, art: Article, known: Sequence[Person]):
        self.art = art
        self.known = known
        self.entities: list[Entity] = []
        self.items: list[Mention] = []
        self.titles: dict[int, str] = {}  # capitalised titles in front of a name: 'Defence Minister'
        self._find_names()
        self._build_entities()
        self._find_roles()
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

    def last_person_between(self, start: int, k: int) -> Entity | None:
        """The latest person named (as a subject, not after 'de'/'of') after character `start` and before
        token k, outside the statement being attributed."""
        i = bisect_left(self._person_starts, k) - 1
        while i >= 0:
            m = self._persons[i]
            if self.art.tokens[m.first].start < start:
                return None
            if not (m.first > 0 and self.art.tokens[m.first - 1].folded in PREPOSITIONS):
                return m.entity
            i -= 1
        return None

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
            if m.entity.kind == "person":
                return m.entity
            fallback = fallback or m.entity
        return fallback

    def _first_index_at(self, k: int) -> int:
        return bisect_left(self._mention_starts, k)

    @property
    def _mention_starts(self) -> list[int]:
        if not hasattr(self, "_starts_cache"):
            self._starts_cache = [m.first for m in self.items]
        return self._starts_cache

    def resolve_organization(self, phrase: str, pos: int) -> Entity:
        """'the company', 'el organismo', 'el club asturiano': the latest organisation named before `pos`
        whose name holds the head word, or for a generic head the latest organisation at all; else the
        phrase itself as an organisation."""
        words = re.findall(r"\w+", fold(phrase))
        head = next((w for w in words if w not in DETERMINERS), "")
        if not hasattr(self, "_org_mentions"):
            self._org_mentions = [m for m in self.items if m.kind == "organization" and m.entity is not None]
            self._org_positions = [self.art.tokens[m.first].start for m in self._org_mentions]
        i = bisect_left(self._org_positions, pos) - 1
        generic = head in GENERIC_ORGANIZATION_HEADS
        for m in reversed(self._org_mentions[max(0, i - MAX_ROLE_CANDIDATES + 1):i + 1]):
            name_words = re.findall(r"\w+", fold(m.entity.name))
            if head in name_words or generic and fold(m.entity.name) not in MEDIA_OUTLETS:
                return m.entity
        return self.named(" ".join(phrase.split()[1:]) if words and words[0] in DETERMINERS else phrase,
                          "organization")

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
            if not (t.is_word and is_capitalized(t.text)) or lookup(t.folded) is not None or t.folded in _NEVER_NAME:
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
            runs.append((k, j))
            k = j + 1
        runs = [part for a, j in runs for part in self._split_organization_prefix(a, j)]
        # Words of multi-word names: a lone 'Rubio' or 'León' that opens a sentence is that person.
        name_words = {toks[i].folded for a, b in runs if b > a
                      and name_kind(art.text[toks[a].start:toks[b].end]) == "person"
                      for i in range(a, b + 1) if toks[i].text[0].isupper() and toks[i].folded not in SENTENCE_OPENERS}
        for a, j in runs:
            whole = art.text[toks[a].start:toks[j].end]
            listed = fold(whole) in PLACES or fold(whole) in ORGS and (len(whole) > 3 or whole.isupper())
            if art.is_sentence_initial(a) and not listed \
                    and self._owes_capital_to_sentence(a, j, lowercase, name_words):
                a += 1
            while a <= j and not toks[a].text[0].isupper():
                a += 1  # a particle left in front after dropping the opener
            while a < j and (toks[a].folded in HONORIFICS or toks[a].folded in _TITLE_ABBREVIATIONS):
                a += 1  # 'Dr Michael Young', 'Prof. Ana Ruiz'
            while a < j and toks[a].text == ".":
                a += 1
            last_role = max((i for i in range(a, j - 1) if toks[i].folded in ROLE_HEADS), default=None)
            if last_role is not None and all(toks[i].text[0].isupper() for i in range(a, last_role + 1)):
                self.titles[last_role + 1] = art.text[toks[a].start:toks[last_role].end]
                a = last_role + 1  # 'House Speaker Andy Tobin': the title is not part of the name
            title_start = a
            while a < j and (toks[a].folded in ROLE_HEADS or toks[a].folded[:-1] in ROLE_HEADS or toks[a].folded in ROLE_MODIFIERS
                             or toks[a].folded in NATION_WORDS or toks[a].folded in _TITLE_WORDS):
                a += 1
            if a > title_start and a <= j:
                self.titles[a] = art.text[toks[title_start].start:toks[a - 1].end]
            if a > j:
                continue
            name = art.text[toks[a].start:toks[j].end]
            kind = name_kind(name, art.language)
            if kind == "place" and a == j and toks[a].folded in name_words:
                kind = "person"  # 'León' after 'Ana León' was named
            if kind == "person" and a == j and a > 0 and toks[a - 1].folded in _PLACE_PREPOSITIONS \
                    and toks[a].folded not in name_words:
                kind = "place"  # 'en Missouri', 'from Ohio'
            if kind == "person" and a == j and a > 0 and toks[a - 1].folded in _ARTICLES_BEFORE_NAMES:
                kind = "organization"  # 'the Sun', 'el Madrid': a person's name takes no article
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
        return [(a, j)]

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
            if k < len(toks) and lookup(toks[k].folded) is not None and lookup(toks[k].folded).form != "infinitive":
                return True
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
                matches = [p for p in matches if any(len(b.split()) > 1 and same_name(own[0], b)
                                                     for b in (p.name, *p.aliases))]
            if len(matches) == 1:
                p = matches[0]
                e.known_roles.extend(r for r in p.roles if r not in e.known_roles)
                if len(p.name.split()) >= len(e.name.split()):
                    e.name = p.name

    # ---- roles
    def role_phrase_back(self, end: int, limit: int = 9) -> tuple[int, str] | None:
        """A role phrase ending at token `end` that opens with a determiner: (first token, text)."""
        art, toks = self.art, self.art.tokens
        sentence_first = art.first_token_of_sentence(end)
        lo = max(sentence_first, end - limit)
        best = None
        for d in range(end, lo - 1, -1):
            t = toks[d]
            if not t.is_word:
                break
            if t.folded in DETERMINERS or d == sentence_first and t.folded not in ROLE_HEADS:
                h = d + 1
                while h <= end and toks[h].folded in ROLE_MODIFIERS:
                    h += 1
                found = h <= end and (toks[h].folded in ROLE_HEADS or toks[h].folded in ("primer", "primera")) and not any(
                    x.folded in _NOT_IN_ROLE or lookup(x.folded) is not None for x in toks[h + 1:end + 1])
                if found:
                    best = (h, art.text[toks[h].start:toks[end].end])
                if t.folded in ("del", "al") and not found:
                    continue  # inside a complement: 'la portavoz del Gobierno'
                if t.folded in DETERMINERS and not (d > 0 and toks[d - 1].folded in ("de", "of")):
                    break
            elif d == end and t.folded in ROLE_HEADS:
                best = (d, t.text)
        return best

    def _title_phrase_back(self, end: int) -> tuple[int, str] | None:
        """Any common-noun title ending at token `end` after a determiner: 'la climatóloga de la
        Universidad de Barcelona', 'el técnico' (the role lexicon does not list every job)."""
        toks = self.art.tokens
        first = self.art.first_token_of_sentence(end)
        d = end
        while d >= first and end - d < _MAX_TITLE_TOKENS and toks[d].is_word and lookup(toks[d].folded) is None \
                and toks[d].folded not in _NOT_IN_ROLE and toks[d].folded not in _AUXILIARIES:
            if toks[d].folded in ("el", "la", "the", "su", "his", "her") and d < end:
                head = toks[d + 1]
                if head.text[0].islower() and head.folded not in ROLE_MODIFIERS and len(head.folded) > 3:
                    return d + 1, self.art.text[head.start:toks[end].end]
                return None
            d -= 1
        return None

    def _find_roles(self) -> None:
        """Roles written next to a name: a title before it, an apposition before or after it."""
        art, toks = self.art, self.art.tokens
        for m in self.items:
            if m.kind != "person" or m.entity is None:
                continue
            roles = [self.titles[m.first]] if m.first in self.titles else []
            a = m.first
            # title before the name: 'el almirante holandés Rob Bauer'
            if a > 0 and toks[a - 1].folded not in PREPOSITIONS and toks[a - 1].is_word and (
                    not is_capitalized(toks[a - 1].text) or toks[a - 1].text.isupper()):
                r = self.role_phrase_back(a - 1) or self._title_phrase_back(a - 1)
                if r:
                    roles.append(r[1])
                    a = r[0] - 1 if r[0] > 0 else r[0]
                    while a > 0 and toks[a - 1].folded in DETERMINERS | INDEFINITE:
                        a -= 1
                    a = max(a, 0)
                    a = a if toks[a].folded in DETERMINERS | INDEFINITE else a + 1
            # apposition before: 'Su portavoz, Dmitri Peskov,' / 'the minister, Ana Ruiz,'
            if a > 1 and toks[a - 1].text == ",":
                r = self.role_phrase_back(a - 2) or self._title_phrase_back(a - 2)
                if r:
                    roles.append(r[1])
            # apposition after: 'Rob Bauer, presidente del comité militar,' / 'X, ministra de Vivienda,'
            b = m.last
            if b + 2 < len(toks) and toks[b + 1].text == ",":
                h = b + 2
                while h < len(toks) and (toks[h].folded in DETERMINERS or toks[h].folded in ROLE_MODIFIERS
                                         or toks[h].folded in INDEFINITE):
                    h += 1
                if h < len(toks) and toks[h].folded in ROLE_HEADS:
                    e = h
                    while e + 1 < len(toks) and toks[e + 1].is_word and e - h < 8 and lookup(toks[e + 1].folded) is None:
                        e += 1
                    if e + 1 < len(toks) and toks[e + 1].text in ",.;)":
                        roles.append(art.text[toks[h].start:toks[e].end])
            for r in roles:
                if r not in m.entity.roles:
                    m.entity.roles.append(r)

    def _find_role_mentions(self) -> None:
        """Free role mentions ('el portavoz de Putin', 'El presidente francés') as mentions of kind 'role'."""
        art, toks = self.art, self.art.tokens
        taken = {k for m in self.items for k in range(m.first, m.last + 1)}
        starts = {m.first: m for m in self.items}
        new: list[Mention] = []
        for d, t in enumerate(toks):
            if t.folded not in DETERMINERS or d + 1 >= len(toks):
                continue
            h = d + 1
            while h < len(toks) and toks[h].folded in ROLE_MODIFIERS:
                h += 1
            if h >= len(toks) or (toks[h].folded not in ROLE_HEADS and toks[h].folded not in ("primer", "primera")):
                continue
            e = h
            while e + 1 < len(toks) and toks[e + 1].is_word and e - h < 6 and lookup(toks[e + 1].folded) is None \
                    and toks[e + 1].folded not in ("que", "that", "y", "and", "e", "pero") \
                    and toks[e + 1].folded not in _AUXILIARIES \
                    and not (toks[e + 1].folded in PREPOSITIONS and toks[e + 1].folded not in ("de", "del", "of")):
                if (e + 1) in taken:
                    if toks[e].folded not in ("de", "del", "of"):
                        break
                    # 'el portavoz de Putin': the name is a complement of the role, not its holder
                    e = starts[e + 1].last if (e + 1) in starts else e + 1
                    break
                if is_capitalized(toks[e + 1].text) and toks[e].folded not in ("de", "del", "of", "la", "el", "the"):
                    break
                e += 1
            nxt = toks[e + 1] if e + 1 < len(toks) else None
            if nxt is not None and ((e + 1) in taken or (nxt.text == "," and e + 2 < len(toks) and (e + 2) in taken)):
                continue  # a title or apposition of a named person, handled with the name
            phrase = art.text[toks[h].start:toks[e].end]
            m = Mention(d, e, phrase, "role")
            m.possessive = d > 0 and toks[d - 1].folded in ("de", "of") or t.folded == "del"
            new.append(m)
        self.items.extend(new)
        self.items.sort(key=lambda m: m.first)
        self._index()
        for m in new:
            m.entity = self.resolve_role(m.text, toks[m.first].start)

    def _role_profiles(self) -> None:
        """Each person's role classes, countries and role words; their mentions by class and by country."""
        self._profiles: dict[int, tuple[set[str], set[str], set[str]]] = {}
        events: dict[str, list[tuple[int, int, Entity]]] = {}
        for e in self.entities:
            if e.kind != "person" or id(e) not in self._seen_at:
                continue
            classes, nations = e.classes(), e.nations()
            words = {w for r in e.all_roles() for w in re.findall(r"\w+", fold(r))}
            self._profiles[id(e)] = (classes, nations, words)
            for key in {f"class:{c}" for c in classes} | {f"nation:{n}" for n in nations}:
                events.setdefault(key, []).extend((pos, id(e), e) for pos in self._seen_at[id(e)])
        self._events = {key: sorted(v, key=lambda x: x[:2]) for key, v in events.items()}
        self._event_positions = {key: [x[0] for x in v] for key, v in self._events.items()}

    def _resolve_by_title_word(self, phrase: str, pos: int) -> Entity | None:
        """A role outside the lexicon ('el técnico', 'la investigadora') resolves to the person last
        named before `pos` with a title of the same word, either gender ('el investigador')."""
        words = [w for w in re.findall(r"\w+", fold(phrase)) if w not in DETERMINERS]
        if not words:
            return None
        stem = _gender_stem(words[0])
        best, best_pos = None, -1
        for e in self.entities:
            if e.kind != "person" or id(e) not in self._seen_at:
                continue
            if not any(_gender_stem(w) == stem for r in e.all_roles() for w in re.findall(r"\w+", fold(r))[:1]):
                continue
            seen = self._seen_at[id(e)]
            i = bisect_left(seen, pos) - 1
            if i >= 0 and seen[i] > best_pos:
                best, best_pos = e, seen[i]
        return best

    def _role_candidates(self, keys: list[str], pos: int) -> dict[int, Entity]:
        """Up to MAX_ROLE_CANDIDATES people of these classes or countries, latest named before `pos` first,
        else the first named after it: a role refers to someone the reader has met."""
        out: dict[int, Entity] = {}
        for key in keys:
            events, positions = self._events.get(key, []), self._event_positions.get(key, [])
            i = bisect_left(positions, pos) - 1
            seen = 0
            while i >= 0 and seen < MAX_ROLE_CANDIDATES:
                out.setdefault(id(events[i][2]), events[i][2])
                seen += 1
                i -= 1
        if not out:
            for key in keys:
                events, positions = self._events.get(key, []), self._event_positions.get(key, [])
                i = bisect_left(positions, pos)
                for x in events[i:i + MAX_ROLE_CANDIDATES]:
                    out.setdefault(id(x[2]), x[2])
        return out

    def resolve_role(self, phrase: str, pos: int) -> Entity | None:
        """The person the article names with this role: same role class, same country, latest seen before `pos`."""
        nat, cls = nation_of(phrase), role_class(phrase)
        if not hasattr(self, "_profiles"):
            self._role_profiles()
        if cls is None or cls == "other":
            by_word = self._resolve_by_title_word(phrase, pos)
            if by_word is not None or cls is None:
                return by_word
        heads = {w for w in re.findall(r"\w+", fold(phrase)) if w in ROLE_HEADS}
        related = {"head": ("head", "pm"), "pm": ("pm", "head"), "diplomat": ("diplomat", "minister"),
                   "minister": ("minister", "diplomat")}.get(cls, (cls,))
        keys = [f"class:{c}" for c in related] + ([f"nation:{nat}"] if nat else [])
        scored = []
        for ent in self._role_candidates(keys, pos).values():
            classes, nations, words = self._profiles[id(ent)]
            score = 0
            if nat:
                if nat in nations:
                    score += 2
                elif nations:
                    continue
            compatible = cls in classes or (cls == "head" and "pm" in classes) or (
                cls == "pm" and "head" in classes and nat) or (
                cls in ("diplomat", "minister") and classes & {"diplomat", "minister"})
            if cls == "other" and not heads & words:
                compatible = False  # 'other' gathers unrelated roles: the role word itself must match
            if compatible:
                score += 2
            if heads & words:
                score += 1
            if score < 2 or not compatible and not (nat and nat in nations):
                continue
            seen = self._seen_at[id(ent)]
            i = bisect_left(seen, pos) - 1
            scored.append((i >= 0, score, seen[i] if i >= 0 else -seen[0], ent))
        if not scored:
            return None
        # people named before the role come first, as a reader meets them; then the best fit, the latest
        return max(scored, key=lambda x: x[:3])[3]
