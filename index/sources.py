"""Reading article files and folders into Documents; a file that can't be read becomes a SkippedFile."""
from __future__ import annotations

import codecs
import datetime
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import frontmatter
import trafilatura
import yaml
from frontmatter.default_handlers import YAMLHandler

from index.errors import SourceError
from index.types import Document, SkippedFile

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl")
MAX_FILE_BYTES = 20 * 1024 * 1024
# Bounds on one article, so no file can hold an ingest for long (README, "Limits").
MAX_DOCUMENT_CHARS = 200_000  # ~30,000 words: far beyond a news article
MAX_LINE_CHARS = 100_000  # a line this long is not prose a reader wrote: refuse it rather than chunk it
MAX_FRONT_MATTER_CHARS = 10_000
MAX_TITLE_CHARS = 1_000
MAX_URL_CHARS = 2_048
MAX_DATE_CHARS = 100
MAX_ID_CHARS = 300
TITLE_LINE_MAX_CHARS = 120
TITLE_SENTENCE_MAX_CHARS = 90

_SOURCE_LINE = re.compile(
    r"[ \t]*(?:fuente|source)[ \t]*[:\-–—][ \t]*(https?://\S+)[ \t]*", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")
_MARKDOWN_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$")


def read_sources(paths: Iterable[str | Path]) -> Iterator[Document | SkippedFile]:
    """Yield a Document per article found under `paths` (files or folders, recursed, hidden files skipped,
    sorted for determinism), or a SkippedFile(path, reason) for each one that can't be read."""
    id_sources: dict[str, str] = {}
    for item in _read_all(paths):
        if isinstance(item, SkippedFile):
            yield item
        elif item.id in id_sources:
            yield SkippedFile(
                _location(item),
                f"duplicate document id {item.id!r}, also in {id_sources[item.id]}: rename one of them",
            )
        else:
            id_sources[item.id] = _location(item)
            yield item


def _read_all(paths: Iterable[str | Path]) -> Iterator[Document | SkippedFile]:
    seen_real_paths: set[str] = set()
    for given in paths:
        path = Path(given)
        if not path.exists():
            yield SkippedFile(str(path), f"no such file or folder: {path}")
            continue
        for found in _files_under(path, seen_real_paths):
            if isinstance(found, SkippedFile):
                yield found
            else:
                yield from _read_file(found)


def _files_under(path: Path, seen_real_paths: set[str]) -> Iterator[Path | SkippedFile]:
    """`path` itself if it is a file; otherwise its non-hidden files, depth first, in name order."""
    # A file named twice is read once, and a symlink back up the tree is not followed round again.
    real_path = os.path.realpath(path)
    if real_path in seen_real_paths:
        return
    seen_real_paths.add(real_path)
    if not path.is_dir():
        yield path
        return
    try:
        entries = sorted(path.iterdir())
    except OSError as error:
        reason = error.strerror or error
        yield SkippedFile(str(path), f"folder can't be listed ({reason}): check its permissions")
        return
    for entry in entries:
        if not entry.name.startswith("."):
            yield from _files_under(entry, seen_real_paths)


def _location(doc: Document) -> str:
    line = doc.meta.get("line")
    return f"{doc.source_path}:{line}" if line else str(doc.source_path)


def _read_file(path: Path) -> Iterator[Document | SkippedFile]:
    suffix = path.suffix.lower()
    try:
        if suffix not in SUPPORTED_SUFFIXES:
            shown_suffix = suffix or "(no extension)"
            raise SourceError(
                f"unsupported file type {shown_suffix!r}: convert it to .txt, .md, .html or .jsonl"
            )
        raw = _read_bytes(path)
        if suffix == ".jsonl":
            yield from _jsonl_documents(path, raw)
        elif suffix == ".txt":
            yield _txt_document(path, _decode(raw))
        elif suffix in (".md", ".markdown"):
            yield _markdown_document(path, _decode(raw))
        else:
            yield _html_document(path, _decode(raw))
    except SourceError as error:
        yield SkippedFile(str(path), str(error))


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SourceError(
                f"too large ({size / 1024 / 1024:.1f} MB, limit {MAX_FILE_BYTES // 1024 // 1024} MB): "
                "split it into smaller files"
            )
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or error
        message = f"can't be read ({reason}): check that it exists and that you may read it"
        raise SourceError(message) from error
    raw = raw.removeprefix(codecs.BOM_UTF8)
    if b"\x00" in raw:
        raise SourceError(
            "binary file, not text (it contains NUL bytes): export the article as .txt, .md, .html or .jsonl"
            " (UTF-16 text must be re-saved as UTF-8)"
        )
    if not raw.strip():
        raise SourceError("empty file (no text): add the article text or remove the file")
    return raw


def _decode(raw: bytes) -> str:
    """Strict UTF-8; a wrong guess at the encoding would silently corrupt the text the index quotes."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceError(
            f"not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start}): re-save it as UTF-8"
        ) from error


def _normalize_text(text: str) -> str:
    """The text offsets refer to: `\\n` newlines, NFC, no trailing whitespace; nothing else changes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).rstrip()


