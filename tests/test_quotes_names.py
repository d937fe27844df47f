"""Names that are ordinary words are people; organisations and places never are (name_kind and in articles)."""
from __future__ import annotations

import pytest

from index.quotes import extract_quotes
from index.speakers import name_kind
from index.types import Document

# Real people whose names are dictionary words in Spanish or English.
SPANISH_PEOPLE = [
    "Pedro Sánchez", "Marco Rubio", "Margarita Robles", "Carmen Martín", "Isabel Rodríguez", "Nicolás Maduro",
    "Felipe González", "De la Torre", "Rosa Paz", "León Blanco", "Pilar Alegría", "Carmen Calvo", "Ana Pastor",
    "Dolores Delgado", "Luis Planas", "Esperanza Aguirre", "Alberto Garzón", "Rosa Díez", "Mar Blanco",
    "Pablo Casado", "Paz Vega", "Victoria Rosell", "Ángel Gabilondo", "Rocío Monasterio", "Yolanda Díaz",
    "Gloria Fuertes", "Lola Flores", "Soledad Becerril", "Fernando Grande-Marlaska", "Salvador Illa",
    "Concepción Arenal", "Rubio", "Paz", "Robles",
]
ENGLISH_PEOPLE = [
    "Rand Paul", "Hope Hicks", "Amber Rudd", "Mark Carney", "Joy Reid", "Tom Price", "Dawn Butler", "Faith Hill",
    "Rose Byrne", "Bill Gates", "Stephen King", "Gordon Brown", "Theresa May", "Penny Mordaunt", "Grace Young",
    "Owen Coyle", "Will Young", "John Bishop",
]
ORGANIZATIONS = [
    "Gobierno", "Universidad de Salamanca", "Universidad de Ohio", "Policía Nacional", "Guardia Civil", "BCE", "PSOE",
    "Europa Press", "Ministerio de Vivienda", "Real Madrid", "Sevilla FC", "Banco de España", "Tribunal Supremo",
    "Ayuntamiento de Valencia", "Harlow & Young", "the Pentagon", "Federación de Comercio", "NHS", "European Commission",
]
PLACES = ["Madrid", "Missouri", "Texas", "Barcelona", "Nueva York", "Estados Unidos", "Sevilla", "Ohio", "Ucrania",
          "León", "Santiago", "Valencia"]


@pytest.mark.parametrize("name", SPANISH_PEOPLE + ENGLISH_PEOPLE)
def test_names_that_are_ordinary_words_are_people(name):
    assert name_kind(name, "es") == "person"
    assert name_kind(name, "en") == "person"


def test_at_least_forty_real_names_are_covered():
    assert len(set(SPANISH_PEOPLE + ENGLISH_PEOPLE)) >= 40


@pytest.mark.parametrize("name", ORGANIZATIONS)
def test_organizations_are_typed(name):
    assert name_kind(name.removeprefix("the "), "es") == "organization"


@pytest.mark.parametrize("name", PLACES)
def test_places_are_typed(name):
    assert name_kind(name, "es") == "place"


def speakers(text: str) -> list[tuple[str, str]]:
    result = extract_quotes(Document(id="t", title="t", text=text))
    for q in result.quotes:
        assert text[q.start:q.end] == q.text
    return [(q.speaker, q.speaker_kind) for q in result.quotes]


@pytest.mark.parametrize("text, speaker", [
    ("Pedro Sánchez aseguró que el Gobierno no subirá el IVA.", "Pedro Sánchez"),
    ("Rosa Paz explicó que la obra terminará en mayo.", "Rosa Paz"),
    ("Margarita Robles ha advertido de que el plan llega tarde y ha pedido calma.", "Margarita Robles"),
    ("Carmen Martín dijo que el hospital abrirá en junio.", "Carmen Martín"),
    ("De la Torre mencionó que la obra se retrasará dos meses.", "De la Torre"),
    ("Rubio afirmó que la relación con Madrid es sólida.", "Rubio"),
    ("Amber Rudd said the figures were disappointing.", "Amber Rudd"),
    ("Hope Hicks told reporters that the meeting had gone well.", "Hope Hicks"),
])
def test_sentence_initial_names_that_are_words(text, speaker):
    assert speakers(text) == [(speaker, "person")]


def test_a_surname_alone_that_is_a_city_is_the_person_the_article_named():
    text = ("La entrenadora Ana León presentó la plantilla el lunes. "
            "León explicó que el equipo necesita dos fichajes más.")
    assert speakers(text) == [("Ana León", "person")]


