"""Text normalisation shared by the lexical index and the language rules: folding, tokens, stems, language."""
from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import snowballstemmer

LANGUAGES = ("es", "en")
_STEMMER_NAMES = {"es": "spanish", "en": "english"}
_WORD = re.compile(r"\w+", re.UNICODE)


def _bm25s_stopwords() -> dict[str, frozenset[str]]:
    """bm25s' Spanish and English lists, read from its data-only `stopwords` module without running
    the package's __init__ (which imports numba and scipy: a second of start-up for two tuples)."""
    import importlib.util

    package = importlib.util.find_spec("bm25s")
    if package is None or not package.submodule_search_locations:
        raise ImportError("index.text needs the bm25s package for its stopword lists: pip install bm25s")
    path = f"{list(package.submodule_search_locations)[0]}/stopwords.py"
    spec = importlib.util.spec_from_file_location("_fuentes_bm25s_stopwords", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {"es": frozenset(module.STOPWORDS_SPANISH), "en": frozenset(module.STOPWORDS_EN_PLUS)}


STOPWORDS = _bm25s_stopwords()


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Zelenski', 'ZELENSKÍ' and 'zelenski' compare equal.

    Keeps the length of plain letters; use it for comparison, never for offsets.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Folded word tokens (letters and digits), in order."""
    return _WORD.findall(fold(text))


_per_thread = threading.local()  # snowball stemmers keep state: one per thread


def _stemmer(language: str):
    stemmers = _per_thread.__dict__.setdefault("stemmers", {})
    if language not in stemmers:
        stemmers[language] = snowballstemmer.stemmer(_STEMMER_NAMES[language])
    return stemmers[language]


def stems(text: str, language: str, drop_stopwords: bool = False) -> list[str]:
    """Snowball stems of the folded words of `text` in `language` ('es' or 'en')."""
    tokens = words(text)
    if drop_stopwords:
        tokens = [t for t in tokens if t not in STOPWORDS[language]]
    return [_stem(language, t) for t in tokens]


@lru_cache(maxsize=500_000)
def _stem(language: str, word: str) -> str:
    # News repeats its words: the pure-Python stemmer was a third of ingest's own time uncached.
    return _stemmer(language).stemWord(word)


# Spelling correspondences between English and Spanish cognates (communist/comunista,
# physical/físico, strategy/estrategia, nation/nación), applied to folded words.
_COGNATE_RULES = [(re.compile(a), b) for a, b in (
    (r"ph", "f"), (r"th", "t"), (r"y", "i"), (r"k", "c"), (r"([a-z])\1", r"\1"),
    (r"^s(?=[bcdfgklmnpqrtv])", "es"), (r"tion", "cion"),
)]
COGNATE_PREFIX = 5  # measured on XQuAD en->es: 4 and 5 letters best, 6 loses recall


def cognate_keys(text: str) -> list[str]:
    """Language-neutral keys for content words: spelling folded across English and Spanish, then cut
    to a prefix, so 'missiles' and 'misiles' or 'territory' and 'territorio' share a key.

    Matching related languages through shared word beginnings is the character n-gram idea of
    McNamee & Mayfield (2004) for retrieval without translation.
    """
    keys = []
    for word in words(text):
        if len(word) < 4 or word in STOPWORDS["es"] or word in STOPWORDS["en"]:
            continue
        for pattern, replacement in _COGNATE_RULES:
            word = pattern.sub(replacement, word)
        keys.append(word[:COGNATE_PREFIX])
    return keys


def detect_language(text: str, default: str = "es") -> str:
    """'es' or 'en' by the function words each language alone uses; `default` when nothing tells
    (a bare name). Instant, unlike dictionary-based detectors, and right on 2379 of XQuAD's 2380
    Spanish and English questions."""
    if "¿" in text or "¡" in text:
        return "es"
    tokens = words(text)
    spanish = sum(1 for t in tokens if t in STOPWORDS["es"] and t not in STOPWORDS["en"])
    english = sum(1 for t in tokens if t in STOPWORDS["en"] and t not in STOPWORDS["es"])
    spanish += sum(1 for c in text if c in "áéíóúñÁÉÍÓÚÑ")
    if spanish == english:
        return default
    return "es" if spanish > english else "en"


@dataclass(frozen=True)
class Token:
    """A word or a single non-space character, with its offsets and folded form."""

    index: int
    start: int
    end: int
    text: str
    folded: str

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()


_TOKEN = re.compile(r"\w+(?:[-’']\w+)*|\S")


def tokenize(text: str) -> list[Token]:
    """Every word (with inner hyphens and apostrophes) and every other non-space character."""
    return [Token(n, m.start(), m.end(), m.group(), fold(m.group())) for n, m in enumerate(_TOKEN.finditer(text))]


# A piece ending like this is an abbreviation, not a sentence end: titles ("Sr.", "Dra.", "Mr."),
# an initial ("John F."), dotted acronyms ("EE.UU.", "U.S.").
_TITLES = ("Sr|Sra|Srta|Sres|Dr|Dra|Lic|Ing|Gral|Gen|Cnel|Pdte|Prof|Mr|Mrs|Ms|Jr|St|Sen|Rep|Gov|Lt|Col|"
           "Sgt|Capt|Av|Avda|aprox|núm|pág|etc|vs|No|Nº|p|ej|gob")
_ABBREVIATION_END = re.compile(rf"(?:\b(?:{_TITLES})|(?:^|[\s(])[A-Z]|\b(?:[A-Za-z]{{1,2}}\.)+[A-Za-z]{{1,2}})\.$")
# A sentence ends at . ! ? … (and the closing marks after it) before a capital, a digit or an
# opening mark, or at a line break.
_BOUNDARY = re.compile(r"[.!?…]+[»”\"'’)]*(?=\s+[-–—]?[\"'«“¿¡(]?[A-ZÁÉÍÓÚÑ0-9])|\n+")
_LOOKBACK = 40  # characters read behind a full stop to recognise an abbreviation
# 'at 3:20 p.m. But police say…': a lower-case dotted abbreviation ends a sentence before a word that opens one.
_LOWER_DOTTED_END = re.compile(r"\b(?:[a-z]\.){2,}$")
_OPENER_AFTER = re.compile(r"\s+(?:The|But|He|She|It|They|We|I|A|An|In|On|At|After|When|Police|Officers|"
                           r"El|La|Los|Las|Él|Ella|Pero|Sin|En|Un|Una|Tras|Según)\b")


def sentence_spans(text: str, language: str = "es", unbroken: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """(start, end) of each sentence, surrounding whitespace excluded, so text[start:end] is the sentence.

    One pass over the text (linear in its length). A full stop after an abbreviation ("Sr.",
    "EE.UU.", "John F.") ends nothing; no sentence ends strictly inside an `unbroken` span
    (a quote that was opened and closed), given as sorted, non-overlapping (start, end) pairs; a full
    stop that closes such a quote ('…two years." Asked what…') ends its sentence.
    `language` is accepted for callers that know it; the rules serve Spanish and English alike.
    """
    starts = [s for s, _e in unbroken]
    cuts = [0]
    for m in _BOUNDARY.finditer(text):
        at = m.start()
        i = bisect_right(starts, at) - 1
        if i >= 0 and unbroken[i][0] < at < unbroken[i][1] - 1 and m.end() < unbroken[i][1]:
            continue  # inside a quote; '."' closing the quote and followed by a capital does end a sentence
        if m.group()[0] == "." and _ABBREVIATION_END.search(text, max(0, at - _LOOKBACK), at + 1) and not (
                _LOWER_DOTTED_END.search(text, max(0, at - _LOOKBACK), at + 1)
                and _OPENER_AFTER.match(text, m.end())):
            continue
        cuts.append(m.end())
    cuts.append(len(text))
    spans = []
    for start, end in zip(cuts, cuts[1:]):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans
