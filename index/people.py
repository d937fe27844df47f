"""One record per real person across articles: merging name variants, alias maps and forgiving name lookup."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable, Sequence

from rapidfuzz import fuzz, process

from index.speakers import NATION_WORDS, ORG_WORDS, ROLE_HEADS, ROLE_MODIFIERS, nation_of, role_class
from index.text import fold
from index.types import Person

# Similarity (0-100) above which two folded surnames or given names are the same spelling of one name:
# 'zelensky'/'zelenskyy' 94, 'zelenski'/'zelensky' 88, 'barro'/'barrot' 91, 'dmitri'/'dmitry' 83.
SURNAME_SIMILARITY = 85.0
GIVEN_SIMILARITY = 80.0
LOOKUP_SIMILARITY = 80.0
# Two spellings of one given name in different transliterations: 'volodimir'/'volodymyr' 78, while
# different names that share letters stay below: 'marta'/'marc' 67, 'raj'/'rachel' 44.
SPELLING_SIMILARITY = 75.0


@lru_cache(maxsize=200_000)
def _name_tokens(name: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[\w'-]+", fold(name)))


def _tokens(name: str) -> list[str]:
    return list(_name_tokens(name))


def name_key(name: str) -> str:
    """A blocking key for names that may be one person: the first two letters of the folded surname.

    Every pair `same_name` accepts shares it in practice (surname spellings differ late:
    'Zelensky'/'Zelenski', 'Barro'/'Barrot'), so merging compares only names inside one key.
    """
    tokens = _tokens(name)
    return tokens[-1][:2] if tokens else ""


def name_keys(name: str) -> tuple[str, ...]:
    """Blocking keys of a name: its surname's key, and for a name of three or more words the key of the
    word before it too, so a double Spanish surname ('Delia Espinoza Valenzuela') meets 'Delia Espinoza'."""
    tokens = _tokens(name)
    if len(tokens) < 3:
        return (name_key(name),)
    return tuple(dict.fromkeys((tokens[-1][:2], tokens[-2][:2])))


_SURNAME_PARTICLES = frozenset("de del la las los van von der den da di du le".split())


def _has_given_name(name: str) -> bool:
    """'Ana de la Torre' is a full name; 'de la Torre' and 'Van der Berg' are a surname alone."""
    tokens = _tokens(name)
    return len(tokens) > 1 and tokens[0] not in _SURNAME_PARTICLES


def _contiguous(short: list[str], long: list[str]) -> bool:
    n = len(short)
    return any(long[i:i + n] == short for i in range(1, len(long) - n + 1)) or long[:n] == short


@lru_cache(maxsize=200_000)
def same_name(a: str, b: str) -> bool:
    """True when two written names can be the same person ('Dmitri Peskov' ~ 'Peskov' ~ 'Dmitry Peskov')."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    short, long = (ta, tb) if len(ta) < len(tb) else (tb, ta)
    if len(short) >= 2 and len(long) >= 3 and _contiguous(short, long):
        return True  # 'Espinoza Valenzuela' and 'Delia Espinoza' in 'Delia Espinoza Valenzuela'
    la, lb = ta[-1], tb[-1]
    if min(len(la), len(lb)) < 4:
        if la != lb:
            return False
    elif fuzz.ratio(la, lb) < SURNAME_SIMILARITY:
        return False
    ga, gb = ta[:-1], tb[:-1]
    if not ga or not gb:
        return True
    ja, jb = " ".join(ga), " ".join(gb)
    if len(ga[0]) == 1 or len(gb[0]) == 1:  # an initial: 'J. Barrot'
        return ga[0][0] == gb[0][0]
    return fuzz.ratio(ja, jb) >= GIVEN_SIMILARITY


def _may_be_same(a: str, b: str) -> bool:
    """same_name, or two full names whose surnames match and whose given names are two spellings of one
    name ('Volodimir Zelenski' ~ 'Volodymyr Zelensky'). A shared initial is not enough: 'Raj Bishop' and
    'Rachel Bishop', 'Marta Castillo' and 'Marc Castillo' are different people."""
    if same_name(a, b):
        return True
    ta, tb = _tokens(a), _tokens(b)
    if not (len(ta) > 1 and len(tb) > 1 and ta[0][0] == tb[0][0] and same_name(ta[-1], tb[-1])):
        return False
    return fuzz.ratio(ta[0], tb[0]) >= SPELLING_SIMILARITY


