"""Where an index lives: a folder (SQLite + FAISS, the default) or a postgresql:// URL."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Union

from .errors import IndexNotFoundError

Location = Union[Path, str]  # a folder, or a PostgreSQL URL kept as text
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def parse_location(value: str | Path | None) -> Location:
    """A URL stays text (a Path would fold its '//'); anything else is a folder. None: the default."""
    if value is None:
        value = os.environ.get("FUENTES_INDEX") or default_folder()
    if isinstance(value, str) and value.startswith(POSTGRES_SCHEMES):
        return value
    return Path(value)


def default_folder() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("fuentes")) / "index"


def is_postgres(location: Location) -> bool:
    return isinstance(location, str)


def index_exists(location: Location) -> bool:
    if is_postgres(location):
        from .pg_store import PgIndex

        return PgIndex.exists(location)
    from .store import DB_NAME

    return (Path(location) / DB_NAME).exists()


def open_index(location: Location):
    """The store at `location`; IndexNotFoundError when there is none."""
    if is_postgres(location):
        from .pg_store import PgIndex

        return PgIndex.open(location)
    from .store import Index

    if not index_exists(location):
        raise IndexNotFoundError(f"no index at {location}: run `fuentes ingest PATH --index {location}` first")
    return Index.open(location)


def create_index(location: Location, model_name: str, dimension: int):
    if is_postgres(location):
        from .pg_store import PgIndex

        return PgIndex.create(location, model_name, dimension)
    from .store import Index

    return Index.create(location, model_name, dimension)
