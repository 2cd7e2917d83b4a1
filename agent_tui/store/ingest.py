"""Writing records that come from outside (the hub, an import, a test corpus) into the store.

Every text value is sanitised on the way in, so nothing a terminal would obey is ever stored.
Free-text columns keep their line breaks; every other text column is folded to one line.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping

from agent_tui.domain.text import sanitize
from agent_tui.store.database import transaction

MULTILINE_COLUMNS = frozenset({"summary", "description", "detail"})
TABLES = frozenset({"customers", "accounts", "transactions", "interactions", "cases", "products"})


def clean_record(record: Mapping[str, object]) -> dict[str, object]:
    return {
        column: sanitize(value, multiline=column in MULTILINE_COLUMNS)
        if isinstance(value, str)
        else value
        for column, value in record.items()
    }


def insert_records(
    connection: sqlite3.Connection, table: str, records: Iterable[Mapping[str, object]]
) -> int:
    """Insert (or replace, by primary key) sanitised ``records`` in one transaction."""
    if table not in TABLES:
        raise ValueError(f"not an ingestible table: {table!r}")
    cleaned = [clean_record(record) for record in records]
    if not cleaned:
        return 0
    columns = list(cleaned[0])
    statement = (
        f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    with transaction(connection):
        connection.executemany(statement, [[row[column] for column in columns] for row in cleaned])
    return len(cleaned)
