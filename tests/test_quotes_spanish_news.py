"""Spanish news constructions: title lines with a colon, interviews, critical verbs with a noun-phrase
object, infinitive carriers, relative subjects, 'según' with an apposition, and organisations that must
not be people. Sentences written for these tests."""
from __future__ import annotations

import pytest

from index.quotes import extract_quotes
from index.quotes.headline import MAX_TITLE_CHARS
from index.speakers import name_kind
from index.types import Document


def said(text: str) -> list[tuple[str, str]]:
    result = extract_quotes(Document(id="t", title=text.split("\n")[0], text=text))
    for q in result.quotes:
        assert text[q.start:q.end] == q.text
    return [(q.speaker, q.text) for q in result.quotes]


def speaker_of(text: str, words: str) -> str | None:
    """The speaker of the extracted statement that contains `words`, or None when none does."""
    found = [speaker for speaker, quote in said(text) if words in quote]
    assert len(found) <= 1, found
    return found[0] if found else None


# ---- a title line 'Speaker: words'

@pytest.mark.parametrize("title, body, speaker, words", [
    ("Rosa: «Este verano no habrá cortes de agua»",
     "La consejera de Agricultura, Carmen Rosa, visitó los embalses de Almería.", "Carmen Rosa",
     "no habrá cortes de agua"),
    ("Campos: la planta de Linares seguirá abierta",
     "El director general de la compañía, Miguel Campos, se reunió con el comité.", "Miguel Campos",
     "la planta de Linares seguirá abierta"),
    ("Espinoza: no habrá marcha atrás en la investigación",
     "La fiscal de la Nación, Delia Espinoza Valenzuela, compareció ante el Congreso.", "Delia Espinoza Valenzuela",
     "no habrá marcha atrás"),
    ("Manuel Olmo: escribir sobre mi padre me llevó veinte años",
     "El escritor leonés Manuel Olmo ganó el premio con su tercera novela.", "Manuel Olmo",
     "escribir sobre mi padre"),
])
def test_a_title_names_its_speaker_before_a_colon(title, body, speaker, words):
    assert speaker_of(f"{title}\n{body}\n", words) == speaker


@pytest.mark.parametrize("title, body", [
    ("Madrid: el metro amplía su horario en verano", "Los trenes circularán hasta las dos de la madrugada."),
    ("Última hora: un incendio obliga a cortar la A-92", "Los bomberos trabajan en la zona desde las seis."),
    ("Rubio: no", "El diputado Ignacio Rubio votó en contra."),
    ("Luna: la misión despega el martes", "La agencia espacial confirmó el calendario sin cambios."),
])
def test_a_title_colon_without_a_speaker_named_in_the_body_is_no_statement(title, body):
    """A place, a label, a name the body never gives as a person, or a short phrase is no statement."""
    text = f"{title}\n{body}\n"
    assert [q for q in said(text) if q[1] in title] == []


def test_an_organisation_before_a_title_colon_speaks_only_in_quotes():
    """'Atlético Baleares: el presidente del club habló de la final' is a summary, not the club's words."""
    body = "El Atlético Baleares jugará la final el domingo."
    narrated = "Atlético Baleares: el presidente del club habló de la final\n" + body
    assert [q for q in said(narrated) if "final" in q[1] and "presidente" in q[1]] == []
    quoted = "Atlético Baleares: «Vamos a llenar el estadio en la final»\n" + body
    assert speaker_of(quoted, "llenar el estadio") == "Atlético Baleares"


def test_a_long_first_line_is_not_read_as_a_title():
    name = "Rosa"
    first = f"{name}: " + "la consejera habló durante mucho rato de los embalses " * 10
    assert len(first) > MAX_TITLE_CHARS
    text = first + "\nLa consejera de Agricultura, Carmen Rosa, visitó los embalses.\n"
    assert said(text) == []


# ---- interviews: whoever asks does not answer

