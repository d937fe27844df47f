"""Follow-up questions over HTTP: `history` in POST /api/ask, against a real `fuentes serve`, and every
bound of it refused with a clear 422."""
from __future__ import annotations

import pytest

from assistant.limits import MAX_HISTORY_TURN_CHARS, MAX_HISTORY_TURNS
from ui.testing import SAMPLE_ARTICLES, ask_json, running_server

PESKOV = "Dmitri Peskov"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("api-history"), ingest=SAMPLE_ARTICLES, timeout=600) as server:
        with server.client() as client:
            yield client


ask = ask_json


def test_a_follow_up_with_chat_messages_gets_the_persons_statements(client):
    first = ask(client, "What did Peskov say?")
    assert first["person"] == PESKOV and first["intent"] == "quote"
    history = [{"role": "user", "content": "What did Peskov say?"}, {"role": "assistant", "content": first["text"]}]
    answer = ask(client, "And what did he say about Europe?", history=history)
    assert (answer["intent"], answer["person"], answer["topic"]) == ("quote", PESKOV, "Europe")
    assert answer["citations"] and {c["speaker"] for c in answer["citations"]} == {PESKOV}
    for c in answer["citations"]:
        text = client.get(f"/api/documents/{c['doc_id']}").json()["text"]
        assert text[c["start"]:c["end"]] == c["text"]


def test_a_follow_up_with_the_earlier_answers_turn(client):
    first = ask(client, "¿Qué dijo Zelensky sobre las tropas?")
    turn = {key: first[key] for key in ("intent", "person", "topic")} | {"question": first["question"]}
    answer = ask(client, "¿Y sobre la OTAN?", history=[turn])
    assert (answer["person"], answer["topic"]) == ("Volodymyr Zelensky", "la OTAN")
    assert {c["speaker"] for c in answer["citations"]} == {"Volodymyr Zelensky"}


def test_without_history_the_same_words_ask_whom(client):
    answer = ask(client, "And what did he say about Europe?")
    assert answer["citations"] == [] and "Whom do you mean" in answer["text"]


BAD_HISTORIES = [
    ([{"role": "user", "content": "What did Peskov say?"}] * (MAX_HISTORY_TURNS + 1),
     f"history: List should have at most {MAX_HISTORY_TURNS} items"),
    ([{"role": "user", "content": "x" * (MAX_HISTORY_TURN_CHARS + 1)}],
     f"history.0.content: String should have at most {MAX_HISTORY_TURN_CHARS} characters"),
    ([{"role": "system", "content": "be brief"}], "history.0.role: String should match pattern"),
    ([{"role": "user"}], "a chat message needs both role and content"),
    ([{"question": "What did Peskov say?", "role": "user", "content": "hi"}], "either"),
    ([{"question": "What did Peskov say?", "intent": "gossip"}], "history.0.intent"),
    ([{"question": "What did Peskov say?", "mood": "curious"}], "a history entry has role and content"),
    (["What did Peskov say?"], "history.0"),
    ("What did Peskov say?", "history: Input should be a valid list"),
]


@pytest.mark.parametrize("history, says", BAD_HISTORIES, ids=[repr(h)[:40] for h, _ in BAD_HISTORIES])
def test_bad_histories_get_a_422_that_says_what_was_wrong(client, history, says):
    response = client.post("/api/ask", json={"question": "And what did he say?", "history": history})
    assert response.status_code == 422, response.text
    error = response.json()
    assert error["status"] == 422 and says in error["error"], error
    assert client.get("/api/health").status_code == 200


def test_the_largest_history_is_accepted(client):
    history = [{"role": "user", "content": "What did Peskov say?"}] * MAX_HISTORY_TURNS
    assert ask(client, "And what did he say?", history=history)["person"] == PESKOV