def _accents(name: str) -> int:
    return sum(1 for c in unicodedata.normalize("NFD", name) if unicodedata.combining(c))


def fullest_name(forms: dict[str, int]) -> str:
    """The fullest common form of one name: most words, then most used; each word in its fullest spelling.

    {'Jean-Noel Barrot': 1, 'Jean-Noël Barro': 1} -> 'Jean-Noël Barrot' (accents kept, a dropped letter restored).
    """
    base = max(forms, key=lambda n: (len(n.split()), forms[n], _accents(n), len(n), n))
    words = base.split()
    peers = [n.split() for n in forms if len(n.split()) == len(words)]
    out = []
    for i, w in enumerate(words):
        variants = [p[i] for p in peers if fuzz.ratio(fold(p[i]), fold(w)) >= SURNAME_SIMILARITY]
        out.append(max(variants, key=lambda v: (fold(v) == fold(w) or len(v) > len(w), _accents(v) if fold(v).startswith(fold(w)) or fold(w).startswith(fold(v)) else -1, len(v))))
    return " ".join(out)


def group_people(people: Iterable[Person]) -> list[list[Person]]:
    """The records of each real person, fullest names first (the grouping `merge_people` merges)."""
    items = sorted(people, key=lambda p: -len(_tokens(p.name)))
    groups: list[list[Person]] = []
    by_exact: dict[tuple[str, str], list[Person]] = {}   # (kind, folded name) for non-persons
    blocks: dict[str, list[tuple[list[Person], dict[str, None]]]] = {}  # name key -> (group, its names)
    for p in items:
        if p.kind != "person":
            home = next((by_exact[(p.kind, fold(n))] for n in (p.name, *p.aliases) if (p.kind, fold(n)) in by_exact), None)
            if home is None:
                home = []
                groups.append(home)
            home.append(p)
            by_exact.setdefault((p.kind, fold(p.name)), home)
            continue
        names = (p.name, *p.aliases)
        full = [n for n in names if _has_given_name(n)]
        mine = full or list(names)
        home = None
        seen: set[int] = set()
        for key in dict.fromkeys(k for n in mine for k in name_keys(n)):
            for group, group_names in blocks.get(key, ()):
                if id(group) in seen:
                    continue
                seen.add(id(group))
                pool = [m for m in group_names if _has_given_name(m)] if full else group_names
                if any(_may_be_same(n, m) for n in mine for m in pool if full or fold(n) == fold(m) or _has_given_name(m)):
                    home = group
                    break
            if home is not None:
                break
        if home is None:
            home = []
            groups.append(home)
            entry = (home, {})
            for key in dict.fromkeys(k for n in names for k in name_keys(n)):
                blocks.setdefault(key, []).append(entry)
        else:
            entry = next(e for key in dict.fromkeys(k for n in mine for k in name_keys(n)) for e in blocks.get(key, ())
                         if e[0] is home)
        home.append(p)
        entry[1].update(dict.fromkeys(names))
        for key in dict.fromkeys(k for n in names for k in name_keys(n)):
            if not any(e[0] is home for e in blocks.setdefault(key, [])):
                blocks[key].append(entry)
    return groups


def merge_people(people: Iterable[Person]) -> list[Person]:
    """Merge per-article records into one Person per real person, fullest names first.

    Example: [Person('Dmitri Peskov'), Person('Dmitry Peskov'), Person('Peskov')] ->
    [Person('Dmitri Peskov', aliases=('Dmitri Peskov', 'Dmitry Peskov', 'Peskov'), …)]

    Full names are compared with full names only, so a shared surname ('Young') never joins
    'Claire Young' and 'Mark Young'; a surname alone joins the first (fullest) person it fits.
    Records are compared only inside one block of `name_key`, which keeps the merge near-linear.
    """
    groups = group_people(people)
    merged = []
    for g in groups:
        forms: dict[str, int] = {}
        for p in g:
            for n in (p.name, *p.aliases):
                forms[n] = forms.get(n, 0) + (1 + p.n_quotes if n == p.name else 1)
        name = fullest_name(forms)
        aliases = dict.fromkeys(forms)
        if g[0].kind == "person":
            for n in list(aliases):
                parts = n.split()
                if len(parts) > 1:
                    aliases.setdefault(parts[-1], None)
        roles = dict.fromkeys(r for p in g for r in p.roles)
        merged.append(Person(name=name, aliases=tuple(sorted(aliases, key=fold)), roles=tuple(roles),
                             kind=g[0].kind, n_quotes=sum(p.n_quotes for p in g)))
    merged.sort(key=lambda p: (-p.n_quotes, fold(p.name)))
    return merged


