"""Immutable index segments: the chunk vectors, an optional HNSW graph and lexical postings of one write.

A write adds one small segment instead of rewriting the index; removed chunks become tombstones
(a table in SQLite) until a merge drops them. A segment's files never change once written, so a
reader can keep one loaded for as long as the manifest lists it. Row i of every file is the
segment's i-th chunk id; ids ascend within a segment.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from .lexical import Postings

FIELDS = ("stems", "cognates")
SEGMENTS_DIR = "segments"


@dataclass
class Segment:
    name: str
    ids: np.ndarray  # int64, ascending
    vectors: np.ndarray  # float32 (n, d): in memory for exact segments, memory-mapped beside a graph
    graph: faiss.Index | None
    lexical: dict[str, Postings]

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


def load(directory: Path, name: str, has_graph: bool) -> Segment:
    paths = files(directory, name)
    ids = np.load(paths["ids"])
    graph = faiss.read_index(str(paths["graph"])) if has_graph else None
    # Beside a graph the exact vectors are only read for small filtered searches and removals.
    vectors = np.load(paths["vectors"], mmap_mode="r" if has_graph else None)
    lexical = {field: Postings.load(paths[field]) for field in FIELDS}
    return Segment(name, ids, vectors, graph, lexical)


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
