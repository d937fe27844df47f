"""Roles and organisations named by common nouns: titles and appositions of named people, free role
mentions ('la portavoz', 'the minister'), and resolving them to the entity the article names."""
from __future__ import annotations

import re
from bisect import bisect_left

from index.quotes.article import Mention
from index.speakers import (
    DETERMINERS, INDEFINITE, NATION_WORDS, PLACES, PREPOSITIONS, ROLE_HEADS, ROLE_MODIFIERS, Entity, is_capitalized,
    nation_of, role_class,
)
from index.speech_verbs import lookup
from index.text import fold

NOT_IN_ROLE = frozenset("le les se lo a al que y e pero si no ha han and but to that".split())
AUXILIARIES = frozenset("ha han habia habian has have had was were is are will would ya also tambien fue fueron era "
                         "eran es son estuvo".split())
# Heads of a definite noun phrase that stands for whatever organisation the article is about.
GENERIC_ORGANIZATION_HEADS = frozenset(fold(w) for w in (
    "company firm group organization organisation agency empresa compañía firma grupo organismo entidad "
    "organización institución club equipo team retailer cadena operadora aseguradora".split()))
# Outlets credited for an interview ('told the BBC'): never the organisation a 'the company' stands for.
MEDIA_OUTLETS = frozenset(fold(w) for w in (
    "BBC", "CNN", "Reuters", "AFP", "EFE", "Europa Press", "Bloomberg", "Associated Press", "Sky News", "Fox News",
    "Cadena SER", "RTVE", "Radio Nacional", "TVE", "La Sexta", "Antena 3", "ITV", "NPR", "CBS", "NBC", "ABC"))
MAX_TITLE_CHARS = 300  # a longer first line is a paragraph, not a title
MAX_ROLE_PHRASE_TOKENS = 12  # 'el delegado congresal del Sindicato de la Alimentación en San Luis' before a name
_MAX_TITLE_TOKENS = 9  # 'la climatóloga de la Universidad de Barcelona' before a name
MAX_ROLE_CANDIDATES = 40  # mentions looked back at to resolve a role: keeps a long article linear
ANAPHOR_SENTENCES = 2  # a bare 'el analista' looks back this many sentences for the person it stands for
DEFINITE_GENDER = {"el": "m", "la": "f", "the": None}
DEFINITE_AFTER_DE = frozenset("la las los the".split())  # 'el portavoz de la Aemet': the organisation is a complement
# Spanish role and given-name endings that are not feminine although they end in -a.
_EPICENE_ENDINGS = ("ista", "atra", "eta", "ota", "cia", "ia", "ca")


def word_gender(word: str) -> str | None:
    """'investigadora', 'ministra', 'Marina' -> 'f'; 'neurólogo', 'director', 'Javier' -> None or 'm'."""
    w = fold(word)
    if len(w) < 3:
        return None
    if w.endswith("a") and not w.endswith(_EPICENE_ENDINGS):
        return "f"
    if w.endswith(("o", "or", "ero", "ario")):
        return "m"
    return None


def person_gender(ent: Entity) -> str | None:
    """A person's grammatical gender from a given name ending in -a/-o, else from the first word of a role
    (a role may be misread: 'la consultora' after a man's name); None when neither says ('portavoz',
    'Paz Flores'). A guess: 'Luka' reads as 'f'."""
    given = ent.name.split()
    if len(given) > 1 and (g := word_gender(given[0])):
        return g
    for r in ent.all_roles():
        words = re.findall(r"\w+", r)
        if words and (g := word_gender(words[0])):
            return g
    return None


# Executive offices: 'el mandatario' (head) may be the mayor, the governor or the president.
_EXECUTIVES = frozenset("head mayor pm governor".split())


# Role classes that are an office one holds; a profession ('la economista', 'the writer') may be anyone's.
_OFFICES = frozenset("head pm governor minister diplomat military mayor councillor coach spokes police legislator".split())


