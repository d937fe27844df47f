"""An index of one short article answers questions about it and refuses others: the relevance background
is fixed reference news (assistant/background.py), not the corpus mean, which on one article was the
answer itself. Real ingest, store, model and Python API."""
from __future__ import annotations

import numpy as np
import pytest

from assistant import Assistant
from conftest import assistant_over
from assistant.background import REFERENCE, backgrounds, reference_means

BRIDGE = (
    "Zamora reabre el puente de piedra tras dos años de obras\n\n"
    "El puente de piedra de Zamora volvió a abrirse al tráfico peatonal el lunes, después de dos años de "
    "obras de restauración que costaron 3,2 millones de euros.\n\n"
    "La alcaldesa, Carmen León, explicó que los coches no volverán a cruzarlo y que el puente solo será para "
    "peatones y bicicletas.\n"
)


@pytest.fixture(scope="module")
def one_article(tmp_path_factory, embedder) -> Assistant:
    assistant = assistant_over(tmp_path_factory.mktemp("one-article"), {"puente.txt": BRIDGE})
    assert len(assistant.documents()) == 1
    return assistant


@pytest.mark.parametrize("question, evidence", [
    ("¿Cuánto costaron las obras del puente de Zamora?", "3,2 millones de euros"),
    ("How much did the restoration of the bridge cost?", "3,2 millones de euros"),
    ("¿Podrán cruzar el puente los coches?", "los coches no volverán a cruzarlo"),
])
def test_one_article_answers_a_question_about_it(one_article, question, evidence):
    answer = one_article.ask(question)
    assert any(evidence in c.text for c in answer.citations), answer.text
    doc = one_article.document(answer.citations[0].doc_id)
    assert all(doc.text[c.start:c.end] == c.text for c in answer.citations)


@pytest.mark.parametrize("question", [
    "¿Cuál es la capital de Australia?",
    "Who won the football world cup in 2010?",
    "¿Subirá el Banco Central los tipos de interés este año?",
])
def test_one_article_refuses_an_unrelated_question(one_article, question):
    answer = one_article.ask(question)
    assert answer.citations == ()
    assert answer.text.startswith(("No encontré nada en estos artículos que responda a esta pregunta",
                                   "I found nothing in these articles that answers this question"))


def test_the_background_does_not_depend_on_the_corpus(one_article, embedder, sample):
    vector = embedder.embed_query("¿Cuánto costaron las obras?")
    assert backgrounds(vector, embedder) == backgrounds(vector, one_article.embedder) == backgrounds(vector, sample.embedder)
    means = reference_means(embedder)
    assert set(means) == {"es", "en"} == set(REFERENCE)
    for language, mean in means.items():
        assert np.allclose(mean, embedder.embed(list(REFERENCE[language])).mean(axis=0), atol=1e-5)
    assert all(len(REFERENCE[language]) >= 30 for language in REFERENCE)
