"""A sentence that opens with an unnamed person ('Una médica…', 'Uno de los vecinos, un pastor…',
'A nurse at…') gives that role as the speaker, never a person named in an earlier sentence."""
from __future__ import annotations

import pytest

from index.quotes import extract_quotes
from index.types import Document
from quote_helpers import said



def test_an_unnamed_doctor_with_a_relative_clause_speaks_not_the_councillor_before():
    text = ("La consejera Rosa León visitó el hospital. Una enfermera de un centro de salud de Soria, que pidió "
            "no dar su nombre, explicó que trabaja dos turnos seguidos.")
    assert said(text)[-1] == ("enfermera de un centro de salud de Soria", "role", "trabaja dos turnos seguidos")


def test_one_of_the_neighbours_gives_the_apposition_as_speaker_and_it_carries():
    text = ("El alcalde Pedro Blanco visitó la zona. Uno de los vecinos desalojados, un agricultor de la comarca, "
            "lamentó que nadie limpie el monte. «Antes esto estaba lleno de ovejas», explicó después.")
    assert [(s, k) for s, k, _t in said(text)] == [("agricultor de la comarca", "role")] * 2


def test_english_unnamed_sources_keep_their_organisation():
    text = ("Sarah Rose chaired the meeting. A spokesman for Northfield Council said the road would reopen "
            "in May. A nurse at the Royal Infirmary, who asked not to be named, told reporters that wards were full.")
    assert [(s, k) for s, k, _t in said(text)] == [("spokesman for Northfield Council", "role"),
                                                       ("nurse at the Royal Infirmary", "role")]


def test_an_unnamed_opening_yields_when_a_name_or_another_verb_comes_first():
    text = "Un concejal de la oposición, Andrés Paz, afirmó que el contrato es ilegal."
    assert [s for s, _k, _t in said(text)] == ["Andrés Paz"]
    text = "Un informe del Banco de España advierte que el paro seguirá alto."
    assert [(s, k) for s, k, _t in said(text)] != [("informe del Banco de España", "role")]


def test_a_group_in_an_of_aside_is_not_the_speaker():
    text = ("Campaigners were angry. Lily Page, of the group Safer Streets Now, said the council had given up. "
            "Rosa Paz, de la plataforma Aire Limpio Ya, afirmó que recurrirán el acuerdo.")
    assert [s for s, _k, _t in said(text)] == ["Lily Page", "Rosa Paz"]


def test_a_relative_clause_with_its_own_commas_keeps_the_subject_before_it():
    text = ('La tenista Ana Rosa ganó y su entrenador Mario Sol habló primero. Rosa, que en el avión lee "Rayuela", la novela de Julio '
            'Cortázar, desveló el secreto: «Leer me ayuda a desconectar».')
    assert said(text)[-1][:2] == ("Ana Rosa", "person")
    text = ('Emma Rose won, and her coach Tom Hill spoke first. Rose, who reads "Ulysses", the novel by James Joyce, on every flight, '
            'said reading helped her switch off.')
    assert said(text)[-1][:2] == ("Emma Rose", "person")


@pytest.mark.parametrize("text, source", [
    ("Los agentes explicaron que la investigación sigue abierta.", "agentes"),
    ("Los bomberos aseguraron que el fuego está controlado desde las tres.", "bomberos"),
    ("Officers said the driver was not hurt in the crash.", "Officers"),
    ("Deputies said the boy had been alone at home.", "Deputies"),
])
def test_police_and_emergency_crews_speak_as_unnamed_sources(text, source):
    quotes = extract_quotes(Document(id="t", title="t", text=text)).quotes
    assert [(q.speaker, q.speaker_kind) for q in quotes] == [(source, "source")]