def role_clashes(phrase: str, person: Entity) -> bool:
    """Whether a role phrase cannot be this person's: both name an office and the offices differ ('el
    alcalde' is not 'el concejal Luis Blanco'); a profession or an unknown role clashes with nothing."""
    wanted = role_class(phrase)
    held = person.classes() & _OFFICES
    generic_executive = wanted in _EXECUTIVES and held & _EXECUTIVES and "head" in held | {wanted}
    return wanted in _OFFICES and bool(held) and wanted not in held and not generic_executive


def _gender_stem(word: str) -> str:
    """'investigadora', 'investigador', 'investigadores' -> 'investigador'; 'técnica'/'técnico' -> 'tecnic'."""
    for ending in ("oras", "ores", "ora", "as", "os", "es", "a", "o"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: len(word) - len(ending)] + ("or" if ending.startswith("or") else "")
    return word


def _organization_words(phrase: str) -> set[str]:
    """The capitalised words of what a role serves ('portavoz de la Aemet' -> {'aemet'}); countries are
    left out, a role's nationality does that job ('el presidente de Francia')."""
    m = re.search(r"\b(?:de|del|of|for)\s+(.+)$", phrase)
    if m is None:
        return set()
    return {fold(w) for w in re.findall(r"\w+", m.group(1))
            if w[:1].isupper() and NATION_WORDS.get(fold(w), "eu") in ("eu", "nato") and fold(w) not in PLACES}


def _breaks_role(toks, x: int) -> bool:
    """Whether token x cannot sit inside a role phrase; 'y' can between two capitalised words
    ('consejera de Agricultura y Agua')."""
    t = toks[x]
    if t.folded in ("y", "e") and 0 < x < len(toks) - 1 and is_capitalized(toks[x - 1].text) \
            and is_capitalized(toks[x + 1].text):
        return False
    return t.folded in NOT_IN_ROLE or lookup(t.folded) is not None


