"""`agent-tui scripts check` checks the QA rubric and the training scenarios too, every problem as
file:line, including a persona that can never reach its goal (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from agent_tui.cli import main
from agent_tui.i18n import Catalog
from agent_tui.library import LibraryError, load_library
from agent_tui.library.check import check_all
from scripts_library import LIBRARY_DIR

EN = Catalog.load("en")


def _problems(folder: Path) -> list[str]:
    with pytest.raises(LibraryError) as raised:
        check_all(folder)
    return [problem.text(EN) for problem in raised.value.problems]


def _edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` (once) and return the line it was on."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line


def test_the_shipped_rubric_and_scenarios_are_valid():
    checked = check_all(LIBRARY_DIR)
    assert len(checked.scenarios) >= 12
    assert sum(section.weight for section in checked.rubric.sections) == 100
    assert {item.id for item in checked.rubric.items if item.fatal} == {
        "compliance.disclosure", "compliance.guaranteed_return",
        "compliance.fraud_intervention"}
    result = CliRunner().invoke(main, ["scripts", "check", str(LIBRARY_DIR)])
    assert result.exit_code == 0 and "12 scenarios: no problems" in result.output


def test_an_agenda_step_nothing_leads_to_is_named_with_its_line(library_copy):
    path = library_copy / "training" / "balance_enquiry.toml"
    line = _edit(path, 'on = ["disclose"]', 'on = ["tell_balanse"]')
    problems = _problems(library_copy)
    assert any(f"{path}:{line}:" in p and "can never reach its goal 'hear_balance'" in p
               and "'hear_balance'" in p and "tell_balanse" in p for p in problems), problems
    result = CliRunner().invoke(main, ["scripts", "check", str(library_copy)])
    assert result.exit_code == 2 and f"{path}:{line}:" in result.output
    assert "Traceback" not in result.output


def test_an_agenda_step_waiting_for_an_unknown_call_event_is_unreachable(library_copy):
    path = library_copy / "training" / "lost_card.toml"
    line = _edit(path, 'on = ["event:operation.freeze_card"]',
                 'on = ["event:operation.freeze_kard"]')
    assert any(f"{path}:{line}:" in p and "agenda step 'card_frozen'" in p
               for p in _problems(library_copy))


def test_rubric_weights_must_add_up_to_100(library_copy):
    path = library_copy / "qa.toml"
    _edit(path, 'id = "opening"\nweight = 10', 'id = "opening"\nweight = 15')
    first_section = path.read_text(encoding="utf-8").splitlines().index("[[section]]") + 1
    assert any(f"{path}:{first_section}:" in p and "add up to 105" in p
               for p in _problems(library_copy))


def test_rubric_items_and_scenarios_are_checked_line_by_line(library_copy):
    qa = library_copy / "qa.toml"
    check_line = _edit(qa, 'check = "no_disclosure"', 'check = "no_disclosur"')
    scenario = library_copy / "training" / "vip_service.toml"
    mood_line = _edit(scenario, 'mood = "calm"', 'mood = "grumpy"')
    title_line = _edit(scenario, 'en = "VIP customer raises a limit" }', 'en = "" }')
    model = library_copy / "training" / "impostor.toml"
    model_line = _edit(model, '"verification.result" =', '"verification.resultt" =')
    problems = _problems(library_copy)
    expected = [
        (qa, check_line, "check 'no_disclosur'"),
        (scenario, mood_line, "mood 'grumpy'"),
        (scenario, title_line, "has no en text"),
    ]
    for path, line, words in expected:
        assert any(f"{path}:{line}:" in p and words in p for p in problems), (words, problems)
    # The rubric is broken, so a model line cannot be checked against its items: fixed, it is.
    _edit(qa, 'check = "no_disclosur"', 'check = "no_disclosure"')
    assert any(f"{model}:{model_line}:" in p and "'verification.resultt'" in p
               for p in _problems(library_copy))


def test_a_scenario_of_the_wrong_shape_is_named_with_its_line(library_copy):
    path = library_copy / "training" / "password_reset.toml"
    line = _edit(path, "patience = 0.7", 'patience = "high"')
    assert any(f"{path}:{line}:" in p and "Expected `float`" in p
               for p in _problems(library_copy))


def test_the_workstation_still_starts_without_reading_the_rubric(library_copy):
    (library_copy / "qa.toml").write_text("[[section]]\nnonsense = 1\n", encoding="utf-8")
    assert load_library(library_copy).stages  # qa.toml is not part of the scripts library
    assert any("qa.toml:2:" in p for p in _problems(library_copy))


def test_rubric_items_name_steps_and_intents_that_exist(library_copy):
    qa = library_copy / "qa.toml"
    step_line = _edit(qa, 'steps = ["greeting.greet"]', 'steps = ["greeting.gret"]')
    intent_line = _edit(qa, 'intents = ["risk_warning"]', 'intents = ["risk_warnin"]')
    problems = _problems(library_copy)
    assert any(f"{qa}:{step_line}:" in p and "'greeting.gret'" in p for p in problems)
    assert any(f"{qa}:{intent_line}:" in p and "'risk_warnin'" in p for p in problems)


def test_two_scenarios_with_one_id_are_refused(library_copy):
    training = library_copy / "training"
    copy = training / "zz_copy.toml"
    copy.write_text((training / "lost_card.toml").read_text(encoding="utf-8"), encoding="utf-8")
    line = copy.read_text(encoding="utf-8").splitlines().index('id = "lost_card"') + 1
    assert any(f"{copy}:{line}:" in p and "already used at lost_card.toml" in p
               for p in _problems(library_copy))


def test_the_readme_s_complete_example_is_a_valid_scenario(library_copy):
    readme = (LIBRARY_DIR / "README.md").read_text(encoding="utf-8")
    start = readme.index("```toml", readme.index("A complete scenario:")) + len("```toml")
    example = readme[start: readme.index("```", start)]
    (library_copy / "training" / "balance_enquiry.toml").unlink()
    (library_copy / "training" / "example.toml").write_text(example, encoding="utf-8")
    [scenario] = [s for s in check_all(library_copy).scenarios if s.id == "balance_enquiry"]
    assert scenario.persona.lines["repeat"].en == "I just told you."
    assert scenario.reveals[0].volunteer == ("easy",)
    assert "ask_pension" in {intent.id for intent in scenario.intents}
