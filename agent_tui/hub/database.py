"""Opening the hub's database (a SQLite file or PostgreSQL) and bringing its schema up to date.

The same tables on both, created by numbered migrations recorded in ``hub_meta``. On SQLite every
transaction begins IMMEDIATE (one writer, the others wait on the busy timeout), so a read inside a
write transaction sees what the write will be checked against. On PostgreSQL the migrations run
under an advisory lock: several hub processes may start at once on one database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError

from agent_tui.hub import call_facts
from agent_tui.hub.schema import callbacks, calls, cases, hub_meta, metadata
from agent_tui.i18n import TranslatableError
from agent_tui.private_files import create_private

SCHEMA_KEY = "schema_version"
_MIGRATION_LOCK = 0x48554221  # pg_advisory_xact_lock key: "HUB!"


class HubDatabaseError(TranslatableError):
    pass


def database_url(db: str | None, default_path: Path) -> str:
    """``--db`` as given: a PostgreSQL URL (psycopg 3 driver), a SQLite URL, or a file path."""
    if not db:
        return f"sqlite:///{default_path}"
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser()}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Transactions are ours (see the "begin" hook), not the driver's implicit ones.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "busy_timeout = 10000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _begin(connection: Connection) -> None:
    deferred = connection.get_execution_options().get("sqlite_deferred")
    connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


# connection.info key: how many statements that write this connection has run. A push compares
# it around a handler to know whether a refusal left anything behind (``mutations.footprint``).
WRITES = "agent_tui.hub.writes"


def _count_writes(connection, _cursor, statement: str, _parameters, _context, _many) -> None:
    if not statement.lstrip()[:6].upper().startswith("SELECT"):
        connection.info[WRITES] = connection.info.get(WRITES, 0) + 1


def reading(engine: Engine) -> Connection:
    """A connection for reads only: on SQLite its transactions do not take the write lock, so
    reads never queue behind (or in front of) writers. PostgreSQL is unaffected."""
    return engine.execution_options(sqlite_deferred=True).connect()


def open_engine(url: str, *, pool_size: int = 20) -> Engine:
    """An engine for ``url``; SQLite files get WAL, FULL sync and IMMEDIATE transactions."""
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            create_private(Path(path))  # 0600 from its first moment: customer data
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin)
        event.listen(engine, "before_cursor_execute", _count_writes)
        return engine
    # No pre-ping (a round trip on every checkout, a third of a pull's trips): a connection
    # that died with a restarted server fails its request with a 503, SQLAlchemy drops the
    # pool's connections as disconnected, and the workstation's next sync gets fresh ones.
    # The pool matches the request threads (anyio's 40), so no request waits for a connection.
    engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size)
    event.listen(engine, "before_cursor_execute", _count_writes)
    return engine


def is_postgres(engine_or_connection: Engine | Connection) -> bool:
    return engine_or_connection.dialect.name == "postgresql"


def _v1_tables(connection: Connection) -> None:
    metadata.create_all(connection, checkfirst=True)
    if is_postgres(connection):
        # SYNC.md: sequence values commit out of order, so the pull cursor is (txid, seq) and a
        # reader only reads rows of transactions older than every one still running.
        connection.execute(text(
            "ALTER TABLE change_log ADD COLUMN IF NOT EXISTS txid xid8 NOT NULL "
            "DEFAULT pg_current_xact_id()"))
        connection.execute(text(
            "CREATE INDEX IF NOT EXISTS hub_change_log_txid ON change_log (audience, txid, seq)"))


def _trust_tables(connection: Connection) -> None:
    """The hub as the authority: reads and releases audited, verifications, one-time codes,
    sealed copies (issue 13). create_all adds only the tables that are missing."""
    metadata.create_all(connection, checkfirst=True)


def _callback_attempts(connection: Connection) -> None:
    """A callback's calls that did not reach the customer (a table a schema-2 hub lacks)."""
    from agent_tui.hub.schema import callback_attempts

    callback_attempts.create(connection, checkfirst=True)  # v1 made it on a new database


