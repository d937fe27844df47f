"""The index contract on PostgreSQL + pgvector: for archives and servers beyond one machine.

One database (the URL's) holds one index in the schema `fuentes`: documents, chunks with their
vectors (pgvector, HNSW on inner product), postings of the project's own stems and cognate keys
(BM25 computed in SQL with FTS5's formula, so rankings match the SQLite store), quotes, people and
a manifest. Every write is one transaction under an advisory lock: a crash leaves the previous
state, readers never see half of a write, and one writer runs at a time across processes.
"""
from __future__ import annotations

import json
import threading
import time
from collections import Counter
from typing import Iterable, Sequence

import numpy as np

from .errors import FuentesError, IndexFormatError, IndexNotFoundError
from .filters import Filters
from .store import DocumentBatch, DocumentInfo
from .types import Chunk, Document, Person, Quote

SCHEMA_VERSION = 1  # the first released schema; any change bumps it
SCHEMA = "fuentes"
_WRITE_LOCK = 0x66756E74  # advisory lock key ("funt"): one writer per database
_FIELDS = {"stems": 0, "cognates": 1}
# FTS5's bm25() constants and idf floor, so lexical scores equal the SQLite store's.
BM25_K1 = 1.2
BM25_B = 0.75
_IDF_FLOOR = 1e-6
# HNSW on inner product. ef_search grows with k; iterative scans (pgvector >= 0.8) keep a
# filtered search returning k rows instead of the few that survive the filter in one pass.
CONNECT_TIMEOUT_S = 10  # an unreachable server is reported, not waited on
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 64
HNSW_EF_SEARCH = 200

_DDL = """
CREATE EXTENSION IF NOT EXISTS vector;
CREATE SCHEMA IF NOT EXISTS fuentes;
CREATE TABLE IF NOT EXISTS fuentes.manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS fuentes.documents (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL, url TEXT, published TEXT,
    source_path TEXT, meta JSONB NOT NULL, content_hash TEXT NOT NULL, language TEXT NOT NULL,
    added_at DOUBLE PRECISION NOT NULL);
CREATE INDEX IF NOT EXISTS documents_by_published ON fuentes.documents(published);
CREATE TABLE IF NOT EXISTS fuentes.chunks (
    id BIGSERIAL PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES fuentes.documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
    embedding vector({dimension}) NOT NULL,
    stems_length INTEGER NOT NULL, cognates_length INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_by_doc ON fuentes.chunks(doc_id);
CREATE INDEX IF NOT EXISTS chunks_hnsw ON fuentes.chunks
    USING hnsw (embedding vector_ip_ops) WITH (m = {m}, ef_construction = {ef_construction});
CREATE TABLE IF NOT EXISTS fuentes.postings (
    field SMALLINT NOT NULL, term TEXT NOT NULL,
    chunk_id BIGINT NOT NULL REFERENCES fuentes.chunks(id) ON DELETE CASCADE,
    tf INTEGER NOT NULL, length INTEGER NOT NULL, PRIMARY KEY (field, term, chunk_id));
CREATE INDEX IF NOT EXISTS postings_by_chunk ON fuentes.postings(chunk_id);
CREATE TABLE IF NOT EXISTS fuentes.term_stats (
    field SMALLINT NOT NULL, term TEXT NOT NULL, df BIGINT NOT NULL, PRIMARY KEY (field, term));
CREATE TABLE IF NOT EXISTS fuentes.field_stats (
    field SMALLINT PRIMARY KEY, n_chunks BIGINT NOT NULL, total_length BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS fuentes.sentences (
    chunk_id BIGINT NOT NULL REFERENCES fuentes.chunks(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    embedding vector({dimension}) NOT NULL, PRIMARY KEY (chunk_id, position));
CREATE TABLE IF NOT EXISTS fuentes.quotes (
    id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES fuentes.documents(id) ON DELETE CASCADE,
    speaker TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
    direct BOOLEAN NOT NULL, cue TEXT NOT NULL, speaker_kind TEXT NOT NULL,
    embedding vector({dimension}));
CREATE INDEX IF NOT EXISTS quotes_by_doc ON fuentes.quotes(doc_id);
CREATE TABLE IF NOT EXISTS fuentes.article_people (
    position BIGSERIAL PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES fuentes.documents(id) ON DELETE CASCADE,
    name TEXT NOT NULL, aliases JSONB NOT NULL, roles JSONB NOT NULL, kind TEXT NOT NULL,
    n_quotes INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS people_by_doc ON fuentes.article_people(doc_id);
"""


