"""Who read which customer data, and how much: every read audited, reads limited per agent.

A token that leaks, or an agent who pages through customers, meets a limit: so many records
and so many searches per rolling hour (configurable on ``hub serve``). Past it the hub answers
429 with Retry-After, and the refusal is audited too. The counts come from the audit rows
themselves, so every hub process behind a load balancer enforces the same limit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta

import msgspec
from sqlalchemy import Connection, Engine, bindparam, func, select

from agent_tui.domain.ids import new_id
from agent_tui.domain.times import iso
from agent_tui.hub.auth import Principal
from agent_tui.hub.database import reading
from agent_tui.hub.schema import access_log, disclosures

WINDOW = timedelta(hours=1)


class Limits(msgspec.Struct, frozen=True):
    records_per_hour: int = 600  # customer records fetched (and released) per agent
    searches_per_hour: int = 1200


class LimitReached(Exception):
    def __init__(self, limit: str, retry_after: int) -> None:
        super().__init__(limit)
        self.limit, self.retry_after = limit, retry_after


_COUNTED = select(func.count(), func.min(access_log.c.at)).where(
    access_log.c.agent_id == bindparam("agent_id"), access_log.c.kind == bindparam("kind"),
    access_log.c.at >= bindparam("since"))
_KIND_LIMIT = {"fetch": "records_per_hour", "release": "records_per_hour",
               "search": "searches_per_hour"}


def check(engine: Engine, principal: Principal, kind: str, limits: Limits,
          now: datetime) -> None:
    """Raise ``LimitReached`` (after auditing the refusal) if ``principal`` is past its limit."""
    name = _KIND_LIMIT[kind]
    limit = getattr(limits, name)
    kinds = [k for k, n in _KIND_LIMIT.items() if n == name]
    since = iso(now - WINDOW)
    used, oldest = 0, None
    with reading(engine) as connection:
        for counted in kinds:
            count, first = connection.execute(_COUNTED, {
                "agent_id": principal.agent_id, "kind": counted, "since": since}).one()
            used += count
            if first and (oldest is None or first < oldest):
                oldest = first
    if used < limit:
        return
    retry = WINDOW - (now - datetime.fromisoformat(oldest)) if oldest else WINDOW
    retry_after = max(1, math.ceil(retry.total_seconds()))
    with engine.begin() as connection:
        log(connection, principal, "refused", now, detail={"limit": name, "used": used})
    raise LimitReached(name, retry_after)


def log(connection: Connection, principal: Principal, kind: str, at: datetime, *,
        customer_id: str | None = None, records: int = 0, detail: dict | None = None) -> None:
    connection.execute(access_log.insert().values(
        at=iso(at), agent_id=principal.agent_id, team=principal.team, kind=kind,
        customer_id=customer_id, records=records,
        detail=msgspec.json.encode(detail or {}).decode()))


def disclose(connection: Connection, principal: Principal, device_id: str, customer_id: str,
             call_id: str, tier: str, fields: Iterable[str], reason: str, at: datetime) -> str:
    """Write the audit row of a release, in the transaction that decides it."""
    disclosure_id = new_id()
    connection.execute(disclosures.insert().values(
        id=disclosure_id, at=iso(at), agent_id=principal.agent_id, team=principal.team,
        device_id=device_id, customer_id=customer_id, call_id=call_id, tier=tier,
        fields=msgspec.json.encode(list(fields)).decode(), reason=reason))
    connection.execute(access_log.insert().values(
        at=iso(at), agent_id=principal.agent_id, team=principal.team, kind="release",
        customer_id=customer_id, records=1, detail=msgspec.json.encode(
            {"call_id": call_id, "tier": tier}).decode()))
    return disclosure_id


# -- supervisors read their team's audit ---------------------------------------------------------

AUDIT_LIMIT = 1000


def read_disclosures(engine: Engine, team: str, *, agent_id: str | None,
                     customer_id: str | None, since: str | None, limit: int) -> list[dict]:
    query = select(disclosures).where(disclosures.c.team == team)
    if agent_id:
        query = query.where(disclosures.c.agent_id == agent_id)
    if customer_id:
        query = query.where(disclosures.c.customer_id == customer_id)
    if since:
        query = query.where(disclosures.c.at >= since)
    with reading(engine) as connection:
        rows = connection.execute(query.order_by(disclosures.c.at.desc()).limit(
            max(1, min(limit, AUDIT_LIMIT)))).all()
    return [{**row._mapping, "fields": msgspec.json.decode(row.fields or "[]")} for row in rows]


def read_access(engine: Engine, team: str, *, agent_id: str | None, since: str | None,
                limit: int) -> list[dict]:
    query = select(access_log).where(access_log.c.team == team)
    if agent_id:
        query = query.where(access_log.c.agent_id == agent_id)
    if since:
        query = query.where(access_log.c.at >= since)
    with reading(engine) as connection:
        rows = connection.execute(query.order_by(access_log.c.seq.desc()).limit(
            max(1, min(limit, AUDIT_LIMIT)))).all()
    return [{**{key: value for key, value in row._mapping.items() if key != "detail"},
             "detail": msgspec.json.decode(row.detail or "{}")} for row in rows]
