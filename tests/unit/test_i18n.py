"""The message catalogs: complete, consistent, and covering every key the code can ask for."""

from __future__ import annotations

import ast
import re
import sqlite3
import string
from pathlib import Path

import pytest

from agent_tui.domain.masking import Tier
from agent_tui.domain.models import AccountStatus, Segment
from agent_tui.domain.query import QueryKind
from agent_tui.domain.risk import PASSWORD_CHANGE, TRANSFER_OUT, SignalKind
from agent_tui.i18n import (
    DEFAULT_LANGUAGE,
    LOCALES,
    SUPPORTED,
    Catalog,
    TranslatableError,
    language_from_environment,
)
from agent_tui.keymap import DEFAULT_KEYMAP
from data import generator
from data import reference as ref

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = (ROOT / "agent_tui", ROOT / "screens", ROOT / "data")

EN = Catalog.load("en")
ZH = Catalog.load("zh-CN")


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def assert_in_both(keys: set[str], where: str) -> None:
    assert keys, f"no keys found for {where}: the test would prove nothing"
    missing = {language: sorted(keys - set(catalog.messages))
               for language, catalog in (("en", EN), ("zh-CN", ZH))}
    assert missing == {"en": [], "zh-CN": []}, where


# -- the catalogs themselves ---------------------------------------------------------------------


def test_both_catalogs_load_with_a_reasonable_number_of_messages():
    # Each supported language has its file, and each file is a supported language.
    assert sorted(path.stem for path in LOCALES.glob("*.toml")) == sorted(SUPPORTED)
    for language in SUPPORTED:
        catalog = Catalog.load(language)
        assert catalog.language == language
        assert len(catalog.messages) > 100, language
    # They are two catalogs, not one loaded twice.
    assert EN.text("search.placeholder") != ZH.text("search.placeholder")


def test_catalogs_have_the_same_keys():
    assert sorted(set(EN.messages) ^ set(ZH.messages)) == []


@pytest.mark.parametrize("catalog", [EN, ZH], ids=["en", "zh-CN"])
def test_no_empty_messages(catalog):
    assert [key for key, value in catalog.messages.items() if not value.strip()] == []


def test_same_placeholders_per_key():
    differing = {
        key: (placeholders(EN.messages[key]), placeholders(ZH.messages[key]))
        for key in EN.messages.keys() & ZH.messages.keys()
        if placeholders(EN.messages[key]) != placeholders(ZH.messages[key])
    }
    assert differing == {}


def test_the_chinese_catalog_is_chinese():
    untranslated = [key for key in ("search.placeholder", "help.search", "config.unknown_key")
                    if ZH.messages[key] == EN.messages[key]]
    assert untranslated == []


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        Catalog.load("fr")


def test_text_fills_values_and_keeps_unknown_placeholders():
    assert EN.text("search.found", count=3, kind="mobile") == "3 found (mobile)."
    assert EN.text("search.found", count=3) == "3 found ({kind})."



def test_an_unknown_key_never_echoes_what_was_put_in_it():
    # Keys are made from data (gender.{code}): an unknown one shows a translated placeholder.
    for catalog, unknown in ((EN, "unknown"), (ZH, "未知")):
        assert catalog.text("no.such.key") == unknown
        for code in ("\x1b]0;pwned\x07", "[/]", "X"):
            assert catalog.text(f"gender.{code}") == unknown
            assert catalog.text(f"gender.{code}", name=code) == unknown


def test_values_are_cleaned_of_what_a_terminal_would_obey(hostile_strings):
    forbidden = ("\x1b", "\x9b", "\x00", "\x07", "\x7f", "\u202e", "\u2067")
    for entry in hostile_strings:
        for catalog in (EN, ZH):
            text = catalog.text("app.agent_line", name=entry["text"], staff_number=entry["text"])
            assert not any(char in text for char in forbidden), entry["what"]
    assert EN.text("app.agent_line", name="李娜\x1b]52;c;ZWNobw==\x07", staff_number=7) == \
        "李娜 · staff no. 7"


