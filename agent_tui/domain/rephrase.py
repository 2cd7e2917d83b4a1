"""F8 on a forbidden word: its replacement fitted into the sentence around it, so the result is
what a person would say ("我不知道原因" becomes "我来为您查询原因", not "我我来为您查询原因").

A replacement is one of two kinds (the library's ``clause`` flag on a rule):

- inline (the default): it takes the forbidden words' place in the sentence and carries on into
  what follows ("您必须带身份证" → "建议您带身份证", "I don't know why" → "let me find out why").
  When it brings its own first-person subject, the one already there goes ("我也不清楚" →
  "我来为您查询").
- clause: it is a clause of its own ("我们会在约定时间内给您明确答复"). The subject and adverbs
  the forbidden words hung on go ("您只能等着" → "我们会…", "A system issue" → "Let me check…"),
  and in Chinese it is set apart from the words around it with a comma ("扣款失败是系统原因" →
  "扣款失败，我来为您核实并跟进处理").

Either kind may end with a colon ("我为您解释一下原因："): it introduces what follows, so a comma
or question mark after the forbidden words gives way to it, and a full stop takes its place. The
same words are never doubled at either seam ("我建议" + "建议您" → "我建议您"). English
replacements take the case their place in the sentence calls for.
"""

from __future__ import annotations

import re

_ZH_FIRST_PERSON = re.compile(r"^(我们|咱们|我)")
_ZH_ADVERBS = "也|都|还|就|先|再|真的|确实|实在|只能|只好|可能"
# What a first-person replacement takes over from before the forbidden words: "我也", "我们都".
_ZH_OWN_SUBJECT = re.compile(rf"(?:我们|咱们|我)(?:{_ZH_ADVERBS})*$")
# What a clause takes over: any subject, a demonstrative one, or adverbs left hanging.
_ZH_CLAUSE_SUBJECT = re.compile(
    rf"(?:(?:我们|咱们|我|您|你|这个|那个|这|那)(?:{_ZH_ADVERBS})*|(?:{_ZH_ADVERBS})+)$")
_EN_WORD = re.compile(r"[\w'’]+")
_EN_ARTICLE = re.compile(r"(?:(?<=\W)|^)(?:a|an|the)\s+$", re.IGNORECASE)

_JOINING = ":：,，"  # a replacement's last character that opens onto what follows
_YIELDING = ",，、?？!！"  # what gives way to that character
_ENDING = ".。;；"  # what replaces it
_SENTENCE_END = frozenset(".!?。！？\n")
_OPENERS = " \t\u3000\u00a0\"'“‘(（"


def _is_chinese(text: str) -> bool:
    return any("\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" for char in text)


def fit(text: str, start: int, end: int, replacement: str, *, clause: bool = False,
        language: str = "") -> tuple[str, int]:
    """``text`` with ``text[start:end]`` replaced by ``replacement``, fitted to its sentence; and
    the cursor just after the replacement. ``language`` is the rule's (guessed if not given)."""
    before, after = text[:start], text[end:]
    if not replacement:
        return before + after, len(before)
    chinese = language == "zh-CN" or (not language and _is_chinese(replacement))
    if chinese:
        before, middle, after = _fit_zh(before, replacement, after, clause)
    else:
        before, middle, after = _fit_en(before, replacement, after, clause, text[start:end])
    middle, after = _punctuation(middle, after)
    return before + middle + after, len(before) + len(middle)


def _overlap_before(before: str, replacement: str, minimum: int) -> str:
    """``before`` without its end where that is how ``replacement`` starts (at least
    ``minimum`` characters): "我建议" + "建议您" is "我建议您"."""
    for size in range(min(len(before), len(replacement)), minimum - 1, -1):
        if before.endswith(replacement[:size]):
            return before[:-size]
    return before


def _overlap_after(replacement: str, after: str, minimum: int) -> str:
    for size in range(min(len(after), len(replacement)), minimum - 1, -1):
        if after.startswith(replacement[-size:]):
            return after[size:]
    return after


def _fit_zh(before: str, replacement: str, after: str, clause: bool) -> tuple[str, str, str]:
    if clause:
        before = _ZH_CLAUSE_SUBJECT.sub("", before)
    elif _ZH_FIRST_PERSON.match(replacement):
        before = _ZH_OWN_SUBJECT.sub("", before)
    before = _overlap_before(before, replacement, 2)
    after = _overlap_after(replacement, after, 2)
    middle = replacement
    if clause:
        if before and before[-1].isalnum():
            middle = "，" + middle
        if after[:1].isalnum() and middle[-1] not in _JOINING:
            middle += "，"
    return before, middle, after


def _fit_en(before: str, replacement: str, after: str, clause: bool,
            found: str) -> tuple[str, str, str]:
    words = _EN_WORD.findall(replacement.lower())
    # The same words at a seam, once: "let me" + "let me find out".
    for size in range(len(words), 0, -1):
        tail = re.search(r"(?:^|(?<=\W))" + r"\W+".join(map(re.escape, words[:size]))
                         + r"\W*$", before, re.IGNORECASE)
        if tail and tail.group().strip():
            before = before[:tail.start()]
            break
    if clause:  # "A system issue, I'm afraid": the clause brings its own subject
        before = _EN_ARTICLE.sub("", before)
    stripped = before.rstrip(_OPENERS)
    sentence_start = not stripped or stripped[-1] in _SENTENCE_END
    return before, _case(replacement, found, sentence_start), after


def _case(replacement: str, found: str, sentence_start: bool) -> str:
    """An English replacement starts with a capital where its sentence starts, or where the
    words it replaces did ("You must" mid-text after a line typed without a full stop); "I"
    keeps its capital anywhere."""
    if re.match(r"I(?=[\s'’]|$)", replacement):
        return replacement
    first = found[:1]
    capital = sentence_start or (first.isupper() and not re.match(r"I(?=[\s'’]|$)", found))
    head = replacement[0].upper() if capital else replacement[0].lower()
    return (head if len(head) == 1 else replacement[0]) + replacement[1:]


def _punctuation(middle: str, after: str) -> tuple[str, str]:
    """A replacement ending in a colon or comma meets the punctuation after it: a comma or a
    question mark gives way, a full stop or semicolon takes the colon's place."""
    if not middle or middle[-1] not in _JOINING:
        return middle, after
    if after[:1] in _YIELDING and after[:1]:
        after = after[1:]
        if middle[-1] in ":," and after[:1] not in (" ", ""):
            after = " " + after
    elif after[:1] in _ENDING and after[:1]:
        middle = middle[:-1]
    elif middle[-1] in ":," and after[:1].isalnum():
        after = " " + after
    return middle, after


def set_apart(before: str, text: str, after: str) -> str:
    """``text`` (a phrase inserted at the cursor) on a line of its own when the line has words
    before or after the cursor (``before`` and ``after`` are the rest of that line): a phrase is
    never run together with what the agent typed."""
    head = "\n" if before.strip() else ""
    tail = "\n" if after.strip() else ""
    return head + text + tail
