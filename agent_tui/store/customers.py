"""Finding customers and assembling their 360: indexed lookups and paged lists only.

Every query here is answered from an index and bounded by a LIMIT, so a customer with 10,000
transactions opens as fast as one with ten; the screens ask for the next page when the agent does.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

import msgspec

from agent_tui.domain.models import (
    Account,
    AccountStatus,
    CaseSummary,
    Customer,
    Customer360,
    Interaction,
    Page,
    SearchHit,
    Segment,
    Transaction,
)
from agent_tui.domain.query import QueryKind, SearchQuery
from agent_tui.domain.risk import (
    DEFAULT_RULES,
    PASSWORD_CHANGE,
    TRANSFER_OUT,
    RiskEvent,
    RiskRules,
    RiskSignal,
    SignalKind,
    detect_signals,
)
from agent_tui.domain.stored import as_date, as_datetime, as_enum, as_level, damaged_fields
from agent_tui.domain.verification import RECENT_AMOUNT_WINDOW, Facts, facts_from


class _HubSignal(msgspec.Struct):
    kind: str
    first_at: str
    last_at: str
    event_ids: list[int]


_SIGNAL_KINDS = frozenset(kind.value for kind in SignalKind)
SEARCH_LIMIT = 50
PAGE_SIZE = 50
OPEN_CASE_STATUSES = ("new", "in_progress", "pending_customer", "escalated")
# The highest code point: a prefix range [p, p + this) is an index range scan, unlike LIKE.
_AFTER_EVERYTHING = "\U0010ffff"

_HIT_COLUMNS = (
    "c.id, c.name, c.mobile, c.id_number, c.segment, c.is_elderly, c.is_disabled, c.risk_level"
)


def _hit(row: tuple, matched_card: str = "") -> SearchHit:
    values = {"name": row[1], "mobile": row[2], "id_number": row[3],
              "segment": as_enum(Segment, row[4]), "risk_level": as_level(row[7])}
    return SearchHit(
        customer_id=row[0],
        is_elderly=bool(row[5]),
        is_disabled=bool(row[6]),
        matched_card=matched_card,
        damaged=damaged_fields(values),
        **values,
    )


def _account(row: tuple) -> Account:
    values = {"kind": row[1], "product_name_zh": row[3], "product_name_en": row[4],
              "product_risk_level": as_level(row[5]), "number": row[6],
              "status": as_enum(AccountStatus, row[7]), "opened_on": as_date(row[9])}
    return Account(id=row[0], product_code=row[2], balance_cents=row[8],
                   damaged=damaged_fields(values), **values)


def _prefix_range(column: str) -> str:
    # Ordered by the indexed column alone: equal keys come out of the index in rowid order, so
    # the order is stable without a sort. Adding c.id (a text key) made SQLite sort every row
    # sharing the prefix: 11,000 for the initials "ly" on a million customers.
    return f"{column} >= ? AND {column} < ? ORDER BY {column} LIMIT ?"


class CustomerRepository:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    # -- search ------------------------------------------------------------------------------

    def search(self, query: SearchQuery, limit: int = SEARCH_LIMIT) -> list[SearchHit]:
        """Customers matching ``query``, best first; at most ``limit`` (ask for one more to know
        whether the list was cut)."""
        kind = query.kind
        if kind is QueryKind.MOBILE:
            return self._by_column("mobile", query.digits, limit)
        if kind is QueryKind.RESIDENT_ID:
            return self._by_column("id_number", query.digits, limit)
        if kind is QueryKind.ID_LAST6:
            return self._by_column("id_last6", query.digits, limit)
        if kind is QueryKind.CARD_OR_ACCOUNT:
            return self._by_account_number(query.digits, limit)
        if kind in (QueryKind.LAST4_AND_NAME, QueryKind.LAST4_ONLY):
            return self._by_last4(query.digits, query.text, limit)
        if kind is QueryKind.NAME:
            return self._by_prefix("c.name", query.text, limit)
        if kind is QueryKind.PINYIN:
            return self._by_pinyin(query.text, limit)
        return []

    def _by_column(self, column: str, value: str, limit: int) -> list[SearchHit]:
        rows = self.connection.execute(
            f"SELECT {_HIT_COLUMNS} FROM customers c WHERE c.{column} = ? ORDER BY c.id LIMIT ?",
            (value, limit),
        ).fetchall()
        return [_hit(row) for row in rows]

    def _by_account_number(self, number: str, limit: int) -> list[SearchHit]:
        rows = self.connection.execute(
            f"SELECT {_HIT_COLUMNS}, a.number FROM accounts a JOIN customers c ON c.id = "
            "a.customer_id WHERE a.number = ? ORDER BY c.id LIMIT ?",
            (number, limit),
        ).fetchall()
        return [_hit(row, matched_card=row[8]) for row in rows]

    def _by_last4(self, last4: str, name_part: str, limit: int) -> list[SearchHit]:
        """Cards ending in ``last4`` whose holder's name (or pinyin) matches ``name_part``.

        Hundreds of cards share four last digits. The inner query filters and orders them from
        two indexes alone (accounts by last4, customers' names by id); only the matches are
        then read in full.
        """
        if name_part and name_part.isascii():
            name_filter = "(n.name_pinyin LIKE ? OR n.name_initials LIKE ?)"
            params: tuple = (last4, f"{name_part}%", f"{name_part}%", limit)
        elif name_part:
            name_filter = "instr(n.name, ?) > 0"
            params = (last4, name_part, limit)
        else:
            name_filter, params = "1", (last4, limit)
        rows = self.connection.execute(
            f"SELECT {_HIT_COLUMNS}, m.number FROM ("
            "SELECT a.customer_id AS customer_id, a.number AS number, n.name AS name "
            "FROM accounts a JOIN customers n INDEXED BY customers_id_names "
            f"ON n.id = a.customer_id WHERE a.last4 = ? AND {name_filter} "
            "ORDER BY n.name, n.id LIMIT ?"
            ") m JOIN customers c ON c.id = m.customer_id ORDER BY m.name, c.id",
            params,
        ).fetchall()
        return [_hit(row, matched_card=row[8]) for row in rows]

    def _by_prefix(self, column: str, prefix: str, limit: int) -> list[SearchHit]:
        rows = self.connection.execute(
            f"SELECT {_HIT_COLUMNS} FROM customers c WHERE {_prefix_range(column)}",
            (prefix, prefix + _AFTER_EVERYTHING, limit),
        ).fetchall()
        return [_hit(row) for row in rows]

    def _by_pinyin(self, letters: str, limit: int) -> list[SearchHit]:
        """Full pinyin (zhangsan) or initials (zs): initials first, they are what agents type."""
        hits = self._by_prefix("c.name_initials", letters, limit) if len(letters) <= 4 else []
        seen = {hit.customer_id for hit in hits}
        if len(hits) < limit:
            for hit in self._by_prefix("c.name_pinyin", letters, limit):
                if hit.customer_id not in seen and len(hits) < limit:
                    hits.append(hit)
        return hits

    # -- the 360 -----------------------------------------------------------------------------

    def name(self, customer_id: str) -> str:
        """The customer's name alone (a case's heading), or "" if the customer is not held."""
        row = self.connection.execute("SELECT name FROM customers WHERE id = ?",
                                      (customer_id,)).fetchone()
        return row[0] if row else ""

    def customer(self, customer_id: str) -> Customer | None:
        row = self.connection.execute(
            "SELECT id, name, gender, birth_date, id_number, mobile, segment, is_elderly, "
            "is_disabled, risk_level, address, occupation, customer_since, branch, masked "
            "FROM customers WHERE id = ?",
            (customer_id,),
        ).fetchone()
        if row is None:
            return None
        # Read so that a damaged value (a code outside its enum, a date that does not parse)
        # is marked and the rest of the customer still shows: see agent_tui.domain.stored.
        values = {
            "name": row[1], "gender": row[2], "birth_date": as_date(row[3]),
            "id_number": row[4], "mobile": row[5], "segment": as_enum(Segment, row[6]),
            "risk_level": as_level(row[9]), "address": row[10], "occupation": row[11],
            "customer_since": as_date(row[12]), "branch": row[13],
        }
        damaged = damaged_fields(values)
        if not row[3]:  # a birth date not held (a masked customer) is unknown, not damaged
            damaged -= {"birth_date"}
        return Customer(id=row[0], is_elderly=bool(row[7]), is_disabled=bool(row[8]),
                        masked=bool(row[14]), damaged=damaged, **values)

    def accounts(self, customer_id: str) -> tuple[Account, ...]:
        rows = self.connection.execute(
            "SELECT a.id, a.kind, a.product_code, p.name_zh, p.name_en, p.risk_level, a.number, "
            # A masked customer's balances are not held here: unknown, never a made-up 0.
            "a.status, CASE WHEN c.masked THEN NULL ELSE a.balance_cents END, a.opened_on "
            "FROM accounts a JOIN products p ON p.code = a.product_code "
            "JOIN customers c ON c.id = a.customer_id WHERE a.customer_id = ? "
            "ORDER BY a.opened_on, a.id",
            (customer_id,),
        ).fetchall()
        return tuple(_account(row) for row in rows)

    def transactions(
        self, customer_id: str, offset: int = 0, limit: int = PAGE_SIZE
    ) -> Page[Transaction]:
        total = self.connection.execute(
            "SELECT count(*) FROM transactions WHERE customer_id = ?", (customer_id,)
        ).fetchone()[0]
        rows = self.connection.execute(
            "SELECT id, account_id, at, kind, amount_cents, counterparty, channel, description "
            "FROM transactions WHERE customer_id = ? ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
            (customer_id, limit, offset),
        ).fetchall()
        return Page(tuple(Transaction(*row) for row in rows), offset, total)

    def interactions(
        self, customer_id: str, offset: int = 0, limit: int = PAGE_SIZE
    ) -> Page[Interaction]:
        """The customer's contacts across channels, newest first: the master data's, and the
        calls made on this workstation once they ended (their summary is what the closing read
        out, their outcome the wrap-up code)."""
        total = self.connection.execute(
            "SELECT (SELECT count(*) FROM interactions WHERE customer_id = ?) + "
            "(SELECT count(*) FROM calls WHERE customer_id = ? AND ended_at IS NOT NULL)",
            (customer_id, customer_id),
        ).fetchone()[0]
        rows = self.connection.execute(
            "SELECT id, at, channel, category, agent_id, summary, outcome FROM interactions "
            "WHERE customer_id = ? UNION ALL "
            "SELECT c.id, c.started_at, 'phone', coalesce(c.request_type, ''), c.agent_id, "
            "coalesce((SELECT json_extract(e.detail, '$.summary') FROM call_events e "
            "WHERE e.call_id = c.id AND e.kind = 'call_ended'), ''), c.wrap_up FROM calls c "
            "WHERE c.customer_id = ? AND c.ended_at IS NOT NULL "
            "ORDER BY 2 DESC, 1 DESC LIMIT ? OFFSET ?",
            (customer_id, customer_id, limit, offset),
        ).fetchall()
        return Page(tuple(Interaction(*row) for row in rows), offset, total)

    def open_cases(self, customer_id: str) -> tuple[CaseSummary, ...]:
        placeholders = ", ".join("?" for _ in OPEN_CASE_STATUSES)
        rows = self.connection.execute(
            "SELECT id, number, channel, category, priority, status, title, opened_at, due_at "
            f"FROM cases WHERE customer_id = ? AND status IN ({placeholders}) ORDER BY due_at",
            (customer_id, *OPEN_CASE_STATUSES),
        ).fetchall()
        return tuple(CaseSummary(*row) for row in rows)

    def risk_events(self, customer_id: str, since: datetime) -> list[RiskEvent]:
        """Only the rows the detector looks at: recent outgoing transfers and password changes."""
        rows = self.connection.execute(
            "SELECT id, at, kind, amount_cents FROM transactions WHERE customer_id = ? "
            "AND at >= ? AND kind IN (?, ?)",
            (customer_id, since.isoformat(timespec="seconds"), TRANSFER_OUT, PASSWORD_CHANGE),
        ).fetchall()
        # A time that does not parse (a damaged row) cannot be placed in a window: left out.
        return [RiskEvent(row[0], at, row[2], row[3]) for row in rows
                if (at := as_datetime(row[1])) is not None]

    def customer_360(
        self, customer_id: str, now: datetime, rules: RiskRules = DEFAULT_RULES
    ) -> Customer360 | None:
        customer = self.customer(customer_id)
        if customer is None:
            return None
        if customer.masked:  # no amounts here: the signals are the hub's, found on its own
            signals = self.hub_signals(customer_id)
        else:
            signals = tuple(detect_signals(self.risk_events(customer_id, now - rules.lookback),
                                           now, rules))
        return Customer360(
            customer=customer,
            accounts=self.accounts(customer_id),
            transactions=self.transactions(customer_id),
            interactions=self.interactions(customer_id),
            open_cases=self.open_cases(customer_id),
            signals=signals,
            pending_operations=self.pending_operations(customer_id),
            flags=tuple(self.connection.execute(
                # One line per kind: forty lockouts are one warning with a count, never a
                # banner that fills the screen.
                "SELECT flag, max(at), count(*) FROM customer_flags WHERE customer_id = ? "
                "AND cleared_at IS NULL GROUP BY flag ORDER BY max(at) DESC",
                (customer_id,)).fetchall()),
        )

    def pending_operations(self, customer_id: str) -> dict[str, str]:
        """Operations sent to the hub and not yet answered (the outbox holds them), by account:
        the card shows as pending until the hub's change comes back."""
        rows = self.connection.execute(
            "SELECT json_extract(args_json, '$.account_id'), "
            "json_extract(args_json, '$.operation') FROM outbox "
            "WHERE name = 'operation.perform' AND json_extract(args_json, '$.customer_id') = ?",
            (customer_id,)).fetchall()
        return {account: operation for account, operation in rows if account}

    def hub_signals(self, customer_id: str) -> tuple[RiskSignal, ...]:
        row = self.connection.execute(
            "SELECT body FROM customer_signals WHERE customer_id = ?", (customer_id,)).fetchone()
        if row is None:
            return ()
        try:
            found = msgspec.json.decode(row[0], type=list[_HubSignal])
        except msgspec.DecodeError:
            return ()
        return tuple(RiskSignal(SignalKind(signal.kind), datetime.fromisoformat(signal.first_at),
                                datetime.fromisoformat(signal.last_at),
                                frozenset(signal.event_ids))
                     for signal in found if signal.kind in _SIGNAL_KINDS)

    def sealed_copy(self, customer_id: str) -> tuple[str, bytes] | None:
        """The customer's sealed copy from the hub (its expiry, and its JSON), if held."""
        row = self.connection.execute(
            "SELECT expires_at, body FROM sealed_copies WHERE customer_id = ?",
            (customer_id,)).fetchone()
        return (row[0], row[1].encode()) if row else None

    def verification_facts(self, customer_id: str, now: datetime) -> Facts | None:
        """What identity verification compares the caller's answers with. Never shown. None
        for a customer held masked: its facts are the hub's (or in its sealed copy)."""
        customer = self.customer(customer_id)
        if customer is None or customer.masked:
            return None
        rows = self.connection.execute(
            "SELECT at, amount_cents FROM transactions WHERE customer_id = ? AND at >= ?",
            (customer_id, (now - RECENT_AMOUNT_WINDOW).isoformat(timespec="seconds")),
        ).fetchall()
        return facts_from(
            customer.name, customer.id_number, customer.mobile, customer.birth_date,
            [(when, cents) for at, cents in rows if (when := as_datetime(at)) is not None], now,
        )
