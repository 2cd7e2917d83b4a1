"""The forbidden-phrase guard: DOMAIN.md's pairs, allowed words, English word boundaries, apply().

The rules are built here, not read from scripts_library: these tests pin the matching, the shipped
library's content is tested in test_library.py.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_tui.domain.phrasing import ForbiddenRule, Hit, PhraseGuard, apply


def _rule(rule_id: str, language: str, words: tuple[str, ...], replacement: str) -> ForbiddenRule:
    return ForbiddenRule(rule_id, language, words, replacement, f"{rule_id} 原因",
                         f"{rule_id} reason")


RULES = (
    _rule("dont_know", "zh-CN", ("不知道", "不清楚"), "我来为您查询"),
    _rule("impossible", "zh-CN", ("不可能", "不行"), "我们可以这样解决"),
    _rule("not_mine", "zh-CN", ("这不是我的责任", "不是我的责任"), "我会协助您处理"),
    _rule("must", "zh-CN", ("您必须", "您应该"), "建议您"),
    _rule("en_dont_know", "en", ("I don't know", "not sure"), "let me look that up for you"),
    _rule("en_impossible", "en", ("impossible", "no way"), "here is how we can solve it"),
    _rule("en_not_mine", "en", ("not my responsibility",), "I will help you with it"),
    _rule("en_must", "en", ("you must", "you should"), "I suggest you"),
)
ALLOWED = {
    "zh-CN": ("不清楚的地方", "如有不清楚", "不知道的话", "行不行"),
    "en": ("you should have received", "impossible to lose"),
}
GUARD = PhraseGuard(RULES, ALLOWED)


def _found(text: str, guard: PhraseGuard = GUARD) -> list[tuple[str, str]]:
    return [(hit.word, hit.rule_id) for hit in guard.check(text)]


# -- DOMAIN.md's pairs ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "word", "replacement"), [
    ("这个我不知道", "不知道", "我来为您查询"),
    ("这个情况我也不清楚。", "不清楚", "我来为您查询"),
    ("这不可能", "不可能", "我们可以这样解决"),
    ("这样不行", "不行", "我们可以这样解决"),
    ("这不是我的责任", "这不是我的责任", "我会协助您处理"),
    ("您必须先去网点", "您必须", "建议您"),
    ("您应该早点来", "您应该", "建议您"),
    ("Sorry, I don't know.", "I don't know", "let me look that up for you"),
    ("you must bring your ID", "you must", "I suggest you"),
])
def test_the_domain_pairs_are_found_with_their_replacement(text, word, replacement):
    hits = GUARD.check(text)
    assert [hit.word for hit in hits] == [word]
    assert hits[0].replacement == replacement
    assert text[hits[0].start:hits[0].end] == word


def test_several_hits_come_in_order_with_exact_offsets():
    text = "您好，这个我不知道，You must wait；这不可能，I don’t know 您必须"
    hits = GUARD.check(text)
    assert [hit.rule_id for hit in hits] == [
        "dont_know", "en_must", "impossible", "en_dont_know", "must"]
    assert [(hit.start, hit.end) for hit in hits] == [
        (6, 9), (10, 18), (25, 28), (29, 41), (42, 45)]
    assert all(text[hit.start:hit.end] == hit.word for hit in hits)


def test_the_longest_word_wins_at_a_place_and_hits_do_not_overlap():
    assert _found("这不是我的责任") == [("这不是我的责任", "not_mine")]
    assert _found("那不是我的责任") == [("不是我的责任", "not_mine")]
    guard = PhraseGuard([_rule("short", "zh-CN", ("不行",), "甲"),
                         _rule("long", "zh-CN", ("不行就算了",), "乙")], {})
    assert _found("不行就算了吧，不行", guard) == [("不行就算了", "long"), ("不行", "short")]


def test_both_languages_are_checked_in_one_text():
    assert _found("客户说you must填表，我不知道") == [("you must", "en_must"),
                                                ("不知道", "dont_know")]


def test_the_rule_of_a_hit_gives_its_reasons():
    hit = GUARD.check("不知道")[0]
    assert GUARD.rule(hit.rule_id).reason_en == "dont_know reason"


# -- allowed words -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "如有不清楚的地方请随时问我",
    "不知道的话可以再打过来",
    "you should have received an SMS",
    "You Should  Have Received it",
    "it is impossible to lose the card",
])
def test_a_forbidden_word_inside_an_allowed_one_is_not_a_hit(text):
    assert GUARD.check(text) == []


def test_only_the_occurrence_inside_the_allowed_word_is_hidden():
    assert _found("如有不清楚的地方请随时问我，我不清楚") == [("不清楚", "dont_know")]
    assert _found("you should have received it; you should call") == [("you should", "en_must")]


def test_an_allowed_word_of_the_other_language_does_not_hide():
    guard = PhraseGuard(RULES, {"en": ("不清楚的地方",)})
    assert _found("不清楚的地方", guard) == [("不清楚", "dont_know")]


def test_overlapping_allowed_words_each_hide_what_they_contain():
    guard = PhraseGuard([_rule("r", "zh-CN", ("丙丁",), "X")], {"zh-CN": ("甲乙丙", "乙丙丁戊")})
    assert guard.check("甲乙丙丁戊") == []
    assert _found("甲乙丙丁", guard) == [("丙丁", "r")]


def test_a_word_starting_inside_a_hidden_one_is_still_found():
    guard = PhraseGuard([_rule("a", "zh-CN", ("甲乙",), "X"), _rule("b", "zh-CN", ("乙丙丁",), "Y")],
                        {"zh-CN": ("甲乙丙",)})
    assert _found("甲乙丙丁", guard) == [("乙丙丁", "b")]


# -- English: boundaries, case, apostrophes, spaces ------------------------------------------------

@pytest.mark.parametrize("text", [
    "you mustard", "ayou must", "you mustn't", "you must2", "you_must", "IMPOSSIBLEs", "no wayward",
])
def test_english_words_match_whole_words_only(text):
    assert GUARD.check(text) == []


@pytest.mark.parametrize(("text", "word"), [
    ("(you must)", "you must"),
    ("Well, YOU MUST.", "YOU MUST"),
    ("I don’t know", "I don’t know"),
    ("I donʼt know", "I donʼt know"),
    ("i don't   know", "i don't   know"),
    ("I don't\u00a0know", "I don't\u00a0know"),
    ("not  my   responsibility!", "not  my   responsibility"),
    ("说了no way啊", "no way"),
])
def test_english_words_match_in_any_case_with_any_apostrophe_and_spaces(text, word):
    assert [hit.word for hit in GUARD.check(text)] == [word]


def test_a_shorter_english_word_wins_when_the_longer_one_runs_into_a_word():
    guard = PhraseGuard([_rule("long", "en", ("you must not",), "X"),
                         _rule("short", "en", ("you must",), "Y")], {})
    assert _found("you must notice this", guard) == [("you must", "short")]
    assert _found("you must not do that", guard) == [("you must not", "long")]
    assert _found("you must不", guard) == [("you must", "short")]


def test_offsets_stay_right_when_lower_casing_would_lengthen_the_text():
    text = "İstanbul İİ: YOU MUST pay，不知道"  # "İ".lower() is two characters
    hits = GUARD.check(text)
    assert [(hit.word, text[hit.start:hit.end]) for hit in hits] == [
        ("YOU MUST", "YOU MUST"), ("不知道", "不知道")]



def test_letters_that_only_lower_case_to_a_word_s_letters_are_not_that_word():
    # The Kelvin sign lower-cases to "k", but nobody types "know" with it; the shorter word that
    # ends before it still counts.
    guard = PhraseGuard([_rule("long", "en", ("you must keep",), "X"),
                         _rule("short", "en", ("you must",), "Y")], {})
    assert _found("you must \u212aeep it", guard) == [("you must", "short")]
    assert _found("I don't \u212anow") == []
    assert _found("I don't Know") == [("I don't Know", "en_dont_know")]

def test_a_library_word_typed_with_a_curly_apostrophe_matches_a_straight_one():
    guard = PhraseGuard([_rule("r", "en", ("I don’t know",), "let me check")], {})
    assert _found("I don't know", guard) == [("I don't know", "r")]


# -- apply ---------------------------------------------------------------------------------------

def test_apply_replaces_the_hit_and_puts_the_cursor_after_the_replacement():
    text = "这个我不知道，稍等"
    new, cursor = apply(text, GUARD.check(text)[0])
    assert new == "这个我来为您查询，稍等"  # the replacement brings its own "我"
    assert cursor == len("这个我来为您查询")


@pytest.mark.parametrize(("text", "expected"), [
    ("You must sign here", "I suggest you sign here"),
    ("then you must sign", "then I suggest you sign"),  # the pronoun keeps its capital
    ("I don't know yet", "Let me look that up for you yet"),
    ("Sorry. I don't know", "Sorry. Let me look that up for you"),
    ("好的。 I don’t know", "好的。 Let me look that up for you"),
    ("well, I don't know", "well, let me look that up for you"),  # "I" alone says nothing
    ("well i don't know", "well let me look that up for you"),
    ("No way.", "Here is how we can solve it."),
    ("well no way", "well here is how we can solve it"),
])
def test_apply_follows_the_case_of_the_english_word(text, expected):
    new, cursor = apply(text, GUARD.check(text)[0])
    assert new == expected
    hit = GUARD.check(text)[0]
    assert new[hit.start:cursor].lower() == hit.replacement.lower()


def test_apply_refuses_a_hit_the_text_no_longer_has():
    hit = GUARD.check("我不知道")[0]
    with pytest.raises(ValueError):
        apply("我知道了", hit)
    with pytest.raises(ValueError):
        apply("短", Hit(5, 8, "不知道", "dont_know", "我来为您查询"))


# -- what the loader may hand over -----------------------------------------------------------------

def test_unknown_languages_and_blank_words_are_ignored_not_fatal():
    guard = PhraseGuard([_rule("odd", "fr", ("non",), "oui"),
                         _rule("blank", "zh-CN", ("", " "), "X"),
                         *RULES], {"fr": ("nonobstant",), "zh-CN": ("",)})
    assert _found("non 不知道", guard) == [("不知道", "dont_know")]
    assert PhraseGuard([], {}).check("不知道 you must") == []


# -- properties ----------------------------------------------------------------------------------

_WORD_CHARS = {char for rule in RULES for word in rule.words for char in word.lower()} | {
    char for words in ALLOWED.values() for word in words for char in word.lower()}
_FILLER = "".join(
    char for char in "您好请问有什么可以帮客户反映信用卡账单已经核实交易记录网点身份证"
    + string.ascii_letters + string.digits + "，。！？、,.!?-() "
    if char.lower() not in _WORD_CHARS
)
_APOSTROPHES = "'’‘ʼ"
_SPACES = (" ", "  ", "\t", "\u00a0", "\u3000")
_EN_WORD_CHAR_ASCII = set(string.ascii_letters + string.digits + "_")


@st.composite
def _variant(draw, word: str) -> str:
    """``word`` as an agent might type it: any case, any apostrophe, any run of spaces."""
    out: list[str] = []
    for char in word:
        if char == "'":
            out.append(draw(st.sampled_from(_APOSTROPHES)))
        elif char == " ":
            out.append(draw(st.sampled_from(_SPACES)))
        else:
            out.append(char.upper() if draw(st.booleans()) else char.lower())
    return "".join(out)


_ALL_WORDS = [(rule, word) for rule in RULES for word in rule.words]


# "İ" lengthens the lower-cased text, which sends English to the scan of the text as typed.
@given(st.data(), st.sampled_from(_ALL_WORDS), st.text(_FILLER + "İ", max_size=40),
       st.text(_FILLER + "İ", max_size=40))
def test_every_word_is_found_wherever_it_is_embedded(data, rule_word, before, after):
    rule, word = rule_word
    if rule.language == "en":
        word = data.draw(_variant(word))
        before, after = before + " ", " " + after
    text = before + word + after
    assert GUARD.check(text) == [
        Hit(len(before), len(before) + len(word), word, rule.id, rule.replacement,
            rule.language)]


def _occurrences(text: str, word: str, language: str) -> list[tuple[int, int]]:
    """Brute force, for texts of single spaces and straight apostrophes."""
    haystack, needle = (text.lower(), word.lower()) if language == "en" else (text, word)
    spans = []
    for start in range(len(text) - len(word) + 1):
        end = start + len(word)
        if not haystack.startswith(needle, start):
            continue
        if language == "en" and ((start > 0 and text[start - 1] in _EN_WORD_CHAR_ASCII)
                                 or (end < len(text) and text[end] in _EN_WORD_CHAR_ASCII)):
            continue
        spans.append((start, end))
    return spans


def _reference(text: str) -> list[tuple[int, int, str]]:
    """The guard's definition, slowly: leftmost, then longest, not inside an allowed word."""
    allowed = {language: [span for word in words for span in _occurrences(text, word, language)]
               for language, words in ALLOWED.items()}
    found = {}
    for rule in RULES:
        for word in rule.words:
            for start, end in _occurrences(text, word, rule.language):
                if any(a <= start and end <= b for a, b in allowed[rule.language]):
                    continue
                if end > found.get(start, (0, ""))[0]:
                    found[start] = (end, rule.id)
    hits, position = [], 0
    for start in sorted(found):
        if start >= position:
            end, rule_id = found[start]
            hits.append((start, end, rule_id))
            position = end
    return hits


