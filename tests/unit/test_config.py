"""Configuration: defaults, refusals that name key, file and line, and file < env < flags."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from agent_tui.config import (
    AgentSection,
    Config,
    ConfigError,
    config_path,
    default_config_path,
    default_store_path,
    load_config,
    remember_agent,
)
from agent_tui.keymap import DEFAULT_KEYMAP, is_valid_key_list


def xdg_config() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"])


def xdg_data() -> Path:
    return Path(os.environ["XDG_DATA_HOME"])


@pytest.fixture
def write(tmp_path):
    def write(text: str, name: str = "config.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def refusal(path: Path, **kwargs) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(path, **kwargs)
    return caught.value


# -- defaults ------------------------------------------------------------------------------------


def test_no_file_gives_the_defaults(tmp_path):
    config = load_config(tmp_path / "absent.toml")
    assert config.agent == AgentSection()
    assert not config.agent.is_signed_in
    assert config.ui.language == ""
    assert config.ui.mouse is True
    assert config.ui.theme == "textual-dark"
    assert config.store.path == ""
    assert config.bank.name == "XX银行" and config.bank.name_en == "XX Bank"
    assert config.keymap == {}
    assert config.source == tmp_path / "absent.toml"


def test_default_paths_come_from_platformdirs_under_the_isolated_xdg_dirs():
    assert default_config_path() == xdg_config() / "agent-tui" / "config.toml"
    assert default_store_path() == xdg_data() / "agent-tui" / "store.db"
    assert config_path() == default_config_path()
    config = load_config()
    assert config.source == default_config_path()
    assert config.store_path() == default_store_path()
    assert not default_config_path().exists()  # loading never creates the file


def test_agent_tui_config_names_the_file(write, monkeypatch):
    path = write('[ui]\nlanguage = "en"\n', "elsewhere.toml")
    monkeypatch.setenv("AGENT_TUI_CONFIG", str(path))
    assert config_path() == path
    config = load_config()
    assert config.source == path
    assert config.ui.language == "en"


def test_a_full_valid_file_is_read(write):
    path = write(
        '[agent]\nid = "A1024"\nname = "李娜"\nstaff_number = "1024"\n'
        '[ui]\nlanguage = "zh-CN"\nmouse = false\ntheme = "nord"\n'
        '[store]\npath = "~/bank/store.db"\n'
        '[bank]\nname = "某银行"\n'
        '[keymap]\nsearch = "f5,ctrl+s"\n'
    )
    config = load_config(path, environ={})
    assert config.agent.is_signed_in and config.agent.name == "李娜"
    assert config.ui.language == "zh-CN" and config.ui.mouse is False and config.ui.theme == "nord"
    assert config.store_path() == Path.home() / "bank" / "store.db"
    assert config.bank.name == "某银行" and config.bank.name_en == "XX Bank"
    assert config.keymap == {"search": "f5,ctrl+s"}


# -- refusals ------------------------------------------------------------------------------------


def test_unknown_key_names_the_key_and_the_file_with_its_line(write):
    path = write('[ui]\nlangauge = "en"\n')
    error = refusal(path)
    assert error.key == "config.unknown_key"
    assert error.values["key"] == "ui.langauge"
    assert error.values["where"] == f"{path}:2"
    assert f"{path}:2" in str(error) and "ui.langauge" in str(error)


def test_unknown_key_line_is_found_further_down_the_file(write):
    path = write(
        '# team settings\n[agent]\nid = "A1"\n\n[ui]\nmouse = false\n'
        'theme = "nord"\nlangauge = "en"\n'
    )
    error = refusal(path)
    assert error.values["key"] == "ui.langauge"
    assert error.values["where"] == f"{path}:8"


def test_unknown_section_names_its_line(write):
    path = write('[ui]\nmouse = true\n\n[uii]\nlanguage = "en"\n')
    error = refusal(path)
    assert error.key == "config.unknown_key"
    assert error.values["key"] == "uii"
    assert error.values["where"] == f"{path}:4"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[ui]\nlangauge = "en"\n', 2),
        ('[ui]\n   langauge="en"\n', 2),
        ('[ui]\n"langauge" = "en"\n', 2),
        ('[ agent ]\nid = "A1"\n[ ui ]\nmouse = true\nlangauge = "en"\n', 5),
        ('[ui]  # screen settings\nlangauge = "en"\n', 2),
        pytest.param('ui.langauge = "en"\n', 1, id="dotted"),  # dotted key
        pytest.param('ui = { langauge = "en" }\n', 1, id="inline-table"),  # inline table
    ],
    ids=["plain", "indented", "quoted", "spaced-headers", "header-comment", "dotted",
         "inline-table"],
)
def test_unknown_key_line_however_the_toml_is_written(write, text, line):
    assert tomllib.loads(text)  # the example is valid TOML
    path = write(text)
    error = refusal(path)
    assert error.key == "config.unknown_key"
    assert error.values["where"] == f"{path}:{line}"


def test_unknown_top_level_key_names_its_line(write):
    path = write('language = "en"\n[ui]\nmouse = true\n')
    error = refusal(path)
    assert error.key == "config.unknown_key"
    assert error.values["key"] == "language"
    assert error.values["where"] == f"{path}:1"


def test_ill_typed_value_names_the_key_and_line(write):
    path = write('[ui]\nlanguage = "en"\nmouse = "yes"\n')
    error = refusal(path)
    assert error.key == "config.bad_value"
    assert error.values["key"] == "ui.mouse"
    assert error.values["where"] == f"{path}:3"
    assert error.values["reason"]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[ui]\nlanguage = "fr"\n', "ui.language"),
        ('[ui]\nmouse = 1\n', "ui.mouse"),
        ('[store]\npath = 42\n', "store.path"),
        ('[agent]\nid = 1024\n', "agent.id"),
        ('ui = "en"\n', "ui"),
    ],
)
def test_other_bad_values(write, text, key):
    error = refusal(write(text))
    assert error.key == "config.bad_value"
    assert error.values["key"] == key


def test_invalid_toml_is_a_syntax_error(write):
    path = write('[ui\nlanguage = "en"\n')
    error = refusal(path)
    assert error.key == "config.syntax"
    assert error.values["where"] == str(path)
    assert error.values["reason"]


def test_duplicate_key_is_a_syntax_error(write):
    error = refusal(write('[ui]\nmouse = true\nmouse = false\n'))
    assert error.key == "config.syntax"


def test_non_utf8_file_is_not_text(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes('[bank]\nname = "某银行"\n'.encode("gb18030"))
    error = refusal(path)
    assert error.key == "config.not_text"
    assert error.values["where"] == str(path)


def test_unknown_keymap_action_is_refused(write):
    error = refusal(write('[keymap]\nserch = "f2"\n'))
    assert error.key == "config.bad_value"
    assert error.values["key"] == "keymap"
    assert "serch" in error.values["reason"]


@pytest.mark.parametrize("keys", ["", "f2,,ctrl+f", "f2, ctrl f", ",", "ctrl f"])
def test_bad_key_list_is_refused(write, keys):
    error = refusal(write(f'[keymap]\nsearch = "{keys}"\n'))
    assert error.key == "config.bad_value"
    assert error.values["key"] == "keymap"


def test_keymap_value_must_be_a_string(write):
    error = refusal(write('[keymap]\nsearch = ["f2", "ctrl+f"]\n'))
    assert error.key == "config.bad_value"
    assert error.values["key"].startswith("keymap")


def test_every_default_action_may_be_remapped(write):
    text = "[keymap]\n" + "".join(f'{entry.id} = "{entry.keys}"\n' for entry in DEFAULT_KEYMAP)
    config = load_config(write(text), environ={})
    assert config.keymap == {entry.id: entry.keys for entry in DEFAULT_KEYMAP}


@pytest.mark.parametrize(
    ("keys", "valid"),
    [("f2", True), ("f2,ctrl+f", True), (" f2 , ctrl+f ", True), ("", False), ("f2,", False),
     ("ctrl f", False), ("f2,,f3", False)],
)
def test_is_valid_key_list(keys, valid):
    assert is_valid_key_list(keys) is valid


# -- layering: file < environment < flags --------------------------------------------------------


@pytest.fixture
def layered_file(write):
    return write(
        '[agent]\nid = "FILE"\nname = "李娜"\nstaff_number = "1024"\n'
        '[ui]\nlanguage = "en"\n[store]\npath = "/file/store.db"\n'
    )


def layers(config: Config) -> tuple[str, str, str]:
    return config.agent.id, config.ui.language, config.store.path


def test_file_alone(layered_file):
    config = load_config(layered_file)
    assert layers(config) == ("FILE", "en", "/file/store.db")


def test_environment_beats_the_file(layered_file, monkeypatch):
    monkeypatch.setenv("AGENT_TUI_STORE", "/env/store.db")
    monkeypatch.setenv("AGENT_TUI_LANGUAGE", "zh-CN")
    monkeypatch.setenv("AGENT_TUI_AGENT", "ENV")
    config = load_config(layered_file)
    assert layers(config) == ("ENV", "zh-CN", "/env/store.db")
    assert config.agent.name == "李娜"  # what the environment does not set stays from the file
    assert config.store_path() == Path("/env/store.db")


def test_an_explicit_environ_mapping_is_used(layered_file):
    config = load_config(layered_file, environ={"AGENT_TUI_LANGUAGE": "zh-CN"})
    assert config.ui.language == "zh-CN"


def test_empty_environment_values_are_ignored(layered_file):
    config = load_config(layered_file, environ={"AGENT_TUI_LANGUAGE": "", "AGENT_TUI_STORE": ""})
    assert config.ui.language == "en" and config.store.path == "/file/store.db"


def test_flags_beat_the_environment(layered_file, monkeypatch):
    monkeypatch.setenv("AGENT_TUI_STORE", "/env/store.db")
    monkeypatch.setenv("AGENT_TUI_LANGUAGE", "zh-CN")
    monkeypatch.setenv("AGENT_TUI_AGENT", "ENV")
    config = load_config(
        layered_file,
        overrides={"store": {"path": "/flag/store.db"}, "ui": {"language": "en"},
                   "agent": {"id": "FLAG"}},
    )
    assert layers(config) == ("FLAG", "en", "/flag/store.db")


def test_flags_left_unset_do_not_override(layered_file, monkeypatch):
    monkeypatch.setenv("AGENT_TUI_LANGUAGE", "zh-CN")
    config = load_config(
        layered_file, overrides={"ui": {"language": None}, "store": {"path": None}}
    )
    assert config.ui.language == "zh-CN" and config.store.path == "/file/store.db"


def test_bad_language_from_the_environment_is_a_bad_override(tmp_path, monkeypatch):
    monkeypatch.setenv("AGENT_TUI_LANGUAGE", "fr")
    error = refusal(tmp_path / "absent.toml")
    assert error.key == "config.bad_override"
    assert error.values["key"] == "ui.language"
    assert "zh-CN" in error.values["languages"] and "en" in error.values["languages"]


def test_bad_language_flag_is_a_bad_override(tmp_path):
    error = refusal(tmp_path / "absent.toml", overrides={"ui": {"language": "english"}})
    assert error.key == "config.bad_override"
    assert error.values["key"] == "ui.language"


# -- remembering the agent -----------------------------------------------------------------------


def test_remember_agent_keeps_other_sections_and_a_second_load_sees_the_agent(write):
    path = write('[ui]\nlanguage = "en"\nmouse = false\n\n[keymap]\nsearch = "f5"\n')
    config = load_config(path, environ={})
    returned = remember_agent(config, "A1024", "李娜", "1024")
    assert returned.agent == AgentSection(id="A1024", name="李娜", staff_number="1024")
    written = tomllib.loads(path.read_text(encoding="utf-8"))
    assert written == {
        "ui": {"language": "en", "mouse": False},
        "keymap": {"search": "f5"},
        "agent": {"id": "A1024", "name": "李娜", "staff_number": "1024"},
    }
    again = load_config(path, environ={})
    assert again.agent.is_signed_in and again.agent.id == "A1024"
    assert again.ui.language == "en" and again.ui.mouse is False
    assert again.keymap == {"search": "f5"}
    assert sorted(p.name for p in path.parent.iterdir()) == ["config.toml"]  # no temporary left


def test_remember_agent_replaces_a_previous_agent(write):
    path = write('[agent]\nid = "OLD"\nname = "旧"\nstaff_number = "1"\n')
    remember_agent(load_config(path, environ={}), "NEW", "新", "2")
    assert load_config(path, environ={}).agent == AgentSection(id="NEW", name="新", staff_number="2")


def test_remember_agent_creates_the_default_file_under_xdg():
    config = load_config()
    assert not default_config_path().exists()
    remember_agent(config, "A1", "王芳", "0001")
    assert default_config_path().is_file()
    assert default_config_path().is_relative_to(xdg_config())
    assert load_config().agent == AgentSection(id="A1", name="王芳", staff_number="0001")


def test_remember_agent_without_a_source_uses_the_config_path():
    remember_agent(Config(), "A2", "赵六", "0002")
    assert load_config().agent.id == "A2"


def test_remember_agent_writes_atomically(write, monkeypatch):
    original = '[ui]\nlanguage = "en"\n'
    path = write(original)
    config = load_config(path, environ={})

    def crash(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(ConfigError) as raised:
        remember_agent(config, "A1024", "李娜", "1024")
    monkeypatch.undo()
    assert raised.value.key == "config.not_saved" and str(path) in str(raised.value)
    # The file in place was never written to: the new content went to a temporary file first,
    # which is gone again.
    assert path.read_text(encoding="utf-8") == original
    assert load_config(path, environ={}).agent == AgentSection()
    assert sorted(p.name for p in path.parent.iterdir()) == ["config.toml"]
