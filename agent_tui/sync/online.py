"""Asking the hub directly (online search, a customer's record) and caching what it answers in
the local store, so what was found or opened once is there offline too."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from agent_tui.store.database import transaction
from agent_tui.sync.apply import Applied, cache_record, upsert_customer
from agent_tui.sync.hub_client import HubClient, HubRefused, HubUnreachable


def search_and_cache(connection: sqlite3.Connection, client: HubClient, text: str) -> bool:
    """The hub's customers for ``text``, cached; False when the hub could not be asked."""
    try:
        rows = client.search(text)
    except (HubUnreachable, HubRefused):
        return False
    applied = Applied()
    with transaction(connection):
        for row in rows:
            upsert_customer(connection, row, only_if_held=False, applied=applied)
    return True


def fetch_and_cache(connection: sqlite3.Connection, client: HubClient, customer_id: str,
                    at: datetime) -> bool:
    """The customer's record from the hub, cached; True if anything here changed."""
    try:
        record = client.fetch(customer_id)
    except (HubUnreachable, HubRefused):
        return False
    if record is None:
        return False
    with transaction(connection):
        applied = cache_record(connection, record, at)
    return bool(applied.customers or applied.cases)