def canonical_names(people: Iterable[Person]) -> dict[str, str]:
    """Every name and alias, folded, mapped to its person's canonical name."""
    out: dict[str, str] = {}
    for p in people:
        for n in (p.name, *p.aliases):
            out.setdefault(fold(n), p.name)
    return out


def match_person(name: str, people: Sequence[Person]) -> tuple[Person | None, list[str]]:
    """The person `name` refers to (any alias, accents and case ignored, small typos forgiven).

    Returns (person, []) on a match, else (None, up to three closest canonical names to offer).
    """
    query = fold(name).strip()
    if not query or not people:
        return None, []
    for p in people:
        if any(fold(n) == query for n in (p.name, *p.aliases)):
            return p, []
    for p in people:
        if p.kind == "person" and any(same_name(name, n) for n in (p.name, *p.aliases)):
            return p, []
    choices: dict[str, int] = {}
    for i, p in enumerate(people):
        for n in (p.name, *p.aliases):
            choices.setdefault(fold(n), i)
    best = process.extract(query, list(choices), scorer=fuzz.WRatio, limit=None)
    if best and best[0][1] >= LOOKUP_SIMILARITY and len(query) >= 4:
        top = people[choices[best[0][0]]]
        # Refuse a coin toss between two different people.
        rivals = [b for b in best[1:] if b[1] >= best[0][1] - 1 and people[choices[b[0]]] is not top]
        if not rivals:
            return top, []
    suggestions: list[str] = []
    for n, _score, _ in best:
        cand = people[choices[n]].name
        if cand not in suggestions:
            suggestions.append(cand)
        if len(suggestions) == 3:
            break
    return None, suggestions


# English role words and the Spanish words news uses for the same role, so an English question
# ('the French foreign minister') finds a role written in Spanish ('ministro de Exteriores francés').
ROLE_WORDS_EN_ES = {
    "spokesman": ("portavoz", "vocero"), "spokeswoman": ("portavoz", "vocera"), "spokesperson": ("portavoz",),
    "president": ("presidente", "presidenta"), "prime": ("primer", "primera"), "minister": ("ministro", "ministra"),
    "foreign": ("exteriores", "canciller"), "defence": ("defensa",), "defense": ("defensa",),
    "finance": ("hacienda", "finanzas", "economia"), "economy": ("economia",), "interior": ("interior",),
    "health": ("sanidad", "salud"), "housing": ("vivienda",), "mayor": ("alcalde", "alcaldesa"),
    "governor": ("gobernador", "gobernadora"), "chancellor": ("canciller",), "king": ("rey",), "queen": ("reina",),
    "leader": ("lider", "jefe"), "chief": ("jefe", "jefa"), "head": ("jefe", "jefa"), "ambassador": ("embajador",),
    "envoy": ("enviado", "enviada"), "adviser": ("asesor", "asesora"), "advisor": ("asesor", "asesora"),
    "admiral": ("almirante",), "general": ("general",), "commander": ("comandante",), "judge": ("juez", "jueza"),
    "prosecutor": ("fiscal",), "senator": ("senador", "senadora"), "coach": ("entrenador", "tecnico"),
    "manager": ("entrenador", "director"), "government": ("gobierno",), "secretary": ("secretario", "secretaria"),
    "state": ("estado",), "deputy": ("vice", "adjunto", "diputado"), "vice": ("vice",), "director": ("director", "directora"),
    "professor": ("profesor", "catedratico"), "researcher": ("investigador", "investigadora"),
    "nato": ("otan",), "eu": ("ue",), "un": ("onu",),
}
_COUNTRY_KEYS = frozenset(NATION_WORDS.values()) - {"eu", "nato"}
_ROLE_STOPWORDS = frozenset("el la los las del de the of a an su his her for para en in what did say".split())


