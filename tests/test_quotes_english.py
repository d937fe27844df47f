"""English attribution shapes from news: titles and party tags around names, organisations and the
documents they issue, unnamed officials, instructions and evaluations, bare clauses after 'said', a quote
split by its cue. Each test uses sentences written for it, with names that are ordinary words."""
from __future__ import annotations

import pytest

from index.quotes import extract_quotes
from index.types import Document
from quote_helpers import said, speakers




# ---- titles and party tags are not names
def test_a_title_ending_in_an_abbreviation_is_not_a_name():
    text = ("Republican Gov. Nora Bishop vetoed the bill on Friday. Bishop said the Legislature had ignored her. "
            "Democratic Gov. Mark Young of Ohio said he would sign a similar bill.")
    assert speakers(text) == ["Nora Bishop", "Mark Young"]


def test_the_spokesman_of_a_titled_governor_speaks_not_the_governor():
    text = ("Arizona Gov. Doug Price's spokesman Daniel Stone said the governor had signed two bills. "
            "He said other bills would reach the governor's desk next week.")
    assert [(s, t) for s, _k, t in said(text)] == [
        ("Daniel Stone", "the governor had signed two bills"),
        ("Daniel Stone", "other bills would reach the governor's desk next week")]


def test_a_party_tag_after_a_name_is_an_aside():
    text = ('Sen. Pat Rose, R-Pa., described the meeting as "a good, constructive conversation." '
            "Sen. Grace Hill, D-N.Y., who chairs the budget committee, said the two sides were far apart. "
            '"It was a start," said Rep. Tom Page, R-Ohio.')
    assert speakers(text) == ["Pat Rose", "Grace Hill", "Tom Page"]
    assert all("R-" not in s and "D-" not in s for s in speakers(text))


def test_mayor_pro_tem_and_trooper_are_titles():
    text = ("Mayor Pro Tem Sarah Hill said the council had little choice. "
            "A patrol spokeswoman, Trooper Kim Rose, said investigators would reconstruct the crash.")
    assert speakers(text) == ["Sarah Hill", "Kim Rose"]


def test_an_organisation_word_keeps_its_title_like_first_word():
    text = "The Home Office said the average wait had fallen by a quarter since January."
    assert said(text) == [("Home Office", "organization", "the average wait had fallen by a quarter since January")]


# ---- organisations and what they issue
def test_a_statement_speaks_for_the_organisation_that_issued_it():
    text = ("A deputy was injured in a crash on Sunday, the Oak County Sheriff's Office said. "
            "The chase lasted eight minutes, it said in a news release. "
            '"Our deputy is alert and talking," the statement said.')
    assert said(text) == [
        ("Oak County Sheriff's Office", "organization", "A deputy was injured in a crash on Sunday"),
        ("Oak County Sheriff's Office", "organization", "The chase lasted eight minutes"),
        ("Oak County Sheriff's Office", "organization", '"Our deputy is alert and talking,"')]


def test_a_report_speaks_for_the_firm_named_after_by():
    text = ("Planned job cuts rose in October, according to a report by the outplacement firm Ford & Stone. "
            "The report said retail accounted for a third of the cuts.")
    assert [(s, k) for s, k, _t in said(text)] == [("Ford & Stone", "organization")] * 2


def test_the_company_and_a_head_last_office_are_organisations():
    text = ("Brightwell Foods is recalling 200,000 jars of baby food, the company said on Thursday. "
            "Shares in Brightwell fell. The firm added that the recall would cost $6 million. "
            "The district attorney's office said it was reviewing the decision.")
    got = said(text)
    assert [(s, k) for s, k, _t in got] == [("Brightwell Foods", "organization")] * 2 + [
        ("district attorney's office", "organization")]
    assert all(s != "Brightwell Foods" or k == "organization" for s, k, _t in got)


def test_a_recall_of_products_is_not_a_statement():
    text = "Brightwell Foods recalls 200,000 jars of baby food over glass fragments\nThe jars were sold in Ohio."
    assert said(text) == []


# ---- unnamed officials and sources
def test_an_indefinite_official_after_a_quote_is_an_unnamed_role_not_the_person_named_before():
    text = ('President Obama met Republican senators for dinner. "The president greatly enjoyed the evening," '
            "a senior administration official said. According to a senior White House aide, the two sides "
            "agreed to meet again.")
    assert [(s, k) for s, k, _t in said(text)] == [("senior administration official", "role"),
                                                   ("senior White House aide", "source")]


