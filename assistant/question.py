"""Question understanding: language, intent (quote / who / fact), the person asked about and the topic."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from index.speech_verbs import VERB_FORMS
from index.text import detect_language


@dataclass(frozen=True)
class Question:
    text: str
    language: str          # "es" | "en"
    intent: str            # "quote" | "who" | "person" (who is X) | "fact"
    person: str | None     # the name as written in the question
    topic: str | None      # Y in "what did X say about Y"; the quoted words or clause in a who-question


def _fold_same_length(text: str) -> str:
    """Lower case without accents, one character per character, so match offsets slice the original."""
    out = []
    for c in text:
        d = unicodedata.normalize("NFKD", c.lower())
        base = "".join(x for x in d if not unicodedata.combining(x))
        out.append(base if len(base) == 1 else c.lower()[:1] or c)
    return "".join(out)


def _verb_pattern(language: str, extra: tuple[str, ...]) -> str:
    """An alternation of the speech-verb forms of `speech_verbs` a question uses ('dijo', 'ha dicho',
    'said', 'warn'), longest first, plus the opinion verbs questions add ('piensa', 'think')."""
    forms = set(extra)
    for word, form in VERB_FORMS.items():
        if form.language != language or form.form == "gerund" or (language == "es" and form.form == "infinitive"):
            continue
        if language == "en":
            forms.add(form.lemma)  # 'what did X warn': every base form, nouns included
        if form.form == "participle" and language == "es":
            forms.update(f"{aux} {word}" for aux in ("ha", "han", "habia"))
        else:
            forms.add(word)
    return "|".join(sorted((re.escape(f) for f in forms), key=lambda f: (-len(f), f)))


_ES_VERBS = _verb_pattern("es", ("piensa", "cree", "dira", "opina", "califico", "describio"))
_EN_VERBS = _verb_pattern("en", ("think", "mention", "mentioned", "comment", "commented", "threaten", "threatened"))
_ABOUT_ES = r"(?:sobre|acerca de|respecto a|respecto de|en relacion con|con respecto a|del|de)"
_ABOUT_EN = r"(?:about|on|regarding|concerning|of)"
_NOUNS_ES = r"(?:declaraciones|palabras|citas|frases|comentarios|afirmaciones|dichos|opiniones)"
_NOUNS_EN = r"(?:statements?|remarks?|comments?|quotes?|words|claims?|warnings?|views?)"

_QUOTE_PATTERNS = [
    # ¿qué dijo X sobre Y? / ¿qué ha dicho X? / que opina X de Y
    ("es", re.compile(rf"^(?:y )?que (?:es lo que |fue lo que )?(?:{_ES_VERBS}) (?P<p>.+?)(?: {_ABOUT_ES} (?P<t>.+))?$")),
    # declaraciones de X sobre Y
    ("es", re.compile(rf"^(?:las |los |cuales son las |cuales son los )?{_NOUNS_ES} (?:de|del) (?P<p>.+?)"
                      rf"(?: (?:sobre|acerca de|respecto a|en relacion con) (?P<t>.+))?$")),
    # lo que dijo X (sobre Y)
    ("es", re.compile(rf"^(?:dime |muestrame |resume )?lo que (?:{_ES_VERBS}) (?P<p>.+?)(?: {_ABOUT_ES} (?P<t>.+))?$")),
    # what did/has X say (about Y)
    ("en", re.compile(rf"^what (?:did|does|has|have|had) (?P<p>.+?) (?:{_EN_VERBS})\b(?: (?:to \w+ )?{_ABOUT_EN} (?P<t>.+))?$")),
    # what X said (about Y) / what was said by X
    ("en", re.compile(rf"^(?:tell me |show me )?what (?P<p>.+?) (?:has said|said|says|stated|claimed|warned)"
                      rf"(?: {_ABOUT_EN} (?P<t>.+))?$")),
    # X's statements on Y
    ("en", re.compile(rf"^(?:show |list |give me )?(?P<p>.+?)['’]s? {_NOUNS_EN}(?: {_ABOUT_EN} (?P<t>.+))?$")),
    # statements by X (on Y), quotes from X
    ("en", re.compile(rf"^(?:show |list |give me )?(?:all )?{_NOUNS_EN} (?:by|from|of) (?P<p>.+?)"
                      rf"(?: (?:about|on|regarding) (?P<t>.+))?$")),
]
_WHO_PATTERNS = [
    re.compile(rf"^quien(?:es)? (?:{_ES_VERBS}|califico|describio|hablo de|aseguro)\b(?: que\b)?[ ,:]*(?P<t>.+)$"),
    re.compile(rf"^who (?:has |had )?(?:{_EN_VERBS}|called for|called)\b(?: that\b)?[ ,:]*(?P<t>.+)$"),
    re.compile(r"^de quien (?:es|son) (?:la frase|las palabras|la cita)[ ,:]*(?P<t>.+)$"),
    re.compile(r"^(?:whose words are|who is quoted as saying)[ ,:]*(?P<t>.+)$"),
]
# "Who is X?": a person intent only if X names someone in the people records (the caller checks;
# "¿Quién es el presidente del comité militar?" stays a fact question).
_WHO_IS = re.compile(r"^(?:who is|who's|who was|quien es|quien era|quien fue)\s+(?P<p>.+)$")
_ARTICLES = re.compile(r"^(?:el|la|los|las|the)\s+", re.IGNORECASE)
_TRIM = " \t\n¿?¡!.,;:\"'«»“”‘’"


def _clean(span: str | None) -> str | None:
    if span is None:
        return None
    span = span.strip(_TRIM)
    return span or None


def parse_question(text: str) -> Question:
    """Read what the user wants: a person's statements, the speaker of a statement, or a fact.

    Example: parse_question("¿Qué dijo Peskov sobre la cumbre?") ->
    Question(text=…, language='es', intent='quote', person='Peskov', topic='la cumbre')
    """
    stripped = text.strip()
    core = stripped.strip(" \t\n¿?¡!.")
    folded = _fold_same_length(core)
    folded = re.sub(r"\s+", " ", folded)
    core = re.sub(r"\s+", " ", core)
    language = detect_language(stripped, default="es")
    m = _WHO_IS.match(folded)
    if m and len(m.group("p").split()) <= 5:
        lang = "en" if folded.startswith("who") else "es"
        return Question(text, lang, "person", _clean(core[m.start("p"):m.end("p")]), None)
    for pat in _WHO_PATTERNS:
        m = pat.match(folded)
        if m:
            lang = "en" if folded.startswith(("who", "whose")) else "es"
            return Question(text, lang, "who", None, _clean(core[m.start("t"):m.end("t")]))
    for lang, pat in _QUOTE_PATTERNS:
        m = pat.match(folded)
        if not m:
            continue
        person = _clean(core[m.start("p"):m.end("p")])
        if person:
            person = _ARTICLES.sub("", person)
        if not person or len(person.split()) > 6:
            continue
        topic = _clean(core[m.start("t"):m.end("t")]) if m.group("t") else None
        return Question(text, lang, "quote", person, topic)
    return Question(text, language, "fact", None, None)
