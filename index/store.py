"""One index directory: an SQLite database (documents, chunks, FTS5, quotes, manifest) and FAISS vectors.

Atomicity: vectors are written to a new generation file `vectors.<n>.faiss` before the SQLite
transaction that points the manifest at generation n commits. A crash before the commit leaves
the manifest on the previous generation, whose file is untouched; an orphan file is removed by
the next writer. Readers see the last committed state (SQLite WAL) and reload vectors when the
generation changes.
"""
from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import faiss
import numpy as np

from .errors import FuentesError, IndexFormatError, IndexNotFoundError
from .types import Chunk, Document, Person, Quote

FORMAT_VERSION = 2  # 2: cognate-key FTS5 table and vocabulary view
DB_NAME = "fuentes.sqlite3"
_LEXICAL_TABLES = {"stems": "chunks_fts", "cognates": "chunks_cognates"}
_LOCK_NAME = ".write.lock"
# Dense search by size (figures in docs/benchmarks-speed.md): exact flat search while it costs
# a few milliseconds, then an HNSW graph over fp16 vectors beside the exact file. The exact
# IDMap stays the source of truth because HNSW cannot remove vectors; the graph is rebuilt
# from it after removals and extended in place after additions.
HNSW_MIN_VECTORS = 50_000
HNSW_M = 32
# Measured (bench/speed.py vectors, docs/benchmarks-speed.md): efConstruction 40 tops out at
# recall@10 0.96 at 100k even with efSearch 512; 200 reaches 0.99 at efSearch 512 (~1 ms). At 1M
# the same graph gives 0.92 at efSearch 512 and 0.95 at 1024 (2.7 ms), so the search widens with size.
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_SEARCH = 512
HNSW_EF_SEARCH_LARGE = 1024
HNSW_LARGE_VECTORS = 500_000
_EXACT_FILTER_MAX = 4096  # filtered searches over fewer chunks than this stay exact

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
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(terms, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_vocab USING fts5vocab(chunks_fts, 'row');
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_cognates USING fts5(keys, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS quotes (
    id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    speaker TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
    direct INTEGER NOT NULL, cue TEXT NOT NULL, speaker_kind TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS quotes_by_doc ON quotes(doc_id);
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


class Index:
    """An index directory, opened for reading and (one process at a time) writing."""

    def __init__(self, path: Path, manifest: dict[str, str]):
        self.path = path
        self.model_name = manifest["model"]
        self.dimension = int(manifest["dimension"])
        self._local = threading.local()
        self._vectors_lock = threading.RLock()
        self._vectors: faiss.Index | None = None
        self._generation = -1
        self._search_vectors: faiss.Index | None = None
        self._search_generation = -1

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
                _fsync_dir(path)
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

    # ---- vectors -------------------------------------------------------------------------
    def generation(self) -> int:
        return int(self.db.execute("SELECT value FROM manifest WHERE key='generation'").fetchone()[0])

    def vectors(self) -> faiss.Index:
        """The FAISS index of the last committed generation, reloaded when a writer moved on."""
        generation = self.generation()
        with self._vectors_lock:
            if self._vectors is None or generation != self._generation:
                self._vectors = self._read_vectors(generation)
                self._generation = generation
            return self._vectors

    def search_vectors(self) -> faiss.Index:
        """What dense search reads: the HNSW graph when the generation has one, else the exact map.

        A reader of a large index never loads the exact file, so its memory holds one copy of the vectors.
        """
        generation = self.generation()
        with self._vectors_lock:
            if self._search_vectors is None or generation != self._search_generation:
                graph = self._graph_file(generation)
                if graph.exists():
                    self._search_vectors = faiss.read_index(str(graph))
                elif self._vectors is not None and self._generation == generation:
                    self._search_vectors = self._vectors
                else:
                    self._search_vectors = self._read_vectors(generation)
                self._search_generation = generation
            return self._search_vectors

    def _vector_file(self, generation: int) -> Path:
        return self.path / f"vectors.{generation}.faiss"

    def _graph_file(self, generation: int) -> Path:
        return self.path / f"vectors.{generation}.hnsw.faiss"

    def _read_vectors(self, generation: int) -> faiss.Index:
        file = self._vector_file(generation)
        if generation == 0 and not file.exists():
            return faiss.IndexIDMap2(faiss.IndexFlatIP(self.dimension))
        if not file.exists():
            raise IndexFormatError(f"index at {self.path} is missing {file.name}; rebuild it with `fuentes ingest`")
        return faiss.read_index(str(file))

    def mean_vector(self) -> np.ndarray:
        """Mean of all chunk vectors: a query's cosine to it is its typical cosine to this corpus."""
        row = self.db.execute("SELECT value FROM manifest WHERE key='vector_sum'").fetchone()
        count = self.search_vectors().ntotal
        if row is None or count == 0:
            return np.zeros(self.dimension, dtype=np.float32)
        return np.asarray(json.loads(row[0]), dtype=np.float32) / count

    def dense_search(self, query: np.ndarray, k: int, allowed_chunk_ids: Sequence[int] | None = None
                     ) -> list[tuple[int, float]]:
        """Top-k chunk ids by inner product (cosine: vectors are normalised), best first."""
        index = self.search_vectors()
        if index.ntotal == 0 or k <= 0:
            return []
        query = np.asarray(query, dtype=np.float32).reshape(1, -1)
        params = None
        if allowed_chunk_ids is not None:
            if not allowed_chunk_ids:
                return []
            ids = np.asarray(allowed_chunk_ids, dtype=np.int64)
            if _is_graph(index) and len(ids) <= _EXACT_FILTER_MAX:
                return _exact_over(index, query, ids, k)
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(ids))
        if _is_graph(index):
            faiss.downcast_index(index.index).hnsw.efSearch = hnsw_ef_search(index.ntotal)
        # One query is too little work to share: FAISS's OpenMP threads cost more to start than
        # they save, and they fight the embedding model for the same cores.
        with faiss_threads(1):
            D, I = index.search(query, min(k, index.ntotal), params=params)
        return [(int(i), float(d)) for d, i in zip(D[0], I[0]) if i >= 0]

    # ---- lexical -------------------------------------------------------------------------
    def lexical_search(self, terms: Iterable[str], k: int, allowed_chunk_ids: Sequence[int] | None = None,
                       field: str = "stems") -> list[tuple[int, float]]:
        """BM25 over stems (or cognate keys with field="cognates"); any term may match. Higher is better."""
        table = _LEXICAL_TABLES[field]
        unique = list(dict.fromkeys(t for t in terms if t))
        if not unique or k <= 0:
            return []
        # Each term is quoted, so nothing a user typed is read as FTS5 syntax.
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in unique)
        sql = f"SELECT rowid, bm25({table}) FROM {table} WHERE {table} MATCH ?"
        args: list = [match]
        if allowed_chunk_ids is not None:
            if not allowed_chunk_ids:
                return []
            sql += f" AND rowid IN ({','.join('?' * len(allowed_chunk_ids))})"
            args += list(allowed_chunk_ids)
        sql += " ORDER BY rank LIMIT ?"
        args.append(k)
        return [(int(rowid), -float(score)) for rowid, score in self.db.execute(sql, args)]

    def known_terms(self, terms: Iterable[str]) -> set[str]:
        """The terms that occur in at least one chunk."""
        unique = list(dict.fromkeys(terms))
        if not unique:
            return set()
        rows = self.db.execute(f"SELECT term FROM chunks_vocab WHERE term IN ({','.join('?' * len(unique))})", unique)
        return {row[0] for row in rows}

    # ---- reading -------------------------------------------------------------------------
    def chunks(self, ids: Sequence[int]) -> dict[int, Chunk]:
        if not ids:
            return {}
        rows = self.db.execute(
            f"SELECT id, doc_id, start, end, text FROM chunks WHERE id IN ({','.join('?' * len(ids))})", list(ids))
        return {row[0]: Chunk(*row) for row in rows}

    def chunk_ids(self, doc_ids: Sequence[str] | None = None, published_from: str | None = None,
                  published_to: str | None = None) -> list[int]:
        """Chunk ids of the documents that pass the filters (for filtered search)."""
        sql = "SELECT c.id FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE 1=1"
        args: list = []
        if doc_ids is not None:
            sql += f" AND d.id IN ({','.join('?' * len(doc_ids))})"
            args += list(doc_ids)
        if published_from:
            sql += " AND d.published >= ?"
            args.append(published_from)
        if published_to:
            sql += " AND d.published <= ?"
            args.append(published_to)
        return [row[0] for row in self.db.execute(sql, args)]

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

    def content_hashes(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, content_hash FROM documents"))

    def quotes(self, doc_id: str | None = None) -> list[Quote]:
        sql = "SELECT id, doc_id, speaker, start, end, text, direct, cue, speaker_kind FROM quotes"
        args: tuple = ()
        if doc_id is not None:
            sql += " WHERE doc_id = ?"
            args = (doc_id,)
        sql += " ORDER BY doc_id, start"
        return [Quote(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7], r[8]) for r in self.db.execute(sql, args)]

    def article_people(self) -> list[Person]:
        rows = self.db.execute("SELECT name, aliases, roles, kind, n_quotes FROM article_people ORDER BY doc_id, rowid")
        return [Person(name, tuple(json.loads(a)), tuple(json.loads(r)), kind, n) for name, a, r, kind, n in rows]

    def stats(self) -> dict[str, object]:
        db = self.db
        return {
            "path": str(self.path),
            "format_version": FORMAT_VERSION,
            "model": self.model_name,
            "dimension": self.dimension,
            "documents": db.execute("SELECT COUNT(*) FROM documents").fetchone()[0],
            "chunks": db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0],
            "quotes": db.execute("SELECT COUNT(*) FROM quotes").fetchone()[0],
            "vectors": self.search_vectors().ntotal,
            "vector_index": "hnsw" if _is_graph(self.search_vectors()) else "exact",
            "generation": self.generation(),
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
            generation = int(db.execute("SELECT value FROM manifest WHERE key='generation'").fetchone()[0])
            vectors = faiss.clone_index(self._read_vectors(generation))
            doomed_ids = list(remove_ids) + [b.document.id for b in batches]
            row = db.execute("SELECT value FROM manifest WHERE key='vector_sum'").fetchone()
            vector_sum = np.asarray(json.loads(row[0]), dtype=np.float64) if row else np.zeros(self.dimension)
            old_chunk_ids = _delete_documents(db, doomed_ids)
            if old_chunk_ids:
                vector_sum -= np.stack([vectors.reconstruct(i) for i in old_chunk_ids]).sum(axis=0)
                vectors.remove_ids(np.asarray(old_chunk_ids, dtype=np.int64))
            for batch in batches:
                chunk_ids = _insert_document(db, batch)
                if chunk_ids:
                    vectors.add_with_ids(batch.vectors, np.asarray(chunk_ids, dtype=np.int64))
                    vector_sum += batch.vectors.sum(axis=0)
            db.execute("INSERT OR REPLACE INTO manifest(key, value) VALUES ('vector_sum', ?)",
                       (json.dumps(vector_sum.tolist()),))
            new_generation = generation + 1
            _write_file_atomically(vectors, self._vector_file(new_generation))
            graph = self._updated_graph(generation, vectors, removed=bool(old_chunk_ids), batches=batches)
            if graph is not None:
                _write_file_atomically(graph, self._graph_file(new_generation))
            db.execute("UPDATE manifest SET value = ? WHERE key = 'generation'", (str(new_generation),))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        with self._vectors_lock:
            self._vectors, self._generation = vectors, new_generation
            self._search_vectors = graph if graph is not None else vectors
            self._search_generation = new_generation
        self._remove_stale_vector_files(keep={generation, new_generation})

    def _updated_graph(self, generation: int, exact: faiss.Index, removed: bool,
                       batches: Sequence[DocumentBatch]) -> faiss.Index | None:
        """The HNSW graph for the new generation: None below HNSW_MIN_VECTORS, extended in place
        when the write only added vectors, rebuilt from the exact map after any removal."""
        if exact.ntotal < HNSW_MIN_VECTORS:
            return None
        previous = self._graph_file(generation)
        with faiss_threads(os.cpu_count() or 1):
            if not removed and previous.exists():
                graph = faiss.read_index(str(previous))
                added = [b for b in batches if len(b.chunks)]
                if added:
                    new_ids = exact.id_map.at  # ids were appended last, in batch order
                    n_new = sum(len(b.chunks) for b in added)
                    start = exact.ntotal - n_new
                    ids = np.array([new_ids(i) for i in range(start, exact.ntotal)], dtype=np.int64)
                    graph.add_with_ids(np.vstack([b.vectors for b in added]).astype(np.float32), ids)
                return graph
            return build_graph(exact)

    def _remove_stale_vector_files(self, keep: set[int]) -> None:
        # The previous generation stays one more round for readers that just read the manifest.
        for file in self.path.glob("vectors.*.faiss*"):
            generation = file.name.split(".")[1]
            if not (generation.isdigit() and int(generation) in keep and file.suffix == ".faiss"):
                file.unlink(missing_ok=True)


@contextmanager
def faiss_threads(n: int) -> Iterator[None]:
    """Run a block with FAISS using n OpenMP threads, then restore the previous setting."""
    previous = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(n)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(previous)


def build_graph(exact: faiss.Index, m: int = HNSW_M, ef_construction: int = HNSW_EF_CONSTRUCTION,
                ef_search: int = HNSW_EF_SEARCH) -> faiss.Index:
    """An HNSW graph (fp16 vectors, inner product) over every vector of an exact IDMap, same ids."""
    dimension = exact.d
    graph = faiss.IndexHNSWSQ(dimension, faiss.ScalarQuantizer.QT_fp16, m, faiss.METRIC_INNER_PRODUCT)
    graph.hnsw.efConstruction = ef_construction
    graph.hnsw.efSearch = ef_search
    ids = faiss.vector_to_array(exact.id_map).astype(np.int64)
    flat = faiss.downcast_index(exact.index)
    wrapped = faiss.IndexIDMap2(graph)
    block = 100_000
    for start in range(0, exact.ntotal, block):
        stop = min(start + block, exact.ntotal)
        wrapped.add_with_ids(flat.reconstruct_n(start, stop - start), ids[start:stop])
    return wrapped


def hnsw_ef_search(n_vectors: int) -> int:
    return HNSW_EF_SEARCH_LARGE if n_vectors >= HNSW_LARGE_VECTORS else HNSW_EF_SEARCH


def _is_graph(index: faiss.Index) -> bool:
    inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap2) else index
    return isinstance(inner, faiss.IndexHNSW)


