"""The relevance background: how similar a question is to news text in general, per language.

A candidate's lift is measured above this background. It is a fixed set of ordinary news sentences
written for the purpose (Spanish and English, many subjects), embedded once per model and process,
so it does not depend on the corpus: an index of one short article has the same background as an
index of thousands (the corpus mean, used before, became the answer itself on a one-article index).
Chosen against the corpus mean with bench/background_choice.py (docs/answer-gate.md).
"""
from __future__ import annotations

import threading

import numpy as np

REFERENCE = {
    "es": (
        "El Ayuntamiento aprobó ayer el presupuesto municipal para el próximo año con los votos de la mayoría.",
        "La selección femenina ganó el partido por dos goles a uno en el último minuto.",
        "Las lluvias torrenciales obligaron a cortar varias carreteras en el norte de la provincia.",
        "El Banco Central mantuvo los tipos de interés sin cambios por tercer mes consecutivo.",
        "La policía detuvo a dos hombres acusados de robar en varias viviendas del barrio.",
        "El festival de cine abrió su nueva edición con una película de un director debutante.",
        "Los precios de la vivienda subieron un cinco por ciento respecto al año anterior.",
        "El Gobierno anunció un plan para contratar a más médicos en los centros de salud rurales.",
        "Miles de personas se manifestaron el domingo en el centro de la capital.",
        "La empresa presentó un nuevo teléfono móvil con una batería de mayor duración.",
        "El incendio forestal ha quemado más de mil hectáreas desde el martes.",
        "Los sindicatos convocaron una huelga de transporte para la próxima semana.",
        "Un estudio publicado en una revista científica relaciona el sueño con la memoria.",
        "El ministro de Exteriores se reunió con su homólogo para hablar de comercio.",
        "La temporada turística ha batido récords de visitantes en la costa.",
        "El tribunal condenó al exalcalde a cuatro años de prisión por malversación.",
        "Los agricultores reclaman ayudas por las pérdidas causadas por la sequía.",
        "La escuela pública del pueblo cerrará por falta de alumnos.",
        "El paro bajó en casi veinte mil personas durante el mes de marzo.",
        "El museo inaugura una exposición dedicada a la pintura del siglo XIX.",
        "El tren de alta velocidad sufrió un retraso de dos horas por una avería.",
        "Las elecciones regionales se celebrarán el próximo mes de mayo.",
        "El equipo local fichó a un delantero procedente de la liga italiana.",
        "La ola de calor dejará temperaturas de más de cuarenta grados este fin de semana.",
        "Los vecinos se quejan del ruido de las obras en la plaza mayor.",
        "El hospital incorporó un nuevo equipo para el diagnóstico del cáncer.",
        "El Parlamento debatió una ley sobre el uso de la inteligencia artificial.",
        "La cosecha de aceite de oliva será menor que la del año pasado.",
        "Un terremoto de magnitud moderada se sintió en varias ciudades del sur.",
        "La cantante anunció una gira por veinte ciudades de Europa y América.",
        "El ejército realizó maniobras conjuntas con otros países de la alianza.",
        "La universidad ofrecerá becas a estudiantes con menos recursos.",
    ),
    "en": (
        "The city council approved next year's budget on Tuesday by a narrow vote.",
        "The home side won the match two goals to one with a late penalty.",
        "Heavy rain closed several roads across the north of the county overnight.",
        "The central bank left interest rates unchanged for a third month in a row.",
        "Police arrested two men suspected of a string of burglaries in the neighbourhood.",
        "The film festival opened with the first feature of a young director.",
        "House prices rose five percent compared with the previous year.",
        "The government announced a plan to hire more doctors for rural clinics.",
        "Thousands of people marched through the centre of the capital on Sunday.",
        "The company unveiled a new phone with a longer-lasting battery.",
        "The wildfire has burned more than a thousand hectares since Tuesday.",
        "Unions called a transport strike for next week.",
        "A study published in a science journal links sleep with memory.",
        "The foreign minister met his counterpart to discuss trade.",
        "The tourist season broke records for visitors along the coast.",
        "The court sentenced the former mayor to four years in prison for embezzlement.",
        "Farmers are asking for aid after losses caused by the drought.",
        "The village's public school will close for lack of pupils.",
        "Unemployment fell by almost twenty thousand people in March.",
        "The museum opens an exhibition devoted to nineteenth-century painting.",
        "The high-speed train was delayed by two hours because of a fault.",
        "Regional elections will be held next May.",
        "The local club signed a striker from the Italian league.",
        "The heatwave will bring temperatures above forty degrees this weekend.",
        "Residents complain about the noise of the building work in the main square.",
        "The hospital installed new equipment for diagnosing cancer.",
        "Parliament debated a law on the use of artificial intelligence.",
        "The olive oil harvest will be smaller than last year's.",
        "A moderate earthquake was felt in several southern towns.",
        "The singer announced a tour of twenty cities in Europe and America.",
        "The army held joint exercises with other countries of the alliance.",
        "The university will offer grants to students from poorer families.",
    ),
}

_means: dict[str, dict[str, np.ndarray]] = {}
_lock = threading.Lock()


def reference_means(embedder) -> dict[str, np.ndarray]:
    """{language: mean vector of the reference sentences} for `embedder`'s model, embedded once."""
    with _lock:
        if embedder.name not in _means:
            _means[embedder.name] = {language: embedder.embed(list(sentences)).mean(axis=0)
                                     for language, sentences in REFERENCE.items()}
        return _means[embedder.name]


def backgrounds(question_vector: np.ndarray, embedder) -> dict[str, float]:
    """{language: the question's mean cosine to that language's reference sentences}."""
    return {language: float(mean @ question_vector) for language, mean in reference_means(embedder).items()}
