"""One test per attribution construction, in Spanish and English, on sentences written for these tests."""
from __future__ import annotations

import pytest

from index.quotes import extract_quotes
from index.types import Document


def said(text: str) -> list[tuple[str, str]]:
    result = extract_quotes(Document(id="t", title="t", text=text))
    for q in result.quotes:
        assert text[q.start:q.end] == q.text
    return [(q.speaker, q.text) for q in result.quotes]


def speakers(text: str) -> list[str]:
    return [speaker for speaker, _text in said(text)]


# ---- the subject is not the nearest phrase

def test_a_credited_outlet_is_not_the_speaker():
    text = ("La consejera Lucía Flores visitó el centro. Sus palabras, recogidas por Europa Press, "
            "ha señalado que la obra terminará en mayo.")
    assert speakers(text) == ["Lucía Flores"]


def test_an_addressee_is_not_the_speaker():
    text = "La portavoz vecinal, Marta Gil, pidió al alcalde que explique el contrato de la limpieza."
    assert said(text) == [("Marta Gil", "explique el contrato de la limpieza")]


def test_an_organisation_before_the_role_word_gives_way_to_the_person():
    text = '"We were simply better in the second half," says Jamshedpur boss Owen Coyle.'
    assert speakers(text) == ["Owen Coyle"]
    text = '"The results will come," said Northfield coach Daniel Park after the match.'
    assert speakers(text) == ["Daniel Park"]


@pytest.mark.parametrize("text, speaker", [
    ("La bióloga Laura Soler visitó la granja. «Es un hallazgo notable», afirmó durante la reunión Soler.",
     "Laura Soler"),
    ("Isabel Rodríguez, ministra de Vivienda, visitó Málaga. «Habrá más vivienda pública», declaró ayer la ministra.",
     "Isabel Rodríguez"),
    ("El alcalde, Jorge Serrano, inauguró el puente. «Llega con dos años de retraso», reconoció este lunes el alcalde.",
     "Jorge Serrano"),
    ('Coach Emma Hill watched from the stand. "We lost our heads," said later Hill.', "Emma Hill"),
])
def test_an_adverb_or_setting_between_the_cue_and_the_subject(text, speaker):
    assert speakers(text) == [speaker]


# ---- roles resolve to the person the article names with them

@pytest.mark.parametrize("text, speaker", [
    ("La portavoz del Gobierno, Pilar Alegría, compareció tras el Consejo de Ministros. "
     "La portavoz dijo que el decreto se aprobará el martes.", "Pilar Alegría"),
    ("Ana Ruiz, ministra de Vivienda, presentó el plan. La ministra aseguró que habrá ayudas.", "Ana Ruiz"),
    ("The minister, Tom Price, opened the debate. The minister said the bill would pass.", "Tom Price"),
])
def test_a_role_resolves_to_its_holder(text, speaker):
    assert speakers(text) == [speaker]


def test_an_unresolved_role_stays_a_role_speaker():
    result = extract_quotes(Document(id="t", title="t", text="El portavoz municipal dijo que el pleno se aplaza."))
    assert [(q.speaker, q.speaker_kind) for q in result.quotes] == [("portavoz municipal", "role")]


# ---- constructions, Spanish and English

@pytest.mark.parametrize("text, speaker, statement", [
    ("La portavoz del Gobierno, Pilar Alegría, habló tras el consejo. Para la portavoz, la reforma llega tarde y mal.",
     "Pilar Alegría", "la reforma llega tarde y mal"),
    ("Para Rosa Paz, el acuerdo con los sindicatos es el mejor posible.", "Rosa Paz",
     "el acuerdo con los sindicatos es el mejor posible"),
])
def test_para_x(text, speaker, statement):
    assert said(text) == [(speaker, statement)]


@pytest.mark.parametrize("text, speaker, statement", [
    ("La reforma se aprobará en otoño, según ha indicado Margarita Robles.", "Margarita Robles",
     "La reforma se aprobará en otoño"),
    ("Según explicó el concejal Luis Flores, las obras empezarán en enero.", "Luis Flores",
     "las obras empezarán en enero"),
    ("The reform will fail, according to academics at the university.", "academics", "The reform will fail"),
])
def test_segun_and_according_to(text, speaker, statement):
    assert said(text) == [(speaker, statement)]


@pytest.mark.parametrize("text, speaker, statement", [
    ("Nicolás Maduro aseguró estar dispuesto a negociar con la oposición.", "Nicolás Maduro",
     "estar dispuesto a negociar con la oposición"),
    ("El acusado, Felipe Gil, negó haber recibido dinero de la empresa.", "Felipe Gil",
     "haber recibido dinero de la empresa"),
    ("Mark Short claimed to have warned the board twice.", "Mark Short", "to have warned the board twice"),
])
def test_verb_plus_infinitive(text, speaker, statement):
    assert said(text) == [(speaker, statement)]


@pytest.mark.parametrize("text, speaker, statement", [
    ("Rosa Paz visited the plant on Monday. The plan, she said, was never going to work.", "Rosa Paz",
     "The plan, she said, was never going to work"),
    ("Grace Young visited the plant. The plan was never going to work, she said.", "Grace Young",
     "The plan was never going to work"),
    ("El acuerdo, dijo Pedro Sánchez, está más cerca que nunca.", "Pedro Sánchez",
     "El acuerdo, dijo Pedro Sánchez, está más cerca que nunca"),
])
def test_a_parenthetical_cue(text, speaker, statement):
    assert said(text) == [(speaker, statement)]


