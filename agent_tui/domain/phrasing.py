"""The forbidden-phrase guard (DOMAIN.md, 服务语言规范): what an agent must not say, and what instead.

The note editor checks the whole note on every keystroke, so ``PhraseGuard`` compiles its words
once and a check is one regex scan per language. Both languages are always checked, whatever the
interface language: agents mix them in one note. Chinese words match anywhere (Chinese has no
spaces between words); English words match whole words only, in any case, with any run of
whitespace between them and with a typed or a typographic apostrophe ("I don’t  know"). A longer
word the library allows ("不清楚的地方", "you should have received") hides the forbidden word
inside it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

import msgspec

from agent_tui.domain.rephrase import fit
from agent_tui.domain.text import sanitize

LANGUAGES = ("zh-CN", "en")

# Scripts written without spaces: an English word may touch them ("客户说you must..." still says
# "you must"). Checked in Python: as a regex class these ranges take ~5 ms to compile, per use.
_UNSPACED = (
    ("\u2e80", "\u9fff"),  # CJK radicals and punctuation, kana, CJK ideographs
    ("\ua960", "\ua97f"),  # hangul jamo extended
    ("\uac00", "\ud7ff"),  # hangul syllables
    ("\uf900", "\ufaff"),  # CJK compatibility ideographs
    ("\U00020000", "\U0003134f"),  # CJK extensions B to G
)
_APOSTROPHES = "'\u2019\u2018\u02bc\uff07"  # ' ’ ‘ ʼ ＇: what keyboards, IMEs and autocorrect type
_APOSTROPHE_CLASS = "[" + _APOSTROPHES + "]"
_SPLIT_EN = re.compile(r"(\s+|[" + _APOSTROPHES + "])")


class ForbiddenRule(msgspec.Struct, frozen=True):
    id: str
    language: str  # "zh-CN" or "en": the language of ``words`` and ``replacement``
    words: tuple[str, ...]
    replacement: str
    reason_zh: str
    reason_en: str
    clause: bool = False  # the replacement is a clause of its own (see agent_tui.domain.rephrase)


class Hit(msgspec.Struct, frozen=True):
    """One forbidden word in a text: ``text[start:end] == word``."""

    start: int
    end: int
    word: str  # as typed, so it may differ from the rule's word in case, spaces or apostrophes
    rule_id: str
    replacement: str
    language: str = ""  # the rule's
    clause: bool = False  # the rule's: how the replacement fits its sentence


def _en_word_char(char: str) -> bool:
    """What an English word may not touch on either side: a letter, digit or underscore (as the
    regex ``\\w`` has it) of a script written with spaces."""
    if not (char.isalnum() or char == "_"):
        return False
    return not any(low <= char <= high for low, high in _UNSPACED)


def _normalise(word: str, language: str) -> str:
    """The form two words are compared in: equal forms match the same texts."""
    if language != "en":
        return word
    collapsed = " ".join(word.split())
    return collapsed.translate({ord(char): "'" for char in _APOSTROPHES}).lower()


def _case_free(piece: str) -> str:
    """``piece`` as a regex matching it in any case, on the text as typed.

    A character class per letter rather than re.IGNORECASE, which would also let "ſ" or the Kelvin
    sign pass for "s" and "k". Only run at one position at a time (see ``_Words``).
    """
    out: list[str] = []
    for char in piece:
        lower, upper = char.lower(), char.upper()
        if lower != upper and len(lower) == 1 and len(upper) == 1:
            out.append(f"[{re.escape(lower)}{re.escape(upper)}]")
        else:
            out.append(re.escape(char))
    return "".join(out)


def _lowered(piece: str) -> str:
    """``piece`` as a regex matching it on the lower-cased text, whatever case it was typed in."""
    out: list[str] = []
    for char in piece:
        forms = {form for form in (char.lower(), char.upper().lower()) if len(form) == 1}
        if len(forms) > 1:
            out.append("[" + "".join(re.escape(form) for form in sorted(forms)) + "]")
        else:
            out.append(re.escape(char.lower()))
    return "".join(out)


def _body(word: str, language: str, letters: Callable[[str], str] = _case_free) -> str:
    """The regex of one word without its boundaries; ``letters`` turns a run of letters into one."""
    if language != "en":
        return re.escape(word)
    out: list[str] = []
    for piece in _SPLIT_EN.split(word.strip()):
        if not piece:
            continue
        if piece.isspace():
            out.append(r"\s+")
        elif piece in _APOSTROPHES:
            out.append(_APOSTROPHE_CLASS)
        else:
            out.append(letters(piece))
    return "".join(out)


def _true_case(typed: str) -> bool:
    """No letter in ``typed`` only lower-cases to a word's letter: the Kelvin sign "K" becomes "k"
    and "ſ" looks like "s", but neither is how anyone types "know" or "must" (see ``_case_free``).
    """
    return all(char == char.lower() or char == char.lower().upper() for char in typed)


class _Form:
    """The words of one language as one regex over one form of the text (as typed, or lower-cased).

    A plain alternation of literals, longest word first: no groups, no look-arounds and no
    character classes for case, so the regex engine skips ahead to the characters that can begin a
    word (the same scan with a group per word is ~40x slower, with a class per letter ~10x), and a
    match at a place is the longest word there; which word it is, ``_Words`` looks up. Every regex
    compiled costs start-up time (Python's regex parser is slow on long alternations), so there is
    one per form. ``each`` (one pattern per word) is for the rare word that runs on into another.
    """

    def __init__(self, bodies: Sequence[str]) -> None:
        self.bodies = bodies
        self.scan = re.compile("|".join(bodies))
        self._each: list[re.Pattern[str]] = []

    @property
    def each(self) -> list[re.Pattern[str]]:
        if not self._each:
            self._each = [re.compile(body) for body in self.bodies]
        return self._each


class _Words:
    """The words of one language: where they may start, and the longest one that starts there.

    English is matched on the lower-cased text, whose pattern is literals and compiles fast; the
    pattern with a class per letter for the text as typed costs ~7 ms to compile (a third of the
    library's load) and is only needed when lower-casing changes the text's length ("İ" becomes
    two characters), so offsets in the lowered text would be wrong: it is compiled when first
    needed. Chinese has one form, the text as typed.
    """

    def __init__(self, language: str, words: Sequence[str]) -> None:
        self.language = language
        ordered = sorted(words, key=lambda word: len(_normalise(word, language)), reverse=True)
        self.words = ordered
        self._index = {_normalise(word, language): index for index, word in enumerate(ordered)}
        self._typed_bodies = [_body(word, language) for word in ordered]
        self._typed: _Form | None = None
        self._lowered: _Form | None = None
        if language == "en":
            self._lowered = _Form([_body(word, language, _lowered) for word in ordered])
        else:
            self._typed = _Form(self._typed_bodies)

    def form(self, text: str, lowered: Callable[[], str | None]) -> tuple[_Form, str]:
        """The form to match with, and the text to match in (same offsets as ``text``)."""
        if self._lowered is not None:
            folded = lowered()
            if folded is not None:
                return self._lowered, folded
        if self._typed is None:
            self._typed = _Form(self._typed_bodies)
        return self._typed, text

    def longest_at(self, form: _Form, text: str, position: int, typed: str
                   ) -> tuple[int, int] | None:
        """(end, index of the word) of the longest word starting at ``position``, if any.

        ``text`` is the form's text (see ``form``), ``typed`` the text as typed."""
        match = form.scan.match(text, position)
        if match is None:
            return None
        end, index = match.end(), self._index[_normalise(match.group(), self.language)]
        if self.language != "en":
            return end, index
        if position > 0 and _en_word_char(text[position - 1]):
            return None  # the same for every word starting here
        if self._fits(form, text, typed, position, end):
            return end, index
        # The longest word here runs on into a word ("you must" in "you mustard"): a shorter one
        # may still end on a boundary. Rare, so the words are tried one by one.
        each = form.each
        for index in range(index + 1, len(each)):
            match = each[index].match(text, position)
            if match is not None and self._fits(form, text, typed, position, match.end()):
                return match.end(), index
        return None

    def _fits(self, form: _Form, text: str, typed: str, start: int, end: int) -> bool:
        """An English word ends on a word boundary, and was typed in true case."""
        if end < len(text) and _en_word_char(text[end]):
            return False
        return form is not self._lowered or _true_case(typed[start:end])

    def occurrences(
        self, text: str, lowered: Callable[[], str | None]
    ) -> Iterator[tuple[int, int]]:
        """(start, end) of the longest word at every place one starts; overlapping ones too."""
        form, haystack = self.form(text, lowered)
        position = 0
        while (found := form.scan.search(haystack, position)) is not None:
            start = found.start()
            longest = self.longest_at(form, haystack, start, text)
            if longest is not None:
                yield start, longest[0]
            position = start + 1


class _Spans:
    """Every occurrence of the allowed words in one text, to ask whether one covers a hit."""

    def __init__(self, occurrences: Iterable[tuple[int, int]]) -> None:
        self.starts: list[int] = []
        self.reach: list[int] = []  # furthest end among the occurrences starting at or before
        furthest = -1
        for start, end in occurrences:  # in order of start
            furthest = max(furthest, end)
            self.starts.append(start)
            self.reach.append(furthest)

    def cover(self, start: int, end: int) -> bool:
        index = bisect.bisect_right(self.starts, start) - 1
        return index >= 0 and self.reach[index] >= end


class PhraseGuard:
    """Finds the forbidden words in a text. Built once per library; ``check`` is pure and cheap.

    Rules or allowed words of a language other than zh-CN and en, and blank words, are ignored here:
    the library loader reports them with their file and line (and still builds a guard to check the
    approved phrases, so this must not raise on them). A word listed by two rules belongs to the
    first.
    """

    def __init__(
        self, rules: Sequence[ForbiddenRule], allowed: Mapping[str, Sequence[str]]
    ) -> None:
        self._rules = {rule.id: rule for rule in reversed(rules)}  # the first of a duplicate id
        self._forbidden: dict[str, _Words] = {}
        self._owner: dict[str, list[ForbiddenRule]] = {}  # language -> rule of each word, in order
        self._allowed: dict[str, _Words] = {}
        for language in LANGUAGES:
            seen: dict[str, ForbiddenRule] = {}
            words: list[str] = []
            for rule in rules:
                if rule.language != language:
                    continue
                for word in rule.words:
                    key = _normalise(word, language)
                    if key.strip() and key not in seen:
                        seen[key] = rule
                        words.append(word)
            if words:
                compiled = _Words(language, words)
                self._forbidden[language] = compiled
                self._owner[language] = [seen[_normalise(w, language)] for w in compiled.words]
            kept = {_normalise(w, language): w for w in allowed.get(language, ()) if w.strip()}
            if kept:
                self._allowed[language] = _Words(language, list(kept.values()))

    def rule(self, rule_id: str) -> ForbiddenRule:
        """The rule of a hit (for its reason, in the interface language)."""
        return self._rules[rule_id]

    def check(self, text: str) -> list[Hit]:
        """Every forbidden word in ``text``, in order, not overlapping; longest first at a spot."""
        hits: list[Hit] = []
        if not self._forbidden:
            return hits
        folded: list[str | None] = []

        def lowered() -> str | None:
            # Lower-cased once per check, for the English scanners; None when that moves offsets.
            if not folded:
                lower = text.lower()
                folded.append(lower if len(lower) == len(text) else None)
            return folded[0]

        # Each language has its own scanner (one alternation with both is slower than two: the
        # engine can no longer skip ahead on first characters). ``ahead`` holds each language's
        # next place where a word may start, searched again only once the check has passed it.
        forms = {language: words.form(text, lowered)
                 for language, words in self._forbidden.items()}
        ahead: dict[str, int] = {}
        allowed: dict[str, _Spans] = {}  # built once per text, and only for a language with a hit
        position = 0
        while True:
            for language, (form, haystack) in forms.items():
                if ahead.get(language, -1) < position:
                    found = form.scan.search(haystack, position)
                    ahead[language] = found.start() if found is not None else len(text) + 1
            start = min(ahead.values())
            if start > len(text):
                return hits
            best: tuple[int, str, int] | None = None  # end, language, word index
            for language, place in ahead.items():
                if place != start:
                    continue
                form, haystack = forms[language]
                longest = self._forbidden[language].longest_at(form, haystack, start, text)
                if longest is None or (best is not None and longest[0] <= best[0]):
                    continue
                end, index = longest
                if language in self._allowed:
                    if language not in allowed:
                        allowed[language] = _Spans(
                            self._allowed[language].occurrences(text, lowered))
                    # The longest word here is hidden, so is any shorter one of this language.
                    if allowed[language].cover(start, end):
                        continue
                best = (end, language, index)
            if best is None:
                position = start + 1  # a word may still start inside this one
                continue
            end, language, index = best
            rule = self._owner[language][index]
            hits.append(Hit(start, end, text[start:end], rule.id, rule.replacement,
                            rule.language, rule.clause))
            position = end


def apply(text: str, hit: Hit) -> tuple[str, int]:
    """``text`` with ``hit`` replaced, fitted to its sentence (``agent_tui.domain.rephrase``), and
    the cursor position just after the replacement. Raises ValueError if ``text`` changed since
    the check found ``hit`` (the editor checks again)."""
    if not 0 <= hit.start <= hit.end <= len(text) or text[hit.start:hit.end] != hit.word:
        raise ValueError(f"the text no longer has {hit.word!r} at {hit.start}: check it again")
    # The library's words come from outside: cleaned before they join the agent's text.
    return fit(text, hit.start, hit.end, sanitize(hit.replacement), clause=hit.clause,
               language=hit.language)


def new_catches(before: Sequence[Hit], after: Sequence[Hit]) -> list[Hit]:
    """The hits of ``after`` that are new since ``before`` (the previous keystroke's check).

    Counted by rule and word, not by position: typing before a forbidden word moves it without
    catching it again, while typing it a second time is a second catch.
    """
    seen: dict[tuple[str, str], int] = {}
    for hit in before:
        key = (hit.rule_id, _normalise(hit.word, "en"))
        seen[key] = seen.get(key, 0) + 1
    fresh: list[Hit] = []
    for hit in after:
        key = (hit.rule_id, _normalise(hit.word, "en"))
        if seen.get(key, 0) > 0:
            seen[key] -= 1
        else:
            fresh.append(hit)
    return fresh
