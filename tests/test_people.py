"""Merging people across articles, alias maps and forgiving name lookup."""
from __future__ import annotations

import pytest

from index.people import canonical_names, fullest_name, group_people, match_person, merge_people
from index.types import Person


def test_zelensky_spellings_merge_into_one_person():
    merged = merge_people([
        Person("Volodymyr Zelensky", ("Zelensky",), ("presidente ucraniano",), n_quotes=4),
        Person("Volodimir Zelenski", ("Zelenski",), ("líder ucraniano",), n_quotes=2),
        Person("Zelenskyy", n_quotes=1),
    ])
    assert len(merged) == 1
    p = merged[0]
    assert p.n_quotes == 7
    assert p.roles == ("presidente ucraniano", "líder ucraniano")
    assert {"Zelensky", "Zelenski", "Zelenskyy", "Volodimir Zelenski"} <= set(p.aliases)
    assert len(p.name.split()) == 2


def test_dmitri_and_dmitry_are_one_person_with_surname_alias():
    merged = merge_people([Person("Dmitri Peskov", n_quotes=2), Person("Dmitry Peskov", n_quotes=1)])
    assert [p.name for p in merged] == ["Dmitri Peskov"]
    assert "Peskov" in merged[0].aliases and "Dmitry Peskov" in merged[0].aliases


def test_accents_and_a_dropped_final_letter_give_the_fullest_name():
    merged = merge_people([Person("Jean-Noel Barrot", n_quotes=3), Person("Jean-Noël Barro")])
    assert [p.name for p in merged] == ["Jean-Noël Barrot"]
    assert fullest_name({"Jean-Noel Barrot": 1, "Jean-Noël Barro": 1}) == "Jean-Noël Barrot"


def test_different_people_with_one_surname_stay_apart():
    merged = merge_people([Person("Boris Johnson", n_quotes=1), Person("Lyndon Johnson", n_quotes=1)])
    assert sorted(p.name for p in merged) == ["Boris Johnson", "Lyndon Johnson"]


def test_places_are_not_merged_with_people():
    merged = merge_people([Person("Moscú", kind="place", n_quotes=1), Person("Moscu", kind="place", n_quotes=1),
                           Person("Georgy Moskvin", n_quotes=1)])
    assert sorted((p.kind, p.n_quotes) for p in merged) == [("person", 1), ("place", 2)]


def test_canonical_names_maps_every_alias_folded():
    people = merge_people([Person("Rob Bauer", ("Bauer",), ("almirante holandés",), n_quotes=5)])
    names = canonical_names(people)
    assert names["bauer"] == "Rob Bauer" and names["rob bauer"] == "Rob Bauer"


def test_match_person_by_alias_accent_case_and_typo():
    people = merge_people([Person("Jean-Noël Barrot", ("Barrot",), n_quotes=3),
                           Person("Dmitri Peskov", ("Peskov",), n_quotes=2),
                           Person("Volodymyr Zelensky", ("Zelensky",), n_quotes=5)])
    for query in ("Barrot", "jean-noel barrot", "PESKOV", "Dmitry Peskov", "Zelenski", "Zelenskyy", "Peskof"):
        person, suggestions = match_person(query, people)
        assert person is not None, query
        assert suggestions == []
    assert match_person("peskov", people)[0].name == "Dmitri Peskov"


def test_unknown_person_gets_up_to_three_suggestions():
    people = merge_people([Person("Jean-Noël Barrot", n_quotes=3), Person("Dmitri Peskov", n_quotes=2),
                           Person("Volodymyr Zelensky", n_quotes=5), Person("Rob Bauer", n_quotes=1)])
    person, suggestions = match_person("Lavrov", people)
    assert person is None
    assert 1 <= len(suggestions) <= 3 and all(s in {p.name for p in people} for s in suggestions)
    assert match_person("", people) == (None, [])


# ---- merging by blocks gives the results of comparing every pair

def _merge_without_blocks(people):
    """The same greedy merge, comparing each record with every group (the quadratic reference)."""
    from index.people import _may_be_same, _tokens
    from index.text import fold

    groups = []
    for p in sorted(people, key=lambda p: -len(_tokens(p.name))):
        names = (p.name, *p.aliases)
        full = [n for n in names if len(_tokens(n)) > 1]
        mine = full or list(names)
        home = None
        for g in groups:
            if g[0].kind != p.kind:
                continue
            if p.kind != "person":
                if any(fold(n) == fold(x.name) for n in names for x in g):
                    home = g
                    break
                continue
            group_names = [n for x in g for n in (x.name, *x.aliases)]
            pool = [m for m in group_names if len(_tokens(m)) > 1] if full else group_names
            if any(_may_be_same(n, m) for n in mine for m in pool if full or fold(n) == fold(m) or len(_tokens(m)) > 1):
                home = g
                break
        if home is None:
            groups.append([p])
        else:
            home.append(p)
    return sorted(sorted((x.name for x in g)) for g in groups)


