"""TOML files people edit by hand, damaged or odd: a byte-order mark (Windows Notepad writes one) is
accepted; nesting too deep for the parser is a problem with file:line, never a RecursionError; in
the config, the scripts library and `agent-tui scripts check` alike."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from agent_tui.cli import main
from agent_tui.config import ConfigError, load_config, remember_agent
from agent_tui.i18n import Catalog
from agent_tui.library import LibraryError, load_library
from scripts_library import LIBRARY_DIR

BOM = "\ufeff"
DEPTH = 5000

# Every way TOML nests: inline arrays, inline tables, dotted keys, table headers.
DEEP = {
    "arrays": "x = " + "[" * DEPTH + "]" * DEPTH,
    "inline-tables": "x = " + "{ a = " * DEPTH + "1" + " }" * DEPTH,
    "dotted-key": "x" + ".a" * DEPTH + " = 1",
    "table-header": "[x" + ".a" * DEPTH + "]",
}


# -- a byte-order mark ---------------------------------------------------------------------------


def test_a_config_saved_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(BOM + '[agent]\nid = "A7"\n\n[ui]\nlanguage = "en"\n', encoding="utf-8")
    config = load_config(path, environ={})
    assert (config.agent.id, config.ui.language) == ("A7", "en")


def test_a_mistake_in_a_file_with_a_byte_order_mark_keeps_its_line(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(BOM + '[ui]\nlanguage = "en"\nlangauge = "en"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path, environ={})
    assert raised.value.key == "config.unknown_key"
    assert raised.value.values["where"] == f"{path}:3"


def test_signing_in_keeps_a_config_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(BOM + '[ui]\nlanguage = "zh-CN"\n', encoding="utf-8")
    remember_agent(load_config(path, environ={}), "A9", "王芳", "0009")
    config = load_config(path, environ={})
    assert (config.agent.id, config.ui.language) == ("A9", "zh-CN")


def test_a_library_file_with_a_byte_order_mark_is_read(library_copy):
    stages = library_copy / "stages.toml"
    stages.write_text(BOM + stages.read_text(encoding="utf-8"), encoding="utf-8")
    assert [stage.id for stage in load_library(library_copy).stages] == [
        stage.id for stage in load_library(LIBRARY_DIR).stages]


# -- nesting too deep ----------------------------------------------------------------------------


@pytest.mark.parametrize("deep", DEEP.values(), ids=DEEP.keys())
def test_a_config_nested_too_deep_is_a_config_error_with_its_line(tmp_path, deep):
    path = tmp_path / "config.toml"
    path.write_text('[ui]\nlanguage = "en"\n\n' + deep + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path, environ={})
    assert raised.value.key == "config.too_deep"
    assert raised.value.values["where"] == f"{path}:4"
    for language in ("en", "zh-CN"):
        assert f"{path}:4" in Catalog.load(language).error(raised.value)


def test_the_line_is_found_in_a_long_file(tmp_path):
    path = tmp_path / "config.toml"
    lines = ["[keymap]"] + [f"# comment {n}" for n in range(300)] + [DEEP["arrays"]] + [
        "# after"] * 50
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path, environ={})
    assert raised.value.values["where"] == f"{path}:302"


def test_agent_tui_config_reports_deep_nesting_without_a_traceback(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(DEEP["inline-tables"] + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["config", "--config", str(path)],
                                env={"LANG": "en_US.UTF-8"})
    assert result.exit_code == 2
    assert f"{path}:1" in result.output and "too deeply" in result.output
    assert "Traceback" not in result.output and "RecursionError" not in result.output


@pytest.mark.parametrize("deep", DEEP.values(), ids=DEEP.keys())
def test_a_library_file_nested_too_deep_is_a_problem_with_its_line(library_copy, deep):
    path = library_copy / "deep.toml"
    path.write_text('[[phrase]]\nid = "deep"\n' + deep + "\n", encoding="utf-8")
    with pytest.raises(LibraryError) as raised:
        load_library(library_copy)
    [problem] = raised.value.problems
    assert (problem.path, problem.line, problem.key) == (str(path), 3, "library.too_deep")


def test_scripts_check_reports_deep_nesting_as_file_line(library_copy):
    path = library_copy / "deep.toml"
    path.write_text(DEEP["arrays"] + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["scripts", "check", str(library_copy)],
                                env={"LANG": "zh_CN.UTF-8"})
    assert result.exit_code == 2
    assert f"{path}:1:" in result.output and "嵌套" in result.output
    assert "Traceback" not in result.output and "RecursionError" not in result.output


def test_a_library_entry_that_cannot_be_read_is_a_problem_not_a_traceback(library_copy):
    (library_copy / "folder.toml").mkdir()
    with pytest.raises(LibraryError) as raised:
        load_library(library_copy)
    [problem] = raised.value.problems
    assert (problem.path, problem.key) == (str(library_copy / "folder.toml"), "library.unreadable")