def test_the_interviewer_named_last_does_not_take_the_answer():
    text = ("La consejera de Agricultura, Carmen Rosa, visitó los embalses del Levante.\n\n"
            "El periodista Tomás Vega le preguntó si descartaba restricciones. Respondió que ese escenario "
            "no se puede descartar si el otoño vuelve a ser seco.\n\n"
            "Vega quiso saber también si el Gobierno había cumplido. La consejera contestó: «Seguimos esperando "
            "las obras que nos prometieron».\n")
    assert speaker_of(text, "no se puede descartar") == "Carmen Rosa"
    assert speaker_of(text, "Seguimos esperando") == "Carmen Rosa"


@pytest.mark.parametrize("question", [
    "A preguntas del periodista Juan Pablo Vidal sobre el viaje, respondió: «{q}».",
    "Consultada por Juan Pablo Vidal, de Radio Norte, respondió: «{q}».",
    "«¿Por qué se suspendió la agenda?», preguntó Juan Pablo Vidal. «{q}», respondió.",
])
def test_the_agent_of_a_question_is_an_interviewer(question):
    answer = "El presidente no suspendió la agenda, volvió al mediodía"
    text = ("La portavoz presidencial, Gabriela Paz, ofreció su conferencia semanal.\n"
            + question.format(q=answer) + "\n")
    assert speaker_of(text, answer) == "Gabriela Paz"


def test_an_interviewer_keeps_what_they_say_in_their_own_name():
    text = ("El escritor Manuel Olmo habló con este diario.\n"
            "La periodista Sara Palacios le preguntó por el libro. Respondió que tardó veinte años en escribirlo.\n"
            "Palacios le recordó que el jurado había destacado el estilo del libro.\n")
    assert speaker_of(text, "tardó veinte años") == "Manuel Olmo"
    assert speaker_of(text, "el jurado había destacado") == "Sara Palacios"


# ---- what is said: a long noun phrase after a critical verb

@pytest.mark.parametrize("text, speaker, words", [
    ("La portavoz socialista, Marta Herrera, criticó la tardía licitación de las obras de la carretera de Ansó.",
     "Marta Herrera", "la tardía licitación de las obras"),
    ("El alcalde, Javier Moreno, reclamó un plan industrial para la comarca que no dependa de una sola empresa.",
     "Javier Moreno", "un plan industrial para la comarca que no dependa"),
    ("La responsable de CCOO, Rocío León, denunció la falta de información sobre las cuentas de la empresa.",
     "Rocío León", "la falta de información sobre las cuentas"),
    ("El técnico Luis Cordero se quejó de la falta de descanso entre los partidos de la Copa y la Liga.",
     "Luis Cordero", "la falta de descanso entre los partidos"),
])
def test_a_critical_verb_with_a_long_object_is_a_statement(text, speaker, words):
    assert said(text) == [(speaker, text[text.index(words):-1])]


@pytest.mark.parametrize("text", [
    "Desde Chunta Aragonesista, su portavoz, José Luis Paz, criticó la rebaja fiscal.",
    "La asociación de inquilinas lamentó la sentencia.",
    "El Ayuntamiento de Cieza celebró el hallazgo de los hornos ibéricos en la ladera del cerro.",
])
def test_a_short_object_or_a_verb_of_praise_is_no_statement(text):
    assert said(text) == []


# ---- the subject of an infinitive carrier, a relative, an apposition

def test_the_subject_of_a_verb_that_carries_an_infinitive_speaks():
    text = "El acusado, Ramiro Luna, se limitó a decir que es inocente y que siempre actuó con informes favorables."
    assert speaker_of(text, "es inocente") == "Ramiro Luna"


def test_refusing_to_confirm_asserts_nothing():
    assert said("La ministra de Hacienda, Ana Sol, se negó a confirmar que habrá recortes en sanidad.") == []


def test_a_relative_quien_gives_the_verb_its_antecedent():
    text = ("Así lo ha explicado el secretario general de CCOO de Industria, Pedro Lucas, quien ha agregado "
            "que habrá paros parciales a partir del día 15.")
    assert speaker_of(text, "habrá paros parciales") == "Pedro Lucas"


