"""Files holding customer data are their owner's alone (mode 0600): the workstation's store and
its -wal and -shm, a seeded demo store, the hub's SQLite database, the demo SMS outbox. Created so
from their first moment (under a permissive umask too), and tightened when found looser."""

from __future__ import annotations

import os
import stat
from datetime import datetime

import pytest

from agent_tui.hub.database import connect
from agent_tui.private_files import sqlite_companions
from agent_tui.store import Store
from agent_tui.store.sms_outbox import send_code
from data.generator import SeedPlan
from data.seed import seed_store
from tests.conftest import AS_OF


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def permissive_umask():
    """As on a machine whose default umask is 000: nothing but the code keeps files private."""
    before = os.umask(0)
    yield
    os.umask(before)


def test_a_new_store_and_its_wal_are_0600(tmp_path):
    path = tmp_path / "store.db"
    store = Store.open(path, create=True)
    connection = store.connection()
    connection.execute("CREATE TABLE IF NOT EXISTS scratch (x)")  # the WAL comes to be
    connection.execute("INSERT INTO scratch VALUES (1)")
    companions = [p for p in sqlite_companions(path) if p.exists()]
    assert len(companions) == 3
    assert {p.name: _mode(p) for p in companions} == {p.name: 0o600 for p in companions}
    store.close()


def test_an_older_looser_store_is_tightened_on_open(tmp_path):
    path = tmp_path / "store.db"
    Store.open(path, create=True).close()
    for companion in sqlite_companions(path):
        if companion.exists():
            os.chmod(companion, 0o644)
    os.chmod(path, 0o666)
    Store.open(path).close()
    assert all(_mode(p) == 0o600 for p in sqlite_companions(path) if p.exists())


def test_another_programs_file_is_left_alone(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a store")
    os.chmod(path, 0o644)
    with pytest.raises(Exception):
        Store.open(path)
    assert _mode(path) == 0o644


def test_a_seeded_demo_store_is_0600(tmp_path):
    path = tmp_path / "demo.db"
    seed_store(path, SeedPlan(5, 1, AS_OF), workers=1)
    assert all(_mode(p) == 0o600 for p in sqlite_companions(path) if p.exists())


def test_the_hubs_sqlite_database_is_0600_and_tightened(tmp_path):
    path = tmp_path / "hub.db"
    engine = connect(f"sqlite:///{path}")
    with engine.begin() as connection:  # a write: the WAL and shared memory come to be
        connection.exec_driver_sql("CREATE TABLE scratch (x)")
    assert all(_mode(p) == 0o600 for p in sqlite_companions(path) if p.exists())
    assert path.with_name("hub.db-wal").exists()
    engine.dispose()
    for companion in sqlite_companions(path):
        if companion.exists():
            os.chmod(companion, 0o664)
    connect(f"sqlite:///{path}").dispose()
    assert all(_mode(p) == 0o600 for p in sqlite_companions(path) if p.exists())


def test_the_demo_sms_outbox_is_0600_and_tightened(tmp_path):
    outbox = tmp_path / "sms-outbox.log"
    send_code(outbox, mobile="13800000000", code="123456", operation="reset_password",
              at=datetime(2026, 11, 23, 10, 0))
    assert _mode(outbox) == 0o600
    os.chmod(outbox, 0o644)
    send_code(outbox, mobile="13800000000", code="654321", operation="reset_password",
              at=datetime(2026, 11, 23, 10, 1))
    assert _mode(outbox) == 0o600
    assert outbox.read_text(encoding="utf-8").count("\tcode ") == 2


def test_the_hubs_sms_outbox_is_0600_and_tightened(tmp_path):
    from agent_tui.hub.identity import write_sms

    outbox = tmp_path / "hub" / "sms-outbox.log"
    write_sms(outbox, "13800000000", "123456", "reset_password", datetime(2026, 11, 23, 10, 0))
    assert _mode(outbox) == 0o600
    os.chmod(outbox, 0o644)  # an outbox left by an older hub
    write_sms(outbox, "13800000000", "654321", "reset_password", datetime(2026, 11, 23, 10, 1))
    assert _mode(outbox) == 0o600
    assert outbox.read_text(encoding="utf-8").count("\tcode ") == 2
