"""Who issued a document or stands behind 'it': '"…," the statement said', 'the report said', '"…," it said',
'según el comunicado'. The speaker is whoever issued it, resolved in context, never the word 'statement'."""
from __future__ import annotations

from index.quotes.article import Article
from index.quotes.mentions import Mentions
from index.speakers import ORG_WORDS, Entity
from index.text import fold

# A subject that stands for the issuer of a statement or report ('the statement', 'it'), resolved in context.
ISSUER = "issuer"
DOCUMENT_NOUNS = frozenset(fold(w) for w in (
    "statement statements release report reports filing letter ruling memo study survey complaint lawsuit "
    "indictment affidavit post notice announcement communiqué comunicado comunicados informe nota escrito "
    "estudio sentencia resolución carta denuncia encuesta").split())
ISSUER_PRONOUNS = frozenset("it".split())
# Documents as often written by a person as by an institution: 'según la denuncia', 'according to the letter'.
PERSONAL_DOCUMENTS = frozenset(fold(w) for w in "denuncia carta escrito letter complaint lawsuit post".split())
_MAX_ISSUER_TOKENS = 10  # 'a report released on Thursday by the outplacement firm X'
ISSUER_PARAGRAPHS = 2    # paragraph breaks a statement's issuer carries across


def is_document_phrase(words: list[str]) -> bool:
    """'the statement', 'a news release', 'the court's ruling': a document, by its last word."""
    return bool(words) and words[-1] in DOCUMENT_NOUNS


def issuer_named_after(art: Article, mentions: Mentions, noun: int) -> Entity | None:
    """'a report released on Thursday by Gray & Partners': the organisation or person after 'by'/'de'."""
    toks = art.tokens
    sentence = art.token_sentence[noun]
    for j in range(noun + 1, min(len(toks) - 1, noun + _MAX_ISSUER_TOKENS)):
        if art.token_sentence[j] != sentence or toks[j].text in ",;:":
            return None
        if toks[j].folded in ("by", "from") or toks[j].folded in ("of", "de", "del") and j == noun + 1:
            for k in (j + 1, j + 2, j + 3, j + 4):
                m = mentions.starting_at(k) if k < len(toks) else None
                if m is not None and m.entity is not None and m.kind in ("organization", "person"):
                    return m.entity
            return _lowercase_organization(art, mentions, j + 1)
    return None


def _lowercase_organization(art: Article, mentions: Mentions, k: int) -> Entity | None:
    """'from the city council', 'del ayuntamiento': an organisation named by common nouns after the preposition."""
    toks = art.tokens
    e = k
    while e < len(toks) and e - k < 4 and toks[e].is_word and toks[e].text.islower():
        if fold(toks[e].text) in ORG_WORDS:
            return mentions.resolve_organization(art.text[toks[k].start:toks[e].end], toks[k].start)
        e += 1
    return None


def resolve_issuer(art: Article, mentions: Mentions, pos: int, last) -> Entity | None:
    """The issuer of a document or of 'it' at character `pos`: the organisation that spoke last nearby,
    else the organisation the article is about, else whoever spoke last."""
    near = last is not None and art.paragraph(pos) - art.paragraph(last.end) <= ISSUER_PARAGRAPHS
    if near and last.speaker is not None and last.speaker.kind == "organization":
        return last.speaker
    org = mentions.latest_organization(pos)
    if org is not None:
        return org
    return last.speaker if near and last.speaker is not None else None