@pytest.mark.parametrize("text, speaker, words", [
    ("Según la portavoz municipal, Ana Paz, el pleno votará el lunes la moción de los vecinos.",
     "Ana Paz", "el pleno votará el lunes"),
    ("Según ha explicado a Europa Press el secretario general de UGT, Pedro Blanco, la empresa ha despedido a diez "
     "personas.", "Pedro Blanco", "la empresa ha despedido"),
])
def test_segun_with_an_apposition_or_an_outlet(text, speaker, words):
    assert said(text) == [(speaker, text[text.index(words):-1])]


@pytest.mark.parametrize("text, speaker, words", [
    ("La fiscal del caso, Nuria Sol, sostuvo este martes ante la Audiencia Provincial de Jaén que el exalcalde "
     "«sabía perfectamente» adónde iba el dinero.", "Nuria Sol", "el exalcalde «sabía perfectamente»"),
    ("La cadena Costa Dorada afirmó en un comunicado que colabora plenamente con las autoridades.",
     "Costa Dorada", "colabora plenamente"),
    ("El capitán, Daniel Robles, declaró después que el equipo tiene «una deuda con la afición».",
     "Daniel Robles", "el equipo tiene"),
])
def test_que_after_a_setting_a_communique_or_an_adverb(text, speaker, words):
    """The quote inside the reported clause stays with the one who reports it."""
    assert said(text) == [(speaker, text[text.index(words):-1])]


def test_que_far_after_a_plain_object_is_a_relative_not_a_reported_clause():
    text = "El consejero anunció la llegada de los nuevos autobuses eléctricos a la ciudad que más contamina."
    assert said(text) == []


# ---- a quote that makes a paragraph of its own

def test_a_quote_paragraph_continues_the_person_just_reported():
    text = ("El entrenador, Luis Cordero, explicó que la plantilla está unida.\n\n"
            "«Nadie ha señalado a nadie en el vestuario, y eso en el fútbol no pasa siempre»\n\n"
            "El partido se jugará el domingo.\n")
    assert speaker_of(text, "Nadie ha señalado") == "Luis Cordero"


def test_a_quote_inside_a_paragraph_after_a_reported_statement_is_not_continued():
    text = ("El entrenador, Luis Cordero, explicó que la plantilla está unida. El club vende camisetas con "
            "el lema «Nadie camina solo en este estadio nuestro».\n")
    assert speaker_of(text, "Nadie camina solo") is None


# ---- organisations and roles

@pytest.mark.parametrize("name", ["CCOO Industria", "UGT Andalucía", "Real Valladolid", "Atlético Baleares",
                                  "Industria", "Sanidad", "Ejecutivo", "Hacienda"])
def test_unions_clubs_and_ministries_named_by_portfolio_are_organisations(name):
    assert name_kind(name, "es") == "organization"


@pytest.mark.parametrize("name", ["Pedro Lucas", "Rosa", "Luna", "Carmen Rosa", "Real", "Paz Flores"])
def test_people_stay_people(name):
    assert name_kind(name, "es") == "person"


@pytest.mark.parametrize("text, speaker", [
    ("La emisora Onda Poniente entrevistó a la alcaldesa. La emisora Onda Poniente aseguró que la entrevista "
     "se emitirá el lunes.", "Onda Poniente"),
    ("La editorial Páramo anunció que la primera tirada será de quince mil ejemplares.", "Páramo"),
])
def test_a_name_after_an_outlet_noun_is_the_outlet(text, speaker):
    result = extract_quotes(Document(id="t", title="t", text=text))
    assert [(q.speaker, q.speaker_kind) for q in result.quotes] == [(speaker, "organization")]


def test_a_role_with_y_between_capitalised_words_resolves():
    text = ("La consejera de Agricultura y Agua de Andalucía, Carmen Rosa, visitó los embalses. El periodista "
            "Tomás Vega le preguntó por el verano. La consejera contestó que el agua de boca está garantizada.")
    assert speaker_of(text, "el agua de boca") == "Carmen Rosa"


