"""Uploaded article files: the accepted names, types and sizes, and saving them inside the upload folder."""
from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from index.errors import FuentesError

ALLOWED_SUFFIXES = (".txt", ".md", ".html", ".jsonl")
MAX_FILE_BYTES = 1024 * 1024  # a long article is ~50 KB; a .jsonl of this size holds a hundred or more
MAX_FILES = 20
MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # all files of one upload; more goes through `fuentes ingest`
MAX_NAME_CHARS = 120
# Letters and digits of any script, space, dot, dash, underscore, parentheses; no separators.
_NAME = re.compile(r"^[\w][\w .()\-]*$")


class UploadError(FuentesError):
    """An uploaded file was refused: bad name (400), type (415) or size (413)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Upload:
    name: str  # as the client sent it; checked by `check_name`
    data: bytes


def check_name(name: str | None) -> str:
    """The file name if it is a plain, allowed one; it becomes the document id (without extension)."""
    if not name:
        raise UploadError("the uploaded file has no name: send it with a file name such as 'article.txt'")
    name = unicodedata.normalize("NFC", name)
    plain = "letters, digits, spaces, '.', '-', '_' and '()', no folders"
    if "/" in name or "\\" in name or name in (".", "..") or not _NAME.match(name) or ".." in name:
        raise UploadError(f"file name {name!r} is not allowed: use a plain name like 'article.txt' ({plain})")
    if len(name) > MAX_NAME_CHARS:
        raise UploadError(f"file name is {len(name)} characters long; the limit is {MAX_NAME_CHARS}")
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise UploadError(f"file type {suffix or '(none)'!r} of {name!r} is not accepted; "
                          f"upload one of {', '.join(ALLOWED_SUFFIXES)}", status=415)
    return name


def check_uploads(uploads: Sequence[Upload]) -> None:
    if not uploads:
        raise UploadError("no file uploaded: send one or more files in the form field 'files'")
    if len(uploads) > MAX_FILES:
        raise UploadError(f"{len(uploads)} files in one upload; the limit is {MAX_FILES}", status=413)
    names: set[str] = set()
    for upload in uploads:
        name = check_name(upload.name)
        if name in names:  # the second would silently overwrite the first
            raise UploadError(f"two files named {name!r} in one upload: each file becomes one document, "
                              f"so give each a different name")
        names.add(name)
        if len(upload.data) > MAX_FILE_BYTES:
            raise UploadError(f"{upload.name!r} is larger than the limit of {MAX_FILE_BYTES:,} bytes "
                              f"per file", status=413)
        if not upload.data.strip():
            raise UploadError(f"{upload.name!r} is empty")
    total = sum(len(upload.data) for upload in uploads)
    if total > MAX_UPLOAD_BYTES:
        raise UploadError(f"the files of this upload hold {total:,} bytes together; the limit is "
                          f"{MAX_UPLOAD_BYTES:,}: upload them in several parts, or use `fuentes ingest PATH`",
                          status=413)


def save_uploads(folder: Path, uploads: Sequence[Upload]) -> list[tuple[Path, str]]:
    """Write each file atomically as folder/<name>; returns (saved path, name) pairs."""
    check_uploads(uploads)
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for upload in uploads:
        target = folder / check_name(upload.name)
        # Belt and braces: the checked name has no separators, but never write outside the folder.
        if target.resolve().parent != folder.resolve():
            raise UploadError(f"file name {upload.name!r} is not allowed")
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
        with os.fdopen(fd, "wb") as out:
            out.write(upload.data)
        os.replace(tmp, target)
        saved.append((target, upload.name))
    return saved


def remove_upload(folder: Path, doc_id: str) -> None:
    """Delete the uploaded file a single-article document came from, if there is one."""
    for suffix in (".txt", ".md", ".html"):
        path = folder / f"{doc_id}{suffix}"
        if path.resolve().parent == folder.resolve() and path.is_file():
            path.unlink()
