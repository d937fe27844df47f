"""`PeopleBook`: the people and statements of one index, merged across articles and cached per index
generation, and the lookup of a person by any name that keeps different people with one surname apart."""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from index.people import canonical_names, merge_people, people_with_role, same_name
from index.speakers import ROLE_HEADS
from index.store import Index
from index.text import fold
from index.types import Person, Quote

SURNAME_SIMILARITY = 85.0
LOOKUP_SIMILARITY = 80.0  # whole-name spelling similarity that still counts as the same name ('pescov')
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class PersonMatch:
    """What a name in a question refers to: one person, several (ambiguous), or none (with suggestions)."""

    person: Person | None
    candidates: tuple[Person, ...] = ()  # set when the name fits more than one person
    suggestions: tuple[str, ...] = ()
    by_role: bool = False  # found as the holder of a role ('el portavoz del Kremlin'), not by name

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def _tokens(name: str) -> list[str]:
    return re.findall(r"[\w'-]+", fold(name))


def compatible(query: str, name: str) -> bool:
    """True when `query` can be a shorter or fuller way of writing `name`: same surname and no word
    the other lacks on the shorter side ('Rosa Luna' ~ 'Verónica Rosa Luna', never ~ 'David Luna')."""
    q, n = _tokens(query), _tokens(name)
    if not q or not n:
        return False
    if fuzz.ratio(q[-1], n[-1]) < (100.0 if min(len(q[-1]), len(n[-1])) < 4 else SURNAME_SIMILARITY):
        return False
    shorter, longer = (q[:-1], n[:-1]) if len(q) <= len(n) else (n[:-1], q[:-1])
    if not shorter:
        return True
    if len(shorter) == len(longer):
        return same_name(query, name)
    return all(any(w == o or (len(w) > 1 and fuzz.ratio(w, o) >= SURNAME_SIMILARITY) or (len(w) == 1 and o.startswith(w))
                   for o in longer) for w in shorter)


class PeopleBook:
    """People merged across articles and their statements under canonical names, rebuilt when the index changes."""

    def __init__(self, index: Index):
        self.index = index
        self._lock = threading.Lock()
        self._state: tuple[int, list[Person], dict[str, str], list[Quote]] | None = None

    def _current(self) -> tuple[list[Person], dict[str, str], list[Quote]]:
        generation = self.index.generation()
        with self._lock:
            if self._state is None or self._state[0] != generation:
                merged = merge_people(self.index.article_people())
                names = _unambiguous_names(merged)
                quotes = [replace(q, speaker=names.get(fold(q.speaker).strip(), q.speaker)) for q in self.index.quotes()]
                counts: dict[str, int] = {}
                for quote in quotes:
                    counts[quote.speaker] = counts.get(quote.speaker, 0) + 1
                merged = [replace(p, n_quotes=counts.get(p.name, 0)) for p in merged]
                self._state = (generation, merged, names, quotes)
            return self._state[1], self._state[2], self._state[3]

    def people(self) -> list[Person]:
        return list(self._current()[0])

    def quotes(self, speaker: str | None = None, doc_id: str | None = None) -> list[Quote]:
        """Statements with canonical speaker names; `speaker` is any name or alias (every person it fits)."""
        _, _, quotes = self._current()
        if doc_id is not None:
            quotes = [q for q in quotes if q.doc_id == doc_id]
        if speaker is None:
            return list(quotes)
        match = self.find(speaker)
        names = {p.name for p in (match.candidates or ((match.person,) if match.person else ()))}
        return [q for q in quotes if q.speaker in names]

    def is_person(self, name: str) -> bool:
        match = self.find(name)
        return match.person is not None or match.ambiguous

    def find(self, name: str) -> PersonMatch:
        """The person `name` refers to: exact names and aliases first, then fuller or shorter forms of
        one name, then the holder of a role ('el portavoz del Kremlin', 'the French foreign minister'),
        then small misspellings. Two people who both fit make the match ambiguous."""
        people = self.people()
        query = fold(name).strip()
        if not query or not people:
            return PersonMatch(None)
        exact = [p for p in people if any(fold(n) == query for n in (p.name, *p.aliases))]
        fitting = exact or [p for p in people if p.kind == "person"
                            and any(compatible(name, n) for n in (p.name, *p.aliases))]
        if len(fitting) == 1:
            return PersonMatch(fitting[0])
        if len(fitting) > 1:
            return PersonMatch(None, tuple(fitting))
        if _names_a_role(name):
            holders = people_with_role(name, people)
            if len(holders) == 1:
                return PersonMatch(holders[0], by_role=True)
            if holders:
                return PersonMatch(None, tuple(holders), by_role=True)
        scored = sorted(((max(fuzz.ratio(query, fold(n)) for n in (p.name, *p.aliases)), i) for i, p in enumerate(people)),
                        reverse=True)
        best, top = scored[0]
        if best >= LOOKUP_SIMILARITY and len(query) >= 4:
            rivals = [i for s, i in scored[1:] if s >= best - 1]
            if not rivals:
                return PersonMatch(people[top])
        return PersonMatch(None, (), tuple(people[i].name for _, i in scored[:MAX_SUGGESTIONS]))


def _names_a_role(text: str) -> bool:
    """True when `text` holds a role word in lower case ('portavoz del Kremlin', 'foreign minister'):
    a capitalised 'Mayor' or 'General' may be part of a name."""
    return any(fold(w) in ROLE_HEADS for w in re.findall(r"\w+", text) if w[:1].islower())


def _unambiguous_names(people: list[Person]) -> dict[str, str]:
    """Folded names and aliases mapped to their person, leaving out an alias two people share."""
    owners: dict[str, set[str]] = {}
    for p in people:
        for n in (p.name, *p.aliases):
            owners.setdefault(fold(n).strip(), set()).add(p.name)
    names = canonical_names(people)
    return {k: v for k, v in names.items() if len(owners.get(k, ())) == 1}
