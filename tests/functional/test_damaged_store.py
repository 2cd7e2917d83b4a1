"""A store file that is there but wrong (empty, or a schema version nobody wrote) is refused with its
path and what to do, and left exactly as it was: never made new, never migrated."""

from __future__ import annotations

import sqlite3

import pytest

from agent_tui.i18n import Catalog
from agent_tui.store import Store, StoreError
from agent_tui.store.schema import APPLICATION_ID, LATEST_VERSION


def _set_user_version(path, version: int) -> bytes:
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {version}")
    connection.commit()
    connection.close()
    return path.read_bytes()


def test_an_empty_store_file_is_reported_as_possibly_lost_not_made_new(tmp_path):
    path = tmp_path / "store.db"
    path.touch()
    with pytest.raises(StoreError) as raised:
        Store.open(path)
    assert raised.value.key == "store.empty"
    assert path.read_bytes() == b""  # not made into a new store
    assert not (tmp_path / "store.db-wal").exists()
    for language in ("en", "zh-CN"):
        message = Catalog.load(language).error(raised.value)
        assert str(path) in message and "agent-tui seed --force" in message
    message = Catalog.load("en").error(raised.value)
    assert "backup" in message and "lost" in message


def test_an_empty_store_with_a_journal_beside_it_keeps_the_journal(tmp_path):
    """SQLite deletes the WAL of a zero-page database when it opens it: the WAL may hold every
    change since the last checkpoint, so it is pointed out and never touched."""
    path = tmp_path / "store.db"
    path.touch()
    wal = tmp_path / "store.db-wal"
    wal.write_bytes(b"\x37\x7f\x06\x82" + b"\0" * 4092)
    with pytest.raises(StoreError) as raised:
        Store.open(path)
    assert raised.value.key == "store.empty_with_journal"
    assert str(wal) in Catalog.load("en").error(raised.value)
    assert wal.read_bytes()[:4] == b"\x37\x7f\x06\x82" and path.read_bytes() == b""


def test_an_empty_file_may_be_made_a_store_when_asked_for_explicitly(tmp_path):
    path = tmp_path / "store.db"
    path.touch()
    Store.open(path, create=True)
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION


@pytest.mark.parametrize("version", [-1, -(2**31)])
def test_a_negative_schema_version_is_refused_as_damaged_not_migrated(writable_store, version):
    before = _set_user_version(writable_store, version)
    with pytest.raises(StoreError) as raised:
        Store.open(writable_store)
    assert raised.value.key == "store.bad_version"
    assert raised.value.values["found"] == version
    assert writable_store.read_bytes() == before  # nothing migrated, nothing rewritten
    for language in ("en", "zh-CN"):
        message = Catalog.load(language).error(raised.value)
        assert str(writable_store) in message and str(version) in message


def test_our_store_claiming_schema_zero_is_refused_not_migrated_again(writable_store):
    """Marked as ours but with no migration recorded: the migrations would run over tables
    that already exist (and fail half-way, after changing the file)."""
    before = _set_user_version(writable_store, 0)
    connection = sqlite3.connect(writable_store)
    assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    connection.close()
    with pytest.raises(StoreError) as raised:
        Store.open(writable_store)
    assert raised.value.key == "store.bad_version"
    assert writable_store.read_bytes() == before


@pytest.mark.parametrize("version", [LATEST_VERSION + 1, 2**31 - 1])
def test_a_schema_version_above_ours_is_made_by_a_newer_agent_tui(writable_store, version):
    before = _set_user_version(writable_store, version)
    with pytest.raises(StoreError) as raised:
        Store.open(writable_store)
    assert raised.value.key == "store.too_new"
    assert writable_store.read_bytes() == before


async def test_the_workstation_explains_an_empty_store_and_offers_no_seed_over_it(tmp_path,
                                                                                 make_app):
    from screens.store_problem import StoreProblemScreen
    from tests.screen import wait_for, wait_for_screen, widget_text

    path = tmp_path / "store.db"
    path.touch()
    app = make_app(path, language="zh-CN")
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_screen(pilot, StoreProblemScreen)
        # What the message says, wherever its lines break (widget_text: the message whole).
        await wait_for(pilot, lambda: "可能已经丢失" in widget_text(app.screen))
        assert not app.screen.query("#seed")  # starting afresh is a decision, made explicitly
        await pilot.click("#quit")
    assert path.read_bytes() == b""
