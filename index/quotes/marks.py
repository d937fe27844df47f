"""Quote marks: pairing « » “ ” " ' into quoted spans, and finding the span next to a position."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True)
class QuoteSpan:
    """A quoted stretch including its marks; `opened` is False for a lone closing mark."""

    start: int
    end: int
    opened: bool = True
    closed: bool = True

    def n_words(self, text: str) -> int:
        return len(re.findall(r"\w+", text[self.start:self.end]))


# Straight and curly double quotes are one family: scraped pages often open with one and close with the other.
# A backtick opens a quote in old typewriter style (``Yes,'' or `Yes,"): it only ever opens.
_FAMILY = {"«": "guillemet", "»": "guillemet", "“": "double", "”": "double", "„": "double", '"': "double", "`": "double",
           "'": "apostrophe", "‘": "apostrophe", "’": "apostrophe"}
_OPEN_CONTEXT = set(" \t\n([{—–-:")


def pair_marks(text: str) -> list[QuoteSpan]:
    """Pair quote marks, tolerating « used as a closer, missing marks and quotes across paragraphs."""
    spans: list[QuoteSpan] = []
    open_at, family = -1, ""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n" and open_at >= 0:
            j = i
            while j < n and text[j].isspace():
                j += 1
            if j < n and _FAMILY.get(text[j]) == family and text[j] not in "”’":
                i = j + 1  # the next paragraph reopens the same quote: it runs on
                continue
            end = i
            while end > open_at and text[end - 1].isspace():
                end -= 1
            if family != "apostrophe":  # a lone ' at a paragraph end is more often an apostrophe
                spans.append(QuoteSpan(open_at, end, True, False))
            open_at, family = -1, ""
            i += 1
            continue
        mark_family = _FAMILY.get(c)
        if mark_family is None:
            i += 1
            continue
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if mark_family == "apostrophe" and prev.isalnum() and nxt.isalnum():
            i += 1  # an apostrophe inside a word
            continue
        if open_at >= 0:
            if mark_family == family:
                looks_open = c in "«“„‘`" or (c in "\"'" and prev in _OPEN_CONTEXT and nxt.isalnum())
                if not looks_open or not (nxt.isalnum() or nxt in "¿¡"):
                    spans.append(QuoteSpan(open_at, i + 1))
                    open_at, family = -1, ""
            i += 1
            continue
        closer_shape = (prev.isalnum() or prev in ".,;!?…)") and not (nxt.isalnum() or nxt in "¿¡")
        if c in "»”’" or (c in "\"'" and closer_shape):
            spans.append(QuoteSpan(i, i + 1, opened=False))
        elif c in "«“„‘`" or prev in _OPEN_CONTEXT or prev in "«“\"'¿¡." or i == 0:
            open_at, family = i, mark_family
        i += 1
    if open_at >= 0 and family != "apostrophe":
        end = n
        while end > open_at and text[end - 1].isspace():
            end -= 1
        spans.append(QuoteSpan(open_at, end, True, False))
    return spans


_MAX_GAP = 12  # characters between a quote and its cue: ', ' or ' — '


class QuoteIndex:
    """Quote spans looked up by position in O(log n): the one starting at a point, the last ending before it."""

    def __init__(self, spans: list[QuoteSpan]):
        self.spans = sorted(spans, key=lambda q: q.start)
        self.by_start = {q.start: q for q in self.spans}
        self._by_end = sorted(self.spans, key=lambda q: q.end)
        self._ends = [q.end for q in self._by_end]

    def starting_at(self, pos: int) -> QuoteSpan | None:
        return self.by_start.get(pos)

    def ending_before(self, pos: int, text: str, gap: str = r"[ \t,—–-]*", opened_only: bool = False) -> QuoteSpan | None:
        """The latest span ending at or before `pos` with only `gap` characters in between."""
        i = bisect_right(self._ends, pos) - 1
        while i >= 0:
            q = self._by_end[i]
            if pos - q.end > _MAX_GAP or re.fullmatch(gap, text[q.end:pos]) is None:
                return None
            if q.opened or not opened_only:
                return q
            i -= 1
        return None

    def unbroken(self) -> list[tuple[int, int]]:
        """Properly opened spans as sorted, non-overlapping (start, end) pairs for the sentence splitter."""
        out: list[tuple[int, int]] = []
        for q in self.spans:
            if q.opened and (not out or q.start >= out[-1][1]):
                out.append((q.start, q.end))
        return out
