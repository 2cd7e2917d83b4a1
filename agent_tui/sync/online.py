"""Asking the hub directly (online search, a customer's record) and caching what it answers in
the local store, so what was found or opened once is there offline too."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from agent_tui.domain.models import SearchHit, Segment
from agent_tui.domain.text import sanitize
from agent_tui.store.database import transaction
from agent_tui.sync.apply import Applied, cache_record, upsert_customer
from agent_tui.sync.hub_client import HubClient, HubRefused, HubUnreachable


def search_and_cache(connection: sqlite3.Connection, client: HubClient, text: str
                     ) -> list[SearchHit] | None:
    """The hub's customers for ``text`` (masked, as the hub sends them), cached; None when the
    hub could not be asked. They are shown as the hub found them: a customer held masked is not
    found again here by the full number it was found by (the workstation does not hold it)."""
    try:
        rows = client.search(text)
    except (HubUnreachable, HubRefused):
        return None
    applied = Applied()
    with transaction(connection):
        for row in rows:
            upsert_customer(connection, row, only_if_held=False, applied=applied)
    hits = []
    for row in rows:
        try:
            hits.append(SearchHit(
                customer_id=str(row["id"]), name=sanitize(row.get("name")),
                mobile=sanitize(row.get("mobile")), id_number=sanitize(row.get("id_number")),
                segment=Segment(row.get("segment")), is_elderly=bool(row.get("is_elderly")),
                is_disabled=bool(row.get("is_disabled")), risk_level=int(row["risk_level"])))
        except (KeyError, ValueError, TypeError):
            continue  # a row this version cannot read: the rest are still shown
    return hits


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
