"""The local SQLite store: schema, migrations, repositories and the audit log."""

from agent_tui.store.database import Store, StoreError, StoreMissing

__all__ = ["Store", "StoreError", "StoreMissing"]
