"""A unigram (SentencePiece-style) tokenizer in Python for the pipeline multilingual-e5 uses, ready in
milliseconds: `tokenizers` spends 1.5-3 s here building (and as long freeing) its trie of 250k pieces,
which was the largest part of a cold `fuentes ask`.

It reproduces `tokenizers` for exactly this pipeline: Nmt + NFKC + collapsed spaces, Metaspace ("▁",
prepended, split), unigram Viterbi with unknown characters fused, `<s> … </s>`, truncation at the
model's limit. A text it cannot vouch for goes to the real `tokenizers` tokenizer, loaded on first
need: an added token such as "<mask>" written in it, a code point this Python's Unicode tables do not
know or normalise differently from tokenizers' own tables (found at export by comparing every assigned
code point: 73 here, characters of Unicode 12-14), a lone surrogate; and every text when Python's
Unicode version or tokenizers' version differs from the export's. tests/test_unigram.py compares both
on every code point and on real texts.
"""
from __future__ import annotations

import json
import re
import sys
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

PIECES_FILE = "unigram_pieces.txt"  # the pieces, NUL-separated, in id order
SCORES_FILE = "unigram_scores.npy"  # float64 log-probabilities, in id order
_UNK_PENALTY = 10.0  # tokenizers scores an unknown character min(score) - 10
_SEPARATOR = "\0"
# Nmt normalizer (tokenizers/src/normalizers/unicode.rs): control characters dropped, odd spaces to " ".
_NMT = str.maketrans({**{c: None for c in (*range(0x01, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F, 0x8F, 0x9F)},
                      **{c: " " for c in (0x09, 0x0A, 0x0C, 0x0D, 0x1680, *range(0x200B, 0x2010), 0x2028,
                                          0x2029, 0x2581, 0xFEFF, 0xFFFD)}})
_SPACES = re.compile(" {2,}")
_WORDS = re.compile("▁[^▁]*")
_EXPECTED = {
    "normalizer": {"type": "Sequence", "normalizers": [{"type": "Nmt"}, {"type": "NFKC"},
                                                        {"type": "Replace", "pattern": {"Regex": " {2,}"},
                                                         "content": " "}]},
    "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True},
}


@dataclass(frozen=True)
class Encoding:
    """What the encoder reads of a `tokenizers.Encoding`."""

    ids: list[int]
    type_ids: list[int] = field(default_factory=list)


def export(tokenizer_json: str, folder: Path) -> dict | None:
    """Write the pieces and scores beside an export when the tokenizer is this pipeline; returns the
    settings to keep in meta.json, or None (the export then uses `tokenizers` alone)."""
    spec = json.loads(tokenizer_json)
    model = spec.get("model") or {}
    if model.get("type") != "Unigram" or model.get("byte_fallback") or model.get("unk_id") is None:
        return None
    if any(spec.get(key) != value for key, value in _EXPECTED.items()):
        return None
    template = (spec.get("post_processor") or {}).get("single")
    if spec["post_processor"].get("type") != "TemplateProcessing" or [list(step) for step in template] != [
            ["SpecialToken"], ["Sequence"], ["SpecialToken"]]:
        return None
    specials = spec["post_processor"]["special_tokens"]
    bos, eos = (specials[step["SpecialToken"]["id"]]["ids"] for step in (template[0], template[2]))
    pieces = [piece for piece, _ in model["vocab"]]
    if any(_SEPARATOR in piece for piece in pieces) or len(bos) != 1 or len(eos) != 1:
        return None
    from tokenizers import Tokenizer

    reference = Tokenizer.from_str(tokenizer_json).normalizer.normalize_str
    (folder / PIECES_FILE).write_text(_SEPARATOR.join(pieces), encoding="utf-8")
    np.save(folder / SCORES_FILE, np.array([score for _, score in model["vocab"]], dtype=np.float64))
    return {"unk_id": int(model["unk_id"]), "bos_id": int(bos[0]), "eos_id": int(eos[0]),
            "added": [t["content"] for t in spec.get("added_tokens", [])],
            "unsure": "".join(_normalised_differently(reference)), "versions": versions()}


def versions() -> dict[str, str]:
    """The Unicode tables on both sides: a change on either side voids the export-time comparison."""
    from importlib import metadata

    return {"python_unicode": unicodedata.unidata_version, "tokenizers": metadata.version("tokenizers")}


def _normalised_differently(reference) -> list[str]:
    """Assigned code points whose normalisation here differs from tokenizers', alone, after a letter or
    before a combining accent."""
    found = []
    for point in range(1, sys.maxunicode + 1):
        char = chr(point)
        if unicodedata.category(char) in ("Cn", "Cs"):
            continue  # never sure of these anyway
        if any(_normalize(text) != reference(text) for text in (char, "a" + char, char + "\u0301")):
            found.append(char)
    return found


def _normalize(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text.translate(_NMT)))