def test_a_definite_source_noun_resolves_to_the_person_just_named():
    text = ("El secretario general de CCOO Industria en Aragón, Pedro Lucas, denunció los despidos ante la prensa. "
            "El responsable sindical ha avanzado que habrá paros en la planta.")
    assert speaker_of(text, "habrá paros") == "Pedro Lucas"


@pytest.mark.parametrize("text, speaker", [
    ("Fuentes del departamento consultadas por este diario indicaron que el Gobierno ofrecerá ayudas a la formación.",
     "Fuentes del departamento"),
    ("Fuentes de la Consejería de Sanidad cercanas al caso aseguran que el brote está controlado.",
     "Fuentes de la Consejería de Sanidad"),
    ("Fuentes de Moncloa aseguran que no habrá adelanto electoral.", "Moncloa"),
])
def test_sources_of_an_organisation_are_named_without_what_qualifies_them(text, speaker):
    assert [s for s, _q in said(text)] == [speaker]


@pytest.mark.parametrize("text, speaker", [
    ("La asociación de pequeños propietarios afirmó en un comunicado que la inseguridad jurídica ha expulsado "
     "viviendas del mercado.", "asociación de pequeños propietarios"),
    ("El Gobierno aprobó el plan. El Ejecutivo regional considera que el plan invade competencias autonómicas.",
     "Ejecutivo"),
])
def test_a_spanish_organisation_phrase_is_headed_by_its_first_noun(text, speaker):
    assert [s for s, _q in said(text)] == [speaker]


def test_a_generic_organisation_noun_is_the_organisation_the_article_is_about():
    text = ("El entrenador del Real Valladolid compareció en Zorrilla antes del partido. El equipo llega a Vigo "
            "tras perder en casa. El Celta encadena cuatro jornadas sin perder y juega con confianza. "
            "Mario Santos sigue lesionado y no viajará. Los árbitros del partido serán canarios. "
            "El club informó de que las entradas para los socios se podrán recoger hasta el sábado.")
    assert speaker_of(text, "las entradas para los socios") == "Real Valladolid"


def test_a_long_title_with_an_institution_before_the_name():
    text = ("Para el catedrático de Derecho Civil de la Universidad de Sevilla Manuel Rubio, la resolución pone fin "
            "a años de inseguridad jurídica.")
    assert speaker_of(text, "la resolución pone fin") == "Manuel Rubio"


@pytest.mark.parametrize("text, speaker", [
    ("El secretario general de CCOO Industria de Cuenca, Pedro Lucas, denunció los despidos. El responsable de "
     "Industria ha agregado que habrá paros en la planta.", "Pedro Lucas"),
    ("El jefe de bomberos del Consorcio Provincial, Rafael Nieto, dirigió la extinción. El responsable del Consorcio "
     "ha añadido que habrá paros en la planta.", "Rafael Nieto"),
])
def test_a_role_of_an_organisation_is_the_person_named_with_that_organisation(text, speaker):
    assert speaker_of(text, "habrá paros") == speaker


def test_a_role_of_an_organisation_two_people_hold_stays_a_role():
    text = ("La portavoz de CCOO Industria, Ana Gil, y el secretario de CCOO Industria, Luis Mora, visitaron la planta. "
            "El responsable de Industria ha agregado que habrá paros en la planta.")
    assert speaker_of(text, "habrá paros") == "responsable de Industria"


def test_a_noun_phrase_object_ends_where_another_clause_starts():
    text = ("El Sindicato de Inquilinas valoró la medida, aunque su portavoz, Lucía Flores, lamentó la ausencia de "
            "cualquier límite al precio del alquiler.")
    assert said(text) == [("Lucía Flores", "la ausencia de cualquier límite al precio del alquiler")]


