"""Masking of customer PII, and the disclosure tiers identity verification can earn.

Everything is masked by default. A verified caller earns a tier; each field names the lowest tier
that may see it in full. Pure functions: the store audits each reveal, the screens only ask here.
"""

from __future__ import annotations

import re
from enum import IntEnum

from agent_tui.domain.disclosed import overlay

MASK = "*"
CARD_DOTS = "\u2022\u2022\u2022\u2022"  # •••• as on a card statement
HIDDEN_AMOUNT = "\u2022\u2022\u2022\u2022\u2022\u2022"


class Tier(IntEnum):
    """What this call's identity verification has earned, lowest first."""

    MASKED = 0  # nobody verified: only what the agent needs to recognise the record
    BASIC = 1  # the caller passed the standard verification: contact data, balances, amounts
    FULL = 2  # a step-up (one-time code) passed: full ID and card numbers too

    @classmethod
    def parse(cls, name: str) -> Tier:
        try:
            return cls[name.upper()]
        except KeyError:
            raise ValueError(f"unknown disclosure tier: {name!r}") from None


def mask_name(name: str) -> str:
    """张三明 → 张*明, 张三 → 张*, 欧阳明月 → 欧**月, Li Lei → L* L**."""
    if not name:
        return ""
    if " " in name:
        return " ".join(word[:1] + MASK * (len(word) - 1) for word in name.split(" ") if word)
    if len(name) == 1:
        return MASK
    if len(name) == 2:
        return name[0] + MASK
    return name[0] + MASK * (len(name) - 2) + name[-1]


def mask_mobile(mobile: str) -> str:
    """13812345678 → 138****5678."""
    if len(mobile) < 8:  # too short to show any of it
        return MASK * len(mobile)
    if len(mobile) < 11:  # not a full mainland mobile (a landline part): the last 4 at most
        return MASK * (len(mobile) - 4) + mobile[-4:]
    return mobile[:3] + MASK * (len(mobile) - 7) + mobile[-4:]


def mask_resident_id(id_number: str) -> str:
    """110105199001011234 → 110105********1234 (region kept, birth date hidden)."""
    if len(id_number) < 10:
        return MASK * len(id_number)
    return id_number[:6] + MASK * (len(id_number) - 10) + id_number[-4:]


def mask_card(number: str) -> str:
    """6222021234567890123 → •••• 0123."""
    if not number:
        return ""
    return f"{CARD_DOTS} {number[-4:]}" if len(number) > 4 else CARD_DOTS


def mask_amount(_cents: int | None) -> str:
    return HIDDEN_AMOUNT


def mask_free_text(text: str) -> str:
    """Addresses and counterparties: keep the first two characters, enough to tell rows apart."""
    if len(text) <= 2:
        return MASK * len(text)
    return text[:2] + MASK * min(len(text) - 2, 6)


# A run of digits long enough to be a card, account, ID or phone number (spaces and dashes
# inside it too: "6222 0212 3456 7890"); a date (2026-11-23) is left as written.
_NUMBER = re.compile(r"\d(?:[ -]?\d){6,}")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def mask_numbers(text: str) -> str:
    """Free text an agent typed (a call's notes) as a reviewer sees it: every long number shows
    only its last four digits, as a card does; the words stay."""
    return _NUMBER.sub(lambda found: found.group() if _DATE.fullmatch(found.group())
                       else mask_card(re.sub(r"\D", "", found.group())), text)


def format_amount(cents: int | None, currency: str = "\u00a5") -> str:
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(cents), 100)
    return f"{sign}{currency}{whole:,}.{fraction:02d}"


class Disclosure:
    """Renders a customer's sensitive fields for a given tier: the only place masking is decided.

    ``revealed`` (a ``domain.disclosed.Revealed``) holds the values the hub released for this
    call, where the workstation holds the customer masked; ``unveil`` puts them over a row
    before the tier's masking is applied to it."""

    __slots__ = ("tier", "revealed")

    def __init__(self, tier: Tier = Tier.MASKED, revealed: object | None = None) -> None:
        self.tier = tier
        self.revealed = revealed

    def unveil(self, value):
        """``value`` with the released values over its masked fields (nothing while masked)."""
        if self.revealed is None or self.tier is Tier.MASKED:
            return value
        return overlay(self.revealed, value)

    def name(self, name: str) -> str:
        return name if self.tier >= Tier.BASIC else mask_name(name)

    def mobile(self, mobile: str) -> str:
        return mobile if self.tier >= Tier.BASIC else mask_mobile(mobile)

    def resident_id(self, id_number: str) -> str:
        return id_number if self.tier >= Tier.FULL else mask_resident_id(id_number)

    def card(self, number: str) -> str:
        return number if self.tier >= Tier.FULL else mask_card(number)

    def amount(self, cents: int | None) -> str:
        return format_amount(cents) if self.tier >= Tier.BASIC else mask_amount(cents)

    def free_text(self, text: str) -> str:
        return text if self.tier >= Tier.BASIC else mask_free_text(text)

    def birth_date(self, iso_date: str) -> str:
        return iso_date if self.tier >= Tier.BASIC else MASK * 4 + "-**-**"


MASKED = Disclosure(Tier.MASKED)
