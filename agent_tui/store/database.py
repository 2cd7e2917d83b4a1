"""Opening the local store safely: one connection per thread, migrations on open, clear refusals.

A missing file, an empty one (a store lost in a failed copy or restore), a file that is not SQLite,
someone else's SQLite file, a damaged one (a schema version no agent-tui wrote), or one written by a
newer agent-tui each raise a ``StoreError`` that names the file and says what to do. Nothing is
created, migrated or overwritten in any of those cases. A full disk is named as such.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from agent_tui.disk import is_disk_full
from agent_tui.i18n import TranslatableError
from agent_tui.private_files import create_private, sqlite_companions, tighten
from agent_tui.store.schema import APPLICATION_ID, LATEST_VERSION, MIGRATIONS

BUSY_TIMEOUT_MS = 5000


class StoreError(TranslatableError):
    pass


class StoreMissing(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__("store.missing", path=str(path))
        self.path = path


# What the UI holds of SQLite, named here so that no screen imports sqlite3: the connection a
# repository is given, and the error any query may raise in the middle of a session.
Connection = sqlite3.Connection
QueryError = sqlite3.Error


def failure(path: Path, error: sqlite3.Error) -> StoreError:
    """What to tell the agent when the store at ``path`` failed in the middle of a session: a
    full disk by name and place (it is the one the agent or IT can fix at once), else what
    SQLite said."""
    if is_disk_full(error, path.parent):
        return StoreError("store.disk_full", path=str(path))
    return StoreError("store.query_failed", path=str(path), reason=str(error))


def _unusable(path: Path, error: sqlite3.Error | OSError) -> StoreError:
    if is_disk_full(error, path.parent):
        return StoreError("store.disk_full_open", path=str(path))
    return StoreError("store.unusable", path=str(path), reason=str(error))


def _apply_pragmas(connection: sqlite3.Connection) -> None:
    # WAL lets the UI read while a writer commits; FULL makes each commit survive power loss.
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")


def _check_identity(connection: sqlite3.Connection, path: Path) -> int:
    """Our application id and a schema we know; returns the schema version found."""
    try:
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        has_tables = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ).fetchone()[0]
    except sqlite3.OperationalError:
        raise  # locked, read-only, unreachable: not damage; Store.open says what it is
    except sqlite3.DatabaseError as error:
        # SQLite reads the header itself. The file is never opened outside SQLite: closing any
        # other descriptor of it would drop SQLite's POSIX locks for the whole process, and
        # another process closing last would then checkpoint and delete the WAL under our open
        # connections (their later reads stale, their writes lost).
        key = "store.not_sqlite" if "not a database" in str(error) else "store.corrupt"
        raise StoreError(key, path=str(path)) from None
    if application_id != APPLICATION_ID and (application_id != 0 or has_tables):
        raise StoreError("store.foreign", path=str(path))
    if version > LATEST_VERSION:
        raise StoreError("store.too_new", path=str(path), found=version, supported=LATEST_VERSION)
    # No agent-tui writes a negative version, and ours always records its first migration with
    # the mark: migrating either would run over tables that exist and fail half-way, changed.
    if version < 0 or (version == 0 and application_id == APPLICATION_ID):
        raise StoreError("store.bad_version", path=str(path), found=version)
    return version


def _journals(path: Path) -> list[Path]:
    """The store's journal files that hold something (a stat each; nothing is opened)."""
    found = []
    for suffix in ("-wal", "-journal"):
        journal = Path(f"{path}{suffix}")
        try:
            if journal.stat().st_size > 0:
                found.append(journal)
        except OSError:
            continue
    return found


def _remove_if_empty(*paths: Path) -> None:
    for path in paths:
        try:
            if path.stat().st_size == 0:
                path.unlink()
        except OSError:
            continue


def _refuse_empty(path: Path, create: bool) -> None:
    """An empty file where a store was expected is likely a store lost (a copy or a restore
    that did not finish, a full disk): SQLite would quietly make it a new, empty store, and
    delete a WAL beside it (which may hold every change since the last checkpoint)."""
    try:
        empty = path.stat().st_size == 0
    except OSError:
        return  # Store.open says what is wrong when SQLite tries it
    if not empty:
        return
    journals = _journals(path)
    if journals:
        raise StoreError("store.empty_with_journal", path=str(path), journal=str(journals[0]))
    if not create:
        raise StoreError("store.empty", path=str(path))