# -- every key the source asks for ---------------------------------------------------------------

_LITERAL_CALLS = re.compile(
    r"""(?:\bt|\btext|\b\w*Error)\(\s*["']([A-Za-z_][\w]*(?:\.[\w]+)+)["']"""
)
_HELP_KEYS = re.compile(r"""HELP_KEY["']?\s*[=,]\s*["']([\w.]+)["']""")


def _source_files() -> list[Path]:
    return sorted(path for directory in SOURCE_DIRS for path in directory.rglob("*.py"))


def test_every_literal_key_in_the_source_exists():
    keys: set[str] = set()
    for path in _source_files():
        text = path.read_text(encoding="utf-8")
        keys |= set(_LITERAL_CALLS.findall(text)) | set(_HELP_KEYS.findall(text))
    # The scan must see the keys we know are there, or it proves nothing.
    assert {"search.placeholder", "config.unknown_key", "store.too_new", "seed.done",
            "help.customer_360", "help.general", "app.agent_line"} <= keys
    assert_in_both(keys, "literal keys in agent_tui/, screens/, data/")


def test_every_keymap_label_and_help_exists():
    keys = {entry.label_key for entry in DEFAULT_KEYMAP}
    keys |= {entry.help_key for entry in DEFAULT_KEYMAP}
    assert_in_both(keys, "keymap")


def _literal_assignment(path: Path, name: str):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(target, ast.Name) and target.id == name for target in targets):
                return ast.literal_eval(node.value)
    raise AssertionError(f"{name} not found in {path}")


def test_customer_360_tab_and_column_keys_exist():
    tables = _literal_assignment(ROOT / "screens" / "customer_360.py", "_TABLES")
    keys = {f"c360.tab.{name}" for name in tables}
    keys |= {f"c360.{name}.{column}" for name, columns in tables.items() for column in columns}
    assert_in_both(keys, "customer_360 _TABLES")


def test_enum_driven_keys_exist():
    keys = {f"segment.{segment.value}" for segment in Segment}
    keys |= {f"status.{status.value}" for status in AccountStatus}
    keys |= {f"c360.tier.{tier.name.lower()}" for tier in Tier}
    keys |= {f"risk.{kind.value}" for kind in SignalKind}
    # search.py answers EMPTY and UNRECOGNISED with their own messages before naming the kind.
    keys |= {f"search.kind.{kind.value}" for kind in QueryKind
             if kind not in (QueryKind.EMPTY, QueryKind.UNRECOGNISED)}
    assert_in_both(keys, "enums")


def test_reference_list_keys_exist():
    keys = {f"channel.{channel}" for channel in ref.CHANNELS}
    keys |= {f"txn_channel.{channel}" for channel in ref.TRANSACTION_CHANNELS}
    keys |= {f"category.{category}" for category, _ in ref.INTERACTION_TOPICS}
    keys |= {f"category.{category}" for category, _, _ in ref.CASE_TITLES}
    keys |= {f"priority.{priority}" for _, priority, _ in ref.CASE_TITLES}
    keys |= {f"case_status.{status}" for status in generator._OPEN_CASE_STATUSES}
    keys |= {f"case_status.{status}" for status in generator._CLOSED_CASE_STATUSES}
    keys |= {f"txn.{kind}" for kind in (TRANSFER_OUT, PASSWORD_CHANGE)}
    keys |= {"gender.M", "gender.F", "outcome.resolved", "outcome.follow_up"}
    assert_in_both(keys, "data/reference.py and data/generator.py")


def test_every_product_kind_has_an_account_label():
    assert_in_both({f"account.{kind}" for _, kind, *_ in ref.PRODUCTS}, "PRODUCTS kinds")


