"""Follow-up questions through the Python API: the conversation so far resolves "he", "¿Y sobre …?"
and "¿Y Macron?" against earlier turns; the history is bounded and checked."""
from __future__ import annotations

import dataclasses

import pytest

from assistant.conversation import Turn, turns_from
from assistant.limits import MAX_HISTORY_TURN_CHARS, MAX_HISTORY_TURNS
from index.errors import FuentesError


def test_a_turn_is_a_frozen_record_of_what_was_understood(sample):
    answer = sample.ask("What did Peskov say?")
    assert answer.turn == Turn("What did Peskov say?", "quote", "Dmitri Peskov", None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.turn.person = "Macron"


def test_he_after_a_peskov_question_is_peskov(sample):
    first = sample.ask("What did Peskov say?")
    answer = sample.ask("And what did he say about Europe?", history=[first.turn])
    assert (answer.intent, answer.person, answer.topic) == ("quote", "Dmitri Peskov", "Europe")
    assert answer.citations and {c.speaker for c in answer.citations} == {"Dmitri Peskov"}
    for c in answer.citations:
        assert sample.document(c.doc_id).text[c.start:c.end] == c.text


def test_chat_messages_work_as_history(sample):
    history = [{"role": "user", "content": "What did Peskov say?"},
               {"role": "assistant", "content": "Dmitri Peskov, in …"}]
    answer = sample.ask("And what did he say about Europe?", history=history)
    assert answer.person == "Dmitri Peskov"


def test_y_sobre_keeps_the_person_and_changes_the_topic(sample):
    first = sample.ask("¿Qué dijo Zelensky sobre las tropas?")
    answer = sample.ask("¿Y sobre la OTAN?", history=[first.turn])
    assert (answer.language, answer.intent, answer.person, answer.topic) == ("es", "quote", "Volodymyr Zelensky", "la OTAN")
    assert answer.citations and {c.speaker for c in answer.citations} == {"Volodymyr Zelensky"}


def test_y_and_a_name_keeps_the_topic_and_changes_the_person(sample):
    first = sample.ask("¿Qué dijo Peskov sobre la guerra?")
    answer = sample.ask("¿Y Macron?", history=[first.turn])
    assert (answer.intent, answer.person, answer.topic) == ("quote", "Emmanuel Macron", "la guerra")
    assert {c.speaker for c in answer.citations} == {"Emmanuel Macron"}


def test_a_new_question_with_a_name_ignores_the_history(sample):
    first = sample.ask("What did Peskov say?")
    answer = sample.ask("What did Macron say?", history=[first.turn])
    assert answer.person == "Emmanuel Macron"


def test_he_without_history_asks_whom_and_cites_nothing(sample):
    answer = sample.ask("What did he say about Europe?")
    assert answer.citations == () and answer.text.startswith("Whom do you mean by “he”?")


def test_turns_from_reads_chat_messages_in_order():
    turns = turns_from([{"role": "user", "content": "¿Qué dijo Peskov?"},
                        {"role": "assistant", "content": "…"},
                        {"role": "user", "content": "¿Y sobre Europa?"}])
    assert turns == [Turn("¿Qué dijo Peskov?", "quote", "Peskov", None),
                     Turn("¿Y sobre Europa?", "quote", "Peskov", "Europa")]


@pytest.mark.parametrize("history, message", [
    ([{"role": "user", "content": "¿Qué dijo Peskov?"}] * (MAX_HISTORY_TURNS + 1), f"at most {MAX_HISTORY_TURNS}"),
    ([{"role": "user", "content": "x" * (MAX_HISTORY_TURN_CHARS + 1)}], f"over {MAX_HISTORY_TURN_CHARS} characters"),
    ([{"role": "system", "content": "be brief"}], "role 'user' or 'assistant'"),
    ([{"question": "What did Peskov say?", "intent": "gossip"}], "intent must be one of"),
    (["What did Peskov say?"], "must be a Turn"),
])
def test_bad_history_is_refused_with_what_to_do(sample, history, message):
    with pytest.raises(FuentesError, match=message):
        sample.ask("And what did he say?", history=history)


def test_the_largest_history_allowed_is_accepted(sample):
    history = [{"role": "user", "content": "What did Peskov say?"}] * MAX_HISTORY_TURNS
    assert sample.ask("And what did he say?", history=history).person == "Dmitri Peskov"
