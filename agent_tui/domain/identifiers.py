"""Chinese banking identifiers: resident ID numbers (GB 11643), UnionPay cards (Luhn), mobiles."""

from __future__ import annotations

import re
from datetime import date

# GB 11643-1999: weights of the first 17 digits and the check character for (sum mod 11).
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
# ASCII digits only, and fullmatch: "\d" would take Arabic-Indic digits, "$" a trailing newline.
_RESIDENT_ID = re.compile(r"[0-9]{17}[0-9X]")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_COUNTRY_CODE = re.compile(r"^(?:\+|00)?86(?=1[3-9][0-9]{9}$)")


def resident_id_check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def is_valid_resident_id(value: str) -> bool:
    value = value.upper()
    if not _RESIDENT_ID.fullmatch(value):
        return False
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return resident_id_check_char(value[:17]) == value[17]


def birth_date_from_resident_id(value: str) -> date:
    return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def luhn_check_digit(partial: str) -> str:
    """The digit that makes ``partial + digit`` pass the Luhn check."""
    total = 0
    for index, char in enumerate(reversed(partial)):
        digit = int(char)
        if index % 2 == 0:  # these positions are doubled once the check digit is appended
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def is_luhn_valid(number: str) -> bool:
    if not (number.isascii() and number.isdigit() and len(number) >= 2):
        return False
    return luhn_check_digit(number[:-1]) == number[-1]


def without_country_code(number: str) -> str:
    """A mainland mobile as dialled from abroad (+86, 0086, 86) without the country code; any
    other number as it is."""
    return _COUNTRY_CODE.sub("", number)


def is_mobile(value: str) -> bool:
    return bool(_MOBILE.fullmatch(value))
