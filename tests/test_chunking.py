"""Chunks keep exact offsets and never exceed the embedding model's token limit."""
import pytest
from hypothesis import given, settings, strategies as st

from index.chunking import Chunker

from conftest import SAMPLE_ARTICLES


@pytest.fixture(scope="module")
def chunker(embedder):
    return Chunker(embedder.count_tokens, embedder.max_tokens)


def test_sample_articles_chunk_within_the_model_limit_with_exact_offsets(chunker, embedder):
    for path in sorted(SAMPLE_ARTICLES.glob("*.txt")):
        text = path.read_text()
        spans = chunker.split(text)
        assert len(spans) > 1
        for span in spans:
            assert text[span.start:span.end] == span.text
            assert embedder.count_tokens(span.text) <= embedder.max_tokens
        # Chunks follow the text and together cover every non-blank character.
        assert [s.start for s in spans] == sorted(s.start for s in spans)
        covered = set()
        for span in spans:
            covered.update(range(span.start, span.end))
        assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


def test_a_long_paragraph_without_punctuation_is_still_cut_below_the_limit(chunker, embedder):
    text = " ".join(["palabra"] * 3000)
    spans = chunker.split(text)
    assert max(embedder.count_tokens(s.text) for s in spans) <= embedder.max_tokens
    assert all(text[s.start:s.end] == s.text for s in spans)


def test_sentences_are_not_cut_when_they_fit(embedder):
    chunker = Chunker(embedder.count_tokens, embedder.max_tokens, chunk_tokens=40, overlap_tokens=0)
    text = ("El portavoz del Kremlin habló el lunes con la prensa. " * 3 +
            "La ministra respondió que no descarta ninguna opción. " * 3)
    for span in chunker.split(text):
        assert span.text.endswith("."), span.text


def test_repeated_sentences_get_distinct_offsets(chunker):
    text = "\n\n".join(["La reunión terminó sin acuerdo."] * 40 + ["Fin."])
    spans = chunker.split(text)
    assert len({s.start for s in spans}) == len(spans)
    assert all(text[s.start:s.end] == s.text for s in spans)


def test_overlap_larger_than_chunk_is_refused_with_the_numbers(embedder):
    with pytest.raises(ValueError, match=r"overlap \(50\).*size \(40\)"):
        Chunker(embedder.count_tokens, embedder.max_tokens, chunk_tokens=40, overlap_tokens=50)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=120),
                min_size=1, max_size=12))
def test_offsets_hold_for_arbitrary_text(chunker, paragraphs):
    text = "\n\n".join(paragraphs)
    for span in chunker.split(text):
        assert text[span.start:span.end] == span.text
        assert span.text.strip() == span.text
