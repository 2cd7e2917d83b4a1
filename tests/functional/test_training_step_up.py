"""Step-up in a training call through the real screens (issue 15): the lost card scenario played
to a frozen card, the code sent by the step-up dialog to the simulated customer's phone and read
out by them inside the dialog (kept in the transcript); a wrong code counted as on a live call;
with a hub configured, nothing of the step-up reaches the hub."""

from __future__ import annotations

import re

import pytest
from textual.widgets import DataTable, Input, OptionList, Static

from agent_tui.domain.models import AccountStatus
from agent_tui.store import Store
from agent_tui.store.customers import CustomerRepository
from screens.training_call import TrainingCallScreen
from screens.training_replay import TrainingReplayScreen
from screens.training_step_up import TrainingStepUpScreen
from screens.verify import VerifyScreen
from tests.call_driver import type_answers
from tests.screen import settled, wait_for, wait_for_screen
from tests.training_session import open_scenarios, training_app

pytestmark = pytest.mark.xdist_group("snapshots")

LOST_CARD = "TRN-LOST-01"
# What the trainee says and answers, per language.
SAID = {
    "en": {"greeting": "Hello, how can I help?", "name": "Li Na",
           "ask_code": "Please read me the verification code."},
    "zh-CN": {"greeting": "您好，请问有什么可以帮您？", "name": "李娜",
              "ask_code": "请您读一下收到的验证码。"},
}


async def say(pilot, box: Input, text: str) -> None:
    box.focus()
    await pilot.pause()
    await pilot.press(*text, "enter")


async def lost_card_verified(pilot, language: str = "en") -> TrainingCallScreen:
    """The lost card call, greeted, the caller verified through the verification form."""
    screen = await open_scenarios(pilot)
    table = screen.query_one(DataTable)
    table.move_cursor(row=table.get_row_index("lost_card"))
    await pilot.press("enter")
    call = await wait_for_screen(pilot, TrainingCallScreen)
    await say(pilot, call.query_one("#run-say", Input), SAID[language]["greeting"])
    await wait_for(pilot, lambda: any(line.speaker == "customer" for line in call.run.transcript))
    await pilot.press("f7")
    await wait_for_screen(pilot, VerifyScreen)
    await type_answers(pilot, {"name": SAID[language]["name"], "id_last6": "022468",
                               "birth_date": "1990-07-02"})
    await wait_for_screen(pilot, TrainingCallScreen)
    assert call.run.call.verified
    return call


async def step_up_sent(pilot) -> TrainingStepUpScreen:
    """F12, freeze the card ending 5566: the code sent, the customer noticing it."""
    await pilot.press("f12")
    dialog = await wait_for_screen(pilot, TrainingStepUpScreen)
    operations = dialog.query_one("#operations", OptionList)
    await wait_for(pilot, lambda: operations.option_count > 0)
    freeze = next(index for index in range(operations.option_count)
                  if str(operations.get_option_at_index(index).id).startswith("freeze_card:"))
    assert "5566" in str(operations.get_option_at_index(freeze).prompt)
    operations.highlighted = freeze
    operations.focus()
    await pilot.press("enter")
    await wait_for(pilot, lambda: dialog.query_one("#step-up-code", Input).display)
    assert dialog.focused is dialog.query_one("#step-up-say", Input)
    return dialog


def heard(dialog: TrainingStepUpScreen) -> str:
    return str(dialog.query_one("#step-up-heard", Static).content)


async def the_code_read_out(pilot, dialog: TrainingStepUpScreen, language: str = "en") -> str:
    await say(pilot, dialog.query_one("#step-up-say", Input), SAID[language]["ask_code"])
    await wait_for(pilot, lambda: re.search(r"\d{6}", heard(dialog)))
    assert dialog.focused is dialog.query_one("#step-up-code", Input)  # read out: type it
    return re.search(r"\d{6}", heard(dialog))[0]


def card_status(app) -> AccountStatus:
    connection = Store.open(app.config.store_path()).connection()
    accounts = CustomerRepository(connection).accounts(LOST_CARD)
    return next(account.status for account in accounts if account.number.endswith("5566"))


async def test_the_lost_card_is_frozen_with_the_code_the_customer_reads_out(tmp_path):
    app = training_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        call = await lost_card_verified(pilot)
        assert card_status(app) is AccountStatus.ACTIVE
        dialog = await step_up_sent(pilot)
        assert "OK, let me check my messages." in heard(dialog)  # the SMS reached them
        code = await the_code_read_out(pilot, dialog)
        await pilot.press(*code, "enter")
        await wait_for_screen(pilot, TrainingCallScreen)
        await wait_for(pilot, lambda: card_status(app) is AccountStatus.FROZEN)
        await wait_for(pilot, lambda: "that's a relief" in str(
            call.query_one("#run-lines", Static).content))  # the customer noticed, in the call
        lines = [line.text for line in call.run.transcript]
        assert "Please read me the verification code." in lines
        assert f"Yes, got it. The code is {code}." in lines
        await pilot.press("ctrl+d")
        replay = await wait_for_screen(pilot, TrainingReplayScreen)
        events = [(event.kind, event.detail.get("operation"), event.detail.get("result"))
                  for event in replay.attempt.events if event.kind in ("step_up", "operation")]
        assert events == [("step_up", "freeze_card", "sent"), ("step_up", "freeze_card", "passed"),
                          ("operation", "freeze_card", None)]
        assert "solution.step_up" not in [miss.item for miss in replay.attempt.misses]
        assert "solution.operation" not in [miss.item for miss in replay.attempt.misses]


