"""The local store: opening safely, migrations, search, the 360, the audit log."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime

import pytest

from agent_tui.domain.masking import Tier
from agent_tui.domain.query import QueryKind, parse_query
from agent_tui.store import Store, StoreError, StoreMissing, audit
from agent_tui.store.customers import CustomerRepository
from agent_tui.store.schema import APPLICATION_ID, LATEST_VERSION
from tests.conftest import FROZEN_NOW


def _repository(path) -> CustomerRepository:
    return CustomerRepository(Store.open(path).connection())


def _any_customer(path) -> tuple:
    connection = sqlite3.connect(path)
    row = connection.execute(
        "SELECT c.id, c.name, c.mobile, c.id_number, a.number FROM customers c "
        "JOIN accounts a ON a.customer_id = c.id ORDER BY c.id LIMIT 1 OFFSET 17"
    ).fetchone()
    connection.close()
    return row


# -- opening -------------------------------------------------------------------------------------


def test_missing_store_is_reported_not_created(tmp_path):
    path = tmp_path / "nowhere" / "store.db"
    with pytest.raises(StoreMissing) as raised:
        Store.open(path)
    assert raised.value.key == "store.missing"
    assert not path.exists()


def test_a_text_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "store.db"
    path.write_text("this is my shopping list\n")
    with pytest.raises(StoreError) as raised:
        Store.open(path)
    assert raised.value.key == "store.not_sqlite"
    assert str(path) in str(raised.value)
    assert path.read_text() == "this is my shopping list\n"


def test_another_applications_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as raised:
        Store.open(path)
    assert raised.value.key == "store.foreign"
    assert path.read_bytes() == before


def test_a_damaged_store_is_refused_and_not_overwritten(writable_store):
    data = bytearray(writable_store.read_bytes())
    # Keep the header, wreck the schema page and the pages after it.
    data[100:60_000] = b"\xff" * (60_000 - 100)
    writable_store.write_bytes(bytes(data))
    with pytest.raises(StoreError) as raised:
        Store.open(writable_store)
    assert raised.value.key in {"store.corrupt", "store.corrupt_detail"}
    assert writable_store.read_bytes() == bytes(data)


def test_a_store_from_a_newer_schema_is_refused_with_its_version(writable_store):
    connection = sqlite3.connect(writable_store)
    connection.execute(f"PRAGMA user_version = {LATEST_VERSION + 5}")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError) as raised:
        Store.open(writable_store)
    assert raised.value.key == "store.too_new"
    assert raised.value.values["found"] == LATEST_VERSION + 5


def test_a_new_store_is_created_migrated_and_marked_as_ours(tmp_path):
    path = tmp_path / "new.db"
    store = Store.open(path, create=True)
    connection = store.connection()
    assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert connection.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_migrations_are_idempotent(tmp_path):
    path = tmp_path / "new.db"
    Store.open(path, create=True)
    tables_before = sqlite3.connect(path).execute("SELECT sql FROM sqlite_master").fetchall()
    Store.open(path)
    Store.open(path)
    assert sqlite3.connect(path).execute("SELECT sql FROM sqlite_master").fetchall() == (
        tables_before
    )


def test_each_thread_gets_its_own_connection(small_store):
    store = Store.open(small_store)
    connections: dict[str, object] = {"main": store.connection()}

    def worker() -> None:
        connections["worker"] = store.connection()
        # A connection opened on the main thread would raise ProgrammingError here.
        store.connection().execute("SELECT count(*) FROM customers").fetchone()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert connections["worker"] is not connections["main"]
    assert store.connection() is connections["main"]


# -- search --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make_query", "kind"),
    [
        (lambda row: row[2], QueryKind.MOBILE),
        (lambda row: f"{row[2][:3]} {row[2][3:7]} {row[2][7:]}", QueryKind.MOBILE),
        (lambda row: row[3], QueryKind.RESIDENT_ID),
        (lambda row: row[3][-6:], QueryKind.ID_LAST6),
        (lambda row: row[4], QueryKind.CARD_OR_ACCOUNT),
        (lambda row: f"{row[1]} {row[4][-4:]}", QueryKind.LAST4_AND_NAME),
        (lambda row: f"{row[4][-4:]}{row[1][:1]}", QueryKind.LAST4_AND_NAME),
        (lambda row: row[1], QueryKind.NAME),
    ],
    ids=["mobile", "mobile-spaced", "id", "id-last6", "card", "name+last4", "last4+surname",
         "name"],
)
def test_every_kind_of_lookup_finds_the_customer(small_store, make_query, kind):
    row = _any_customer(small_store)
    query = parse_query(make_query(row))
    assert query.kind is kind
    hits = _repository(small_store).search(query)
    assert row[0] in [hit.customer_id for hit in hits]


def test_pinyin_and_initials_find_the_customer(small_store):
    connection = sqlite3.connect(small_store)
    customer_id, pinyin, initials = connection.execute(
        "SELECT id, name_pinyin, name_initials FROM customers ORDER BY id LIMIT 1 OFFSET 5"
    ).fetchone()
    repository = _repository(small_store)
    assert customer_id in [hit.customer_id for hit in repository.search(parse_query(pinyin))]
    initials_hits = repository.search(parse_query(initials), limit=2000)
    assert customer_id in [hit.customer_id for hit in initials_hits]


def test_name_prefix_results_are_bounded_and_all_match(small_store):
    hits = _repository(small_store).search(parse_query("王"), limit=51)
    assert 0 < len(hits) <= 51
    assert all(hit.name.startswith("王") for hit in hits)


def test_unknown_values_find_nothing(small_store):
    repository = _repository(small_store)
    for text in ("13000000000", "110105190001010000", "6200000000000000", "欧阳不存在"):
        assert repository.search(parse_query(text)) == []


# -- the 360 -------------------------------------------------------------------------------------


def test_heavy_customer_360_pages_transactions(small_store):
    store = Store.open(small_store)
    heavy = store.meta()["heavy_customers"]
    customer_id = heavy.split('"')[1]
    repository = CustomerRepository(store.connection())
    view = repository.customer_360(customer_id, FROZEN_NOW)
    assert view is not None
    assert view.transactions.total >= 10_000
    assert len(view.transactions.rows) == 50
    timestamps = [row.at for row in view.transactions.rows]
    assert timestamps == sorted(timestamps, reverse=True)
    second = repository.transactions(customer_id, offset=50)
    assert not {row.id for row in second.rows} & {row.id for row in view.transactions.rows}
    assert second.has_previous and second.has_next


def test_planted_risk_patterns_are_all_found_and_only_them(small_store):
    """The generator plants a known number of each pattern; the 360's detector finds exactly those."""
    store = Store.open(small_store)
    meta = store.meta()
    repository = CustomerRepository(store.connection())
    found = {"frequent_large_transfers": 0, "repeated_password_changes": 0}
    customer_ids = [row[0] for row in store.connection().execute("SELECT id FROM customers").fetchall()]
    for customer_id in customer_ids:
        view = repository.customer_360(customer_id, FROZEN_NOW)
        kinds = {signal.kind.value for signal in view.signals}
        for kind in kinds:
            found[kind] += 1
    assert found["frequent_large_transfers"] == int(meta["planted.frequent_large_transfers"])
    assert found["repeated_password_changes"] == int(meta["planted.repeated_password_changes"])
    assert found["frequent_large_transfers"] > 0 and found["repeated_password_changes"] > 0