def test_a_witness_and_a_person_familiar_are_unnamed_sources():
    text = ("Sheriff Dale Stone praised the deputies. A witness who lives near the junction, and who asked not "
            "to be named, said she heard a loud bang. A person familiar with the investigation said the glass "
            "came from a broken lamp.")
    got = said(text)
    assert [k for _s, k, _t in got] == ["role", "role"]
    assert "Dale Stone" not in [s for s, _k, _t in got]


# ---- instructions and evaluations
def test_told_to_gives_the_subject_as_speaker_and_the_instruction_as_statement():
    text = ("Gov. Nora Bishop told legislative leaders not to send her any more bills until they pass a budget. "
            "Ana Price urged ministers to act before the autumn. Her coach, Tom Rose, said that Price had told "
            "him to stop worrying.")
    got = said(text)
    assert got[0][:2] == ("Nora Bishop", "person")
    assert got[0][2].startswith("not to send her any more bills")
    assert got[1] == ("Ana Price", "person", "act before the autumn")
    assert got[2][0] == "Tom Rose" and "Price had told him to stop worrying" in got[2][2]


def test_praise_and_blame_are_said_by_the_subject_not_by_the_object():
    text = ("Carl Page singled out Senate President Walter Hill as the main obstacle to a deal. "
            "Sen. Grace Young praised Bishop for holding firm on taxes but said the vetoes would anger voters. "
            "Resident Gloria Stone denounced the decision as a backroom deal.")
    got = said(text)
    assert [s for s, _k, _t in got] == ["Carl Page", "Grace Young", "Grace Young", "Gloria Stone"]
    assert got[0][2] == "singled out Senate President Walter Hill as the main obstacle to a deal"
    assert got[1][2] == "praised Bishop for holding firm on taxes"


def test_a_passive_evaluation_has_no_speaker_in_it():
    text = "The goalkeeper Sam Hill was praised for his calm after the match."
    assert said(text) == []


# ---- bare clauses, relative 'that', split quotes
def test_a_quote_inside_a_bare_clause_belongs_to_the_whole_clause():
    text = ('Lisa Young said her client was "overwhelmed" by the news. '
            "Rubén Paz said his caucus would back any budget that restored money for colleges.")
    assert said(text) == [
        ("Lisa Young", "person", 'her client was "overwhelmed" by the news'),
        ("Rubén Paz", "person", "his caucus would back any budget that restored money for colleges")]


def test_said_with_a_setting_before_that_keeps_the_complementizer():
    text = "Judge Ruth Rubio said on Monday that the error went to the heart of the case."
    assert said(text) == [("Ruth Rubio", "person", "the error went to the heart of the case")]


def test_a_quote_split_by_its_cue_keeps_one_speaker_for_both_halves():
    text = ('"I want it to work," Jenny Bishop said, "but I have seen too many targets come and go." '
            '"Then she missed one easy forehand," the champion said, "and suddenly it all changed."')
    got = said(text)
    assert [s for s, _k, _t in got[:2]] == ["Jenny Bishop", "Jenny Bishop"]
    assert got[1][2] == '"but I have seen too many targets come and go."'
    assert len(got) == 4 and got[2][0] == got[3][0]


def test_a_response_verb_that_introduces_nothing_hides_nothing():
    text = "Sheriff Mark Hill said deputies responded to the home after a call from a neighbour."
    assert said(text) == [("Mark Hill", "person", "deputies responded to the home after a call from a neighbour")]


# ---- a colon hands a quote to the sentence's subject
def test_a_quote_after_a_colon_belongs_to_the_subject_of_its_sentence():
    text = ('The opposition\'s finance spokesman, Peter Stone, took a harder line: "Families have waited two years." '
            'Asked what she would do next, Amelia Rose laughed: "Sleep, probably." '
            'The slogan on the banners was simple: "Not one more closure."')
    assert [(s, t) for s, _k, t in said(text)] == [("Peter Stone", '"Families have waited two years."'),
                                                   ("Amelia Rose", '"Sleep, probably."')]


def test_a_surname_with_particles_alone_does_not_join_two_people():
    from index.people import merge_people
    from index.types import Person

    people = [Person(name="Manuel de la Torre", aliases=("De la Torre", "Manuel de la Torre"), n_quotes=3),
              Person(name="Ana de la Torre", aliases=("Ana de la Torre",), n_quotes=1)]
    assert sorted(p.name for p in merge_people(people)) == ["Ana de la Torre", "Manuel de la Torre"]


def test_the_n_year_old_is_the_person_written_about():
    text = ('Ryan Hill scored late on. "My mum sings it louder than anyone," the 22-year-old said. '
            "The 22-year-old striker said that the goal was for his grandfather.")
    assert [(s, k) for s, k, _t in said(text)] == [("Ryan Hill", "person")] * 2


