"""Resident ID numbers (GB 11643), Luhn card numbers and mobiles."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from agent_tui.domain.identifiers import (
    birth_date_from_resident_id,
    is_luhn_valid,
    is_mobile,
    is_valid_resident_id,
    luhn_check_digit,
    resident_id_check_char,
)

GB_11643_EXAMPLE = "11010519491231002X"  # the standard's own example


def reference_luhn(number: str) -> bool:
    """The textbook Luhn check, written independently of the module under test."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit * 2 > 9 else digit * 2
        total += digit
    return total % 10 == 0


def reference_id_check(first17: str) -> str:
    weights = [2 ** (17 - i) % 11 for i in range(17)]  # the standard's definition of the weights
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return "10X98765432"[total % 11]


def with_digit_changed(number: str, index: int, new: str) -> str:
    return number[:index] + new + number[index + 1:]


digit_strings = st.text(alphabet="0123456789", min_size=1, max_size=25)


# -- resident ID ---------------------------------------------------------------------------------


def test_gb_11643_example_is_valid():
    assert resident_id_check_char(GB_11643_EXAMPLE[:17]) == "X"
    assert is_valid_resident_id(GB_11643_EXAMPLE)
    assert is_valid_resident_id(GB_11643_EXAMPLE.lower())  # a typed lower-case x is accepted
    assert birth_date_from_resident_id(GB_11643_EXAMPLE) == date(1949, 12, 31)


@pytest.mark.parametrize("index", range(18))
def test_changing_any_character_of_the_example_invalidates_it(index):
    replacements = "0123456789X" if index == 17 else "0123456789"
    for new in replacements:
        if new == GB_11643_EXAMPLE[index]:
            continue
        changed = with_digit_changed(GB_11643_EXAMPLE, index, new)
        assert not is_valid_resident_id(changed), changed


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_char_matches_the_standard(first17):
    assert resident_id_check_char(first17) == reference_id_check(first17)


@given(
    st.sampled_from(["110105", "310115", "440305"]),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
    st.integers(min_value=0, max_value=999),
)
def test_well_formed_ids_are_valid_and_one_digit_change_breaks_them(region, born, sequence):
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    number = first17 + resident_id_check_char(first17)
    assert is_valid_resident_id(number)
    assert birth_date_from_resident_id(number) == born
    # Any other check character is refused.
    for check in "0123456789X":
        if check != number[-1]:
            assert not is_valid_resident_id(first17 + check)


@pytest.mark.parametrize(
    "first17",
    [
        "11010519490230002",  # 30 February
        "11010519491301002",  # month 13
        "11010519490001002",  # month 0
        "11010519491200002",  # day 0
        "11010519490431002",  # 31 April
        "11010519000229002",  # 1900 was not a leap year
        "11010500001231002",  # year 0
    ],
)
def test_bad_birth_dates_are_rejected_even_with_a_right_check_char(first17):
    assert not is_valid_resident_id(first17 + resident_id_check_char(first17))


def test_leap_day_in_a_leap_year_is_accepted():
    first17 = "11010520000229002"
    assert is_valid_resident_id(first17 + resident_id_check_char(first17))


@pytest.mark.parametrize(
    "value",
    ["", "1101051949123100", "11010519491231002", "11010519491231002XX", "1101051949123100X2",
     "11010519491231002Y", "11010519491231 02X", "110105-19491231-002X", "ABCDEFGHIJKLMNOPQR"],
)
def test_malformed_ids_are_rejected(value):
    assert not is_valid_resident_id(value)


def test_resident_id_with_trailing_newline_is_rejected():
    # BUG: _RESIDENT_ID uses ``$``, which also matches before a trailing newline.
    assert not is_valid_resident_id(GB_11643_EXAMPLE + "\n")


@given(st.text(max_size=30))
def test_is_valid_resident_id_never_raises(value):
    assert is_valid_resident_id(value) in (True, False)


def test_resident_id_in_non_ascii_digits_is_rejected():
    arabic_indic = GB_11643_EXAMPLE[:17].translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert not is_valid_resident_id(arabic_indic + "X")


# -- Luhn ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "4111111111111111",  # Visa test number
        "5555555555554444",  # Mastercard test number
        "378282246310005",  # Amex test number
        "79927398713",  # the classic textbook example
        "6222020200112223330",  # 19-digit UnionPay-style (check digit computed: 0)
    ],
)
def test_known_valid_numbers(number):
    assert reference_luhn(number)  # the example itself is right
    assert is_luhn_valid(number)
    assert luhn_check_digit(number[:-1]) == number[-1]


@pytest.mark.parametrize(
    "number",
    ["4111111111111112", "6222020200112223338", "79927398710", "1234567890123456"],
)
def test_known_invalid_numbers(number):
    assert not reference_luhn(number)
    assert not is_luhn_valid(number)


@pytest.mark.parametrize("value", ["", "0", "4111 1111 1111 1111", "411111111111111a", "-18"])
def test_non_numbers_are_not_luhn_valid(value):
    assert not is_luhn_valid(value)


@given(digit_strings)
def test_appending_the_check_digit_makes_a_valid_number(partial):
    number = partial + luhn_check_digit(partial)
    assert is_luhn_valid(number)
    assert reference_luhn(number)


@given(digit_strings, st.data())
def test_changing_one_digit_breaks_the_check(partial, data):
    number = partial + luhn_check_digit(partial)
    index = data.draw(st.integers(min_value=0, max_value=len(number) - 1), label="index")
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != number[index]]), label="new")
    assert not is_luhn_valid(with_digit_changed(number, index, new))


@given(st.text(alphabet="0123456789", min_size=2, max_size=25))
def test_is_luhn_valid_agrees_with_the_textbook_check(number):
    assert is_luhn_valid(number) == reference_luhn(number)


@given(st.text(max_size=25) | st.text(alphabet="0123456789²³¹٣", max_size=6))
@example("²1")  # BUG: str.isdigit() accepts superscripts, which int() then refuses (ValueError)
def test_is_luhn_valid_never_raises(value):
    assert is_luhn_valid(value) in (True, False)


# -- mobile --------------------------------------------------------------------------------------


@pytest.mark.parametrize("mobile", ["13812345678", "13000000000", "19912345678", "16612345678"])
def test_mobiles(mobile):
    assert is_mobile(mobile)


@pytest.mark.parametrize(
    "value",
    ["", "1381234567", "138123456789", "12812345678", "10012345678", "23812345678",
     "138 1234 5678", "138-1234-5678", "+8613812345678", "１３８１２３４５６７８", "1381234567a"],
)
def test_not_mobiles(value):
    assert not is_mobile(value)


def test_mobile_with_trailing_newline_is_rejected():
    # BUG: _MOBILE uses ``$``, which also matches before a trailing newline.
    assert not is_mobile("13812345678\n")


@given(st.sampled_from("3456789"), st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_1x_eleven_digit_number_with_second_digit_3_to_9_is_a_mobile(second, rest):
    assert is_mobile("1" + second + rest)
