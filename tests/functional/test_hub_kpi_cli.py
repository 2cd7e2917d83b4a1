"""``agent-tui hub kpi``, ``hub seed --history-days`` and ``hub team …`` on a SQLite hub: the
CSV a spreadsheet reads, the table with the targets, the demo's past, and bad input refused with
what to do."""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from agent_tui.cli import main
from agent_tui.hub.database import connect, reading
from agent_tui.hub.kpi import KpiQuery, kpi_rows
from agent_tui.hub.teams import read_teams
from tests.functional.test_hub_kpi import NOW, WEEK, _load


def _run(*args: str, language: str = "en"):
    """The command as a user in that language runs it."""
    locale = "zh_CN.UTF-8" if language == "zh-CN" else "C.UTF-8"
    return CliRunner().invoke(main, ["hub", *args], env={"LC_ALL": locale, "LANG": locale},
                              catch_exceptions=False)


def test_csv_carries_the_hand_counted_figures_and_blanks_for_nothing(tmp_path):
    db = str(tmp_path / "hub.db")
    _load(connect(f"sqlite:///{db}"))
    result = _run("kpi", "--db", db, "--from", "2026-11-02", "--to", "2026-11-09",
                  "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {"agent", "calls", "aht_seconds", "fcr", "csat", "nps"} <= set(rows[0])
    by_agent = {row["agent"]: row for row in rows}
    assert sorted(by_agent) == ["A1", "A2", "A3"]
    assert (by_agent["A1"]["calls"], by_agent["A1"]["aht_seconds"], by_agent["A1"]["nps"]) == (
        "3", "300.0", "0.0")
    assert by_agent["A1"]["sla_breaches"] == "2"
    assert by_agent["A2"]["callbacks_on_time"] == ""  # none due: nothing, not 0
    table = _run("kpi", "--db", db, "--from", "2026-11-02", "--to", "2026-11-08",
                 "--team", "T1")
    assert "≤ 05:00" in table.output and "≥ 85.0%" in table.output  # kpi.toml's targets
    assert table.output.splitlines()[2].split()[:3] == ["A1", "3", "05:00"]
    breach_only = _run("kpi", "--db", db, "--from", "2026-11-04", "--to", "2026-11-04")
    assert breach_only.output.splitlines()[2].split() == [
        "A1", "0", "—", "—", "—", "—", "—", "—", "—", "0", "1", "0.0%"]  # b2 late, no call


def test_nothing_to_count_and_bad_days_are_said(tmp_path):
    db = str(tmp_path / "hub.db")
    empty = _run("kpi", "--db", db, "--from", "2026-10-01", "--to", "2026-10-07")
    assert empty.exit_code == 0 and "Nothing to count" in empty.output
    bad = _run("kpi", "--db", db, "--from", "2026-13-01")
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    backwards = _run("kpi", "--db", db, "--from", "2026-11-09", "--to", "2026-11-02",
                     language="zh-CN")
    assert backwards.exit_code == 2 and "请先写开始日期" in backwards.output


def test_the_demo_history_gives_each_team_a_past_with_ratings(tmp_path):
    db = str(tmp_path / "hub.db")
    result = _run("seed", "--db", db, "--customers", "50", "--as-of", "2026-11-20",
                  "--history-days", "3")
    assert result.exit_code == 0 and "demo teams" in result.output
    engine = connect(f"sqlite:///{db}")
    with reading(engine) as connection:
        teams = {team.id: team for team in read_teams(connection)}
        rows = kpi_rows(connection, KpiQuery(*WEEK, by="team"), NOW)
        recent = kpi_rows(connection, KpiQuery(WEEK[0].replace(day=18), WEEK[0].replace(
            day=20), by="team"), NOW)
    assert teams["T1"].lead == "S1001" and ("A1024", "A1024") in teams["T1"].members
    assert rows == []  # three days up to the 20th: nothing in the week of the 2nd
    assert {row.who for row in recent} == {"T1", "T2"}
    for row in recent:
        assert row.counts.calls > 20 and row.counts.csat_given and row.counts.nps_given
    again = _run("seed", "--db", db, "--customers", "50", "--history-days", "3")
    assert "no history added" in again.output


def test_teams_are_managed_as_data(tmp_path):
    db = str(tmp_path / "hub.db")
    assert "no team T7" in _run("team", "add", "--db", db, "T7", "A1").output
    assert _run("team", "save", "--db", db, "T7", "--lead", "S7", "--name", "Night").exit_code == 0
    assert _run("team", "add", "--db", db, "T7", "A1").exit_code == 0
    assert _run("team", "save", "--db", db, "T8", "--lead", "S8").exit_code == 0
    assert _run("team", "add", "--db", db, "T8", "A1").exit_code == 0  # moved, not copied
    listed = _run("team", "list", "--db", db).output.splitlines()
    assert listed == ["T7  Night  lead S7  [0] -", "T8  T8  lead S8  [1] A1"]
    assert _run("team", "remove", "--db", db, "A1").exit_code == 0
    assert _run("team", "remove", "--db", db, "A1").exit_code == 2


def test_a_bad_kpi_target_is_named_with_its_file_and_line(library_copy):
    (library_copy / "kpi.toml").write_text(
        '[[kpi_target]]\nmeasure = "aht_seconds"\nat_most = 300\n\n'
        '[[kpi_target]]\nmeasure = "happiness"\nat_least = 1\n\n'
        '[[kpi_target]]\nmeasure = "fcr"\nat_least = 85\nat_most = 99\n\n'
        '[[kpi_target]]\nmeasure = "aht_seconds"\nat_most = 240\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["scripts", "check", str(library_copy)],
                                env={"LC_ALL": "C.UTF-8"})
    assert result.exit_code == 2
    assert "kpi.toml:6: [[kpi_target]] measure \"happiness\" is not one" in result.output
    assert "kpi.toml:9: [[kpi_target]] \"fcr\" needs exactly one bound" in result.output
    assert "kpi.toml:15: [[kpi_target]] \"aht_seconds\" has a target already" in result.output


def test_the_qa_sample_lists_the_weeks_calls_with_why(tmp_path):
    """Team T1's week of 2 November: A1's four calls (three drawn at random, all there are, and
    the lockout), none of the next week's; as CSV, and as a table in Chinese."""
    db = str(tmp_path / "hub.db")
    _load(connect(f"sqlite:///{db}"))
    result = _run("qa", "sample", "--db", db, "--team", "T1", "--week", "2026-11-04",
                  "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = {row["call"]: row for row in csv.DictReader(io.StringIO(result.output))}
    assert sorted(rows) == ["c1", "c2", "c3", "c4"]
    assert {call: row["reasons"] for call, row in rows.items()} == {
        "c1": "", "c2": "", "c3": "lockout", "c4": ""}
    table = _run("qa", "sample", "--db", db, "--team", "T1", "--week", "2026-11-04",
                 language="zh-CN")
    assert "待质检通话 4 通" in table.output and "身份核验锁定" in table.output
    empty = _run("qa", "sample", "--db", db, "--team", "T9")
    assert "has no calls" in empty.output