def test_a_quote_opened_straight_and_closed_curly_is_one_quote():
    text = ('Title\n"Exoplanets are planets that orbit other stars,” Junellie Paz said. '
            '“This system is 31 light-years away," she added.')
    assert [(s, t) for s, _k, t in said(text)] == [
        ("Junellie Paz", '"Exoplanets are planets that orbit other stars,”'),
        ("Junellie Paz", '“This system is 31 light-years away,"')]


def test_a_team_and_role_before_a_name_and_a_pronoun_after_an_unnamed_witness():
    text = ("Northbridge manager Graham Page praised his side but admitted the performance was far from perfect. "
            "A council spokesperson said the lanes would cost £90,000 to remove. "
            "A witness who lives nearby said she heard a loud bang. "
            '"There was glass everywhere," she said. Trooper Kim Rose said the road would reopen on Monday.')
    assert [(s, k) for s, k, _t in said(text)] == [
        ("Graham Page", "person"), ("council spokesperson", "role"), ("witness who lives nearby", "role"),
        ("witness who lives nearby", "role"), ("Kim Rose", "person")]


def test_said_that_with_an_aside_or_a_place_before_that():
    text = ("Judge Ruth Paz said, however, that the error was serious. "
            "Mayor Tom Hill said in Washington that the city would appeal. "
            "Sen. Lee Stone said repeatedly that he would vote no.")
    assert [(s, t) for s, _k, t in said(text)] == [("Ruth Paz", "the error was serious"),
                                                   ("Tom Hill", "the city would appeal"),
                                                   ("Lee Stone", "he would vote no")]


def test_the_colon_rule_reads_a_lead_of_at_most_max_lead_tokens():
    from index.quotes.colon_quotes import MAX_LEAD_TOKENS

    def lead(n_words: int) -> str:  # 'Peter Stone' + filler words up to n_words tokens before the colon
        return "Peter Stone " + " ".join(["then"] * (n_words - 2))

    short = lead(MAX_LEAD_TOKENS) + ': "We will not move."'
    long = lead(MAX_LEAD_TOKENS + 2) + ': "We will not move."'
    assert [s for s, _k, _t in said(short)] == ["Peter Stone"]
    assert said(long) == []