def _v4_ownership(connection: Connection) -> None:
    """callbacks.team: a supervisor completes only the callbacks of their own team's agents;
    a callback scheduled before this is given its agent's team as of their newest token. And
    mutation ids of up to 64 characters (the API's ids) fit where they are stored: PostgreSQL
    enforces the 36 they had (SQLite never did)."""
    if "team" not in {column["name"] for column in inspect(connection).get_columns("callbacks")}:
        connection.execute(text(
            "ALTER TABLE callbacks ADD COLUMN team TEXT NOT NULL DEFAULT ''"))
    connection.execute(text(
        "UPDATE callbacks SET team = coalesce((SELECT tokens.team FROM tokens WHERE "
        "tokens.agent_id = callbacks.agent_id ORDER BY tokens.created_at DESC LIMIT 1), '') "
        "WHERE team = ''"))
    if is_postgres(connection):
        for table, column in (("mutation_results", "mutation_id"),
                              ("mutation_failures", "mutation_id"), ("operations", "id")):
            connection.execute(text(
                f"ALTER TABLE {table} ALTER COLUMN {column} TYPE VARCHAR(64)"))


def _v5_training(connection: Connection) -> None:
    """Training attempts (issue 15): a table of their own, apart from every real record."""
    from agent_tui.hub.training_schema import training_attempts

    training_attempts.create(connection, checkfirst=True)


_CALL_FACTS = {"team": "TEXT NOT NULL DEFAULT ''", "handle_seconds": "INTEGER",
               "csat": "INTEGER", "nps": "INTEGER", "fcr": "INTEGER",
               "forbidden_caught": "INTEGER NOT NULL DEFAULT 0",
               "overrides": "INTEGER NOT NULL DEFAULT 0", "lockout": "INTEGER NOT NULL DEFAULT 0"}


def _v6_call_facts(connection: Connection) -> None:
    """calls: what the KPIs read (hub/call_facts.py), worked out for the calls already held;
    their team is their agent's as of the newest token. And the teams as data (teams,
    team_members). Safe to run in any order and twice."""
    metadata.create_all(connection, checkfirst=True)
    present = {column["name"] for column in inspect(connection).get_columns("calls")}
    for name, kind in _CALL_FACTS.items():
        if name not in present:
            connection.execute(text(f"ALTER TABLE calls ADD COLUMN {name} {kind}"))
    for index in (*calls.indexes, *cases.indexes, *callbacks.indexes):
        index.create(connection, checkfirst=True)
    connection.execute(text(
        "UPDATE calls SET team = coalesce((SELECT tokens.team FROM tokens WHERE "
        "tokens.agent_id = calls.agent_id ORDER BY tokens.created_at DESC LIMIT 1), '') "
        "WHERE team = ''"))
    for (call_id,) in connection.execute(select(calls.c.id)).all():
        call_facts.keep(connection, call_id)


def _v8_qa_reviews(connection: Connection) -> None:
    """QA reviews of live calls with the training rubric (issue 17). Number 8 once the
    knowledge base's 7 is in; checks what it finds, so the order between branches is free."""
    from agent_tui.hub.qa_schema import qa_reviews

    qa_reviews.create(connection, checkfirst=True)
    for index in qa_reviews.indexes:
        index.create(connection, checkfirst=True)


def _v9_cti(connection: Connection) -> None:
    """Telephony call events (issue 18): what rang, for which agent; idempotent (checkfirst)."""
    from agent_tui.hub.cti_schema import cti_events

    cti_events.create(connection, checkfirst=True)
    for index in cti_events.indexes:
        index.create(connection, checkfirst=True)


def _v7_kb_feedback(connection: Connection) -> None:
    """What agents said of the knowledge base's articles (issue 18); v1 makes it on a new
    database. Number 7: kpi-board's _v6_call_facts goes before it when the branches merge."""
    from agent_tui.hub.schema import kb_feedback

    kb_feedback.create(connection, checkfirst=True)


