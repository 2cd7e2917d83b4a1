"""Values the hub disclosed for one call: held in memory for the call, never written to the store.

A workstation connected to a hub holds customers masked (the hub sends nothing else). A passed
verification makes the hub (or, offline, the customer's sealed copy) release the basic tier's
values; a passed step-up the full tier's. They overlay the masked rows when a screen draws them,
and are gone when the call ends: nothing to clean up on disk, nothing left for the next caller.
"""

from __future__ import annotations

from datetime import date

import msgspec

from agent_tui.domain.models import Account, Customer, Customer360, Page, SearchHit, Transaction


class RevealedCustomer(msgspec.Struct, frozen=True, omit_defaults=True):
    name: str | None = None
    mobile: str | None = None
    birth_date: str | None = None  # ISO date
    address: str | None = None
    id_number: str | None = None  # the full tier only


class RevealedAccount(msgspec.Struct, frozen=True, omit_defaults=True):
    id: str
    balance_cents: int | None = None
    number: str | None = None  # the full tier only


class RevealedTransaction(msgspec.Struct, frozen=True, omit_defaults=True):
    id: int
    amount_cents: int | None = None
    counterparty: str | None = None


class Revealed(msgspec.Struct, frozen=True):
    """What one release disclosed of one customer (the basic tier, the full tier, or both)."""

    customer_id: str
    customer: RevealedCustomer = RevealedCustomer()
    accounts: tuple[RevealedAccount, ...] = ()
    transactions: tuple[RevealedTransaction, ...] = ()

    def merged(self, other: Revealed | None) -> Revealed:
        """This release with ``other``'s values over it (a step-up's full tier over the basic)."""
        if other is None:
            return self
        customer = msgspec.structs.replace(self.customer, **{
            field: getattr(other.customer, field) for field in other.customer.__struct_fields__
            if getattr(other.customer, field) is not None})
        accounts = {account.id: account for account in self.accounts}
        for account in other.accounts:
            held = accounts.get(account.id)
            accounts[account.id] = account if held is None else msgspec.structs.replace(held, **{
                field: getattr(account, field) for field in ("balance_cents", "number")
                if getattr(account, field) is not None})
        transactions = {row.id: row for row in self.transactions}
        transactions.update({row.id: row for row in other.transactions})
        return Revealed(self.customer_id, customer, tuple(accounts.values()),
                        tuple(transactions.values()))

    # -- overlaying the masked rows ------------------------------------------------------------

    def customer_of(self, customer: Customer) -> Customer:
        if customer.id != self.customer_id:
            return customer
        values = self.customer
        changes: dict[str, object] = {
            field: getattr(values, field) for field in ("name", "mobile", "address", "id_number")
            if getattr(values, field) is not None}
        if values.birth_date:
            try:
                changes["birth_date"] = date.fromisoformat(values.birth_date)
            except ValueError:
                pass  # not a date: the masked value stays
        return msgspec.structs.replace(customer, **changes) if changes else customer

    def account_of(self, account: Account) -> Account:
        for revealed in self.accounts:
            if revealed.id == account.id:
                changes = {field: getattr(revealed, field) for field in ("balance_cents", "number")
                           if getattr(revealed, field) is not None}
                return msgspec.structs.replace(account, **changes) if changes else account
        return account

    def transactions_of(self, page: Page[Transaction]) -> Page[Transaction]:
        by_id = {row.id: row for row in self.transactions}
        if not by_id:
            return page
        rows = []
        for row in page.rows:
            revealed = by_id.get(row.id)
            if revealed is not None:
                row = msgspec.structs.replace(row, **{
                    field: getattr(revealed, field) for field in ("amount_cents", "counterparty")
                    if getattr(revealed, field) is not None})
            rows.append(row)
        return Page(tuple(rows), page.offset, page.total)

    def view_of(self, view: Customer360) -> Customer360:
        if view.customer.id != self.customer_id:
            return view
        return msgspec.structs.replace(
            view, customer=self.customer_of(view.customer),
            accounts=tuple(self.account_of(account) for account in view.accounts),
            transactions=self.transactions_of(view.transactions))

    def hit_of(self, hit: SearchHit) -> SearchHit:
        if hit.customer_id != self.customer_id:
            return hit
        values = self.customer
        changes = {field: getattr(values, field) for field in ("name", "mobile", "id_number")
                   if getattr(values, field) is not None}
        return msgspec.structs.replace(hit, **changes) if changes else hit


def overlay(revealed: Revealed | None, value):
    """``value`` (a 360, a customer, an account, a page of transactions or a search hit) with
    what ``revealed`` disclosed put over its masked fields; unchanged without a release."""
    if revealed is None:
        return value
    if isinstance(value, Customer360):
        return revealed.view_of(value)
    if isinstance(value, Customer):
        return revealed.customer_of(value)
    if isinstance(value, Account):
        return revealed.account_of(value)
    if isinstance(value, SearchHit):
        return revealed.hit_of(value)
    if isinstance(value, Page):
        return revealed.transactions_of(value)
    raise TypeError(f"nothing to overlay on {type(value).__name__}")