@pytest.mark.parametrize("verb", ["manifestó", "expresó", "destacó"])
def test_preterite_forms_that_look_like_participles_are_cues(verb):
    text = (f"El presidente del club, Enrique Cerezo, {verb} su satisfacción por la actitud de los jugadores en la "
            "final.")
    assert said(text) == [("Enrique Cerezo", "su satisfacción por la actitud de los jugadores en la final")]
    quoted = f"«Estoy orgulloso de este equipo», {verb} el dirigente. Lo dijo el presidente, Enrique Cerezo."
    assert [s for s, _q in said(quoted)] != []


def test_the_executive_is_the_government_last_named():
    text = ("El Gobierno de España convocó al embajador. Más tarde, el Ejecutivo aseguró que la relación con "
            "Buenos Aires sigue siendo buena.")
    assert speaker_of(text, "la relación con") == "Gobierno de España"
    alone = "El Ejecutivo aseguró que la relación con Buenos Aires sigue siendo buena."
    assert speaker_of(alone, "la relación con") == "Ejecutivo"


def test_a_town_with_de_after_a_place_preposition_is_a_place():
    text = ("El director técnico de extinción, Francisco Rubio, explicó que el viento frenó el avance de las llamas "
            "hacia Arenas de San Pedro. «Ha sido un fuego muy rápido, con varios frentes», resumió el técnico.")
    assert speaker_of(text, "Ha sido un fuego") == "Francisco Rubio"


@pytest.mark.parametrize("nationality", ["estadounidense", "esloveno"])
def test_el_or_la_with_a_nationality_is_the_person_given_it(nationality):
    article = "la" if nationality.endswith("e") else "el"
    text = (f"El entrenador Carlos León celebró el pase. Su rival, {article} {nationality} Jessie Stone, perdió en tres "
            f"sets. «Ella ha jugado mejor los puntos importantes», admitió {article} {nationality} en rueda de prensa.")
    assert speaker_of(text, "Ella ha jugado mejor") == "Jessie Stone"


def test_sources_of_a_generic_organisation_noun_are_that_organisation():
    text = ("La Agencia Estatal de Investigación financia el proyecto. Fuentes del organismo indicaron que el proyecto "
            "optará a una nueva convocatoria.")
    assert speaker_of(text, "optará a una nueva convocatoria") == "Agencia Estatal de Investigación"


def test_contar_is_a_speech_verb_but_cuenta_is_a_noun():
    text = ("La vecina Rosa Gil contó a este diario que el agua llegó hasta la segunda planta. La cuenta del "
            "Ayuntamiento recoge que hubo trescientas llamadas. «Nunca había visto nada igual», contó Gil.")
    assert said(text) == [("Rosa Gil", "el agua llegó hasta la segunda planta"),
                          ("Rosa Gil", "«Nunca había visto nada igual»")]


def test_a_role_of_a_named_organisation_resolves_to_its_holder():
    text = ("La Aemet prevé un verano caluroso. Así lo anunció este jueves su portavoz, Rubén Castillo. Preguntado por "
            "el fenómeno de El Niño, el portavoz de la Aemet respondió que su influencia es «limitada e indirecta».")
    assert speaker_of(text, "su influencia es") == "Rubén Castillo"


def test_a_role_of_another_organisation_is_not_a_minister_named_nearby():
    text = ("La ministra de Defensa, Margarita Blanco, viajó a Bruselas.\nEl secretario general de la OTAN ha pedido "
            "a los aliados que eleven sus compromisos por encima de lo acordado.")
    assert speaker_of(text, "eleven sus compromisos") == "secretario general de la OTAN"


@pytest.mark.parametrize("text, speaker", [
    ("La Aemet presentó su balance. Su portavoz, Rubén Castillo, habló de la primavera. En cuanto a las lluvias, "
     "el meteorólogo indicó que no hay una tendencia clara.", "Rubén Castillo"),
    ("El jefe de bomberos del Consorcio Provincial, Rafael Nieto, explicó que cortaron la autovía. El bombero "
     "recordó que no hay una tendencia clara.", "Rafael Nieto"),
])
def test_a_job_outside_the_lexicon_after_el_or_la_is_the_person_just_named(text, speaker):
    assert speaker_of(text, "no hay una tendencia clara") == speaker


