"""What the workstation knows about a customer, as plain values the screens can render."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Generic, TypeVar

import msgspec

from agent_tui.domain.localized import in_language
from agent_tui.domain.risk import RiskSignal


class Segment(Enum):
    MASS = "mass"
    AFFLUENT = "affluent"
    VIP = "vip"
    PRIVATE = "private"

    @property
    def is_priority(self) -> bool:
        """VIP and private-banking customers get the dedicated, priority treatment (DOMAIN.md)."""
        return self in (Segment.VIP, Segment.PRIVATE)


class AccountStatus(Enum):
    ACTIVE = "active"
    FROZEN = "frozen"
    REPORTED_LOST = "reported_lost"
    CLOSED = "closed"


ELDERLY_AGE = 60  # 老年客户: the age from which the caring, slower script applies


# A value the store holds but cannot be read as its type (a code outside its enum, a date that
# does not parse, text that was not UTF-8) reads as None or with U+FFFD, and the record names the
# field in ``damaged`` (agent_tui.domain.stored): the screens mark it and show the rest.
Damaged = frozenset[str]


class SearchHit(msgspec.Struct, frozen=True):
    customer_id: str
    name: str
    mobile: str
    id_number: str
    segment: Segment | None
    is_elderly: bool
    is_disabled: bool
    risk_level: int | None
    matched_card: str = ""  # the card or account number that matched, when one did
    damaged: Damaged = frozenset()


class Customer(msgspec.Struct, frozen=True):
    id: str
    name: str
    gender: str
    birth_date: date | None  # None: not held here (the hub sends customers masked) or damaged
    id_number: str
    mobile: str
    segment: Segment | None
    is_elderly: bool
    is_disabled: bool
    risk_level: int | None
    address: str
    occupation: str
    customer_since: date | None
    branch: str
    # Held as the hub sent it: masked, its full values released only by a verification.
    masked: bool = False
    damaged: Damaged = frozenset()

    def age(self, today: date) -> int | None:
        if self.birth_date is None:
            return None
        before_birthday = (today.month, today.day) < (self.birth_date.month, self.birth_date.day)
        return today.year - self.birth_date.year - before_birthday


class Account(msgspec.Struct, frozen=True):
    id: str
    kind: str
    product_code: str
    product_name_zh: str
    product_name_en: str
    product_risk_level: int | None
    number: str
    status: AccountStatus | None
    balance_cents: int | None  # None: not held here (masked)
    opened_on: date | None
    damaged: Damaged = frozenset()

    def product_name(self, language: str) -> str:
        return in_language(language, self.product_name_zh, self.product_name_en)


class Transaction(msgspec.Struct, frozen=True):
    id: int
    account_id: str
    at: str  # ISO timestamp, as stored
    kind: str
    amount_cents: int | None
    counterparty: str
    channel: str
    description: str


class Interaction(msgspec.Struct, frozen=True):
    id: str
    at: str
    channel: str
    category: str
    agent_id: str
    summary: str
    outcome: str


class CaseSummary(msgspec.Struct, frozen=True):
    id: str
    number: str
    channel: str
    category: str
    priority: str
    status: str
    title: str
    opened_at: str
    due_at: str


T = TypeVar("T")


class Page(msgspec.Struct, Generic[T], frozen=True):
    """One page of a long list: the rows, and where they sit in the whole."""

    rows: tuple[T, ...]
    offset: int
    total: int

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.rows) < self.total

    @property
    def has_previous(self) -> bool:
        return self.offset > 0


class Customer360(msgspec.Struct, frozen=True):
    customer: Customer
    accounts: tuple[Account, ...]
    transactions: Page[Transaction]
    interactions: Page[Interaction]
    open_cases: tuple[CaseSummary, ...]
    signals: tuple[RiskSignal, ...] = msgspec.field(default_factory=tuple)
    # Operations sent to the hub and not yet confirmed, by account id (the operation's name).
    pending_operations: dict[str, str] = msgspec.field(default_factory=dict)
    # Open flags on the customer (possible fraud after a locked verification), one per kind,
    # newest first: (flag, when it was last raised, how many times it is open).
    flags: tuple[tuple[str, str, int], ...] = ()

    @property
    def flagged_transaction_ids(self) -> frozenset[int]:
        return frozenset().union(*(signal.event_ids for signal in self.signals))

    def products_above_tolerance(self) -> tuple[Account, ...]:
        """Products riskier than the customer's own risk level: never to be recommended more of."""
        return tuple(
            account
            for account in self.accounts
            if account.product_risk_level is not None and self.customer.risk_level is not None
            and account.product_risk_level > self.customer.risk_level
        )
