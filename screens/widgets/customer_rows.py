"""What the customer 360 draws, as lines and table rows: the profile's three lines and the rows of
its four tables, each cell already masked (``shown``) and sanitised. The screen puts them in its
widgets; the same rows serve a 360 opened afresh and one reused for the next customer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from rich.text import Text
from textual.content import Content

from agent_tui.domain.masking import Disclosure
from agent_tui.domain.models import AccountStatus, Customer, Customer360, Page, Transaction
from agent_tui.domain.operations import OPERATION_NAMES
from agent_tui.domain.times import stamp
from screens.widgets.badges import (
    as_content,
    as_text,
    badge_parts,
    damaged_part,
    risk_badge,
    risk_part,
)
from screens.widgets.safe import cell, safe

Translate = Callable[..., str]
Row = tuple[tuple[Text, ...], str]  # the cells, and the row's key

_STATUS_STYLE = {
    AccountStatus.ACTIVE: "",
    AccountStatus.FROZEN: "bold red",
    AccountStatus.REPORTED_LOST: "bold yellow",
    AccountStatus.CLOSED: "dim",
}


def profile_lines(customer: Customer, shown: Disclosure, t: Translate,
                  today: date) -> tuple[Content, Content, Content]:
    """The name line (gender, age, badges, risk, what the call disclosed), the ids line and the
    address line."""
    age = customer.age(today)
    damaged = as_content([damaged_part(t)])
    name_line = Content.assemble(
        safe(shown.name(customer.name), "bold"),
        "  ",
        t(f"gender.{customer.gender}"),
        "  ",
        t("c360.age", age=age) if age is not None
        else damaged if "birth_date" in customer.damaged else t("c360.age_unknown"),
        "  ",
        as_content(badge_parts(customer.segment, customer.is_elderly, customer.is_disabled, t)),
        "  ",
        t("c360.risk_level"),
        " ",
        as_content([risk_part(customer.risk_level)]),
        "  ",
        (t(f"c360.tier.{shown.tier.name.lower()}"), "italic"),
    )
    ids_line = Content.assemble(
        t("c360.mobile"), " ", safe(shown.mobile(customer.mobile)), "   ",
        t("c360.id_number"), " ", safe(shown.resident_id(customer.id_number)), "   ",
        t("c360.birth_date"), " ",
        damaged if "birth_date" in customer.damaged else safe(shown.birth_date(
            customer.birth_date.isoformat() if customer.birth_date else "")),
    )
    more_line = Content.assemble(
        t("c360.address"), " ", safe(shown.free_text(customer.address)), "   ",
        t("c360.occupation"), " ", safe(customer.occupation), "   ",
        t("c360.since"), " ",
        customer.customer_since.isoformat() if customer.customer_since else damaged, "   ",
        safe(customer.branch),
    )
    return name_line, ids_line, more_line


def account_rows(view: Customer360, shown: Disclosure, t: Translate, language: str) -> Iterator[Row]:
    above = {account.id for account in view.products_above_tolerance()}
    pending = view.pending_operations
    for account in view.accounts:
        risk = risk_badge(account.product_risk_level)
        if account.id in above:
            risk.append(" ").append(t("c360.above_tolerance"), style="bold red")
        status = (
            as_text([damaged_part(t)]) if account.status is None else
            cell(t("c360.pending", status=t(f"status.{account.status.value}"),
                   operation=OPERATION_NAMES[pending[account.id]](language)
                   if pending[account.id] in OPERATION_NAMES else "?")
                 if account.id in pending else t(f"status.{account.status.value}"),
                 "bold yellow" if account.id in pending else _STATUS_STYLE[account.status])
        )
        yield (
            cell(t(f"account.{account.kind}")),
            cell(account.product_name(language)),
            cell(shown.card(account.number)),
            status,
            cell(shown.amount(account.balance_cents)),
            risk,
        ), account.id


def transaction_rows(page: Page[Transaction], flagged: frozenset[int] | frozenset[str],
                     shown: Disclosure, t: Translate) -> Iterator[Row]:
    """``page`` already unveiled to what ``shown`` allows."""
    for row in page.rows:
        is_flagged = row.id in flagged
        yield (
            cell("\u26a0" if is_flagged else "", "bold red"),
            cell(stamp(row.at)),
            cell(t(f"txn.{row.kind}"), "bold red" if is_flagged else ""),
            cell(shown.amount(row.amount_cents)),
            cell(shown.free_text(row.counterparty)),
            cell(t(f"txn_channel.{row.channel}")),
        ), str(row.id)


def history_rows(view: Customer360, t: Translate, messages: dict) -> Iterator[Row]:
    for row in view.interactions.rows:
        # A call made here: its wrap-up code is its outcome; a call that ended before its
        # request type was chosen has none.
        outcome = next((t(key) for key in (f"outcome.{row.outcome}", f"wrap_up.{row.outcome}")
                        if key in messages), row.outcome)
        yield (
            cell(stamp(row.at)),
            cell(t(f"channel.{row.channel}")),
            cell(t(f"category.{row.category}") if row.category else ""),
            cell(outcome),
            cell(row.agent_id),
            cell(row.summary),
        ), row.id


def case_rows(view: Customer360, t: Translate) -> Iterator[Row]:
    for case in view.open_cases:
        yield (
            cell(case.number),
            cell(t(f"category.{case.category}")),
            cell(t(f"priority.{case.priority}")),
            cell(t(f"case_status.{case.status}")),
            cell(stamp(case.due_at)),
            cell(case.title),
        ), case.id
