"""Applying workstation mutations on the hub: what every handler shares (SYNC.md).

A handler runs inside the push's transaction and either applies its change (with its change-log
rows), raises ``Rejected`` for a mutation that can never apply (recorded with its reason; the
device moves on), or returns a conflict with the record as the hub holds it. The handlers are in
``case_mutations`` (the case state machine, notes) and ``record_mutations`` (append-only records
and commands); ``handlers`` maps mutation names to them.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

import msgspec
from sqlalchemy import Connection, exists, select, text

from agent_tui.domain.sla import SlaPolicy
from agent_tui.domain.text import sanitize
from agent_tui.domain.times import iso
from agent_tui.hub import changes
from agent_tui.hub.auth import Principal
from agent_tui.hub.database import WRITES
from agent_tui.hub.schema import customers

NOTE_LIMIT = 20_000
# The hub's id columns: a workstation's ids are UUIDv7 (36 characters), customer ids 32, a case
# number leaves room for the suffix ``_free_number`` may add. A longer value is refused
# (``too_long_<field>``) rather than failing the database (PostgreSQL enforces the lengths).
ID_LIMIT = 36
CUSTOMER_ID_LIMIT = 32
NUMBER_LIMIT = 32
# A reported time before this is a broken clock or a forged one, never a bank's record.
EARLIEST = datetime(2000, 1, 1)
# A reported time this far past the hub's clock (after the device's measured skew) is refused:
# closer than that it is jitter, and it is stored as the hub's now.
AHEAD = timedelta(minutes=5)
# connection.info key: a push batch's answers, kept until the batch writes them together.
ANSWERS = "agent_tui.hub.answers"
CASES_SEEN = "agent_tui.hub.cases_seen"  # and the cases its notes were checked against
DEFERRED = "agent_tui.hub.deferred"  # its append-only rows, inserted together
KNOWN_NOTES = "agent_tui.hub.known_notes"  # the ids of its notes already on the hub


class Rejected(Exception):
    """A mutation that can never apply: recorded with its reason, and the device moves on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Outcome(msgspec.Struct, frozen=True):
    status: str  # applied | conflict
    current: dict | None = None
    reason: str = ""
    entity_id: str = ""
    phantom_version: int | None = None


class MutationContext(msgspec.Struct, frozen=True):
    connection: Connection
    principal: Principal
    device_id: str
    mutation_id: str
    now: datetime  # the hub's clock
    shift: timedelta  # hub clock minus the device's, measured on this push
    policy: SlaPolicy

    def time(self, value: object) -> str:
        """A time the device reported, moved onto the hub's clock by the skew measured on this
        push, and never in the future: the hub does not trust the client's clock. Absent, it
        is the hub's now. Refused (``bad_time``): anything but an ISO time, a time before
        ``EARLIEST``, and one still more than ``AHEAD`` past the hub's clock once moved."""
        if value is None or value is msgspec.UNSET or value == "":
            return iso(self.now)
        if not isinstance(value, str):
            raise Rejected("bad_time")
        try:
            at = datetime.fromisoformat(value)
            if at.tzinfo is not None:
                at = at.astimezone().replace(tzinfo=None)
            if at < EARLIEST:
                raise Rejected("bad_time")
            at += self.shift
        except (ValueError, OverflowError):  # not a time; or moved off the calendar's end
            raise Rejected("bad_time") from None
        if at > self.now + AHEAD:
            raise Rejected("bad_time")
        return iso(min(at, self.now))

    def appointment(self, value: str) -> str:
        """A time agreed with the customer (a callback's due time): in the future by nature, and
        meant as the wall clock both read, so not moved by the device's skew; refused
        (``bad_time``) if it is not an ISO time or lies before ``EARLIEST``."""
        try:
            at = datetime.fromisoformat(value)
            if at.tzinfo is not None:
                at = at.astimezone().replace(tzinfo=None)
        except (ValueError, OverflowError):
            raise Rejected("bad_time") from None
        if at < EARLIEST:
            raise Rejected("bad_time")
        return iso(at)


