"""What a program wrote to a terminal, checked against what Textual itself writes.

Textual (8.2.8) writes text, SGR styles (256 colours on TERM=xterm-256color, or truecolor),
absolute cursor moves, a few mode switches and queries at start and exit, and the pointer shape
(OSC 22). Every ESC in the stream must start one of those, in exactly that shape; anything else
(a clear screen, a colour in ANSI's basic palette, a title, a clipboard write, a hyperlink, a C1
control, NUL, DEL, a bidi override) came from data. SGR parameters are parsed one by one, so a
colour from data (``ESC[31m``) is told from Textual's own (``ESC[38;5;160m``).
"""

from __future__ import annotations

import re

_CSI = re.compile(r"\x1b\[([0-?]*)([ -/]*)([@-~])")
_OSC = re.compile(r"\x1b\]([^\x07\x1b]*)(?:\x07|\x1b\\)")
_CUT = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*)?")
# Textual's start, exit, focus and query sequences: (parameters, intermediates, final).
_MODES = re.compile(r"\?\d+")
_OWN_CSI = {
    ("h",): _MODES, ("l",): _MODES,  # DEC private modes (alternate screen, cursor, paste, ...)
    ("p", "$"): _MODES,  # DECRQM: does the terminal support a mode?
}
_KEYBOARD = re.compile(r"[>=]\d+|<\d*|\?")  # kitty keyboard protocol push, pop, query
_SGR_ATTRIBUTES = {"", "0", "1", "2", "3", "4", "5", "7", "8", "9", "21", "22", "23", "24",
                   "25", "27", "28", "29", "51", "52", "53", "54", "55"}
_POINTER = re.compile(r"22;[a-z-]+")  # OSC 22: the pointer's shape
# What never appears outside an escape sequence: C0 but a line end (the pty's CR LF), DEL, C1,
# bidi controls.
FORBIDDEN_CHARACTERS = re.compile(
    "\r(?!\n)|[\x00-\x09\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
    "\u2066-\u2069\ud800-\udfff]")


def _sgr_ok(parameters: str) -> bool:
    parts = parameters.replace(":", ";").split(";")
    index = 0
    while index < len(parts):
        part = parts[index]
        if part in ("38", "48", "58"):  # extended colour: 5;n or 2;r;g;b
            kind = parts[index + 1] if index + 1 < len(parts) else ""
            width = {"5": 1, "2": 3}.get(kind)
            values = parts[index + 2: index + 2 + (width or 0)]
            if width is None or len(values) != width or not all(
                    value.isdigit() and int(value) < 256 for value in values):
                return False
            index += 2 + width
            continue
        if part not in _SGR_ATTRIBUTES:
            return False  # e.g. 31: a basic ANSI colour, which Textual does not write
        index += 1
    return True


def _csi_ok(parameters: str, intermediates: str, final: str) -> bool:
    if final == "m" and not intermediates:
        return _sgr_ok(parameters)
    if final == "H" and not intermediates:  # Textual moves the cursor to row;column, always
        return re.fullmatch(r"\d+;\d+", parameters) is not None
    if final == "u" and not intermediates:
        return _KEYBOARD.fullmatch(parameters) is not None
    key = (final, intermediates) if intermediates else (final,)
    pattern = _OWN_CSI.get(key)
    return pattern is not None and pattern.fullmatch(parameters) is not None


def foreign_sequences(output: str) -> list[str]:
    """Every escape sequence or control character in ``output`` that Textual does not write,
    with a little context: empty when the stream is clean."""
    found: list[str] = []
    position = 0
    while (start := output.find("\x1b", position)) != -1:
        csi, osc = _CSI.match(output, start), _OSC.match(output, start)
        if csi and _csi_ok(*csi.groups()):
            position = csi.end()
        elif osc and _POINTER.fullmatch(osc[1]):
            position = osc.end()
        elif _CUT.fullmatch(output, start):
            break  # the stream ends in the middle of a sequence: the program was stopped
        else:
            end = (csi or osc).end() if (csi or osc) else start + 2
            found.append(repr(output[max(0, start - 20): end + 20]))
            position = end
    for match in FORBIDDEN_CHARACTERS.finditer(_OSC.sub("", output)):
        found.append(repr(output[max(0, match.start() - 20): match.end() + 20]))
    return found
