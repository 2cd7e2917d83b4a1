"""agent_tui.domain.line_break: lines of a width, by the rules of Chinese and English."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from agent_tui.domain.line_break import (
    CLOSING,
    OPENING,
    break_lines,
    break_offsets,
    break_units,
    width_of,
)


def test_chinese_never_starts_a_line_with_closing_punctuation():
    text = "核实客户身份，确认姓名、证件号码后六位和出生日期。如客户无法回答，请礼貌说明原因。"
    for width in range(4, 40):
        lines = break_lines(text, width)
        assert all(line[0] not in CLOSING for line in lines if line), (width, lines)
        assert "".join(lines) == text  # nothing lost, nothing added


def test_a_comma_that_would_start_a_line_takes_the_character_before_it_along():
    # 10 cells: a fold after "上午好您好" leaves "，" first on the next line.
    assert break_lines("上午好您好，请问", 10) == ["上午好您", "好，请问"]


def test_opening_punctuation_never_ends_a_line():
    lines = break_lines("请提供证件号码（身份证后六位）和出生日期", 16)
    assert all(line[-1] not in OPENING for line in lines), lines
    assert lines[0] == "请提供证件号码"


def test_a_chinese_sentence_is_not_broken_at_its_space_while_characters_fit():
    # Textual broke at the space ("…请问您是" | "王先生本人吗？…"): half a line left empty.
    lines = break_lines("请问您是 王先生本人吗？我们需要核实身份信息", 16)
    assert width_of(lines[0]) >= 14, lines


def test_english_breaks_at_spaces_and_drops_them():
    assert break_lines("The quick brown fox jumps over the lazy dog", 10) == [
        "The quick", "brown fox", "jumps over", "the lazy", "dog"]


def test_a_run_wider_than_the_line_is_cut_where_it_must_be():
    assert break_lines("6222021234567890123", 8) == ["62220212", "34567890", "123"]


def test_mixed_text_breaks_between_chinese_and_latin():
    assert break_lines("卡号后4位加部分姓名（如 张 1234）", 12) == [
        "卡号后4位加", "部分姓名（如", "张 1234）"]


def test_newlines_are_kept_as_breaks():
    assert break_lines("第一行\n\nsecond line", 40) == ["第一行", "", "second line"]
    assert break_offsets("ab\ncd", 40) == [3]


@pytest.mark.parametrize("width", [0, -3])
def test_no_width_no_breaks(width):
    assert break_offsets("任何文字", width) == []


_TEXT = st.text(alphabet=st.sampled_from(
    list("银行客户身份核实证件号码您好") + list("，。、；：！？（）「」《》") + list("ab 12 ,.")),
    max_size=80)


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.integers(min_value=2, max_value=30))
def test_every_line_fits_and_nothing_but_spaces_is_lost(text, width):
    lines = break_lines(text, width)
    for line in lines:
        # a line is wider only when one character does not fit at all (2 cells into 1)
        assert width_of(line) <= max(width, 2)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.integers(min_value=6, max_value=30))
def test_no_line_starts_with_closing_punctuation_unless_it_cannot_be_helped(text, width):
    # Only a run with no break in it that is wider than the line is cut anywhere.
    assume(all(width_of(unit.rstrip()) <= width
               for paragraph in text.split("\n") for unit in break_units(paragraph)))
    lines = break_lines(text, width)
    for line in lines[1:]:
        assert not line or line[0] not in CLOSING, lines
    for line in lines[:-1]:
        assert not line or line[-1] not in OPENING, lines
