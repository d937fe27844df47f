"""Merging people across articles, alias maps and forgiving name lookup."""
from __future__ import annotations

from index.people import canonical_names, fullest_name, match_person, merge_people
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
