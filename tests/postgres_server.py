"""A throw-away PostgreSQL server for the tests that must run against a real one.

SQLite forgives what PostgreSQL refuses (types, transactions, identifier lengths), so the
gradebook code is also tested against a private server the tests start themselves: a fresh
cluster in a temporary directory, on a free 127.0.0.1 port, with ``trust`` authentication
and ``fsync=off`` (its data is discarded anyway).  It never touches a system cluster.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

SUPERUSER = "postgres"          # the cluster's superuser, whoever owns its files
# a bare postgresql:// URL, as an instructor writes it (SQLAlchemy 2.1 uses psycopg 3 for it)
DRIVER = "postgresql"
UNPRIVILEGED_USERS = ("postgres", "nobody")
TIMEOUT = 60                    # seconds for any one initdb / pg_ctl call


class PostgresUnavailable(RuntimeError):
    """PostgreSQL cannot be used here at all (binaries or driver missing): a reason to skip,
    unlike a server that exists but fails, which is an error."""


def find_binaries() -> tuple[Path, Path]:
    """``initdb`` and ``pg_ctl`` of one installation: Debian keeps them off PATH, under
    /usr/lib/postgresql/<version>/bin, the newest version first; PATH is the fallback."""
    def version(directory: str) -> int:
        match = re.search(r"/postgresql/(\d+)/bin$", directory)
        return int(match.group(1)) if match else -1

    for directory in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True):
        initdb, pg_ctl = Path(directory, "initdb"), Path(directory, "pg_ctl")
        if os.access(initdb, os.X_OK) and os.access(pg_ctl, os.X_OK):
            return initdb, pg_ctl
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return Path(initdb), Path(pg_ctl)
    raise PostgresUnavailable("PostgreSQL's initdb and pg_ctl were found neither under "
                              "/usr/lib/postgresql/*/bin nor on PATH (Debian: apt-get install postgresql)")


def require_driver() -> None:
    try:
        import psycopg  # noqa: F401
    except ImportError as error:
        raise PostgresUnavailable(f"the psycopg driver cannot be imported ({error}); "
                                  "pip install 'psycopg[binary]'") from error


def server_account() -> pwd.struct_passwd | None:
    """The account to run the server as: None (the current user) unless we are root, which
    initdb and postgres refuse to run as."""
    if os.geteuid() != 0:
        return None
    for name in UNPRIVILEGED_USERS:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError(f"running as root, and none of the users {UNPRIVILEGED_USERS} exists "
                       "to run PostgreSQL as")


def free_port() -> int:
    """A port free now; another process could take it before the server binds it, which
    then fails loudly at start rather than connecting to a stranger."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(args: list, account: pwd.struct_passwd | None, cwd: Path) -> None:
    """Run a PostgreSQL tool as ``account``; its output goes into the error if it fails.
    ``cwd`` is the server's own directory, as root's working directory may be unreadable to it."""
    as_user = {} if account is None else {"user": account.pw_uid, "group": account.pw_gid,
                                          "extra_groups": []}
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                            timeout=TIMEOUT, **as_user)
    if result.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed ({result.returncode}):\n"
                           f"{result.stdout}\n{result.stderr}")


def new_database(url: str) -> str:
    """Create an empty database on the server of ``url``; return its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    server = make_url(url)
    name = f"test_{uuid.uuid4().hex[:12]}"
    # CREATE DATABASE cannot run inside a transaction; NullPool leaves no idle connection behind
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT",
                          poolclass=NullPool)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a private PostgreSQL server; yield the URL of a fresh database on it.

    The server is stopped (``immediate``: its data is thrown away) and its directory
    removed on exit, also when starting it failed half-way.  Raises PostgresUnavailable
    when the binaries or the driver are missing, RuntimeError when the server fails.
    """
    initdb, pg_ctl = find_binaries()
    require_driver()
    account = server_account()
    root = Path(tempfile.mkdtemp(prefix="mlmath-postgres-"))
    data, log = root / "data", root / "server.log"
    try:
        if account is not None:
            os.chown(root, account.pw_uid, account.pw_gid)
        _run([initdb, "--pgdata", data, "--auth=trust", "--username", SUPERUSER,
              "--encoding=UTF8", "--locale=C", "--no-sync"], account, root)
        port = free_port()
        # the Unix socket goes in our directory: the default /var/run/postgresql may not exist
        options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c fsync=off "
                   f"-c unix_socket_directories={shlex.quote(str(root))}")
        try:
            _run([pg_ctl, "--pgdata", data, "--log", log, "--wait", "--timeout", str(TIMEOUT),
                  "-o", options, "start"], account, root)
        except RuntimeError as error:
            server_log = log.read_text(errors="replace") if log.exists() else "(no log)"
            raise RuntimeError(f"{error}\nserver log:\n{server_log}") from None
        yield new_database(f"{DRIVER}://{SUPERUSER}@127.0.0.1:{port}/postgres")
    finally:
        try:
            if (data / "postmaster.pid").exists():     # a server runs, even if pg_ctl failed
                _run([pg_ctl, "--pgdata", data, "--mode", "immediate", "--wait", "stop"],
                     account, root)
        finally:
            shutil.rmtree(root, ignore_errors=True)
