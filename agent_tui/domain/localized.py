"""Text in both languages of the workstation, chosen by the agent's language.

This is the second half of the one way to localise (the first is the catalog, agent_tui/i18n.py):
text that *data* carries in both languages (the scripts library's names and phrases, the bank's
name, a product's name, a forbidden word's reason) is picked with ``in_language`` or held as a
``Localized``; nothing else compares a language code to choose a text.
"""

from __future__ import annotations

from typing import TypeVar

import msgspec

T = TypeVar("T")


def in_language(language: str, zh: T, en: T) -> T:
    """``zh`` for zh-CN, ``en`` for any other language (English is the fallback)."""
    return zh if language == "zh-CN" else en


class Localized(msgspec.Struct, frozen=True):
    zh: str
    en: str

    def __call__(self, language: str) -> str:
        return in_language(language, self.zh, self.en)
