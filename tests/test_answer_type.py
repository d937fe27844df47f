"""What a fact question needs of a sentence: a quantity question is answered by a sentence that states one
(of money, when it asks about money), and a name no retrieved passage contains is refused. Rules on
sentences written for these tests, then end to end through a real index, model and `Assistant.ask`."""
from __future__ import annotations

import pytest

from assistant.answer_type import absent_names, asks_money, asks_quantity, can_answer, question_names
from conftest import assistant_over


@pytest.mark.parametrize("question", [
    "¿Cuántos vecinos firmaron la petición?", "¿Cuánto costará la reforma del mercado?",
    "¿Qué porcentaje de los votos obtuvo Rosa Paz?", "¿En qué año abrió el museo?",
    "How many people live in Leon?", "How much did the council pay for the land?",
    "What percentage of voters backed Mayor Young?", "In what year did the bridge open?",
    "¿Y cuántas plazas tendrá el aparcamiento?",
])
def test_quantity_questions_are_recognised(question):
    assert asks_quantity(question)


@pytest.mark.parametrize("question", [
    "¿Cuánto tiempo duró la huelga?", "How long did the strike last?", "¿Quién es el alcalde de León?",
    "What did Sánchez say about the budget?", "¿Cómo se decidió cuántos concejales tendría cada partido?",
    "Why did the mayor resign?",
])
def test_other_questions_ask_for_no_quantity(question):
    assert not asks_quantity(question)


@pytest.mark.parametrize("question, money", [
    ("¿Cuánto costará la reforma del mercado?", True), ("¿Cuánto cobran los repartidores?", True),
    ("How much did the council pay for the land?", True), ("How much money did the club spend?", True),
    ("¿Cuántos vecinos firmaron la petición?", False), ("How many goals did Rubio score?", False),
    ("How many bills has the governor signed during the budget talks?", False),  # a count, in a money story
    ("¿Cuántas enmiendas al presupuesto presentó el PP?", False),
])
def test_money_questions_are_told_apart(question, money):
    assert asks_money(question) is money


@pytest.mark.parametrize("question, sentence, answers", [
    ("¿Cuántos vecinos firmaron la petición?", "La petición reunió 1.250 firmas en dos semanas.", True),
    ("¿Cuántos vecinos firmaron la petición?", "Cientos de vecinos firmaron la petición.", True),
    ("¿Cuántos vecinos firmaron la petición?", "Los vecinos de León firmaron la petición con entusiasmo.", False),
    ("How many goals did Rubio score?", "Rubio scored twice in the second half.", True),
    ("How many goals did Rubio score?", "Rubio was the best player on the pitch, his coach said.", False),
    ("¿Cuánto costará la reforma del mercado?", "La reforma costará 3,5 millones de euros.", True),
    ("¿Cuánto costará la reforma del mercado?", "La reforma creará tres aparcamientos nuevos.", False),
    ("How much did the dinner cost?", "The two-hour dinner was paid by the party, aides said.", False),
    ("How much did the dinner cost?", "The dinner cost $45,000.", True),
    ("¿Quién es la alcaldesa?", "La alcaldesa, Carmen Rosa, inauguró el puente.", True),
])
def test_a_sentence_can_answer_only_with_what_the_question_asks_for(question, sentence, answers):
    assert can_answer(question, sentence) is answers


@pytest.mark.parametrize("question, names", [
    ("¿Quién ganó el Premio Alfaguara de novela?", ["Premio Alfaguara"]),
    ("What did the ministry say about Mike Signer's vote?", ["Mike Signer"]),
    ("¿Qué dijo el ministro de Sanidad sobre el hospital de León?", ["Sanidad"]),
    ("¿Cuándo visitó España el presidente Macron?", ["Macron"]),
    ("Who is the French foreign minister?", []),
    ("Rosa Paz dijo algo sobre el puerto?", ["Paz"]),
])
def test_question_names_are_capitalised_runs_without_kind_words(question, names):
    assert question_names(question) == names


