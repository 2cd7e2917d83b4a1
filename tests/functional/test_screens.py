"""Pilot tests of the workstation's screens, on a real seeded store, with a frozen clock."""

from __future__ import annotations

import sqlite3
import tomllib

from textual.command import CommandPalette
from textual.widgets import DataTable, Input

from agent_tui.config import Config, StoreSection, UISection
from screens.customer_360 import Customer360Screen
from screens.help import HelpScreen
from screens.search import SearchScreen
from screens.sign_in import SignInScreen
from screens.store_problem import StoreProblemScreen
from screens.widgets.textual_private import notifications
from tests.screen import screen_text, wait_for, wait_for_screen


def _customer_with_card(path):
    connection = sqlite3.connect(path)
    row = connection.execute(
        "SELECT c.id, c.name, c.mobile, c.id_number, a.number FROM customers c "
        "JOIN accounts a ON a.customer_id = c.id WHERE c.name NOT LIKE '__' "
        "ORDER BY c.id LIMIT 1 OFFSET 40"
    ).fetchone()
    connection.close()
    return row


async def _search(pilot, text: str) -> DataTable:
    app = pilot.app
    await wait_for_screen(pilot, SearchScreen)
    query = app.screen.query_one("#query", Input)
    query.value = ""
    await pilot.press(*text)
    table = app.screen.query_one("#results", DataTable)
    await wait_for(pilot, lambda: table.row_count > 0 and app.screen._hits)
    return table


async def test_search_by_mobile_then_enter_opens_a_masked_360(small_store, make_app):
    customer_id, name, mobile, id_number, card = _customer_with_card(small_store)
    app = make_app(small_store)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _search(pilot, mobile)
        assert table.row_count == 1
        text = screen_text(app)
        assert mobile[:3] + "****" + mobile[-4:] in text
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, Customer360Screen)
                       and app.screen.view is not None)
        assert app.screen.customer_id == customer_id
        text = screen_text(app)
        assert "masked: not verified" in text
        for secret in (mobile, id_number, card, name):
            assert secret not in text, f"unmasked PII on screen: {secret}"
        assert name[0] + "*" in text


async def test_the_search_reads_the_360_before_it_opens_it(small_store, make_app, monkeypatch):
    """The 360's first frame is the customer (no "Loading…" frame before it, sent down the
    line and drawn over a moment later); the tabs behind the accounts fill just after."""
    customer_id, _name, mobile, _id_number, _card = _customer_with_card(small_store)
    read_by_itself: list[bool] = []
    monkeypatch.setattr(Customer360Screen, "load",
                        lambda self, again=False: read_by_itself.append(again))
    app = make_app(small_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _search(pilot, mobile)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, Customer360Screen)
                       and app.screen.view is not None)
        assert app.screen.customer_id == customer_id
        assert read_by_itself == []
        assert mobile[:3] + "****" + mobile[-4:] in screen_text(app)
        table = app.screen.query_one("#table-transactions", DataTable)
        await wait_for(pilot, lambda: table.row_count > 0)


