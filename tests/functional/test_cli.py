"""`agent-tui` sub-commands: clear, translated errors (exit 2, no traceback), seeding, config."""

from __future__ import annotations

import sqlite3

from click.testing import CliRunner

from agent_tui.cli import main


def _run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_a_broken_config_is_named_with_its_line_and_no_traceback(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[agent]\nid = "A1"\n\n[ui]\nlangauge = "en"\n', encoding="utf-8")
    result = _run("config", "--config", str(config))
    assert result.exit_code == 2
    assert f"{config}:5" in result.output and "ui.langauge" in result.output
    assert "Traceback" not in result.output


def test_errors_speak_the_locale(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[ui\n", encoding="utf-8")
    result = _run("config", "--config", str(config), env={"LANG": "zh_CN.UTF-8"})
    assert result.exit_code == 2
    assert "不是有效的 TOML" in result.output


def test_config_shows_where_everything_is(tmp_path):
    store = tmp_path / "s.db"
    result = _run("config", env={"AGENT_TUI_STORE": str(store), "AGENT_TUI_LANGUAGE": "en"})
    assert result.exit_code == 0
    assert str(store) in result.output and "language:    en" in result.output


def test_seed_makes_a_store_keeps_it_and_replaces_it_only_when_forced(tmp_path):
    store = tmp_path / "demo.db"
    first = _run("seed", "--customers", "200", "--seed", "4", "--as-of", "2026-11-23",
                 "--store", str(store))
    assert first.exit_code == 0, first.output
    assert "200 customers" in first.output
    assert sqlite3.connect(store).execute("SELECT count(*) FROM customers").fetchone()[0] == 200

    again = _run("seed", "--customers", "50", "--store", str(store))
    assert again.exit_code == 2 and "--force" in again.output
    kept = _run("seed", "--customers", "50", "--store", str(store), "--if-missing")
    assert kept.exit_code == 0 and "keeping it" in kept.output
    assert sqlite3.connect(store).execute("SELECT count(*) FROM customers").fetchone()[0] == 200

    forced = _run("seed", "--customers", "50", "--store", str(store), "--force")
    assert forced.exit_code == 0
    assert sqlite3.connect(store).execute("SELECT count(*) FROM customers").fetchone()[0] == 50


def test_an_unknown_language_flag_is_refused_by_name():
    result = CliRunner().invoke(main, ["run", "--lang", "fr"])
    assert result.exit_code == 2
    assert "fr" in result.output and "zh-CN" in result.output


def test_agent_tui_alone_takes_the_options_of_run(tmp_path, monkeypatch):
    from agent_tui.app import AgentApp

    started = []

    def run(app, mouse=True):  # instead of taking over the terminal
        started.append((app.config.agent.id, app.language, str(app.config.store_path()), mouse))

    monkeypatch.setattr(AgentApp, "run", run)
    store = str(tmp_path / "s.db")
    for argv in (["--agent", "A1", "--lang", "en", "--store", store, "--no-mouse"],
                 ["run", "--agent", "A1", "--lang", "en", "--store", store, "--no-mouse"]):
        result = _run(*argv)
        assert result.exit_code == 0, result.output
    assert started == [("A1", "en", store, False)] * 2


def test_run_options_before_another_sub_command_are_refused_with_the_reason(tmp_path):
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "s.db"), "seed"])
    assert result.exit_code == 2
    assert "--store" in result.output and "agent-tui seed" in result.output


def test_the_same_seed_gives_the_same_data_whatever_day_it_is(tmp_path, monkeypatch):
    from datetime import date

    rows = []
    for today in (date(2027, 3, 1), date(2031, 8, 15)):
        class Today(date):
            @classmethod
            def today(cls):  # the day the seed runs, not the day the data treats as today
                return today

        monkeypatch.setattr("agent_tui.cli.date", Today, raising=False)
        store = tmp_path / f"{today}.db"
        result = _run("seed", "--customers", "50", "--seed", "3", "--store", str(store))
        assert result.exit_code == 0, result.output
        connection = sqlite3.connect(store)
        as_of = connection.execute("SELECT value FROM meta WHERE key = 'as_of'").fetchone()[0]
        rows.append((as_of, connection.execute(
            "SELECT id, id_number, birth_date, mobile FROM customers ORDER BY id").fetchall()))
        connection.close()
    assert rows[0] == rows[1] and rows[0][0] == "2026-11-23"  # the documented default
