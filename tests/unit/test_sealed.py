"""Sealed copies (offline verification) and released values (held in memory for a call): pure."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from agent_tui.domain.disclosed import (
    Revealed,
    RevealedAccount,
    RevealedCustomer,
    RevealedTransaction,
    overlay,
)
from agent_tui.domain.masking import Disclosure, Tier
from agent_tui.domain.models import Account, AccountStatus, Customer, Page, Segment, Transaction
from agent_tui.domain.sealed import SealedCopy, open_sealed, seal
from agent_tui.domain.verification import Facts, canonical_truths

FACTS = Facts("张三明", "110105199001011234", "13812345678", date(1990, 1, 1), (12345, 500))
FACTORS = ("name", "id_last6", "mobile", "birth_date", "recent_amount")
ANY_OF = FACTORS[1:]


@pytest.fixture(scope="module")
def copy() -> SealedCopy:
    truths = {factor: canonical_truths(factor, FACTS) for factor in FACTORS}
    return seal("C1", truths, ("name",), ANY_OF, 2, b'{"secret": true}', "2026-11-20",
                "2026-11-27")


@pytest.mark.parametrize("answers", [
    {"name": "张三明", "mobile": "138 1234 5678", "recent_amount": "5元"},
    {"name": " 张三明", "id_last6": "011234", "birth_date": "1990年1月1日"},
    {"name": "张三明", "birth_date": "1990-01-01", "recent_amount": "¥123.45"},
])
def test_the_name_and_two_right_answers_open_it(copy, answers):
    assert open_sealed(copy, answers).payload == b'{"secret": true}'


def test_a_wrong_answer_leaves_it_shut_and_says_which(copy):
    opened = open_sealed(copy, {"name": "张三明", "mobile": "13812345678",
                                "birth_date": "1991-01-01"})
    assert (opened.payload, opened.opened, opened.unopened) == (None, ("mobile",),
                                                                ("birth_date",))


def test_a_wrong_name_opens_no_share_at_all(copy):
    opened = open_sealed(copy, {"name": "张三", "mobile": "13812345678",
                                "id_last6": "011234"})
    assert (opened.payload, opened.opened) == (None, ())


def test_a_tampered_copy_does_not_open(copy):
    body = msgspec.to_builtins(copy)
    tampered = msgspec.convert({**body, "customer_id": "C2"}, SealedCopy)
    assert open_sealed(tampered, {"name": "张三明", "mobile": "13812345678",
                                  "id_last6": "011234"}).payload is None


def test_nothing_of_the_answers_is_in_the_copy(copy):
    sealed = msgspec.json.encode(copy)
    for truth in ("张三明", "011234", "13812345678", "1990-01-01", "12345"):
        assert truth.encode() not in sealed


CUSTOMER = Customer("C1", "张*明", "M", None, "110105********1234", "138****5678",
                    Segment.MASS, False, False, 2, "北京****", "", date(2020, 1, 1), "",
                    masked=True)
BASIC = Revealed("C1", RevealedCustomer(name="张三明", mobile="13812345678",
                                        birth_date="1990-01-01"),
                 (RevealedAccount("A1", balance_cents=1000),),
                 (RevealedTransaction(7, amount_cents=-500, counterparty="李四"),))
FULL = Revealed("C1", RevealedCustomer(id_number="110105199001011234"),
                (RevealedAccount("A1", number="6222020000001234"),))


def test_a_release_overlays_the_masked_rows_and_a_step_up_adds_to_it():
    both = BASIC.merged(FULL)
    customer = overlay(both, CUSTOMER)
    assert (customer.name, customer.mobile, customer.id_number, customer.birth_date) == (
        "张三明", "13812345678", "110105199001011234", date(1990, 1, 1))
    account = overlay(both, Account("A1", "debit_card", "P", "", "", 1, "•••• 1234",
                                    AccountStatus.ACTIVE, None, date(2020, 1, 1)))
    assert (account.number, account.balance_cents) == ("6222020000001234", 1000)
    page = overlay(both, Page((Transaction(7, "A1", "2026-11-20", "transfer_out", None, "李*",
                                           "app", ""),), 0, 1))
    assert (page.rows[0].amount_cents, page.rows[0].counterparty) == (-500, "李四")


def test_masked_shows_nothing_released_and_another_customer_is_untouched():
    assert Disclosure(Tier.MASKED, BASIC).unveil(CUSTOMER) is CUSTOMER
    other = msgspec.structs.replace(CUSTOMER, id="C2")
    assert Disclosure(Tier.BASIC, BASIC).unveil(other) is other
    shown = Disclosure(Tier.BASIC, BASIC)
    assert shown.resident_id(shown.unveil(CUSTOMER).id_number) == "110105********1234"