def _population(n):
    given = "Pedro Carmen Isabel Nicolás Margarita Felipe Rosa León Ana Luis Marta Jorge Elena Pablo".split()
    surnames = ("Sánchez Martín Rodríguez Robles González Paz Blanco Flores Rubio Torres Navarro Gil Serrano "
                "Zelensky Zelenski Zelenskyy Peskov Macron Barrot Barro").split()
    out = []
    for i in range(n):
        g, s = given[i % len(given)], surnames[(i * 7) % len(surnames)]
        if i % 5 == 0:
            out.append(Person(s, n_quotes=1))
        else:
            out.append(Person(f"{g} {s}", (s,), n_quotes=i % 3))
        if i % 11 == 0:
            out.append(Person(f"Ministerio {i % 4}", kind="organization"))
    return out


def test_merge_by_blocks_matches_the_all_pairs_merge():
    people = _population(300)
    blocked = sorted(sorted(x.name for x in g) for g in group_people(people))
    assert blocked == _merge_without_blocks(people)
    assert len(merge_people(people)) == len(blocked)


def test_a_shared_surname_never_merges_two_full_names():
    merged = merge_people([Person("Claire Young", ("Young",), n_quotes=2), Person("Mark Young", ("Young",), n_quotes=1)])
    assert sorted(p.name for p in merged) == ["Claire Young", "Mark Young"]


def test_a_double_surname_is_one_person():
    merged = merge_people([Person("Delia Espinoza Valenzuela"), Person("Delia Espinoza"), Person("Espinoza Valenzuela")])
    assert [p.name for p in merged] == ["Delia Espinoza Valenzuela"]


# ---- who holds a role

from index.people import people_with_role  # noqa: E402

HOLDERS = [
    Person("Dmitri Peskov", roles=("portavoz del Kremlin",), n_quotes=3),
    Person("Jean-Noël Barrot", roles=("ministro de Exteriores francés",), n_quotes=2),
    Person("Emmanuel Macron", roles=("presidente francés",), n_quotes=5),
    Person("Andrii Sybiha", roles=("canciller ucraniano",)),
    Person("Pilar Alegría", roles=("portavoz del Gobierno",)),
    Person("Isabel Rodríguez", roles=("ministra de Vivienda",)),
]


@pytest.mark.parametrize("role, holders", [
    ("portavoz del Kremlin", ["Dmitri Peskov"]),
    ("Kremlin spokesman", ["Dmitri Peskov"]),
    ("French foreign minister", ["Jean-Noël Barrot"]),
    ("el canciller francés", ["Jean-Noël Barrot"]),
    ("the Ukrainian foreign minister", ["Andrii Sybiha"]),
    ("French president", ["Emmanuel Macron"]),
    ("presidente francés", ["Emmanuel Macron"]),
    ("spokeswoman for the government", ["Pilar Alegría"]),
    ("housing minister", ["Isabel Rodríguez"]),
    ("la ministra de Vivienda", ["Isabel Rodríguez"]),
    ("el alcalde", []),
    ("Peskov", []),
])
def test_people_with_role(role, holders):
    assert [p.name for p in people_with_role(role, HOLDERS)] == holders


def test_given_names_that_only_share_an_initial_stay_apart():
    merged = merge_people([Person("Rachel Bishop", ("Bishop",), n_quotes=2), Person("Raj Bishop", ("Bishop",), n_quotes=1),
                           Person("Marta Castillo", n_quotes=1), Person("Marc Castillo", n_quotes=1),
                           Person("Michael Young", n_quotes=1), Person("Mark Young", n_quotes=1),
                           Person("Volodymyr Zelensky", n_quotes=1), Person("Volodimir Zelenski", n_quotes=1)])
    assert sorted(p.name for p in merged) == ["Marc Castillo", "Mark Young", "Marta Castillo", "Michael Young",
                                              "Rachel Bishop", "Raj Bishop", "Volodymyr Zelensky"]
    names = canonical_names(merged)
    assert names["raj bishop"] == "Raj Bishop" and names["michael young"] == "Michael Young"
