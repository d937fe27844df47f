"""A bare definite role ('el analista', 'la investigadora', 'the economist') stands for the person just
named; an article naming someone else, a plural, or a role of an organisation does not resolve this way."""
from __future__ import annotations

from index.quotes import extract_quotes
from index.quotes.roles import person_gender, word_gender
from index.speakers import Entity
from index.types import Document


def said(text: str) -> list[tuple[str, str]]:
    result = extract_quotes(Document(id="t", title="t", text=text))
    for q in result.quotes:
        assert text[q.start:q.end] == q.text
    return [(q.speaker, q.speaker_kind) for q in result.quotes]


def test_a_role_word_the_person_was_not_given_refers_back_to_them():
    text = ("El responsable de estudios de la consultora, Pablo León, explicó que los precios seguirán altos. "
            "El analista añadió que la oferta tardará en recuperarse.")
    assert said(text) == [("Pablo León", "person"), ("Pablo León", "person")]


def test_a_feminine_role_after_a_direct_quote_is_the_woman_just_named():
    text = ("La geóloga Rosa Blanco recordó que el acuífero está al límite. "
            "«No podemos seguir regando como hace veinte años», advirtió la investigadora.")
    assert said(text) == [("Rosa Blanco", "person"), ("Rosa Blanco", "person")]


def test_the_article_gender_skips_a_person_of_the_other_gender():
    text = ("La ministra Carmen Paz recibió al alcalde Pedro Sánchez, que pidió más fondos. "
            "La economista advirtió de que el déficit no lo permite.")
    assert said(text)[-1] == ("Carmen Paz", "person")


def test_english_definite_role_refers_back_in_either_gender():
    text = ("Grace Hill, who runs the food bank, said demand had doubled. "
            "The manager added that donations had fallen since the spring.")
    assert said(text) == [("Grace Hill", "person"), ("Grace Hill", "person")]


def test_a_role_of_an_organisation_or_far_away_person_stays_a_role():
    text = "Lucas Rubio presentó el proyecto en marzo. El portavoz de Aire Limpio dijo que recurrirán la decisión."
    assert said(text) == [("portavoz de Aire Limpio", "role")]
    text = ("Marta León habló en el pleno. Después hubo un receso de una hora. Los concejales salieron a la calle. "
            "Llovía con fuerza. El técnico explicó que el informe estaba terminado.")
    assert said(text) == [("técnico", "role")]


def test_gender_of_role_words_and_given_names():
    assert [word_gender(w) for w in ("investigadora", "ministra", "neurólogo", "director", "periodista",
                                     "pediatra", "portavoz", "Marina", "Javier")] == \
        ["f", "f", "m", "m", None, None, None, "f", None]
    assert person_gender(Entity("Rosa Blanco", "person", {"Rosa Blanco"}, ["geóloga"])) == "f"
    assert person_gender(Entity("Paz Flores", "person", {"Paz Flores"}, ["periodista"])) is None
    assert person_gender(Entity("Leo", "person", {"Leo"})) is None
