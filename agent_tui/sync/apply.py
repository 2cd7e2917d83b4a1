"""Writing what the hub sent into the local store: pulled changes and cached customer records.

A row applies only if its version is at least the one held (the hub's copy of the same version is
authoritative), and never over a case with local changes still queued: those reach the hub first,
and the hub's answer (a newer version, or a conflict with its current state) settles the row.
Customer master data is the hub's: a customer is cached when the agent found or opened it, and
its pulled changes update only what is cached. What the hub sends is masked (``masked = 1``):
a cached customer's full values are never on the workstation, only its sealed copy (opened by
the caller's right answers, for verifying offline) and the risk signals the hub found.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

import msgspec

from agent_tui.domain.cases import CALLBACK_FIELDS, CASE_FIELDS
from agent_tui.domain.ids import new_id
from agent_tui.domain.text import sanitize
from agent_tui.domain.times import iso
from agent_tui.store import kb_hub, qa
from agent_tui.store.suitability import hub_assessments, pulled_assessment, save_assessments

CUSTOMER_COLUMNS = ("id", "name", "name_pinyin", "name_initials", "gender", "birth_date",
                    "id_number", "id_last6", "mobile", "segment", "is_elderly", "is_disabled",
                    "risk_level", "address", "occupation", "customer_since", "branch", "version",
                    "masked")
_TEXT_FREE = frozenset({"version", "is_elderly", "is_disabled", "risk_level", "paused_seconds",
                        "masked", "balance_cents", "amount_cents"})
# Not sent by the hub before a verification: held as "unknown" (the screens show nothing).
_UNKNOWN = {"birth_date": "", "id_last6": "", "name_pinyin": "", "balance_cents": 0}


class Applied(msgspec.Struct):
    """What a pull or a cache write changed, for the screens to react to."""

    cases: set[str] = msgspec.field(default_factory=set)
    customers: set[str] = msgspec.field(default_factory=set)
    # Customers with a reassessment just pulled: a products screen showing one reads it again.
    assessed: set[str] = msgspec.field(default_factory=set)
    notes: int = 0
    skipped: int = 0


def _clean(row: dict, columns: tuple[str, ...]) -> tuple:
    """The row's values in column order; text from the hub is sanitised like any outside text."""
    values = []
    for column in columns:
        value = row.get(column)
        if value is None and column in _UNKNOWN:
            value = _UNKNOWN[column]
        if column == "masked":
            value = 1 if value else 0
        if isinstance(value, str) and column not in _TEXT_FREE:
            value = sanitize(value, multiline=column == "description")
        values.append(value)
    return tuple(values)


def _upsert(connection: sqlite3.Connection, table: str, columns: tuple[str, ...],
            values: tuple) -> None:
    """Insert or update in place by id (REPLACE would delete the row first, which a foreign
    key from the customer's accounts or cases refuses)."""
    updates = ", ".join(f"{column} = excluded.{column}" for column in columns[1:])
    connection.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)}) "
        f"ON CONFLICT (id) DO UPDATE SET {updates}", values)


def _held_version(connection: sqlite3.Connection, table: str, row_id: str) -> int | None:
    found = connection.execute(f"SELECT version FROM {table} WHERE id = ?", (row_id,)).fetchone()
    return found[0] if found else None


def upsert_customer(connection: sqlite3.Connection, row: dict, *, only_if_held: bool,
                    applied: Applied) -> None:
    if not isinstance(row, dict) or not isinstance(row.get("id"), str):
        return
    held = _held_version(connection, "customers", row["id"])
    if held is None and only_if_held:
        return
    if held is not None and int(row.get("version") or 0) < held:
        applied.skipped += 1
        return
    _upsert(connection, "customers", CUSTOMER_COLUMNS, _clean(row, CUSTOMER_COLUMNS))
    applied.customers.add(row["id"])


def _has_pending(connection: sqlite3.Connection, case_id: str) -> bool:
    return connection.execute(
        "SELECT 1 FROM outbox WHERE name LIKE 'case.%' AND (json_extract(args_json, '$.case_id')"
        " = ? OR (name = 'case.open' AND json_extract(args_json, '$.id') = ?)) LIMIT 1",
        (case_id, case_id)).fetchone() is not None


