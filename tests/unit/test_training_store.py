"""Training attempts in the training store (migration 11): kept whole, listed, summed up per
scenario, handed to the sync in order; and the training store itself: beside the real store,
never it, made 0600 with synthetic customers and marked, and no other file taken for one."""

from __future__ import annotations

import sqlite3
import stat
from datetime import datetime

import pytest

from agent_tui.store import Store, StoreError
from agent_tui.store import training as kept
from agent_tui.store.schema import LATEST_VERSION
from agent_tui.training import attempts
from agent_tui.training.attempt import decode
from agent_tui.training.training_store import open_training_store, training_store_path
from tests.training_attempts import an_attempt


@pytest.fixture
def training_db(tmp_path) -> sqlite3.Connection:
    return Store.open(tmp_path / "t.db", create=True).connection()


def test_migration_11_adds_the_attempts_table(training_db):
    assert LATEST_VERSION >= 11  # later migrations (13, QA reviews) come after it
    columns = {row[1] for row in training_db.execute("PRAGMA table_info(training_attempts)")}
    assert {"attempt_id", "trainee", "scenario_id", "score", "passed", "body",
            "synced_at"} <= columns


def test_an_attempt_round_trips_whole_and_is_kept_once(training_db):
    attempt = an_attempt(fatal=("guaranteed_return",), score=40.0)
    assert attempts.save(training_db, attempt)
    assert not attempts.save(training_db, attempt)  # the same id again: kept once
    assert attempts.load(training_db, attempt.attempt_id) == attempt
    assert attempts.load(training_db, "no-such") is None


def test_attempts_list_newest_first_and_by_scenario(training_db):
    first = an_attempt(ended_at="2026-11-23T09:00:00")
    second = an_attempt(ended_at="2026-11-23T10:00:00")
    other = an_attempt(scenario_id="lost_card", ended_at="2026-11-23T11:00:00")
    someone_else = an_attempt(trainee="T0002")
    for attempt in (first, second, other, someone_else):
        attempts.save(training_db, attempt)
    assert attempts.of_trainee(training_db, "T0001") == [other, second, first]
    assert attempts.of_trainee(training_db, "T0001", "balance_enquiry") == [second, first]


def test_progress_counts_attempts_best_last_and_passed(training_db):
    for score, at in ((55.0, "09:00"), (90.0, "09:30"), (72.0, "10:00")):
        attempts.save(training_db, an_attempt(score=score, ended_at=f"2026-11-23T{at}:00"))
    attempts.save(training_db, an_attempt(scenario_id="lost_card", score=60.0))
    progress = kept.progress(training_db, "T0001")
    balance = progress["balance_enquiry"]
    assert (balance.attempts, balance.best, balance.last, balance.passed) == (3, 90.0, 72.0, True)
    assert balance.scores == (55.0, 90.0, 72.0)
    assert progress["lost_card"].passed is False
    assert kept.progress(training_db, "T0002") == {}


def test_progress_by_difficulty_keeps_each_level_apart(training_db):
    for score, difficulty in ((95.0, "easy"), (60.0, "hard"), (70.0, "hard")):
        attempts.save(training_db, an_attempt(score=score, difficulty=difficulty))
    levels = kept.progress_by_difficulty(training_db, "T0001")["balance_enquiry"]
    assert set(levels) == {kept.ANY, "easy", "hard"}
    assert (levels["hard"].attempts, levels["hard"].best, levels["hard"].passed) == (
        2, 70.0, False)
    assert (levels["easy"].best, levels[kept.ANY].attempts, levels[kept.ANY].best) == (
        95.0, 3, 95.0)
    assert kept.progress(training_db, "T0001")["balance_enquiry"] == levels[kept.ANY]


def test_refused_attempts_are_listed_newest_first_with_the_hubs_reason(training_db):
    made = [an_attempt(ended_at=f"2026-11-23T09:0{minute}:00") for minute in range(3)]
    made.append(an_attempt("T0002"))
    for attempt in made:
        attempts.save(training_db, attempt)
    at = datetime(2026, 11, 23, 10, 0)
    kept.mark_synced(training_db, made[0].attempt_id, at, "key_reuse")
    kept.mark_synced(training_db, made[1].attempt_id, at)  # kept by the hub
    kept.mark_synced(training_db, made[2].attempt_id, at, "bad_time")
    kept.mark_synced(training_db, made[3].attempt_id, at, "bad_field")  # another trainee's
    assert [(r.attempt_id, r.reason) for r in kept.refused(training_db, "T0001")] == [
        (made[2].attempt_id, "bad_time"), (made[0].attempt_id, "key_reuse")]


