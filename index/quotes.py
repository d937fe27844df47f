"""Statements in an article: direct and reported speech with exact offsets and a resolved speaker.

The interface is `extract_quotes(doc, known=()) -> ArticleQuotes`; the rules behind it (quote marks,
speech cues, subjects, roles, pronouns) can be replaced by a trained model without touching callers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from simplemma import is_known

from index.people import fullest_name, same_name
from index.speakers import (
    NATION_WORDS, DETERMINERS, HONORIFICS, INDEFINITE, NAME_PARTICLES, ORG_WORDS, PLACES, ORGS, PREPOSITIONS,
    PRONOUNS_PERSON, ROLE_HEADS, ROLE_MODIFIERS, SOURCE_HEADS, Entity, is_capitalized, name_kind,
    nation_of, role_class,
)
from index.speech_verbs import CHARACTERIZE, EN_AUX, ES_AUX, QUOTE_ONLY, RESPONSE_LEMMAS, SAY, lookup
from index.text import detect_language, fold
from index.types import Document, Person, Quote


@dataclass(frozen=True)
class ArticleQuotes:
    quotes: tuple[Quote, ...]      # in text order, ids f"{doc.id}#q{n}"
    people: tuple[Person, ...]     # everyone quoted in the article, with the names and roles used for them
    mentioned: tuple[Person, ...] = ()  # people named with a role but not quoted: background for other articles


# ---------------------------------------------------------------- tokens, quote marks, sentences

@dataclass(frozen=True)
class Tok:
    i: int
    start: int
    end: int
    text: str
    f: str

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()


_TOKEN = re.compile(r"\w+(?:[-’']\w+)*|\S")


def tokenize(text: str) -> list[Tok]:
    return [Tok(n, m.start(), m.end(), m.group(), fold(m.group())) for n, m in enumerate(_TOKEN.finditer(text))]


@dataclass(frozen=True)
class QSpan:
    """A quoted stretch including its marks; `opened` is False for a lone closing mark."""

    start: int
    end: int
    opened: bool = True
    closed: bool = True

    def words(self, text: str) -> int:
        return len(re.findall(r"\w+", text[self.start:self.end]))


_FAMILY = {"«": "g", "»": "g", "“": "c", "”": "c", "„": "c", '"': "s", "'": "a", "‘": "a", "’": "a"}
_OPEN_CONTEXT = set(" \t\n([{—–-:")


def pair_marks(text: str) -> list[QSpan]:
    """Pair quote marks, tolerating « used as a closer, missing marks and quotes across paragraphs."""
    spans: list[QSpan] = []
    open_at, fam = -1, ""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n" and open_at >= 0:
            j = i
            while j < n and text[j].isspace():
                j += 1
            if j < n and _FAMILY.get(text[j]) == fam and text[j] not in "”’":
                i = j + 1  # the next paragraph reopens the same quote: it runs on
                continue
            end = i
            while end > open_at and text[end - 1].isspace():
                end -= 1
            if fam != "a":  # a lone ' at a paragraph end is more often an apostrophe
                spans.append(QSpan(open_at, end, True, False))
            open_at, fam = -1, ""
            i += 1
            continue
        f = _FAMILY.get(c)
        if f is None:
            i += 1
            continue
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if f == "a" and prev.isalnum() and nxt.isalnum():
            i += 1  # an apostrophe inside a word
            continue
        if open_at >= 0:
            if f == fam:
                looks_open = c in "«“„‘" or (c in "\"'" and prev in _OPEN_CONTEXT and nxt.isalnum())
                if not looks_open or not (nxt.isalnum() or nxt in "¿¡"):
                    spans.append(QSpan(open_at, i + 1))
                    open_at, fam = -1, ""
            i += 1
            continue
        closer_shape = (prev.isalnum() or prev in ".,;!?…)") and not (nxt.isalnum() or nxt in "¿¡")
        if c in "»”’" or (c in "\"'" and closer_shape):
            spans.append(QSpan(i, i + 1, opened=False))
        elif c in "«“„‘" or prev in _OPEN_CONTEXT or prev in "«“\"'¿¡." or i == 0:
            open_at, fam = i, f
        i += 1
    if open_at >= 0 and fam != "a":
        end = n
        while end > open_at and text[end - 1].isspace():
            end -= 1
        spans.append(QSpan(open_at, end, True, False))
    return spans


_ABBREV = frozenset("sr sra srta dr dra mr mrs ms st gen ee uu etc p ej no vs jr sen gob".split())
_BOUNDARY = re.compile(r"[.!?…]+[»”\"'’]*(?=\s+[-–—]?[\"'«“¿¡(]?[A-ZÁÉÍÓÚÑ0-9])|\n+")


def split_sentences(text: str, quotes: Sequence[QSpan]) -> list[tuple[int, int]]:
    """Sentence spans; a sentence never ends inside a properly opened quote."""
    inside = [(q.start, q.end) for q in quotes if q.opened]
    cuts = [0]
    for m in _BOUNDARY.finditer(text):
        b = m.end()
        if any(s < m.start() < e - 1 for s, e in inside):
            continue
        if m.group()[0] == ".":
            word = re.search(r"(\w+)$", text[:m.start()])
            if word and (fold(word.group(1)) in _ABBREV or (len(word.group(1)) == 1 and word.group(1).isupper())):
                continue
        cuts.append(b)
    cuts.append(len(text))
    out = []
    for s, e in zip(cuts, cuts[1:]):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


# ---------------------------------------------------------------- mentions

@dataclass
class Mention:
    a: int            # first token index
    b: int            # last token index (inclusive)
    text: str
    kind: str         # person | place | organization | other | role
    entity: Entity | None = None
    possessive: bool = False  # after 'de'/'of': someone's spokesman, not a subject


_SKIP_BEFORE_VERB = frozenset(
    "le les lo la se me nos ya tambien todavia no nunca solo hoy ayer entonces luego ademas incluso "
    "finalmente recientemente despues antes asimismo tambien igualmente mas tarde also already later "
    "then recently previously again once has have had ha han habia habian".split())
_NEVER_NAME = frozenset("segun according cuando when el ella he she it they we este esta".split())
_TITLE_WORDS = frozenset("prime defence defense foreign finance interior vice deputy state chief "
                         "general foreign home".split())
_NOT_IN_ROLE = frozenset("le les se lo a al que y e pero si no ha han and but to that".split())
_CLAUSE_WORDS = frozenset("y e pero mientras que aunque sino ni o and but while although or".split())
_NOT_COMPLEMENTIZER = frozenset("tiempo vez ya mientras lo para hasta antes despues pesar sin asi "
                                "medida siempre cada modo manera so such".split())
_CONNECTOR_TAIL = re.compile(r"(?:[\s,;]+|\b(?:y|e|pero|mientras(?: que)?|al tiempo que|aunque|and|but|while)\b)+$",
                             re.IGNORECASE)


@dataclass
class Statement:
    start: int
    end: int
    direct: bool
    cue: str
    cue_tok: int
    left: int                    # where the statement's own words (subject, cue) begin in the text
    speaker: Entity | None = None
    reported: bool = False


class _Article:
    def __init__(self, doc: Document, known: Sequence[Person]):
        self.doc = doc
        self.text = doc.text
        self.language = detect_language(doc.text[:2000])
        self.toks = tokenize(self.text)
        self.qspans = pair_marks(self.text)
        self.sents = split_sentences(self.text, self.qspans)
        self.known = known
        self.tok_sent = self._index_sentences()
        self.entities: list[Entity] = []
        self.mentions: list[Mention] = []
        self._titles: dict[int, str] = {}  # capitalised titles in front of a name: 'Defence Minister'
        self.subject_start: int | None = None
        self._find_names()
        self._find_roles()
        self._find_role_mentions()
        self.mentions.sort(key=lambda m: m.a)

    # ---- structure
    def _index_sentences(self) -> list[int]:
        out, s = [], 0
        for t in self.toks:
            while s < len(self.sents) - 1 and t.start >= self.sents[s][1]:
                s += 1
            out.append(s)
        return out

    def sentence_first_tok(self, k: int) -> int:
        s = self.tok_sent[k]
        j = k
        while j > 0 and self.tok_sent[j - 1] == s:
            j -= 1
        return j

    def paragraph(self, pos: int) -> int:
        return self.text.count("\n\n", 0, pos) + self.text.count("\n", 0, pos)

    # ---- names
    def _sentence_initial(self, k: int) -> bool:
        if k == 0 or self.tok_sent[k - 1] != self.tok_sent[k]:
            return True
        prev = self.toks[k - 1]
        if prev.text in "«“\"'‘¿¡(":
            return prev.end == self.toks[k].start  # an opening mark, not a closing one
        return prev.text in ":-—–.…"

    def _find_names(self) -> None:
        toks, k = self.toks, 0
        while k < len(toks):
            t = toks[k]
            if not (t.is_word and is_capitalized(t.text)) or lookup(t.f) is not None or t.f in _NEVER_NAME:
                k += 1
                continue
            if t.f in HONORIFICS and k + 1 < len(toks) and toks[k + 1].text == ".":
                k += 2
                continue
            j = k
            while j + 1 < len(toks):
                nx = toks[j + 1]
                if nx.is_word and is_capitalized(nx.text) and toks[j + 1].start - toks[j].end <= 1:
                    j += 1
                elif (nx.f in NAME_PARTICLES and j + 2 < len(toks) and toks[j + 2].is_word
                      and is_capitalized(toks[j + 2].text) and nx.text.islower()):
                    j += 2
                else:
                    break
            a = k
            whole = fold(self.text[toks[a].start:toks[j].end])
            if self._sentence_initial(a) and whole not in PLACES and whole not in ORGS:
                # only the first word owes its capital to the sentence: 'Según Olena Kovalenko'
                if (is_known(toks[a].f, lang=self.language) or is_known(toks[a].text.lower(), lang=self.language)
                        or toks[a].f in DETERMINERS or toks[a].f in _NEVER_NAME):
                    a += 1
            title_start = a
            while a < j and (toks[a].f in ROLE_HEADS or toks[a].f in ROLE_MODIFIERS or toks[a].f in NATION_WORDS
                             or toks[a].f in _TITLE_WORDS):
                a += 1
            if a > title_start and a <= j:
                self._titles[a] = self.text[toks[title_start].start:toks[a - 1].end]
            if a <= j:
                name = self.text[toks[a].start:toks[j].end]
                kind = name_kind(name, self.language)
                if kind != "other":
                    m = Mention(a, j, name, kind)
                    m.possessive = a > 0 and toks[a - 1].f in ("de", "del", "of")
                    self.mentions.append(m)
            k = j + 1
        self._build_entities()

    def _build_entities(self) -> None:
        persons = sorted((m for m in self.mentions if m.kind == "person"), key=lambda m: -len(m.text.split()))
        for m in persons:
            ent = next((e for e in self.entities if e.kind == "person" and any(
                same_name(m.text, al) for al in e.aliases)), None)
            if ent is None:
                ent = Entity(m.text, "person", {m.text})
                self.entities.append(ent)
            ent.aliases.add(m.text)
            m.entity = ent
        for m in self.mentions:
            if m.kind in ("place", "organization"):
                ent = next((e for e in self.entities if e.kind == m.kind and fold(e.name) == fold(m.text)), None)
                if ent is None:
                    ent = Entity(m.text, m.kind, {m.text})
                    self.entities.append(ent)
                m.entity = ent
        for e in self.entities:
            if e.kind != "person":
                continue
            e.name = fullest_name({a: 1 for a in e.aliases})
            for p in self.known:
                if p.kind == "person" and any(same_name(a, b) for a in e.aliases for b in (p.name, *p.aliases)):
                    e.known_roles.extend(r for r in p.roles if r not in e.known_roles)
                    if len(p.name.split()) >= len(e.name.split()):
                        e.name = p.name
                    break

    # ---- roles
    def _role_phrase_back(self, end: int, limit: int = 9) -> tuple[int, str] | None:
        """A role phrase ending at token `end` that opens with a determiner: (first token, text)."""
        toks = self.toks
        lo = max(self.sentence_first_tok(end), end - limit)
        best = None
        for d in range(end, lo - 1, -1):
            t = toks[d]
            if not t.is_word:
                break
            if t.f in DETERMINERS or d == self.sentence_first_tok(end) and t.f not in ROLE_HEADS:
                h = d + 1
                while h <= end and toks[h].f in ROLE_MODIFIERS:
                    h += 1
                if h <= end and (toks[h].f in ROLE_HEADS or toks[h].f in ("primer", "primera")) and not any(
                        x.f in _NOT_IN_ROLE or lookup(x.f) is not None for x in toks[h + 1:end + 1]):
                    best = (h, self.text[toks[h].start:toks[end].end])
                if t.f in DETERMINERS and not (d > 0 and toks[d - 1].f in ("de", "of")):
                    break
            elif d == end and t.f in ROLE_HEADS:
                best = (d, t.text)
        return best

    def _find_roles(self) -> None:
        toks = self.toks
        for m in self.mentions:
            if m.kind != "person" or m.entity is None:
                continue
            roles = [self._titles[m.a]] if m.a in self._titles else []
            a = m.a
            # title before the name: 'el almirante holandés Rob Bauer'
            if a > 0 and toks[a - 1].f not in PREPOSITIONS and toks[a - 1].is_word and (
                    not is_capitalized(toks[a - 1].text) or toks[a - 1].text.isupper()):
                r = self._role_phrase_back(a - 1)
                if r:
                    roles.append(r[1])
                    a = r[0] - 1 if r[0] > 0 else r[0]
                    while a > 0 and toks[a - 1].f in DETERMINERS | INDEFINITE:
                        a -= 1
                    a = max(a, 0)
                    if toks[a].f in DETERMINERS | INDEFINITE:
                        pass
                    a = a if toks[a].f in DETERMINERS | INDEFINITE else a + 1
            # apposition before: 'Su portavoz, Dmitri Peskov,'
            if a > 1 and toks[a - 1].text == ",":
                r = self._role_phrase_back(a - 2)
                if r:
                    roles.append(r[1])
            # apposition after: 'Rob Bauer, presidente del comité militar,'
            b = m.b
            if b + 2 < len(toks) and toks[b + 1].text == ",":
                h = b + 2
                while h < len(toks) and (toks[h].f in DETERMINERS or toks[h].f in ROLE_MODIFIERS):
                    h += 1
                if h < len(toks) and toks[h].f in ROLE_HEADS:
                    e = h
                    while e + 1 < len(toks) and toks[e + 1].is_word and e - h < 8 and lookup(toks[e + 1].f) is None:
                        e += 1
                    if e + 1 < len(toks) and toks[e + 1].text == ",":
                        roles.append(self.text[toks[h].start:toks[e].end])
            for r in roles:
                if r not in m.entity.roles:
                    m.entity.roles.append(r)

    def _find_role_mentions(self) -> None:
        """Free role mentions ('el portavoz de Putin', 'El presidente francés') as person mentions."""
        toks = self.toks
        taken = {k for m in self.mentions for k in range(m.a, m.b + 1)}
        for d, t in enumerate(toks):
            if t.f not in DETERMINERS or d + 1 >= len(toks):
                continue
            h = d + 1
            while h < len(toks) and toks[h].f in ROLE_MODIFIERS:
                h += 1
            if h >= len(toks) or (toks[h].f not in ROLE_HEADS and toks[h].f not in ("primer", "primera")):
                continue
            e = h
            while e + 1 < len(toks) and toks[e + 1].is_word and e - h < 6 and lookup(toks[e + 1].f) is None \
                    and toks[e + 1].f not in ("que", "that", "y", "and", "e", "pero") \
                    and not (toks[e + 1].f in PREPOSITIONS and toks[e + 1].f not in ("de", "del", "of")):
                if (e + 1) in taken:
                    if toks[e].f not in ("de", "del", "of"):
                        break
                    # 'el portavoz de Putin': the name is a complement of the role, not its holder
                    e = next(m.b for m in self.mentions if m.a <= e + 1 <= m.b)
                    break
                if is_capitalized(toks[e + 1].text) and toks[e].f not in ("de", "del", "of", "la", "el", "the"):
                    break
                e += 1
            nxt = toks[e + 1] if e + 1 < len(toks) else None
            if nxt is not None and ((e + 1) in taken or (nxt.text == "," and e + 2 < len(toks) and (e + 2) in taken)):
                continue  # a title or apposition of a named person, handled with the name
            phrase = self.text[toks[h].start:toks[e].end]
            m = Mention(d, e, phrase, "role")
            m.possessive = d > 0 and toks[d - 1].f in ("de", "of") or t.f == "del"
            m.entity = self.resolve_role(phrase, t.start)
            self.mentions.append(m)

    def resolve_role(self, phrase: str, pos: int) -> Entity | None:
        nat, cls = nation_of(phrase), role_class(phrase)
        if cls is None:
            return None
        heads = {w for w in re.findall(r"\w+", fold(phrase)) if w in ROLE_HEADS}
        before = [m for m in self.mentions if m.kind == "person" and m.entity and self.toks[m.a].start < pos]
        pool = before or [m for m in self.mentions if m.kind == "person" and m.entity]
        last_seen: dict[int, int] = {}
        for m in pool:
            last_seen[id(m.entity)] = max(last_seen.get(id(m.entity), -1), self.toks[m.a].start)
        best, best_key = None, None
        for ent in {id(m.entity): m.entity for m in pool}.values():
            classes, nations = ent.classes(), ent.nations()
            score = 0
            if nat:
                if nat in nations:
                    score += 2
                elif nations:
                    continue
            compatible = cls in classes or (cls == "head" and "pm" in classes) or (
                cls == "pm" and "head" in classes and nat) or (cls in ("diplomat", "minister") and classes & {"diplomat", "minister"})
            if compatible:
                score += 2
            if heads & {w for r in ent.all_roles() for w in re.findall(r"\w+", fold(r))}:
                score += 1
            if score < 2 or not compatible and not (nat and nat in nations):
                continue
            key = (score, last_seen[id(ent)])
            if best_key is None or key > best_key:
                best, best_key = ent, key
        return best

    # ---- noun phrases next to a cue
    def mention_ending_at(self, k: int) -> Mention | None:
        """The longest mention ending at token k ('el portavoz del Kremlin' over 'Kremlin')."""
        ends = [m for m in self.mentions if m.b == k]
        return min(ends, key=lambda m: m.a) if ends else None

    def mention_starting_at(self, k: int) -> Mention | None:
        for m in self.mentions:
            if m.a == k:
                return m
        return None

    def np_after(self, k: int) -> tuple[Entity | str | None, int]:
        """The subject right after a post-posed verb ('dijo Bauer', 'confió una fuente militar'): (who, next token)."""
        toks = self.toks
        if k >= len(toks):
            return None, k
        t = toks[k]
        m = self.mention_starting_at(k)
        if m is not None and m.kind != "role":
            return m.entity, m.b + 1
        if t.f in ("el", "ella", "he", "she", "este", "esta") and (k + 1 >= len(toks) or not toks[k + 1].is_word
                                                                  or toks[k + 1].f in _CLAUSE_WORDS):
            return "pronoun", k + 1
        if t.f in DETERMINERS and k + 1 < len(toks):
            # 'dijo el coronel Ivan Sirko': a title in front of a name
            h = k + 1
            while h < len(toks) and h <= k + 8 and toks[h].is_word and toks[h].f not in _CLAUSE_WORDS \
                    and lookup(toks[h].f) is None and (not is_capitalized(toks[h].text) or toks[h - 1].f in ("de", "del")):
                h += 1
            if h + 1 < len(toks) and toks[h].text == "," and h > k + 1:
                h += 1  # 'el ministro de Energía, Karl Weiss'
            m = self.mention_starting_at(h) if h < len(toks) else None
            if m is not None and m.kind == "person" and h > k + 1:
                return m.entity, m.b + 1
        if t.f in DETERMINERS | INDEFINITE and k + 1 < len(toks):
            m = next((m for m in self.mentions if m.a == k and m.kind == "role"), None)
            if m is not None:
                return m.entity or self._unknown(m.text), m.b + 1
            h = k + 1
            while h < len(toks) and toks[h].f in ROLE_MODIFIERS:
                h += 1
            if h < len(toks) and (toks[h].f in SOURCE_HEADS or toks[h].f in ROLE_HEADS):
                e = self._np_end(h)
                phrase = self.text[toks[h].start:toks[e].end]
                if t.f in INDEFINITE or toks[h].f in SOURCE_HEADS:
                    return self._source(phrase), e + 1
                return self.resolve_role(phrase, t.start) or self._unknown(phrase), e + 1
        if t.f in SOURCE_HEADS and t.f.endswith("s"):
            e = self._np_end(k)
            return self._source(self.text[t.start:toks[e].end]), e + 1
        return None, k

    def _np_end(self, h: int) -> int:
        """Last token of a noun phrase headed at h: its adjectives and de-complements, not 'a Le Monde'."""
        toks, e = self.toks, h
        while e + 1 < len(toks) and toks[e + 1].is_word and e - h < 6 and lookup(toks[e + 1].f) is None \
                and toks[e + 1].f not in _CLAUSE_WORDS:
            nx = toks[e + 1].f
            if nx in PREPOSITIONS and nx not in ("de", "del", "of"):
                break
            e += 1
        return e

    def np_before(self, k: int) -> Entity | str | None:
        """The subject ending right before token `k`: an entity, 'pronoun', 'elided' or None (not a speaker)."""
        self.subject_start = None
        who = self._np_before(k)
        return who

    def _np_before(self, k: int) -> Entity | str | None:
        toks = self.toks
        first = self.sentence_first_tok(k)
        j = k - 1
        while j >= first and (toks[j].f in _SKIP_BEFORE_VERB or toks[j].f.endswith("mente") and toks[j].f != "mente"):
            j -= 1
        if j < first:
            return "elided"
        t = toks[j]
        if t.text in ",;:":
            m = self.mention_ending_at(j - 1)
            if m is not None and m.kind != "role" and m.entity is not None:
                return m.entity
            # 'Barrot, el ministro francés, dijo'
            r = self._role_phrase_back(j - 1)
            if r is not None:
                d = r[0] - 1
                while d > first and toks[d].f in DETERMINERS | ROLE_MODIFIERS:
                    d -= 1
                if d >= first and toks[d].text == ",":
                    m = self.mention_ending_at(d - 1)
                    if m is not None and m.entity is not None:
                        return m.entity
            return "elided"
        m = self.mention_ending_at(j)
        if m is not None:
            self.subject_start = m.a
            if m.kind == "role":
                return m.entity or self._unknown(m.text)
            if m.entity is not None:
                return m.entity
        if t.f in PRONOUNS_PERSON:
            return "pronoun"
        if t.f in _CLAUSE_WORDS or not t.is_word:
            return "elided"
        if t.is_word and not is_capitalized(t.text):
            # a common noun phrase: a source, an organisation, or not a speaker at all
            d = j
            while d > first and toks[d - 1].is_word and j - d < 7 and toks[d].f not in DETERMINERS | INDEFINITE:
                d -= 1
            words = [x.f for x in toks[d:j + 1]]
            body = words[1:] if words and words[0] in DETERMINERS | INDEFINITE else words
            head = next((w for w in body if w not in ROLE_MODIFIERS), "")
            phrase = self.text[toks[d + (len(words) - len(body))].start:toks[j].end]
            if head in SOURCE_HEADS and (not words or words[0] not in DETERMINERS):
                return self._source(phrase)
            if head in ORG_WORDS:
                return self._named(phrase, "organization")
            if head in ROLE_HEADS or head in ("primer", "primera"):
                return self.resolve_role(phrase, toks[d].start) or self._unknown(phrase)
            if head in SOURCE_HEADS:
                return self._source(phrase)
            return None
        return "elided" if self._sentence_initial(j) else None

    def _named(self, name: str, kind: str) -> Entity:
        ent = next((e for e in self.entities if e.kind == kind and fold(e.name) == fold(name)), None)
        if ent is None:
            ent = Entity(name, kind, {name})
            self.entities.append(ent)
        return ent

    def _source(self, phrase: str) -> Entity:
        return self._named(phrase, "source")

    def _unknown(self, phrase: str) -> Entity:
        return self._named(phrase, "unknown")

    def sentence_subject(self, k: int) -> Entity | None:
        """The first non-prepositional name in the sentence before token k (subject of a gerund)."""
        first = self.sentence_first_tok(k)
        for m in self.mentions:
            if first <= m.a < k and m.entity is not None and not (m.a > 0 and self.toks[m.a - 1].f in PREPOSITIONS):
                return m.entity
        return None

    def last_person_before(self, k: int) -> Entity | None:
        s = self.tok_sent[k]
        for m in sorted(self.mentions, key=lambda m: -m.a):
            if m.a >= k or m.entity is None or m.possessive or m.entity.kind != "person":
                continue
            if self.tok_sent[m.a] < s - 1:
                break
            return m.entity
        return None


# ---------------------------------------------------------------- cues and statements

def _cue_tokens(art: _Article) -> list[tuple[int, int, object]]:
    """(first token, verb token, VerbForm) for every speech-verb use in the text."""
    out = []
    toks = art.toks
    for k, t in enumerate(toks):
        vf = lookup(t.f)
        if vf is None or not t.is_word:
            continue
        prev = toks[k - 1].f if k > 0 else ""
        # 'el anuncio' is a noun; 'anunció', 'él respondió' and 'este dijo' are not
        if (prev in DETERMINERS | INDEFINITE | {"este", "esta", "ese", "esa", "sus", "mis"} and vf.language == "es"
                and t.text == t.f and t.f.endswith("o") and not (k > 0 and toks[k - 1].text in ("Él", "él"))):
            continue
        first = k
        if vf.form == "participle":
            if prev not in ES_AUX | EN_AUX:
                if vf.language == "en" and t.f.endswith("ed"):
                    pass  # English past tense doubles as participle
                else:
                    continue
            else:
                first = k - 1
        if first > 0 and toks[first - 1].f == "se":
            first -= 1
        if vf.form == "gerund" and vf.language == "en" and prev in ("is", "was", "are", "were", "been"):
            pass
        out.append((first, k, vf))
    return out


def _quote_starting_near(art: _Article, k: int, max_tokens: int) -> QSpan | None:
    """A properly opened quote that starts within `max_tokens` tokens after token k."""
    toks = art.toks
    for j in range(k + 1, min(len(toks), k + 1 + max_tokens + 1)):
        for q in art.qspans:
            if q.opened and q.start == toks[j].start:
                return q
        if toks[j].text in ".;!?" or toks[j].f in ("que", "that"):
            return None
    return None


def _complementizer(art: _Article, k: int, vf) -> int | None:
    """Token index of the 'que'/'that' that opens the reported clause after verb token k."""
    toks = art.toks
    s = art.tok_sent[k]
    j = k + 1
    limit = k + 7
    while j < len(toks) and j <= limit and art.tok_sent[j] == s:
        t = toks[j]
        if t.f in ("que", "that"):
            if toks[j - 1].f in _NOT_COMPLEMENTIZER:
                return None
            return j
        if not t.is_word or t.text in "«“\"":
            return None
        if lookup(t.f) is not None and j > k + 1:
            return None
        j += 1
    return None


def _clause_end(art: _Article, start: int) -> int:
    for ss, se in art.sents:
        if ss <= start < se:
            end = se
            while end > start and art.text[end - 1] in ".;: \n":
                end -= 1
            return end
    return len(art.text)


def _sentence_of(art: _Article, pos: int) -> tuple[int, int]:
    for ss, se in art.sents:
        if ss <= pos < se:
            return ss, se
    return (pos, pos)


def extract_quotes(doc: Document, known: Sequence[Person] = ()) -> ArticleQuotes:
    """Direct and reported statements in `doc`, each with its speaker and exact character span.

    `known` are people from other articles: their roles let 'El presidente francés' resolve to a
    Macron who is only named 'Macron' here. Every quote satisfies doc.text[q.start:q.end] == q.text.
    """
    art = _Article(doc, known)
    toks, text = art.toks, art.text
    statements: list[Statement] = []
    claimed: set[int] = set()  # qspan starts already attached to a cue
    cues = _cue_tokens(art)

    # questions answered: everything before 'respondió' in its sentence is the interviewer's prompt
    response_at: dict[int, int] = {}
    for first, k, vf in cues:
        if vf.lemma in RESPONSE_LEMMAS:
            response_at.setdefault(art.tok_sent[k], first)

    pending: list[tuple[Statement, object, object]] = []  # (statement, subject, verbform)
    for first, k, vf in cues:
        sent = art.tok_sent[k]
        if sent in response_at and first < response_at[sent]:
            continue
        subject_after, nxt = art.np_after(k + 1)
        cue_text = text[toks[first].start:toks[k].end]
        st = None
        # 1) a quote right before the verb: '«…», dijo Bauer' / '"…," he said'
        q_before = None
        for q in art.qspans:
            if q.end <= toks[first].start and re.fullmatch(r"[\s,—–-]*", text[q.end:toks[first].start]):
                q_before = q
        subj = None
        if q_before is not None and (q_before.opened or vf.kind != CHARACTERIZE):
            start = q_before.start
            if not q_before.opened:
                start = _sentence_of(art, q_before.start)[0]
            st = Statement(start, q_before.end, True, cue_text, k, toks[first].start)
            subj = subject_after if subject_after is not None else "elided"
        if st is None and vf.language == "en":
            # '"…," Smith said.'
            m = art.mention_ending_at(first - 1)
            if m is not None:
                title = art._titles.get(m.a)
                name_at = toks[m.a].start - (len(title) + 1 if title and text[:toks[m.a].start].endswith(title + " ") else 0)
                for q in art.qspans:
                    if q.opened and q.end <= name_at and re.fullmatch(r"[\s,]*", text[q.end:name_at]):
                        st = Statement(q.start, q.end, True, cue_text, k, toks[m.a].start)
                        subj = m.entity or art._unknown(m.text)
            elif first > 0 and toks[first - 1].f in ("he", "she", "they"):
                for q in art.qspans:
                    if q.opened and q.end <= toks[first - 1].start and re.fullmatch(r"[\s,]*", text[q.end:toks[first - 1].start]):
                        st = Statement(q.start, q.end, True, cue_text, k, toks[first - 1].start)
                        subj = "pronoun"
        if st is None:
            after = nxt if subject_after is not None else k + 1
            if vf.lemma == "tell" and subject_after is None:
                j = k + 1
                while j < len(toks) and j < k + 6 and toks[j].is_word and toks[j].f != "that":
                    j += 1
                after = j
            # 2) a colon then a quote: 'Él respondió: «…»'
            j = after
            while j < len(toks) and j < after + 5 and toks[j].is_word:
                j += 1
            if j < len(toks) and toks[j].text == ":":
                q = _quote_starting_near(art, j, 1)
                if q is not None:
                    st = Statement(q.start, q.end, True, cue_text, k, toks[first].start)
            comp = _complementizer(art, after - 1, vf) if vf.kind in (SAY,) or vf.lemma == "tell" else None
            q = _quote_starting_near(art, after - 1, 4) if st is None else None
            if st is None and q is not None and (comp is None or art.toks[comp].start > q.start):
                # 3) a quote as the verb's object: 'elogió los "esfuerzos…"'
                st = Statement(q.start, q.end, True, cue_text, k, toks[first].start)
            elif st is None and comp is not None:
                # 4) a reported clause: 'dijo que …'
                cs = toks[comp + 1].start if comp + 1 < len(toks) else toks[comp].end
                ce = _clause_end(art, cs)
                if ce > cs:
                    st = Statement(cs, ce, False, cue_text, k, toks[first].start, reported=True)
            elif st is None and vf.kind == CHARACTERIZE:
                # 5) 'calificó de ridícula la idea…', 'describió X como Y'
                cs = toks[after].start if after < len(toks) else len(text)
                ce = _clause_end(art, cs)
                seg = fold(text[cs:ce])
                if ce > cs and (re.match(r"(de|como|as)\b", seg) or re.search(r"\b(como|as)\b", seg)):
                    st = Statement(cs, ce, False, cue_text, k, toks[first].start, reported=True)
            elif st is None and vf.language == "en" and vf.kind == SAY and vf.form == "finite" \
                    and after < len(toks) and toks[after].is_word and toks[after].f not in PREPOSITIONS \
                    and subject_after is None:
                # English reported speech without 'that': 'Smith said the plan was dead.'
                cs = toks[after].start
                ce = _clause_end(art, cs)
                if len(re.findall(r"\w+", text[cs:ce])) >= 3:
                    st = Statement(cs, ce, False, cue_text, k, toks[first].start, reported=True)
            if st is not None:
                if subject_after is not None:
                    subj = subject_after
                elif vf.form == "gerund":
                    subj = art.sentence_subject(first) or "elided"
                else:
                    subj = art.np_before(first)
                    if art.subject_start is not None:
                        st.left = min(st.left, toks[art.subject_start].start)
        if st is None or subj is None:
            continue
        if st.direct:
            claimed.add(st.start)
        pending.append((st, subj, vf))

    # según X / according to X
    for k, t in enumerate(toks):
        if t.f == "segun" or (t.f == "according" and k + 1 < len(toks) and toks[k + 1].f == "to"):
            a = k + 1 if t.f == "segun" else k + 2
            if a >= len(toks):
                continue
            who, nxt = art.np_after(a)
            if who is None and toks[a].f == "el" and a + 1 < len(toks) and (
                    toks[a + 1].f in DETERMINERS | INDEFINITE or not toks[a + 1].is_word):
                who, nxt = "pronoun", a + 1
            if who is None:
                continue
            ss, se = _sentence_of(art, t.start)
            cue = text[t.start:toks[a - 1].end]
            if nxt < len(toks) and toks[nxt].start < se and toks[k].start <= ss + 1:
                cs = toks[nxt + 1].start if toks[nxt].text == "," else toks[nxt].start
                st = Statement(cs, _clause_end(art, cs), False, cue, k, t.start, reported=True)
            elif toks[k].start > ss:
                ce = t.start
                while ce > ss and text[ce - 1] in " ,":
                    ce -= 1
                st = Statement(ss, ce, False, cue, k, t.start, reported=True)
            else:
                continue
            if st.end > st.start:
                pending.append((st, who, None))

    # resolve subjects in text order
    pending.sort(key=lambda p: p[0].start)
    last: Statement | None = None
    for st, subj, vf in sorted(pending, key=lambda p: p[0].cue_tok):
        if isinstance(subj, Entity):
            st.speaker = subj
        elif subj == "pronoun":
            # 'este respondió' and answers go to the latest person named (the one asked); 'él dijo' to the last speaker
            pron = fold(text[:toks[st.cue_tok].start].split()[-1]) if text[:toks[st.cue_tok].start].split() else ""
            response = vf is not None and vf.lemma in RESPONSE_LEMMAS
            if response or pron in ("este", "esta", "éste", "ésta"):
                st.speaker = art.last_person_before(st.cue_tok)
            else:
                st.speaker = last.speaker if last is not None and last.speaker and last.speaker.kind == "person" \
                    else art.last_person_before(st.cue_tok)
        elif subj == "elided":
            same_sentence = last is not None and art.tok_sent[last.cue_tok] == art.tok_sent[st.cue_tok]
            if same_sentence or (last is not None and art.paragraph(st.start) - art.paragraph(last.end) <= 2):
                st.speaker = last.speaker
            else:
                st.speaker = art.last_person_before(st.cue_tok)
        if st.speaker is not None:
            last = st

    found = [st for st, _s, _v in pending if st.speaker is not None]

    # quotes with no cue of their own that open a sentence right after a direct statement continue it
    found.sort(key=lambda s: s.start)
    for q in art.qspans:
        if not q.opened or q.start in claimed or q.words(text) < 5:
            continue
        if any(s.start <= q.start < s.end for s in found):
            continue
        ss, _se = _sentence_of(art, q.start)
        if ss != q.start:
            continue
        prev = [s for s in found if s.end <= q.start]
        if not prev or not prev[-1].direct or art.paragraph(q.start) - art.paragraph(prev[-1].end) > 2:
            continue
        between = text[prev[-1].end:q.start]
        if len(re.findall(r"[.!?]\s", between)) > 2:
            continue
        found.append(Statement(q.start, q.end, True, "", -1, q.start, prev[-1].speaker))
        found.sort(key=lambda s: s.start)

    # overlaps: one statement per stretch of text; a clause stops where another speaker starts
    found.sort(key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[Statement] = []
    for st in found:
        drop = False
        for other in kept:
            if not (st.start < other.end and other.start < st.end):
                continue
            if other.speaker is not st.speaker and other.reported and st.left > other.start:
                m = _CONNECTOR_TAIL.search(text[other.start:st.left])
                other.end = other.start + (m.start() if m else st.left - other.start)
            else:
                other.direct = other.direct or st.direct
                drop = True
        if not drop:
            kept.append(st)
    kept = [s for s in kept if s.end > s.start]
    for s in kept:
        if s.reported and re.search(r"[«“\"]\w|(?<!\w)'\w", text[s.start:s.end]):
            s.direct = True

    # records
    quotes = []
    counts: dict[int, int] = {}
    for n, s in enumerate(sorted(kept, key=lambda s: s.start), 1):
        ent = s.speaker
        counts[id(ent)] = counts.get(id(ent), 0) + 1
        quotes.append(Quote(id=f"{doc.id}#q{n}", doc_id=doc.id, speaker=ent.name, start=s.start, end=s.end,
                            text=text[s.start:s.end], direct=s.direct, cue=s.cue, speaker_kind=ent.kind))
    people = []
    for ent in art.entities:
        if id(ent) not in counts:
            continue
        aliases = set(ent.aliases) | {ent.name}
        if ent.kind == "person":
            aliases |= {a.split()[-1] for a in list(aliases) if len(a.split()) > 1}
        people.append(Person(name=ent.name, aliases=tuple(sorted(aliases, key=fold)), roles=tuple(ent.roles),
                             kind=ent.kind, n_quotes=counts[id(ent)]))
    mentioned = tuple(Person(name=e.name, aliases=tuple(sorted(e.aliases, key=fold)), roles=tuple(e.roles))
                      for e in art.entities if e.kind == "person" and e.roles and id(e) not in counts)
    return ArticleQuotes(tuple(quotes), tuple(people), mentioned)