class RoleResolver:
    """The role half of `Mentions` (which provides art, items, entities, titles and the indexes)."""

    def resolve_organization(self, phrase: str, pos: int) -> Entity:
        """'the company', 'el organismo', 'el club asturiano': the latest organisation named before `pos`
        whose name holds the head word, or for a generic head the latest organisation at all; else the
        phrase itself as an organisation."""
        words = re.findall(r"\w+", fold(phrase))
        head = next((w for w in words if w not in DETERMINERS), "")
        window = self._organizations_before(pos)
        for m in reversed(window):
            if head in re.findall(r"\w+", fold(m.entity.name)):
                return m.entity
        if head in GENERIC_ORGANIZATION_HEADS:
            found = self.latest_organization(pos)
            if found is not None:
                return found
        return self.named(" ".join(phrase.split()[1:]) if words and words[0] in DETERMINERS else phrase,
                          "organization")

    def _organizations_before(self, pos: int) -> list[Mention]:
        """Up to MAX_ROLE_CANDIDATES organisation mentions before character `pos`, in text order."""
        if not hasattr(self, "_org_mentions"):
            self._org_mentions = [m for m in self.items if m.kind == "organization" and m.entity is not None]
            self._org_positions = [self.art.tokens[m.first].start for m in self._org_mentions]
        i = bisect_left(self._org_positions, pos) - 1
        return self._org_mentions[max(0, i - MAX_ROLE_CANDIDATES + 1):i + 1]

    def latest_organization(self, pos: int) -> Entity | None:
        """'el club', 'the company', 'the statement': an organisation named in this or the previous sentence;
        else the one the article keeps naming, not a venue named once; None when none is named before."""
        window = [m for m in self._organizations_before(pos) if fold(m.entity.name) not in MEDIA_OUTLETS]
        sentence = self.art.token_sentence[self.art.token_at(pos)] if pos < len(self.art.text) else -1
        if window and self.art.token_sentence[window[-1].first] >= sentence - 1:
            return window[-1].entity
        counts: dict[int, int] = {}
        for m in window:
            counts[id(m.entity)] = counts.get(id(m.entity), 0) + 1
        if counts:
            best = max(counts.values())
            # among the most named, the first one named: the organisation the article is about
            return next(m.entity for m in window if counts.get(id(m.entity)) == best)
        return None

    def role_phrase_back(self, end: int, limit: int = MAX_ROLE_PHRASE_TOKENS) -> tuple[int, str] | None:
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
                    _breaks_role(toks, x) for x in range(h + 1, end + 1))
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
                and toks[d].folded not in NOT_IN_ROLE and toks[d].folded not in AUXILIARIES:
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
                    and toks[e + 1].folded not in AUXILIARIES \
                    and not (toks[e + 1].folded in PREPOSITIONS and toks[e + 1].folded not in ("de", "del", "of")):
                if (e + 1) in taken:
                    after_de = toks[e].folded in ("de", "del", "of") or (
                        toks[e].folded in DEFINITE_AFTER_DE and toks[e - 1].folded in ("de", "of"))
                    if not after_de:
                        break
                    # 'el portavoz de Putin': the name is a complement of the role, not its holder
                    e = starts[e + 1].last if (e + 1) in starts else e + 1
                    break
                if is_capitalized(toks[e + 1].text) and toks[e].folded not in ("de", "del", "of", "la", "el", "the"):
                    break
                e += 1
            if self._inside_quote(t.start):
                continue  # '"The officer was still in his seat," she said': quoted words name no speaker
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

    def recent_person_titled(self, word: str, pos: int) -> Entity | None:
        """The latest of the last MAX_ROLE_CANDIDATES people named before `pos` whose title starts with
        `word` in either gender ('el esloveno' -> 'el esloveno Luka Novak'); bounded, so linear overall."""
        stem = _gender_stem(fold(word))
        i = bisect_left(self._person_starts, self.art.token_at(pos)) - 1
        for m in reversed(self._persons[max(0, i - MAX_ROLE_CANDIDATES + 1):i + 1]):
            if any(_gender_stem(w) == stem for r in m.entity.all_roles() for w in re.findall(r"\w+", fold(r))[:1]):
                return m.entity
        return None

    def resolve_by_title_word(self, phrase: str, pos: int) -> Entity | None:
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
        """The person the article names with this role (see `_resolve_role_by_profile`); else, for a bare
        definite role ('el analista', 'la investigadora', 'the economist'), the person just named."""
        found = self._resolve_role_by_profile(phrase, pos)
        if found is None:
            found = self._resolve_role_anaphor(phrase, pos)
        if found is None:
            found = self._resolve_role_by_organization(phrase, pos)
        if found is None:
            found = self._title_subject(phrase, pos)
        return found

    def _title_subject(self, phrase: str, pos: int) -> Entity | None:
        """'Gabriela Rosa confundió… / La vocera presidencial dijo…', 'Hoyos: los tres puntos… / el estratego':
        a definite singular role in the body that nobody else holds is the person who opens the title line."""
        art, toks = self.art, self.art.tokens
        title_end = art.text.find("\n")
        k = art.token_at(pos)
        if title_end < 0 or title_end > MAX_TITLE_CHARS or pos <= title_end or k >= len(toks) \
                or toks[k].folded not in ("el", "la", "the") or fold(phrase.split()[0]).endswith("s") \
                and not fold(phrase.split()[0]).endswith(("ss", "es")):
            return None
        opener = next((m for m in self.items if m.first == 0 or m.first == 1 and toks[0].folded in ("el", "la")), None)
        if opener is None or opener.kind != "person" or opener.entity is None or id(opener.entity) in self.askers:
            return None
        gender = DEFINITE_GENDER[toks[k].folded]
        if gender is not None and person_gender(opener.entity) not in (None, gender) or role_clashes(phrase, opener.entity):
            return None
        return opener.entity

    def _resolve_role_by_organization(self, phrase: str, pos: int) -> Entity | None:
        """'el responsable de Industria' is the one person named before `pos` whose role names that
        organisation ('secretario general de CCOO Industria de Cuenca'); nobody when two people fit."""
        m = re.search(r"\b(?:de|del|of|for)\s+(?:la\s+|el\s+|los\s+|las\s+|the\s+)?(.+)$", phrase)
        if m is None:
            return None
        org_words = [w for w in re.findall(r"\w+", m.group(1)) if w[:1].isupper()]
        if not org_words:
            return None
        wanted = {fold(w) for w in org_words}
        fits: dict[int, Entity] = {}
        i = bisect_left(self._person_starts, self.art.token_at(pos)) - 1
        for m in self._persons[max(0, i - MAX_ROLE_CANDIDATES + 1):i + 1]:  # the latest people only: linear
            e = m.entity
            if any(wanted <= set(re.findall(r"\w+", fold(r))) for r in e.all_roles()):
                fits[id(e)] = e
        return next(iter(fits.values())) if len(fits) == 1 else None

    def _resolve_role_anaphor(self, phrase: str, pos: int, with_role: bool = False) -> Entity | None:
        """'El director de estudios, Javier Moreno, explicó… El analista añadió…': a definite singular role
        with no complement naming who it serves refers back to the latest person named in this sentence
        or the ANAPHOR_SENTENCES before it whose gender does not clash with the article ('el'/'la')."""
        toks = self.art.tokens
        k = self.art.token_at(pos)
        if k >= len(toks) or toks[k].folded not in DEFINITE_GENDER:
            return None
        words = phrase.split()
        if not words or toks[k].folded == "the" and words[0].endswith("s") and not words[0].endswith("ss"):
            return None  # a plural: 'the analysts'
        if any(w[:1].isupper() for w in words[1:]) or any(fold(w) in ("de", "del", "of", "for", "at") for w in words):
            return None  # 'el portavoz de Aire Limpio': a role of an organisation, maybe nobody named
        gender = DEFINITE_GENDER[toks[k].folded]
        sentence = self.art.token_sentence[k]
        i = bisect_left(self._person_starts, k) - 1
        while i >= 0:
            m = self._persons[i]
            if self.art.token_sentence[m.first] < sentence - ANAPHOR_SENTENCES:
                return None
            if (gender is None or person_gender(m.entity) in (None, gender)) and id(m.entity) not in self.askers \
                    and (not with_role or m.entity.all_roles()) and not role_clashes(phrase, m.entity):
                return m.entity
            i -= 1
        return None

    def resolve_holder(self, phrase: str, pos: int) -> Entity | None:
        """'la funcionaria', 'el responsable': the latest person named with a role, in this sentence or
        the ANAPHOR_SENTENCES before, whose gender fits the article; None when there is none."""
        return self._resolve_role_anaphor(phrase, pos, with_role=True)

    def _resolve_role_by_profile(self, phrase: str, pos: int) -> Entity | None:
        """The person the article names with this role: same role class, same country, latest seen before `pos`."""
        nat, cls = nation_of(phrase), role_class(phrase)
        if not hasattr(self, "_profiles"):
            self._role_profiles()
        if cls is None or cls == "other":
            by_word = self.resolve_by_title_word(phrase, pos)
            if by_word is not None or cls is None:
                return by_word
        heads = {w for w in re.findall(r"\w+", fold(phrase)) if w in ROLE_HEADS}
        related = {"head": ("head", "pm"), "pm": ("pm", "head"), "diplomat": ("diplomat", "minister"),
                   "minister": ("minister", "diplomat")}.get(cls, (cls,))
        keys = [f"class:{c}" for c in related] + ([f"nation:{nat}"] if nat else [])
        scored = []
        served = _organization_words(phrase)
        for ent in self._role_candidates(keys, pos).values():
            classes, nations, words = self._profiles[id(ent)]
            if served and not served <= words and any(_organization_words(r) for r in ent.all_roles()):
                continue  # 'el secretario general de la OTAN' is not 'la ministra de Defensa' ('su portavoz' may be)
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