@pytest.mark.parametrize("text, speaker", [
    ("Felipe González went on to say that the party had lost its way.", "Felipe González"),
    ("Carmen Martín volvió a insistir en que el hospital abrirá en junio.", "Carmen Martín"),
])
def test_a_speech_verb_in_the_infinitive(text, speaker):
    assert speakers(text) == [speaker]


@pytest.mark.parametrize("text, speaker", [
    ("León Blanco, entrenador del club, analizó que el equipo mejoró en defensa.", "León Blanco"),
    ("La economista Paz Flores prevé que la inflación baje en otoño.", "Paz Flores"),
    ("Rosa Díez mencionó que la ley llega tarde.", "Rosa Díez"),
    ("Senator Rand Paul opined that the bill was unconstitutional.", "Rand Paul"),
    ("Amber Rudd remarked that the numbers looked better.", "Amber Rudd"),
    ("Mark Carney dismissed the forecast as wishful thinking.", "Mark Carney"),
])
def test_lexicon_verbs(text, speaker):
    assert speakers(text) == [speaker]


def test_a_pronoun_takes_the_person_named_since_the_last_statement():
    text = ('"We will vote on Friday," said Senator Tom Price. Asked about the delay, Grace Young smiled. '
            '"Ask me next week," she said.')
    assert speakers(text) == ["Tom Price", "Grace Young"]


def test_a_name_inside_quotation_marks_is_not_a_speaker():
    text = ('Bishop, who is reading "The Long Squeeze" on his commute, smiled at the press. '
            '"I know everyone wants a date," he said. Andrew Bishop leads the bank.')
    assert "Long Squeeze" not in speakers(text)


# ---- paragraph structure

def test_blank_lines_and_single_newlines_give_the_same_statements():
    paragraphs = [
        "La alcaldesa, Carmen Martín, presentó el presupuesto municipal.",
        "«Es el presupuesto más social de la historia de la ciudad», dijo Martín.",
        "«Vamos a bajar el IBI a las familias numerosas», añadió.",
        "El concejal de Hacienda, León Blanco, explicó que la deuda baja un diez por ciento.",
        "«No hay trampa ni cartón», insistió.",
    ]
    single = said("\n".join(paragraphs))
    blank = said("\n\n".join(paragraphs))
    padded = said("\n \n".join(paragraphs))
    assert single == blank == padded
    assert [s for s, _t in single] == ["Carmen Martín", "Carmen Martín", "León Blanco", "León Blanco"]


def test_a_surname_alone_is_the_person_last_named_in_full():
    text = ("Teenager Young Wins Again\n"
            "The wildcard Ellie Young beat the top seed on Friday. "
            '"I came here hoping to win one match," Young said.')
    assert speakers(text) == ["Ellie Young"]


def test_a_sentence_opening_article_is_no_organisation():
    text = ("Un doblete de Sergio Luna dio la victoria al equipo. "
            "Según el club, más de dos mil aficionados viajaron para ver el partido.")
    result = extract_quotes(Document(id="t", title="t", text=text))
    assert "Un" not in [p.name for p in result.people]


def test_a_possessive_name_is_not_the_subject():
    text = "Doug Ducey's spokesman, Daniel Scarpinato, said the governor would sign the bill on Monday."
    assert speakers(text) == ["Daniel Scarpinato"]


@pytest.mark.parametrize("text, speaker", [
    ("En palabras de Rosa Paz, «construir más rápido es una necesidad».", "Rosa Paz"),
    ('In the words of Mark Carney, "the recovery is fragile and uneven".', "Mark Carney"),
])
def test_in_the_words_of(text, speaker):
    assert speakers(text) == [speaker]


def test_a_definite_noun_phrase_after_a_quote_is_the_speaker():
    text = ('The final was played under a grey sky. "She played fearless tennis today," the top seed said.')
    assert speakers(text) == ["top seed"]
    # with a person just named, the bare role refers back to her (tests/test_quotes_role_anaphora.py)
    text = ('Marta Gil lost in three sets. "She played fearless tennis today," the top seed said.')
    assert speakers(text) == ["Marta Gil"]


def test_a_role_before_an_aside_is_the_subject():
    text = ("Declan Price opened the talks. A Commission spokesperson, speaking on condition of anonymity, "
            "said Brussels was ready to act as a mediator.")
    assert speakers(text) == ["Commission spokesperson"]


def test_an_organisation_name_with_of_is_one_organisation():
    text = "According to the Department of Foreign Affairs, a first technical round has been set for June."
    assert speakers(text) == ["Department of Foreign Affairs"]


@pytest.mark.parametrize("text, speaker", [
    ("El gobernador, Pablo Cruz, presentó el informe. A su juicio, la falta de oferta explica la subida de precios.",
     "Pablo Cruz"),
    ("Rosa Paz spoke after the vote. In her view, the reform will fail without more funding.", "Rosa Paz"),
])
def test_in_their_view(text, speaker):
    assert speakers(text) == [speaker]
