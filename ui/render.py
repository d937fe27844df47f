"""HTML and Markdown for the chat: answers with linked [n] markers, and sources with the cited span marked.

Every string that comes from an article (text, title, url, speaker) or from a user passes
through `html.escape` here before it reaches the page: an article that contains `<script>` or
`<img onerror=…>` is shown as text and runs nothing.
"""
from __future__ import annotations

import re
from html import escape
from typing import Mapping, Sequence

from assistant import Answer, Citation
from index.types import Document

_MARKER = re.compile(r"\[(\d+)\]")
# Characters Markdown would read as formatting; escaped so verbatim text stays verbatim.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")
_SAFE_URL = re.compile(r"^https?://", re.IGNORECASE)


def answer_markdown(answer: Answer, turn: int) -> str:
    """The answer for the chat: text escaped, each valid [n] a link to source n of this turn."""
    valid = {c.n for c in answer.citations}

    out, last = [], 0
    for match in _MARKER.finditer(answer.text):
        n = int(match.group(1))
        if n not in valid:
            continue
        out.append(md_text(answer.text[last:match.start()]))
        out.append(f"[\\[{n}\\]](#fu-{turn}-{n})")
        last = match.end()
    out.append(md_text(answer.text[last:]))
    return "".join(out)


def answer_plain(answer: Answer) -> str:
    """The answer with its sources listed, for copying."""
    lines = [answer.text]
    if answer.citations:
        lines.append("")
    for c in answer.citations:
        who = f" — {c.speaker}" if c.speaker else ""
        where = f" {c.url}" if c.url else ""
        lines.append(f"[{c.n}] {c.title}{who} ({c.doc_id}, chars {c.start}-{c.end}){where}")
    return "\n".join(lines)


def url_html(url: str | None) -> str:
    """A link for http(s) urls; anything else (javascript:, data:) is shown as text."""
    if not url:
        return ""
    if _SAFE_URL.match(url):
        return (f'<a class="fu-url" href="{escape(url, quote=True)}" target="_blank" '
                f'rel="noopener noreferrer nofollow">{escape(url)}</a>')
    return f'<span class="fu-url">{escape(url)}</span>'


def sources_html(answer: Answer, turn: int, documents: Mapping[str, Document]) -> str:
    """Source cards for one answer, then each cited article with its cited spans marked.

    Marks carry the class `c-<turn>-<n>`; the page script highlights and scrolls to them when a
    citation is clicked.
    """
    question = escape(answer.question)
    if not answer.citations:
        return (f'<section class="fu-turn" data-turn="{turn}"><p class="fu-empty">'
                f'No sources: nothing in the articles answers “{question}”.</p></section>')
    cards = "\n".join(_card(c, turn) for c in answer.citations)
    by_doc: dict[str, list[Citation]] = {}
    for c in answer.citations:
        by_doc.setdefault(c.doc_id, []).append(c)
    articles = "\n".join(
        _article(documents[doc_id], cites, turn) for doc_id, cites in by_doc.items() if doc_id in documents
    )
    copy_text = escape(answer_plain(answer), quote=True)
    return (
        f'<section class="fu-turn" data-turn="{turn}">'
        f'<div class="fu-turn-head"><span>Sources for “{question}”</span>'
        f'<button type="button" class="fu-copy" data-copy="{copy_text}" '
        f'title="Copy the answer and its sources">Copy answer</button></div>'
        f'<ol class="fu-cards">{cards}</ol>{articles}</section>'
    )


def _card(c: Citation, turn: int) -> str:
    speaker = f'<span class="fu-speaker">{escape(c.speaker)}</span>' if c.speaker else ""
    return (
        f'<li class="fu-card" id="fu-card-{turn}-{c.n}" data-cite="{turn}-{c.n}">'
        f'<div class="fu-card-head"><span class="fu-n">[{c.n}]</span> '
        f'<span class="fu-title">{escape(c.title)}</span> {speaker}'
        f'<span class="fu-score" title="retrieval score">score {c.score:.3f}</span></div>'
        f'{url_html(c.url)}'
        f'<blockquote class="fu-cited">{escape(c.text)}</blockquote></li>'
    )


def _article(doc: Document, cites: Sequence[Citation], turn: int) -> str:
    return (
        f'<details class="fu-article" open><summary>{escape(doc.title)}'
        f'<span class="fu-doc-id">{escape(doc.id)}</span></summary>'
        f'<div class="fu-article-text">{marked_text(doc.text, cites, turn)}</div></details>'
    )


def marked_text(text: str, cites: Sequence[Citation], turn: int) -> str:
    """`text` escaped, each cited span wrapped in <mark>; overlapping spans split into segments."""
    bounds = sorted({0, len(text)} | {b for c in cites for b in (c.start, c.end) if 0 <= b <= len(text)})
    out = []
    for start, end in zip(bounds, bounds[1:]):
        segment = escape(text[start:end])
        covering = [c.n for c in cites if c.start <= start and end <= c.end]
        if covering:
            classes = " ".join(f"c-{turn}-{n}" for n in covering)
            label = ", ".join(f"[{n}]" for n in covering)
            out.append(f'<mark class="fu-mark {classes}" title="{label}">{segment}</mark>')
        else:
            out.append(segment)
    return "".join(out)


def sources_panel(turns: Sequence[str]) -> str:
    """The sources of the newest answer first; earlier answers' sources collapsed below it."""
    if not turns:
        return ('<div class="fu-sources"><p class="fu-empty">Sources appear here: each answer\'s '
                'cited passages, highlighted inside their articles. Click a [n] to jump to it.</p></div>')
    newest, *older = list(reversed(turns))
    earlier = "".join(f'<details class="fu-earlier"><summary>Earlier answer</summary>{t}</details>' for t in older)
    return f'<div class="fu-sources">{newest}{earlier}</div>'


def md_text(text: str) -> str:
    """Any text as Markdown that renders as exactly that text."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escape(text, quote=False))


def error_markdown(message: str) -> str:
    return "⚠️ " + md_text(message)
