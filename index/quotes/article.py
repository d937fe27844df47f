"""One article prepared for the rules: tokens, quote spans, sentences and paragraphs, all indexed by position."""
from __future__ import annotations

import re
from bisect import bisect_right

from dataclasses import dataclass

from index.quotes.marks import QuoteIndex, pair_marks
from index.speakers import Entity
from index.text import Token, detect_language, sentence_spans, tokenize
from index.types import Document

@dataclass
class Mention:
    """A stretch of tokens naming a speaker: tokens `first`..`last` inclusive."""

    first: int
    last: int
    text: str
    kind: str         # person | place | organization | role
    entity: Entity | None = None
    possessive: bool = False  # after 'de'/'of': someone's spokesman, not a subject


# A paragraph break is any run of whitespace holding a line break: a blank line and a single
# newline are the same break.
_PARAGRAPH_BREAK = re.compile(r"[ \t]*\n\s*")


class Article:
    """The text of one document with every structure the rules look up, each answered in O(log n)."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.text = doc.text
        self.language = detect_language(doc.text[:2000])
        self.tokens: list[Token] = tokenize(self.text)
        self.quotes = QuoteIndex(pair_marks(self.text))
        self.sentences = sentence_spans(self.text, self.language, self.quotes.unbroken())
        self._sentence_starts = [s for s, _e in self.sentences]
        self._break_starts = [m.start() for m in _PARAGRAPH_BREAK.finditer(self.text)]
        self.token_sentence: list[int] = []      # sentence number of each token
        self.sentence_first_token: list[int] = []  # first token of each sentence
        s = 0
        for t in self.tokens:
            while s < len(self.sentences) - 1 and t.start >= self.sentences[s][1]:
                s += 1
            self.token_sentence.append(s)
            while len(self.sentence_first_token) <= s:
                self.sentence_first_token.append(t.index)
        self._token_starts = [t.start for t in self.tokens]

    def first_token_of_sentence(self, k: int) -> int:
        return self.sentence_first_token[self.token_sentence[k]]

    def paragraph(self, pos: int) -> int:
        """The paragraph number of a character position (blank lines and single newlines count alike)."""
        return bisect_right(self._break_starts, pos)

    def sentence_at(self, pos: int) -> tuple[int, int]:
        """The sentence holding character `pos`, or (pos, pos) when it falls between sentences."""
        i = bisect_right(self._sentence_starts, pos) - 1
        if i >= 0 and self.sentences[i][0] <= pos < self.sentences[i][1]:
            return self.sentences[i]
        return (pos, pos)

    def token_at(self, pos: int) -> int:
        """Index of the first token starting at or after character `pos`."""
        return bisect_right(self._token_starts, pos - 1)

    def clause_end(self, start: int) -> int:
        """End of the sentence holding `start`, without its final punctuation."""
        ss, se = self.sentence_at(start)
        if se == start:
            return start
        end = se
        while end > start and self.text[end - 1] in ".;: \n":
            end -= 1
        return end

    def is_sentence_initial(self, k: int) -> bool:
        """True when token k opens a sentence, a quote or a clause after a colon or dash."""
        if k == 0 or self.token_sentence[k - 1] != self.token_sentence[k]:
            return True
        prev = self.tokens[k - 1]
        if prev.text in "«“\"'‘¿¡(":
            return prev.end == self.tokens[k].start  # an opening mark, not a closing one
        return prev.text in ":-—–.…"
