"""A training call through the real screens (issue 15): the difficulty picked on the scenario
list and recorded by the attempt; the call in the call workspace with its transcript panel, a
line typed and a phrase inserted with F8 said with Enter, ctrl+d ending it: scored, kept,
replayed. The workspace's snapshots at 80x24 are in test_training_screens.py."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Static

from agent_tui.store import Store
from agent_tui.training import attempts
from screens.training_call import TrainingCallScreen
from screens.training_replay import TrainingReplayScreen
from screens.training_scenarios import TrainingScenariosScreen
from tests.screen import wait_for, wait_for_screen
from tests.training_session import open_scenarios, training_app

pytestmark = pytest.mark.xdist_group("snapshots")


async def test_a_difficulty_is_picked_before_the_run_and_the_attempt_records_it(tmp_path):
    """Left and right pick the difficulty on the list (never past easy or hard); its meaning is
    said below; the call runs at it, and the attempt kept says it; the best is per difficulty."""
    app = training_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_scenarios(pilot)
        table = screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index("lost_card"))
        await pilot.pause()
        assert screen.difficulty["lost_card"] == "normal"  # its suggested one
        level = screen.query_one("#scenarios-difficulty", Static)
        assert "(suggested;" in str(level.content)
        await pilot.press("right", "right", "plus")
        assert screen.difficulty["lost_card"] == "hard"
        assert str(table.get_row("lost_card")[1]) == "hard"
        text = str(level.content)
        assert text.startswith("hard: little patience") and "suggested: normal" in text
        await pilot.press("left", "minus", "minus")
        assert screen.difficulty["lost_card"] == "easy"
        await pilot.press("right", "right")
        await pilot.press("enter")
        call = await wait_for_screen(pilot, TrainingCallScreen)
        assert call.run.difficulty == "hard" and "(hard)" in str(
            call.query_one("#run-transcript").border_title)
        await pilot.press(*"Hello")
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(call.run.transcript) >= 2)
        await pilot.press("ctrl+d")
        replay = await wait_for_screen(pilot, TrainingReplayScreen)
        assert replay.attempt.difficulty == "hard"
        connection = Store.open(app.config.store_path()).connection()
        assert attempts.load(connection, replay.attempt.attempt_id).difficulty == "hard"
        await pilot.press("f3")
        screen = await wait_for_screen(pilot, TrainingScenariosScreen)
        screen.load()
        await wait_for(pilot, lambda: "lost_card" in screen.found)
        assert screen.found["lost_card"]["hard"].attempts == 1
        assert "normal" not in screen.found["lost_card"]
        assert str(table.get_row("lost_card")[-1]) == "1"  # hard still picked: its one try


async def _training_call(pilot, scenario_id: str = "balance_enquiry"):
    from screens.training_call import TrainingCallScreen

    screen = await open_scenarios(pilot)
    table = screen.query_one(DataTable)
    table.move_cursor(row=table.get_row_index(scenario_id))
    await pilot.press("enter")
    return await wait_for_screen(pilot, TrainingCallScreen)


async def test_a_training_call_is_played_in_the_call_workspace(tmp_path):
    """From the scenario list: the call workspace opens with the transcript in it; the trainee
    types a line and the simulated customer answers; a phrase inserted with F8 goes onto the
    line to say and Enter says it (used, its step ticked); ctrl+d ends the call: scored, kept,
    replayed, the phrase in the attempt's transcript and events."""
    from screens.call import CallScreen

    app = training_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        call = await _training_call(pilot)
        assert isinstance(call, CallScreen)  # the workspace itself: checklist, phrases, notes
        for panel in ("#checklist", "#suggestions", "#notes", "#run-transcript", "#run-say"):
            assert call.query_one(panel).region.area, panel
        assert app.call is not None and app.training_run is not None
        say = call.query_one("#run-say", Input)
        assert call.focused is say
        await pilot.press(*"Hello, how can I help you?")
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(line.speaker == "customer"
                                          for line in call.run.transcript))
        assert "Customer:" in str(call.query_one("#run-lines", Static).content)
        assert say.value == ""

        phrase, text = call.highlighted_phrase()
        await pilot.press("f8")
        assert say.value == text.strip() and call.focused is say
        assert not _used(call, phrase.id)  # inserted, not said yet
        said = len(call.run.transcript)
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(call.run.transcript) > said)
        line = call.run.transcript[said]
        assert (line.speaker, line.text) == ("agent", text.strip())
        assert _used(call, phrase.id)
        if phrase.step:
            assert phrase.step in call.call.flow.ticked

        await pilot.press("tab")  # focus moves by keys: off the line, round the panels
        assert call.focused is not say
        await pilot.press("ctrl+d")
        replay = await wait_for_screen(pilot, TrainingReplayScreen)
        assert app.call is None and app.training_run is None
        assert not any(isinstance(screen, CallScreen) for screen in app.screen_stack)
        attempt = replay.attempt
        assert attempt.scenario_id == "balance_enquiry" and attempt.difficulty == "easy"  # suggested
        assert attempt.outcome == "abandoned" and attempt.trainee == "T0001"
        assert text.strip() in [line.text for line in attempt.transcript]
        assert any(event.kind == "phrase_used" and event.detail.get("phrase") == phrase.id
                   for event in attempt.events)
        connection = Store.open(app.config.store_path()).connection()
        assert attempts.load(connection, attempt.attempt_id) == attempt


