"""One Assistant shared by threads answers exactly as it does alone, even while another thread ingests:
each answer is the serial answer of the index before the ingest or after it, never a mix."""
import json
from concurrent.futures import ThreadPoolExecutor

QUESTIONS = [
    "What did Peskov say?",
    "¿Qué dijo Zelensky sobre el apoyo militar de sus socios?",
    "¿Qué porcentaje de los materiales de tierras raras se producen en China?",
    "¿Quién dijo que Rusia hace todo lo posible por postergar la reunión?",
]


def answer_key(answer):
    data = answer.to_dict()
    data.pop("timings_ms")
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def test_threads_asking_at_once_get_the_serial_answers(writable_sample, tmp_path):
    assistant = writable_sample
    expected = {q: answer_key(assistant.ask(q)) for q in QUESTIONS}
    extra = tmp_path / "extra.jsonl"
    extra.write_text("\n".join(json.dumps({"id": f"extra-{i}", "title": f"Extra {i}",
                                           "text": f"Crónica {i}: la flota pesquera volvió a puerto por el temporal."})
                               for i in range(8)))
    with ThreadPoolExecutor(max_workers=6) as pool:
        ingesting = pool.submit(assistant.ingest, [extra])
        futures = [pool.submit(assistant.ask, q) for q in QUESTIONS * 6]
        answers = [(q, f.result()) for q, f in zip(QUESTIONS * 6, futures)]
        assert len(ingesting.result().added) == 8
    # Scores are measured against the corpus as a whole, so the new articles may move them.
    after = {q: answer_key(assistant.ask(q)) for q in QUESTIONS}
    for question, answer in answers:
        assert answer_key(answer) in (expected[question], after[question]), question
    assert assistant.info()["documents"] == 11
