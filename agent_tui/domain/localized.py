"""A text of the scripts library in both languages of the workstation."""

from __future__ import annotations

import msgspec


class Localized(msgspec.Struct, frozen=True):
    zh: str
    en: str

    def __call__(self, language: str) -> str:
        return self.zh if language == "zh-CN" else self.en