async def test_a_phrase_taken_back_off_the_line_is_not_said(tmp_path):
    app = training_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        call = await _training_call(pilot)
        phrase, _text = call.highlighted_phrase()
        await pilot.press("f8")
        say = call.query_one("#run-say", Input)
        say.value = "Hello"  # the trainee rewrote the line
        await pilot.press("enter")
        await wait_for(pilot, lambda: call.run.transcript)
        assert call.run.transcript[0].text == "Hello"
        assert not _used(call, phrase.id)


async def test_from_the_notes_f8_inserts_into_the_notes_as_on_a_live_call(tmp_path):
    from screens.widgets.notes_editor import NotesEditor

    app = training_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        call = await _training_call(pilot)
        _phrase, text = call.highlighted_phrase()
        call.query_one(NotesEditor).focus()
        await pilot.press("f8")
        assert text.strip() in call.query_one(NotesEditor).text
        assert call.query_one("#run-say", Input).value == ""


def _used(call, phrase_id: str) -> bool:
    return any(event.kind.value == "phrase_used" and event.detail.get("phrase") == phrase_id
               for event in call.call.flow.events)


async def test_the_workspaces_closing_form_ends_a_training_call_as_a_live_one(tmp_path):
    """F7 on the closing stage opens the usual closing form; saving it ends the training call:
    scored as completed, kept, replayed, and no workspace left behind."""
    from screens.call import CallScreen
    from screens.closing import ClosingScreen

    app = training_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        call = await _training_call(pilot)
        await pilot.press(*"Hello, how can I help you?")
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(call.run.transcript) >= 2)
        app.call.flow.skip_to_closing(app.now(), "test: straight to the closing")
        await pilot.press("f7")
        closing = await wait_for_screen(pilot, ClosingScreen)
        closing.query_one("#wrap-up").value = "resolved"
        closing.query_one("#end-reason").value = "test"
        await pilot.press("ctrl+s")
        replay = await wait_for_screen(pilot, TrainingReplayScreen)
        assert app.call is None and app.training_run is None
        assert replay.attempt.outcome == "completed"
        assert "Hello, how can I help you?" in [line.text for line in replay.attempt.transcript]
        assert not any(isinstance(screen, CallScreen) for screen in app.screen_stack)


async def test_f3_leaves_the_training_workspace_and_ctrl_n_comes_back_to_it(tmp_path):
    app = training_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        call = await _training_call(pilot)
        await pilot.press(*"Hello")
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(call.run.transcript) >= 2)
        await pilot.press("f3")
        await wait_for_screen(pilot, TrainingScenariosScreen)
        assert app.training_run is not None  # the call goes on, as a live one does
        await pilot.press("ctrl+n")
        back = await wait_for_screen(pilot, TrainingCallScreen)  # not the live workspace
        assert back.run is call.run and "Hello" in str(back.query_one("#run-lines",
                                                                      Static).content)
        await pilot.press("ctrl+n")  # already there: still the one workspace
        assert [type(screen) for screen in app.screen_stack].count(TrainingCallScreen) == 1
