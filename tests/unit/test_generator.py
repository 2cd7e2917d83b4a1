"""The demo data set: deterministic, valid identifiers, realistic mix, safe seeding."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from agent_tui.domain.identifiers import is_luhn_valid, is_mobile, is_valid_resident_id
from agent_tui.store import Store
from data.generator import SeedPlan
from data.seed import SeedError, seed_store
from tests.conftest import AS_OF


def _dump(path) -> str:
    connection = sqlite3.connect(path)
    digest = hashlib.sha256()
    for table in ("customers", "accounts", "transactions", "interactions", "cases", "meta"):
        for row in connection.execute(f"SELECT * FROM {table} ORDER BY 1"):
            digest.update(repr(row).encode())
    connection.close()
    return digest.hexdigest()


def test_same_seed_same_store_whatever_the_worker_count(tmp_path):
    plan = SeedPlan(12_000, seed=3, as_of=AS_OF)  # several chunks, so workers really split it
    seed_store(tmp_path / "one.db", plan, workers=1)
    seed_store(tmp_path / "two.db", plan, workers=2)
    assert _dump(tmp_path / "one.db") == _dump(tmp_path / "two.db")


def test_another_seed_gives_other_data(tmp_path):
    seed_store(tmp_path / "a.db", SeedPlan(300, seed=1, as_of=AS_OF), workers=1)
    seed_store(tmp_path / "b.db", SeedPlan(300, seed=2, as_of=AS_OF), workers=1)
    assert _dump(tmp_path / "a.db") != _dump(tmp_path / "b.db")


def test_identifiers_are_valid_and_unique(small_store):
    connection = sqlite3.connect(small_store)
    customers = connection.execute("SELECT id_number, id_last6, mobile FROM customers").fetchall()
    assert all(is_valid_resident_id(row[0]) for row in customers)
    assert all(row[0].endswith(row[1]) for row in customers)
    assert all(is_mobile(row[2]) for row in customers)
    assert len({row[0] for row in customers}) == len(customers)
    assert len({row[2] for row in customers}) == len(customers)
    numbers = [row[0] for row in connection.execute("SELECT number FROM accounts")]
    assert all(is_luhn_valid(number) for number in numbers)
    assert len(set(numbers)) == len(numbers)
    cards = connection.execute(
        "SELECT number FROM accounts WHERE kind IN ('debit_card', 'credit_card')"
    ).fetchall()
    assert all(row[0].startswith("62") for row in cards)  # UnionPay


def test_the_mix_looks_like_a_bank(small_store):
    connection = sqlite3.connect(small_store)

    def share(where: str) -> float:
        return connection.execute(
            f"SELECT avg(CASE WHEN {where} THEN 1.0 ELSE 0 END) FROM customers"
        ).fetchone()[0]

    assert 0.1 < share("is_elderly = 1") < 0.35
    assert 0.0 < share("is_disabled = 1") < 0.05
    assert 0.05 < share("segment IN ('vip', 'private')") < 0.2
    levels = {row[0] for row in connection.execute("SELECT DISTINCT risk_level FROM customers")}
    assert levels == {1, 2, 3, 4, 5}
    statuses = {row[0] for row in connection.execute("SELECT DISTINCT status FROM accounts")}
    assert {"active", "frozen", "reported_lost"} <= statuses
    channels = {row[0] for row in connection.execute("SELECT DISTINCT channel FROM interactions")}
    assert len(channels) >= 5
    per_customer = connection.execute(
        "SELECT min(n), max(n) FROM (SELECT count(*) n FROM accounts GROUP BY customer_id)"
    ).fetchone()
    assert per_customer[0] >= 1 and per_customer[1] >= 3
    elderly_max_risk = connection.execute(
        "SELECT max(risk_level) FROM customers WHERE is_elderly = 1"
    ).fetchone()[0]
    assert elderly_max_risk <= 3


def test_seeding_never_overwrites_an_existing_store(tmp_path):
    path = tmp_path / "store.db"
    path.write_bytes(b"precious")
    with pytest.raises(SeedError) as raised:
        seed_store(path, SeedPlan(10, seed=1, as_of=AS_OF))
    assert raised.value.key == "seed.exists"
    assert path.read_bytes() == b"precious"


def test_an_interrupted_seed_leaves_no_store_behind(tmp_path):
    path = tmp_path / "store.db"

    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        seed_store(path, SeedPlan(6_000, seed=1, as_of=AS_OF), workers=1, progress=interrupt)
    assert not path.exists()
    # The next attempt cleans up the half-built file and succeeds.
    seed_store(path, SeedPlan(50, seed=1, as_of=AS_OF), workers=1)
    assert Store.open(path).integrity_ok()
    assert not (tmp_path / "store.db.seeding").exists()


def test_progress_reaches_the_total(tmp_path):
    seen: list[tuple[int, int]] = []
    seed_store(tmp_path / "s.db", SeedPlan(7_000, seed=1, as_of=AS_OF), workers=1,
               progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (7_000, 7_000)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
