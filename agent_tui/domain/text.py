"""Sanitising text that comes from outside (customer data, notes, synced records, scripts, queries).

Textual passes escape sequences straight to the terminal and Rich markup is not fully escapable
(a bare ``[/`` raises), so every string from outside is cleaned here on entry to the store and once
more before it is drawn. Widgets then render it as Content/Text, never as markup.
"""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC (ESC ] ... BEL or ST), and
# two-character escapes. Their payload goes too: an OSC 52 clipboard write is harmful as text.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?            # CSI
    | \x1b[\]PX^_].*?(?:\x07|\x1b\\|$)  # OSC, DCS, SOS, PM, APC up to BEL or ST (or the end)
    | \x1b[ -/]*[0-~]?                  # other two-character escapes, or a lone ESC
    | \x9b[0-?]*[ -/]*[@-~]?            # C1 CSI
    | [\x90\x98\x9d\x9e\x9f].*?(?:\x07|\x9c|$)  # C1 DCS, SOS, OSC, PM, APC
    """,
    re.VERBOSE | re.DOTALL,
)

_ZERO_WIDTH_JOINER_RUN = re.compile("\u200d{2,}")
_ZERO_WIDTH_JOINER = "\u200d"
# Joiners are the only invisible format characters kept: emoji sequences and some scripts need
# them. Every other one (bidi overrides and isolates, zero-width space, BOM, tags) is dropped: they
# can make "1234" read as "4321" next to an account number.
_KEPT_FORMAT = frozenset("\u200c\u200d")
# A base character may carry a few combining marks (Vietnamese uses two); a flood is an attack.
_MAX_COMBINING_MARKS = 3

SINGLE_LINE_LIMIT = 500
MULTI_LINE_LIMIT = 1_000_000


def _drop_lone_surrogates(text: str) -> str:
    if any("\ud800" <= char <= "\udfff" for char in text):
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def _printable_only(text: str, multiline: bool) -> str:
    """Keep what a terminal prints; turn separators into spaces (or newlines)."""
    out: list[str] = []
    for char in text:
        if char.isprintable() or char in _KEPT_FORMAT or (char == "\n" and multiline):
            out.append(char)
            continue
        category = unicodedata.category(char)
        if category == "Zs":
            out.append(" ")
        elif category in ("Zl", "Zp"):
            out.append("\n" if multiline else " ")
        # anything else (controls, other format characters, unassigned) is dropped
    return "".join(out)


def _limit_combining_marks(text: str) -> str:
    out: list[str] = []
    run = 0
    for char in text:
        if unicodedata.category(char)[0] == "M":
            run += 1
            if run > _MAX_COMBINING_MARKS:
                continue
        else:
            run = 0
        out.append(char)
    return "".join(out)


def sanitize(text: object, *, multiline: bool = False, limit: int | None = None) -> str:
    """Return ``text`` safe to store and draw: no escape sequences, controls or bidi tricks.

    Single-line text (names, numbers, titles) has newlines and tabs folded to spaces; multi-line
    text (notes, summaries) keeps newlines and turns tabs into four spaces. Nothing that is
    printable is lost, so what an agent typed survives; only what a terminal would obey goes.
    Idempotent: cleaning clean text changes nothing.
    """
    if text is None:
        return ""
    value = text if isinstance(text, str) else str(text)
    cap = limit if limit is not None else MULTI_LINE_LIMIT if multiline else SINGLE_LINE_LIMIT
    if value.isascii() and value.isprintable() and len(value) <= cap:
        return value  # the common case, kept cheap: nothing to clean
    value = _drop_lone_surrogates(value)
    value = _ESCAPE_SEQUENCE.sub("", value)
    value = value.replace("\r\n", "\n")
    value = value.replace("\t", "    " if multiline else " ")
    if not multiline:
        value = value.replace("\n", " ")
    # Normalise before limiting marks: NFC expands some single marks (U+0344) into two.
    value = unicodedata.normalize("NFC", _printable_only(value, multiline))
    value = _limit_combining_marks(value)
    value = _ZERO_WIDTH_JOINER_RUN.sub(_ZERO_WIDTH_JOINER, value)
    return value[:cap]


_FULLWIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH_TO_ASCII[0x3000] = 0x20  # ideographic space


def to_halfwidth(text: str) -> str:
    """Fold full-width digits, letters and punctuation (what a Chinese IME types) to ASCII."""
    return text.translate(_FULLWIDTH_TO_ASCII)


def is_cjk(char: str) -> bool:
    """A CJK ideograph, including the extension planes (rare name characters such as 𠮷)."""
    return (
        "\u3400" <= char <= "\u9fff"
        or "\uf900" <= char <= "\ufaff"
        or "\U00020000" <= char <= "\U0003134f"
    )


def contains_cjk(text: str) -> bool:
    return any(is_cjk(char) for char in text)


# What a terminal would obey or reorder, each as something the agent sees instead: C0 controls as
# their control pictures (␛ for ESC, ␀ for NUL), DEL as ␡, and C1 controls, bidi overrides,
# isolates and marks, line/paragraph separators and lone surrogates as U+FFFD. Kept for the last
# line of defence, where text is drawn: ``sanitize`` removes them from what it cleans, this shows
# that something was there in text that escaped cleaning.
REPLACEMENT = "\ufffd"
_VISIBLE = {code: 0x2400 + code for code in range(0x20)}
_VISIBLE[0x7F] = 0x2421
_VISIBLE.update((code, 0xFFFD) for code in range(0x80, 0xA0))
_VISIBLE.update((code, 0xFFFD) for code in (0x061C, 0x200E, 0x200F, 0x2028, 0x2029,
                                            *range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_VISIBLE.update((code, 0xFFFD) for code in range(0xD800, 0xE000))


def visible(text: str) -> str:
    """``text`` with nothing a terminal would obey: every control, bidi control and lone
    surrogate replaced by a visible symbol. Printable text is returned as it is, at C speed."""
    if text.isprintable():
        return text
    return text.translate(_VISIBLE)


def is_damaged(text: str) -> bool:
    """Whether stored text could not be read as it was written: bytes that were not UTF-8 come
    out of the store as U+FFFD (see ``agent_tui.store.database``)."""
    return REPLACEMENT in text
