"""One index directory: an SQLite database (documents, chunks, quotes, people, sentence and quote
vectors, the manifest) and immutable segments of chunk vectors and lexical postings (index/segments.py).

Atomicity: a write puts its new segment files on disk (fsynced) before the SQLite transaction that
lists them in the manifest commits. A crash before the commit leaves the manifest on the previous
segment list, whose files are untouched; orphan files are removed by the next writer. Readers see the
last committed state (SQLite WAL) and load only the segments they do not hold yet when it changes.
Removed chunks are tombstones (`dead_chunks`) until a merge rewrites the segments that hold them.
"""
from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import faiss
import numpy as np

from . import lexical
from . import segments as segments_io
from .errors import FuentesError, IndexFormatError, IndexNotFoundError
from .filters import Filters
from .lexical import Postings
from .segments import Segment
from .types import Chunk, Document, Person, Quote

FORMAT_VERSION = 3  # 3: vector and lexical segments, tombstones, sentence and quote vectors (no FTS5)
DB_NAME = "fuentes.sqlite3"
_LOCK_NAME = ".write.lock"
# Dense search by size (figures in docs/benchmarks-speed.md): exact search while it costs a few
# milliseconds, then an HNSW graph over fp16 vectors in the base segment, the exact vectors beside it.
HNSW_MIN_VECTORS = 50_000
HNSW_M = 32
# Measured (bench/speed.py vectors, docs/benchmarks-speed.md): efConstruction 40 tops out at
# recall@10 0.96 at 100k even with efSearch 512; 200 reaches 0.99 at efSearch 512 (~1 ms). At 1M
# the same graph gives 0.92 at efSearch 512 and 0.95 at 1024 (2.7 ms), so the search widens with size.
# At 100k efSearch 256 keeps the hybrid top 10 at 0.984 overlap with a near-exact dense side (512: 0.994)
# for about 1 ms less a search ("Third round" in docs/benchmarks-speed.md).
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_SEARCH = 256
HNSW_EF_SEARCH_LARGE = 1024
HNSW_LARGE_VECTORS = 500_000
_EXACT_FILTER_MAX = 4096  # filtered searches over fewer chunks than this stay exact
# A write adds a small exact segment. Small segments merge into the base once there are more than
# MAX_DELTA_SEGMENTS of them or DELTA_MAX_ROWS rows (exact search over 10k rows costs ~0.5 ms);
# the base is rebuilt without its tombstones once they pass DEAD_SHARE_REBUILD of its rows.
_FILTER_CACHE_SIZE = 8
_FREQUENCY_CACHE_SIZE = 200_000  # terms whose document frequency a generation remembers, per field
MAX_DELTA_SEGMENTS = 8
DELTA_MAX_ROWS = 10_000
DEAD_SHARE_REBUILD = 0.25

_SCHEMA = """
CREATE TABLE IF NOT EXISTS manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL, url TEXT, published TEXT,
    source_path TEXT, meta TEXT NOT NULL, content_hash TEXT NOT NULL, language TEXT NOT NULL,
    added_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks(doc_id);
CREATE INDEX IF NOT EXISTS documents_by_published ON documents(published);
CREATE TABLE IF NOT EXISTS dead_chunks (id INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS sentence_vectors (
    chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, end INTEGER NOT NULL, vector BLOB NOT NULL,
    PRIMARY KEY (chunk_id, start)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS quotes (
    id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    speaker TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
    direct INTEGER NOT NULL, cue TEXT NOT NULL, speaker_kind TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS quotes_by_doc ON quotes(doc_id);
CREATE TABLE IF NOT EXISTS quote_vectors (
    quote_id TEXT PRIMARY KEY REFERENCES quotes(id) ON DELETE CASCADE, vector BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS article_people (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name TEXT NOT NULL, aliases TEXT NOT NULL, roles TEXT NOT NULL, kind TEXT NOT NULL,
    n_quotes INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS people_by_doc ON article_people(doc_id);
"""


@dataclass(frozen=True)
class DocumentInfo:
    id: str
    title: str
    url: str | None
    published: str | None
    language: str
    n_chunks: int
    n_quotes: int


@dataclass(frozen=True)
class NewChunk:
    """A chunk before it has an id: what the writer receives from chunking and embedding."""

    start: int
    end: int
    text: str
    terms: str  # space-separated stems for the lexical index
    cognates: str = ""  # space-separated cognate keys, for questions in another language


@dataclass(frozen=True)
class DocumentBatch:
    """Everything stored for one document, prepared outside the write transaction."""

    document: Document
    language: str
    chunks: Sequence[NewChunk]
    vectors: np.ndarray
    quotes: Sequence[Quote] = ()
    people: Sequence[Person] = ()
    # Per chunk: sentence spans relative to the chunk and their vectors; per quote: its vector.
    sentences: Sequence[tuple[Sequence[tuple[int, int]], np.ndarray]] = ()
    quote_vectors: np.ndarray | None = None


