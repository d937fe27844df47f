"""Errors the index layer raises; each message says what was wrong and what to do."""


class FuentesError(Exception):
    """Base class: anything fuentes reports to a user as a plain error."""


class IndexNotFoundError(FuentesError):
    """No index exists at the given path."""


class IndexFormatError(FuentesError):
    """The index was written in a format this version cannot read."""


class ModelMismatchError(FuentesError):
    """The index was built with another embedding model than the one asked for."""


class SourceError(FuentesError):
    """An article file could not be read; ingest skips it and reports why."""