def _split_source_line(text: str) -> tuple[str, str | None]:
    """Remove a final "Fuente: <url>" / "Source - <url>" line; return the remaining text and the url."""
    last_line_start = text.rfind("\n") + 1
    match = _SOURCE_LINE.fullmatch(text[last_line_start:])
    if not match:
        return text, None
    return text[:last_line_start].rstrip(), match.group(1)


def _title_from_text(text: str) -> str:
    """A short first line that more text follows, else the first sentence cut to about 90 characters."""
    first_line, _, rest = text.strip().partition("\n")
    first_line = first_line.strip()
    if len(first_line) <= TITLE_LINE_MAX_CHARS and not first_line.endswith(".") and rest.strip():
        return first_line
    sentence_end = _SENTENCE_END.search(first_line)
    sentence = first_line[: sentence_end.end()] if sentence_end else first_line
    if len(sentence) <= TITLE_SENTENCE_MAX_CHARS:
        return sentence.removesuffix(".")
    cut = sentence.rfind(" ", 0, TITLE_SENTENCE_MAX_CHARS + 1)
    cut_sentence = sentence[: cut if cut > 0 else TITLE_SENTENCE_MAX_CHARS]
    return cut_sentence.rstrip(" ,;:-–—") + "…"


def _iso_date(value: Any) -> str | None:
    """`YYYY-MM-DD` for a date, a datetime or an ISO 8601 string (`2024-11-25T10:00:00Z`); else None."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    value = value.strip()
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    try:
        return datetime.datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        return None


def _document(
    path: Path,
    doc_id: str,
    text: str,
    fmt: str,
    *,
    title: str | None = None,
    url: str | None = None,
    published: Any = None,
    meta: Mapping[str, Any] | None = None,
) -> Document:
    """What every format shares: check bounds, normalise, take the source line, require text, fill title and date."""
    _check_id(doc_id)
    _check_text(text)
    title = _metadata_text(title, "title", MAX_TITLE_CHARS)
    url = _metadata_text(url, "url", MAX_URL_CHARS)
    if not isinstance(published, (datetime.date, type(None))):
        published = _metadata_text(published, "published date", MAX_DATE_CHARS)
    text, source_url = _split_source_line(_normalize_text(text))
    if not text.strip():
        raise SourceError("no article text (only front matter or a source line): add the article text")
    all_meta = {"format": fmt, **(meta or {})}
    published_iso = _iso_date(published)
    if published is not None and published_iso is None:
        all_meta["published_raw"] = str(published)
    return Document(
        id=doc_id,
        title=title or _title_from_text(text),
        text=text,
        url=url or source_url,
        published=published_iso,
        source_path=str(path),
        meta=all_meta,
    )


def _check_id(doc_id: str) -> None:
    """An id the HTTP API can name in a path: no folders, no '..', no control characters, bounded."""
    _check_unicode(doc_id, "id")
    if len(doc_id) > MAX_ID_CHARS:
        raise SourceError(f"id is {len(doc_id)} characters long; the limit is {MAX_ID_CHARS}: use a shorter id")
    bad = next((c for c in ("/", "\\", "..") if c in doc_id), None)
    if bad or doc_id in (".", "") or any(unicodedata.category(c) == "Cc" for c in doc_id):
        shown = repr(bad) if bad else "a control character or nothing"
        raise SourceError(f"id {doc_id[:80]!r} contains {shown}: use letters, digits, '-', '_' and '.' "
                          f"(the id becomes part of a URL)")


def _check_text(text: str) -> None:
    _check_unicode(text, "text")
    if len(text) > MAX_DOCUMENT_CHARS:
        raise SourceError(f"article text is {len(text):,} characters long; the limit is {MAX_DOCUMENT_CHARS:,}: "
                          "split it into several articles")
    longest = max(map(len, text.splitlines()), default=0)
    if longest > MAX_LINE_CHARS:
        raise SourceError(f"a line is {longest:,} characters long; the limit is {MAX_LINE_CHARS:,}: "
                          "break the text into paragraphs")


def _check_unicode(value: str, field: str) -> None:
    """NUL and lone surrogates (possible in JSON escapes, never in UTF-8 files) are refused, not stored."""
    if "\x00" in value:
        raise SourceError(f"{field} contains a NUL character (\\u0000) at position {value.index(chr(0))}: "
                          "remove it")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise SourceError(f"{field} contains a lone surrogate ({value[error.start]!a}) at position {error.start}, "
                          "which is not Unicode text: fix the escape sequence") from error


def _metadata_text(value: Any, field: str, limit: int) -> str | None:
    """A title, url or date as one stripped line: text, or a number converted explicitly; else refused."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise SourceError(f"{field} must be text, got {type(value).__name__}: write it as a quoted string")
    _check_unicode(value, field)
    text = _clean_str(value)
    if text is not None and len(text) > limit:
        raise SourceError(f"{field} is {len(text):,} characters long; the limit is {limit:,}: shorten it")
    return text


