"""Type-ahead is never lost (3270 did this): keys typed while a screen opens go to the screen that
opens, in order. The agent types a search, Enter, and the first keys of a call in one burst,
before any of those screens has drawn; every key lands where it would have landed typed slowly.
"""

from __future__ import annotations

import json
import time

import pytest
from textual import events

from screens.call import CallScreen
from screens.customer_360 import Customer360Screen
from screens.search import SearchScreen
from tests.call_driver import a_caller, call_draft, drafted_notes
from tests.screen import wait_for, wait_for_screen

CHARACTERS = {"enter": "\r", "space": " ", "tab": "\t"}


def type_ahead(app, *keys: str) -> None:
    """Keys as a terminal delivers a fast typist's burst: all queued at once, none waiting for
    what the one before it leads to (Pilot's ``press`` waits for the app to be idle)."""
    for key in keys:
        character = CHARACTERS.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))


async def test_a_search_enter_and_a_call_typed_ahead_all_land(writable_store, make_app):
    caller = a_caller(writable_store)
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        search = await wait_for_screen(pilot, SearchScreen)
        # The box is still empty, the store may still be opening: the burst comes now.
        type_ahead(app, *caller.id_number[-6:], "enter",  # the search, and open the one found
                   "ctrl+n",  # a call for the customer in view: the one just opened
                   "space",  # tick the first step of the call's checklist
                   "tab", "tab", *"typed ahead")  # to the notes, and the first words
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen)
                       and app.call is not None and app.call.notes.endswith("typed ahead"),
                       timeout=20)
        assert search.query_one("#query").value == caller.id_number[-6:]
        assert app.call.customer_id == caller.id  # not an unknown caller: Enter opened the 360
        assert [type(screen) for screen in app.screen_stack[1:]] == [
            Customer360Screen, CallScreen]
        assert "greeting.greet" in app.call.flow.ticked


async def test_keys_typed_while_the_360_loads_go_to_the_360(writable_store, make_app):
    caller = a_caller(writable_store)
    assert len(caller.cards) >= 2  # two products at least: one to move down to
    app = make_app(writable_store)
    async with app.run_test(size=(80, 24)) as pilot:
        search = await wait_for_screen(pilot, SearchScreen)
        await wait_for(pilot, lambda: app.store is not None)
        search.open_customer(caller.id)
        type_ahead(app, "down")  # to the second product, before the 360 has loaded
        c360 = await wait_for_screen(pilot, Customer360Screen)
        table = c360.query_one("#table-accounts")
        await wait_for(pilot, lambda: c360.view is not None and table.cursor_row == 1)


@pytest.mark.slow
def test_the_real_terminal_keeps_a_burst_typed_before_anything_was_drawn(writable_store,
                                                                         tmp_path):
    """The real `agent-tui` in a pseudo-terminal: the whole burst is written before it has drawn
    its first screen (it reads the keys from the terminal as a program started over a slow SSH
    link would); the call's draft shows where each key went."""
    pytest.importorskip("ptyprocess")
    from tests.pty_terminal import Terminal, workstation_command

    caller = a_caller(writable_store)
    argv, env = workstation_command(writable_store, tmp_path)
    terminal = Terminal(argv, env)
    try:
        terminal.send(caller.id_number[-6:] + "\r" + "\x0e" + " " + "\t\t" + "typed ahead")
        deadline = time.monotonic() + 60
        while not drafted_notes(writable_store).endswith("typed ahead"):
            assert time.monotonic() < deadline, f"not typed: {call_draft(writable_store)}"
            terminal.settle(0.2)  # reading what it draws meanwhile, until the autosave
        draft = call_draft(writable_store) or {}
        assert draft.get("customer_id") == caller.id, draft  # Enter opened the 360 first
        assert "greeting.greet" in json.dumps(draft), draft  # the space ticked the first step
    finally:
        terminal.close()
