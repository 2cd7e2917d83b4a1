"""Migration 4 (``_v4_ownership``) on a hub that has run before: callbacks get the team of their
agent's newest token, and mutation ids up to 64 characters fit where they are stored. SQLite
here; ``test_sync_postgres`` runs the same upgrade on PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, text

from agent_tui.hub.auth import create_token
from agent_tui.hub.database import (
    LATEST,
    MIGRATIONS,
    _v10_suitability,
    _v11_kb_articles,
    connect,
    is_postgres,
    reading,
    schema_version,
)
from agent_tui.hub.schema import callbacks, hub_meta, mutation_results


def upgrade_from_v3(url: str) -> None:
    """Make ``url`` a hub at schema 3 holding callbacks, migrate it, check what migration 4
    did."""
    engine = connect(url)
    with engine.begin() as connection:
        # Migration 6's indexes read callbacks.team: a schema-3 hub had neither.
        connection.execute(text("DROP INDEX hub_callbacks_team_due"))
        connection.execute(text("ALTER TABLE callbacks DROP COLUMN team"))
        if is_postgres(connection):
            connection.execute(text(
                "ALTER TABLE mutation_results ALTER COLUMN mutation_id TYPE VARCHAR(36)"))
        connection.execute(hub_meta.update().where(hub_meta.c.key == "schema_version").values(
            value="3"))
        for callback_id, agent_id in (("cb-1", "A1"), ("cb-2", "A-without-token")):
            connection.execute(text(
                "INSERT INTO callbacks (id, customer_id, agent_id, due_at, reason, status, "
                "created_at) VALUES (:id, 'C1', :agent, '2026-12-01T10:00:00', '', "
                "'scheduled', '2026-11-30T10:00:00')"), {"id": callback_id, "agent": agent_id})
    now = datetime.now()
    create_token(engine, "A1", "agent", "T0", now - timedelta(days=30), None)
    create_token(engine, "A1", "agent", "T5", now, None)  # moved team: the newest counts
    engine.dispose()

    engine = connect(url)
    try:
        with reading(engine) as connection:
            assert schema_version(connection) == LATEST
            teams = dict(connection.execute(select(callbacks.c.id, callbacks.c.team)).all())
        assert teams == {"cb-1": "T5", "cb-2": ""}  # no token: no supervisor completes it
        with engine.begin() as connection:
            connection.execute(mutation_results.insert().values(
                device_id="D1", mutation_id="m" * 64, seq=1, name="audit.append",
                payload_hash="h", status="applied", received_at="2026-11-30T10:00:00"))
    finally:
        engine.dispose()


def test_migration_4_on_sqlite(tmp_path):
    upgrade_from_v3(f"sqlite:///{tmp_path / 'hub.db'}")


def test_migration_5_adds_the_training_table_apart(tmp_path):
    """A hub at schema 4 (no training table) gets one, and nothing else changes."""
    from sqlalchemy import inspect

    url = f"sqlite:///{tmp_path / 'hub.db'}"
    engine = connect(url)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE training_attempts"))
        connection.execute(hub_meta.update().where(hub_meta.c.key == "schema_version").values(
            value="4"))
    engine.dispose()
    engine = connect(url)
    try:
        with reading(engine) as connection:
            assert schema_version(connection) == LATEST
            assert "training_attempts" in inspect(connection).get_table_names()
    finally:
        engine.dispose()


def test_migration_9_adds_the_call_events_table_and_runs_twice(tmp_path):
    """A hub without the telephony table gets it; run again, it changes nothing (the lead
    re-orders migrations on merge: each is idempotent)."""
    from sqlalchemy import inspect

    from agent_tui.hub.database import MIGRATIONS

    url = f"sqlite:///{tmp_path / 'hub.db'}"
    engine = connect(url)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE cti_events"))
        connection.execute(hub_meta.update().where(hub_meta.c.key == "schema_version").values(
            value=str(LATEST - 1)))
    engine.dispose()
    engine = connect(url)
    try:
        with engine.begin() as connection:
            cti = next(step for step in MIGRATIONS if step.__name__ == "_v9_cti")
            cti(connection)  # once more, on the table it made
        with reading(engine) as connection:
            assert schema_version(connection) == LATEST
            inspector = inspect(connection)
            assert "cti_events" in inspector.get_table_names()
            assert "hub_cti_events_agent" in {index["name"] for index in
                                              inspector.get_indexes("cti_events")}
    finally:
        engine.dispose()


def test_migration_7_adds_the_kb_feedback_table_and_can_run_twice(tmp_path):
    """A hub at schema 5 (training, no kb_feedback) gets it; at 6 with the table already there
    (the lead re-orders the branches' migrations on merge) the migration leaves it as it is."""
    from sqlalchemy import inspect

    url = f"sqlite:///{tmp_path / 'hub.db'}"
    for version, drop in (("5", True), ("6", False)):
        engine = connect(url)
        with engine.begin() as connection:
            if drop:
                connection.execute(text("DROP TABLE kb_feedback"))
            connection.execute(hub_meta.update().where(
                hub_meta.c.key == "schema_version").values(value=version))
        engine.dispose()
        engine = connect(url)
        try:
            with reading(engine) as connection:
                assert schema_version(connection) == LATEST
                assert "kb_feedback" in inspect(connection).get_table_names()
        finally:
            engine.dispose()


def test_migration_10_adds_the_suitability_tables_and_can_run_twice(tmp_path):
    """A hub before suitability gets its two tables; run again over them, it leaves them."""
    from sqlalchemy import inspect

    url = f"sqlite:///{tmp_path / 'hub.db'}"
    for drop in (True, False):
        engine = _hub_before(url, _v10_suitability, *(
            ("DROP TABLE risk_assessments", "DROP TABLE suitability_audit") if drop else ()))
        try:
            with reading(engine) as connection:
                assert schema_version(connection) == LATEST
                names = inspect(connection).get_table_names()
                assert {"risk_assessments", "suitability_audit"} <= set(names)
        finally:
            engine.dispose()


def test_migration_11_adds_the_kb_articles_and_can_run_twice(tmp_path):
    """A hub before the knowledge base's workflow gets ``kb_articles`` (with its index); run
    again over it, the migration leaves it and its rows."""
    from sqlalchemy import inspect

    url = f"sqlite:///{tmp_path / 'hub.db'}"
    for drop in (True, False):
        engine = connect(url)
        with engine.begin() as connection:
            if drop:
                connection.execute(text("DROP TABLE kb_articles"))
            else:
                connection.execute(text(
                    "INSERT INTO kb_articles (id, lang, version, status, title, category, "
                    "author) VALUES ('kept', 'en', 1, 'draft', 't', 'fee', 'R1')"))
            connection.execute(hub_meta.update().where(
                hub_meta.c.key == "schema_version").values(
                value=str(MIGRATIONS.index(_v11_kb_articles))))
        engine.dispose()
        engine = connect(url)
        try:
            with reading(engine) as connection:
                assert schema_version(connection) == LATEST
                assert "kb_articles" in inspect(connection).get_table_names()
                assert "hub_kb_articles_status" in {
                    index["name"] for index in inspect(connection).get_indexes("kb_articles")}
                if not drop:
                    assert connection.execute(text(
                        "SELECT id FROM kb_articles")).scalars().all() == ["kept"]
        finally:
            engine.dispose()


def test_migration_12_cuts_the_published_articles_words_once(tmp_path):
    upgrade_to_kb_words(f"sqlite:///{tmp_path / 'hub.db'}")


def upgrade_to_kb_words(url: str) -> None:
    """A hub at schema 11 (kb_articles without words) gets the three columns, and its
    published rows their words as the store would cut them; a draft gets none. Run again over
    them, migration 12 changes nothing (and cuts nothing: the words are there)."""
    from sqlalchemy import inspect

    from agent_tui.domain.kb import WORD_FIELDS, cut_words, searched_texts
    from agent_tui.hub.database import _v12_kb_words

    engine = connect(url)
    with engine.begin() as connection:
        for name in WORD_FIELDS:
            connection.execute(text(f"ALTER TABLE kb_articles DROP COLUMN {name}"))
        for article_id, status in (("lost-card", "published"), ("draft-one", "draft")):
            connection.execute(text(
                "INSERT INTO kb_articles (id, lang, version, status, title, category, keywords, "
                "body, author) VALUES (:id, 'zh-CN', 1, :status, '银行卡挂失', 'card', "
                "'[\"挂失\"]', '**电话挂失**后到网点补卡。', 'R1')"),
                {"id": article_id, "status": status})
        connection.execute(hub_meta.update().where(hub_meta.c.key == "schema_version").values(
            value=str(MIGRATIONS.index(_v12_kb_words))))
    engine.dispose()
    engine = connect(url)
    expected = cut_words(searched_texts("银行卡挂失", ["挂失"], "**电话挂失**后到网点补卡。"))
    words = f"SELECT id, {', '.join(WORD_FIELDS)} FROM kb_articles ORDER BY id"
    try:
        with reading(engine) as connection:
            assert schema_version(connection) == LATEST
            assert set(WORD_FIELDS) <= {column["name"] for column in
                                        inspect(connection).get_columns("kb_articles")}
            assert connection.execute(text(words)).all() == [
                ("draft-one", None, None, None), ("lost-card", *expected)]
        with engine.begin() as connection:
            connection.execute(text("UPDATE kb_articles SET title_words = 'kept' "
                                    "WHERE id = 'lost-card'"))
            _v12_kb_words(connection)  # once more: the columns are there, the words too
        with reading(engine) as connection:
            assert connection.execute(text(words)).all()[1][1] == "kept"
    finally:
        engine.dispose()


def test_migration_13_keeps_a_reassessments_answers_and_can_run_twice(tmp_path):
    """A hub at schema 12 (risk_assessments without answers) gets the column, its rows kept
    as they were (null: made before, or seeded); run again, nothing changes."""
    from sqlalchemy import inspect

    from agent_tui.hub.database import _v13_assessment_answers

    engine = _hub_before(
        f"sqlite:///{tmp_path / 'hub.db'}", _v13_assessment_answers,
        "ALTER TABLE risk_assessments DROP COLUMN answers_json",
        "INSERT INTO risk_assessments (id, customer_id, level, assessed_at, answers_version) "
        "VALUES ('R1', 'C1', 'C3', '2026-11-02T10:00:00+08:00', 'Q2026-01')")
    try:
        with reading(engine) as connection:
            assert schema_version(connection) == LATEST
            assert "answers_json" in {column["name"] for column in
                                      inspect(connection).get_columns("risk_assessments")}
            assert connection.execute(text(
                "SELECT id, level, answers_json FROM risk_assessments")).all() == [
                ("R1", "C3", None)]
        with engine.begin() as connection:
            _v13_assessment_answers(connection)  # once more: the column is there
        with reading(engine) as connection:
            assert len(inspect(connection).get_columns("risk_assessments")) == 6
    finally:
        engine.dispose()


def _hub_before(url: str, migration, *setup: str):
    """A hub as it stood before ``migration``: ``setup`` run on it and its schema version set
    back; the engine returned has connected again, which migrates it."""
    engine = connect(url)
    with engine.begin() as connection:
        for statement in setup:
            connection.execute(text(statement))
        connection.execute(hub_meta.update().where(hub_meta.c.key == "schema_version").values(
            value=str(MIGRATIONS.index(migration))))
    engine.dispose()
    return connect(url)