def is_postgres_url(location: object) -> bool:
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def _driver():
    try:
        import psycopg
        from pgvector.psycopg import register_vector
    except ImportError as exc:
        raise FuentesError("a postgresql:// index needs the PostgreSQL driver: "
                           "pip install 'fuentes[postgres]' (psycopg and pgvector)") from exc
    return psycopg, register_vector


def redact(url: str) -> str:
    """The URL without its password, for messages and `info`."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


class PgIndex:
    """An index in a PostgreSQL database, with the members of the SQLite store's `Index`."""

    def __init__(self, url: str, manifest: dict[str, str]):
        self.url = url
        self.path = redact(url)  # shown where a folder index shows its folder
        self.model_name = manifest["model"]
        self.dimension = int(manifest["dimension"])
        self._local = threading.local()

    @property
    def location(self) -> str:
        return self.path

    # ---- opening -------------------------------------------------------------------------
    @classmethod
    def create(cls, url: str, model_name: str, dimension: int) -> "PgIndex":
        """Create the schema and manifest in one transaction (a crash leaves nothing half made)."""
        psycopg, _ = _driver()
        try:
            with psycopg.connect(url, autocommit=False, connect_timeout=CONNECT_TIMEOUT_S) as db:
                db.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
                existing = _read_manifest(db)
                if not existing:
                    db.execute(_DDL.format(dimension=int(dimension), m=HNSW_M, ef_construction=HNSW_EF_CONSTRUCTION))
                    db.cursor().executemany(
                        "INSERT INTO fuentes.manifest(key, value) VALUES (%s, %s)",
                        [("schema_version", str(SCHEMA_VERSION)), ("model", model_name),
                         ("dimension", str(dimension)), ("generation", "0"), ("created_at", str(time.time())),
                         ("vector_sum", json.dumps([0.0] * dimension))])
                    db.cursor().executemany(
                        "INSERT INTO fuentes.field_stats(field, n_chunks, total_length) VALUES (%s, 0, 0)",
                        [(f,) for f in _FIELDS.values()])
        except psycopg.OperationalError as exc:
            raise FuentesError(f"cannot reach PostgreSQL at {redact(url)}: {exc}".strip()) from exc
        return cls.open(url)

    @classmethod
    def open(cls, url: str) -> "PgIndex":
        psycopg, _ = _driver()
        try:
            with psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S) as db:
                manifest = _read_manifest(db)
        except psycopg.OperationalError as exc:
            raise FuentesError(f"cannot reach PostgreSQL at {redact(url)}: {exc}".strip()) from exc
        if not manifest:
            raise IndexNotFoundError(f"no index in {redact(url)}: run `fuentes ingest PATH --index {redact(url)}` first")
        version = manifest.get("schema_version")
        if version != str(SCHEMA_VERSION):
            raise IndexFormatError(
                f"index in {redact(url)} has schema version {version}, this fuentes reads version "
                f"{SCHEMA_VERSION}; rebuild it with `fuentes ingest` into another database")
        return cls(url, manifest)

    @classmethod
    def exists(cls, url: str) -> bool:
        psycopg, _ = _driver()
        try:
            with psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S) as db:
                return bool(_read_manifest(db))
        except psycopg.OperationalError as exc:
            raise FuentesError(f"cannot reach PostgreSQL at {redact(url)}: {exc}".strip()) from exc

    @property
    def db(self):
        """One autocommit connection per thread (psycopg connections are not for concurrent use)."""
        conn = getattr(self._local, "db", None)
        if conn is None or conn.closed:
            psycopg, register_vector = _driver()
            conn = psycopg.connect(self.url, autocommit=True)
            register_vector(conn)
            self._local.db = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "db", None)
        if conn is not None:
            conn.close()
            self._local.db = None

    # ---- vectors -------------------------------------------------------------------------
    def generation(self) -> int:
        return int(self._manifest_value("generation"))

    def mean_vector(self) -> np.ndarray:
        count = self.db.execute("SELECT n_chunks FROM fuentes.field_stats WHERE field = 0").fetchone()[0]
        if not count:
            return np.zeros(self.dimension, dtype=np.float32)
        return np.asarray(json.loads(self._manifest_value("vector_sum")), dtype=np.float32) / count

    def dense_search(self, query: np.ndarray, k: int, filters: Filters | None = None) -> list[tuple[int, float]]:
        """Top-k chunk ids by inner product (cosine: vectors are normalised), best first."""
        filters = filters or Filters()
        if k <= 0 or _excludes_all(filters):
            return []
        where, args = _filter_sql(filters)
        vector = np.asarray(query, dtype=np.float32).reshape(-1)
        with self.db.transaction():
            self.db.execute(f"SET LOCAL hnsw.ef_search = {max(HNSW_EF_SEARCH, int(k))}")
            if filters.active:
                self.db.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
            else:
                # The planner prices a high ef_search above a sequential scan of ~10k rows and then
                # computes every distance (measured 136 ms against 10 ms for the graph at 10k).
                self.db.execute("SET LOCAL enable_seqscan = off")
            rows = self.db.execute(
                f"SELECT c.id, -(c.embedding <#> %s) AS score FROM fuentes.chunks c "
                f"{'JOIN fuentes.documents d ON d.id = c.doc_id' if filters.active else ''} WHERE {where} "
                f"ORDER BY c.embedding <#> %s LIMIT %s", [vector, *args, vector, k], prepare=False).fetchall()
        # relaxed_order may return rows slightly out of order: sort them.
        return sorted(((int(i), float(s)) for i, s in rows), key=lambda r: -r[1])

    # ---- lexical -------------------------------------------------------------------------
    def lexical_search(self, terms: Iterable[str], k: int, filters: Filters | None = None,
                       field: str = "stems") -> list[tuple[int, float]]:
        """BM25 (FTS5's formula) over stems or cognate keys; any term may match. Higher is better."""
        unique = list(dict.fromkeys(t for t in terms if t))
        filters = filters or Filters()
        if not unique or k <= 0 or _excludes_all(filters):
            return []
        code = _FIELDS[field]
        where, args = _filter_sql(filters)
        # Document frequencies come from term_stats (kept by every write), so a common term costs
        # one row to weigh, not a count over its postings; documents are joined only to filter.
        join = "JOIN fuentes.chunks c ON c.id = p.chunk_id JOIN fuentes.documents d ON d.id = c.doc_id" \
            if filters.active else ""
        sql = f"""
            WITH stats AS (SELECT n_chunks, GREATEST(total_length::float8 / NULLIF(n_chunks, 0), 1) AS avg_length
                           FROM fuentes.field_stats WHERE field = %s),
                 idf AS (SELECT t.term, GREATEST(LN((s.n_chunks - t.df + 0.5) / (t.df + 0.5)), {_IDF_FLOOR}) AS w
                         FROM fuentes.term_stats t, stats s WHERE t.field = %s AND t.term = ANY(%s) AND t.df > 0)
            SELECT p.chunk_id, SUM(idf.w * p.tf * ({BM25_K1} + 1)
                   / (p.tf + {BM25_K1} * (1 - {BM25_B} + {BM25_B} * p.length / s.avg_length))) AS score
            FROM fuentes.postings p JOIN idf ON idf.term = p.term CROSS JOIN stats s {join}
            WHERE p.field = %s AND {where}
            GROUP BY p.chunk_id ORDER BY score DESC, p.chunk_id LIMIT %s"""
        rows = self.db.execute(sql, [code, code, unique, code, *args, k]).fetchall()
        return [(int(i), float(s)) for i, s in rows]

    def known_terms(self, terms: Iterable[str]) -> set[str]:
        """The stems that occur in at least one chunk."""
        unique = list(dict.fromkeys(terms))
        if not unique:
            return set()
        rows = self.db.execute("SELECT term FROM fuentes.term_stats WHERE field = 0 AND term = ANY(%s) AND df > 0",
                               [unique])
        return {row[0] for row in rows}

    # ---- reading -------------------------------------------------------------------------
    def chunks(self, ids: Sequence[int]) -> dict[int, Chunk]:
        if not ids:
            return {}
        rows = self.db.execute('SELECT id, doc_id, start, "end", text FROM fuentes.chunks WHERE id = ANY(%s)',
                               [list(map(int, ids))])
        return {row[0]: Chunk(*row) for row in rows}

    def chunk_ids(self, filters: Filters | None = None) -> list[int]:
        """Chunk ids of the documents that pass the filters."""
        filters = filters or Filters()
        if _excludes_all(filters):
            return []
        where, args = _filter_sql(filters)
        rows = self.db.execute(f"SELECT c.id FROM fuentes.chunks c JOIN fuentes.documents d ON d.id = c.doc_id "
                               f"WHERE {where} ORDER BY c.id", args)
        return [row[0] for row in rows]

    def sentence_vectors(self, chunk_ids: Sequence[int]) -> dict[int, tuple[list[tuple[int, int]], np.ndarray]]:
        """Sentence spans (relative to their chunk) and vectors, as computed at ingest."""
        out: dict[int, tuple[list[tuple[int, int]], list[np.ndarray]]] = {int(i): ([], []) for i in chunk_ids}
        if not out:
            return {}
        rows = self.db.execute('SELECT chunk_id, start, "end", embedding FROM fuentes.sentences '
                               'WHERE chunk_id = ANY(%s) ORDER BY chunk_id, position', [list(out)])
        for chunk_id, start, end, vector in rows:
            spans, vectors = out[chunk_id]
            spans.append((start, end))
            vectors.append(np.asarray(_array(vector), dtype=np.float32))
        return {i: (spans, np.stack(vectors) if vectors else np.zeros((0, self.dimension), np.float32))
                for i, (spans, vectors) in out.items()}

    def quote_vectors(self, quote_ids: Sequence[str]) -> dict[str, np.ndarray]:
        rows = self.db.execute("SELECT id, embedding FROM fuentes.quotes WHERE id = ANY(%s) AND embedding IS NOT NULL",
                               [list(quote_ids)])
        return {i: np.asarray(_array(v), dtype=np.float32) for i, v in rows}

    def document(self, doc_id: str) -> Document | None:
        row = self.db.execute("SELECT id, title, text, url, published, source_path, meta FROM fuentes.documents "
                              "WHERE id = %s", (doc_id,)).fetchone()
        if row is None:
            return None
        return Document(*row[:6], meta=row[6])

    def documents(self) -> list[DocumentInfo]:
        rows = self.db.execute(
            """SELECT d.id, d.title, d.url, d.published, d.language,
                      (SELECT COUNT(*) FROM fuentes.chunks c WHERE c.doc_id = d.id),
                      (SELECT COUNT(*) FROM fuentes.quotes q WHERE q.doc_id = d.id)
               FROM fuentes.documents d ORDER BY d.id COLLATE "C" """)
        return [DocumentInfo(*row) for row in rows]

    def content_hashes(self, doc_ids: Sequence[str] | None = None) -> dict[str, str]:
        if doc_ids is None:
            return dict(self.db.execute("SELECT id, content_hash FROM fuentes.documents").fetchall())
        return dict(self.db.execute("SELECT id, content_hash FROM fuentes.documents WHERE id = ANY(%s)",
                                    [list(doc_ids)]).fetchall())

    def quotes(self, doc_id: str | None = None) -> list[Quote]:
        sql = 'SELECT id, doc_id, speaker, start, "end", text, direct, cue, speaker_kind FROM fuentes.quotes'
        args: tuple = ()
        if doc_id is not None:
            sql += " WHERE doc_id = %s"
            args = (doc_id,)
        sql += ' ORDER BY doc_id COLLATE "C", start'
        return [Quote(*row) for row in self.db.execute(sql, args)]

    def chunk_vectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        rows = self.db.execute("SELECT id, embedding FROM fuentes.chunks WHERE id = ANY(%s)", [list(map(int, ids))])
        return {int(i): np.asarray(_array(v), dtype=np.float32) for i, v in rows}

    def article_people(self, doc_id: str | None = None) -> list[Person]:
        where, args = ("WHERE doc_id = %s", (doc_id,)) if doc_id is not None else ("", ())
        rows = self.db.execute(f'SELECT name, aliases, roles, kind, n_quotes FROM fuentes.article_people {where} '
                               'ORDER BY doc_id COLLATE "C", position', args)
        return [Person(name, tuple(aliases), tuple(roles), kind, n) for name, aliases, roles, kind, n in rows]

    def stats(self) -> dict[str, object]:
        count = lambda table: self.db.execute(f"SELECT COUNT(*) FROM fuentes.{table}").fetchone()[0]  # noqa: E731
        n_chunks = count("chunks")
        return {"path": self.path, "store": "postgresql", "schema_version": SCHEMA_VERSION,
                "model": self.model_name, "dimension": self.dimension, "documents": count("documents"),
                "chunks": n_chunks, "quotes": count("quotes"), "vectors": n_chunks, "vector_index": "hnsw",
                "generation": self.generation()}

    # ---- writing -------------------------------------------------------------------------
    def write(self, batches: Sequence[DocumentBatch], remove_ids: Sequence[str] = ()) -> None:
        """Replace/add the given documents and remove others, in one transaction."""
        if not batches and not remove_ids:
            return
        for batch in batches:
            _check_offsets(batch)
        psycopg, register_vector = _driver()
        with psycopg.connect(self.url, autocommit=False) as db:
            register_vector(db)
            db.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
            doomed = list(dict.fromkeys([*remove_ids, *(b.document.id for b in batches)]))
            vector_sum = np.asarray(json.loads(_read_manifest(db)["vector_sum"]), dtype=np.float64)
            vector_sum -= _removed_vector_sum(db, doomed, self.dimension)
            _adjust_field_stats(db, doomed, sign=-1)
            _forget_term_counts(db, doomed)
            db.execute("DELETE FROM fuentes.documents WHERE id = ANY(%s)", [doomed])  # cascades
            _insert_documents(db, batches)
            _count_terms(db, batches)
            for batch in batches:
                vector_sum += np.asarray(batch.vectors, dtype=np.float64).sum(axis=0)
            _adjust_field_stats(db, [b.document.id for b in batches], sign=1)
            db.execute("UPDATE fuentes.manifest SET value = %s WHERE key = 'vector_sum'",
                       (json.dumps(vector_sum.tolist()),))
            db.execute("UPDATE fuentes.manifest SET value = (value::bigint + 1)::text WHERE key = 'generation'")

    def _manifest_value(self, key: str) -> str:
        row = self.db.execute("SELECT value FROM fuentes.manifest WHERE key = %s", (key,)).fetchone()
        if row is None:
            raise IndexFormatError(f"index in {self.path} has no {key!r} in its manifest; rebuild it")
        return row[0]


