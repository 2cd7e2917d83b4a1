"""Online search and fetch of customer master data, for workstations to show and cache.

The same query grammar as the workstation's own search (``domain.query``), answered from the
hub's indexes and bounded. A fetch carries what a 360 needs: the profile, accounts, recent
transactions and interactions, the risk signals the hub found, and the customer's cases that
this principal may read. All of it masked (``hub.masked``): the full values are released only
by a verification (``hub.identity``). With it comes the customer's sealed copy, for the
workstation to verify offline. Every search and fetch is audited and counted (``hub.access``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, or_, select

from agent_tui.domain.cases import CASE_FIELDS
from agent_tui.domain.query import QueryKind, parse_query
from agent_tui.domain.risk import (
    DEFAULT_RULES,
    PASSWORD_CHANGE,
    TRANSFER_OUT,
    RiskEvent,
    detect_signals,
)
from agent_tui.domain.scripts import VerificationPolicy
from agent_tui.domain.times import iso
from agent_tui.hub import access, masked, sealing
from agent_tui.hub.auth import Principal
from agent_tui.hub.database import reading
from agent_tui.hub.schema import (
    accounts,
    cases,
    customer_flags,
    customers,
    interactions,
    products,
    transactions,
)
from agent_tui.hub.suitability_schema import risk_assessments

SEARCH_LIMIT = 50
RECENT_INTERACTIONS = 50
RECENT_ASSESSMENTS = 10  # more than a year's limit (8): the workstation counts the limits on them
_AFTER_EVERYTHING = "\U0010ffff"


def _prefix(column, value: str):
    return (column >= value) & (column < value + _AFTER_EVERYTHING)


def search(engine: Engine, principal: Principal, raw: str, limits: access.Limits,
           now: datetime, limit: int = SEARCH_LIMIT) -> list[dict]:
    """Customers for ``raw``, masked; the search is audited (its kind and what it returned,
    never its text) and counted against the agent's limit."""
    access.check(engine, principal, "search", limits, now)
    query = parse_query(raw)
    found = _search(engine, query, limit)
    with engine.begin() as connection:
        access.log(connection, principal, "search", now, records=len(found), detail={
            "query_kind": query.kind.value, "customers": [row["id"] for row in found]})
    return [masked.customer(row) for row in found]


def _search(engine: Engine, query, limit: int) -> list[dict]:
    limit = max(1, min(limit, SEARCH_LIMIT))
    base = select(customers)
    kind = query.kind
    if kind is QueryKind.MOBILE:
        statement = base.where(customers.c.mobile == query.digits)
    elif kind is QueryKind.RESIDENT_ID:
        statement = base.where(customers.c.id_number == query.digits)
    elif kind is QueryKind.ID_LAST6:
        statement = base.where(customers.c.id_last6 == query.digits)
    elif kind is QueryKind.CARD_OR_ACCOUNT:
        statement = base.where(customers.c.id.in_(
            select(accounts.c.customer_id).where(accounts.c.number == query.digits)))
    elif kind in (QueryKind.LAST4_AND_NAME, QueryKind.LAST4_ONLY):
        statement = base.where(customers.c.id.in_(
            select(accounts.c.customer_id).where(accounts.c.last4 == query.digits)))
        if query.text and query.text.isascii():
            statement = statement.where(or_(_prefix(customers.c.name_pinyin, query.text),
                                            _prefix(customers.c.name_initials, query.text)))
        elif query.text:
            statement = statement.where(customers.c.name.contains(query.text, autoescape=True))
    elif kind is QueryKind.NAME:
        statement = base.where(_prefix(customers.c.name, query.text))
    elif kind is QueryKind.PINYIN:
        statement = base.where(or_(_prefix(customers.c.name_initials, query.text),
                                   _prefix(customers.c.name_pinyin, query.text)))
    else:
        return []
    with reading(engine) as connection:
        rows = connection.execute(statement.order_by(customers.c.id).limit(limit)).all()
    return [dict(row._mapping) for row in rows]