def test_a_missing_customer_has_no_360(small_store):
    assert _repository(small_store).customer_360("C-nobody", FROZEN_NOW) is None


# -- audit log -----------------------------------------------------------------------------------


def test_reveal_writes_an_audit_row_and_grants_the_tier(writable_store):
    store = Store.open(writable_store)
    connection = store.connection()
    customer_id = _any_customer(writable_store)[0]
    at = datetime(2026, 11, 23, 10, 5)
    disclosure = audit.reveal(
        connection, agent_id="A1024", customer_id=customer_id, tier=Tier.BASIC, at=at,
        reason="identity verified", call_id="call-1",
    )
    assert disclosure.tier is Tier.BASIC
    [entry] = audit.entries(connection, customer_id)
    assert entry.action == audit.REVEAL
    assert entry.agent_id == "A1024"
    assert entry.at.startswith("2026-11-23T10:05")
    assert entry.detail == {"tier": "basic", "reason": "identity verified", "call_id": "call-1",
                            "source": "store"}


def test_a_masked_reveal_writes_nothing(writable_store):
    connection = Store.open(writable_store).connection()
    audit.reveal(connection, agent_id="A1", customer_id="C1", tier=Tier.MASKED,
                 at=FROZEN_NOW, reason="-")
    assert audit.entries(connection) == []


def test_the_audit_log_is_append_only(writable_store):
    connection = Store.open(writable_store).connection()
    audit.append(connection, agent_id="A1", action="x", at=FROZEN_NOW)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute("UPDATE audit_log SET agent_id = 'A2'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute("DELETE FROM audit_log")
    assert [entry.agent_id for entry in audit.entries(connection)] == ["A1"]


def test_any_search_string_gives_results_or_none_never_an_exception(small_store):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    repository = _repository(small_store)
    digits_and_names = st.text(alphabet="0123456789 Xx张王李欧阳zw-+%_'\"", max_size=24)

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.one_of(st.text(max_size=80), digits_and_names))
    def search_anything(text: str) -> None:
        hits = repository.search(parse_query(text), limit=51)
        assert len(hits) <= 51

    search_anything()


def test_a_version_1_store_is_migrated_on_open(tmp_path):
    """A store written before migration 2 gets its index on open, keeping its data."""
    from agent_tui.store.schema import MIGRATIONS

    path = tmp_path / "v1.db"
    connection = sqlite3.connect(path, isolation_level=None)
    for statement in (*MIGRATIONS[0].tables, *MIGRATIONS[0].indexes):
        connection.execute(statement)
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute("PRAGMA user_version = 1")
    connection.execute("INSERT INTO meta VALUES ('kept', 'yes')")
    connection.close()
    store = Store.open(path)
    indexes = {row[0] for row in store.connection().execute(
        "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "accounts_last4_customer" in indexes and "accounts_last4" not in indexes
    assert store.connection().execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert store.meta() == {"kept": "yes"}


def test_a_locked_or_read_only_store_is_unusable_not_damaged(writable_store):
    import os

    if os.geteuid() == 0:
        # root ignores file modes; lock the store from another connection instead.
        blocker = sqlite3.connect(writable_store, isolation_level=None)
        blocker.execute("PRAGMA locking_mode = EXCLUSIVE")
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            import agent_tui.store.database as database

            original, database.BUSY_TIMEOUT_MS = database.BUSY_TIMEOUT_MS, 50
            try:
                with pytest.raises(StoreError) as raised:
                    Store.open(writable_store)
            finally:
                database.BUSY_TIMEOUT_MS = original
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
    else:
        writable_store.parent.chmod(0o500)
        try:
            with pytest.raises(StoreError) as raised:
                Store.open(writable_store)
        finally:
            writable_store.parent.chmod(0o700)
    assert raised.value.key == "store.unusable"
    assert "locked" in raised.value.values["reason"] or "readonly" in str(raised.value.values)
