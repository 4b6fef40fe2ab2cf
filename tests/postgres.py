"""A throwaway PostgreSQL server for the tests, and a database URL fixture on SQLite and on it.

`postgres_server` (session-scoped) runs Debian's `initdb` into a temporary folder and starts
`postgres` on a free 127.0.0.1 port, its unix socket in that folder too, the first time a test
asks for it; it is stopped and the folder removed when the session ends. PostgreSQL refuses to
run as root, so as root the folder belongs to the `postgres` system user (made by the Debian
package) and `initdb` and `pg_ctl` run as that user through `runuser`.

`stub_database_url` gives each test a fresh database, once on a SQLite file and once on that
server (a database made for the test and dropped after it).

A conftest imports the fixtures it wants: `from tests.postgres import postgres_server, ...`.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.rows import TupleRow

SERVER_USER = "postgres"  # the system user Debian's package makes; also the superuser's name
NOT_INSTALLED = (
    "PostgreSQL is not installed, and tests of the stub on PostgreSQL need its server "
    "(initdb, pg_ctl, postgres). Run `make test`, which installs Debian's `postgresql` when "
    "missing, or install it once with `apt-get install postgresql`."
)
START_TIMEOUT = 60  # seconds for the server to accept connections
# A test server: nothing has to survive a crash, so nothing waits for the disk; connections
# for a few stubs at once plus a 50-way race.
SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "32MB",
    "timezone": "UTC",
}


@dataclass
class PostgresServer:
    """A running server: where it listens and how to log in as its superuser."""

    port: int
    password: str
    host: str = "127.0.0.1"
    user: str = SERVER_USER

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of `database` on this server (psycopg 3)."""
        return (
            f"postgresql+psycopg://{self.user}:{self.password}@{self.host}:{self.port}/{database}"
        )

    def admin(self) -> psycopg.Connection[TupleRow]:
        """A connection to the `postgres` database, outside transactions (for CREATE DATABASE)."""
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname="postgres",
            autocommit=True,
            connect_timeout=10,
        )

    def create_database(self, prefix: str = "koeln_test") -> str:
        """A new empty database with a unique name; returns the name."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with self.admin() as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name

    def drop_database(self, name: str) -> None:
        """Drop `name`, ending any connection still open to it (e.g. an engine not disposed)."""
        with self.admin() as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def postgres_bindir() -> Path | None:
    """The folder of the server's programs: `pg_config --bindir`, else the newest Debian one."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=10
            ).stdout.strip()
            if out:
                candidates.append(Path(out))
    # Debian: /usr/lib/postgresql/<major>/bin (pg_config may come from another major's libpq-dev)
    debian = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(
        (Path(p) for p in debian), key=lambda p: _major(p.parent.name), reverse=True
    )
    for folder in candidates:
        if all((folder / program).is_file() for program in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _major(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class _Runner:
    """Runs the server's programs as the user that owns its folder (`postgres` when root)."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.as_root = os.geteuid() == 0
        if self.as_root:
            try:
                self.owner = pwd.getpwnam(SERVER_USER)
            except KeyError:
                pytest.fail(
                    f"PostgreSQL refuses to run as root and there is no `{SERVER_USER}` user to "
                    "run it as (Debian's `postgresql` package makes it). " + NOT_INSTALLED,
                    pytrace=False,
                )
            if shutil.which("runuser") is None:
                pytest.fail("running PostgreSQL as root needs `runuser` (util-linux)")

    def own(self, path: Path) -> None:
        """Give `path` to the server's user."""
        if self.as_root:
            os.chown(path, self.owner.pw_uid, self.owner.pw_gid)

    def run(self, program: str, *args: str, timeout: float = START_TIMEOUT) -> None:
        command = [str(self.bindir / program), *args]
        if self.as_root:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
                cwd="/",  # the server's user may not be allowed into the current folder
            )
        except subprocess.TimeoutExpired as error:
            raise RuntimeError(f"{program} did not finish in {timeout} s") from error
        if done.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
            )


def _wait_until_ready(server: PostgresServer, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with server.admin() as connection:
                connection.execute("SELECT 1")
            return
        except psycopg.OperationalError as error:
            if time.monotonic() > deadline:
                text = log.read_text(errors="replace") if log.exists() else ""
                message = f"PostgreSQL did not accept connections: {error}\n{text}"
                raise RuntimeError(message) from error
            time.sleep(0.1)


@contextlib.contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """Start a PostgreSQL server in a temporary folder; stop it and remove the folder after."""
    bindir = postgres_bindir()
    if bindir is None:
        pytest.fail(NOT_INSTALLED, pytrace=False)
    runner = _Runner(bindir)
    # In the system temp folder, not pytest's: that one is root's alone, and the server's
    # user must be able to reach its own folder.
    root = Path(tempfile.mkdtemp(prefix="koeln-postgres-"))
    data, sockets, log = root / "data", root / "socket", root / "server.log"
    password = secrets.token_hex(16)
    try:
        sockets.mkdir(mode=0o700)
        (root / "password").write_text(password + "\n")
        for path in (root, sockets, root / "password"):
            runner.own(path)
        runner.run(
            "initdb",
            f"--pgdata={data}",
            f"--username={SERVER_USER}",
            f"--pwfile={root / 'password'}",
            "--auth-local=trust",  # the socket sits in the server's own 0700 folder
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            "--no-locale",  # byte order for ORDER BY on text, as in SQLite
            "--no-sync",
        )
        (root / "password").unlink()
        server = _start(runner, data, sockets, log, password)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    try:
        yield server
    finally:
        try:
            runner.run("pg_ctl", f"--pgdata={data}", "--mode=fast", "--wait", "stop")
        finally:
            shutil.rmtree(root, ignore_errors=True)


def _start(runner: _Runner, data: Path, sockets: Path, log: Path, password: str) -> PostgresServer:
    """`pg_ctl start` on a free port; another port if that one was taken meanwhile."""
    attempts = 3
    for attempt in range(1, attempts + 1):
        server = PostgresServer(port=free_port(), password=password)
        settings = {**SERVER_SETTINGS, "port": str(server.port)}
        options = " ".join(f"-c {key}={value}" for key, value in settings.items())
        try:
            runner.run(
                "pg_ctl",
                f"--pgdata={data}",
                f"--log={log}",
                f"--options={options} -k {shlex.quote(str(sockets))}",
                "--wait",
                f"--timeout={START_TIMEOUT}",
                "start",
            )
        except RuntimeError:
            if attempt == attempts:
                raise
            continue
        try:
            _wait_until_ready(server, log)
        except BaseException:
            with contextlib.suppress(RuntimeError):
                runner.run("pg_ctl", f"--pgdata={data}", "--mode=immediate", "stop")
            raise
        return server
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole session, started when a test first asks for it."""
    with running_postgres() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def stub_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database for one test: a SQLite file, or a new database on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'stub.sqlite3'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)
