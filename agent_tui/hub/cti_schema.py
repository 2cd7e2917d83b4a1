"""The hub's table of telephony call events (migration 9, issue 18): what the telephony system
posted, one row an event, read back by the agent each event is for. In a module of its own, as
training's (``schema`` is over 300 lines)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table

from agent_tui.hub.schema import metadata

_BIG_ID = BigInteger().with_variant(Integer(), "sqlite")

cti_events = Table(
    "cti_events", metadata,
    # The order events reached the hub: an agent's feed is read past its last seq.
    Column("seq", _BIG_ID, primary_key=True, autoincrement=True),
    # The telephony system's own id of the event: a resend is recognised, never applied twice.
    Column("event_id", String(64), nullable=False, unique=True),
    Column("agent_id", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("call_id", String(64), nullable=False, server_default=""),
    Column("caller", String(24), nullable=False, server_default=""),
    Column("dialled", String(24), nullable=False, server_default=""),
    Column("received_at", String(32), nullable=False),  # the hub's clock, never telephony's
)
Index("hub_cti_events_agent", cti_events.c.agent_id, cti_events.c.seq)
