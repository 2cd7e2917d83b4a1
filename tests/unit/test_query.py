"""parse_query: what the agent typed into the one search box."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent_tui.domain.identifiers import is_mobile
from agent_tui.domain.query import MAX_QUERY_LENGTH, QueryKind, SearchQuery, parse_query

BIDI_CONTROLS = {0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def has_control(text: str) -> bool:
    return any(
        unicodedata.category(char) == "Cc" or ord(char) in BIDI_CONTROLS
        or 0xD800 <= ord(char) <= 0xDFFF
        for char in text
    )


@pytest.mark.parametrize(
    "raw",
    ["13812345678", "138 1234 5678", "138-1234-5678", " 13812345678 ", "１３８１２３４５６７８",
     "１３８ １２３４ ５６７８", "138\u30001234\u30005678", "138.1234.5678"],
)
def test_mobile(raw):
    assert parse_query(raw) == SearchQuery(QueryKind.MOBILE, digits="13812345678")


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("11010519491231002X", "11010519491231002X"),
        ("11010519491231002x", "11010519491231002X"),
        ("110105 19491231 002X", "11010519491231002X"),
        ("110105199001011234", "110105199001011234"),
        ("１１０１０５１９９００１０１１２３４", "110105199001011234"),
    ],
)
def test_resident_id(raw, digits):
    assert parse_query(raw) == SearchQuery(QueryKind.RESIDENT_ID, digits=digits)


@pytest.mark.parametrize(("raw", "digits"), [("01002X", "01002X"), ("01002x", "01002X"),
                                             ("011234", "011234")])
def test_id_last6(raw, digits):
    assert parse_query(raw) == SearchQuery(QueryKind.ID_LAST6, digits=digits)


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("4111111111111111", "4111111111111111"),  # 16-digit card
        ("6222020200112223330", "6222020200112223330"),  # 19-digit card
        ("6222 0202 0011 2223 330", "6222020200112223330"),
        ("1001123456789012", "1001123456789012"),  # 16-digit account number
        ("6222-0202-0011-2223", "6222020200112223"),
    ],
)
def test_card_or_account(raw, digits):
    query = parse_query(raw)
    assert query == SearchQuery(QueryKind.CARD_OR_ACCOUNT, digits=digits)
    assert query.is_exact


@pytest.mark.parametrize(
    ("raw", "text"),
    [("张 1234", "张"), ("1234 张", "张"), ("张1234", "张"), ("张三 1234", "张三"),
     ("zs 1234", "zs"), ("1234 zs", "zs"), ("ZS 1234", "zs"), ("zhang 1234", "zhang"),
     ("张 １２３４", "张")],
)
def test_last4_and_name(raw, text):
    query = parse_query(raw)
    assert query == SearchQuery(QueryKind.LAST4_AND_NAME, text=text, digits="1234")
    assert not query.is_exact


@pytest.mark.parametrize("raw", ["1234", " 1234 ", "１２３４"])
def test_last4_only(raw):
    assert parse_query(raw) == SearchQuery(QueryKind.LAST4_ONLY, digits="1234")


@pytest.mark.parametrize(
    ("raw", "text"),
    [("张三", "张三"), ("欧阳明月", "欧阳明月"), (" 张 三 ", "张三"), ("阿卜杜·热合曼", "阿卜杜·热合曼"),
     ("\u202e张三\u202c", "张三")],
)
def test_chinese_name(raw, text):
    assert parse_query(raw) == SearchQuery(QueryKind.NAME, text=text)


@pytest.mark.parametrize(
    ("raw", "text"),
    [("zhangsan", "zhangsan"), ("Zhang San", "zhangsan"), ("zs", "zs"), ("ＺＨＡＮＧ", "zhang"),
     ("zhang-san", "zhangsan")],
)
def test_pinyin(raw, text):
    assert parse_query(raw) == SearchQuery(QueryKind.PINYIN, text=text)


@pytest.mark.parametrize("raw", ["", " ", "   \t ", "\n", "\u3000\u3000", "\x1b[2J", "\u202e"])
def test_empty(raw):
    assert parse_query(raw) == SearchQuery(QueryKind.EMPTY)


@pytest.mark.parametrize(
    "raw",
    ["!!!", "@#$%", "12345", "12345678901", "1234567", "123456789012345678901", "张三 12345",
     "zs 12", "a1b2c3d4e5", "1381234567X", "' OR 1=1; --"],
)
def test_unrecognised(raw):
    assert parse_query(raw).kind is QueryKind.UNRECOGNISED


def test_escape_sequences_do_not_reach_the_query():
    query = parse_query("\x1b[31m13812345678\x1b[0m")
    assert query == SearchQuery(QueryKind.MOBILE, digits="13812345678")


def test_long_input_is_cut_to_the_limit():
    query = parse_query("z" * 10_000)
    assert query == SearchQuery(QueryKind.PINYIN, text="z" * MAX_QUERY_LENGTH)


# -- properties ----------------------------------------------------------------------------------

_pieces = st.one_of(
    st.text(max_size=5),
    st.sampled_from(["1234", "138", "张", "zs", " ", "-", "X", "x", "\x1b", "\u202e", "\x00",
                     "１", "\u3000", "\n", "\x9b", "\u0301", "·"]),
)
queries = st.one_of(st.text(), st.lists(_pieces, max_size=12).map("".join))


@given(queries)
@settings(max_examples=200)
def test_parse_query_never_raises_and_never_returns_controls(raw):
    query = parse_query(raw)
    assert isinstance(query.kind, QueryKind)
    assert not has_control(query.text)
    assert not has_control(query.digits)
    assert len(query.text) <= MAX_QUERY_LENGTH and len(query.digits) <= MAX_QUERY_LENGTH


@given(queries)
@settings(max_examples=200)
def test_each_kind_keeps_its_promise(raw):
    query = parse_query(raw)
    kind = query.kind
    if kind is QueryKind.EMPTY:
        assert query.text == "" and query.digits == ""
    elif kind is QueryKind.MOBILE:
        assert is_mobile(query.digits)
    elif kind is QueryKind.RESIDENT_ID:
        assert len(query.digits) == 18 and query.digits[:17].isdigit()
    elif kind is QueryKind.ID_LAST6:
        assert len(query.digits) == 6
    elif kind is QueryKind.CARD_OR_ACCOUNT:
        assert 12 <= len(query.digits) <= 19 and query.digits.isdigit()
    elif kind in (QueryKind.LAST4_AND_NAME, QueryKind.LAST4_ONLY):
        assert len(query.digits) == 4
        assert bool(query.text) == (kind is QueryKind.LAST4_AND_NAME)
    elif kind in (QueryKind.NAME, QueryKind.PINYIN):
        assert query.text and not query.digits
    if query.is_exact:
        assert query.digits and not query.text


@given(st.text(alphabet="0123456789", min_size=1, max_size=30))
def test_plain_digit_strings_are_classified_by_length(digits):
    kind = parse_query(digits).kind
    length = len(digits)
    if length == 18:
        assert kind is QueryKind.RESIDENT_ID
    elif length == 11 and is_mobile(digits):
        assert kind is QueryKind.MOBILE
    elif length == 6:
        assert kind is QueryKind.ID_LAST6
    elif length == 4:
        assert kind is QueryKind.LAST4_ONLY
    elif 12 <= length <= 19:
        assert kind is QueryKind.CARD_OR_ACCOUNT
    else:
        assert kind is QueryKind.UNRECOGNISED


@pytest.mark.parametrize("raw", ["١٢٣٤", "¹²³⁴", "١٢٣٤٥٦٧٨٩٠١٢"])
def test_digits_are_ascii(raw):
    query = parse_query(raw)
    assert query.digits == "" or query.digits.isascii()


def test_name_with_an_extension_b_character_is_kept_whole():
    assert parse_query("\U00020bb7野") == SearchQuery(QueryKind.NAME, text="\U00020bb7野")
