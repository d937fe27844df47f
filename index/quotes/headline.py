"""A title line that puts its speaker before a colon: 'Rosa: «No habrá cortes de agua»' or
'Campos: la planta seguirá abierta', or a role: 'Alcaldesa de León: …' is the person the body names
with that role. The name must be a person or organisation the body names, so
'Madrid: el metro amplía su horario' or 'Última hora: …' are no statements; an organisation speaks
there only in quotes. A label after a person's name ('Rubio: claves de una legislatura') is still
read as a statement: telling it from a clause needs a part-of-speech tagger."""
from __future__ import annotations

import re

from index.people import same_name
from index.quotes.article import Article
from index.quotes.mentions import Mentions
from index.quotes.patterns import Found, Statement
from index.speakers import ROLE_HEADS, name_kind
from index.text import fold

MAX_TITLE_CHARS = 300      # a longer first line is a paragraph, not a title
MAX_NAME_WORDS = 4         # 'Manuel Olmo', 'Ana de la Torre', 'CCOO'
MIN_STATEMENT_WORDS = 3    # 'Rubio: no' is no statement
_NAME_BEFORE_COLON = re.compile(r"([^\W\d_][\w.'’-]*(?: [\w.'’-]+){0,%d}):[ \t]+" % (MAX_NAME_WORDS - 1))
_PARTICLES = frozenset("de del la las los y".split())
# '«…»: Gobernador Astudillo' — words, a colon, then at most four words naming the speaker to the line's end
_NAME_AFTER_COLON = re.compile(r"(.{12,}?)[ \t]*:[ \t]+((?:[\w.'’-]+ ){0,%d}[\w.'’-]+)[ \t.]*$" % (MAX_NAME_WORDS - 1))
# Newspaper section labels that open a title line like a speaker's name ('Sucesos: …').
SECTION_LABELS = frozenset(fold(w) for w in (
    "Economía Política Sucesos Deportes Cultura Sociedad Opinión Internacional Nacional Local Salud Ciencia "
    "Tecnología Espectáculos Editorial Análisis Entrevista Crónica Exclusiva Urgente Directo Vídeo Video Fotos "
    "Breaking Update Opinion Analysis Sport Sports Business Politics World Health Science Exclusive Live Watch".split()))


def headline_statement(art: Article, mentions: Mentions) -> Found | None:
    """The statement of a 'Speaker: words' title line, attributed to the speaker the body names."""
    text = art.text
    line_end = text.find("\n")
    if line_end < 0 or line_end > MAX_TITLE_CHARS:
        return None
    m = _NAME_BEFORE_COLON.match(text, 0, line_end)
    if m is None:
        return _speaker_after_colon(art, mentions, line_end)
    name = m.group(1)
    words = name.split()
    if not all(w[0].isupper() or w in _PARTICLES for w in words):
        return None
    if fold(words[0]) in ROLE_HEADS:  # 'Alcaldesa de León: …', 'Sheriff: …': whoever the body names with that role
        speaker = mentions.resolve_role(name, len(text))
        speaker = speaker if speaker is not None and speaker.kind == "person" else None
    else:
        speaker = _named_in_body(mentions, name, line_end) or _person_named_in_title(mentions, name)
    if speaker is None:
        return None
    start, end = m.end(), line_end
    while end > start and text[end - 1] in " \t.;:":
        end -= 1
    found = _title_statement(art, start, end, m.end(1), speaker)
    if found is not None and not found[0].direct and speaker.kind != "person":
        return None  # 'Atlético Baleares: el presidente del club habló…' sums up; a club speaks in quotes
    return found


def _title_statement(art: Article, start: int, end: int, colon_at: int, speaker) -> Found | None:
    """The title words text[start:end] as `speaker`'s statement, direct when one quote spans them; None when
    they are fewer than MIN_STATEMENT_WORDS ('Rubio: no')."""
    q = art.quotes.starting_at(start)
    direct = q is not None and q.opened and q.closed and q.end >= end - 1
    if len(re.findall(r"\w+", art.text[start:end])) < MIN_STATEMENT_WORDS:
        return None
    return Statement(start, end, direct, ":", art.token_at(colon_at), 0, reported=not direct), speaker


def _named_in_body(mentions: Mentions, name: str, body_start: int):
    """The person (matched like a surname) or organisation (same name) that the body names as `name`."""
    toks = mentions.art.tokens
    for mention in mentions.items:
        ent = mention.entity
        if ent is None or toks[mention.first].start < body_start:
            continue
        if ent.kind == "person" and any(_names(name, alias) for alias in (ent.name, *ent.aliases)):
            return ent
        if ent.kind == "organization" and fold(name) == fold(ent.name):
            return ent
    return None


def _speaker_after_colon(art: Article, mentions: Mentions, line_end: int) -> Found | None:
    """'«Guerrero ya tiene presupuesto 2019»: Gobernador Astudillo': a title that puts the speaker last, after a
    colon (a role word may stand before the name); the speaker must be a person the body names."""
    text = art.text
    m = _NAME_AFTER_COLON.match(text, 0, line_end)
    if m is None:
        return None
    words = m.group(2).split()
    while words and fold(words[0]) in ROLE_HEADS:
        words = words[1:]
    if not words or not all(w[0].isupper() or w in _PARTICLES for w in words):
        return None
    speaker = _named_in_body(mentions, " ".join(words), line_end)
    if speaker is None or speaker.kind != "person":
        return None
    return _title_statement(art, 0, m.end(1), m.end(1), speaker)


def _person_named_in_title(mentions: Mentions, name: str):
    """'Hoyos: los tres puntos, importantes' when the body calls him only 'el estratego': the title's own
    mention, if it reads as a person's name (a section label such as 'Economía' or 'Sucesos' does not, nor a
    word the body writes in lower case) and the body has a role that names nobody."""
    m = mentions.starting_at(0)
    if m is not None and m.kind == "person" and m.entity is not None and fold(m.text) == fold(name):
        return m.entity if fold(name) not in SECTION_LABELS else None
    if m is not None or fold(name) in SECTION_LABELS or name_kind(name) != "person":
        return None
    if not any(r.kind == "role" and r.entity is None for r in mentions.items):
        return None  # 'Luna: la misión despega': only a person the body calls by a role ('el estratego') speaks
    body = mentions.art.text
    if any(re.search(r"\b%s\b" % re.escape(w.lower()), body) for w in name.split() if w[0].isupper()):
        return None  # a word the body writes in lower case: 'Economía', 'Alerta'
    return mentions.named(name, "person")


def _names(title_name: str, alias: str) -> bool:
    """'Rosa' names Carmen Rosa; 'Espinoza' names Delia Espinoza Valenzuela (either surname)."""
    words = fold(alias).split()
    if len(title_name.split()) == 1 and fold(title_name) in words[1:]:
        return True
    return same_name(title_name, alias)
