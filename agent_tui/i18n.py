"""The message catalog: every user-visible string, in zh-CN and en.

Catalogs are TOML files in ``agent_tui/locales``; a key is ``section.name``. Core modules raise
errors carrying a key and its values, so a store or config problem reads in the agent's language.

The one way to localise:

- Text the workstation owns (labels, messages, even punctuation between items) is a catalog key:
  ``Catalog.text(key, **values)`` (``app.t`` in the UI).
- An error that reaches the agent is a ``TranslatableError(key, **values)``: the key and values
  travel with it and are read through the same catalog (``Catalog.error``) where it is shown.
- Text that data carries in both languages (the scripts library, the bank's and a product's name,
  a forbidden word's reason) is picked with ``agent_tui.domain.localized.in_language`` or held as a
  ``Localized``. Nothing else compares a language code to choose a text (a test holds to that).
"""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import tomli

from agent_tui.domain.text import sanitize

SUPPORTED = ("zh-CN", "en")
LOCALES = Path(__file__).with_name("locales")
DEFAULT_LANGUAGE = "zh-CN"
UNKNOWN = "app.unknown"  # what a key the catalog lacks shows as


class TranslatableError(Exception):
    """An error whose message is a catalog key plus values: shown translated, never as a traceback."""

    def __init__(self, key: str, /, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def __str__(self) -> str:  # English by default, e.g. in logs
        return Catalog.load("en").text(self.key, **self.values)


def _flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


class _KeepMissing(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Catalog:
    def __init__(self, language: str, messages: dict[str, str]) -> None:
        self.language = language
        self.messages = messages

    @staticmethod
    @cache
    def load(language: str) -> Catalog:
        if language not in SUPPORTED:
            raise ValueError(f"unsupported language {language!r}; choose one of {SUPPORTED}")
        # A plain file beside this module (package data, in a checkout or an installed wheel).
        source = LOCALES / f"{language}.toml"
        return Catalog(language, _flatten(tomli.loads(source.read_text(encoding="utf-8"))))

    def text(self, key: str, /, **values: object) -> str:
        """The message for ``key`` with ``values`` filled in, each value cleaned of anything a
        terminal would obey. A key the catalog lacks shows as "unknown", never as itself: keys
        are often made from data (``gender.{code}``), and echoing one draws the data raw."""
        template = self.messages.get(key)
        if template is None:
            return self.messages.get(UNKNOWN, "?")
        if not values:
            return template
        clean = {name: sanitize(value, multiline=True) if isinstance(value, str) else value
                 for name, value in values.items()}
        return template.format_map(_KeepMissing(clean))

    def error(self, error: TranslatableError) -> str:
        return self.text(error.key, **error.values)


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """zh-CN or en from LC_ALL / LC_MESSAGES / LANG, the way a terminal user would expect."""
    environ = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        if value:
            return "zh-CN" if value.lower().startswith("zh") else "en"
    system, _encoding = locale.getlocale()
    if system:
        return "zh-CN" if system.lower().startswith("zh") else "en"
    return DEFAULT_LANGUAGE