class Index:
    """An index directory, opened for reading and (one process at a time) writing."""

    def __init__(self, path: Path, manifest: dict[str, str]):
        self.path = path
        self.model_name = manifest["model"]
        self.dimension = int(manifest["dimension"])
        self._local = threading.local()
        self._view_lock = threading.RLock()
        self._view: _View | None = None
        self._loaded: dict[str, Segment] = {}  # segment files never change, so a loaded one stays valid
        self._allowed_cache: OrderedDict[tuple[int, Filters], np.ndarray] = OrderedDict()

    # ---- opening -------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, model_name: str, dimension: int) -> "Index":
        """Create the index at `path` (or open the one already there).

        The database is built whole (schema and manifest) under a temporary name, then linked to
        its real name, which never replaces an existing file: a crash leaves no half-made index
        behind, and of two processes creating one index at once, the first link wins and the
        other opens it."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        target = path / DB_NAME
        _remove_abandoned_creations(path)
        if not target.exists():
            tmp = path / f".{DB_NAME}.creating-{os.getpid()}-{threading.get_ident()}"
            tmp.unlink(missing_ok=True)
            try:
                _build_database(tmp, [("format_version", str(FORMAT_VERSION)), ("model", model_name),
                                      ("dimension", str(dimension)), ("generation", "0"),
                                      ("created_at", str(time.time()))])
                try:
                    os.link(tmp, target)
                except FileExistsError:
                    pass  # another process created it first; open theirs
                segments_io.fsync_directory(path)
            finally:
                tmp.unlink(missing_ok=True)
        return cls.open(path)

    @classmethod
    def open(cls, path: str | Path) -> "Index":
        path = Path(path)
        db_path = path / DB_NAME
        if not db_path.exists():
            raise IndexNotFoundError(f"no index at {path}: run `fuentes ingest PATH --index {path}` first")
        db = _connect(db_path)
        try:
            manifest = dict(db.execute("SELECT key, value FROM manifest"))
        except sqlite3.DatabaseError as exc:
            raise IndexFormatError(f"{db_path} is not a fuentes index ({exc}); choose another --index folder") from exc
        finally:
            db.close()
        missing = {"format_version", "model", "dimension", "generation"} - manifest.keys()
        if missing and manifest:
            raise IndexFormatError(
                f"index at {path} is incomplete (no {', '.join(sorted(missing))} in its manifest: its creation was "
                f"interrupted by an older fuentes); delete {db_path} and run `fuentes ingest` again"
            )
        version = manifest.get("format_version")
        if version != str(FORMAT_VERSION):
            raise IndexFormatError(
                f"index at {path} has format version {version}, this fuentes reads version "
                f"{FORMAT_VERSION}; rebuild it with `fuentes ingest` into a new --index folder"
            )
        return cls(path, manifest)

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def db(self) -> sqlite3.Connection:
        """One connection per thread: sqlite3 connections must not be shared across threads."""
        conn = getattr(self._local, "db", None)
        if conn is None:
            conn = self._local.db = _connect(self.path / DB_NAME)
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "db", None)
        if conn is not None:
            conn.close()
            self._local.db = None

    # ---- the committed state --------------------------------------------------------------
    def generation(self) -> int:
        return int(self.db.execute("SELECT value FROM manifest WHERE key='generation'").fetchone()[0])

    @contextmanager
    def snapshot(self, view: "_View | None" = None) -> Iterator[None]:
        """Inside the block this thread's searches read one generation: the manifest is read once,
        not once per search, and a search's dense and lexical lists come from the same commit.
        `view` pins a generation another thread already pinned (its `view()`), so a search may run
        its sides in two threads and still read one commit."""
        previous = getattr(self._local, "pinned", None)
        self._local.pinned = view if view is not None else self.view()
        try:
            yield
        finally:
            self._local.pinned = previous

    def view(self) -> "_View":
        """Segments and tombstones of the last committed generation, loading only new segments."""
        pinned = getattr(self._local, "pinned", None)
        if pinned is not None:
            return pinned
        generation = self.generation()
        with self._view_lock:
            if self._view is not None and self._view.generation == generation:
                return self._view
            for attempt in range(3):
                try:
                    self._view = self._read_view()
                    return self._view
                except FileNotFoundError:  # a writer two generations ahead removed a segment we were about to load
                    if attempt == 2:
                        raise IndexFormatError(f"index at {self.path} lists segment files that are missing; "
                                               f"rebuild it with `fuentes ingest`") from None
            raise AssertionError("unreachable")

    def _read_view(self) -> "_View":
        db = self.db
        db.execute("BEGIN")  # one snapshot: generation, segment list and tombstones agree
        try:
            manifest = dict(db.execute(
                "SELECT key, value FROM manifest WHERE key IN ('generation', 'segments', 'vector_sum')"))
            dead = np.fromiter((row[0] for row in db.execute("SELECT id FROM dead_chunks ORDER BY id")), dtype=np.int64)
        finally:
            db.execute("COMMIT")
        listed = json.loads(manifest.get("segments", "[]"))
        segments = []
        for entry in listed:
            segment = self._loaded.get(entry["name"])
            if segment is None:
                segment = segments_io.load(self.path, entry["name"], entry["graph"])
            segments.append(segment)
        self._loaded = {segment.name: segment for segment in segments}
        vector_sum = np.asarray(json.loads(manifest["vector_sum"]), dtype=np.float32) \
            if "vector_sum" in manifest else np.zeros(self.dimension, dtype=np.float32)
        return _View(int(manifest["generation"]), segments, dead, vector_sum)

    def mean_vector(self) -> np.ndarray:
        """Mean of all chunk vectors: a query's cosine to it is its typical cosine to this corpus."""
        view = self.view()
        if view.n_live == 0:
            return np.zeros(self.dimension, dtype=np.float32)
        return view.vector_sum / view.n_live

    def all_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """(chunk ids, their exact vectors) of every live chunk, ascending by id."""
        view = self.view()
        ids = [seg.ids[view.live_mask(i)] for i, seg in enumerate(view.segments)]
        rows = [np.asarray(seg.vectors[view.live_mask(i)]) for i, seg in enumerate(view.segments)]
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros((0, self.dimension), dtype=np.float32)
        return np.concatenate(ids), np.concatenate(rows).reshape(-1, self.dimension)

    # ---- search ----------------------------------------------------------------------------
    def dense_search(self, query: np.ndarray, k: int, filters: Filters | None = None) -> list[tuple[int, float]]:
        """Top-k chunk ids by inner product (cosine: vectors are normalised), best first."""
        view = self.view()
        if view.n_live == 0 or k <= 0:
            return []
        query = np.asarray(query, dtype=np.float32).reshape(-1)
        allowed = self._allowed_ids(filters) if filters is not None and filters.active else None
        if allowed is not None and not len(allowed):
            return []
        found: list[tuple[int, float]] = []
        for i, segment in enumerate(view.segments):
            valid = view.valid_mask(i, allowed)
            if valid is not None and not valid.any():
                continue
            found += _search_segment(segment, query, k, valid, view.n_rows)
        return sorted(found, key=lambda pair: (-pair[1], pair[0]))[:k]

    def lexical_search(self, terms: Iterable[str], k: int, filters: Filters | None = None,
                       field: str = "stems") -> list[tuple[int, float]]:
        """BM25 over stems (or cognate keys with field="cognates"); any term may match. Higher is better."""
        if field not in segments_io.FIELDS:
            raise ValueError(f"lexical field {field!r} is not one of {list(segments_io.FIELDS)}")
        unique = list(dict.fromkeys(t for term in terms if term for t in lexical.tokens(term)))
        view = self.view()
        if not unique or k <= 0 or view.n_live == 0:
            return []
        allowed = self._allowed_ids(filters) if filters is not None and filters.active else None
        if allowed is not None and not len(allowed):
            return []
        term_idf = lexical.idf(view.n_live, view.document_frequencies(field, unique))
        found: list[tuple[int, float]] = []
        for i, segment in enumerate(view.segments):
            best = lexical.top_scores(segment.lexical[field], unique, term_idf, view.length_norms(field, i), k,
                                      view.valid_mask(i, allowed), mean_length=view.mean_length(field))
            if best is not None:
                found += zip(segment.ids[best[0]].tolist(), best[1].tolist())
        return sorted(found, key=lambda pair: (-pair[1], pair[0]))[:k]

    def known_terms(self, terms: Iterable[str]) -> set[str]:
        """The stems that occur in at least one live chunk."""
        unique = list(dict.fromkeys(terms))
        counts = self.view().document_frequencies("stems", unique)
        return {t for t, n in zip(unique, counts) if n > 0}

    # ---- reading -------------------------------------------------------------------------
    def chunks(self, ids: Sequence[int]) -> dict[int, Chunk]:
        if not ids:
            return {}
        rows = self.db.execute(
            f"SELECT id, doc_id, start, end, text FROM chunks WHERE id IN ({','.join('?' * len(ids))})", list(ids))
        return {row[0]: Chunk(*row) for row in rows}

    def chunk_ids(self, filters: Filters | None = None) -> list[int]:
        """Ids of the chunks whose documents pass the filters, ascending."""
        return self._allowed_ids(filters or Filters()).tolist()

    def _allowed_ids(self, filters: Filters) -> np.ndarray:
        """Sorted chunk ids passing the filters; one search asks three times (dense, stems, cognates),
        so the last few answers are kept per generation."""
        pinned = getattr(self._local, "pinned", None)
        key = (pinned.generation if pinned is not None else self.generation(), filters)
        with self._view_lock:
            if key in self._allowed_cache:
                self._allowed_cache.move_to_end(key)
                return self._allowed_cache[key]
        where, args = _filter_sql(filters)
        rows = self.db.execute(
            f"SELECT c.id FROM documents d JOIN chunks c ON c.doc_id = d.id WHERE {where} ORDER BY c.id", args)
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64)
        with self._view_lock:
            self._allowed_cache[key] = ids
            while len(self._allowed_cache) > _FILTER_CACHE_SIZE:
                self._allowed_cache.popitem(last=False)
        return ids

    def document(self, doc_id: str) -> Document | None:
        row = self.db.execute(
            "SELECT id, title, text, url, published, source_path, meta FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            return None
        return Document(*row[:6], meta=json.loads(row[6]))

    def documents(self) -> list[DocumentInfo]:
        rows = self.db.execute(
            """SELECT d.id, d.title, d.url, d.published, d.language,
                      (SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.id),
                      (SELECT COUNT(*) FROM quotes q WHERE q.doc_id = d.id)
               FROM documents d ORDER BY d.id""")
        return [DocumentInfo(*row) for row in rows]

    def content_hashes(self, doc_ids: Sequence[str] | None = None) -> dict[str, str]:
        if doc_ids is None:
            return dict(self.db.execute("SELECT id, content_hash FROM documents"))
        return dict(self.db.execute(
            "SELECT id, content_hash FROM documents WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(doc_ids)),)))

    def sentence_vectors(self, chunk_ids: Sequence[int]) -> dict[int, tuple[list[tuple[int, int]], np.ndarray]]:
        """Per chunk id: its sentence spans (relative to the chunk text) and their normalised float32
        vectors (n, dimension), as computed at ingest. Chunks that do not exist are left out."""
        found: dict[int, tuple[list[tuple[int, int]], list[bytes]]] = {}
        rows = self.db.execute(
            "SELECT chunk_id, start, end, vector FROM sentence_vectors"
            " WHERE chunk_id IN (SELECT value FROM json_each(?)) ORDER BY chunk_id, start",
            (json.dumps([int(i) for i in chunk_ids]),))
        for chunk_id, start, end, blob in rows:
            spans, blobs = found.setdefault(chunk_id, ([], []))
            spans.append((start, end))
            blobs.append(blob)
        return {chunk_id: (spans, _matrix(blobs, self.dimension)) for chunk_id, (spans, blobs) in found.items()}

    def quote_vectors(self, quote_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Per quote id: the normalised float32 vector of the quote's text, as computed at ingest."""
        rows = self.db.execute(
            "SELECT quote_id, vector FROM quote_vectors WHERE quote_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(quote_ids)),))
        return {quote_id: np.frombuffer(blob, dtype=np.float32).copy() for quote_id, blob in rows}

    def quotes(self, doc_id: str | None = None) -> list[Quote]:
        sql = "SELECT id, doc_id, speaker, start, end, text, direct, cue, speaker_kind FROM quotes"
        args: tuple = ()
        if doc_id is not None:
            sql += " WHERE doc_id = ?"
            args = (doc_id,)
        sql += " ORDER BY doc_id, start"
        return [Quote(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7], r[8]) for r in self.db.execute(sql, args)]

    def chunk_vectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        """The stored vector of each chunk id (for copying an index without re-embedding)."""
        wanted = set(map(int, ids))
        view = self.view()
        found: dict[int, np.ndarray] = {}
        for i, seg in enumerate(view.segments):
            live = view.live_mask(i)
            for chunk_id, vector in zip(seg.ids[live], np.asarray(seg.vectors[live])):
                if int(chunk_id) in wanted:
                    found[int(chunk_id)] = np.array(vector, dtype=np.float32)
        return found

    def article_people(self, doc_id: str | None = None) -> list[Person]:
        sql, args = "SELECT name, aliases, roles, kind, n_quotes FROM article_people", ()
        if doc_id is not None:
            sql, args = sql + " WHERE doc_id = ?", (doc_id,)
        rows = self.db.execute(sql + " ORDER BY doc_id, rowid", args)
        return [Person(name, tuple(json.loads(a)), tuple(json.loads(r)), kind, n) for name, a, r, kind, n in rows]

    def stats(self) -> dict[str, object]:
        db = self.db
        view = self.view()
        return {
            "path": str(self.path),
            "format_version": FORMAT_VERSION,
            "model": self.model_name,
            "dimension": self.dimension,
            "documents": db.execute("SELECT COUNT(*) FROM documents").fetchone()[0],
            "chunks": db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0],
            "quotes": db.execute("SELECT COUNT(*) FROM quotes").fetchone()[0],
            "vectors": view.n_live,
            "vector_index": "hnsw" if any(seg.has_graph for seg in view.segments) else "exact",
            "segments": len(view.segments),
            "tombstones": len(view.dead),
            "generation": view.generation,
        }

    # ---- writing -------------------------------------------------------------------------
    @contextmanager
    def _writer_lock(self) -> Iterator[None]:
        """One writer at a time across processes; readers never wait for it."""
        with open(self.path / _LOCK_NAME, "w") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)

    def write(self, batches: Sequence[DocumentBatch], remove_ids: Sequence[str] = ()) -> None:
        """Replace/add the given documents and remove others, all in one atomic commit."""
        if not batches and not remove_ids:
            return
        with self._writer_lock():
            db = _connect(self.path / DB_NAME)
            try:
                self._write_locked(db, batches, remove_ids)
            finally:
                db.close()

    def _write_locked(self, db: sqlite3.Connection, batches: Sequence[DocumentBatch], remove_ids: Sequence[str]) -> None:
        db.execute("BEGIN IMMEDIATE")
        try:
            manifest = dict(db.execute("SELECT key, value FROM manifest"))
            generation = int(manifest["generation"])
            listed = json.loads(manifest.get("segments", "[]"))
            segments = [self._loaded.get(e["name"]) or segments_io.load(self.path, e["name"], e["graph"], eager=False)
                        for e in listed]
            vector_sum = np.asarray(json.loads(manifest["vector_sum"]), dtype=np.float64) \
                if "vector_sum" in manifest else np.zeros(self.dimension)
            dead = {row[0] for row in db.execute("SELECT id FROM dead_chunks")}

            old_chunk_ids = np.asarray(_delete_documents(db, list(remove_ids) + [b.document.id for b in batches]),
                                       dtype=np.int64)
            for segment in segments:
                rows = segment.positions(old_chunk_ids)
                if len(rows):
                    vector_sum -= np.asarray(segment.vectors[np.sort(rows)], dtype=np.float64).sum(axis=0)
            dead.update(old_chunk_ids.tolist())

            new_ids, new_vectors, new_terms, new_cognates = [], [], [], []
            for batch in batches:
                chunk_ids = _insert_document(db, batch, self.dimension)
                if chunk_ids:
                    new_ids += chunk_ids
                    new_vectors.append(np.asarray(batch.vectors, dtype=np.float32))
                    new_terms += [c.terms for c in batch.chunks]
                    new_cognates += [c.cognates for c in batch.chunks]
                    vector_sum += batch.vectors.sum(axis=0)
            new_generation = generation + 1
            if new_ids:
                segments.append(Segment(f"s{new_generation}", np.asarray(new_ids, dtype=np.int64),
                                        np.vstack(new_vectors), None,
                                        {"stems": Postings.build(new_terms), "cognates": Postings.build(new_cognates)}))
            segments, dead = _merged(segments, dead, f"s{new_generation}")
            for segment in segments:
                if segment.name == f"s{new_generation}":
                    segments_io.write(self.path, segment.name, segment.ids, segment.vectors, segment.lexical,
                                      segment.graph, _write_file_atomically)
            listing = [{"name": seg.name, "graph": seg.has_graph} for seg in segments]
            db.execute("DELETE FROM dead_chunks")
            db.executemany("INSERT INTO dead_chunks(id) VALUES (?)", [(i,) for i in sorted(dead)])
            for key, value in (("vector_sum", json.dumps(vector_sum.tolist())), ("segments", json.dumps(listing)),
                               ("previous_segments", json.dumps(listed)), ("generation", str(new_generation))):
                db.execute("INSERT OR REPLACE INTO manifest(key, value) VALUES (?, ?)", (key, value))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        # The previous generation's files stay one more round for readers that just read the manifest.
        segments_io.remove_files_except(self.path, {e["name"] for e in listed} | {seg.name for seg in segments})


def _merged(segments: list[Segment], dead: set[int], name: str) -> tuple[list[Segment], set[int]]:
    """The segment list after this write's merge policy: small segments merge into the base, and the
    base is rebuilt without tombstones once they are DEAD_SHARE_REBUILD of it. Returns the new list
    and the tombstones still held by some segment."""
    if not segments:
        return segments, set()
    base, deltas = segments[0], segments[1:]
    dead_ids = np.fromiter(dead, dtype=np.int64, count=len(dead))
    dead_ids.sort()
    n_rows = sum(len(seg) for seg in segments)
    rebuild = len(dead) > DEAD_SHARE_REBUILD * max(n_rows, 1)
    merge = (rebuild or len(deltas) > MAX_DELTA_SEGMENTS or sum(len(seg) for seg in deltas) > DELTA_MAX_ROWS
             or (not base.has_graph and n_rows >= HNSW_MIN_VECTORS))
    if merge or (not base.has_graph and n_rows < HNSW_MIN_VECTORS and len(deltas) > 0 and len(base) < DELTA_MAX_ROWS):
        # Below the graph size a merge is cheap: keep the list short. Above it, extend the base graph
        # with the live rows of the small segments unless the tombstones call for a rebuild.
        keep_base_rows = base.has_graph and not rebuild
        parts = []
        for seg in segments:
            alive = ~seg.mask(dead_ids)
            parts.append((seg, np.ones(len(seg), dtype=bool) if (seg is base and keep_base_rows) else alive))
        segments = [_concatenate(parts, name, extend_graph=keep_base_rows)]
    held = set()
    for seg in segments:
        held.update(seg.ids[seg.mask(dead_ids)].tolist())
    return segments, held


def _concatenate(parts: list[tuple[Segment, np.ndarray]], name: str, extend_graph: bool) -> Segment:
    """One segment of the kept rows of several, in order; with a graph when large enough."""
    ids = np.concatenate([seg.ids[keep] for seg, keep in parts])
    vectors = np.concatenate([np.asarray(seg.vectors[keep]) for seg, keep in parts]).astype(np.float32, copy=False)
    lexical_parts = {field: Postings.concatenate([(seg.lexical[field], keep) for seg, keep in parts])
                     for field in segments_io.FIELDS}
    graph = None
    if len(ids) >= HNSW_MIN_VECTORS:
        with faiss_threads(os.cpu_count() or 1):
            if extend_graph:
                base = parts[0][0]
                graph = faiss.clone_index(base.graph)
                graph.add(vectors[len(base):])
            else:
                graph = build_graph(vectors)
        vectors = vectors  # kept beside the graph for exact filtered search and removals
    return Segment(name, ids, vectors, graph, lexical_parts)


@contextmanager
def faiss_threads(n: int) -> Iterator[None]:
    """Run a block with FAISS using n OpenMP threads, then restore the previous setting."""
    previous = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(n)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(previous)


def build_graph(vectors: np.ndarray, m: int = HNSW_M, ef_construction: int = HNSW_EF_CONSTRUCTION,
                ef_search: int = HNSW_EF_SEARCH) -> faiss.Index:
    """An HNSW graph (fp16 vectors, inner product) over the rows of `vectors`; labels are row numbers."""
    graph = faiss.IndexHNSWSQ(vectors.shape[1], faiss.ScalarQuantizer.QT_fp16, m, faiss.METRIC_INNER_PRODUCT)
    graph.hnsw.efConstruction = ef_construction
    graph.hnsw.efSearch = ef_search
    graph.train(vectors[:1])  # fp16 needs no statistics; train marks the quantizer ready
    block = 100_000
    for start in range(0, len(vectors), block):
        graph.add(np.ascontiguousarray(vectors[start:start + block], dtype=np.float32))
    return graph


def hnsw_ef_search(n_vectors: int) -> int:
    return HNSW_EF_SEARCH_LARGE if n_vectors >= HNSW_LARGE_VECTORS else HNSW_EF_SEARCH


class _View:
    """What a reader searches: one generation's segments and tombstones, with their corpus statistics."""

    def __init__(self, generation: int, segments: list[Segment], dead: np.ndarray, vector_sum: np.ndarray):
        self.generation = generation
        self.segments = segments
        self.dead = dead
        self.vector_sum = vector_sum
        self._dead_rows = [seg.mask(dead) if len(dead) else None for seg in segments]
        self._dead_rows = [m if m is not None and m.any() else None for m in self._dead_rows]
        self.n_rows = sum(len(seg) for seg in segments)
        self.n_live = self.n_rows - sum(int(m.sum()) for m in self._dead_rows if m is not None)
        self._lengths = {}
        for field in segments_io.FIELDS:
            total = 0.0
            for seg, dead_rows in zip(segments, self._dead_rows):
                lengths = seg.lexical[field].lengths
                total += float(lengths.sum()) - (float(lengths[dead_rows].sum()) if dead_rows is not None else 0.0)
            self._lengths[field] = total
        self._norms: dict[tuple[str, int], np.ndarray] = {}
        self._frequencies: dict[str, dict[str, int]] = {field: {} for field in segments_io.FIELDS}

    def live_mask(self, i: int) -> np.ndarray:
        dead_rows = self._dead_rows[i]
        return np.ones(len(self.segments[i]), dtype=bool) if dead_rows is None else ~dead_rows

    def valid_mask(self, i: int, allowed: np.ndarray | None) -> np.ndarray | None:
        """Rows of segment i a search may return (None: all of them)."""
        dead_rows = self._dead_rows[i]
        if allowed is None:
            return None if dead_rows is None else ~dead_rows
        mask = self.segments[i].mask(allowed)
        return mask if dead_rows is None else mask & ~dead_rows

    def mean_length(self, field: str) -> float:
        return self._lengths[field] / max(self.n_live, 1)

    def length_norms(self, field: str, i: int) -> np.ndarray:
        """BM25's per-row length term for segment i; fixed for a generation, so computed once."""
        key = (field, i)
        norms = self._norms.get(key)
        if norms is None:
            norms = self._norms[key] = lexical.length_norms(self.segments[i].lexical[field].lengths,
                                                            self.mean_length(field))
        return norms

    def document_frequencies(self, field: str, terms: Sequence[str]) -> np.ndarray:
        """Live rows holding each term, over all segments; remembered for this generation."""
        cache = self._frequencies[field]
        found = {t: cache.get(t) for t in terms}
        fresh = {}
        for term in (t for t, n in found.items() if n is None):
            count = 0
            for seg, dead_rows in zip(self.segments, self._dead_rows):
                rows, _ = seg.lexical[field].postings(term)
                count += len(rows) - (int(dead_rows[rows].sum()) if dead_rows is not None and len(rows) else 0)
            fresh[term] = count
        if fresh:
            if len(cache) + len(fresh) > _FREQUENCY_CACHE_SIZE:
                cache.clear()
            cache.update(fresh)
            found.update(fresh)
        return np.array([found[t] for t in terms], dtype=np.int64)


def _search_segment(segment: Segment, query: np.ndarray, k: int, valid: np.ndarray | None,
                    n_rows: int) -> list[tuple[int, float]]:
    """Top-k (chunk id, inner product) of one segment among its valid rows."""
    if not segment.has_graph or (valid is not None and int(valid.sum()) <= _EXACT_FILTER_MAX):
        rows = None if valid is None else np.flatnonzero(valid)
        matrix = segment.vectors if rows is None else np.ascontiguousarray(segment.vectors[rows])
        # faiss.knn on one thread, not numpy's matmul: a multi-threaded BLAS call for one query
        # stalls for tens of milliseconds on a busy machine (measured: 24 ms p50 over 3000 rows).
        with faiss_threads(1):
            D, I = faiss.knn(query.reshape(1, -1), matrix, min(k, len(matrix)), metric=faiss.METRIC_INNER_PRODUCT)
        return [(int(segment.ids[i if rows is None else rows[i]]), float(d)) for d, i in zip(D[0], I[0]) if i >= 0]
    params = faiss.SearchParametersHNSW(efSearch=hnsw_ef_search(n_rows))
    if valid is not None:
        bitmap = np.packbits(valid, bitorder="little")
        params.sel = faiss.IDSelectorBitmap(len(valid), faiss.swig_ptr(bitmap))
    # One query is too little work to share: FAISS's OpenMP threads cost more to start than
    # they save, and they fight the embedding model for the same cores.
    with faiss_threads(1):
        D, I = segment.graph.search(query.reshape(1, -1), min(k, len(segment)), params=params)
    return [(int(segment.ids[i]), float(d)) for d, i in zip(D[0], I[0]) if i >= 0]


def _matrix(blobs: list[bytes], dimension: int) -> np.ndarray:
    if not blobs:
        return np.zeros((0, dimension), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), dimension).copy()


def _filter_sql(filters: Filters) -> tuple[str, list]:
    """A WHERE clause over documents `d` for the filters. Document ids travel as one JSON
    parameter, so any number of them fits under SQLite's variable limit."""
    where, args = ["1=1"], []
    if filters.doc_ids is not None:
        where.append("d.id IN (SELECT value FROM json_each(?))")
        args.append(json.dumps(list(filters.doc_ids)))
    if filters.published_from:
        where.append("d.published >= ?")
        args.append(filters.published_from)
    if filters.published_to:
        where.append("d.published <= ?")
        args.append(filters.published_to)
    return " AND ".join(where), args


def _build_database(path: Path, manifest: Sequence[tuple[str, str]]) -> None:
    """A complete new database at `path`: schema and manifest in one transaction, synced to disk."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("BEGIN")
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        db.executemany("INSERT INTO manifest(key, value) VALUES (?, ?)", manifest)
        db.execute("COMMIT")
    finally:
        db.close()
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _remove_abandoned_creations(folder: Path) -> None:
    """Temporary databases of creators that died (killed before their link)."""
    for tmp in folder.glob(f".{DB_NAME}.creating-*"):  # the database and its -journal
        pid = tmp.name.removeprefix(f".{DB_NAME}.creating-").partition("-")[0]
        try:
            os.kill(int(pid), 0)
        except (ValueError, OverflowError, ProcessLookupError):
            tmp.unlink(missing_ok=True)
        except PermissionError:
            pass  # alive, another user's


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA synchronous=FULL")
    return db


def _delete_documents(db: sqlite3.Connection, doc_ids: Sequence[str]) -> list[int]:
    """Delete documents and everything hanging off them; return the chunk ids that went."""
    chunk_ids: list[int] = []
    for doc_id in doc_ids:
        ids = [row[0] for row in db.execute("SELECT id FROM chunks WHERE doc_id = ?", (doc_id,))]
        chunk_ids += ids
        db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))  # cascades to chunks, quotes, people
    return chunk_ids


def _insert_document(db: sqlite3.Connection, batch: DocumentBatch, dimension: int) -> list[int]:
    doc = batch.document
    db.execute(
        "INSERT INTO documents(id, title, text, url, published, source_path, meta, content_hash, language, added_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (doc.id, doc.title, doc.text, doc.url, doc.published, doc.source_path,
         json.dumps(dict(doc.meta), ensure_ascii=False), doc.content_hash, batch.language, time.time()),
    )
    chunk_ids = []
    for chunk in batch.chunks:
        if doc.text[chunk.start:chunk.end] != chunk.text:
            raise FuentesError(f"chunk offsets {chunk.start}:{chunk.end} do not match the text of {doc.id}")
        cursor = db.execute("INSERT INTO chunks(doc_id, start, end, text) VALUES (?, ?, ?, ?)",
                            (doc.id, chunk.start, chunk.end, chunk.text))
        chunk_ids.append(cursor.lastrowid)
    if len(batch.vectors) != len(batch.chunks) or (len(batch.chunks) and batch.vectors.shape[1] != dimension):
        raise FuentesError(f"{doc.id}: {len(batch.chunks)} chunks need {len(batch.chunks)} vectors of dimension "
                           f"{dimension}, got an array of shape {np.shape(batch.vectors)}")
    for chunk_id, chunk, (spans, vectors) in zip(chunk_ids, batch.chunks, batch.sentences):
        if len(spans) != len(vectors):
            raise FuentesError(f"{doc.id}: {len(spans)} sentence spans but {len(vectors)} sentence vectors")
        for start, end in spans:
            if not 0 <= start < end <= len(chunk.text):
                raise FuentesError(f"{doc.id}: sentence span {start}:{end} lies outside its chunk")
        db.executemany("INSERT INTO sentence_vectors(chunk_id, start, end, vector) VALUES (?, ?, ?, ?)",
                       [(chunk_id, start, end, np.asarray(v, dtype=np.float32).tobytes())
                        for (start, end), v in zip(spans, vectors)])
    for quote in batch.quotes:
        if doc.text[quote.start:quote.end] != quote.text:
            raise FuentesError(f"quote offsets {quote.start}:{quote.end} do not match the text of {doc.id}")
        db.execute(
            "INSERT INTO quotes(id, doc_id, speaker, start, end, text, direct, cue, speaker_kind)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (quote.id, doc.id, quote.speaker, quote.start, quote.end, quote.text, int(quote.direct),
             quote.cue, quote.speaker_kind),
        )
    if batch.quote_vectors is not None:
        db.executemany("INSERT INTO quote_vectors(quote_id, vector) VALUES (?, ?)",
                       [(q.id, np.asarray(v, dtype=np.float32).tobytes())
                        for q, v in zip(batch.quotes, batch.quote_vectors)])
    db.executemany(
        "INSERT INTO article_people(doc_id, name, aliases, roles, kind, n_quotes) VALUES (?, ?, ?, ?, ?, ?)",
        [(doc.id, p.name, json.dumps(list(p.aliases), ensure_ascii=False), json.dumps(list(p.roles), ensure_ascii=False),
          p.kind, p.n_quotes) for p in batch.people],
    )
    return chunk_ids


def _write_file_atomically(write, target: Path) -> None:
    """`write(file)` into a temporary file, fsync it, rename it over `target`, fsync the folder."""
    tmp = target.with_name(target.name + ".tmp")
    with open(tmp, "wb") as f:
        write(f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, target)
    segments_io.fsync_directory(target.parent)