def _exact_over(index: faiss.Index, query: np.ndarray, ids: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Exact top-k among a few allowed ids, from the graph's stored (fp16) vectors."""
    present = []
    rows = []
    for i in ids:
        try:
            rows.append(index.reconstruct(int(i)))
            present.append(int(i))
        except RuntimeError:  # an id with no vector (a filter can name any chunk)
            continue
    if not rows:
        return []
    scores = np.stack(rows) @ query[0]
    top = np.argsort(-scores, kind="stable")[:k]
    return [(present[t], float(scores[t])) for t in top]


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


def _fsync_dir(path: Path) -> None:
    dir_fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


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
        db.executemany("DELETE FROM chunks_fts WHERE rowid = ?", [(i,) for i in ids])
        db.executemany("DELETE FROM chunks_cognates WHERE rowid = ?", [(i,) for i in ids])
        db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))  # cascades to chunks, quotes, people
    return chunk_ids


def _insert_document(db: sqlite3.Connection, batch: DocumentBatch) -> list[int]:
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
        db.execute("INSERT INTO chunks_fts(rowid, terms) VALUES (?, ?)", (cursor.lastrowid, chunk.terms))
        db.execute("INSERT INTO chunks_cognates(rowid, keys) VALUES (?, ?)", (cursor.lastrowid, chunk.cognates))
    for quote in batch.quotes:
        if doc.text[quote.start:quote.end] != quote.text:
            raise FuentesError(f"quote offsets {quote.start}:{quote.end} do not match the text of {doc.id}")
        db.execute(
            "INSERT INTO quotes(id, doc_id, speaker, start, end, text, direct, cue, speaker_kind)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (quote.id, doc.id, quote.speaker, quote.start, quote.end, quote.text, int(quote.direct),
             quote.cue, quote.speaker_kind),
        )
    db.executemany(
        "INSERT INTO article_people(doc_id, name, aliases, roles, kind, n_quotes) VALUES (?, ?, ?, ?, ?, ?)",
        [(doc.id, p.name, json.dumps(list(p.aliases), ensure_ascii=False), json.dumps(list(p.roles), ensure_ascii=False),
          p.kind, p.n_quotes) for p in batch.people],
    )
    return chunk_ids


def _write_file_atomically(vectors: faiss.Index, target: Path) -> None:
    tmp = target.with_name(target.name + ".tmp")
    faiss.write_index(vectors, str(tmp))
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, target)
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
