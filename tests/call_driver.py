"""Driving the call workspace by keys, as an agent does, for the Pilot tests and the snapshots."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import msgspec

from agent_tui.domain.cases import Case
from agent_tui.domain.sla import SlaPolicy
from agent_tui.store import Store
from agent_tui.store.cases import CaseDraft, CaseStore
from screens.call import CallScreen
from screens.case import CaseScreen
from screens.customer_360 import Customer360Screen
from screens.queue import QueueScreen
from screens.widgets.checklist import Checklist
from tests.screen import screen_text, wait_for, wait_for_screen, widget_text


class Caller(msgspec.Struct, frozen=True):
    id: str
    name: str
    id_number: str
    mobile: str
    birth_date: str
    cards: tuple[str, ...]


def call_draft(store: Path) -> dict | None:
    """The call in progress as its autosave holds it in the store (None: no draft)."""
    connection = sqlite3.connect(store)
    try:
        row = connection.execute("SELECT body FROM drafts WHERE kind = 'call'").fetchone()
    finally:
        connection.close()
    return json.loads(row[0]) if row else None


def drafted_notes(store: Path) -> str:
    """The notes of the call's autosave ("" when there is none)."""
    draft = call_draft(store)
    return draft["notes"] if draft else ""


def a_caller(store: Path, offset: int = 11) -> Caller:
    """A customer under 60 with an active debit card (the mass script, a card to freeze)."""
    connection = sqlite3.connect(store)
    row = connection.execute(
        "SELECT c.id, c.name, c.id_number, c.mobile, c.birth_date FROM customers c "
        "WHERE c.is_elderly = 0 AND EXISTS (SELECT 1 FROM accounts a WHERE a.customer_id = c.id "
        "AND a.kind = 'debit_card' AND a.status = 'active') ORDER BY c.id LIMIT 1 OFFSET ?",
        (offset,),
    ).fetchone()
    cards = tuple(number for (number,) in connection.execute(
        "SELECT number FROM accounts WHERE customer_id = ?", (row[0],)))
    connection.close()
    return Caller(*row, cards=cards)


def assert_no_pii(app, caller: Caller, typed: tuple[str, ...] = ()) -> None:
    """No full mobile, ID number or card number of the caller anywhere on the screen, except
    what the agent ``typed`` from the caller's answers."""
    text = screen_text(app).replace(" ", "")
    for secret in {caller.mobile, caller.id_number, *caller.cards} - set(typed):
        assert secret not in text, f"{secret} is on screen before verification"


def secrets(caller: Caller) -> set[str]:
    """What must never be on screen unless this call's verification earned it."""
    return {caller.name, caller.mobile, caller.id_number, *caller.cards}


def assert_stack_masked(app, caller: Caller) -> None:
    """No screen in the stack, in front or behind, holds the caller's full name, mobile, ID
    number or card numbers."""
    for screen in app.screen_stack:
        text = widget_text(screen).replace(" ", "")
        for secret in secrets(caller):
            assert secret not in text, f"{secret} is still in {type(screen).__name__}"


async def walk_back_masked(pilot, caller: Caller) -> None:
    """F3 through the stack as the agent would, down to the search: each screen as it is drawn
    in front shows nothing of the caller unmasked."""
    app = pilot.app
    while True:
        await pilot.pause()
        text = screen_text(app).replace(" ", "")
        for secret in secrets(caller):
            assert secret not in text, f"{secret} on {type(app.screen).__name__} after F3"
        depth = len(app.screen_stack)
        if depth == 1:
            return
        await pilot.press("f3")
        await wait_for(pilot, lambda: len(app.screen_stack) < depth)


async def search_and_open(pilot, caller: Caller) -> None:
    """F2, the last six of the caller's ID (nothing the masking hides), Enter: their 360."""
    from screens.search import SearchScreen

    app = pilot.app
    await wait_for(pilot, lambda: app.store is not None)
    await pilot.press("f2")
    screen = await wait_for_screen(pilot, SearchScreen)
    screen.query_one("#query").value = ""
    await pilot.press(*caller.id_number[-6:])
    await wait_for(pilot, lambda: any(hit.customer_id == caller.id for hit in screen._hits))
    screen.open_customer(caller.id)
    await wait_for_screen(pilot, Customer360Screen)
    await wait_for(pilot, lambda: app.screen.view is not None)