def test_every_value_in_a_seeded_store_has_a_label(small_store):
    """What the generator really writes, column by column, as the 360 looks it up."""
    columns = {
        "account": ("accounts", "kind"),
        "status": ("accounts", "status"),
        "txn": ("transactions", "kind"),
        "txn_channel": ("transactions", "channel"),
        "channel": ("interactions", "channel"),
        "category": ("interactions", "category"),
        "outcome": ("interactions", "outcome"),
        "gender": ("customers", "gender"),
        "segment": ("customers", "segment"),
    }
    case_columns = {"channel": "channel", "category": "category", "priority": "priority",
                    "case_status": "status"}
    connection = sqlite3.connect(f"file:{small_store}?mode=ro", uri=True)
    try:
        keys: set[str] = set()
        for prefix, (table, column) in columns.items():
            query = f"SELECT DISTINCT {column} FROM {table}"
            values = {row[0] for row in connection.execute(query)}
            assert values, (table, column)
            keys |= {f"{prefix}.{value}" for value in values}
        for prefix, column in case_columns.items():
            query = f"SELECT DISTINCT {column} FROM cases"
            keys |= {f"{prefix}.{row[0]}" for row in connection.execute(query)}
    finally:
        connection.close()
    assert_in_both(keys, "values in the seeded store")


# -- language choice and errors ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh-CN"),
        ({"LANG": "zh_CN"}, "zh-CN"),
        ({"LANG": "en_GB"}, "en"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_GB"}, "zh-CN"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_GB"}, "zh-CN"),
        ({"LC_ALL": "", "LANG": "zh_CN.UTF-8"}, "zh-CN"),
    ],
)
def test_language_from_environment(environ, language):
    assert language_from_environment(environ) == language


def test_language_from_the_process_environment(monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert language_from_environment() == "zh-CN"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert language_from_environment() == "en"


def test_language_without_any_locale_is_the_default(monkeypatch):
    monkeypatch.setattr("agent_tui.i18n.locale.getlocale", lambda: (None, None))
    assert language_from_environment({}) == DEFAULT_LANGUAGE == "zh-CN"


def test_translatable_error_reads_in_english_and_translates():
    error = TranslatableError("config.syntax", where="/tmp/config.toml", reason="bad line 3")
    assert error.key == "config.syntax"
    assert error.values == {"where": "/tmp/config.toml", "reason": "bad line 3"}
    assert str(error) == (
        "The config file /tmp/config.toml is not valid TOML: bad line 3. Fix the line named, "
        "or move the file away to start from defaults."
    )
    translated = ZH.error(error)
    assert "/tmp/config.toml" in translated and "bad line 3" in translated
    assert translated != str(error)


def test_translatable_error_accepts_a_value_named_key():
    # BUG: TranslatableError.__init__(self, key, **values) cannot take a value called ``key``,
    # yet config.unknown_key, config.bad_value and config.bad_override all need {key}: building
    # ConfigError("config.unknown_key", key=..., where=...) raises TypeError instead.
    error = TranslatableError("config.unknown_key", key="ui.langauge", where="/tmp/config.toml:2")
    assert error.key == "config.unknown_key"
    assert error.values["key"] == "ui.langauge"
    assert str(error).startswith("Unknown setting 'ui.langauge' in /tmp/config.toml:2.")


# -- one way to localise -------------------------------------------------------------------------

_LANGUAGE_CHOICE = re.compile(r"""[=!]= ?["'](?:zh-CN|en)["']""")
# Where comparing a language code is the point: the one picker, detecting the terminal's locale,
# and language rules that are not a choice of text (English case-folding, Chinese punctuation).
_MAY_COMPARE = {"agent_tui/domain/localized.py", "agent_tui/i18n.py",
                "agent_tui/domain/phrasing.py", "agent_tui/domain/rephrase.py"}


def test_text_is_chosen_by_language_in_one_place_only():
    choices = [f"{path.relative_to(ROOT)}:{number}"
               for path in _source_files() if str(path.relative_to(ROOT)) not in _MAY_COMPARE
               for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if _LANGUAGE_CHOICE.search(line)]
    assert choices == [], "choose a text with in_language or Localized, or a catalog key"
    assert _LANGUAGE_CHOICE.search('x_zh if language == "zh-CN" else x_en')  # it would see one