async def test_a_wrong_code_is_refused_and_counted_as_on_a_live_call(tmp_path):
    app = training_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        call = await lost_card_verified(pilot)
        dialog = await step_up_sent(pilot)
        code = await the_code_read_out(pilot, dialog)
        wrong = "000000" if code != "000000" else "111111"
        await pilot.press(*wrong, "enter")
        error = dialog.query_one("#step-up-error", Static)
        await wait_for(pilot, lambda: "Wrong code: 2" in str(error.content))
        assert app.screen is dialog and call.run.call.step_up.tries_left == 2
        assert card_status(app) is AccountStatus.ACTIVE
        code_box = dialog.query_one("#step-up-code", Input)
        code_box.value = ""
        await pilot.press(*code, "enter")
        await wait_for_screen(pilot, TrainingCallScreen)
        results = [event.detail.get("result") for event in call.run.call.flow.events
                   if event.kind.value == "step_up"]
        assert results == ["sent", "wrong", "passed"]
        await wait_for(pilot, lambda: card_status(app) is AccountStatus.FROZEN)


@pytest.mark.slow
async def test_with_a_hub_nothing_of_the_step_up_reaches_it(hub, tmp_path):
    """The hub is configured (the attempt goes to it), yet the code is the training run's: the
    hub issues no step-up, hears of no operation, and the card is frozen in the training store."""
    from sqlalchemy import func, select

    from agent_tui.config import HubSection
    from agent_tui.hub.database import reading
    from agent_tui.hub.schema import audit_log, step_ups
    from agent_tui.hub.training_schema import training_attempts

    app = training_app(tmp_path, hub=HubSection(url=hub.url, token=hub.token("T0001", "agent",
                                                                             "NEW")))
    async with app.run_test(size=(80, 24)) as pilot:
        await lost_card_verified(pilot)
        dialog = await step_up_sent(pilot)
        assert "demo" not in str(dialog.query_one("#step-up-message", Static).content)
        code = await the_code_read_out(pilot, dialog)
        await pilot.press(*code, "enter")
        await wait_for_screen(pilot, TrainingCallScreen)
        await wait_for(pilot, lambda: card_status(app) is AccountStatus.FROZEN)
        await pilot.press("ctrl+d")
        replay = await wait_for_screen(pilot, TrainingReplayScreen)

        def kept_at_hub() -> bool:
            with reading(hub.engine) as connection:
                return connection.execute(select(training_attempts.c.attempt_id)).scalars(
                ).all() == [replay.attempt.attempt_id]

        await wait_for(pilot, kept_at_hub)  # the session did reach the hub: with its attempt
    with reading(hub.engine) as connection:
        assert connection.execute(select(func.count()).select_from(step_ups)).scalar() == 0
        actions = connection.execute(select(audit_log.c.action)).scalars().all()
    assert not [action for action in actions if "step_up" in action or "operation" in action]


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_training_step_up_snapshot(snap_compare, tmp_path, language):
    """The dialog in a training call at 80x24: the code sent to the customer's phone, what the
    customer said (the code read out), the line to say, the code box focused."""
    async def run_before(pilot) -> None:
        await lost_card_verified(pilot, language)
        dialog = await step_up_sent(pilot)
        await the_code_read_out(pilot, dialog, language)
        await settled(pilot)

    assert snap_compare(training_app(tmp_path, language), terminal_size=(80, 24),
                        run_before=run_before)


async def test_too_many_wrong_codes_or_an_expired_one_need_a_new_code(tmp_path):
    """As on a live call: three wrong codes lock the code, a code read after its five minutes
    has expired; either way the operation is chosen again, and a new code goes to the phone."""
    from datetime import timedelta

    from tests.conftest import FROZEN_NOW

    app = training_app(tmp_path)
    moments = [FROZEN_NOW]
    app.clock = lambda: moments[-1]
    async with app.run_test(size=(80, 24)) as pilot:
        call = await lost_card_verified(pilot)
        dialog = await step_up_sent(pilot)
        code = await the_code_read_out(pilot, dialog)
        error = dialog.query_one("#step-up-error", Static)
        code_box = dialog.query_one("#step-up-code", Input)
        for _ in range(3):
            code_box.value = "000000" if code != "000000" else "111111"
            code_box.focus()
            await pilot.press("enter")
        await wait_for(pilot, lambda: "Too many wrong codes" in str(error.content))
        assert not code_box.display and card_status(app) is AccountStatus.ACTIVE

        await pilot.press("enter")  # the operation again: a new code to the phone
        await wait_for(pilot, lambda: code_box.display)
        moments.append(FROZEN_NOW + timedelta(minutes=6))
        code_box.value = code
        code_box.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: "expired" in str(error.content))
        results = [event.detail.get("result") for event in call.run.call.flow.events
                   if event.kind.value == "step_up"]
        assert results == ["sent", "wrong", "wrong", "locked", "sent", "expired"]
        assert card_status(app) is AccountStatus.ACTIVE


async def test_a_customer_who_hangs_up_in_the_dialog_ends_the_call(tmp_path):
    """Forbidden words said on the dialog's line cost patience as on the workspace's; at none
    left the customer hangs up: the dialog closes and the call ends there, scored."""
    app = training_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        call = await lost_card_verified(pilot)
        dialog = await step_up_sent(pilot)
        say_box = dialog.query_one("#step-up-say", Input)
        for _ in range(4):  # 0.3 of patience each: a worried customer's 0.6 runs out
            if app.screen is not dialog:
                break
            said = len(call.run.transcript)
            await say(pilot, say_box, "不知道")
            await wait_for(pilot, lambda: len(call.run.transcript) > said)
        assert call.run.hung_up
        replay = await wait_for_screen(pilot, TrainingReplayScreen)
        assert replay.attempt.outcome == "hung_up"
        assert [event.detail.get("word") for event in replay.attempt.events
                if event.kind == "forbidden_caught"][:2] == ["不知道", "不知道"]