def fetch(engine: Engine, principal: Principal, customer_id: str, limits: access.Limits,
          policy: VerificationPolicy, now: datetime) -> dict | None:
    """A customer's record, masked, with its signals and sealed copy; audited and counted."""
    access.check(engine, principal, "fetch", limits, now)
    with reading(engine) as connection:
        record = _record(connection, principal, customer_id, now)
    if record is None:
        return None
    with engine.begin() as connection:
        record["sealed"] = sealing.sealed_copy(connection, customer_id, policy, now)
        access.log(connection, principal, "fetch", now, customer_id=customer_id, records=1)
    return record


def _record(connection: Connection, principal: Principal, customer_id: str, now: datetime
            ) -> dict | None:
    profile = connection.execute(select(customers).where(customers.c.id == customer_id)).first()
    if profile is None:
        return None
    account_rows = connection.execute(select(accounts).where(
        accounts.c.customer_id == customer_id).order_by(accounts.c.opened_on, accounts.c.id)
    ).all()
    codes = {row.product_code for row in account_rows}
    product_rows = connection.execute(select(products).where(products.c.code.in_(codes))
                                      ).all() if codes else []
    transaction_rows = connection.execute(masked.recent_transactions(customer_id)).all()
    interaction_rows = connection.execute(select(interactions).where(
        interactions.c.customer_id == customer_id).order_by(interactions.c.at.desc()).limit(
        RECENT_INTERACTIONS)).all()
    visible = or_(cases.c.assigned_to == principal.agent_id,
                  cases.c.created_by == principal.agent_id)
    if principal.role == "supervisor" and principal.team:
        visible = or_(visible, cases.c.team == principal.team)
    case_rows = connection.execute(select(*(cases.c[name] for name in CASE_FIELDS)).where(
        cases.c.customer_id == customer_id, visible).order_by(cases.c.opened_at)).all()
    return {
        "customer": masked.customer(dict(profile._mapping)),
        "products": [dict(row._mapping) for row in product_rows],
        "accounts": [masked.account(dict(row._mapping)) for row in account_rows],
        "transactions": [masked.transaction(dict(row._mapping)) for row in transaction_rows],
        "interactions": [dict(row._mapping) for row in interaction_rows],
        "cases": [dict(row._mapping) for row in case_rows],
        "signals": _signals(connection, customer_id, now),
        "flags": [dict(row._mapping) for row in connection.execute(select(
            customer_flags.c.id, customer_flags.c.flag, customer_flags.c.at,
            customer_flags.c.agent_id, customer_flags.c.call_id, customer_flags.c.reason).where(
            customer_flags.c.customer_id == customer_id).order_by(customer_flags.c.at))],
        # Suitability (issue 18): the latest counts, the year's are what the limits count.
        # The answers stay on the hub (the evidence), the level and its date go.
        "assessments": [dict(row._mapping) for row in connection.execute(
            select(risk_assessments.c.id, risk_assessments.c.customer_id,
                   risk_assessments.c.level, risk_assessments.c.assessed_at,
                   risk_assessments.c.answers_version)
            .where(risk_assessments.c.customer_id == customer_id)
            .order_by(risk_assessments.c.assessed_at.desc()).limit(RECENT_ASSESSMENTS))],
    }


def _signals(connection: Connection, customer_id: str, now: datetime) -> list[dict]:
    """The risk signals, found here on the full amounts (the workstation holds none)."""
    rules = DEFAULT_RULES
    rows = connection.execute(select(
        transactions.c.id, transactions.c.at, transactions.c.kind, transactions.c.amount_cents
    ).where(transactions.c.customer_id == customer_id,
            transactions.c.at >= iso(now - rules.lookback),
            transactions.c.kind.in_((TRANSFER_OUT, PASSWORD_CHANGE)))).all()
    events = [RiskEvent(row.id, datetime.fromisoformat(row.at), row.kind, row.amount_cents)
              for row in rows]
    return [{"kind": signal.kind.value, "first_at": iso(signal.first_at),
             "last_at": iso(signal.last_at), "event_ids": sorted(signal.event_ids)}
            for signal in detect_signals(events, now, rules)]
