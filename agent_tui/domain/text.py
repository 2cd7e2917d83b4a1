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

# Bidirectional overrides and isolates can make "1234" read as "4321" next to an account number.
_BIDI_CONTROLS = dict.fromkeys(
    [0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)], None
)
_ZERO_WIDTH_JOINER_RUN = re.compile("\u200d{2,}")
_ZERO_WIDTH_JOINER = "\u200d"
# A base character may carry a few combining marks (Vietnamese uses two); a flood is an attack.
_MAX_COMBINING_MARKS = 3
# Any run of combining marks longer than allowed (the general category test runs only when found).
_COMBINING_FLOOD = re.compile(r"[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a"
                              r"\u064b-\u065f\u0e31-\u0e3a\u1ab0-\u1aff\u1dc0-\u1dff"
                              r"\u20d0-\u20ff\ufe20-\ufe2f]{4,}")

SINGLE_LINE_LIMIT = 500
MULTI_LINE_LIMIT = 1_000_000


def _is_unwanted_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F


def _drop_lone_surrogates(text: str) -> str:
    return text.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(text) else text


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


def _limit_combining_marks(text: str) -> str:
    out: list[str] = []
    run = 0
    for char in text:
        if unicodedata.combining(char):
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
    """
    if text is None:
        return ""
    value = text if isinstance(text, str) else str(text)
    cap = limit or (MULTI_LINE_LIMIT if multiline else SINGLE_LINE_LIMIT)
    # The common case, kept cheap: printable text (no controls, no bidi or zero-width format
    # characters, no surrogates) that is already NFC and carries no flood of combining marks.
    if value.isprintable() and len(value) <= cap:
        if value.isascii():
            return value
        if unicodedata.is_normalized("NFC", value) and not _COMBINING_FLOOD.search(value):
            return value
    value = _drop_lone_surrogates(value)
    value = _ESCAPE_SEQUENCE.sub("", value)
    value = value.translate(_BIDI_CONTROLS)
    value = _ZERO_WIDTH_JOINER_RUN.sub(_ZERO_WIDTH_JOINER, value)
    value = value.replace("\r\n", "\n")
    if multiline:
        value = value.replace("\t", "    ")
        value = "".join(c for c in value if c == "\n" or not _is_unwanted_control(c))
    else:
        value = value.replace("\t", " ").replace("\n", " ")
        value = "".join(c for c in value if not _is_unwanted_control(c))
    value = _limit_combining_marks(unicodedata.normalize("NFC", value))
    return value[:cap]


_FULLWIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH_TO_ASCII[0x3000] = 0x20  # ideographic space


def to_halfwidth(text: str) -> str:
    """Fold full-width digits, letters and punctuation (what a Chinese IME types) to ASCII."""
    return text.translate(_FULLWIDTH_TO_ASCII)


def contains_cjk(text: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" for char in text)
