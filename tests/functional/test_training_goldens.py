"""Every golden transcript replayed through the call engine and the simulator, with its exact
score: a change in the scoring, the simulator or a scenario shows here (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from agent_tui.cli import main
from agent_tui.library import load_library
from agent_tui.training.catalog import find_scenario, load_scenarios
from agent_tui.training.golden import read_golden, replay
from scripts_library import LIBRARY_DIR

GOLDEN = LIBRARY_DIR / "training" / "golden"

# file, score, compliance, passed, fatal items, outcome
EXPECTED = [
    ("angry_complaint.fail.zh-CN.txt", 47.5, 75.0, False, (), "hung_up"),
    ("angry_complaint.pass.en.txt", 100.0, 100.0, True, (), "completed"),
    ("angry_complaint.pass.zh-CN.txt", 100.0, 100.0, True, (), "completed"),
    ("balance_enquiry.fail.zh-CN.txt", 0.0, 0.0, False, ("compliance.disclosure",), "completed"),
    ("balance_enquiry.pass.en.txt", 100.0, 100.0, True, (), "completed"),
    ("balance_enquiry.pass.zh-CN.txt", 100.0, 100.0, True, (), "completed"),
    ("complaint_callback.fail.zh-CN.txt", 61.7, 100.0, False, (), "completed"),
    ("complaint_callback.pass.en.txt", 96.7, 100.0, True, (), "completed"),
    ("complaint_callback.pass.zh-CN.txt", 96.7, 100.0, True, (), "completed"),
    ("elderly_caring.fail.zh-CN.txt", 26.2, 50.0, False, (), "hung_up"),
    ("elderly_caring.pass.en.txt", 100.0, 100.0, True, (), "completed"),
    ("elderly_caring.pass.zh-CN.txt", 100.0, 100.0, True, (), "completed"),
    ("elderly_fraud_transfer.fail.en.txt", 0.0, 0.0, False,
     ("compliance.fraud_intervention",), "completed"),
    ("elderly_fraud_transfer.pass.en.txt", 100.0, 100.0, True, (), "completed"),
    ("elderly_fraud_transfer.pass.zh-CN.txt", 100.0, 100.0, True, (), "completed"),
    ("impostor.fail.en.txt", 0.0, 0.0, False, ("compliance.disclosure",), "completed"),
    ("impostor.pass.en.txt", 100.0, 100.0, True, (), "completed"),
    ("impostor.pass.zh-CN.txt", 100.0, 100.0, True, (), "completed"),
    ("lost_card.fail.en.txt", 65.9, 87.5, False, (), "completed"),
    ("lost_card.pass.en.txt", 100.0, 100.0, True, (), "completed"),
    ("lost_card.pass.zh-CN.txt", 100.0, 100.0, True, (), "completed"),
    ("media_threat.fail.zh-CN.txt", 64.6, 87.5, False, (), "completed"),
    ("media_threat.pass-hard.zh-CN.txt", 100.0, 100.0, True, (), "completed"),
    ("media_threat.pass.en.txt", 100.0, 100.0, True, (), "completed"),
    ("media_threat.pass.zh-CN.txt", 100.0, 100.0, True, (), "completed"),
    ("password_reset.fail.en.txt", 45.9, 37.5, False, (), "completed"),
    ("password_reset.pass.en.txt", 100.0, 100.0, True, (), "completed"),
    ("password_reset.pass.zh-CN.txt", 100.0, 100.0, True, (), "completed"),
    # The risk explained, then the fund sold anyway: the suitability engine refuses it (C1, R4).
    ("suitability_trap.fail.en.txt", 0.0, 0.0, False, ("compliance.suitability",),
     "completed"),
    ("suitability_trap.fail.zh-CN.txt", 0.0, 0.0, False, ("compliance.guaranteed_return",),
     "completed"),
    ("suitability_trap.pass.en.txt", 100.0, 100.0, True, (), "completed"),
    ("suitability_trap.pass.zh-CN.txt", 100.0, 100.0, True, (), "completed"),
    ("third_party_spouse.fail.zh-CN.txt", 0.0, 0.0, False, ("compliance.disclosure",),
     "completed"),
    ("third_party_spouse.pass.en.txt", 100.0, 100.0, True, (), "completed"),
    ("third_party_spouse.pass.zh-CN.txt", 100.0, 100.0, True, (), "completed"),
    ("vip_service.fail.en.txt", 55.0, 100.0, False, (), "hung_up"),
    ("vip_service.pass.en.txt", 100.0, 100.0, True, (), "completed"),
    ("vip_service.pass.zh-CN.txt", 100.0, 100.0, True, (), "completed"),
]


@pytest.fixture(scope="module")
def shipped():
    return load_scenarios(LIBRARY_DIR), load_library(LIBRARY_DIR)


def test_every_golden_is_in_the_table_and_every_scenario_has_a_pass_and_a_fail(shipped):
    scenarios, _library = shipped
    assert sorted(path.name for path in GOLDEN.glob("*.txt")) == [row[0] for row in EXPECTED]
    assert len(scenarios) >= 12
    for scenario in scenarios:
        rows = [row for row in EXPECTED if row[0].startswith(scenario.id + ".")]
        assert any(row[3] for row in rows), f"{scenario.id} has no passing golden"
        assert any(not row[3] for row in rows), f"{scenario.id} has no failing golden"
        assert set(scenario.languages) == {"zh-CN", "en"}
        assert scenario.title("zh-CN") != scenario.title("en")


@pytest.mark.parametrize(("name", "score", "compliance", "passed", "fatal", "outcome"), EXPECTED,
                         ids=[row[0] for row in EXPECTED])
def test_golden_transcript_scores_exactly(shipped, name, score, compliance, passed, fatal,
                                          outcome):
    scenarios, library = shipped
    golden = read_golden(GOLDEN / name)
    attempt = replay(golden, find_scenario(scenarios, golden.scenario), library)
    assert (attempt.score, attempt.compliance, attempt.passed, attempt.fatal, attempt.outcome) \
        == (score, compliance, passed, fatal, outcome)
    assert attempt.language == golden.language
    # A passing call misses nothing fatal; a failing one says what it missed and when.
    assert all(not miss.fatal for miss in attempt.misses) == (not fatal)
    if not passed:
        assert attempt.misses and all(miss.at >= 0 for miss in attempt.misses)
        assert all(miss.model for miss in attempt.misses), "every miss has its model line"


def test_a_hard_customer_interrupts_a_long_line_and_the_seed_decides_when(shipped):
    scenarios, library = shipped
    golden = read_golden(GOLDEN / "media_threat.pass-hard.zh-CN.txt")
    attempt = replay(golden, find_scenario(scenarios, golden.scenario), library)
    assert golden.difficulty == "hard"
    assert [line.intent for line in attempt.transcript].count("interrupt") == 1
    assert replay(golden, find_scenario(scenarios, golden.scenario), library).transcript \
        == attempt.transcript


def test_an_approved_phrase_is_said_filled_in_and_recorded(shipped):
    scenarios, library = shipped
    golden = read_golden(GOLDEN / "vip_service.pass.en.txt")
    attempt = replay(golden, find_scenario(scenarios, golden.scenario), library)
    first = attempt.transcript[0]
    assert first.speaker == "agent" and "Mr Zhao" in first.text and "{" not in first.text
    assert "vip_welcome" in first.intents
    assert [e.detail["phrase"] for e in attempt.events if e.kind == "phrase_used"] == [
        "greeting.vip"]


def test_train_replay_prints_the_score_as_json():
    result = CliRunner().invoke(main, ["train", "replay", "--json",
                                       str(GOLDEN / "suitability_trap.fail.zh-CN.txt")])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed["scenario"] == "suitability_trap"
    assert printed["score"] == 0.0 and printed["passed"] is False
    assert printed["fatal"] == ["compliance.guaranteed_return"]
    assert set(printed["sections"]) == {"opening", "verification", "needs", "solution",
                                        "compliance", "closing", "courtesy"}


def test_train_list_prints_every_scenario():
    result = CliRunner().invoke(main, ["train", "list"], env={"LANG": "en_US.UTF-8"})
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.output.splitlines()[1:]]
    assert len(rows) >= 12
    by_id = {row[0]: row for row in rows}
    assert by_id["lost_card"][1:4] == ["Lost card", "zh-CN,en", "normal"]
    assert by_id["elderly_fraud_transfer"][3] == "hard"


def test_a_golden_with_a_bad_action_is_named_with_its_line(tmp_path: Path):
    path = tmp_path / "bad.txt"
    path.write_text("scenario = balance_enquiry\nlanguage = en\n\n> Hello\nfly away\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["train", "replay", str(path)])
    assert result.exit_code == 2
    assert f"{path}:5:" in result.output and "fly" in result.output
    assert "Traceback" not in result.output
