"""Writing a demo store: bulk-loaded into a temporary file, indexed once, then moved into place.

The store at ``path`` is never touched until the new one is complete: an interrupted seed leaves
only ``*.seeding`` behind, removed by the next attempt. An existing store is kept unless forced.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from agent_tui.disk import is_disk_full
from agent_tui.domain.identifiers import resident_id_check_char
from agent_tui.domain.text import sanitize
from agent_tui.i18n import TranslatableError
from agent_tui.private_files import create_private
from agent_tui.store.database import migrate
from agent_tui.store.schema import APPLICATION_ID, MIGRATIONS
from agent_tui.store.suitability import save_assessments
from data import reference as ref
from data.assessments import assessment_for
from data.generator import HEAVY_CUSTOMERS, Chunk, SeedPlan, make_chunks

Progress = Callable[[int, int], None]  # (customers written, customers planned)
GENERATOR_VERSION = "1"


class SeedError(TranslatableError):
    pass


@dataclass(frozen=True, slots=True)
class SeedReport:
    path: Path
    customers: int
    accounts: int
    transactions: int
    interactions: int
    cases: int
    planted_large_transfers: int
    planted_password_changes: int


def _unique_resident_id(id_number: str, seen: set[str]) -> str:
    """Two customers drew the same region, birth date and sequence: move to the next free
    sequence number of the same sex (the parity of digit 17), and recompute the check digit."""
    while id_number in seen:
        sequence = (int(id_number[14:17]) + 2) % 1000
        first17 = f"{id_number[:14]}{sequence:03d}"
        id_number = first17 + resident_id_check_char(first17)
    seen.add(id_number)
    return id_number


def clean_customers(rows: list[tuple], seen_ids: set[str]) -> list[tuple]:
    cleaned = []
    for row in rows:
        id_number = _unique_resident_id(row[6], seen_ids)
        text_fields = tuple(sanitize(value) for value in row[1:4])
        cleaned.append((
            row[0], *text_fields, *row[4:6], id_number, id_number[-6:], *row[8:13],
            sanitize(row[13]), sanitize(row[14]), row[15], sanitize(row[16]),
        ))
    return cleaned


_INSERTS = {
    "customers": "INSERT INTO customers (id, name, name_pinyin, name_initials, gender, birth_date, "
    "id_number, id_last6, mobile, segment, is_elderly, is_disabled, risk_level, address, "
    "occupation, customer_since, branch) VALUES (" + ", ".join("?" * 17) + ")",
    "accounts": "INSERT INTO accounts (id, customer_id, kind, product_code, number, last4, status, "
    "balance_cents, opened_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "transactions": "INSERT INTO transactions (customer_id, account_id, at, kind, amount_cents, "
    "counterparty, channel, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "interactions": "INSERT INTO interactions (id, customer_id, at, channel, category, agent_id, "
    "summary, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "cases": "INSERT INTO cases (id, number, customer_id, channel, category, priority, status, "
    "title, opened_at, due_at, updated_at, assigned_to) VALUES (" + ", ".join("?" * 12) + ")",
}


def _write_chunk(connection: sqlite3.Connection, chunk: Chunk, seen_ids: set[str]) -> None:
    connection.executemany(_INSERTS["customers"], clean_customers(chunk.customers, seen_ids))
    connection.executemany(_INSERTS["accounts"], chunk.accounts)
    connection.executemany(_INSERTS["transactions"], chunk.transactions)
    connection.executemany(_INSERTS["interactions"], chunk.interactions)
    connection.executemany(_INSERTS["cases"], chunk.cases)


def seed_store(
    path: Path,
    plan: SeedPlan,
    *,
    force: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
) -> SeedReport:
    path = Path(path)
    if path.exists() and not force:
        raise SeedError("seed.exists", path=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(path.name + ".seeding")
    building.unlink(missing_ok=True)
    create_private(building)  # 0600 from its first moment, and so the store it becomes
    workers = workers if workers is not None else max(1, min(2, os.cpu_count() or 1))
    try:
        return _seed(path, building, plan, workers, progress)
    except (sqlite3.Error, OSError) as error:
        # The store in place is untouched (the new one is built beside it); the half-built one
        # goes, so that the space it took is free again.
        building.unlink(missing_ok=True)
        if is_disk_full(error, path.parent):
            raise SeedError("seed.disk_full", path=str(path)) from None
        raise SeedError("seed.failed", path=str(path), reason=str(error)) from None


def _seed_assessments(connection: sqlite3.Connection, plan: SeedPlan) -> None:
    """Every customer's risk assessment, the one the hub's seed gives them (data/assessments.py):
    written after the migrations, since their table is migration 14's."""
    connection.execute("BEGIN")
    save_assessments(connection, (
        assessment_for(customer_id, risk_level, plan.as_of)
        for customer_id, risk_level in connection.execute("SELECT id, risk_level FROM customers")))
    connection.execute("COMMIT")


def _seed(path: Path, building: Path, plan: SeedPlan, workers: int,
          progress: Progress | None) -> SeedReport:

    connection = sqlite3.connect(building, isolation_level=None)
    # A file nobody else sees yet: no journal, no fsync until it is complete.
    for pragma in ("journal_mode = OFF", "synchronous = OFF", "locking_mode = EXCLUSIVE",
                   "cache_size = -262144", "temp_store = MEMORY"):
        connection.execute(f"PRAGMA {pragma}")
    first = MIGRATIONS[0]
    connection.execute("BEGIN")
    for statement in first.tables:
        connection.execute(statement)
    connection.executemany("INSERT INTO products VALUES (?, ?, ?, ?, ?)", ref.PRODUCTS)
    totals = dict.fromkeys(("accounts", "transactions", "interactions", "cases"), 0)
    planted_transfers = planted_passwords = written = 0
    seen_ids: set[str] = set()
    for chunk in make_chunks(plan, workers):
        _write_chunk(connection, chunk, seen_ids)
        for table in totals:
            totals[table] += len(getattr(chunk, table))
        planted_transfers += chunk.planted_large_transfers
        planted_passwords += chunk.planted_password_changes
        written += len(chunk.customers)
        if progress:
            progress(written, plan.customers)
    for statement in first.indexes:
        connection.execute(statement)
    meta = {
        "generator_version": GENERATOR_VERSION,
        "seed": str(plan.seed),
        "as_of": plan.as_of.isoformat(),
        "customers": str(plan.customers),
        "planted.frequent_large_transfers": str(planted_transfers),
        "planted.repeated_password_changes": str(planted_passwords),
        "heavy_customers": json.dumps([f"C{i + 1:011d}" for i in range(min(HEAVY_CUSTOMERS,
                                                                             plan.customers))]),
    }
    connection.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute(f"PRAGMA user_version = {first.version}")
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.execute("PRAGMA locking_mode = NORMAL")
    connection.execute("PRAGMA journal_mode = WAL")
    migrate(connection)  # any later migrations, exactly as an existing store gets them
    _seed_assessments(connection, plan)
    connection.close()
    os.replace(building, path)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return SeedReport(
        path=path, customers=plan.customers, planted_large_transfers=planted_transfers,
        planted_password_changes=planted_passwords, **totals,
    )
