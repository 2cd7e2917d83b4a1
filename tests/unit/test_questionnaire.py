"""The risk-tolerance questionnaire (issue 18): the shipped one's scoring and bands, and what
`scripts check` says of a broken one (file:line)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_tui.domain.questionnaire import (
    LETTERS,
    Unscorable,
    first_unanswered,
    level_for,
    score,
    score_range,
)
from agent_tui.domain.suitability import TOLERANCES
from agent_tui.library.check import check_all
from agent_tui.library.questionnaire import load_questionnaire, read_questionnaire

LIBRARY = Path(__file__).resolve().parents[2] / "scripts_library"
SHIPPED = load_questionnaire(LIBRARY)


def _all(letter_of) -> dict[str, str]:
    return {q.id: letter_of(q) for q in SHIPPED.questions}


def test_the_shipped_questionnaire_is_the_one_the_demo_assessments_name():
    from data.assessments import CURRENT_VERSION

    assert SHIPPED.version == CURRENT_VERSION
    assert 8 <= len(SHIPPED.questions) <= 10
    assert {"age", "income", "horizon", "loss_tolerance", "purpose"} <= {
        q.id for q in SHIPPED.questions}
    assert check_all(LIBRARY).questionnaire == SHIPPED


def test_the_most_cautious_answers_give_c1_and_the_boldest_c5():
    cautious = score(SHIPPED, _all(lambda q: LETTERS[min(
        range(len(q.options)), key=lambda i: q.options[i].score)]))
    bold = score(SHIPPED, _all(lambda q: LETTERS[max(
        range(len(q.options)), key=lambda i: q.options[i].score)]))
    assert (cautious.level, bold.level) == ("C1", "C5")
    assert (cautious.total, bold.total) == score_range(SHIPPED)


def test_a_total_on_a_bands_floor_is_that_band():
    assert [level_for(SHIPPED, band.min_score) for band in SHIPPED.bands] == list(TOLERANCES)
    assert [level_for(SHIPPED, band.min_score - 1) for band in SHIPPED.bands[1:]] == list(
        TOLERANCES[:-1])


def test_every_question_must_be_answered_with_one_of_its_options():
    answers = _all(lambda q: "A")
    del answers["horizon"]
    assert first_unanswered(SHIPPED, answers).id == "horizon"
    with pytest.raises(Unscorable) as missing:
        score(SHIPPED, answers)
    assert (missing.value.reason, missing.value.question_id) == ("incomplete", "horizon")
    with pytest.raises(Unscorable) as bad:
        score(SHIPPED, {**answers, "horizon": "F"})  # horizon has four options
    assert (bad.value.reason, bad.value.question_id) == ("bad_answer", "horizon")
    with pytest.raises(Unscorable) as stray:
        score(SHIPPED, {**answers, "horizon": "A", "shoe_size": "A"})
    assert stray.value.question_id == "shoe_size"


@given(st.data())
def test_a_bolder_answer_never_gives_a_more_cautious_level(data):
    answers = _all(lambda q: data.draw(st.sampled_from(LETTERS[:len(q.options)])))
    question = data.draw(st.sampled_from(SHIPPED.questions))
    best = max(range(len(question.options)), key=lambda i: question.options[i].score)
    bolder = {**answers, question.id: LETTERS[best]}
    assert TOLERANCES.index(score(SHIPPED, bolder).level) >= TOLERANCES.index(
        score(SHIPPED, answers).level)


@pytest.mark.parametrize(("change", "key", "line_of"), [
    (('version = "Q2026-01"', 'version = " "'), "library.questionnaire.no_version", "version ="),
    (("min_score = 41", "min_score = 15"), "library.questionnaire.band_order", "min_score = 15"),
    (("min_score = 81", "min_score = 181"), "library.questionnaire.unreachable",
     "min_score = 181"),
    (("min_score = 0", "min_score = 12"), "library.questionnaire.first_band", "min_score = 12"),
    (('id = "horizon"', 'id = "purpose"'), "library.questionnaire.bad_id", 'id = "purpose"'),
    ((" score = 1 },\n]\n\n[[question]]\nid = \"income\"",
      " score = -1 },\n]\n\n[[question]]\nid = \"income\""), "library.questionnaire.negative",
     "options = ["),
])
def test_scripts_check_names_the_file_and_line(tmp_path, change, key, line_of):
    text = (LIBRARY / "risk_questionnaire.toml").read_text(encoding="utf-8").replace(*change)
    assert change[1] in text
    path = tmp_path / "risk_questionnaire.toml"
    path.write_text(text, encoding="utf-8")
    questionnaire, problems = read_questionnaire(path)
    assert questionnaire is None
    lines = [number for number, content in enumerate(text.splitlines(), 1)
             if content.startswith(line_of)]
    line = lines[-1] if key == "library.questionnaire.bad_id" else lines[0]
    assert [(problem.key, problem.line) for problem in problems] == [(key, line)]


def test_a_missing_translation_and_a_missing_band_are_both_reported(tmp_path):
    text = (LIBRARY / "risk_questionnaire.toml").read_text(encoding="utf-8")
    text = text.replace(', en = "What is your age?"', "").replace(
        '[[band]]\nlevel = "C3"', '[[band]]\nlevel = "C9"')
    path = tmp_path / "risk_questionnaire.toml"
    path.write_text(text, encoding="utf-8")
    _questionnaire, problems = read_questionnaire(path)
    assert sorted(problem.key for problem in problems) == [
        "library.missing_translation", "library.questionnaire.band_levels"]
    assert all(problem.line for problem in problems)