def _clean_str(value: Any) -> str | None:
    """A metadata value as a stripped one-line string, or None when it is missing or blank."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _txt_document(path: Path, text: str) -> Document:
    return _document(path, path.stem, text, "txt")


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader without anchors and aliases: a few hundred bytes of nested aliases expand to
    gigabytes ("billion laughs"), and article metadata never needs them."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", event.start_mark)
        return super().compose_node(parent, index)


class _BoundedYAMLHandler(YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        if len(fm) > MAX_FRONT_MATTER_CHARS:
            raise SourceError(f"front matter is {len(fm):,} characters long; the limit is "
                              f"{MAX_FRONT_MATTER_CHARS:,}: keep only title, url and date there")
        return yaml.load(fm, Loader=_NoAliasLoader)


def _markdown_document(path: Path, text: str) -> Document:
    handler = frontmatter.detect_format(text, frontmatter.handlers)
    if isinstance(handler, YAMLHandler):
        handler = _BoundedYAMLHandler()
    try:
        post = frontmatter.loads(text, handler=handler)
    except yaml.YAMLError as error:
        message = f"front matter is not valid YAML ({_first_line(error)}): fix it or remove it"
        raise SourceError(message) from error
    except RecursionError as error:
        raise SourceError("front matter is nested too deeply: keep only title, url and date there") from error
    except ValueError as error:  # JSON or TOML front matter
        raise SourceError(f"front matter can't be parsed ({error}): fix it or remove it") from error
    metadata = post.metadata
    if not isinstance(metadata, Mapping):
        raise SourceError("front matter must be `key: value` lines (title, url, date): fix it or remove it")
    heading = _MARKDOWN_HEADING.match(post.content.partition("\n")[0])
    url = metadata.get("url")
    source = metadata.get("source")
    if not url and isinstance(source, str) and source.strip().startswith(("http://", "https://")):
        url = source
    return _document(
        path,
        path.stem,
        post.content,
        "md",
        title=metadata.get("title") or (heading.group(1) if heading else None),
        url=url,
        published=_first_present(metadata, "date", "published"),
    )


def _first_present(metadata: Mapping[str, Any], *keys: str) -> Any:
    return next((metadata[key] for key in keys if metadata.get(key) not in (None, "")), None)


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]


def _html_document(path: Path, html: str) -> Document:
    try:
        extracted = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            favor_precision=True,  # a page of menus and cookie banners comes out empty, not as an article
            # Only dates in markup: a free-text search turns "© 2025" into 2025-01-01.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except ValueError as error:
        message = f"HTML can't be parsed ({error}): save the article itself as .txt or .md"
        raise SourceError(message) from error
    if extracted is None or not (extracted.text or "").strip():
        raise SourceError(
            "no article text found in the HTML (trafilatura saw no main content): "
            "save the article itself as .txt or .md"
        )
    return _document(
        path,
        path.stem,
        extracted.text,
        "html",
        title=extracted.title,
        url=extracted.url,
        published=extracted.date,
    )


def _jsonl_documents(path: Path, raw: bytes) -> Iterator[Document | SkippedFile]:
    """One article a line; a bad line is skipped on its own so the others still go in."""
    for line_number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            yield _jsonl_document(path, line_number, _decode(line))
        except SourceError as error:
            yield SkippedFile(f"{path}:{line_number}", f"line {line_number}: {error}")


def _jsonl_document(path: Path, line_number: int, line: str) -> Document:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        message = f"not valid JSON ({error.msg} at column {error.colno}): fix or remove the line"
        raise SourceError(message) from error
    if not isinstance(record, dict):
        raise SourceError(
            f"expected a JSON object with id, title, text, url, published, got {type(record).__name__}: "
            "fix or remove the line"
        )
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise SourceError('no "text" (a non-empty string): add the article text or remove the line')
    return _document(
        path,
        _metadata_text(record.get("id"), "id", MAX_ID_CHARS) or f"{path.stem}-{line_number}",
        text,
        "jsonl",
        title=record.get("title"),
        url=record.get("url"),
        published=record.get("published"),
        meta={"line": line_number},
    )