async def test_card_last4_with_name_then_arrow_into_results(small_store, make_app):
    customer_id, name, _mobile, _id_number, card = _customer_with_card(small_store)
    app = make_app(small_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _search(pilot, f"{name} {card[-4:]}")
        hits = app.screen._hits
        assert customer_id in [hit.customer_id for hit in hits]
        await pilot.press("down")
        assert isinstance(app.focused, DataTable)
        row = [hit.customer_id for hit in hits].index(customer_id)
        for _ in range(row):
            await pilot.press("down")
        await pilot.press("enter")
        await wait_for_screen(pilot, Customer360Screen)
        assert app.screen.customer_id == customer_id


async def test_type_ahead_is_never_lost(small_store, make_app):
    """Keys typed while searches run all land; the results are those of the final text."""
    _customer_id, _name, mobile, _id, _card = _customer_with_card(small_store)
    app = make_app(small_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SearchScreen)
        await pilot.press(*("王" + "x" * 3), *["backspace"] * 4, *mobile)
        query = app.screen.query_one("#query", Input)
        assert query.value == mobile
        await wait_for(pilot, lambda: len(app.screen._hits) == 1)
        assert app.screen._hits[0].mobile == mobile


async def test_no_match_and_unrecognised_input_say_so(small_store, make_app):
    app = make_app(small_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SearchScreen)
        await pilot.press(*"13000000000")
        await wait_for(pilot, lambda: "No match" in screen_text(app))
        app.screen.query_one("#query", Input).value = ""
        await pilot.press(*"??!!")
        await wait_for(pilot, lambda: "Not a mobile" in screen_text(app))


def _last4_held_by(path, cards: int) -> str:
    """Four last digits that exactly ``cards`` cards of the store end in."""
    connection = sqlite3.connect(path)
    row = connection.execute(
        "SELECT substr(number, -4) AS last4 FROM accounts GROUP BY last4 "
        "HAVING count(DISTINCT customer_id) = ? AND count(*) = ? ORDER BY last4 LIMIT 1",
        (cards, cards)).fetchone()
    connection.close()
    return row[0]


async def test_a_bare_last4_held_by_more_cards_than_the_list_lists_none(small_store, make_app,
                                                                       monkeypatch):
    """Hundreds of cards share four last digits in a real store: the first of them are nobody
    in particular (and a table of them is kilobytes down an SSH line on the fourth digit of
    every mobile). The list holds one here, so two cards are too many."""
    monkeypatch.setattr("screens.search.SEARCH_LIMIT", 1)
    app = make_app(small_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SearchScreen)
        await pilot.press(*_last4_held_by(small_store, 2))
        await wait_for(pilot, lambda: "Over 1 cards end in these digits" in screen_text(app))
        assert app.screen.query_one("#results", DataTable).row_count == 0
        app.screen.query_one("#query", Input).value = ""
        table = await _search(pilot, _last4_held_by(small_store, 1))
        assert table.row_count == 1  # as many as the list holds: listed
        assert "1 cards end in these digits: add part of the name" in screen_text(app)


async def test_heavy_customer_pages_through_transactions(small_store, make_app):
    connection = sqlite3.connect(small_store)
    heavy = connection.execute("SELECT value FROM meta WHERE key = 'heavy_customers'").fetchone()
    customer_id = heavy[0].split('"')[1]
    app = make_app(small_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SearchScreen)
        app.screen.open_customer(customer_id)
        await wait_for(pilot, lambda: isinstance(app.screen, Customer360Screen)
                       and app.screen.transactions is not None)
        screen = app.screen
        assert screen.transactions.offset == 0
        assert screen.query_one("#table-transactions", DataTable).row_count == 50
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: screen.transactions.offset == 50)
        assert screen.query_one("#tabs").active == "tab-transactions"
        assert "51–100 of" in screen_text(app)
        await pilot.press("ctrl+up")
        await wait_for(pilot, lambda: screen.transactions.offset == 0)


async def test_back_and_search_from_anywhere(small_store, make_app):
    *_, card = _customer_with_card(small_store)
    app = make_app(small_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _search(pilot, card)
        await pilot.press("enter")
        await wait_for_screen(pilot, Customer360Screen)
        await pilot.press("f3")
        await wait_for_screen(pilot, SearchScreen)
        await pilot.press("enter")
        await wait_for_screen(pilot, Customer360Screen)
        await pilot.press("ctrl+f")  # the ctrl alternative of F2
        await wait_for_screen(pilot, SearchScreen)
        assert isinstance(app.focused, Input)
        assert len(app.screen_stack) == 1  # the search is the base screen


async def test_f1_help_lists_the_keys_of_the_screen_in_front(small_store, make_app):
    app = make_app(small_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, SearchScreen)
        await pilot.press("f1")
        await wait_for_screen(pilot, HelpScreen)
        text = screen_text(app)
        for expected in ("F2 / ^f", "Customer search, from anywhere", "search", "palette",
                         "[keymap]"):
            assert expected in text
        await pilot.press("escape")
        await wait_for_screen(pilot, SearchScreen)


async def test_the_palette_lists_every_action_by_name(small_store, make_app):
    app = make_app(small_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, SearchScreen)
        names = [command.title for command in app.get_system_commands(app.screen)]
        for expected in ("Help", "Search", "Back", "Quit", "Open"):
            assert expected in names
        await pilot.press("ctrl+p")
        await wait_for_screen(pilot, CommandPalette)
        await pilot.press("escape")
        await pilot.press("f10")
        await wait_for_screen(pilot, CommandPalette)


async def test_keys_are_remapped_by_id_from_config(small_store, make_app, signed_in_config):
    config = signed_in_config(small_store)
    config.keymap = {"search": "f7", "back": "f4"}
    *_, card = _customer_with_card(small_store)
    app = make_app(small_store, config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await _search(pilot, card)
        await pilot.press("enter")
        await wait_for_screen(pilot, Customer360Screen)
        await pilot.press("f2")  # no longer bound
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, Customer360Screen)
        await pilot.press("f7")
        await wait_for_screen(pilot, SearchScreen)


async def test_the_interface_speaks_chinese(small_store, make_app):
    app = make_app(small_store, language="zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "查客户" in screen_text(app))
        text = screen_text(app)
        assert "帮助" in text and "手机号" in text
        assert "Search" not in text


async def test_first_run_asks_who_is_signing_in_and_remembers(small_store, make_app, tmp_path):
    config_file = tmp_path / "config.toml"
    config = Config(store=StoreSection(path=str(small_store)), ui=UISection(mouse=False))
    config.source = config_file
    app = make_app(small_store, config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SignInScreen)
        await pilot.click("#sign-in-submit")
        await wait_for(pilot, lambda: "Fill in all three" in screen_text(app))
        for field, value in (("#agent-id", "A2048"), ("#agent-name", "王芳"),
                             ("#staff-number", "2048")):
            app.screen.query_one(field, Input).value = value
        app.screen.query_one("#staff-number", Input).focus()
        await pilot.press("enter")
        await wait_for_screen(pilot, SearchScreen)
        assert "王芳" in screen_text(app)
    saved = tomllib.loads(config_file.read_text(encoding="utf-8"))
    assert saved["agent"] == {"id": "A2048", "name": "王芳", "staff_number": "2048"}


async def test_a_missing_store_is_offered_to_be_seeded(tmp_path, make_app, signed_in_config):
    path = tmp_path / "fresh" / "store.db"
    app = make_app(path)
    app.demo_customers = 300
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, StoreProblemScreen)
        await wait_for(pilot, lambda: "There is no local store" in screen_text(app))
        await pilot.click("#seed")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen), timeout=30)
    assert path.exists()


