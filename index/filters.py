"""Search filters: which documents a search may return, passed down to the store as one value."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .errors import FuentesError

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Filters:
    """Documents a search may return: by id, by published date (ISO, inclusive), or both.

    The store turns a Filters into a join inside its own queries; callers never build id lists.

    Example:
        >>> Filters(doc_ids=("kremlin", "paris"), published_from="2025-09-01").active
        True
    """

    doc_ids: tuple[str, ...] | None = None
    published_from: str | None = None
    published_to: str | None = None

    def __post_init__(self) -> None:
        if self.doc_ids is not None and not isinstance(self.doc_ids, tuple):
            object.__setattr__(self, "doc_ids", tuple(self.doc_ids))
        for name in ("published_from", "published_to"):
            value = getattr(self, name)
            if value and not _ISO_DATE.match(value):
                raise FuentesError(f"{name} must be an ISO date like 2025-09-01, got {value!r}")

    @classmethod
    def of(cls, doc_ids: Iterable[str] | None = None, published_from: str | None = None,
           published_to: str | None = None) -> "Filters":
        return cls(None if doc_ids is None else tuple(doc_ids), published_from or None, published_to or None)

    @property
    def active(self) -> bool:
        return self.doc_ids is not None or bool(self.published_from) or bool(self.published_to)


NO_FILTERS = Filters()
