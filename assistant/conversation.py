"""Follow-up questions: the conversation so far as `Turn`s, and a new question resolved against it
("And what did he say about Europe?" after a Peskov question asks about Peskov)."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Mapping

from index.errors import FuentesError
from index.text import fold

from .limits import MAX_HISTORY_TURN_CHARS, MAX_HISTORY_TURNS
from .question import Question, parse_question

INTENTS = ("quote", "who", "person", "fact")


@dataclass(frozen=True)
class Turn:
    """One earlier question and what the assistant understood of it."""

    question: str
    intent: str | None = None
    person: str | None = None
    topic: str | None = None


# Words that point back at the person of an earlier turn.
_PRONOUNS = frozenset({"he", "she", "they", "him", "her", "them", "el", "ella", "ellos", "ellas", "este", "esta",
                       "ese", "esa", "the same person", "la misma persona", "el mismo"})
_LEAD = r"(?:y|and|also|tambien|e|pero|but|ok|vale)"
_ABOUT = r"(?:sobre|acerca de|respecto a|respecto de|en cuanto a|con respecto a|de|about|on|regarding|concerning)"
# "¿Y sobre la OTAN?", "And about Europe?", "What about Macron?", "¿Y qué hay de Macron?", "¿Y Macron?"
_ELLIPSIS = [
    re.compile(rf"^(?:{_LEAD} )?(?:what about|how about|and about|que hay de|que tal|y que hay de) (?P<x>.+)$"),
    re.compile(rf"^{_LEAD} {_ABOUT} (?P<x>.+)$"),
    re.compile(rf"^{_LEAD} (?P<x>[^ ]+(?: [^ ]+){{0,3}})$"),
]
# "¿Y qué más dijo?", "What else did he say?", "¿Qué dijo sobre Europa?" (no person named)
_SAID_NO_PERSON = re.compile(
    rf"^(?:{_LEAD} )?(?:que (?:mas |otra cosa )?(?:dijo|ha dicho|declaro|afirmo|opina|opino|piensa)"
    rf"|what (?:else )?(?:did|does|has) (?:he|she|they) (?:say|said|think)|what else was said)"
    rf"(?: (?:{_ABOUT}) (?P<t>.+))?$")


def is_pronoun(name: str | None) -> bool:
    """True for "he", "ella", …: a person named only by reference to an earlier turn."""
    return name is not None and fold(name).strip() in _PRONOUNS


def _fold_same_length(text: str) -> str:
    return "".join(fold(c)[:1] or c for c in text)


def turns_from(history: Iterable[Turn | Mapping[str, Any]] | None) -> list[Turn]:
    """Earlier turns from `Turn`s, {"question", "intent", "person", "topic"} dicts, or chat messages
    {"role": "user" | "assistant", "content": …} (user messages are re-read in order; answers are skipped).
    Bounded: at most MAX_HISTORY_TURNS entries of at most MAX_HISTORY_TURN_CHARS characters each."""
    items = list(history or [])
    if len(items) > MAX_HISTORY_TURNS:
        raise FuentesError(f"the history has {len(items)} entries; at most {MAX_HISTORY_TURNS} are accepted: "
                           f"send only the latest turns")
    turns: list[Turn] = []
    for i, item in enumerate(items):
        if isinstance(item, Turn):
            turn = item
        elif isinstance(item, Mapping) and "role" in item:
            role, content = item.get("role"), item.get("content")
            if role not in ("user", "assistant") or not isinstance(content, str):
                raise FuentesError(f"history[{i}] must have role 'user' or 'assistant' and a text content, "
                                   f"got role={role!r}")
            _check_size(i, content)
            if role == "assistant":
                continue
            turn = Turn(content)
        elif isinstance(item, Mapping) and isinstance(item.get("question"), str):
            turn = Turn(item["question"], item.get("intent"), item.get("person"), item.get("topic"))
        else:
            raise FuentesError(f"history[{i}] must be a Turn, a {{'question': …}} dict or a {{'role', 'content'}} "
                               f"message, got {type(item).__name__}")
        _check_size(i, turn.question, *(v for v in (turn.person, turn.topic) if v))
        if turn.intent is not None and turn.intent not in INTENTS:
            raise FuentesError(f"history[{i}].intent must be one of {list(INTENTS)}, got {turn.intent!r}")
        if turn.intent is None and turn.question.strip():  # a chat message: read it as it was asked then
            q = resolve(turn.question, turns)
            turn = Turn(turn.question, q.intent, q.person, q.topic)
        turns.append(turn)
    return turns


def _check_size(i: int, *texts: str) -> None:
    for text in texts:
        if not isinstance(text, str) or len(text) > MAX_HISTORY_TURN_CHARS:
            raise FuentesError(f"history[{i}] holds a text over {MAX_HISTORY_TURN_CHARS} characters (or not text); "
                               f"send the questions only")


def resolve(text: str, turns: list[Turn], is_person: Callable[[str], bool] | None = None) -> Question:
    """`text` read as a follow-up of `turns`: a missing or pronoun person is the last one asked about,
    an elliptical "and about Y?" keeps the person and intent and changes the topic, "and X?" with X a
    person keeps the topic and changes the person. Without earlier turns this is `parse_question`."""
    question = parse_question(text)
    lead = re.match(rf"^\W*{_LEAD}\b[\s,]*", fold(text))
    if question.intent == "fact" and lead:
        bare = parse_question(text[lead.end():])  # "And what did Macron say?" read without the "and"
        if bare.intent != "fact":
            question = replace(bare, text=text)
    last = next((t for t in reversed(turns) if t.person and t.intent in ("quote", "person")), None)
    if last is None:
        return question
    core = re.sub(r"\s+", " ", text.strip().strip(" \t\n¿?¡!."))
    folded = _fold_same_length(core)
    if question.intent == "quote" and is_pronoun(question.person):
        return replace(question, person=last.person)
    if question.intent in ("quote", "who"):
        return question
    m = _SAID_NO_PERSON.match(folded)
    if m:
        topic = core[m.start("t"):m.end("t")].strip() if m.group("t") else None
        return Question(text, question.language, "quote", last.person, topic)
    for pattern in _ELLIPSIS:
        m = pattern.match(folded)
        if not m:
            continue
        named = re.sub(r"^(?:el|la|los|las|the) ", "", core[m.start("x"):m.end("x")].strip(), flags=re.IGNORECASE)
        if is_person is not None and is_person(named):
            return Question(text, question.language, "quote", named, _topic_of(turns, last))
        if pattern is _ELLIPSIS[2] and is_person is None:
            continue  # "and X?" is a person or a topic; without the people records, leave it
        return Question(text, question.language, "quote", last.person, core[m.start("x"):m.end("x")].strip())
    return question


def _topic_of(turns: list[Turn], last: Turn) -> str | None:
    return turns[-1].topic if turns and turns[-1] is last else last.topic