def upsert_case(connection: sqlite3.Connection, row: dict, at: datetime, applied: Applied, *,
                force: bool = False) -> None:
    """The hub's state of a case. ``force`` (a conflict's current state) overrides the local
    row even at a lower version: the local change it replaces was refused."""
    case_id = row.get("id")
    if not isinstance(case_id, str):
        return
    if not force and _has_pending(connection, case_id):
        applied.skipped += 1
        return
    if not _customer_kept(connection, row, applied):  # a customer the hub did not send: wait
        return
    before = connection.execute("SELECT status, assigned_to, version FROM cases WHERE id = ?",
                                (case_id,)).fetchone()
    if before is not None and not force and int(row.get("version") or 0) < before[2]:
        applied.skipped += 1
        return
    values = _clean(row, CASE_FIELDS)
    if before is None:
        connection.execute(f"INSERT INTO cases ({', '.join(CASE_FIELDS)}) VALUES "
                           f"({', '.join('?' for _ in CASE_FIELDS)})", values)
    else:
        assignments = ", ".join(f"{column} = ?" for column in CASE_FIELDS[1:])
        connection.execute(f"UPDATE cases SET {assignments} WHERE id = ?",
                           (*values[1:], case_id))
    if before is None or (before[0], before[1]) != (row.get("status"), row.get("assigned_to")):
        # The case's history shows what arrived from the hub, and when.
        connection.execute(
            "INSERT INTO case_events (id, case_id, at, agent_id, kind, from_status, to_status, "
            "detail) VALUES (?, ?, ?, 'hub', 'synced', ?, ?, ?)",
            (new_id(), case_id, iso(at), before[0] if before else "", str(row.get("status")),
             json.dumps({"assigned_to": str(row.get("assigned_to") or ""),
                         "escalated_to": str(row.get("escalated_to") or "")},
                        ensure_ascii=False)))
    applied.cases.add(case_id)


def insert_note(connection: sqlite3.Connection, row: dict, applied: Applied) -> None:
    """Append-only: inserted if absent by its id, for a case held here."""
    cursor = connection.execute(
        "INSERT OR IGNORE INTO case_notes (id, case_id, at, agent_id, text) "
        "SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM cases WHERE id = ?)",
        (row.get("id"), row.get("case_id"), row.get("at"), sanitize(str(row.get("agent_id"))),
         sanitize(str(row.get("text") or ""), multiline=True), row.get("case_id")))
    if cursor.rowcount:
        applied.notes += 1
        applied.cases.add(str(row.get("case_id")))


def upsert_callback(connection: sqlite3.Connection, row: dict, applied: Applied) -> None:
    """A callback the hub changed (a lead handed it over): held with its agent as the hub says,
    so it leaves the old agent's queue and joins the new one's. Not over local changes of it
    still queued, nor over a newer version; its case only if that case is held here."""
    callback_id = row.get("id") if isinstance(row, dict) else None
    if not isinstance(callback_id, str):
        return
    pending = connection.execute(
        "SELECT 1 FROM outbox WHERE name LIKE 'callback.%' AND ? IN (json_extract(args_json, "
        "'$.id'), json_extract(args_json, '$.callback_id')) LIMIT 1", (callback_id,)).fetchone()
    held = _held_version(connection, "callbacks", callback_id)
    if pending or (held is not None and int(row.get("version") or 0) <= held):
        applied.skipped += 1
        return
    if not _customer_kept(connection, row, applied):
        return
    case_held = connection.execute("SELECT 1 FROM cases WHERE id = ?",
                                   (row.get("case_id"),)).fetchone()
    values = dict(zip(CALLBACK_FIELDS, _clean(row, CALLBACK_FIELDS), strict=True))
    values["case_id"] = values["case_id"] if case_held else None
    _upsert(connection, "callbacks", CALLBACK_FIELDS, tuple(values.values()))


def apply_changes(connection: sqlite3.Connection, changes: list, at: datetime,
                  applied: Applied) -> None:
    for change in changes:
        if change.entity == "case":
            upsert_case(connection, change.data, at, applied)
        elif change.entity == "case_note":
            insert_note(connection, change.data, applied)
        elif change.entity == "callback":
            upsert_callback(connection, change.data, applied)
        elif change.entity == "qa_review":
            if not qa.keep(connection, change.data):
                applied.skipped += 1
        elif change.entity == "customer":
            upsert_customer(connection, change.data, only_if_held=True, applied=applied)
        elif change.entity == "account":
            update_account(connection, change.data, applied)
        elif change.entity == "kb_article":
            if not kb_hub.keep(connection, change.data):
                applied.skipped += 1
        elif change.entity == "risk_assessment":
            _risk_assessment(connection, change.data, applied)
        else:
            applied.skipped += 1  # an entity this version does not know: harmless to skip


def _risk_assessment(connection: sqlite3.Connection, row: dict, applied: Applied) -> None:
    """A reassessment the hub recorded (this agent's or another's): on the products screen from
    now, not only when the customer's record is fetched again."""
    customer_id = pulled_assessment(connection, row)
    if customer_id is None:
        applied.skipped += 1
    else:
        applied.assessed.add(customer_id)