def test_an_instruction_looks_back_a_bounded_stretch_for_another_speaker():
    from index.quotes.evaluations import _MAX_LEAD_TOKENS

    near = "Ana Rose said that her coach Tom Hill had told her to stop looking at the scoreboard."
    assert [s for s, _k, _t in said(near)] == ["Ana Rose"]
    filler = " ".join(["and", "then", "the", "rain", "came"] * (_MAX_LEAD_TOKENS // 5 + 1))
    far = f"Ana Rose said that the day was long {filler} and Tom Hill told the players to stop looking at the scoreboard."
    got = said(far)
    assert got[-1][0] == "Tom Hill" and got[-1][2] == "stop looking at the scoreboard"


def test_a_nationality_before_who_is_the_person_and_a_backtick_opens_a_quote():
    text = ("Ellie Young beat Daria Markova in straight sets. The Czech, who had won all four of their meetings, "
            'went on to say that her back had troubled her. "It was `just one of those days," Markova said. '
            "`It's part of the process,\" said Ellie Young.")
    got = said(text)
    assert [s for s, _k, _t in got] == ["Daria Markova", "Daria Markova", "Ellie Young"]
    assert got[2][2] == "`It's part of the process,\""


def test_said_a_senior_administration_official_after_the_quote_is_the_official():
    text = ('President Obama met Republican senators for dinner. "The president greatly enjoyed the dinner," said a '
            "senior administration official. The two sides had a good exchange of ideas, according to a senior "
            "administration official.")
    assert [(s, k) for s, k, _t in said(text)] == [("senior administration official", "source")] * 2


def test_stacked_titles_and_a_title_in_apposition_name_nobody():
    text = ("Bridgette Moore, Mayor Pro Tem, said the city would appeal. "
            "Residents have said through emails that they want a vote, Mayor Pro Tem Bridgette Moore said. "
            "Mayor Pro-Tem Ann Stone said the map was fair.")
    got = said(text)
    assert [s for s, _k, _t in got] == ["Bridgette Moore", "Bridgette Moore", "Ann Stone"]
    assert got[1][2] == "Residents have said through emails that they want a vote"


def test_a_party_tag_after_a_post_quote_name_and_a_characterization_with_several_quotes():
    text = ('"It was fine," Sen. John Rubio, R-Ariz., said. '
            'Sen. Ann Rose, D-Ohio, described the dinner as "just fine," "great" and "wonderful."')
    assert said(text) == [("John Rubio", "person", '"It was fine,"'),
                          ("Ann Rose", "person", 'the dinner as "just fine," "great" and "wonderful."')]


def test_an_unnamed_child_in_a_headline_and_a_sheriffs_office_closing_with_a_day():
    text = ("Sheriff: 12-year-old boy says he accidentally shot his mother\n"
            "A 12-year-old boy accidentally killed his mother, then lied about it, the Marion County Sheriff’s Office "
            "said Monday.")
    assert said(text) == [
        ("12-year-old boy", "role", "he accidentally shot his mother"),
        ("Marion County Sheriff’s Office", "organization", "A 12-year-old boy accidentally killed his mother, then lied about it")]


def test_segun_el_comunicado_speaks_for_its_issuer_but_not_segun_la_denuncia():
    text = ("«Rechazamos rotundamente estas declaraciones», señaló el Ministerio de Exteriores en un comunicado. "
            "Según el comunicado, la embajadora fue convocada el lunes. "
            "Ana Paz presentó una denuncia ante la Fiscalía. Según la denuncia, la Policía filtró el informe.")
    got = said(text)
    assert [(s, k) for s, k, _t in got[:2]] == [("Ministerio de Exteriores", "organization")] * 2
    assert all("filtró" not in t for _s, _k, t in got)


def test_he_said_goes_to_the_last_speaker_not_to_a_person_named_as_an_object():
    text = ('Paul Long said the council had lost his trust. Long also criticised Wes Bell for the vote. '
            '"I am very cynical about this council," he said. Councillor Ann Rose smiled. "Ask me on Friday," she said.')
    # 'criticised Wes Bell for the vote' is itself Long's statement
    assert [s for s, _k, _t in said(text)] == ["Paul Long", "Paul Long", "Paul Long", "Ann Rose"]


def test_a_role_inside_a_quote_names_nobody_and_an_aide_does_not_take_he_said():
    text = ("Trooper Kim Rose arrived later. A witness who lives nearby said she heard a loud bang. "
            '"There was glass everywhere. The officer was still in his seat," she said.\n'
            'Andrew Bishop, who reads on his commute, according to an aide, ended on a lighter note. '
            '"If I had a date, I would tell you," he said.')
    got = said(text)
    assert [s for s, _k, _t in got][:2] == ["witness who lives nearby"] * 2
    assert got[-1][0] == "Andrew Bishop"


def test_a_definite_phrase_defined_by_its_who_clause_is_unnamed():
    text = ("A spokesman for Leeds Police said the road was closed. The junior accountant who raised the alarm, and "
            "who asked not to be named, said she had almost said nothing. The minister, Ruth Hill, said the "
            "review would be published.")
    assert [(s, k) for s, k, _t in said(text)] == [("spokesman for Leeds Police", "role"),
                                                   ("junior accountant", "role"), ("Ruth Hill", "person")]


# ---- an English present plural: the base form after its subject is a cue

@pytest.mark.parametrize("text, speaker, words", [
    ("Police say two brothers stole a delivery van in Dayton on Friday.", "Police", "two brothers stole"),
    ("Officials say the bridge will stay closed until March.", "Officials", "the bridge will stay closed"),
    ("Residents say that the crossing near the school is dangerous.", "Residents", "the crossing near the school"),
])
def test_a_plural_subject_with_the_base_form_speaks(text, speaker, words):
    found = [(q.speaker, q.text) for q in extract_quotes(Document(id="t", title="t", text=text)).quotes]
    assert any(s == speaker and words in q for s, q in found), found


@pytest.mark.parametrize("text", [
    "This says nothing about the budget.",
    "I always say hello to the neighbours on Sundays.",
    "They want to say goodbye to the old stadium.",
])
def test_a_base_form_without_a_plural_subject_is_no_cue(text):
    assert extract_quotes(Document(id="t", title="t", text=text)).quotes == ()


def test_a_progressive_report_and_a_relative_aside_are_statements_of_their_own_span():
    found = {q.speaker: q.text for q in extract_quotes(Document(
        id="t", title="t", text="CNN is reporting that the senator will resign on Friday.")).quotes}
    assert found == {"CNN": "the senator will resign on Friday"}
    aside = extract_quotes(Document(id="t", title="t", text=(
        "The mayor, John Young, who said the budget was balanced, left the meeting early."))).quotes
    assert [(q.speaker, q.text) for q in aside] == [("John Young", "the budget was balanced")]
    assert extract_quotes(Document(id="t", title="t", text="Reporting by Ana Price; editing by Tom Rose.")).quotes == ()