class UnigramTokenizer:
    """`encode` / `encode_batch` like `tokenizers.Tokenizer` (ids and type ids) for one export folder."""

    def __init__(self, folder: Path, settings: dict, max_length: int):
        pieces = (folder / PIECES_FILE).read_text(encoding="utf-8").split(_SEPARATOR)
        self._ids = {piece: i for i, piece in enumerate(pieces)}  # a repeated piece keeps its last id, as tokenizers
        self._scores = np.load(folder / SCORES_FILE).tolist()
        self._longest = max(len(piece) for piece in pieces)
        self._unk_id = settings["unk_id"]
        self._unk_score = min(self._scores) - _UNK_PENALTY
        self._bos, self._eos = settings["bos_id"], settings["eos_id"]
        self._added = tuple(settings["added"])
        self._unsure = frozenset(settings["unsure"])
        self.trusted = settings.get("versions") == versions()  # else every text goes to tokenizers
        self.max_length = max_length
        self._folder = folder
        self._fallback = None
        self._lock = threading.Lock()

    def encode(self, text: str, add_special_tokens: bool = True) -> Encoding:
        if not self._sure_of(text):
            found = self.fallback().encode(text, add_special_tokens=add_special_tokens)
            return Encoding(list(found.ids), list(found.type_ids))
        ids = [i for word in self._words(text) for i in self._viterbi(word)]
        if add_special_tokens:
            ids = [self._bos, *ids[:self.max_length - 2], self._eos]
        else:
            ids = ids[:self.max_length]
        return Encoding(ids, [0] * len(ids))

    def encode_batch(self, texts: Sequence[str]) -> list[Encoding]:
        return [self.encode(text) for text in texts]

    def fallback(self):
        """The real tokenizer, as OnnxEncoder configures it; loaded once, on the first text that needs it."""
        with self._lock:
            if self._fallback is None:
                from tokenizers import Tokenizer

                tokenizer = Tokenizer.from_file(str(self._folder / "tokenizer.json"))
                tokenizer.no_padding()
                tokenizer.enable_truncation(self.max_length, strategy="longest_first")
                self._fallback = tokenizer
        return self._fallback

    def _sure_of(self, text: str) -> bool:
        if not self.trusted or any(token in text for token in self._added):
            return False
        return not any(c in self._unsure or unicodedata.category(c) in ("Cn", "Cs") for c in text if ord(c) > 0x7F)

    @staticmethod
    def _words(text: str) -> list[str]:
        normalized = _normalize(text)
        if not normalized:
            return []
        spaced = normalized.replace(" ", "▁")
        if not spaced.startswith("▁"):
            spaced = "▁" + spaced
        return _WORDS.findall(spaced)

    def _viterbi(self, word: str) -> list[int]:
        """tokenizers' Unigram::encode_optimized: best path by summed scores, the first of equal paths
        (shorter pieces are tried first), an unknown character only where no one-character piece exists."""
        ids, scores, unk_score = self._ids, self._scores, self._unk_score
        n = len(word)
        best = [0.0] * (n + 1)
        start = [-1] * (n + 1)
        piece = [0] * (n + 1)
        for i in range(n):
            base = best[i]
            single = False
            for j in range(i + 1, min(n, i + self._longest) + 1):
                found = ids.get(word[i:j])
                if found is None:
                    continue
                candidate = scores[found] + base
                if start[j] < 0 or candidate > best[j]:
                    best[j], start[j], piece[j] = candidate, i, found
                single = single or j == i + 1
            if not single:
                candidate = unk_score + base
                if start[i + 1] < 0 or candidate > best[i + 1]:
                    best[i + 1], start[i + 1], piece[i + 1] = candidate, i, self._unk_id
        out: list[int] = []
        end, unknown_end = n, None
        while end > 0:
            begin = start[end]
            if piece[end] == self._unk_id:
                unknown_end = end if unknown_end is None else unknown_end
            else:
                if unknown_end is not None:  # consecutive unknowns are one token, looked up whole
                    out.append(ids.get(word[end:unknown_end], self._unk_id))
                    unknown_end = None
                out.append(piece[end])
            end = begin
        if unknown_end is not None:
            out.append(ids.get(word[0:unknown_end], self._unk_id))
        out.reverse()
        return out