def _v10_suitability(connection: Connection) -> None:
    """Product suitability (issue 18): customers' risk assessments and the audit of every
    recommendation or sale asked for. Number 10 once the other branches' 6, 8 and 9 are merged."""
    from agent_tui.hub.suitability_schema import risk_assessments, suitability_audit

    risk_assessments.create(connection, checkfirst=True)
    suitability_audit.create(connection, checkfirst=True)


def _v11_kb_articles(connection: Connection) -> None:
    """The knowledge base's articles on the hub (issue 18): every version, its status and who
    moved it when (``hub/kb_articles.py``). Idempotent (checkfirst), so the order is free."""
    from agent_tui.hub.kb_schema import kb_articles

    kb_articles.create(connection, checkfirst=True)
    for index in kb_articles.indexes:
        index.create(connection, checkfirst=True)


def _v12_kb_words(connection: Connection) -> None:
    """kb_articles: a published version's words, cut once on the hub (``domain.kb.cut_words``)
    and carried by the pull, so workstations do not load rjieba for the hub's articles. Adds
    the columns it does not find and cuts the published rows that have no words: twice, it
    changes nothing."""
    from agent_tui.domain.kb import WORD_FIELDS
    from agent_tui.hub.kb_schema import cut_published

    present = {column["name"] for column in inspect(connection).get_columns("kb_articles")}
    for name in WORD_FIELDS:
        if name not in present:
            connection.execute(text(f"ALTER TABLE kb_articles ADD COLUMN {name} TEXT"))
    cut_published(connection)


def _v13_assessment_answers(connection: Connection) -> None:
    """risk_assessments: the customer's answers of a reassessment (``answers_json``), kept as
    the evidence of its level. Adds the column where it is missing: twice, it changes nothing."""
    present = {column["name"] for column in inspect(connection).get_columns("risk_assessments")}
    if "answers_json" not in present:
        connection.execute(text("ALTER TABLE risk_assessments ADD COLUMN answers_json TEXT"))


# The branches of issues 17 and 18 were built at once, each numbering its migrations as they
# would stand once all were merged. Each migration checks what it finds (idempotent).
MIGRATIONS: tuple[Callable[[Connection], None], ...] = (
    _v1_tables, _trust_tables, _callback_attempts, _v4_ownership, _v5_training, _v6_call_facts,
    _v7_kb_feedback, _v8_qa_reviews, _v9_cti, _v10_suitability,
    _v11_kb_articles, _v12_kb_words, _v13_assessment_answers)
LATEST = len(MIGRATIONS)


def schema_version(connection: Connection) -> int:
    try:
        value = connection.execute(
            select(hub_meta.c.value).where(hub_meta.c.key == SCHEMA_KEY)).scalar()
    except SQLAlchemyError:
        return 0
    return int(value) if value else 0


def migrate(engine: Engine) -> int:
    """Apply what is missing, each migration in its own transaction; idempotent."""
    with engine.begin() as connection:
        if is_postgres(connection):
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": _MIGRATION_LOCK})
        if is_postgres(connection):
            exists = connection.execute(text("SELECT to_regclass('hub_meta')")).scalar()
        else:
            exists = connection.execute(text(
                "SELECT name FROM sqlite_master WHERE name = 'hub_meta'")).scalar()
        current = schema_version(connection) if exists else 0
        if current > LATEST:
            raise HubDatabaseError("hub.db_too_new", found=current, supported=LATEST)
        for number, step in enumerate(MIGRATIONS, start=1):
            if number <= current:
                continue
            step(connection)
            connection.execute(hub_meta.delete().where(hub_meta.c.key == SCHEMA_KEY))
            connection.execute(hub_meta.insert().values(key=SCHEMA_KEY, value=str(number)))
            current = number
    return current


def connect(url: str, *, pool_size: int = 20) -> Engine:
    """Open and migrate; a database that cannot be reached says so, translated."""
    engine = open_engine(url, pool_size=pool_size)
    try:
        migrate(engine)
    except HubDatabaseError:
        raise
    except SQLAlchemyError as error:
        raise HubDatabaseError("hub.db_unusable", url=_safe(url),
                               reason=str(error.orig or error).splitlines()[0]) from None
    return engine


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"
    return url
