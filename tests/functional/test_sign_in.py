"""Nobody works without an identity: the first-run sign-in cannot be left by any app key (ctrl+q
still quits), and what is offered after a restart waits until the agent has said who they are."""

from __future__ import annotations

from datetime import datetime

from agent_tui.config import AgentSection, Config, StoreSection, UISection
from agent_tui.store import Store, drafts
from screens.restore_drafts import RestoreDraftsScreen
from screens.search import SearchScreen
from screens.sign_in import SignInScreen
from tests.screen import wait_for, wait_for_screen


def _first_run(store, agent: AgentSection | None = None) -> Config:
    config = Config(agent=agent or AgentSection(), store=StoreSection(path=str(store)),
                    ui=UISection(mouse=False, cursor_blink=False))
    return config


async def test_no_app_key_leaves_the_sign_in(small_store, make_app, tmp_path):
    config = _first_run(small_store)
    config.source = tmp_path / "config.toml"
    app = make_app(small_store, config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SignInScreen)
        await wait_for(pilot, lambda: app.store is not None)
        for key in ("f2", "ctrl+f", "f4", "ctrl+o", "ctrl+n", "f5", "f10", "ctrl+p", "f3",
                    "escape", "shift+f5"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, SignInScreen), f"{key} left the sign-in"
            assert [type(screen) for screen in app.screen_stack] == [SearchScreen,
                                                                      SignInScreen]
        assert app.call is None and not config.agent.id
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app.return_code is not None)
    assert app.return_code == 0


async def test_drafts_are_offered_after_the_sign_in_not_over_it(writable_store, make_app,
                                                                tmp_path):
    connection = Store.open(writable_store).connection()
    drafts.save(connection, "case-note:X1", "case_note", "A1024",
                {"case_id": "X1", "text": "已致电客户"}, datetime(2026, 11, 23, 9, 0))
    # `--agent A1024` on the command line, but no name or staff number yet: asked first.
    config = _first_run(writable_store, AgentSection(id="A1024"))
    config.source = tmp_path / "config.toml"
    app = make_app(writable_store, config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, SignInScreen)
        await wait_for(pilot, lambda: app._settled)
        await app.workers.wait_for_complete()  # the drafts are read in a thread: done by now
        await pilot.pause()
        assert not any(isinstance(shown, RestoreDraftsScreen) for shown in app.screen_stack)
        screen.query_one("#agent-name").value = "李娜"
        screen.query_one("#staff-number").value = "1024"
        await pilot.click("#sign-in-submit")
        await wait_for_screen(pilot, RestoreDraftsScreen)
        assert [type(shown) for shown in app.screen_stack] == [SearchScreen,
                                                               RestoreDraftsScreen]
