"""PII masking and the disclosure tiers identity verification earns."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_tui.domain.masking import (
    CARD_DOTS,
    HIDDEN_AMOUNT,
    MASKED,
    Disclosure,
    Tier,
    format_amount,
    mask_amount,
    mask_card,
    mask_free_text,
    mask_mobile,
    mask_name,
    mask_resident_id,
)

NAME, MOBILE, ID_NUMBER = "张三明", "13812345678", "110105199001011234"
CARD, ADDRESS, BIRTH = "6222021234567890123", "北京市朝阳区建国路88号", "1990-01-01"

mobiles = st.tuples(st.sampled_from("3456789"), st.text("0123456789", min_size=9, max_size=9)).map(
    lambda parts: "1" + parts[0] + parts[1]
)
id_numbers = st.text("0123456789", min_size=17, max_size=17).flatmap(
    lambda first17: st.sampled_from([first17 + c for c in "0123456789X"])
)
card_numbers = st.text("0123456789", min_size=12, max_size=19)
cjk_names = st.text(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=2, max_size=6
)


# -- the spec's examples -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三明", "张*明"), ("张三", "张*"), ("欧阳明月", "欧**月"), ("Li Lei", "L* L**"), ("", "")],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_mask_mobile():
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_mobile("1234567") == "*******"  # too short to show any of it
    assert mask_mobile("") == ""


def test_mask_resident_id():
    assert mask_resident_id("110105199001011234") == "110105********1234"
    assert mask_resident_id("11010519491231002X") == "110105********002X"
    assert mask_resident_id("123456789") == "*********"


def test_mask_card():
    assert mask_card("6222021234567890123") == f"{CARD_DOTS} 0123"
    assert mask_card("4111111111111234") == "\u2022\u2022\u2022\u2022 1234"
    assert mask_card("") == ""


def test_amounts_are_hidden():
    for cents in (0, 1, -5_000_000, 123_456_789, None):
        assert mask_amount(cents) == HIDDEN_AMOUNT
        assert not any(char.isdigit() for char in MASKED.amount(cents))


def test_mask_free_text():
    assert mask_free_text(ADDRESS) == "北京******"
    assert mask_free_text("ab") == "**"
    assert mask_free_text("") == ""


def test_format_amount():
    assert format_amount(-5_000_000) == "-\u00a550,000.00"
    assert format_amount(123_456_789) == "\u00a51,234,567.89"
    assert format_amount(5) == "\u00a50.05"
    assert format_amount(-1) == "-\u00a50.01"
    assert format_amount(0) == "\u00a50.00"
    assert format_amount(None) == ""


# -- properties ----------------------------------------------------------------------------------


@given(mobiles)
def test_masked_mobile_hides_the_middle_four_digits(mobile):
    masked = mask_mobile(mobile)
    assert len(masked) == len(mobile)
    assert masked[3:7] == "****"
    assert masked[:3] == mobile[:3] and masked[-4:] == mobile[-4:]
    assert masked != mobile
    assert "".join(c for c in masked if c.isdigit()) == mobile[:3] + mobile[-4:]


@given(id_numbers)
def test_masked_id_hides_the_birth_date_and_sequence(id_number):
    masked = mask_resident_id(id_number)
    assert len(masked) == len(id_number)
    assert masked[6:14] == "*" * 8  # the birth date never shows
    assert masked[:6] == id_number[:6] and masked[-4:] == id_number[-4:]
    assert len([c for c in masked if c != "*"]) == 10


@given(card_numbers)
def test_masked_card_shows_only_the_last_four(number):
    masked = mask_card(number)
    assert masked == f"{CARD_DOTS} {number[-4:]}"
    assert sum(c.isdigit() for c in masked) == 4


@given(cjk_names)
def test_masked_name_hides_all_but_the_first_and_last_characters(name):
    masked = mask_name(name)
    assert len(masked) == len(name)
    assert masked[0] == name[0]
    if len(name) >= 3:
        assert masked[1:-1] == "*" * (len(name) - 2)
        assert masked[-1] == name[-1]
    else:
        assert masked[1] == "*"


# -- disclosure tiers ----------------------------------------------------------------------------


def _everything(shown: Disclosure) -> dict[str, str]:
    return {
        "name": shown.name(NAME),
        "mobile": shown.mobile(MOBILE),
        "id": shown.resident_id(ID_NUMBER),
        "card": shown.card(CARD),
        "amount": shown.amount(-5_000_000),
        "address": shown.free_text(ADDRESS),
        "birth": shown.birth_date(BIRTH),
    }


def test_masked_tier_masks_everything():
    for shown in (Disclosure(Tier.MASKED), Disclosure(), MASKED):
        assert _everything(shown) == {
            "name": "张*明",
            "mobile": "138****5678",
            "id": "110105********1234",
            "card": f"{CARD_DOTS} 0123",
            "amount": HIDDEN_AMOUNT,
            "address": "北京******",
            "birth": "****-**-**",
        }


def test_basic_tier_shows_contact_data_and_amounts_but_not_id_or_card():
    assert _everything(Disclosure(Tier.BASIC)) == {
        "name": NAME,
        "mobile": MOBILE,
        "id": "110105********1234",
        "card": f"{CARD_DOTS} 0123",
        "amount": "-\u00a550,000.00",
        "address": ADDRESS,
        "birth": BIRTH,
    }


def test_full_tier_shows_everything():
    assert _everything(Disclosure(Tier.FULL)) == {
        "name": NAME,
        "mobile": MOBILE,
        "id": ID_NUMBER,
        "card": CARD,
        "amount": "-\u00a550,000.00",
        "address": ADDRESS,
        "birth": BIRTH,
    }


@given(st.sampled_from(list(Tier)), mobiles, id_numbers, card_numbers)
def test_a_field_is_shown_in_full_exactly_from_its_tier(tier, mobile, id_number, card):
    shown = Disclosure(tier)
    assert (shown.mobile(mobile) == mobile) == (tier >= Tier.BASIC)
    assert (shown.resident_id(id_number) == id_number) == (tier >= Tier.FULL)
    assert (shown.card(card) == card) == (tier >= Tier.FULL)
    assert (id_number[6:14] in shown.resident_id(id_number)[6:14]) == (tier >= Tier.FULL)


def test_tiers_are_ordered():
    assert Tier.MASKED < Tier.BASIC < Tier.FULL


@pytest.mark.parametrize(
    ("name", "tier"),
    [("masked", Tier.MASKED), ("MASKED", Tier.MASKED), ("basic", Tier.BASIC),
     ("Basic", Tier.BASIC), ("full", Tier.FULL), ("FULL", Tier.FULL)],
)
def test_tier_parse(name, tier):
    assert Tier.parse(name) is tier


@pytest.mark.parametrize("name", ["", "none", "verified", "2", "full "])
def test_tier_parse_refuses_unknown_names(name):
    with pytest.raises(ValueError, match="unknown disclosure tier"):
        Tier.parse(name)


def test_long_numbers_in_free_text_keep_their_last_four_digits_and_dates_stay():
    from agent_tui.domain.masking import mask_numbers

    assert mask_numbers("卡 6222 0212 3456 7890 手机138-1234-5678, 500 元 on 2026-11-23") == (
        "卡 •••• 7890 手机•••• 5678, 500 元 on 2026-11-23")
    assert mask_numbers("ID 11010519900101123X") == "ID •••• 1123X"