def _role_words(text: str) -> set[str]:
    out = set()
    for w in _tokens(text):
        if w in _ROLE_STOPWORDS:
            continue
        out.add(w)
        out.update(ROLE_WORDS_EN_ES.get(w, ()))
    return out


def people_with_role(role: str, people: Sequence[Person]) -> list[Person]:
    """The people holding `role` ('el portavoz del Kremlin', 'the French foreign minister'), best first.

    A person holds the role when one of their roles is of the same kind (spokesperson, head of state,
    foreign minister…; Spanish and English words alike) and, if the question names a country, of that
    country ('francés', 'French', 'Kremlin', 'Elíseo'). Among holders, more shared role words and more
    quotes come first. Organisations in the role ('de la OTAN', 'NATO') must be shared. When nobody holds
    the role with the country asked for, the one person holding that kind of role with no country at
    nor organisation ('Su portavoz, Dmitri Peskov') is taken: articles often leave the country to the context.
    Returns [] when nobody in `people` holds it.

    Example: people_with_role("What did the French foreign minister say?"-style role "French foreign
    minister", people) -> [Person('Jean-Noël Barrot', roles=('ministro de Exteriores francés',), …)]
    """
    wanted_class, wanted_nation = role_class(role), nation_of(role)
    if wanted_class is None:
        return []
    related = {"diplomat": {"diplomat", "minister"}, "minister": {"minister", "diplomat"},
               "head": {"head", "pm"}, "pm": {"pm", "head"}}.get(wanted_class, {wanted_class})
    wanted_words = _role_words(role)
    # words that say whose role it is ('Kremlin', 'Gobierno', 'vivienda'): a holder's role must share one
    head_words = {en for en, es in ROLE_WORDS_EN_ES.items() if en in ROLE_HEADS or set(es) & set(ROLE_HEADS)}
    generic = set(ROLE_HEADS) | set(ROLE_MODIFIERS) | head_words \
        | {w for en in head_words for w in ROLE_WORDS_EN_ES[en]} | {"primer", "primera", "prime", "vice"}
    # organisations ('OTAN', 'UE') say whose role it is as much as 'Kremlin' does; countries are checked apart
    complements = {w for w in wanted_words if w not in generic and NATION_WORDS.get(w) not in _COUNTRY_KEYS}
    # a capitalised complement that is no kind of organisation names one ('Atlético', 'Sertradec'): it must be
    # shared even when the country matches ('the president of Atlético Madrid' is not Spain's head of government)
    named = {w for w in (fold(t) for t in re.findall(r"\w+", role) if t[:1].isupper())
             if w in complements and w not in ORG_WORDS}
    scored, unplaced = [], []
    for p in people:
        best = None
        for r in p.roles:
            cls = role_class(r)
            if cls is None or cls not in related:
                continue
            if wanted_class == "diplomat" and cls == "minister" and not re.search(r"exterior|foreign|canciller", fold(r)):
                continue  # any minister is no foreign minister
            nation = nation_of(r)
            if wanted_nation and nation is None and cls == wanted_class and not _role_words(r) - generic:
                unplaced.append(p)  # a bare 'portavoz': the right kind of role, whose it is left to the context
                continue
            if wanted_nation and nation != wanted_nation:
                continue  # 'el portavoz del Kremlin' is not the Government's spokeswoman
            words = _role_words(r)
            shared = len(wanted_words & words)
            if complements and not complements & words and not (wanted_nation and nation == wanted_nation):
                continue
            if named and not named & words:
                continue
            score = (cls == wanted_class, bool(wanted_nation) and nation == wanted_nation, shared,
                     bool(complements & words))
            best = max(best, score) if best else score
        if best is not None:
            scored.append((best, p.n_quotes, p))
    if any(score[3] for score, _n, _p in scored):  # the country alone counts only when nobody shares the rest
        scored = [entry for entry in scored if entry[0][3]]
    scored.sort(key=lambda x: (x[0], x[1]), reverse=True)
    if not scored and len({p.name for p in unplaced}) == 1:
        return unplaced[:1]
    return [p for _score, _n, p in scored]
