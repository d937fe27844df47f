"""Text normalisation: folding, stems, cognate keys, sentences and question language."""
import pytest

from index.text import cognate_keys, detect_language, fold, sentence_spans, stems


def test_fold_removes_case_and_accents():
    assert fold("ZELENSKÍ") == fold("zelenski") == "zelenski"
    assert fold("Jean-Noël") == "jean-noel"


def test_spanish_and_english_stems_meet_their_plurals():
    assert stems("tropas", "es") == stems("tropa", "es")
    assert stems("negotiations", "en") == stems("negotiation", "en")


@pytest.mark.parametrize("english, spanish", [
    ("missiles", "misiles"), ("territory", "territorio"), ("communist", "comunista"),
    ("president", "presidente"), ("strategy", "estrategia"), ("philosophy", "filosofía"),
    ("military", "militares"), ("party", "partido"),
])
def test_cognates_share_a_key_across_english_and_spanish(english, spanish):
    assert cognate_keys(english) == cognate_keys(spanish)


def test_cognate_keys_skip_stopwords_and_short_words():
    assert cognate_keys("the de los and que UE") == []


@pytest.mark.parametrize("question, language", [
    ("What did Peskov say?", "en"),
    ("¿Qué dijo Zelensky?", "es"),
    ("que dijo el portavoz del kremlin", "es"),
    ("Who proposed sending troops to Ukraine?", "en"),
    ("Quién propuso enviar tropas", "es"),
    ("What has the French foreign minister said about the missiles?", "en"),
    ("Declaraciones de Macron sobre la fuerza de seguridad", "es"),
])
def test_question_language(question, language):
    assert detect_language(question) == language


def test_a_bare_name_takes_the_default_language():
    assert detect_language("Peskov", default="en") == "en"


def test_sentence_spans_slice_the_text_and_skip_abbreviations():
    text = "El Sr. Putin habló con EE.UU. el lunes. Dijo que no.  \n«¿Por qué?», preguntó."
    spans = sentence_spans(text)
    pieces = [text[s:e] for s, e in spans]
    assert pieces[0].startswith("El Sr. Putin") and pieces[0].endswith("el lunes.")
    assert all(p == p.strip() and p for p in pieces)


def test_a_short_place_name_still_ends_its_sentence():
    text = "El enviado llegó a Kiev. El presidente habló con Irán. John F. Kennedy no estaba."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "El enviado llegó a Kiev.", "El presidente habló con Irán.", "John F. Kennedy no estaba."]


def test_a_full_stop_closing_a_quote_ends_the_sentence_but_not_one_inside_it():
    from index.text import sentence_spans

    text = 'Stone was blunt: "We waited. Nobody came." Asked why, Rose laughed.'
    quote = (text.index('"'), text.index('came."') + len('came."'))
    spans = sentence_spans(text, "en", [quote])
    assert [text[s:e] for s, e in spans] == ['Stone was blunt: "We waited. Nobody came."', "Asked why, Rose laughed."]


def test_a_lower_case_dotted_abbreviation_ends_a_sentence_only_before_an_opener():
    text = "They were sent to a deli at 3:20 p.m. But police say he fled. It was 9 a.m. Friday. Ocurrió a las 5 p.m. El alcalde habló."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "They were sent to a deli at 3:20 p.m.", "But police say he fled.", "It was 9 a.m. Friday.",
        "Ocurrió a las 5 p.m.", "El alcalde habló."]
