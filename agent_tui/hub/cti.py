"""Telephony call events on the hub (issue 18): recorded once each, read by their agent.

The telephony system posts ringing, answered and ended for an agent; the agent's workstation
long-polls for its own (``cti_routes``). An event id seen before is a resend: answered
``duplicate`` and never stored twice; the same id with other content is ``key_reuse``. Each hub
process rings a ``Bell`` when it stores an event, so a poll waiting on the same process answers at
once; one waiting on another process finds the row at its next look (``LOOK_S``).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from agent_tui.domain.times import iso
from agent_tui.hub.auth import STAFF_ROLES
from agent_tui.hub.cti_schema import cti_events
from agent_tui.hub.database import reading
from agent_tui.hub.schema import tokens
from agent_tui.sync.protocol import CtiEvent, CtiEventIn

# A workstation's first poll (no cursor yet) still gets what rang this recently: it may have
# started a moment after the ring. Older events are history, not a call to pick up.
RECENT = timedelta(seconds=30)
FEED_LIMIT = 50
LOOK_S = 0.5  # a waiting poll looks at the table this often (events stored by another process)
_FIELDS = ("kind", "agent_id", "caller", "dialled", "call_id")


class KeyReuse(Exception):
    """An event id already stored with other content."""


def knows_agent(engine: Engine, agent_id: str) -> bool:
    """Has the hub ever issued a staff token to ``agent_id``? (A ring for nobody is a mistake
    in the telephony system's agent table, worth telling its operator.)"""
    with reading(engine) as connection:
        return connection.execute(select(tokens.c.id).where(
            tokens.c.agent_id == agent_id, tokens.c.role.in_(STAFF_ROLES)).limit(1)
        ).first() is not None


def record(engine: Engine, event: CtiEventIn, now: datetime) -> bool:
    """Store ``event``; False if it was stored before (a resend). Raises ``KeyReuse``."""
    values = {name: getattr(event, name) for name in _FIELDS}
    try:
        with engine.begin() as connection:
            connection.execute(cti_events.insert().values(
                event_id=event.event_id, received_at=iso(now), **values))
        return True
    except IntegrityError:
        with reading(engine) as connection:
            stored = connection.execute(select(*(cti_events.c[name] for name in _FIELDS)).where(
                cti_events.c.event_id == event.event_id)).first()
        if stored is None:
            raise  # not the event id: a fault of the database, answered as one
        if dict(stored._mapping) != values:
            raise KeyReuse(event.event_id) from None
        return False


def feed(engine: Engine, agent_id: str, after: int | None, now: datetime
         ) -> tuple[list[CtiEvent], int]:
    """The agent's events past ``after`` (its cursor), oldest first, and the next cursor. With
    no cursor: the last ``RECENT`` seconds' events, and the cursor past all of the agent's."""
    query = select(cti_events).where(cti_events.c.agent_id == agent_id)
    with reading(engine) as connection:
        if after is None:
            last = connection.execute(select(func.max(cti_events.c.seq)).where(
                cti_events.c.agent_id == agent_id)).scalar() or 0
            query = query.where(cti_events.c.received_at >= iso(now - RECENT),
                                cti_events.c.seq <= last)
        else:
            last = after
            query = query.where(cti_events.c.seq > after)
        rows = connection.execute(query.order_by(cti_events.c.seq).limit(FEED_LIMIT)).all()
    events = [CtiEvent(row.seq, row.event_id, row.kind, row.caller, row.dialled, row.call_id,
                       row.received_at) for row in rows]
    if after is not None and events:
        last = events[-1].seq
    return events, last


class Bell:
    """Rung by this process when it stores an event: the polls waiting here look at once."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def ticket(self) -> asyncio.Event:
        """Taken before a look at the table: a ring during the look is not missed."""
        return self._event

    def ring(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    @staticmethod
    async def wait(ticket: asyncio.Event, timeout: float) -> None:
        try:
            await asyncio.wait_for(ticket.wait(), max(0.0, timeout))
        except TimeoutError:
            pass
