"""The training suitability scenario scored by the suitability engine (issue 18): a trainee's line
agreeing to sell the product the caller asked about is judged by ``may_sell`` on the scenario's
assessment; refused (above tolerance, or an expired assessment), the suitability item fails
fatally with the rule's own text; a scenario without a case, or a call that sells nothing, is
scored as before."""

from __future__ import annotations

import msgspec
import pytest

from agent_tui.domain import scoring
from agent_tui.library.check import check_all
from agent_tui.library.loader import LibraryError
from agent_tui.library.qa import load_rubric
from agent_tui.library.suitability import load_suitability
from agent_tui.training.attempt import TranscriptLine
from agent_tui.training.catalog import find_scenario, load_scenarios
from scripts_library import LIBRARY_DIR

SCENARIO = find_scenario(load_scenarios(LIBRARY_DIR), "suitability_trap")
RUBRIC = load_rubric(LIBRARY_DIR)


def _score(case, *intents: str, language: str = "en") -> scoring.Score:
    transcript = [TranscriptLine(at=10.0 + n, speaker="agent", text="…", intent=intent)
                  for n, intent in enumerate(intents)]
    expected = scoring.Expected(tags=SCENARIO.all_tags, request_type="consultation",
                                suitability=case)
    return scoring.score(RUBRIC, (), transcript, expected, language)


def _miss(result: scoring.Score) -> scoring.Miss:
    return next(miss for miss in result.misses if miss.item == "compliance.suitability")


def test_selling_the_r4_fund_to_a_c1_customer_fails_with_the_rule():
    result = _score(SCENARIO.suitability, "risk_warning", "agree_sale", language="zh-CN")
    assert "compliance.suitability" in result.fatal and result.score == 0.0
    miss = _miss(result)
    assert miss.fatal and "R4" in miss.model and "C1" in miss.model
    assert "第十二条" in miss.model


def test_on_an_expired_assessment_even_a_deposit_is_refused_with_that_rule():
    deposit = next(p for p in load_suitability(LIBRARY_DIR).products if p.id == "TD-1Y")
    case = msgspec.structs.replace(SCENARIO.suitability, product=deposit, assessed_days_ago=400)
    miss = _miss(_score(case, "risk_warning", "agree_sale"))
    assert miss.fatal and "has expired (valid 12 months)" in miss.model


def test_a_warning_and_no_sale_earns_the_item_and_no_case_scores_as_before():
    for case in (SCENARIO.suitability, None):
        result = _score(case, "risk_warning")
        assert "compliance.suitability" not in {miss.item for miss in result.misses}
    # Without a case the sale line is not judged: the item is the risk warning alone.
    assert "compliance.suitability" not in _score(None, "risk_warning", "agree_sale").fatal


def test_scripts_check_names_a_scenarios_unknown_product_and_level(library_copy):
    path = library_copy / "training" / "suitability_trap.toml"
    text = path.read_text(encoding="utf-8").replace('product = "FD-EQUITY"', 'product = "FD-NONE"')
    path.write_text(text.replace('level = "C1"', 'level = "C9"'), encoding="utf-8")
    with pytest.raises(LibraryError) as error:
        check_all(library_copy)
    lines = text.splitlines()
    found = {(problem.key, problem.line) for problem in error.value.problems}
    assert found == {
        ("library.suitability.unknown_tolerance", lines.index('level = "C1"') + 1),
        ("library.training.unknown_product", lines.index('product = "FD-NONE"') + 1)}
