"""Calibrated relevance: lift, word overlap and exact phrases combine into one score; the gate per model."""
from __future__ import annotations

import numpy as np
import pytest

from assistant.relevance import DEFAULT_GATE, GATES, OVERLAP_WEIGHT, PHRASE_WEIGHT, Relevance, Scorer, gate_for, lift


def scorer(text: str, word_vectors=None) -> Scorer:
    return Scorer(text, np.array([1.0, 0.0], dtype=np.float32), backgrounds={"es": 0.2, "en": 0.1}, gates=(0.4, 0.3),
                  language="es", doc_languages={"noticia": "es", "news": "en"}, word_vectors=word_vectors)


def test_lift_is_the_share_of_the_room_above_the_background():
    assert lift(0.6, 0.2) == pytest.approx(0.5)
    assert lift(0.2, 0.2) == 0.0
    assert lift(0.1, 0.2) < 0


def test_one_score_adds_overlap_and_phrase_with_their_weights():
    r = Relevance(lift=0.2, overlap=0.5, phrase=1.0)
    assert r.score == pytest.approx(0.2 + OVERLAP_WEIGHT * 0.5 + PHRASE_WEIGHT)


@pytest.mark.parametrize("question, sentence, phrase", [
    # A phrase the user quoted, found with other accents and case.
    ("¿Quién dijo «no descartamos ninguna opción»?", "Él respondió: «No descartamos ninguna opción».", 1.0),
    ('Who said "the losses were concentrated"?', "The losses were concentrated in rain-fed fields, Rubio said.", 1.0),
    # Four question words in order, two of them content words.
    ("¿Quién dijo que una final se gana en las áreas?", "«Una final se gana en las áreas», reconoció Flores.", 1.0),
    # A run of stopwords proves nothing.
    ("¿Qué es lo que se dijo de la de los?", "Lo que se dijo de la reunión de los ministros.", 0.0),
    # The same words, scattered, are overlap, not a phrase.
    ("¿Cuánto costará el plan de movilidad?", "La movilidad del plan costará menos, según el alcalde.", 0.0),
])
def test_exact_phrases(question, sentence, phrase):
    assert scorer(question).phrase(sentence) == phrase


def test_overlap_by_stem_and_across_languages_by_cognate():
    s = scorer("¿Qué misiles aprobó Francia?")
    assert s.overlap("Francia aprobó el uso de misiles franceses de largo alcance.") == pytest.approx(1.0)
    assert 0.0 < scorer("Which missiles did France approve?").overlap("Francia aprobó los misiles Scalp.") <= 1.0
    assert s.overlap("El pleno votó el plan de movilidad.") == 0.0


def test_score_many_matches_score_and_the_gate_decides():
    s = scorer("¿Cuánto costará el plan de movilidad?")
    texts = ["El plan de movilidad costará 2,4 millones de euros.", "Hace sol en Sevilla."]
    vectors = np.array([[0.9, 0.1], [0.1, 0.9]], dtype=np.float32)
    many = s.score_many(texts, vectors)
    assert many == [s.score(t, v) for t, v in zip(texts, vectors)]
    assert s.passes(many[0], "noticia") and not s.passes(many[1], "noticia")


def test_the_gate_follows_the_language_pair():
    s = scorer("¿Cuánto costará el plan?")
    assert s.gate("noticia") == 0.4 and s.gate("news") == 0.3
    assert s.gate("unknown-doc") == 0.4  # unknown: taken as the question's language
    assert s.passes(0.35, "news") and not s.passes(0.35, "noticia")


def test_each_model_has_its_calibrated_gate_and_others_the_default():
    for name, gate in GATES.items():
        assert gate_for(name) == gate
    assert gate_for("some/other-model") == DEFAULT_GATE
    assert all(same >= cross for same, cross in GATES.values())


def test_the_background_is_the_candidate_languages():
    s = scorer("¿Cuánto costará el plan?")
    vector = np.array([0.6, 0.8], dtype=np.float32)
    assert s.score("Texto.", vector, "noticia").lift == pytest.approx(lift(0.6, 0.2))
    assert s.score("Text.", vector, "news").lift == pytest.approx(lift(0.6, 0.1))
    assert s.score("Texto.", vector).lift == pytest.approx(lift(0.6, 0.2))  # unknown document: the question's
    with pytest.raises(ValueError, match="no background for the question's language 'en'"):
        Scorer("x", vector, {"es": 0.2}, (0.4, 0.3), language="en")


def test_question_frame_words_do_not_count_as_missing():
    assert scorer("¿Cuántos meses dura la guerra?").overlap("La guerra ya dura 42 meses.") == pytest.approx(1.0)
    assert scorer("How long has the war lasted?").overlap("The war has lasted 42 months.") == pytest.approx(1.0)


def test_words_across_languages_match_through_the_model(embedder):
    from assistant.relevance import WORD_MATCH

    def vectors(words):
        return embedder.embed(list(words))

    question = "Which city approved the budget after the meeting?"
    s = Scorer(question, embedder.embed_query(question), {"es": 0.7, "en": 0.7}, (0.4, 0.3), language="en",
               doc_languages={"noticia": "es"}, word_vectors=vectors)
    plain = Scorer(question, s.vector, {"es": 0.7, "en": 0.7}, (0.4, 0.3), language="en", doc_languages={"noticia": "es"})
    text = "La ciudad dio luz verde al presupuesto tras la reunión."
    sentence = embedder.embed([text])
    assert plain.score_many([text], sentence, ["noticia"])[0].overlap <= 0.25  # spelling sees little shared
    matched = s.score_many([text], sentence, ["noticia"])[0].overlap
    assert matched >= 0.75, matched  # city/ciudad, budget/presupuesto, meeting/reunión
    unrelated = s.score_many(["La cosecha de aceite será menor este año."], embedder.embed(["x"]), ["noticia"])[0]
    assert unrelated.overlap == 0.0
    # a sentence in the question's language keeps the spelling rule: no model word matches there
    assert s.score_many(["Newspapers and troops."], embedder.embed(["x"]), [None])[0].overlap == plain.overlap("Newspapers and troops.")
    assert 0.8 < WORD_MATCH < 1.0