def update_account(connection: sqlite3.Connection, row: dict, applied: Applied) -> None:
    """An account the hub changed (a card frozen or unfrozen there): its status and version,
    for an account held here. Its number and balance stay as held (the hub sends them masked)."""
    if not isinstance(row, dict) or not isinstance(row.get("id"), str):
        return
    cursor = connection.execute(
        "UPDATE accounts SET status = ?, version = ? WHERE id = ? AND version < ? "
        "AND ? IN ('active', 'frozen', 'reported_lost', 'closed')",
        (row.get("status"), int(row.get("version") or 0), row["id"],
         int(row.get("version") or 0), row.get("status")))
    if cursor.rowcount:
        customer = connection.execute("SELECT customer_id FROM accounts WHERE id = ?",
                                      (row["id"],)).fetchone()
        if customer:
            applied.customers.add(customer[0])
    else:
        applied.skipped += 1


def _keep_hub_extras(connection: sqlite3.Connection, customer_id: str, record: dict,
                     at: datetime) -> None:
    """The customer's sealed copy, the hub's risk signals and its flags."""
    sealed = record.get("sealed")
    if isinstance(sealed, dict) and isinstance(sealed.get("expires_at"), str):
        connection.execute(
            "INSERT INTO sealed_copies (customer_id, expires_at, body) VALUES (?, ?, ?) "
            "ON CONFLICT (customer_id) DO UPDATE SET expires_at = excluded.expires_at, "
            "body = excluded.body", (customer_id, sealed["expires_at"],
                                     msgspec.json.encode(sealed).decode()))
    signals = record.get("signals")
    if isinstance(signals, list):
        connection.execute(
            "INSERT INTO customer_signals (customer_id, at, body) VALUES (?, ?, ?) "
            "ON CONFLICT (customer_id) DO UPDATE SET at = excluded.at, body = excluded.body",
            (customer_id, iso(at), msgspec.json.encode(signals).decode()))
    for flag in record.get("flags") or []:
        if isinstance(flag, dict) and isinstance(flag.get("id"), str):
            connection.execute(
                "INSERT OR IGNORE INTO customer_flags (id, customer_id, flag, at, agent_id, "
                "call_id, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (flag["id"], customer_id, sanitize(str(flag.get("flag"))),
                 str(flag.get("at") or iso(at)), sanitize(str(flag.get("agent_id") or "")),
                 flag.get("call_id"), sanitize(str(flag.get("reason") or ""))))


def cache_record(connection: sqlite3.Connection, record: dict, at: datetime) -> Applied:
    """A customer fetched from the hub, with what its 360 shows: available offline from now."""
    applied = Applied()
    upsert_customer(connection, record.get("customer") or {}, only_if_held=False,
                    applied=applied)
    for product in record.get("products") or []:
        connection.execute(
            "INSERT OR IGNORE INTO products (code, kind, name_zh, name_en, risk_level) "
            "VALUES (?, ?, ?, ?, ?)", _clean(product, ("code", "kind", "name_zh", "name_en",
                                                        "risk_level")))
    columns = ("id", "customer_id", "kind", "product_code", "number", "last4", "status",
               "balance_cents", "opened_on", "version")
    for account in record.get("accounts") or []:
        _upsert(connection, "accounts", columns, _clean(account, columns))
    columns = ("id", "customer_id", "account_id", "at", "kind", "amount_cents", "counterparty",
               "channel", "description")
    for transaction in record.get("transactions") or []:
        _upsert(connection, "transactions", columns, _clean(transaction, columns))
    columns = ("id", "customer_id", "at", "channel", "category", "agent_id", "summary",
               "outcome", "version")
    for interaction in record.get("interactions") or []:
        _upsert(connection, "interactions", columns, _clean(interaction, columns))
    for case in record.get("cases") or []:
        upsert_case(connection, {**case, "customer": None}, at, applied)
    customer = record.get("customer") or {}
    save_assessments(connection, hub_assessments(record.get("assessments"), customer.get("id")))
    if isinstance(customer.get("id"), str) and connection.execute(
            "SELECT masked FROM customers WHERE id = ?", (customer["id"],)).fetchone() == (1,):
        _keep_hub_extras(connection, customer["id"], record, at)
        # Held masked from now on: rows of this customer that the hub did not send (a demo
        # store's own, in full) go, so nothing of it stays here in the clear.
        sent = [row["id"] for row in record.get("transactions") or [] if isinstance(row, dict)]
        connection.execute(
            "DELETE FROM transactions WHERE customer_id = ? AND id NOT IN "
            "(SELECT value FROM json_each(?))", (customer["id"], msgspec.json.encode(sent)))
    return applied


def _customer_kept(connection: sqlite3.Connection, row: dict, applied) -> bool:
    """The row's customer, as the hub sent it beside the row, kept; False (the row skipped) when
    the store holds no such customer: the row waits until the hub sends it."""
    customer = row.get("customer")
    if isinstance(customer, dict):
        upsert_customer(connection, customer, only_if_held=False, applied=applied)
    if connection.execute("SELECT 1 FROM customers WHERE id = ?",
                          (row.get("customer_id"),)).fetchone() is None:
        applied.skipped += 1
        return False
    return True
