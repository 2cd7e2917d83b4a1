"""The simulated customer: patience, hanging up, questions asked again, difficulties, and the
same call from the same seed (issue 15)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from agent_tui.call_engine import CallController
from agent_tui.library import load_library
from agent_tui.training.brain import Heard, Reply
from agent_tui.training.catalog import find_scenario, load_scenarios
from agent_tui.training.persona import COST_FORBIDDEN, PATIENCE
from agent_tui.training.run import TrainingRun
from scripts_library import LIBRARY_DIR

START = datetime(2026, 11, 23, 10, 0)
SCENARIOS = load_scenarios(LIBRARY_DIR)
LIBRARY = load_library(LIBRARY_DIR)


def _run(scenario_id: str, language: str = "zh-CN", difficulty: str = "normal",
         seed: int = 1, **options) -> TrainingRun:
    controller = CallController(LIBRARY, lambda: "trainee", lambda: START)
    return TrainingRun(find_scenario(SCENARIOS, scenario_id), language, difficulty, seed,
                       controller, "trainee", START, **options)


def _at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


def test_the_customer_opens_once_greeted_and_answers_what_is_asked():
    run = _run("balance_enquiry")
    opening = run.say("您好，工号1024，请问有什么可以帮您？", _at(3))
    assert [line.speaker for line in opening] == ["customer"]
    assert "余额" not in opening[0].text and "多少钱" in opening[0].text
    answer = run.say("请问您的姓名是？", _at(8))
    assert [line.text for line in answer] == ["我叫张伟。"]
    agent_line = run.transcript[-2]
    assert agent_line.speaker == "agent" and agent_line.intent == "ask_name"


def test_a_long_silence_drains_patience_until_the_customer_hangs_up():
    run = _run("vip_service", "en")
    run.say("Good morning, how can I help?", _at(2))
    full = run.patience
    assert run.wait(_at(8)) == []  # a short pause costs nothing
    assert run.patience == full
    prompt = run.wait(_at(25))
    assert [line.intent for line in prompt] == ["silence"]
    assert run.patience < full and not run.hung_up
    ended = run.wait(_at(400))
    assert run.hung_up and run.patience == 0
    assert [line.speaker for line in ended] == ["customer", "system"]
    assert ended[-1].intent == "hung_up"
    assert run.say("Hello? Are you there?", _at(401)) == []  # nobody is listening any more
    attempt = run.finish(_at(402))
    assert attempt.outcome == "hung_up" and not attempt.passed
    assert "courtesy.kept_customer" in {miss.item for miss in attempt.misses}


def test_a_forbidden_phrase_costs_patience_and_is_caught_on_the_call():
    run = _run("angry_complaint")
    run.say("您好，请问有什么可以帮您？", _at(2))
    before = run.patience
    reply = run.say("这是系统问题，您只能等着。", _at(8))
    assert reply[0].intent == "forbidden"
    assert run.patience == pytest.approx(before - COST_FORBIDDEN)
    caught = [event for event in run.call.flow.events if event.kind.value == "forbidden_caught"]
    assert {event.detail["rule"] for event in caught} == {"blame_system", "no_time_commitment"}
    attempt = run.finish(_at(20))
    assert {catch.rule for catch in attempt.caught} == {"blame_system", "no_time_commitment"}
    assert attempt.outcome in ("abandoned", "hung_up")


def test_a_question_asked_again_costs_patience():
    run = _run("balance_enquiry")
    run.say("您好，请问有什么可以帮您？", _at(2))
    run.say("请问您的姓名是？", _at(6))
    before = run.patience
    again = run.say("请问您的姓名是？", _at(10))
    assert [line.intent for line in again] == ["repeat", ""]
    assert run.patience < before


def test_difficulty_sets_patience_hidden_facts_and_interruptions():
    scenario = find_scenario(SCENARIOS, "lost_card")
    patience = {difficulty: _run("lost_card", difficulty=difficulty).patience
                for difficulty in ("easy", "normal", "hard")}
    assert patience["easy"] > patience["normal"] > patience["hard"]
    assert patience["normal"] == pytest.approx(scenario.persona.patience + PATIENCE["normal"])
    easy = _run("lost_card", difficulty="easy").say("您好，请问有什么可以帮您？", _at(2))
    normal = _run("lost_card").say("您好，请问有什么可以帮您？", _at(2))
    assert len(easy) > len(normal) == 1  # on easy they volunteer what they know
    long_line = "为了保障您的账户安全，" * 6
    interrupted = set()
    for difficulty in ("easy", "hard"):
        for seed in range(1, 9):
            run = _run("lost_card", difficulty=difficulty, seed=seed)
            lines = run.say(long_line, _at(2))
            if any(line.intent == "interrupt" for line in lines):
                interrupted.add(difficulty)
    assert interrupted == {"hard"}


def _play(seed: int) -> list[tuple[float, str, str]]:
    run = _run("media_threat", "en", "hard", seed)
    for second, line in enumerate((
            "Good morning, thank you for calling XX Bank, staff number 1024. How can I help "
            "you today? I'm here to sort this out for you, whatever it takes, right now.",
            "I understand how you feel. Could you tell me what happened, from the start, with "
            "every detail you remember about the fee and when it was taken from your card?",
            "I'm sorry. I've noted everything and I'm escalating this to our complaints team "
            "supervisor, who will call you back within 24 hours with a clear answer for you."),
            start=1):
        run.say(line, _at(second * 10))
    run.wait(_at(100))
    return [(line.at, line.speaker, line.text) for line in run.transcript]


def test_the_same_seed_plays_the_same_call():
    assert _play(5) == _play(5)
    assert len({tuple(_play(seed)) for seed in range(1, 7)}) > 1  # the seed does matter


def test_another_brain_can_drive_the_persona():
    """A language model (or anything with the CustomerBrain calls) can play the customer."""

    class Echo:
        patience, hung_up, goal_reached = 1.0, False, False

        def hear(self, heard: Heard) -> list[Reply]:
            return [Reply("customer", f"heard {','.join(heard.intents)}")]

        def notice(self, trigger: str, at: float) -> list[Reply]:
            return [Reply("customer", f"saw {trigger}")]

        def silence(self, at: float) -> list[Reply]:
            return []

        def code_sent(self, code: str) -> None:
            pass

    run = _run("balance_enquiry", "en", brain=Echo())
    assert [line.text for line in run.say("Hello, how can I help?", _at(2))] == [
        "heard greet,offer_help"]
    run.call.verify({"name": "Zhang Wei", "id_last6": "141234", "mobile": "13800138001"},
                    _at(4))
    assert [line.text for line in run.wait(_at(5))] == ["saw verification.passed"]


def test_hostile_lines_are_heard_without_harm(hostile_strings):
    run = _run("balance_enquiry", "en", "hard", seed=3)
    for second, entry in enumerate(hostile_strings):
        replies = run.say(entry["text"], _at(second))
        assert all(line.speaker in ("customer", "system") for line in replies)
        if run.hung_up:
            break
    attempt = run.finish(_at(500))
    assert attempt.transcript[0].text == hostile_strings[0]["text"]  # kept as said; drawn safe