def test_every_refusal_has_a_trainees_explanation():
    from agent_tui.sync.training import refusal_entry

    assert refusal_entry("key_reuse") == ("training_refusal.key_reuse", {})
    assert refusal_entry("missing_score") == ("training_refusal.bad_field", {})
    assert refusal_entry("from_a_newer_hub") == ("training_refusal.unknown",
                                                 {"code": "from_a_newer_hub"})
    from agent_tui.i18n import Catalog
    from agent_tui.sync.training import EXPLAINED_REFUSALS

    for language in ("en", "zh-CN"):
        messages = Catalog.load(language).messages
        for reason in (*EXPLAINED_REFUSALS, "unknown"):
            assert f"training_refusal.{reason}" in messages, (language, reason)


def test_certified_once_every_core_scenario_is_passed(training_db):
    attempts.save(training_db, an_attempt(score=85.0))
    attempts.save(training_db, an_attempt(scenario_id="lost_card", score=50.0))
    progress = kept.progress(training_db, "T0001")
    assert attempts.certified(progress, {"balance_enquiry"})
    assert not attempts.certified(progress, {"balance_enquiry", "lost_card"})
    assert not attempts.certified(progress, {"balance_enquiry", "impostor"})  # never tried
    assert not attempts.certified(progress, set())  # nothing to certify against


def test_unsynced_attempts_go_in_order_until_answered(training_db):
    made = [an_attempt() for _ in range(3)]
    for attempt in made:
        attempts.save(training_db, attempt)
    pending = kept.unsynced(training_db)
    assert [p.seq for p in pending] == sorted(p.seq for p in pending)
    assert kept.waiting(training_db) == 3
    kept.mark_synced(training_db, made[0].attempt_id, datetime(2026, 11, 23, 10, 0))
    kept.mark_synced(training_db, made[1].attempt_id, datetime(2026, 11, 23, 10, 0), "bad_field")
    assert [decode(p.body) for p in kept.unsynced(training_db)] == [made[2]]
    assert kept.waiting(training_db) == 1


def test_the_training_store_is_beside_the_real_one_never_it(tmp_path):
    real = tmp_path / "store.db"
    path = training_store_path(real)
    assert path.parent == real.parent and path != real
    assert training_store_path(path) != path  # whatever the real store is called
    with pytest.raises(StoreError) as refused:
        open_training_store(real, real)
    assert refused.value.key == "training.real_store"
    assert not real.exists()  # refused before anything was made


def test_the_training_store_is_made_private_synthetic_and_marked(tmp_path):
    real = tmp_path / "store.db"
    path = training_store_path(real)
    store = open_training_store(path, real)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    connection = store.connection()
    assert kept.is_training(connection)
    assert connection.execute("SELECT count(*) FROM customers").fetchone()[0] > 0
    assert not real.exists()  # the real store was never made nor opened
    open_training_store(path, real)  # opened again as it is


def test_a_store_without_the_training_mark_is_refused(tmp_path):
    other = tmp_path / "other.db"
    Store.open(other, create=True).close()
    with pytest.raises(StoreError) as refused:
        open_training_store(other, tmp_path / "store.db")
    assert refused.value.key == "training.not_training_store"


def test_the_scenarios_personas_are_the_training_stores_customers(tmp_path):
    from agent_tui.training.catalog import load_scenarios
    from scripts_library import LIBRARY_DIR

    scenarios = load_scenarios(LIBRARY_DIR)
    real = tmp_path / "store.db"
    connection = open_training_store(training_store_path(real), real, scenarios).connection()
    balance = next(s for s in scenarios if s.id == "balance_enquiry").customer_record
    assert connection.execute(
        "SELECT name, name_pinyin, mobile FROM customers WHERE id = ?", (balance.id,)
    ).fetchone() == (balance.name("zh-CN"), "zhangwei", balance.mobile)
    personas = connection.execute(
        "SELECT count(*) FROM customers WHERE id LIKE 'TRN-%'").fetchone()[0]
    assert personas == len({s.customer_record.id for s in scenarios})


def test_a_personas_card_is_in_the_store_and_active_again_for_each_call(tmp_path):
    """The lost card persona's debit card (its scenario's ``card``) is added with the persona;
    frozen by an attempt, it is active again when the next call of the scenario starts."""
    from agent_tui.training.catalog import load_scenarios
    from agent_tui.training.training_store import card_rows
    from scripts_library import LIBRARY_DIR

    lost = [s for s in load_scenarios(LIBRARY_DIR) if s.id == "lost_card"]
    real = tmp_path / "store.db"
    connection = open_training_store(training_store_path(real), real, lost).connection()

    def card() -> tuple:
        return connection.execute("SELECT kind, last4, status FROM accounts WHERE customer_id = ?",
                                  ("TRN-LOST-01",)).fetchall()

    assert card() == [("debit_card", "5566", "active")]
    connection.execute("UPDATE accounts SET status = 'frozen' WHERE customer_id = 'TRN-LOST-01'")
    connection.commit()
    kept.set_cards(connection, card_rows(lost))
    assert card() == [("debit_card", "5566", "active")]