@pytest.mark.parametrize("text", [
    "El sector indicó que no hay una tendencia clara.",
    "La carretera de la sierra sigue cortada. El ambiente recordó que no hay una tendencia clara.",
])
def test_a_thing_or_a_job_word_with_nobody_named_is_no_speaker(text):
    assert speaker_of(text, "no hay una tendencia clara") is None


def test_el_with_the_word_the_article_put_before_a_name_is_that_person():
    text = ("El ciclista Iván Castillo ganó la etapa con ventaja sobre el veterano Luka Novak. «Hoy Iván ha sido más "
            "fuerte», declaró el veterano, que admitió que no se encontró bien desde la salida.")
    assert speaker_of(text, "Hoy Iván ha sido") == "Luka Novak"
    assert speaker_of(text, "no se encontró bien") == "Luka Novak"


# ---- an organisation that opened the previous sentence speaks through an elided subject

@pytest.mark.parametrize("text, speaker, words", [
    ("La Oficina del Presidente difundió un comunicado el martes.\n\n"
     "En el texto, sostuvo que el Gobierno vecino había puesto en riesgo a los trabajadores.",
     "Oficina del Presidente", "había puesto en riesgo"),
    ("El Ayuntamiento de Zamora aprobó el plan de movilidad el jueves. Explicó que las obras durarán dos años.",
     "Ayuntamiento de Zamora", "durarán dos años"),
    ("La Asociación de Vecinos de Rosales envió una carta a la alcaldesa. Reclamó que se reabra el centro de salud.",
     "Asociación de Vecinos de Rosales", "se reabra el centro de salud"),
])
def test_an_elided_subject_after_an_organisation_is_that_organisation(text, speaker, words):
    assert speaker_of(text, words) == speaker


def test_a_person_named_after_the_organisation_keeps_the_elided_subject():
    text = ("El Ayuntamiento de León recibió a la consejera de Sanidad, Pilar Rubio, el lunes. "
            "Aseguró que el hospital abrirá en mayo.")
    assert speaker_of(text, "el hospital abrirá en mayo") == "Pilar Rubio"


# ---- speech verbs of news Spanish, and the adjectives their folded forms collide with

@pytest.mark.parametrize("text, speaker, words", [
    ("El secretario general de UGT en Soria, Luis Blanco, ha concretado que el cierre afecta a cuarenta empleados.",
     "Luis Blanco", "el cierre afecta"),
    ("La portavoz vecinal, Ana León, celebró que el pleno haya aprobado por fin la rehabilitación del mercado.",
     "Ana León", "haya aprobado por fin"),
    ("El entrenador, Julio Flores, desmintió que el club vaya a despedir a su capitán este verano.",
     "Julio Flores", "vaya a despedir"),
    ("La fiscal jefe, Marta Paz, cree que la investigación concluirá antes de que termine el año.",
     "Marta Paz", "la investigación concluirá"),
    ("El rector, Tomás Sánchez, cuestionó que el Gobierno regional haya reducido la financiación de la universidad.",
     "Tomás Sánchez", "haya reducido la financiación"),
])
def test_news_speech_verbs_introduce_statements(text, speaker, words):
    assert speaker_of(text, words) == speaker


@pytest.mark.parametrize("text", [
    "En un caso concreto que analizó el tribunal, el acusado no tenía abogado.",
    "El rechazo que provocó la medida entre los comerciantes sorprendió al alcalde, Pedro Rosa.",
])
def test_a_noun_or_adjective_spelled_like_a_preterite_is_no_cue(text):
    assert said(text) == []


# ---- 'la funcionaria', 'el responsable': the person just named with a role, else an unnamed source