def _array(value) -> np.ndarray:
    """pgvector's Vector (or an array already) as numpy."""
    return value.to_numpy() if hasattr(value, "to_numpy") else np.asarray(value)


def _read_manifest(db) -> dict[str, str]:
    exists = db.execute("SELECT to_regclass('fuentes.manifest')").fetchone()[0]
    if exists is None:
        return {}
    return dict(db.execute("SELECT key, value FROM fuentes.manifest").fetchall())


def _excludes_all(filters: Filters) -> bool:
    return filters.doc_ids is not None and not filters.doc_ids


def _filter_sql(filters: Filters) -> tuple[str, list]:
    """A WHERE clause over documents `d` for the filters; arrays, never one parameter per id."""
    clauses, args = ["TRUE"], []
    if filters.doc_ids is not None:
        clauses.append("d.id = ANY(%s)")
        args.append(list(filters.doc_ids))
    if filters.published_from:
        clauses.append("d.published >= %s")
        args.append(filters.published_from)
    if filters.published_to:
        clauses.append("d.published <= %s")
        args.append(filters.published_to)
    return " AND ".join(clauses), args


def _check_offsets(batch: DocumentBatch) -> None:
    text = batch.document.text
    for item in (*batch.chunks, *batch.quotes):
        if text[item.start:item.end] != item.text:
            raise FuentesError(f"offsets {item.start}:{item.end} do not match the text of {batch.document.id}")


