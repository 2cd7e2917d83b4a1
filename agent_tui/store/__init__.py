"""The local SQLite store: schema, migrations, repositories and the audit log."""

from agent_tui.store.database import Connection, QueryError, Store, StoreError, StoreMissing

__all__ = ["Connection", "QueryError", "Store", "StoreError", "StoreMissing"]