def test_a_definite_source_noun_is_the_person_just_named_with_a_role():
    text = ("La portavoz presidencial, Laura Rubio, habló este martes en su conferencia de prensa.\n\n"
            "Juan Pablo Flores, de Radio Norte, le consultó por la visita a Salta.\n\n"
            "«El 20% es una cifra alta, así que esperemos», respondió la funcionaria.")
    assert speaker_of(text, "cifra alta") == "Laura Rubio"
    union = ("El secretario general de CCOO en Cuenca, Pedro Blanco, atendió a los periodistas. "
             "El responsable sindical ha explicado que el cierre afecta a diez trabajadores.")
    assert speaker_of(union, "el cierre afecta") == "Pedro Blanco"


@pytest.mark.parametrize("text, words, source", [
    # nobody named with a role before: the source stays unnamed
    ("El incendio empezó de madrugada. La funcionaria explicó que el fuego ya está controlado.", "el fuego",
     "funcionaria"),
    # an anonymous source is nobody named before it
    ("El alcalde, Ramón Paz, visitó la zona. La fuente aseguró que hubo dos heridos leves.", "dos heridos", "fuente"),
    ("El alcalde, Ramón Paz, visitó la zona. El testigo aseguró que hubo dos heridos leves.", "dos heridos",
     "testigo"),
    # a person named without a role is not what 'la funcionaria' stands for
    ("Ramón Paz, vecino de la zona, llamó a los bomberos. La funcionaria explicó que el fuego está controlado.",
     "el fuego", "funcionaria"),
])
def test_a_definite_source_noun_without_a_named_holder_stays_a_source(text, words, source):
    assert speaker_of(text, words) == source


# ---- a quote paragraph with no cue after a sentence whose one person is its subject

@pytest.mark.parametrize("text, speaker, words", [
    ("El presidente del club, Enrique Paz, atendió a los medios tras la derrota en la final.\n\n"
     "«Fue mala suerte, como hace cuarenta años. Hemos competido hasta el final».\n\n"
     "«Los jugadores se merecen todos los honores», añadió.", "Enrique Paz", "Fue mala suerte"),
    ("El presidente del club, Enrique Paz, atendió a los medios tras la derrota en la final.\n\n"
     "«Fue mala suerte, como hace cuarenta años. Hemos competido hasta el final».\n\n"
     "«Los jugadores se merecen todos los honores», añadió.", "Enrique Paz", "todos los honores"),
    ("Coach Sarah Young looked tired after the game.\n\n\"We gave everything we had out there.\"",
     "Sarah Young", "We gave everything"),
])
def test_a_quote_paragraph_after_its_speaker_is_introduced_is_theirs(text, speaker, words):
    assert speaker_of(text, words) == speaker


@pytest.mark.parametrize("text", [
    # two people in the sentence before: nobody can tell whose words these are
    "La alcaldesa, Rosa Blanco, recibió al ministro Luis Paz en el ayuntamiento.\n\n«Ha sido un día histórico».",
    # the person is a complement, not the subject
    "El Real Oviedo ganó al Sporting ante la mirada de Marta León.\n\n«Es el mejor día de mi vida».",
    # a title or a slogan, too short to be speech
    "La escritora Ana Rubio presentó su novela en León.\n\n«Agua de mayo».",
])
def test_a_cue_less_quote_without_a_single_subject_before_it_has_no_speaker(text):
    assert said(text) == []


@pytest.mark.parametrize("title, speaker, words", [
    ("Alcaldesa de León: «No habrá más recortes en la ciudad»", "Rosa Paz", "No habrá más recortes"),
    ("Ministro de Cultura: el Gobierno estudia nuevas ayudas al cine", "Pedro Rubio", "nuevas ayudas al cine"),
    ("Sheriff: boy, 12, accidentally shot his mother", "Tom Bush", "accidentally shot his mother"),
])
def test_a_role_before_a_title_colon_is_the_person_the_body_names_with_it(title, speaker, words):
    body = ("La alcaldesa de León, Rosa Paz, habló el lunes. El ministro de Cultura, Pedro Rubio, visitó Cannes. "
            "Sheriff Tom Bush said the boy had been at home.")
    assert speaker_of(f"{title}\n\n{body}", words) == speaker