def _removed_vector_sum(db, doc_ids: Sequence[str], dimension: int) -> np.ndarray:
    row = db.execute("SELECT SUM(embedding) FROM fuentes.chunks WHERE doc_id = ANY(%s)", [list(doc_ids)]).fetchone()
    return np.zeros(dimension) if row[0] is None else np.asarray(_array(row[0]), dtype=np.float64)


def _adjust_field_stats(db, doc_ids: Sequence[str], sign: int) -> None:
    """Chunk counts and term totals per field, kept in step with the postings (BM25's N and avgdl)."""
    n_chunks, stems_total, cognates_total = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(stems_length), 0), COALESCE(SUM(cognates_length), 0) FROM fuentes.chunks "
        "WHERE doc_id = ANY(%s)", [list(doc_ids)]).fetchone()
    for field, total in ((_FIELDS["stems"], stems_total), (_FIELDS["cognates"], cognates_total)):
        db.execute("UPDATE fuentes.field_stats SET n_chunks = n_chunks + %s, total_length = total_length + %s "
                   "WHERE field = %s", (sign * n_chunks, sign * int(total), field))


def _forget_term_counts(db, doc_ids: Sequence[str]) -> None:
    """Lower the document frequency of every term of the chunks about to be deleted."""
    db.execute(
        """UPDATE fuentes.term_stats t SET df = t.df - gone.n
           FROM (SELECT p.field, p.term, COUNT(*) AS n FROM fuentes.postings p
                 JOIN fuentes.chunks c ON c.id = p.chunk_id WHERE c.doc_id = ANY(%s)
                 GROUP BY p.field, p.term) AS gone
           WHERE t.field = gone.field AND t.term = gone.term""", [list(doc_ids)])


