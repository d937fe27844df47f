"""Immutable index segments: the chunk vectors, an optional HNSW graph and lexical postings of one write.

A write adds one small segment instead of rewriting the index; removed chunks become tombstones
(a table in SQLite) until a merge drops them. A segment's files never change once written, so a
reader can keep one loaded for as long as the manifest lists it. Row i of every file is the
segment's i-th chunk id; ids ascend within a segment.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import faiss
import numpy as np

from .lexical import Postings

FIELDS = ("stems", "cognates")
SEGMENTS_DIR = "segments"


class Segment:
    """One segment's rows. A loaded segment reads its graph and postings on first use, so a writer
    that only appends or removes never loads the base segment's graph."""

    def __init__(self, name: str, ids: np.ndarray, vectors: np.ndarray, graph: faiss.Index | None = None,
                 lexical: dict[str, Postings] | None = None, directory: Path | None = None, has_graph: bool = False):
        self.name = name
        self.ids = ids  # int64, ascending
        self.vectors = vectors  # float32 (n, d): in memory for exact segments, memory-mapped beside a graph
        self._graph = graph
        self._lexical = lexical
        self._directory = directory
        self.has_graph = graph is not None or has_graph
        self._lock = threading.Lock()

    @property
    def graph(self) -> faiss.Index | None:
        if self._graph is None and self.has_graph:
            with self._lock:
                if self._graph is None:
                    self._graph = faiss.read_index(str(files(self._directory, self.name)["graph"]))
        return self._graph

    @property
    def lexical(self) -> dict[str, Postings]:
        if self._lexical is None:
            with self._lock:
                if self._lexical is None:
                    paths = files(self._directory, self.name)
                    self._lexical = {field: Postings.load(paths[field]) for field in FIELDS}
        return self._lexical

    def __len__(self) -> int:
        return len(self.ids)

    def positions(self, chunk_ids: np.ndarray) -> np.ndarray:
        """Rows of the given chunk ids that this segment holds."""
        if not len(chunk_ids) or not len(self.ids):
            return np.zeros(0, dtype=np.int64)
        found = np.searchsorted(self.ids, chunk_ids)
        found = np.minimum(found, len(self.ids) - 1)
        return found[self.ids[found] == chunk_ids]

    def mask(self, chunk_ids: np.ndarray) -> np.ndarray:
        """Boolean row mask of the given chunk ids."""
        mask = np.zeros(len(self.ids), dtype=bool)
        mask[self.positions(chunk_ids)] = True
        return mask


def files(directory: Path, name: str) -> dict[str, Path]:
    base = directory / SEGMENTS_DIR
    return {"ids": base / f"{name}.ids.npy", "vectors": base / f"{name}.vectors.npy",
            "graph": base / f"{name}.hnsw.faiss", "stems": base / f"{name}.stems.npz",
            "cognates": base / f"{name}.cognates.npz"}


def write(directory: Path, name: str, ids: np.ndarray, vectors: np.ndarray, lexical: dict[str, Postings],
          graph: faiss.Index | None, write_file) -> None:
    """Write every file of a segment, each durably (`write_file(writer, path)` writes, fsyncs and renames)."""
    paths = files(directory, name)
    paths["ids"].parent.mkdir(exist_ok=True)
    write_file(lambda f: np.save(f, np.asarray(ids, dtype=np.int64)), paths["ids"])
    write_file(lambda f: np.save(f, np.ascontiguousarray(vectors, dtype=np.float32)), paths["vectors"])
    for field in FIELDS:
        write_file(lexical[field].save_to, paths[field])
    if graph is not None:
        write_file(lambda f: f.write(faiss.serialize_index(graph).tobytes()), paths["graph"])


def load(directory: Path, name: str, has_graph: bool, eager: bool = True) -> Segment:
    """A segment from disk; `eager` reads its graph and postings now (a reader), else on first use (a writer)."""
    paths = files(directory, name)
    ids = np.load(paths["ids"])
    # Beside a graph the exact vectors are only read for small filtered searches and removals;
    # a writer reads only the rows it removes or merges.
    vectors = np.load(paths["vectors"], mmap_mode="r" if has_graph or not eager else None)
    segment = Segment(name, ids, vectors, directory=directory, has_graph=has_graph)
    if eager:
        segment.graph, segment.lexical  # noqa: B018 - load now, not during the first search
    return segment


def remove_files_except(directory: Path, keep: set[str]) -> None:
    """Delete segment files (and leftovers of interrupted writes) of segments not in `keep`."""
    base = directory / SEGMENTS_DIR
    if not base.exists():
        return
    for file in base.iterdir():
        if file.name.split(".")[0] not in keep or file.name.endswith(".tmp"):
            file.unlink(missing_ok=True)


def fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
