"""The training screens under Pilot (issue 15): the trainee's progress (attempts, sparkline,
certified), the replay stepping through an attempt, the trainer's report from a real hub (and
what any other token, or no hub, is told); each at 80x24 in both languages."""

from __future__ import annotations

import msgspec
import pytest
from textual.widgets import DataTable, Sparkline, Static

from agent_tui.config import HubSection
from agent_tui.store import Store
from agent_tui.sync.hub_client import HubClient
from agent_tui.sync.protocol import TrainingReportRow
from agent_tui.sync.training import run_training_sync
from agent_tui.training import attempts
from agent_tui.training.attempt import TranscriptLine
from screens.search import SearchScreen
from screens.training_progress import TrainingProgressScreen
from screens.training_replay import TrainingReplayScreen, steps_of
from screens.training_report import TrainingReportScreen
from screens.training_scenarios import TrainingScenariosScreen
from tests.conftest import FROZEN_NOW
from tests.screen import settled, unsafe_segments, wait_for, wait_for_screen, widget_text
from tests.training_attempts import an_attempt
from tests.training_session import shipped_scenarios, training_app

pytestmark = pytest.mark.xdist_group("snapshots")
CORE = frozenset({"balance_enquiry", "lost_card"})
TITLES = {"balance_enquiry": "Balance enquiry", "lost_card": "Lost card"}


def _with_attempts(tmp_path, language="en", scores=((55.0, 82.0, 71.0), (48.0,)), **options):
    app = training_app(tmp_path, language, **options)
    connection = Store.open(app.config.store_path()).connection()
    made = []
    for scenario_id, scenario_scores in zip(("balance_enquiry", "lost_card"), scores,
                                            strict=False):
        for minute, score in enumerate(scenario_scores):
            made.append(an_attempt("T0001", scenario_id, score=score,
                                   ended_at=f"2026-11-23T09:{10 + minute:02d}:00"))
    for attempt in made:
        attempts.save(connection, attempt)
    connection.close()
    return app, made


async def _progress(pilot, core=CORE) -> TrainingProgressScreen:
    await wait_for_screen(pilot, SearchScreen)
    pilot.app.push_screen(TrainingProgressScreen(core, TITLES))
    screen = await wait_for_screen(pilot, TrainingProgressScreen)
    await wait_for(pilot, lambda: screen.query_one(DataTable).row_count > 0)
    return screen