def test_a_role_before_a_title_colon_that_nobody_holds_is_no_statement():
    assert speaker_of("Alcaldesa de Gijón: «No habrá más recortes»\n\nEl pleno aprobó el presupuesto.",
                      "recortes") is None


# ---- a present that is also a noun ('denuncia', 'estima') is a cue only right before 'que'

@pytest.mark.parametrize("text, speaker, words", [
    ("CCOO denuncia que diez trabajadores han sido despedidos en Zamora\n\nEl sindicato CCOO lo anunció ayer.",
     "CCOO", "diez trabajadores"),
    ("El secretario general, Pedro Rubio, estima que habrá más despidos antes del verano.", "Pedro Rubio",
     "habrá más despidos"),
    ("La ministra Ana Paz recuerda que el plan ya se aprobó en 2023.", "Ana Paz", "el plan ya se aprobó"),
])
def test_a_present_that_is_also_a_noun_is_a_cue_before_que(text, speaker, words):
    assert speaker_of(text, words) == speaker


@pytest.mark.parametrize("text", [
    "La denuncia que presentó el sindicato llegó al juzgado de León.",
    "Una crítica que recibió el alcalde, Luis Flores, fue la falta de aparcamiento.",
    "Con la estima que le tenían sus vecinos, Rosa Blanco abrió la tienda.",
])
def test_the_same_word_as_a_noun_is_no_cue(text):
    assert said(text) == []


# ---- an elided subject reaches back to the only person named in the last few sentences

def test_an_elided_subject_is_the_only_person_named_lately():
    text = ("El alcalde de León, Luis Paz, visitó el mercado el martes. Recorrió los puestos con los comerciantes "
            "durante una hora.\n\nIndicó que la reforma empezará en marzo.")
    assert speaker_of(text, "la reforma empezará") == "Luis Paz"


def test_an_elided_subject_after_two_people_stays_unattributed():
    text = ("El alcalde de León, Luis Paz, visitó el mercado el martes junto a la concejala Ana Rubio. "
            "Recorrieron los puestos durante una hora.\n\nIndicó que la reforma empezará en marzo.")
    assert speaker_of(text, "la reforma empezará") is None


# ---- a nationality or regional noun stands for the person just named with that origin

@pytest.mark.parametrize("text, speaker, words", [
    ("Spain's Carlos Alcaraz beat Jannik Sinner in the final on Sunday. The Spaniard said he had never played "
     "better.", "Carlos Alcaraz", "never played better"),
    ("El tenista argentino Diego Flores ganó en Roma a Marco Rossi. El argentino aseguró que nunca había jugado mejor.",
     "Diego Flores", "nunca había jugado mejor"),
    ("La asturiana Ana Paz ganó la etapa por delante de Julia Rubio. La asturiana explicó que el viento la ayudó.",
     "Ana Paz", "el viento la ayudó"),
])
def test_a_nationality_noun_is_the_person_of_that_origin(text, speaker, words):
    assert speaker_of(text, words) == speaker


def test_a_nationality_noun_that_fits_two_people_or_none_names_nobody():
    assert speaker_of("Carlos Alcaraz beat Jannik Sinner in the final. The Italian said he was tired.",
                      "he was tired") in (None, "Italian")


# ---- a speech verb in a relative aside: the antecedent speaks, up to the aside's closing comma

@pytest.mark.parametrize("text, speaker, statement", [
    ("Ana Paz, que aseguró que no habrá recortes, salió antes de la reunión.", "Ana Paz", "no habrá recortes"),
    ("El ministro de Hacienda, Luis Paz, llegó tarde. El ministro, que aseguró que no habrá recortes, salió antes.",
     "Luis Paz", "no habrá recortes"),
    ("La Fiscalía, que sostiene que hubo fraude en los contratos, pidió cuatro años de cárcel.", "Fiscalía",
     "hubo fraude en los contratos"),
])
def test_a_relative_aside_reports_its_antecedent_up_to_its_comma(text, speaker, statement):
    assert (speaker, statement) in said(text)