async def test_a_damaged_store_is_explained_not_crashed_on(tmp_path, make_app):
    path = tmp_path / "store.db"
    path.write_bytes(b"not a database at all" * 100)
    app = make_app(path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_screen(pilot, StoreProblemScreen)
        await wait_for(pilot, lambda: "is not an agent-tui store" in screen_text(app))
        assert not app.screen.query("#seed")
        await pilot.click("#quit")
    assert path.read_bytes() == b"not a database at all" * 100


async def test_keys_arriving_in_one_burst_land_where_they_were_typed(small_store, make_app):
    """Several keys in one read (a fast typist, one SSH packet): Tab moves the focus before the
    next key is delivered, so nothing lands in the field being left."""
    from textual import events

    config = Config(store=StoreSection(path=str(small_store)), ui=UISection(mouse=False))
    app = make_app(small_store, config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, SignInScreen)
        burst = [("a", "a"), ("1", "1"), ("tab", "\t"), ("王", "王"), ("tab", "\t"), ("7", "7")]
        for key, character in burst:
            app.post_message(events.Key(key, character))
        await wait_for(pilot, lambda: screen.query_one("#staff-number", Input).value == "7")
        assert [field.value for field in screen.query(Input)] == ["a1", "王", "7"]


async def test_down_down_enter_in_one_burst_opens_the_second_result(small_store, make_app):
    from textual import events

    app = make_app(small_store)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await _search(pilot, "王")
        second = app.screen._hits[1].customer_id
        for key in ("down", "down", "enter"):
            app.post_message(events.Key(key, None))
        await wait_for_screen(pilot, Customer360Screen)
        assert app.screen.customer_id == second
        assert table.cursor_row == 1


async def test_f2_then_typing_in_one_burst_goes_to_the_search_box(small_store, make_app):
    from textual import events

    app = make_app(small_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _search(pilot, "王")
        await pilot.press("down")  # into the results: the box no longer has the focus
        assert isinstance(app.focused, DataTable)
        for key, character in (("f2", None), ("1", "1"), ("3", "3")):
            app.post_message(events.Key(key, character))
        # F2 selects what was in the box, so typing starts a new search (a new caller), and
        # both keys typed straight after F2 arrive there.
        await wait_for(pilot, lambda: app.screen.query_one("#query", Input).value == "13")


async def test_the_palette_speaks_the_agents_language(small_store, make_app):
    app = make_app(small_store, language="zh-CN")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, SearchScreen)
        names = [command.title for command in app.get_system_commands(app.screen)]
        assert {"帮助", "查客户", "返回", "退出", "主题"} <= set(names)
        assert not {"Keys", "Screenshot", "Theme", "Quit"} & set(names)
        await pilot.press("f10")
        await wait_for(pilot, lambda: "按名称查找操作" in screen_text(app))


async def test_an_unknown_theme_is_named_and_the_default_used(small_store, make_app,
                                                              signed_in_config):
    config = signed_in_config(small_store)
    config.ui.theme = "textual-drak"
    app = make_app(small_store, config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, SearchScreen)
        await wait_for(pilot, lambda: any(
            "textual-drak" in note.message for note in notifications(app)))
        assert app.theme == "textual-dark"


async def test_a_store_failing_mid_session_is_reported_and_the_session_goes_on(
    writable_store, make_app
):
    app = make_app(writable_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _search(pilot, "王")
        # Another program takes the store for itself mid-session.
        def locked():
            raise sqlite3.OperationalError("database is locked")

        app.store.connection = locked
        app.screen.query_one("#query", Input).value = "李"
        await wait_for(pilot, lambda: any(
            "database is locked" in note.message for note in notifications(app)))
        assert app.is_running and isinstance(app.screen, SearchScreen)