def test_a_single_word_at_a_sentence_start_is_no_name_when_the_article_writes_it_in_lower_case():
    text = ("Los vecinos protestaron por el ruido de la obra. "
            "Vecinos consultados aseguraron que el ruido empieza a las seis.")
    assert all(kind != "person" for _speaker, kind in speakers(text))


@pytest.mark.parametrize("text, speaker, kind", [
    ("Según la Policía Nacional, los detenidos tenían antecedentes por robo.", "Policía Nacional", "organization"),
    ("The company said it would cut 200 jobs in the spring. Acme Foods had warned of losses in May.",
     "company", "organization"),
    ("El BCE ha explicado que los tipos seguirán altos durante el verano.", "BCE", "organization"),
    ("La Universidad de Salamanca informó de que el curso empezará el 15 de septiembre.",
     "Universidad de Salamanca", "organization"),
])
def test_organizations_speak_as_organizations(text, speaker, kind):
    assert speakers(text) == [(speaker, kind)]


def test_an_organization_in_people_has_the_organization_kind():
    text = ("La consultora Harlow & Young publicó su informe anual. "
            "La empresa aseguró que las ventas crecerán un tres por ciento.")
    result = extract_quotes(Document(id="t", title="t", text=text))
    assert [(q.speaker, q.speaker_kind) for q in result.quotes] == [("Harlow & Young", "organization")]
    assert [(p.name, p.kind) for p in result.people] == [("Harlow & Young", "organization")]


@pytest.mark.parametrize("text", [
    "«Es un hallazgo notable», dijo en Missouri el equipo de la universidad.",
    "El informe, recogido por Europa Press, ha señalado que el plazo vence en marzo.",
    "La Audiencia Nacional pide al alcalde que explique el contrato.",
    "En Texas, los datos de la sequía preocupan a los agricultores, según el informe.",
])
def test_places_and_credited_outlets_never_become_people(text):
    assert all(kind != "person" for _speaker, kind in speakers(text))


def test_a_multiword_name_after_an_article_is_an_organisation():
    from index.quotes import extract_quotes
    from index.types import Document
    text = ("El Real Oviedo ganó en Tarragona. Según el club asturiano, dos mil aficionados viajaron al partido. "
            "The Northfield Rovers lost again on Saturday. The club said the manager would stay.")
    found = [(q.speaker, q.speaker_kind) for q in extract_quotes(Document(id="t", title="t", text=text)).quotes]
    assert found == [("Real Oviedo", "organization"), ("Northfield Rovers", "organization")]


def test_a_generic_organisation_is_the_one_the_article_keeps_naming():
    from index.quotes import extract_quotes
    from index.types import Document
    text = ("El Real Oviedo remonta. El Real Oviedo ganó en el Nou Estadi. El partido acabó 1-2. "
            "Según el club asturiano, dos mil aficionados viajaron al partido.")
    found = [(q.speaker, q.speaker_kind) for q in extract_quotes(Document(id="t", title="t", text=text)).quotes]
    assert found == [("Real Oviedo", "organization")]
    text = ("El CSIC lidera el estudio. El CSIC presentó los datos. El trabajo ha sido financiado por la Agencia "
            "Estatal de Investigación. Fuentes del organismo indicaron que el proyecto seguirá.")
    found = [(q.speaker, q.speaker_kind) for q in extract_quotes(Document(id="t", title="t", text=text)).quotes]
    assert found == [("Agencia Estatal de Investigación", "organization")]


@pytest.mark.parametrize("heading", [
    "EXPLICACIÓN DEL GOBIERNO TRAS LA ADVERTENCIA",
    "LA RESPUESTA DE LOS SINDICATOS",
    "WHAT THE MAYOR SAID ABOUT THE BUDGET",
])
def test_a_heading_in_capitals_is_no_speaker(heading):
    assert name_kind(heading, "es") == "other"
    text = f"El Gobierno difundió una nota el lunes.\n\n{heading}\n\n«No habrá recortes», dijo la ministra, Ana Paz."
    quotes = extract_quotes(Document(id="t", title="t", text=text)).quotes
    assert [q.speaker for q in quotes] == ["Ana Paz"]


@pytest.mark.parametrize("acronym", ["UGT", "CCOO", "PSOE", "NATO", "BBVA", "CCOO Industria"])
def test_acronyms_in_capitals_stay_organisations(acronym):
    assert name_kind(acronym, "es") == "organization"
