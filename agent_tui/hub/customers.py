"""Online search and fetch of customer master data, for workstations to show and cache.

The same query grammar as the workstation's own search (``domain.query``), answered from the
hub's indexes and bounded. A fetch carries what a 360 needs: the profile, accounts, recent
transactions and interactions, and the customer's cases that this principal may read.
"""

from __future__ import annotations

from sqlalchemy import Engine, or_, select

from agent_tui.domain.cases import CASE_FIELDS
from agent_tui.domain.query import QueryKind, parse_query
from agent_tui.hub.auth import Principal
from agent_tui.hub.database import reading
from agent_tui.hub.schema import (
    accounts,
    cases,
    customers,
    interactions,
    products,
    transactions,
)

SEARCH_LIMIT = 50
RECENT_TRANSACTIONS = 200
RECENT_INTERACTIONS = 50
_AFTER_EVERYTHING = "\U0010ffff"


def _prefix(column, value: str):
    return (column >= value) & (column < value + _AFTER_EVERYTHING)


def search(engine: Engine, raw: str, limit: int = SEARCH_LIMIT) -> list[dict]:
    query = parse_query(raw)
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


def fetch(engine: Engine, principal: Principal, customer_id: str) -> dict | None:
    with reading(engine) as connection:
        profile = connection.execute(select(customers).where(customers.c.id == customer_id)
                                     ).first()
        if profile is None:
            return None
        account_rows = connection.execute(select(accounts).where(
            accounts.c.customer_id == customer_id).order_by(accounts.c.opened_on, accounts.c.id)
        ).all()
        codes = {row.product_code for row in account_rows}
        product_rows = connection.execute(select(products).where(products.c.code.in_(codes))
                                          ).all() if codes else []
        transaction_rows = connection.execute(select(transactions).where(
            transactions.c.customer_id == customer_id).order_by(
            transactions.c.at.desc(), transactions.c.id.desc()).limit(RECENT_TRANSACTIONS)).all()
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
        "customer": dict(profile._mapping),
        "products": [dict(row._mapping) for row in product_rows],
        "accounts": [dict(row._mapping) for row in account_rows],
        "transactions": [dict(row._mapping) for row in transaction_rows],
        "interactions": [dict(row._mapping) for row in interaction_rows],
        "cases": [dict(row._mapping) for row in case_rows],
    }
