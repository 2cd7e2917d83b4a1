"""Understanding what the agent typed into the one search box.

A mobile number, an 18-digit resident ID (or its last 6), a card or account number, the last 4
digits of a card together with part of the name, a name in Chinese characters, or its pinyin.
"""

from __future__ import annotations

import re
from enum import Enum

import msgspec

from agent_tui.domain.identifiers import is_mobile, without_country_code
from agent_tui.domain.text import contains_cjk, is_cjk, sanitize, to_halfwidth

MAX_QUERY_LENGTH = 64
_SEPARATORS = re.compile(r"[\s\-_./()]+")
# ASCII digits only: full-width ones are folded first; other scripts' digits are not numbers here.
_DIGITS = re.compile(r"[0-9]+")
_ID_LAST6 = re.compile(r"[0-9]{5}[0-9X]")
_PINYIN = re.compile(r"^[a-z]+$")


class QueryKind(Enum):
    EMPTY = "empty"
    MOBILE = "mobile"
    RESIDENT_ID = "resident_id"
    ID_LAST6 = "id_last6"
    CARD_OR_ACCOUNT = "card_or_account"
    LAST4_AND_NAME = "last4_and_name"
    LAST4_ONLY = "last4_only"
    NAME = "name"
    PINYIN = "pinyin"
    UNRECOGNISED = "unrecognised"


class SearchQuery(msgspec.Struct, frozen=True):
    kind: QueryKind
    text: str = ""  # the name part or the whole normalised value
    digits: str = ""  # the number part, where there is one

    @property
    def is_exact(self) -> bool:
        return self.kind in {
            QueryKind.MOBILE,
            QueryKind.RESIDENT_ID,
            QueryKind.ID_LAST6,
            QueryKind.CARD_OR_ACCOUNT,
        }


def parse_query(raw: str) -> SearchQuery:
    """Classify ``raw``; never raises, whatever it is given."""
    cleaned = to_halfwidth(sanitize(raw, limit=MAX_QUERY_LENGTH)).strip()
    if not cleaned:
        return SearchQuery(QueryKind.EMPTY)
    if contains_cjk(cleaned):
        return _parse_name_query(cleaned)
    compact = without_country_code(_SEPARATORS.sub("", cleaned).upper())
    if _is_ascii_number(compact):
        return _parse_number(compact)
    lowered = compact.lower()
    if _PINYIN.match(lowered):
        return SearchQuery(QueryKind.PINYIN, text=lowered)
    digits = "".join(_DIGITS.findall(cleaned))
    letters = re.sub(r"[^a-z]", "", cleaned.lower())
    if len(digits) == 4 and letters:
        return SearchQuery(QueryKind.LAST4_AND_NAME, text=letters, digits=digits)
    return SearchQuery(QueryKind.UNRECOGNISED, text=cleaned)


def _is_ascii_number(text: str) -> bool:
    """Digits, or digits ending in the resident ID's check character X."""
    body = text[:-1] if text.endswith("X") else text
    return bool(body) and body.isascii() and body.isdigit()


def _parse_number(compact: str) -> SearchQuery:
    length = len(compact)
    if length == 18:
        return SearchQuery(QueryKind.RESIDENT_ID, digits=compact)
    if length == 11 and is_mobile(compact):
        return SearchQuery(QueryKind.MOBILE, digits=compact)
    if length == 6 and _ID_LAST6.fullmatch(compact):
        return SearchQuery(QueryKind.ID_LAST6, digits=compact)
    if length == 4 and compact.isdigit():  # ASCII, checked by _is_ascii_number
        return SearchQuery(QueryKind.LAST4_ONLY, digits=compact)
    if 12 <= length <= 19 and compact.isdigit():
        return SearchQuery(QueryKind.CARD_OR_ACCOUNT, digits=compact)
    return SearchQuery(QueryKind.UNRECOGNISED, text=compact)


def _parse_name_query(cleaned: str) -> SearchQuery:
    digits = "".join(_DIGITS.findall(cleaned))
    name = "".join(char for char in cleaned if is_cjk(char) or char == "\u00b7")
    if len(digits) == 4:
        return SearchQuery(QueryKind.LAST4_AND_NAME, text=name, digits=digits)
    if digits:
        return SearchQuery(QueryKind.UNRECOGNISED, text=cleaned)
    return SearchQuery(QueryKind.NAME, text=name)