async def test_progress_counts_scores_and_is_not_certified_until_every_core_pass(tmp_path):
    app, made = _with_attempts(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _progress(pilot)
        text = widget_text(screen)
        assert "Balance enquiry" in text and "Not certified yet: 1 of 2" in text
        assert screen.query_one(Sparkline).data == [55.0, 82.0, 71.0]
        await pilot.press("down")
        await wait_for(pilot, lambda: screen.query_one(Sparkline).data == [48.0])
        await pilot.press("up", "enter")
        replay = await wait_for_screen(pilot, TrainingReplayScreen)
        assert replay.attempt == made[2]  # the scenario's last attempt


async def test_certified_once_every_core_scenario_is_passed(tmp_path):
    app, _made = _with_attempts(tmp_path, scores=((85.0,), (40.0, 90.0)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _progress(pilot)
        status = screen.query_one("#progress-status", Static)
        assert "Certified" in str(status.content)


async def test_the_replay_shows_each_miss_with_its_model_line_and_each_phrase_caught(tmp_path):
    from agent_tui.training.attempt import AttemptCatch, AttemptMiss

    attempt = msgspec.structs.replace(
        an_attempt(), misses=(AttemptMiss("verify_identity", "verification", 10.0,
                                          "May I have your ID number, please?"),),
        caught=(AttemptCatch(9.5, "guarantee", "guaranteed"),))
    steps = steps_of(attempt)
    app = training_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SearchScreen)
        app.push_screen(TrainingReplayScreen(attempt))
        screen = await wait_for_screen(pilot, TrainingReplayScreen)
        for _ in steps:
            await pilot.press("right")
        shown = str(screen.query_one("#replay-lines").content)
        assert "Missed: verify_identity. Model line: May I have your ID number" in shown
        assert "Forbidden phrase: guaranteed" in shown
        assert shown.index("guaranteed") < shown.index("Missed")  # by time: 9.5 s, then 10 s


async def test_the_replay_steps_forward_and_back_through_lines_and_events(tmp_path):
    hostile = TranscriptLine(40.0, "customer", "\x1b[31mred[/] \u202eevil", "")
    attempt = an_attempt()
    attempt = type(attempt)(**{**{f: getattr(attempt, f) for f in attempt.__struct_fields__},
                               "transcript": (*attempt.transcript, hostile)})
    steps = steps_of(attempt)
    assert [step.at for step in steps] == sorted(step.at for step in steps)
    app = training_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SearchScreen)
        app.push_screen(TrainingReplayScreen(attempt, "Balance enquiry"))
        screen = await wait_for_screen(pilot, TrainingReplayScreen)
        position = screen.query_one("#replay-position", Static)
        assert screen.position == 1 and f"Step 1 of {len(steps)}" in str(position.content)
        await pilot.press("right", "right", "space")
        assert screen.position == 4
        assert "May I have your full name" in str(screen.query_one("#replay-lines").content)
        await pilot.press("left")
        assert screen.position == 3
        for _ in steps:
            await pilot.press("right")
        assert screen.position == len(steps)  # no further than the end
        await settled(pilot)
        assert unsafe_segments(app) == []
        assert "red[/]" in str(screen.query_one("#replay-lines").content)


async def _report(pilot) -> TrainingReportScreen:
    await wait_for_screen(pilot, SearchScreen)
    pilot.app.push_screen(TrainingReportScreen())
    return await wait_for_screen(pilot, TrainingReportScreen)


def _status(screen) -> str:
    return str(screen.query_one("#report-status", Static).content)


@pytest.mark.slow
async def test_a_trainers_token_opens_the_report_and_an_attempts_replay(hub, tmp_path):
    trainee_app, made = _with_attempts(tmp_path / "trainee")
    connection = Store.open(trainee_app.config.store_path()).connection()
    run_training_sync(connection, HubClient(hub.url, hub.token("T0001")), lambda: FROZEN_NOW)
    app = training_app(tmp_path / "trainer", trainee="R0001", hub=HubSection(
        url=hub.url, token=hub.token("R0001", "trainer", "T1")))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _report(pilot)
        await wait_for(pilot, lambda: screen.query_one(DataTable).row_count == 2)
        assert "Trainees' report" in _status(screen)
        await pilot.press("enter")
        replay = await wait_for_screen(pilot, TrainingReplayScreen)
        assert replay.attempt == made[2]


@pytest.mark.slow
async def test_any_other_token_is_told_the_report_is_a_trainers(hub, tmp_path):
    app = training_app(tmp_path, hub=HubSection(url=hub.url, token=hub.token("A1024")))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _report(pilot)
        await wait_for(pilot, lambda: "trainer's token only" in _status(screen))
        assert screen.query_one(DataTable).row_count == 0


async def test_without_a_hub_the_report_says_how_to_set_one_up(tmp_path):
    app = training_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _report(pilot)
        await wait_for(pilot, lambda: "No hub is set up" in _status(screen))


async def _scenarios(pilot) -> TrainingScenariosScreen:
    await wait_for_screen(pilot, SearchScreen)
    commands = {command.title: command
                for command in pilot.app.get_system_commands(pilot.app.screen)}
    commands[pilot.app.t("training_palette.scenarios")].callback()  # as chosen in the palette
    screen = await wait_for_screen(pilot, TrainingScenariosScreen)
    await wait_for(pilot, lambda: screen.query_one(DataTable).row_count > 0)
    return screen


async def test_the_scenarios_with_the_trainees_best_scores(tmp_path):
    app, _made = _with_attempts(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _scenarios(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == len(shipped_scenarios()) >= 12
        balance = [str(value) for value in table.get_row("balance_enquiry")]
        assert balance[-2:] == ["82", "3"]  # best of 55, 82, 71; three attempts
        assert [str(value) for value in table.get_row("impostor")][-2:] == ["-", "0"]
        summary = str(screen.query_one("#scenarios-summary", Static).content)
        assert summary == shipped_scenarios()[0].summary("en")


async def test_the_training_palette_offers_scenarios_progress_and_report(tmp_path):
    app = training_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SearchScreen)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {app.t(f"training_palette.{key}") for key in ("scenarios", "progress",
                                                              "report")} <= titles
        assert app.t("training_palette.training") not in titles  # already training


# -- snapshots at 80x24 ---------------------------------------------------------------------

LANGUAGES = ["en", "zh-CN"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_progress_snapshot(snap_compare, tmp_path, language):
    app, _made = _with_attempts(tmp_path, language)

    async def run_before(pilot) -> None:
        await _progress(pilot)
        await settled(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("language", LANGUAGES)
def test_replay_snapshot(snap_compare, tmp_path, language):
    app = training_app(tmp_path, language)

    async def run_before(pilot) -> None:
        await wait_for_screen(pilot, SearchScreen)
        pilot.app.push_screen(TrainingReplayScreen(an_attempt(attempt_id="snapshot-attempt",
                                                              fatal=("guaranteed_return",),
                                                              score=35.0)))
        await wait_for_screen(pilot, TrainingReplayScreen)
        await pilot.press("right", "right", "right")
        await settled(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("language", LANGUAGES)
def test_report_snapshot(snap_compare, tmp_path, language):
    """The report's rows as the hub sends them (the real hub's are in the tests above)."""
    app = training_app(tmp_path, language)
    rows = [TrainingReportRow("T0001", "T1", "balance_enquiry", 3, 71.0, 82.0,
                              "2026-11-23T09:12:00", True, "a1"),
            TrainingReportRow("T0001", "T1", "lost_card", 1, 48.0, 48.0,
                              "2026-11-23T09:10:00", False, "a2"),
            TrainingReportRow("T0002", "T2", "impostor", 2, 90.0, 90.0,
                              "2026-11-23T09:40:00", True, "a3")]

    async def run_before(pilot) -> None:
        screen = await _report(pilot)
        await wait_for(pilot, lambda: "training_report" not in _status(screen)
                       and _status(screen) != app.t("training_report.loading"))
        screen.show(rows)
        await settled(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("language", LANGUAGES)
def test_scenarios_snapshot(snap_compare, tmp_path, language):
    app, _made = _with_attempts(tmp_path, language)

    async def run_before(pilot) -> None:
        await _scenarios(pilot)
        await settled(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_a_training_call_is_played_through_the_real_screens(tmp_path):
    """From the scenario list: the trainee speaks, the simulated customer answers, the call's
    workspace opens (F7) and is left (F3), and F12 ends the call: scored, kept, replayed."""
    from screens.call import CallScreen
    from screens.training_call import TrainingCallScreen

    app = training_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _scenarios(pilot)
        table = screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index("balance_enquiry"))
        await pilot.press("enter")
        call = await wait_for_screen(pilot, TrainingCallScreen)
        assert app.call is not None and app.training_run is not None
        await pilot.press(*"Good morning, XX Bank, Wang Fang speaking, how can I help you?")
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(line.speaker == "customer"
                                          for line in call.run.transcript))
        assert "Customer:" in str(call.query_one("#run-lines", Static).content)
        await pilot.press("f7")
        await wait_for_screen(pilot, CallScreen)
        await pilot.press("f3")
        await wait_for_screen(pilot, TrainingCallScreen)
        await pilot.press("f12")
        replay = await wait_for_screen(pilot, TrainingReplayScreen)
        assert app.call is None and app.training_run is None
        assert replay.attempt.scenario_id == "balance_enquiry"
        assert replay.attempt.outcome == "abandoned" and replay.attempt.trainee == "T0001"
        connection = Store.open(app.config.store_path()).connection()
        assert attempts.load(connection, replay.attempt.attempt_id) == replay.attempt


@pytest.mark.parametrize("language", LANGUAGES)
def test_training_call_snapshot(snap_compare, tmp_path, language):
    from screens.training_call import TrainingCallScreen

    app = training_app(tmp_path, language)
    greeting = {"en": "Good morning, XX Bank, Wang Fang speaking, how can I help you?",
                "zh-CN": "您好，XX银行，我是王芳，请问有什么可以帮您？"}[language]

    async def run_before(pilot) -> None:
        await wait_for_screen(pilot, SearchScreen)
        scenario = next(s for s in shipped_scenarios() if s.id == "balance_enquiry")
        app.start_run(scenario, "normal")
        call = await wait_for_screen(pilot, TrainingCallScreen)
        call.query_one("#run-say").value = greeting
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(call.run.transcript) >= 2)
        await settled(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