async def verify(pilot, caller: Caller) -> None:
    """F7 from the workspace, the right answers: verified."""
    from agent_tui.domain.masking import Tier
    from screens.verify import VerifyScreen

    await pilot.press("f7")
    await wait_for_screen(pilot, VerifyScreen)
    await type_answers(pilot, {"name": caller.name, "id_last6": caller.id_number[-6:],
                               "mobile": caller.mobile})
    await wait_for_screen(pilot, CallScreen)
    await wait_for(pilot, lambda: pilot.app.disclosure_for(caller.id).tier >= Tier.BASIC)


async def freeze_a_card(pilot, store: Path) -> None:
    """F12, the first operation (freeze the active card), the code from the demo SMS outbox."""
    from agent_tui.domain.masking import Tier

    app = pilot.app
    outbox = store.with_name("sms-outbox.log")
    await pilot.press("f12")
    await wait_for(pilot, lambda: app.screen.query("#operations")
                   and app.screen.query_one("#operations").option_count > 0)
    await pilot.press("enter")
    await wait_for(pilot, lambda: outbox.exists() and "code " in outbox.read_text())
    code = outbox.read_text().split("code ")[-1][:6]
    await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "step-up-code")
    await pilot.press(*code, "enter")
    await wait_for_screen(pilot, CallScreen)
    await wait_for(pilot, lambda: app.disclosure_for(app.call.customer_id).tier is Tier.FULL)


async def open_360(pilot, customer_id: str) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: app.store is not None)
    app.push_screen(Customer360Screen(customer_id))
    await wait_for_screen(pilot, Customer360Screen)
    await wait_for(pilot, lambda: app.screen.view is not None)


async def open_queue(pilot) -> QueueScreen:
    """F4 once the store is open, until the queue's first page is there."""
    app = pilot.app
    await wait_for(pilot, lambda: app.store is not None)
    await pilot.press("f4")
    queue = await wait_for_screen(pilot, QueueScreen)
    await wait_for(pilot, lambda: queue.page is not None)
    return queue


async def start_call(pilot, customer_id: str) -> CallScreen:
    await open_360(pilot, customer_id)
    await pilot.press("ctrl+n")
    screen = await wait_for_screen(pilot, CallScreen)
    call = pilot.app.call
    await wait_for(pilot, lambda: call.verification is not None)
    return screen


async def focus(pilot, widget_id: str) -> None:
    for _ in range(6):
        if pilot.app.focused is not None and pilot.app.focused.id == widget_id:
            return
        await pilot.press("shift+tab")
    raise AssertionError(f"could not reach #{widget_id} with shift+tab")


async def do_step(pilot, step_id: str, key: str = "f8") -> None:
    """Highlight ``step_id`` in the checklist with the arrows, then F8 (its phrase) or space."""
    await focus(pilot, "checklist")
    checklist = pilot.app.screen.query_one(Checklist)
    for _ in range(20):
        if checklist.highlighted_step == step_id:
            break
        await pilot.press("down")
    assert checklist.highlighted_step == step_id
    await pilot.press(key)
    await wait_for(pilot, lambda: step_id in pilot.app.call.flow.ticked)


async def type_answers(pilot, answers: dict[str, str]) -> None:
    """Into the verification form, field by field, with Tab; Enter checks."""
    screen = pilot.app.screen
    for factor, answer in answers.items():
        box = screen.query_one(f"#answer-{factor}")
        box.value = ""
        while pilot.app.focused is not box:
            await pilot.press("tab")
        await pilot.press(*answer)
    await pilot.press("enter")


async def answer_by_birth_date(pilot, caller: Caller, wrong: bool = False) -> None:
    """On the verification form: name, ID last 6 and birth date; ``wrong`` gives a wrong ID and
    waits for the failure to be counted (the form stays)."""
    id_last6 = "000000" if wrong else caller.id_number[-6:]
    await type_answers(pilot, {"name": caller.name, "id_last6": id_last6,
                               "birth_date": caller.birth_date})
    if wrong:
        await wait_for(pilot, lambda: pilot.app.call.verification.failures == 1)


def a_case(store: Path, customer_id: str, title: str) -> Case:
    """A case agent A1024 opened for ``customer_id`` (on 2026-11-23), written before the app runs."""
    connection = Store.open(store).connection()
    return CaseStore(connection, SlaPolicy(), "A1024", "1024").open(
        CaseDraft(customer_id=customer_id, title=title), datetime(2026, 11, 23, 9, 0))


async def show_case(pilot, case_id: str, loaded: bool = False) -> CaseScreen:
    """The case's screen in front once the store is open; ``loaded``: and its case read."""
    await wait_for(pilot, lambda: pilot.app.store is not None)
    pilot.app.push_screen(CaseScreen(case_id))
    screen = await wait_for_screen(pilot, CaseScreen)
    if loaded:
        await wait_for(pilot, lambda: screen.view is not None)
    return screen
