"""agent_tui.domain.text: what comes from outside is made safe to store and to draw."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from agent_tui.domain.text import (
    MULTI_LINE_LIMIT,
    SINGLE_LINE_LIMIT,
    contains_cjk,
    sanitize,
    to_halfwidth,
)

BIDI_CONTROLS = {0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
OSC52_PAYLOAD = "ZWNobyBoYWNrZWQ="


def forbidden(char: str, *, multiline: bool) -> bool:
    """What a sanitised string may never contain."""
    code = ord(char)
    if multiline and char == "\n":
        return False
    return (
        code < 0x20  # C0 controls, ESC among them
        or code == 0x7F  # DEL
        or 0x80 <= code <= 0x9F  # C1 controls
        or code in BIDI_CONTROLS
        or 0xD800 <= code <= 0xDFFF  # lone surrogates
    )


def longest_combining_run(text: str) -> int:
    longest = run = 0
    for char in text:
        run = run + 1 if unicodedata.combining(char) else 0
        longest = max(longest, run)
    return longest


# Text with plenty of what sanitize must deal with: hypothesis's default alphabet rarely draws ESC
# sequences, bidi controls or joiners, so mix them in on purpose.
_NASTY = st.sampled_from(
    [
        "\x1b", "\x1b[", "\x1b]", "\x1b\\", "\x07", "\x00", "\r", "\n", "\r\n", "\t", "\x7f",
        "\x9b", "\x9d", "\x9c", "\x85", "\u200d", "\u200e", "\u202e", "\u2066", "\u2069",
        "\u0301", "\u0308", "\u0344", "\u0e48", "\u093c", "\u05c1", "\u3099", "\ud800",
        "\udcff", "[", "]", ";", "m", "52", "a", "é",
        "张", "\u3000", "１", "👩",
    ]
)
hostile_text = st.one_of(
    st.text(),
    st.lists(st.one_of(_NASTY, st.text(max_size=3)), max_size=30).map("".join),
)


# -- properties ----------------------------------------------------------------------------------


@given(st.text())
def test_single_line_result_has_no_controls_bidi_or_surrogates(text):
    cleaned = sanitize(text)
    assert not [char for char in cleaned if forbidden(char, multiline=False)]


@given(hostile_text)
@settings(max_examples=200)
def test_single_line_result_is_clean_for_hostile_mixes(text):
    cleaned = sanitize(text)
    assert not [char for char in cleaned if forbidden(char, multiline=False)]
    assert "\n" not in cleaned


@given(hostile_text)
@settings(max_examples=200)
def test_multiline_result_keeps_only_newlines_among_controls(text):
    cleaned = sanitize(text, multiline=True)
    assert not [char for char in cleaned if forbidden(char, multiline=True)]
    assert "\r" not in cleaned and "\t" not in cleaned


@given(hostile_text)
@settings(max_examples=200)
@example("\u200d\x00\u200d")  # a control between two joiners: see test_joiners_split_by_a_control
@example("a\u200d\r\u200db")
def test_sanitize_is_idempotent(text):
    once = sanitize(text)
    assert sanitize(once) == once
    once_multiline = sanitize(text, multiline=True)
    assert sanitize(once_multiline, multiline=True) == once_multiline


def test_joiners_split_by_a_control_are_collapsed_in_one_pass():
    # BUG: the zero-width-joiner run is collapsed *before* controls are removed, so removing the
    # control creates a new run that only the next call collapses: sanitize is not idempotent,
    # and text cleaned on entry to the store changes again when it is cleaned before drawing.
    once = sanitize("\u200d\x00\u200d")
    assert once == "\u200d"
    assert sanitize(once) == once


@given(st.text(), st.booleans())
def test_length_is_capped(text, multiline):
    cap = MULTI_LINE_LIMIT if multiline else SINGLE_LINE_LIMIT
    assert len(sanitize(text, multiline=multiline)) <= cap


@given(st.text(), st.integers(min_value=1, max_value=80))
def test_explicit_limit_caps_length(text, limit):
    assert len(sanitize(text, limit=limit)) <= limit


def test_caps_long_ascii_and_cjk():
    assert sanitize("a" * 10_000) == "a" * SINGLE_LINE_LIMIT
    assert sanitize("长" * 10_000) == "长" * SINGLE_LINE_LIMIT
    assert sanitize("abcdef", limit=3) == "abc"
    assert sanitize("张三李四王五", limit=4) == "张三李四"
    assert len(sanitize("x\n" * (MULTI_LINE_LIMIT // 2 + 10), multiline=True)) == MULTI_LINE_LIMIT


@given(hostile_text)
@settings(max_examples=200)
@example("\u0e48\u0300\u0300\u0300")  # a Thai mark and three Latin ones: see the next test
def test_combining_mark_runs_are_limited(text):
    assert longest_combining_run(sanitize(text)) <= 3
    assert longest_combining_run(sanitize(text, multiline=True)) <= 3


COMBINING_MARKS = {
    "\u0301": "combining acute (Latin)",
    "\u0591": "Hebrew accent etnahta",
    "\u05c1": "Hebrew point shin dot",
    "\u0e48": "Thai tone mark mai ek",
    "\u093c": "Devanagari nukta",
    "\u0f72": "Tibetan vowel sign i",
    "\u3099": "kana voiced sound mark",
    "\u20d0": "combining mark for symbols",
}


def test_a_flood_of_any_combining_mark_is_limited():
    unlimited = []
    for mark, what in COMBINING_MARKS.items():
        assert unicodedata.combining(mark), what  # the example really is a combining mark
        for base in ("a", "张"):
            for multiline in (False, True):
                cleaned = sanitize(base + mark * 40, multiline=multiline)
                if longest_combining_run(cleaned) > 3:
                    unlimited.append((what, base, multiline, longest_combining_run(cleaned)))
    assert unlimited == []


_ascii_printable = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
_cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_emoji = st.sampled_from(["😀", "👍", "🏦", "💳", "📞", "✅", "👩\u200d👩\u200d👧\u200d👦"])
_fullwidth = st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E)


@given(st.lists(st.one_of(_ascii_printable, _cjk, _emoji, _fullwidth), max_size=120).map("".join))
def test_printable_text_is_kept_unchanged(text):
    if len(text) <= SINGLE_LINE_LIMIT:
        assert sanitize(text) == text
        assert sanitize(text, multiline=True) == text


def test_printable_examples_are_kept():
    for text in ("张三明", "欧阳娜娜 VIP 13812345678", "Li Lei", "👩\u200d👩\u200d👧\u200d👦 家庭",
                 "①②③ ±×÷ ─│", "[bold]not markup[/]", "Nguyễn Văn Ằ"):
        assert sanitize(text) == unicodedata.normalize("NFC", text)


def test_multiline_keeps_newlines_and_expands_tabs():
    assert sanitize("line1\nline2\r\nline3", multiline=True) == "line1\nline2\nline3"
    assert sanitize("a\tb", multiline=True) == "a    b"
    assert sanitize("line1\nline2\r\nline3") == "line1 line2 line3"
    assert sanitize("a\tb\tc") == "a b c"


def test_none_and_non_strings():
    assert sanitize(None) == ""
    assert sanitize(12345) == "12345"
    assert sanitize("") == ""


# -- the hostile corpus --------------------------------------------------------------------------


def test_corpus_is_loaded(hostile_strings):
    assert len(hostile_strings) >= 20
    assert any(entry["what"] == "OSC 52 clipboard write" for entry in hostile_strings)


@pytest.mark.parametrize("multiline", [False, True])
def test_corpus_results_are_clean_capped_and_stable(hostile_strings, multiline):
    for entry in hostile_strings:
        cleaned = sanitize(entry["text"], multiline=multiline)
        bad = [char for char in cleaned if forbidden(char, multiline=multiline)]
        assert not bad, entry["what"]
        assert "\x1b" not in cleaned, entry["what"]
        assert len(cleaned) <= (MULTI_LINE_LIMIT if multiline else SINGLE_LINE_LIMIT)
        assert longest_combining_run(cleaned) <= 3, entry["what"]
        assert sanitize(cleaned, multiline=multiline) == cleaned, entry["what"]


def _corpus(hostile_strings, what: str) -> str:
    (text,) = [entry["text"] for entry in hostile_strings if entry["what"] == what]
    return text


@pytest.mark.parametrize(
    ("what", "expected"),
    [
        ("ANSI clear screen", "王五"),
        ("ANSI colour", "red"),
        ("OSC 52 clipboard write", ""),
        ("OSC title change", ""),
        ("OSC 8 hyperlink", "click"),
        ("C1 CSI", "C1"),
        ("bell and backspace", "abc"),
        ("NUL", "beforeafter"),
        ("carriage return overwrite", "secretXXXXXX"),
        ("DEL", "delete"),
        ("bidi override", "account 1234"),
        ("bidi isolate", "abc"),
        ("zero width joiner run", "a\u200db"),
        ("surrogate escape", "bad?byte"),
        ("tabs", "a b c"),
        ("newlines", "line1 line2 line3"),
        ("wide CJK", "欧阳娜娜" * 5),
        ("fullwidth digits", "１３８００１３８０００"),
        ("SQL injection", "' OR 1=1; DROP TABLE customers; --"),
        ("markup close tag", "[/]"),
        ("format string", "{agent_name}{0}%s%d{{}}"),
        ("only spaces", "     "),
        ("empty", ""),
    ],
)
def test_corpus_examples(hostile_strings, what, expected):
    assert sanitize(_corpus(hostile_strings, what)) == expected


def test_osc_payloads_do_not_survive(hostile_strings):
    assert OSC52_PAYLOAD not in sanitize(_corpus(hostile_strings, "OSC 52 clipboard write"))
    assert "pwned" not in sanitize(_corpus(hostile_strings, "OSC title change"))
    assert "example.invalid" not in sanitize(_corpus(hostile_strings, "OSC 8 hyperlink"))
    for text in (
        f"before\x1b]52;c;{OSC52_PAYLOAD}\x07after",  # BEL-terminated
        f"before\x1b]52;c;{OSC52_PAYLOAD}\x1b\\after",  # ST-terminated
        f"before\x1b]52;c;{OSC52_PAYLOAD}",  # unterminated
        f"before\x9d52;c;{OSC52_PAYLOAD}\x9cafter",  # 8-bit OSC and ST
        f"before\x1bP{OSC52_PAYLOAD}\x1b\\after",  # DCS
    ):
        for multiline in (False, True):
            cleaned = sanitize(text, multiline=multiline)
            assert OSC52_PAYLOAD not in cleaned, repr(text)
            assert cleaned.startswith("before")


def test_combining_flood_is_cut_to_three_marks(hostile_strings):
    cleaned = sanitize(_corpus(hostile_strings, "combining marks flood"))
    assert longest_combining_run(cleaned) <= 3
    assert len(cleaned) <= 5


def test_very_long_corpus_entry_is_capped(hostile_strings):
    text = _corpus(hostile_strings, "very long")
    assert len(text) > SINGLE_LINE_LIMIT
    assert sanitize(text) == text[:SINGLE_LINE_LIMIT]


# -- to_halfwidth and contains_cjk ---------------------------------------------------------------


def test_to_halfwidth_folds_fullwidth_digits_letters_and_space():
    assert to_halfwidth("１３８") == "138"
    assert to_halfwidth("１３８００１３８０００") == "13800138000"
    assert to_halfwidth("ｚｓ\u3000１２３４") == "zs 1234"
    assert to_halfwidth("ＡＢＣ－＿／") == "ABC-_/"
    assert to_halfwidth("张三 138") == "张三 138"


@given(st.text())
def test_to_halfwidth_leaves_no_fullwidth_ascii_and_keeps_length(text):
    folded = to_halfwidth(text)
    assert len(folded) == len(text)
    assert not [char for char in folded if 0xFF01 <= ord(char) <= 0xFF5E or char == "\u3000"]


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_to_halfwidth_is_identity_on_ascii(text):
    assert to_halfwidth(text) == text


def test_contains_cjk():
    assert contains_cjk("张")
    assert contains_cjk("zs 张 1234")
    assert contains_cjk("欧阳")
    assert contains_cjk("\u3400")  # extension A
    assert not contains_cjk("")
    assert not contains_cjk("zhang san 1234")
    assert not contains_cjk("１３８")  # full-width digits are not ideographs
    assert not contains_cjk("\u3000")  # nor is the ideographic space
    assert not contains_cjk("カタカナ")
    assert not contains_cjk("한국어")


def test_contains_cjk_extension_b():
    assert contains_cjk("\U00020bb7")