PASSAGES = ["El Premio Nacional de Novela recayó en Lucía Martín Blanco, que recibirá 20.000 euros.",
            "La autora, nacida en Potosí, agradeció al jurado y a la editorial Páramo."]


@pytest.mark.parametrize("question, absent", [
    ("¿Quién ganó el Premio Alfaguara de novela?", ["Premio Alfaguara"]),  # ordinary words: all must be there
    ("¿Cuánto recibirá Lucía Martin?", []),                               # accents and one word of the name suffice
    ("¿Dónde nació Lucia Martín Blanko?", []),                            # a typo is still the name
    ("¿Qué dijo la editorial Paramo?", []),
    ("¿Qué dijo Rosa Paz del jurado?", ["Rosa Paz"]),
])
def test_a_name_no_passage_contains_is_absent(question, absent):
    assert absent_names(question, PASSAGES, "es") == absent


def test_across_languages_only_names_no_dictionary_knows_are_checked():
    # 'National', 'Novel', 'Prize' are English words the Spanish article translates; 'Alfaguara' is a name.
    assert absent_names("Who won the National Novel Prize?", PASSAGES, "en", across=True) == []
    assert absent_names("Who won the Alfaguara Prize?", PASSAGES, "en", across=True) == ["Alfaguara Prize"]
    assert absent_names("What did the CPI show?", PASSAGES, "en", across=True) == []  # acronyms are translated
    assert absent_names("What did the CPI show?", PASSAGES, "en") == ["CPI"]  # in one language they are not


MARKET = (
    "León aprueba la reforma del mercado de abastos\n\n"
    "El pleno del Ayuntamiento de León aprobó el jueves la reforma del mercado de abastos, que costará "
    "3,5 millones de euros y abrirá en otoño de 2027.\n\n"
    "La obra creará tres aparcamientos y una plaza peatonal, según explicó la concejala de Urbanismo, Rosa Blanco.\n\n"
    "Los comerciantes del mercado celebraron el acuerdo y pidieron que las obras no coincidan con la Navidad.\n"
)


@pytest.fixture(scope="module")
def market(tmp_path_factory, embedder):
    return assistant_over(tmp_path_factory.mktemp("market"), {"mercado.txt": MARKET})


def _cited(assistant, answer):
    for c in answer.citations:
        assert assistant.document(c.doc_id).text[c.start:c.end] == c.text
    return " ".join(c.text for c in answer.citations)


@pytest.mark.parametrize("question, evidence", [
    ("¿Cuánto costará la reforma del mercado de León?", "3,5 millones de euros"),
    ("How much will the market reform in Leon cost?", "3,5 millones de euros"),
    ("¿Cuántos aparcamientos creará la obra del mercado?", "tres aparcamientos"),
])
def test_a_quantity_question_cites_the_sentence_that_states_it(market, question, evidence):
    assert evidence in _cited(market, market.ask(question))


@pytest.mark.parametrize("question", [
    "¿Cuántos comerciantes celebraron el acuerdo del mercado?",   # the article gives no number of traders
    "How many traders welcomed the market agreement?",
])
def test_a_quantity_the_article_does_not_state_is_refused(market, question):
    answer = market.ask(question)
    assert answer.citations == ()
    assert answer.text in ("No encontré nada en estos artículos que responda a esta pregunta.",
                           "I found nothing in these articles that answers this question.")


def test_a_name_the_articles_never_mention_is_refused_and_named(market):
    answer = market.ask("¿Cuándo abrirá el mercado de abastos de Valdeolmos?")
    assert answer.citations == ()
    assert answer.text.startswith("No encontré nada en estos artículos que responda a esta pregunta")
    assert "«Valdeolmos»" in answer.text
    english = market.ask("When will the Valdeolmos market reopen?")
    assert english.citations == () and "“Valdeolmos”" in english.text
