"""The scripts library: the shipped one is valid; every problem is reported as file:line."""

from __future__ import annotations

import textwrap
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from agent_tui.cli import main
from agent_tui.domain.callflow import CallFlow
from agent_tui.domain.phrasing import PhraseGuard
from agent_tui.i18n import Catalog
from agent_tui.library import LibraryError, load_library
from scripts_library import LIBRARY_DIR

EN = Catalog.load("en")


def _problems(folder: Path) -> list[str]:
    with pytest.raises(LibraryError) as raised:
        load_library(folder)
    return [problem.text(EN) for problem in raised.value.problems]


def _append(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_shipped_library_is_valid_and_complete():
    library = load_library(LIBRARY_DIR)
    assert [stage.id for stage in library.stages] == [
        "greeting", "verification", "handling", "closing"]
    assert {procedure.id for procedure in library.procedures} >= {
        "consultation", "complaint", "business", "emergency", "suggestion"}
    assert all(stage.steps for stage in library.stages)
    assert any(phrase.segment == "elderly" for phrase in library.phrases)
    assert any(phrase.segment == "vip" for phrase in library.phrases)
    languages = {rule.language for rule in library.forbidden}
    assert languages == {"zh-CN", "en"}


def test_the_shipped_forbidden_phrases_of_domain_md_are_all_caught():
    library = load_library(LIBRARY_DIR)
    guard = PhraseGuard(library.forbidden, library.allowed)
    for sentence, replacement in (("这个我不知道", "我来为您查询"), ("这不可能", "我们可以这样解决"),
                                  ("这不是我的责任", "我会协助您处理"), ("您必须先去网点", "建议您")):
        hits = guard.check(sentence)
        assert hits, sentence
        assert replacement in hits[0].replacement


def test_a_phrase_with_an_unknown_variable_is_named_with_its_line(library_copy):
    path = _append(library_copy, "extra.toml", """\
        [[phrase]]
        id = "extra.bad"
        stage = "greeting"
        text = { zh-CN = "您好{customer_nmae}", en = "Hello {customer_nmae}" }
        """)
    problems = _problems(library_copy)
    assert any(f"{path}:4:" in problem and "{customer_nmae}" in problem for problem in problems)


def test_missing_translation_duplicate_id_and_missing_stage_are_all_reported(library_copy):
    first_id = load_library(LIBRARY_DIR).phrases[0].id
    path = _append(library_copy, "extra.toml", f"""\
        [[phrase]]
        id = "extra.only_chinese"
        stage = "greeting"
        text = {{ zh-CN = "您好" }}

        [[phrase]]
        id = "{first_id}"
        stage = "greeting"
        text = {{ zh-CN = "您好", en = "Hello" }}

        [[phrase]]
        id = "extra.nowhere"
        stage = "farewell"
        text = {{ zh-CN = "再见", en = "Goodbye" }}
        """)
    problems = _problems(library_copy)
    assert any(f"{path}:4:" in p and "no en text" in p for p in problems)
    # Files are read in name order: whichever comes second is reported, naming the first.
    duplicate = [p for p in problems if f"'{first_id}' is already used" in p]
    assert duplicate and f"{path.name}:7" in duplicate[0] and "phrases.toml:" in duplicate[0]
    assert any(f"{path}:13:" in p and "stage 'farewell'" in p for p in problems)


# A request type a card team might add: lines 1-7 of its file.
CARD_UPGRADE = """\
        [[procedure]]
        id = "card_upgrade"
        name = { zh-CN = "卡片升级", en = "Card upgrade" }

        [[procedure.step]]
        id = "card_upgrade.explain"
        required = true
"""


def test_a_step_suggesting_a_missing_phrase_is_named(library_copy):
    path = _append(library_copy, "extra.toml", CARD_UPGRADE + """\
        text = { zh-CN = "说明权益", en = "Explain the benefits" }
        phrases = ["no.such.phrase"]
        """)
    problems = _problems(library_copy)
    assert any(f"{path}:9:" in p and "'no.such.phrase' that does not exist" in p
               for p in problems)


def test_broken_toml_and_unknown_keys_are_named_with_their_line(library_copy):
    broken = _append(library_copy, "broken.toml", '[[phrase]]\nid = "x"\ntext = {\n')
    assert any(f"{broken}:" in p and "not valid TOML" in p for p in _problems(library_copy))
    broken.unlink()
    typo = _append(library_copy, "typo.toml", """\
        [[phrase]]
        id = "typo.one"
        stage = "greeting"
        segmnet = "vip"
        text = { zh-CN = "您好", en = "Hello" }
        """)
    problems = _problems(library_copy)
    assert any(f"{typo}:" in p and "segmnet" in p for p in problems)


def test_an_approved_phrase_saying_a_forbidden_word_is_refused(library_copy):
    path = _append(library_copy, "extra.toml", """\
        [[phrase]]
        id = "extra.rude"
        stage = "handling"
        text = { zh-CN = "这个我不知道", en = "I don't know" }
        """)
    problems = _problems(library_copy)
    assert any(f"{path}:4:" in p and "不知道" in p for p in problems)
    assert any(f"{path}:4:" in p and "don't know" in p.lower() for p in problems)


def test_a_verification_policy_that_cannot_pass_is_refused(library_copy):
    (library_copy / "verification.toml").write_text(
        '[verification]\nrequired = ["name"]\nany_of = ["mobile"]\nneed = 2\nmax_attempts = 0\n',
        encoding="utf-8",
    )
    problems = _problems(library_copy)
    assert any("needs 2 of 1" in p for p in problems)
    assert any("allows 0 attempts" in p for p in problems)


def test_a_trainer_adds_a_request_type_and_a_phrase_without_code(library_copy):
    _append(library_copy, "card-team.toml", CARD_UPGRADE + """\
        text = { zh-CN = "说明新卡权益", en = "Explain the new card's benefits" }
        phrases = ["card_upgrade.benefits"]

        [[phrase]]
        id = "card_upgrade.benefits"
        stage = "handling"
        step = "card_upgrade.explain"
        text = { zh-CN = "{customer_title}，升级后您将享受更高额度。", en = "{customer_title}, after the upgrade you get a higher limit." }
        """)
    library = load_library(library_copy)
    flow = CallFlow(library, datetime(2026, 11, 23, 10, 0))
    for stage in ("greeting", "verification"):
        for step in flow.checklist():
            flow.tick(step.id, datetime(2026, 11, 23, 10, 1))
        if stage == "verification":
            flow.record_verification("passed", datetime(2026, 11, 23, 10, 1))
        assert flow.advance(datetime(2026, 11, 23, 10, 1)) is None
    flow.choose_request_type("card_upgrade", datetime(2026, 11, 23, 10, 2))
    assert "card_upgrade.explain" in flow.open_required()
    [phrase] = [p for p in library.phrases_for("handling", "card_upgrade.explain", set())
                if p.step == "card_upgrade.explain"]
    assert phrase.render("zh-CN", {"customer_title": "张先生"}).startswith("张先生，")


def test_scripts_check_reports_file_line_and_exits_2(library_copy):
    path = _append(library_copy, "extra.toml", """\
        [[phrase]]
        id = "extra.bad"
        stage = "greeting"
        text = { zh-CN = "{nope}", en = "{nope}" }
        """)
    result = CliRunner().invoke(main, ["scripts", "check", str(library_copy)])
    assert result.exit_code == 2
    assert f"{path}:4:" in result.output and "Traceback" not in result.output
    good = CliRunner().invoke(main, ["scripts", "check"])
    assert good.exit_code == 0 and "no problems" in good.output


def test_the_workstation_refuses_to_start_on_an_invalid_library(library_copy, tmp_path):
    _append(library_copy, "extra.toml", '[[phrase]]\nid = "x"\nstage = "greeting"\n'
                                        'text = { zh-CN = "{nope}", en = "{nope}" }\n')
    config = tmp_path / "config.toml"
    config.write_text(f'[scripts]\npath = "{library_copy}"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["run", "--config", str(config)])
    assert result.exit_code == 2
    assert "extra.toml:4:" in result.output and "Traceback" not in result.output


def test_escalation_targets_must_be_the_library_s_groups(library_copy):
    path = _append(library_copy, "team.toml", """\
        [[escalation_group]]
        id = "branch_ops"
        name = { zh-CN = "网点运营组", en = "" }

        [[escalation]]
        id = "team.typo"
        target = "abc"
        category = ["complaint"]
        reason = { zh-CN = "测试", en = "test" }
        """)
    problems = _problems(library_copy)
    assert any(f"{path}:3:" in p and "escalation group 'branch_ops' has no en text" in p
               for p in problems)
    assert any(f"{path}:7:" in p and "'abc'" in p and "complaints_team" in p
               for p in problems)
    result = CliRunner().invoke(main, ["scripts", "check", str(library_copy)])
    assert result.exit_code == 2 and f"{path}:7:" in result.output


def test_a_library_without_escalation_groups_is_refused(library_copy):
    cases = library_copy / "cases.toml"
    text = cases.read_text(encoding="utf-8")
    start = text.index("[[escalation_group]]")
    end = text.index("# Escalation: every condition")
    cases.write_text(text[:start] + text[end:], encoding="utf-8")
    problems = _problems(library_copy)
    assert any("no [[escalation_group]]" in p for p in problems)
    assert any("'complaints_team', which is not an [[escalation_group]]" in p
               for p in problems)


def test_the_shipped_escalation_groups_name_every_rule_s_target():
    library = load_library(LIBRARY_DIR)
    groups = {group.id for group in library.escalation_groups}
    assert {"complaints_team", "supervisor", "fraud_team"} <= groups
    assert {rule.target for rule in library.escalation} <= groups
    assert library.escalation_group_name("supervisor", "zh-CN") == "值班主管"


def test_a_replacement_saying_a_forbidden_word_is_refused(library_copy):
    path = _append(library_copy, "extra.toml", """\
        [[forbidden]]
        id = "extra.loop"
        language = "zh-CN"
        words = ["随便"]
        replacement = "这个我不知道"
        reason = { zh-CN = "测试", en = "test" }
        """)
    problems = _problems(library_copy)
    assert any(f"{path}:5:" in p and "'不知道'" in p and "F8" in p for p in problems)
