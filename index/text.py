"""Text normalisation shared by the lexical index and the language rules: folding, tokens, stems, language."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import simplemma
import snowballstemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_SPANISH

LANGUAGES = ("es", "en")
_STEMMER_NAMES = {"es": "spanish", "en": "english"}
_WORD = re.compile(r"\w+", re.UNICODE)
STOPWORDS = {
    "es": frozenset(STOPWORDS_SPANISH),
    "en": frozenset(STOPWORDS_EN_PLUS),
}


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Zelenski', 'ZELENSKÍ' and 'zelenski' compare equal.

    Keeps the length of plain letters; use it for comparison, never for offsets.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Folded word tokens (letters and digits), in order."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=None)
def _stemmer(language: str):
    return snowballstemmer.stemmer(_STEMMER_NAMES[language])


def stems(text: str, language: str, drop_stopwords: bool = False) -> list[str]:
    """Snowball stems of the folded words of `text` in `language` ('es' or 'en')."""
    tokens = words(text)
    if drop_stopwords:
        tokens = [t for t in tokens if t not in STOPWORDS[language]]
    return _stemmer(language).stemWords(tokens)


def detect_language(text: str, default: str = "es") -> str:
    """'es' or 'en'; `default` when the text gives no sign (a bare name, a number)."""
    if "¿" in text or "¡" in text:
        return "es"
    scores = dict(simplemma.langdetect(text, lang=LANGUAGES))
    best = max(LANGUAGES, key=lambda lang: scores.get(lang, 0.0))
    return best if scores.get(best, 0.0) > 0.0 else default


@lru_cache(maxsize=None)
def _segmenter(language: str):
    import pysbd

    return pysbd.Segmenter(language=language, clean=False, char_span=True)


def sentence_spans(text: str, language: str = "es") -> list[tuple[int, int]]:
    """(start, end) of each sentence, trailing whitespace excluded, so text[start:end] is the sentence."""
    spans = []
    for piece in _segmenter(language).segment(text):
        start, end = piece.start, piece.end
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            spans.append((start, end))
    return spans
