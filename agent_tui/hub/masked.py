"""Customer data as it leaves the hub: masked, with the same masking the 360 uses.

Nothing the hub sends before a verification carries a full name, mobile, resident ID, card or
account number, birth date, address, balance or amount. What a verification earns is released
separately (``release``), for one call, and audited. The facts the hub verifies against are read
here too: they never leave the hub.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, bindparam, select

from agent_tui.domain.disclosed import (
    Revealed,
    RevealedAccount,
    RevealedCustomer,
    RevealedTransaction,
)
from agent_tui.domain.masking import (
    mask_card,
    mask_free_text,
    mask_mobile,
    mask_name,
    mask_resident_id,
)
from agent_tui.domain.verification import RECENT_AMOUNT_WINDOW, Facts, facts_from
from agent_tui.hub.schema import accounts, customers, transactions

RECENT_TRANSACTIONS = 200

# Fields a workstation may hold of a customer before verification, as they are.
_KEPT = ("id", "gender", "segment", "is_elderly", "is_disabled", "risk_level", "occupation",
         "customer_since", "branch", "version", "name_initials")
BASIC_FIELDS = ("name", "mobile", "birth_date", "address", "balances", "amounts",
                "counterparties")
FULL_FIELDS = ("id_number", "card_numbers")


def customer(row: dict | None) -> dict | None:
    """A customer row, masked: enough to recognise the record, nothing to verify with."""
    if row is None:
        return None
    masked = {field: row.get(field) for field in _KEPT if field in row}
    masked.update(
        name=mask_name(row.get("name") or ""),
        mobile=mask_mobile(row.get("mobile") or ""),
        id_number=mask_resident_id(row.get("id_number") or ""),
        # Verification answers and what would give them away: not sent at all.
        id_last6="", birth_date="", name_pinyin="",
        address=mask_free_text(row.get("address") or ""),
        masked=1,
    )
    return masked


def account(row: dict) -> dict:
    number = row.get("number") or ""
    return {**row, "number": mask_card(number), "last4": number[-4:], "balance_cents": None}


def transaction(row: dict) -> dict:
    return {**row, "amount_cents": None,
            "counterparty": mask_free_text(row.get("counterparty") or "")}


# -- what the hub verifies against, and what a pass releases -------------------------------------

_FACTS = select(customers.c.name, customers.c.id_number, customers.c.mobile,
                customers.c.birth_date).where(customers.c.id == bindparam("customer_id"))
_RECENT = select(transactions.c.at, transactions.c.amount_cents).where(
    transactions.c.customer_id == bindparam("customer_id"),
    transactions.c.at >= bindparam("since"))


def facts(connection: Connection, customer_id: str, now: datetime) -> Facts | None:
    row = connection.execute(_FACTS, {"customer_id": customer_id}).first()
    if row is None:
        return None
    try:
        born = date.fromisoformat(row.birth_date)
    except ValueError:
        born = date.min  # a damaged birth date matches no answer
    since = (now - RECENT_AMOUNT_WINDOW).isoformat(timespec="seconds")
    recent = connection.execute(_RECENT, {"customer_id": customer_id, "since": since}).all()
    return facts_from(row.name, row.id_number, row.mobile, born,
                      [(datetime.fromisoformat(at), cents) for at, cents in recent], now)


def release(connection: Connection, customer_id: str, *, full: bool) -> Revealed:
    """The values a passed verification (basic) or step-up (full) discloses."""
    profile = connection.execute(select(customers).where(customers.c.id == customer_id)).first()
    if profile is None:
        return Revealed(customer_id)
    account_rows = connection.execute(select(accounts.c.id, accounts.c.balance_cents,
                                             accounts.c.number).where(
        accounts.c.customer_id == customer_id)).all()
    if full:
        return Revealed(customer_id, RevealedCustomer(id_number=profile.id_number), tuple(
            RevealedAccount(row.id, number=row.number) for row in account_rows))
    transaction_rows = connection.execute(recent_transactions(customer_id).with_only_columns(
        transactions.c.id, transactions.c.amount_cents, transactions.c.counterparty)).all()
    return Revealed(
        customer_id,
        RevealedCustomer(name=profile.name, mobile=profile.mobile,
                         birth_date=profile.birth_date, address=profile.address),
        tuple(RevealedAccount(row.id, balance_cents=row.balance_cents) for row in account_rows),
        tuple(RevealedTransaction(row.id, row.amount_cents, row.counterparty)
              for row in transaction_rows))


def recent_transactions(customer_id: str):
    """The transactions a fetch sends (and a pass reveals): the newest, bounded."""
    return select(transactions).where(transactions.c.customer_id == customer_id).order_by(
        transactions.c.at.desc(), transactions.c.id.desc()).limit(RECENT_TRANSACTIONS)