_TOKENS = st.one_of(
    st.sampled_from([word for rule in RULES if rule.language == "zh-CN" for word in rule.words]),
    st.sampled_from(list(ALLOWED["zh-CN"])),
    st.sampled_from([f" {word} " for rule in RULES if rule.language == "en" for word in rule.words]
                    + [f" {word} " for word in ALLOWED["en"]]
                    + [f" {word.upper()} " for word in ALLOWED["en"]]),
    st.text("不知道清楚可能行的地方如有话这是我责任您必须应该 ", min_size=1, max_size=3),
    st.text(_FILLER, min_size=1, max_size=3),
)
_SOUPS = st.lists(_TOKENS, max_size=25).map("".join)


@given(_SOUPS)
def test_no_hit_lies_inside_an_allowed_word(text):
    for hit in GUARD.check(text):
        language = GUARD.rule(hit.rule_id).language
        for word in ALLOWED[language]:
            for start, end in _occurrences(text, word, language):
                assert not (start <= hit.start and hit.end <= end), (hit, word)


@given(_SOUPS)
def test_check_agrees_with_the_brute_force_definition(text):
    assert [(hit.start, hit.end, hit.rule_id) for hit in GUARD.check(text)] == _reference(text)


def _assert_well_formed(text: str, hits: list[Hit]) -> None:
    position = 0
    for hit in hits:
        assert position <= hit.start < hit.end <= len(text)
        assert text[hit.start:hit.end] == hit.word
        position = hit.end


@given(_SOUPS)
def test_hits_are_sorted_disjoint_and_within_the_text(text):
    _assert_well_formed(text, GUARD.check(text))


@given(st.text())
def test_check_and_apply_never_raise_on_any_text(text):
    hits = GUARD.check(text)
    _assert_well_formed(text, hits)
    for hit in hits:
        new, cursor = apply(text, hit)
        assert new[:hit.start] == text[:hit.start] and new[cursor:] == text[hit.end:]