def _count_terms(db, batches: Sequence[DocumentBatch]) -> None:
    """Raise the document frequency of every term the new chunks hold (one upsert for the write)."""
    counts: Counter = Counter()
    for batch in batches:
        for chunk in batch.chunks:
            counts.update((_FIELDS["stems"], t) for t in set(chunk.terms.split()))
            counts.update((_FIELDS["cognates"], t) for t in set(chunk.cognates.split()))
    if not counts:
        return
    db.execute("CREATE TEMP TABLE new_terms (field SMALLINT, term TEXT, n BIGINT) ON COMMIT DROP")
    with db.cursor().copy("COPY new_terms FROM STDIN") as copy:
        for (field, term), n in counts.items():
            copy.write_row((field, term, n))
    db.execute("""INSERT INTO fuentes.term_stats(field, term, df) SELECT field, term, n FROM new_terms
                  ON CONFLICT (field, term) DO UPDATE SET df = fuentes.term_stats.df + EXCLUDED.df""")


def _insert_documents(db, batches: Sequence[DocumentBatch]) -> None:
    """Every row of the batches by COPY, one per table: a write costs a few round trips, not one a row."""
    n = sum(len(b.chunks) for b in batches)
    # Chunk ids are drawn first so chunks and their postings go in together.
    ids = iter([row[0] for row in db.execute(
        "SELECT nextval('fuentes.chunks_id_seq') FROM generate_series(1, %s)", (n,))] if n else [])
    chunk_rows, posting_rows, sentence_rows, quote_rows, people_rows = [], [], [], [], []
    for batch in batches:
        doc = batch.document
        sentence_vectors = batch.sentences or None
        quote_vectors = batch.quote_vectors
        for position, (chunk, vector) in enumerate(zip(batch.chunks, batch.vectors)):
            chunk_id = next(ids)
            stems, cognates = chunk.terms.split(), chunk.cognates.split()
            chunk_rows.append((chunk_id, doc.id, chunk.start, chunk.end, chunk.text, _vector_text(vector),
                               len(stems), len(cognates)))
            for field, tokens in ((_FIELDS["stems"], stems), (_FIELDS["cognates"], cognates)):
                posting_rows += [(field, term, chunk_id, tf, len(tokens)) for term, tf in Counter(tokens).items()]
            if sentence_vectors is not None:
                spans, vectors = sentence_vectors[position]
                sentence_rows += [(chunk_id, j, s, e, _vector_text(v)) for j, ((s, e), v) in enumerate(zip(spans, vectors))]
        quote_rows += [(q.id, doc.id, q.speaker, q.start, q.end, q.text, q.direct, q.cue, q.speaker_kind,
                        None if quote_vectors is None else _vector_text(quote_vectors[i]))
                       for i, q in enumerate(batch.quotes)]
        people_rows += [(doc.id, p.name, json.dumps(list(p.aliases), ensure_ascii=False),
                         json.dumps(list(p.roles), ensure_ascii=False), p.kind, p.n_quotes) for p in batch.people]
    document_rows = [(d.id, d.title, d.text, d.url, d.published, d.source_path, json.dumps(dict(d.meta), ensure_ascii=False),
                      d.content_hash, b.language, time.time()) for b in batches for d in (b.document,)]
    tables = [
        ("documents(id, title, text, url, published, source_path, meta, content_hash, language, added_at)", document_rows),
        ('chunks(id, doc_id, start, "end", text, embedding, stems_length, cognates_length)', chunk_rows),
        ("postings(field, term, chunk_id, tf, length)", posting_rows),
        ('sentences(chunk_id, position, start, "end", embedding)', sentence_rows),
        ('quotes(id, doc_id, speaker, start, "end", text, direct, cue, speaker_kind, embedding)', quote_rows),
        ("article_people(doc_id, name, aliases, roles, kind, n_quotes)", people_rows),
    ]
    with db.cursor() as cursor:
        for table, rows in tables:
            if rows:
                with cursor.copy(f"COPY fuentes.{table} FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)


def _vector_text(vector) -> str:
    """pgvector's text form; float32 values written with repr round-trip exactly."""
    return "[" + ",".join(repr(float(x)) for x in np.asarray(vector, dtype=np.float32)) + "]"