def migrate(connection: sqlite3.Connection) -> int:
    """Apply the migrations not yet applied, each in its own transaction; idempotent."""
    current = connection.execute("PRAGMA user_version").fetchone()[0]
    for migration in MIGRATIONS:
        if migration.version <= current:
            continue
        with connection:
            connection.execute("BEGIN IMMEDIATE")
            for statement in (*migration.tables, *migration.indexes):
                connection.execute(statement)
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {migration.version}")
        current = migration.version
    return current


# str(value, encoding=..., errors=...) at C speed: no Python frame per value read.
_readable_text = functools.partial(str, encoding="utf-8", errors="replace")


def _sqlite_connect(path: Path) -> sqlite3.Connection:
    # The wait for another process's lock is set here, so it holds from the first statement.
    connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    # Text that is not UTF-8 (an old file, another program's write) reads with U+FFFD where the
    # bad bytes were, and is shown marked as damaged: sqlite3's default raises for the whole
    # query, which emptied a queue and left a 360 loading for one bad row.
    connection.text_factory = _readable_text
    return connection


def connect(path: Path) -> sqlite3.Connection:
    connection = _sqlite_connect(path)
    _apply_pragmas(connection)
    return connection


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One atomic write: every statement inside commits together, or none does.

    The store's connections run in autocommit mode (``isolation_level=None``), where
    ``with connection:`` opens no transaction and each statement commits (and syncs) on its
    own. IMMEDIATE takes the write lock at once, so a concurrent writer waits on the busy
    timeout here rather than failing halfway through.
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


class Store:
    """The local store at ``path``. Each thread gets its own connection (sqlite's own rule)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        # One writer at a time in this process; other processes wait on SQLite's busy timeout.
        self.write_lock = threading.Lock()

    @classmethod
    def open(cls, path: Path, *, create: bool = False) -> Store:
        """Check and migrate the store at ``path``; ``create`` makes a new empty one if absent."""
        path = Path(path)
        created = not path.exists()
        if created:
            if not create:
                raise StoreMissing(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                create_private(path)  # 0600 from its first moment: customer data
            except OSError as error:
                raise _unusable(path, error) from None
        else:
            _refuse_empty(path, create)
        try:
            try:
                connection = _sqlite_connect(path)
            except sqlite3.OperationalError as error:
                raise _unusable(path, error) from None
            try:
                _check_identity(connection, path)
                # Ours: an older store made readable by others (before 0600) is tightened,
                # with its -wal and -shm. Another program's file is left as it is.
                try:
                    tighten(*sqlite_companions(path))
                except OSError as error:
                    raise _unusable(path, error) from None
                _apply_pragmas(connection)
                migrate(connection)
                connection.execute("SELECT count(*) FROM customers WHERE rowid < 0").fetchone()
            except sqlite3.OperationalError as error:
                # Locked by another program, a read-only file or folder, a full disk: the file
                # may be fine, so say what happened rather than call it damaged.
                raise _unusable(path, error) from None
            except sqlite3.DatabaseError as error:
                raise StoreError("store.corrupt_detail", path=str(path),
                                 reason=str(error)) from None
            finally:
                connection.close()
        except StoreError:
            if created:  # a store that could not be made leaves no empty file to puzzle over
                _remove_if_empty(path, Path(f"{path}-wal"), Path(f"{path}-shm"))
            raise
        return cls(path)

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use.

        Plain sqlite3: the store's queries are its own SQL, and sqlite-utils' wrapper cost 4.5 MB
        and 45 ms of every start for nothing the store used.
        """
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = connect(self.path)
            self._local.connection = connection
        return connection

    def close(self) -> None:
        """Close this thread's connection (other threads close theirs as they end)."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def integrity_ok(self) -> bool:
        return self.connection().execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def meta(self) -> dict[str, str]:
        return dict(self.connection().execute("SELECT key, value FROM meta").fetchall())
