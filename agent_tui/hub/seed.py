"""Loading the customer master data into the hub: the same generator as the workstation's demo
store, so a demo workstation and its hub hold the same customers under the same ids."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, func, select

from agent_tui.hub.database import reading
from agent_tui.hub.schema import (
    accounts,
    call_events,
    callbacks,
    calls,
    cases,
    customers,
    interactions,
    products,
    transactions,
)
from agent_tui.hub.suitability_schema import risk_assessments
from agent_tui.hub.teams import add_member, save_team
from data import reference as ref
from data.assessments import assessment_for
from data.generator import SeedPlan, make_chunks
from data.history import HistoryPlan, make_history
from data.seed import clean_customers

_CUSTOMER_COLUMNS = ("id", "name", "name_pinyin", "name_initials", "gender", "birth_date",
                     "id_number", "id_last6", "mobile", "segment", "is_elderly", "is_disabled",
                     "risk_level", "address", "occupation", "customer_since", "branch")
_ACCOUNT_COLUMNS = ("id", "customer_id", "kind", "product_code", "number", "last4", "status",
                    "balance_cents", "opened_on")
_TRANSACTION_COLUMNS = ("customer_id", "account_id", "at", "kind", "amount_cents",
                        "counterparty", "channel", "description")
_INTERACTION_COLUMNS = ("id", "customer_id", "at", "channel", "category", "agent_id", "summary",
                        "outcome")
_CASE_COLUMNS = ("id", "number", "customer_id", "channel", "category", "priority", "status",
                 "title", "opened_at", "due_at", "updated_at", "assigned_to")


def _rows(columns: tuple[str, ...], rows: list[tuple]) -> list[dict]:
    return [dict(zip(columns, row, strict=True)) for row in rows]


def seed_hub(engine: Engine, plan: SeedPlan, progress: Callable[[int], None] | None = None
             ) -> int:
    """Load ``plan``'s customers; refuses (returns 0) if the hub already holds customers."""
    with reading(engine) as connection:
        if connection.execute(select(func.count()).select_from(customers)).scalar():
            return 0
    with engine.begin() as connection:
        connection.execute(products.insert(), _rows(
            ("code", "kind", "name_zh", "name_en", "risk_level"), list(ref.PRODUCTS)))
    seen: set[str] = set()
    written = 0
    for chunk in make_chunks(plan):
        with engine.begin() as connection:
            customer_rows = _rows(_CUSTOMER_COLUMNS, clean_customers(chunk.customers, seen))
            connection.execute(customers.insert(), customer_rows)
            if customer_rows:
                connection.execute(risk_assessments.insert(), [
                    assessment_for(row["id"], row["risk_level"], plan.as_of)
                    for row in customer_rows])
            if chunk.accounts:
                connection.execute(accounts.insert(), _rows(_ACCOUNT_COLUMNS, chunk.accounts))
            if chunk.transactions:
                connection.execute(transactions.insert(), _rows(_TRANSACTION_COLUMNS,
                                                                chunk.transactions))
            if chunk.interactions:
                connection.execute(interactions.insert(), _rows(_INTERACTION_COLUMNS,
                                                                chunk.interactions))
            if chunk.cases:
                case_rows = _rows(_CASE_COLUMNS, chunk.cases)
                for row in case_rows:
                    row["created_by"] = row["assigned_to"]
                connection.execute(cases.insert(), case_rows)
        written += len(chunk.customers)
        if progress:
            progress(written)
    return written


def seed_history(engine: Engine, plan: HistoryPlan, now: datetime,
                 progress: Callable[[int], None] | None = None) -> int:
    """The teams of ``plan`` and their past (data/history.py); refuses (returns 0) if the hub
    holds calls already. Returns the calls written."""
    with reading(engine) as connection:
        if connection.execute(select(func.count()).select_from(calls)).scalar():
            return 0
    with engine.begin() as connection:
        for team in plan.teams:
            save_team(connection, team.id, team.name, team.lead, now)
            for agent in team.agents:
                add_member(connection, team.id, agent, agent, now)
    written = 0
    for day in make_history(plan, now):
        with engine.begin() as connection:
            for table, rows in ((calls, day.calls), (call_events, day.events),
                                (cases, day.cases), (callbacks, day.callbacks)):
                if rows:
                    connection.execute(table.insert(), rows)
        written += len(day.calls)
        if progress:
            progress(written)
    return written