def footprint(connection: Connection) -> tuple[int, int, int]:
    """What this connection has written so far: statements run, and the change-log and
    append-only rows a push batch keeps for later. Equal before and after a handler that
    raised ``Rejected``: it refused before writing, and its refusal is answered in place."""
    info = connection.info
    return (info.get(WRITES, 0), changes.collected(connection),
            sum(len(rows) for rows in (info.get(DEFERRED) or {}).values()))


@functools.cache
def _insert_ignoring(table_name: str, columns: tuple[str, ...], key: tuple[str, ...]):
    # Text, not the dialects' insert().on_conflict_do_nothing(): that construct has no cache
    # key, so SQLAlchemy compiled it again for every row (a third of the hub's push time).
    # SQLite and PostgreSQL spell this statement the same way. RETURNING rather than rowcount:
    # psycopg reports -1 for an INSERT … ON CONFLICT here.
    return text(f"INSERT INTO {table_name} ({', '.join(columns)}) VALUES "
                f"({', '.join(':' + column for column in columns)}) ON CONFLICT DO NOTHING "
                f"RETURNING {', '.join(key)}")


def insert_if_absent(connection: Connection, table, values: dict) -> bool:
    """Insert by primary key unless present; True if this call inserted it."""
    statement = _insert_ignoring(table.name, tuple(values),
                                 tuple(column.name for column in table.primary_key.columns))
    return connection.execute(statement, values).first() is not None


def insert_later(connection: Connection, table, values: dict) -> None:
    """Insert if absent: in a push batch, with the batch's other rows of ``table`` before it
    commits (one round trip per hundred, not one per row); outside a batch, now."""
    deferred = connection.info.get(DEFERRED)
    if deferred is None:
        insert_if_absent(connection, table, values)
        return
    key = tuple(column.name for column in table.primary_key.columns)
    deferred.setdefault((table.name, tuple(values), key), []).append(values)


def flush_deferred(connection: Connection) -> None:
    for (table_name, columns, key), rows in (connection.info.pop(DEFERRED, None) or {}).items():
        for start in range(0, len(rows), 100):
            chunk = rows[start:start + 100]
            connection.execute(_insert_many(table_name, columns, key, len(chunk)), {
                f"{column}_{index}": row[column] for index, row in enumerate(chunk)
                for column in columns})


@functools.cache
def _insert_many(table_name: str, columns: tuple[str, ...], key: tuple[str, ...], count: int):
    values = ", ".join("(" + ", ".join(f":{column}_{index}" for column in columns) + ")"
                       for index in range(count))
    return text(f"INSERT INTO {table_name} ({', '.join(columns)}) VALUES {values} "
                f"ON CONFLICT ({', '.join(key)}) DO NOTHING")


def text_arg(value: object, key: str, *, required: bool = True, limit: int = 500,
             multiline: bool = False) -> str:
    """A text field of a mutation's (typed) arguments, cleaned: ``missing_<key>`` if it is
    required and absent or blank, ``too_long_<key>`` past ``limit``."""
    if value is None or value is msgspec.UNSET:
        if not required:
            return ""
        raise Rejected(f"missing_{key}")
    if not isinstance(value, str) or (required and not value.strip()):
        raise Rejected(f"missing_{key}")
    value = sanitize(value, multiline=multiline).strip()
    if len(value) > limit:
        raise Rejected(f"too_long_{key}")
    return value


def optional_id(value: object, key: str, *, limit: int = ID_LIMIT) -> str | None:
    """An id the mutation may carry (None if absent or not text); ``too_long_<key>`` if it
    would not fit the hub's column."""
    if not isinstance(value, str) or not value:
        return None
    value = sanitize(value)
    if len(value) > limit:
        raise Rejected(f"too_long_{key}")
    return value or None


def given(value: object) -> object:
    """A field's value, None when it was not sent (UNSET)."""
    return None if value is msgspec.UNSET else value


def customer_exists(connection: Connection, customer_id: str) -> bool:
    return connection.execute(select(exists().where(customers.c.id == customer_id))).scalar()
