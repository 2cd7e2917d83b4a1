"""Editing the config file (the first-run sign-in, a setting changed): the user's comments, their
order and keys the edit is not about survive, and the file is written privately and atomically."""

from __future__ import annotations

import os
import stat

import pytest

from agent_tui.config import AgentSection, ConfigError, edit_config, load_config, remember_agent

COMMENTED = """\
# Workstation 14, second floor. Ask Wang Fang before changing anything here.

[hub]
url = "https://hub.example"   # the branch hub, not head office
interval_seconds = 30

[ui]
# English for the training room
language = "en"
mouse = false  # over SSH

[keymap]
search = "f5"
"""


@pytest.fixture
def commented(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    return path


def test_a_sign_in_keeps_comments_order_and_other_keys(commented):
    remember_agent(load_config(commented, environ={}), "A1024", "李娜", "1024")
    text = commented.read_text(encoding="utf-8")
    # Everything the user wrote is still there, word for word and in its order; the sign-in
    # is added after it.
    assert text.startswith(COMMENTED)
    assert text[len(COMMENTED):].split() == [
        "[agent]", "id", "=", '"A1024"', "name", "=", '"李娜"', "staff_number", "=", '"1024"']
    again = load_config(commented, environ={})
    assert again.agent == AgentSection(id="A1024", name="李娜", staff_number="1024")
    assert again.hub.interval_seconds == 30 and again.keymap == {"search": "f5"}


def test_a_second_sign_in_replaces_the_agent_in_place(commented):
    commented.write_text(COMMENTED.replace(
        "[keymap]", '[agent]  # who sits here\nid = "OLD"\nname = "旧"\nstaff_number = "1"\n\n'
        "[keymap]"), encoding="utf-8")
    remember_agent(load_config(commented, environ={}), "NEW", "新", "2")
    text = commented.read_text(encoding="utf-8")
    assert "[agent]  # who sits here" in text and "OLD" not in text
    assert text.index("[agent]") < text.index("[keymap]")  # where the user put it
    assert load_config(commented, environ={}).agent == AgentSection(id="NEW", name="新",
                                                                    staff_number="2")


def test_a_config_edit_changes_one_value_and_nothing_else(commented):
    edit_config(commented, {"ui": {"language": "zh-CN"}})
    assert commented.read_text(encoding="utf-8") == COMMENTED.replace(
        'language = "en"', 'language = "zh-CN"')
    assert load_config(commented, environ={}).ui.language == "zh-CN"


@pytest.mark.parametrize("spelt", ['agent.id = "OLD"\n', 'agent = { id = "OLD" }\n'])
def test_an_edit_keeps_the_way_a_section_is_spelt(tmp_path, spelt):
    path = tmp_path / "config.toml"
    path.write_text("# mine\n" + spelt, encoding="utf-8")
    remember_agent(load_config(path, environ={}), "A1", "王芳", "0001")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# mine\n") and "[agent]" not in text
    assert load_config(path, environ={}).agent == AgentSection(id="A1", name="王芳",
                                                               staff_number="0001")


def test_an_edit_writes_the_file_private_and_leaves_no_temporary(commented):
    commented.chmod(0o644)
    edit_config(commented, {"ui": {"mouse": True}})
    assert stat.S_IMODE(os.stat(commented).st_mode) == 0o600
    assert sorted(p.name for p in commented.parent.iterdir()) == ["config.toml"]


def test_a_damaged_file_is_refused_and_left_as_it_was(tmp_path):
    path = tmp_path / "config.toml"
    damaged = "# mine\n[ui\nlanguage = 'en'\n"
    path.write_text(damaged, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        edit_config(path, {"ui": {"language": "zh-CN"}})
    assert raised.value.key == "config.syntax"
    assert path.read_text(encoding="utf-8") == damaged
