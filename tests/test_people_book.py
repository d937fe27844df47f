"""PeopleBook: people with one surname stay apart, a shared surname is ambiguous, and "who is X"
answers from the people records. The speakers come from hand annotations (the quote rules are
measured elsewhere); everything else is the real ingest, store, model and assistant."""
from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.people_book import compatible
from index.quotes import ArticleQuotes
from index.types import Person, Quote

COUNCIL = (
    "El pleno de Olmedilla aprueba la peatonalización del centro\n\n"
    "La alcaldesa, Verónica Rosa Luna, defendió el plan en el pleno del jueves. «Las calles del centro tienen "
    "que volver a ser de los vecinos», afirmó Rosa Luna.\n\n"
    "El portavoz de la oposición, David Luna, votó en contra. «Primero hacen falta autobuses y luego cortar "
    "calles», dijo el concejal.\n\n"
    "La concejala de Hacienda, Pilar León, explicó que el plan costará 1,8 millones de euros.\n"
)
# Who said what in COUNCIL, by hand: (speaker, exact statement, roles).
ANNOTATED = [
    ("Verónica Rosa Luna", "Las calles del centro tienen que volver a ser de los vecinos", ("alcaldesa",)),
    ("David Luna", "Primero hacen falta autobuses y luego cortar calles", ("portavoz de la oposición",)),
]


def annotated_quotes(doc, known=None) -> ArticleQuotes:
    quotes, people = [], []
    for n, (speaker, statement, roles) in enumerate(ANNOTATED, start=1):
        start = doc.text.index(statement)
        quotes.append(Quote(f"{doc.id}#q{n}", doc.id, speaker, start, start + len(statement), statement, True))
        aliases = (speaker, " ".join(speaker.split()[-2:])) if len(speaker.split()) > 2 else (speaker,)
        people.append(Person(speaker, aliases, roles, "person", 1))
    mentioned = (Person("Pilar León", ("Pilar León", "León"), ("concejala de Hacienda",), "person", 0),)
    return ArticleQuotes(tuple(quotes), tuple(people), mentioned)


@pytest.fixture(scope="module")
def council(tmp_path_factory, embedder):
    from index.chunking import Chunker
    from index.ingest import ingest

    folder = tmp_path_factory.mktemp("council")
    (folder / "pleno_olmedilla.txt").write_text(COUNCIL, encoding="utf-8")
    assistant = Assistant.open(folder / "index")
    ingest(assistant.index, [folder / "pleno_olmedilla.txt"], embedder,
           Chunker(embedder.count_tokens, embedder.max_tokens), extract_quotes=annotated_quotes)
    return assistant


@pytest.mark.parametrize("query, name, expected", [
    ("Rosa Luna", "Verónica Rosa Luna", True),
    ("Verónica Luna", "Verónica Rosa Luna", True),
    ("Verónica Rosa Luna", "David Luna", False),
    ("Luna", "David Luna", True),
    ("Sánchez", "Pedro Sánchez", True),
    ("P. Sánchez", "Pedro Sánchez", True),
    ("Marco Rubio", "Marta Rubio", False),
    ("Carmen Paz", "Octavio Paz", False),
    ("de la Torre", "Manuel de la Torre", True),
    ("Andrés León", "León", True),
    ("Isabel Flores", "Isabel Blanco", False),
    ("Jean-Noel Barrot", "Jean-Noël Barrot", True),
])
def test_compatible_names(query, name, expected):
    assert compatible(query, name) is expected


def test_two_people_with_one_surname_stay_two(council):
    names = {p.name for p in council.people()}
    assert {"Verónica Rosa Luna", "David Luna"} <= names
    assert [q.speaker for q in council.quotes(speaker="Verónica Rosa Luna")] == ["Verónica Rosa Luna"]
    assert [q.speaker for q in council.quotes(speaker="David Luna")] == ["David Luna"]
    assert council.book.find("Rosa Luna").person.name == "Verónica Rosa Luna"


def test_what_did_one_luna_say_never_cites_the_other(council):
    answer = council.ask("What did Verónica Rosa Luna say?")
    assert answer.intent == "quote" and answer.person == "Verónica Rosa Luna"
    assert [c.speaker for c in answer.citations] == ["Verónica Rosa Luna"]
    doc = council.document(answer.citations[0].doc_id)
    assert doc.text[answer.citations[0].start:answer.citations[0].end] == answer.citations[0].text
    assert "autobuses" not in answer.text


def test_a_surname_two_people_share_is_ambiguous_and_lists_both_cited(council):
    match = council.book.find("Luna")
    assert match.ambiguous and {p.name for p in match.candidates} == {"Verónica Rosa Luna", "David Luna"}
    answer = council.ask("¿Qué dijo Luna?")
    assert answer.text.startswith("En estos artículos hay varias personas llamadas «Luna»")
    assert "Verónica Rosa Luna (alcaldesa) [" in answer.text and "David Luna (portavoz de la oposición) [" in answer.text
    assert sorted(c.speaker for c in answer.citations) == ["David Luna", "Verónica Rosa Luna"]
    for c in answer.citations:
        assert council.document(c.doc_id).text[c.start:c.end] == c.text
        assert f"[{c.n}]" in answer.text


@pytest.mark.parametrize("question, role, language", [
    ("¿Quién es Pilar León?", "concejala de Hacienda", "es"),
    ("Who is David Luna?", "portavoz de la oposición", "en"),
])
def test_who_is_answers_with_the_role_and_the_sentence_that_names_it(council, question, role, language):
    answer = council.ask(question)
    assert answer.intent == "person" and answer.language == language
    assert role in answer.text
    [citation] = answer.citations
    assert role in citation.text and answer.person.split()[-1] in citation.text
    assert council.document(citation.doc_id).text[citation.start:citation.end] == citation.text


def test_who_is_a_role_answers_with_the_person_who_holds_it(council):
    answer = council.ask("¿Quién es la alcaldesa?")
    assert answer.intent == "person" and answer.person == "Verónica Rosa Luna"
    [citation] = answer.citations
    assert "La alcaldesa, Verónica Rosa Luna" in citation.text
    assert council.document(citation.doc_id).text[citation.start:citation.end] == citation.text
    # a role nobody holds stays a fact question
    assert council.ask("¿Quién es el presidente del comité militar?").intent == "fact"
