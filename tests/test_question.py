"""Question understanding in Spanish and English."""
from __future__ import annotations

import pytest

from assistant.question import Question, parse_question


@pytest.mark.parametrize("text, language, person, topic", [
    ("What did Peskov say?", "en", "Peskov", None),
    ("what did peskov say", "en", "peskov", None),
    ("What has Macron said about European troops?", "en", "Macron", "European troops"),
    ("What did Putin warn about the summit?", "en", "Putin", "the summit"),
    ("What did the French president announce?", "en", "French president", None),
    ("What Zelensky said about the coalition", "en", "Zelensky", "the coalition"),
    ("Barrot's statements on Ukraine", "en", "Barrot", "Ukraine"),
    ("Rob Bauer's remarks about China", "en", "Rob Bauer", "China"),
    ("quotes from Jean-Noël Barrot", "en", "Jean-Noël Barrot", None),
    ("¿Qué dijo Peskov sobre la cumbre?", "es", "Peskov", "la cumbre"),
    ("que dijo zelenski", "es", "zelenski", None),
    ("¿Qué ha dicho Jean-Noël Barrot?", "es", "Jean-Noël Barrot", None),
    ("¿Qué declaró el almirante Bauer acerca de las empresas?", "es", "almirante Bauer", "las empresas"),
    ("Que afirmo Macron sobre la fuerza de seguridad", "es", "Macron", "la fuerza de seguridad"),
    ("¿Qué advirtió Putin?", "es", "Putin", None),
    ("declaraciones de Rob Bauer sobre China", "es", "Rob Bauer", "China"),
])
def test_quote_questions(text, language, person, topic):
    q = parse_question(text)
    assert q == Question(text, language, "quote", person, topic)


@pytest.mark.parametrize("text, language, topic", [
    ("Who said 'no descartamos ninguna opción'?", "en", "no descartamos ninguna opción"),
    ("who said that the economy wins wars", "en", "the economy wins wars"),
    ("Who proposed a summit in Moscow?", "en", "a summit in Moscow"),
    ("Who warned companies to prepare for war?", "en", "companies to prepare for war"),
    ("¿Quién dijo que la guerra se ganaría con la economía?", "es", "la guerra se ganaría con la economía"),
    ("quien afirmo que rusia cumpliria", "es", "rusia cumpliria"),
    ("¿Quién dijo «En absoluto, en absoluto»?", "es", "En absoluto, en absoluto"),
])
def test_who_questions(text, language, topic):
    q = parse_question(text)
    assert (q.language, q.intent, q.person, q.topic) == (language, "who", None, topic)


@pytest.mark.parametrize("text, language", [
    ("¿Quién es el presidente del comité militar de la OTAN?", "es"),
    ("¿Cuántos misiles envió Francia?", "es"),
    ("Which missiles did France approve?", "en"),
    ("When will the coalition deploy troops?", "en"),
])
def test_fact_questions(text, language):
    q = parse_question(text)
    assert (q.language, q.intent, q.person) == (language, "fact", None)
