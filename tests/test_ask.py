"""Cited answers over the sample articles: every citation is an exact span, nothing uncited."""
import pytest

from index.errors import FuentesError

PESKOV_DOC = "002_723bcfcd4b6f1e05"


def assert_citations_are_exact(assistant, answer):
    for citation in answer.citations:
        doc = assistant.document(citation.doc_id)
        assert doc.text[citation.start:citation.end] == citation.text
        assert citation.title == doc.title and citation.url == doc.url
        assert f"[{citation.n}]" in answer.text
        if citation.context_start is not None:
            assert citation.context_start <= citation.start < citation.end <= citation.context_end
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))


def test_what_did_peskov_say_cites_both_of_his_statements(sample):
    answer = sample.ask("What did Peskov say?")
    assert answer.language == "en" and answer.intent == "quote"
    assert_citations_are_exact(sample, answer)
    cited = " ".join(c.text for c in answer.citations)
    assert "esfuerzos muy constructivos" in cited
    assert "En absoluto" in cited  # reached only through "el portavoz de Putin … este respondió"
    assert {c.speaker for c in answer.citations} == {"Dmitri Peskov"}
    assert {c.doc_id for c in answer.citations} == {PESKOV_DOC}


def test_spanish_question_gets_a_spanish_frame_and_verbatim_quotes(sample):
    answer = sample.ask("¿Qué dijo Peskov?")
    assert answer.language == "es"
    assert "Dmitri Peskov, en «" in answer.text
    assert '"esfuerzos muy constructivos"' in answer.text  # quote marks and words kept as written


def test_a_misspelled_name_still_finds_the_person(sample):
    answer = sample.ask("what did pescov say")
    assert answer.citations and answer.citations[0].speaker == "Dmitri Peskov"


def test_an_unknown_person_gets_a_plain_answer_and_no_citations(sample):
    answer = sample.ask("What did Angela Merkel say?")
    assert answer.citations == ()
    assert answer.text.startswith("I found no statements by Angela Merkel")


@pytest.mark.parametrize("question, evidence", [
    ("¿Qué porcentaje de los materiales de tierras raras se producen en China?", "60% de todos los materiales"),
    ("¿Dónde se reunió Zelensky con Trump el 18 de agosto?", "en la Casa Blanca el 18 de agosto"),
    ("¿Quién es el presidente del comité militar de la OTAN?", "almirante holandés Rob Bauer"),
])
def test_fact_questions_cite_the_sentence_that_answers(sample, question, evidence):
    answer = sample.ask(question)
    assert answer.intent == "fact"
    assert_citations_are_exact(sample, answer)
    assert evidence in answer.citations[0].text
    # A cited sentence, not a whole chunk.
    assert len(answer.citations[0].text) < 400


@pytest.mark.parametrize("question, language", [
    ("How do I bake sourdough bread at home?", "en"),
    ("¿Cuál es la receta tradicional de la paella valenciana?", "es"),
    ("When was the first iPhone released?", "en"),
])
def test_off_topic_questions_get_a_plain_no_and_cite_nothing(sample, question, language):
    answer = sample.ask(question)
    assert answer.citations == ()
    assert answer.language == language
    assert answer.text.startswith(("I found nothing in these articles that answers this question",
                                   "No encontré nada en estos artículos que responda a esta pregunta"))


def test_who_said_names_the_speaker_with_the_citation(sample):
    answer = sample.ask("¿Quién dijo que Rusia hace todo lo posible por postergar la reunión?")
    assert answer.intent == "who"
    assert_citations_are_exact(sample, answer)
    assert answer.citations[0].speaker == "Volodymyr Zelensky"
    assert "Volodymyr Zelensky" in answer.text


def test_document_filter_limits_what_is_cited(sample):
    answer = sample.ask("¿Qué dijo Zelensky?", doc_ids=["000_dd2e3692a9aa2054"])
    assert answer.citations and {c.doc_id for c in answer.citations} == {"000_dd2e3692a9aa2054"}


def test_json_shape_is_the_contract(sample):
    data = sample.ask("What did Peskov say?").to_dict()
    assert list(data)[:5] == ["question", "language", "intent", "text", "citations"]
    assert set(data["citations"][0]) >= {"n", "doc_id", "title", "url", "start", "end", "text", "score", "speaker"}


@pytest.mark.parametrize("question", ["", "   \n"])
def test_an_empty_question_is_refused_with_an_example(sample, question):
    with pytest.raises(FuentesError, match="question is empty"):
        sample.ask(question)
