"""A customer's reassessment at the desk (issue 18), through the real screens on the demo store:
on a call with a verified caller whose assessment has expired, shift+F6 then F6 opens the risk
questionnaire; a letter picks each answer; ctrl+s with a question unanswered names it and keeps
every answer; complete, it is queued as suitability.assess (the answers, no level) and audited,
and the products screen shows the new level at once, pending. Not verified, or past the limits
(two a day, counted on the store's assessments), the form is not offered, with the reason."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from agent_tui.domain.questionnaire import score
from agent_tui.domain.suitability import add_months
from agent_tui.library.questionnaire import load_questionnaire
from screens.products import ProductsScreen
from screens.reassess import ReassessScreen
from screens.widgets.textual_private import notifications
from tests.call_driver import Caller, a_caller, open_360, start_call, verify
from tests.conftest import FROZEN_NOW
from tests.functional.test_products import audited, said
from tests.screen import wait_for, wait_for_screen

QUESTIONNAIRE = load_questionnaire(Path(__file__).resolve().parents[2] / "scripts_library")


def expired_caller(store: Path) -> Caller:
    """A caller (an active card, under 60) whose only assessment has expired."""
    connection = sqlite3.connect(store)
    for offset in range(11, 400):
        caller = a_caller(store, offset)
        [(at,)] = connection.execute(
            "SELECT assessed_at FROM risk_assessments WHERE customer_id = ?", (caller.id,))
        if add_months(datetime.fromisoformat(at), 12) <= FROZEN_NOW:
            return caller
    raise AssertionError("no caller with an expired assessment")


def queued(store: Path) -> list[dict]:
    return [json.loads(args) for (args,) in sqlite3.connect(store).execute(
        "SELECT args_json FROM outbox WHERE name = 'suitability.assess' ORDER BY seq")]


async def products_in_call(pilot, caller: Caller, *, verified: bool = True) -> ProductsScreen:
    await start_call(pilot, caller.id)
    if verified:
        await verify(pilot, caller)
    await pilot.press("shift+f6")
    screen = await wait_for_screen(pilot, ProductsScreen)
    await wait_for(pilot, lambda: screen.loaded)
    return screen


async def open_form(pilot, caller: Caller) -> ReassessScreen:
    await products_in_call(pilot, caller)
    await pilot.press("f6")
    return await wait_for_screen(pilot, ReassessScreen)


async def test_a_verified_caller_is_reassessed_and_shown_pending(writable_store, make_app):
    caller = expired_caller(writable_store)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, caller)
        await pilot.press(*"a" * (len(QUESTIONNAIRE.questions) - 1))
        await pilot.press("ctrl+s")  # the last question unanswered: named, nothing sent
        await wait_for(pilot, lambda: said(app, f"Question {len(QUESTIONNAIRE.questions)} is "
                                                "not answered yet"))
        assert len(form.answers) == len(QUESTIONNAIRE.questions) - 1 and not queued(
            writable_store)
        await pilot.press("f")  # four options only: refused, saying which letters there are
        await wait_for(pilot, lambda: said(app, "has options A to D only"))
        await pilot.press("d", "ctrl+s")
        products = await wait_for_screen(pilot, ProductsScreen)
        expected = score(QUESTIONNAIRE, form.answers)
        await wait_for(pilot, lambda: products.assessment is not None
                       and products.assessment.pending)
        assert products.assessment.level == expected.level
        assert products.verdicts["TD-1Y"].allowed  # valid again: R1 suits every tolerance
        shown = str(products.query_one("#products-customer").render())
        assert expected.level in shown and "(waiting for the hub)" in shown
    [sent] = queued(writable_store)
    assert (sent["customer_id"], sent["questionnaire_version"]) == (caller.id,
                                                                    QUESTIONNAIRE.version)
    assert sent["answers"] == form.answers and "level" not in sent  # the hub scores it
    [record] = audited(writable_store, "suitability.assess")
    assert (record["level"], record["id"]) == (expected.level, sent["id"])


async def test_not_verified_on_this_call_no_form(writable_store, make_app):
    caller = expired_caller(writable_store)
    app = make_app(writable_store, "zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await products_in_call(pilot, caller, verified=False)
        await pilot.press("f6")
        await wait_for(pilot, lambda: said(app, "请先在本次通话中核实客户身份"))
        assert isinstance(app.screen, ProductsScreen)
        await pilot.press("f3", "f3")
        await open_360(pilot, caller.id)  # the 360 outside a call: nobody verified either
        await pilot.press("shift+f6", "f6")
        await wait_for(pilot, lambda: sum("请先在本次通话中核实客户身份" in str(note.message)
                                          for note in notifications(app)) >= 2)
    assert queued(writable_store) == []


async def test_twice_today_already_the_limit_is_refused_with_its_rule(writable_store, make_app):
    caller = expired_caller(writable_store)
    connection = sqlite3.connect(writable_store)
    with connection:
        connection.executemany(
            "INSERT INTO risk_assessments (id, customer_id, level, assessed_at, answers_version) "
            "VALUES (?, ?, 'C1', ?, 'Q2026-01')",
            [(f"ra-today-{n}", caller.id, (FROZEN_NOW - timedelta(hours=n + 1)).isoformat())
             for n in range(2)])
    connection.close()
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await products_in_call(pilot, caller)
        await pilot.press("f6")
        await wait_for(pilot, lambda: said(app, "assessed 2 times today, at most 2 a day"))
        assert isinstance(app.screen, ProductsScreen)
    assert queued(writable_store) == []


async def test_a_limit_reached_while_the_form_is_open_refuses_and_keeps_the_answers(
        writable_store, make_app):
    caller = expired_caller(writable_store)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, caller)
        await pilot.press(*"b" * len(QUESTIONNAIRE.questions))
        connection = sqlite3.connect(writable_store)  # meanwhile, two today (another window)
        with connection:
            connection.executemany(
                "INSERT INTO risk_assessments (id, customer_id, level, assessed_at, "
                "answers_version) VALUES (?, ?, 'C1', ?, 'Q2026-01')",
                [(f"ra-now-{n}", caller.id, (FROZEN_NOW - timedelta(minutes=n + 1)).isoformat())
                 for n in range(2)])
        connection.close()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: said(app, "assessed 2 times today, at most 2 a day"))
        assert app.screen is form and not form.sending
        assert len(form.answers) == len(QUESTIONNAIRE.questions)  # nothing lost
    assert queued(writable_store) == []


async def test_answers_picked_are_kept_when_the_form_is_left_and_back_when_it_opens(
        writable_store, make_app):
    """Nothing picked is lost: F3 away from a half-answered questionnaire writes the answers
    as a draft in the store; F6 again puts them back; queued, the draft is gone."""
    from agent_tui.store import Store, drafts

    def kept() -> dict | None:
        connection = Store.open(writable_store).connection()
        return next((draft.body for draft in drafts.pending(connection, app.config.agent.id)
                     if draft.key == f"reassess:{caller.id}"), None)

    caller = expired_caller(writable_store)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, caller)
        await pilot.press(*"abca")
        picked = dict(form.answers)
        assert len(picked) == 4
        await pilot.press("f3")
        await wait_for_screen(pilot, ProductsScreen)
        await wait_for(pilot, lambda: said(app, "The answers picked are kept"))
        await wait_for(pilot, lambda: (kept() or {}).get("answers") == picked)
        await pilot.press("f6")
        form = await wait_for_screen(pilot, ReassessScreen)
        await wait_for(pilot, lambda: form.answers == picked)
        assert said(app, "4 answers picked earlier")
        await pilot.press("down", "down", "down", "down")  # to the fifth, the first unanswered
        await pilot.press(*"a" * (len(QUESTIONNAIRE.questions) - 4), "ctrl+s")
        await wait_for_screen(pilot, ProductsScreen)
        await wait_for(pilot, lambda: kept() is None)
    [sent] = queued(writable_store)
    assert {key: sent["answers"][key] for key in picked} == picked
