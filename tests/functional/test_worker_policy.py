"""One worker policy (agent_tui.app.workers): a failure in any worker reaches the agent as one
translated line saying what did not finish and what was kept, the report goes beside the store,
and the session goes on.

The kinds of worker the workstation runs, by group (``workers.KINDS``): the App's store, quit,
call-draft, case-form, callback-load, callback, sync and sync-status; the screens' search, c360,
c360-hub, c360-page, queue, conflicts, conflicts-settle, case-load, case-attach, case-save,
case-draft, draft, call-facts, call-save, call-audit, verify, step-up, guard-record,
closing-callback and seed. Each gets a planted failure below; a few real workers fail for real.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest

from agent_tui import crash_report
from agent_tui.app import workers
from agent_tui.i18n import Catalog
from screens.search import SearchScreen
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.textual_private import notifications
from screens.widgets.workers import work
from tests.call_driver import a_caller
from tests.screen import wait_for, wait_for_screen

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("en", "zh-CN")
APP_KINDS = {"store", "quit", "call-draft", "case-form", "callback-load", "callback", "sync",
             "sync-status"}


def _groups_in_code() -> set[str]:
    """Every worker group named in the App and the screens."""
    sources = [*(ROOT / "agent_tui" / "app").glob("*.py"), *(ROOT / "screens").rglob("*.py")]
    found: set[str] = set()
    for path in sources:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"""group=["']([\w-]+)["']""", text))
        found |= set(re.findall(r"""run_in_thread\((?:[^"'])*?["']([\w-]+)["']""", text))
    return found


def _expected(language: str, kind: str) -> str:
    catalog = Catalog.load(language)
    return catalog.text("worker.failed", what=catalog.text(f"worker.what.{kind}"),
                        kept=catalog.text(f"worker.kept.{workers.KINDS.get(kind, 'other')}"))


def _notices(app) -> list[str]:
    return [str(notice.message) for notice in notifications(app)]


def test_every_worker_in_the_code_has_a_kind_and_its_words_in_both_languages():
    in_code = _groups_in_code()
    assert {"store", "callback-load", "c360", "call-save"} <= in_code  # the scan finds them
    assert in_code - set(workers.KINDS) == set()
    for language in LANGUAGES:
        catalog = Catalog.load(language)
        for kind in [*workers.KINDS, workers.OTHER]:
            assert f"worker.what.{kind}" in catalog.messages, (language, kind)
        for kept in {*workers.KINDS.values(), workers.OTHER}:
            assert f"worker.kept.{kept}" in catalog.messages, (language, kept)


class Planted(AgentScreen[None]):
    """A screen whose worker fails the way a screen's would: decorated with the screens' work."""

    def __init__(self, group: str) -> None:
        super().__init__()
        self.group = group

    def on_mount(self) -> None:
        work(group=self.group)(Planted.fail)(self)

    def fail(self) -> None:
        raise sqlite3.OperationalError(f"planted failure in {self.group}")


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_failure_in_each_kind_of_worker_is_said_and_the_session_goes_on(
        writable_store, make_app, language):
    app = make_app(writable_store, language)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app._settled)
        for kind in [*workers.KINDS, "no-such-group"]:
            shown = len(notifications(app))
            if kind not in APP_KINDS:
                await app.push_screen(Planted(kind))  # a screen's worker
            else:
                app.run_in_thread(lambda kind=kind: Planted.fail(SimpleNamespace(group=kind)),
                                  kind)  # one of the App's
            await wait_for(pilot, lambda: len(notifications(app)) > shown)
            expected = _expected(language, workers.kind_of(SimpleNamespace(group=kind)))
            assert expected in _notices(app)[-1], kind
            if isinstance(app.screen, Planted):
                app.pop_screen()
        assert app.is_running and app.return_code is None
        reports = list((writable_store.parent / crash_report.FOLDER).glob("crash-*.log"))
        assert len(reports) == len(workers.KINDS) + 1
        assert "planted failure in store" in "".join(path.read_text() for path in reports)
        # Still working: the search answers.
        assert isinstance(app.screen, SearchScreen)


async def test_a_callback_that_fails_to_load_is_said_not_swallowed(
        writable_store, make_app, monkeypatch):
    from agent_tui.store import callbacks

    def fails(connection, callback_id):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(callbacks, "get", fails)
    app = make_app(writable_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app._settled)
        customer_id = a_caller(writable_store).id
        app.start_callback(SimpleNamespace(id="CB-1", customer_id=customer_id))
        await wait_for(pilot, lambda: any(_expected("en", "callback-load") in notice
                                          for notice in _notices(app)))
        assert app.call is None and app.is_running  # no call started on half a callback


async def test_a_store_that_fails_to_open_unexpectedly_is_said(writable_store, make_app,
                                                               monkeypatch):
    from agent_tui.store import Store

    def fails(*args, **kwargs):
        raise OSError("unexpected")

    monkeypatch.setattr(Store, "open", fails)
    app = make_app(writable_store, "zh-CN")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: any(_expected("zh-CN", "store") in notice
                                          for notice in _notices(app)))
        assert app.store is None and app.is_running
        assert app.wait_for_store(timeout=0) is None  # a search waiting for it is not stuck


async def test_a_360_that_fails_to_load_is_said_and_the_search_stays(writable_store, make_app,
                                                                     monkeypatch):
    """What used to end the session with a traceback (an error in the 360's worker)."""
    from agent_tui.store.customers import CustomerRepository
    from screens.customer_360 import Customer360Screen

    def fails(self, customer_id, now, *args, **kwargs):
        raise RuntimeError("a planted fault")

    monkeypatch.setattr(CustomerRepository, "customer_360", fails)
    app = make_app(writable_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app._settled)
        customer_id = a_caller(writable_store).id
        await app.push_screen(Customer360Screen(customer_id))
        await wait_for(pilot, lambda: any(_expected("en", "c360") in notice
                                          for notice in _notices(app)))
        assert app.is_running and app.return_code is None
        await pilot.press("f3")
        await wait_for_screen(pilot, SearchScreen)


async def test_what_is_shown_of_a_customer_changes_on_the_event_loop_only(writable_store,
                                                                           make_app):
    import threading

    from agent_tui.domain.masking import Disclosure, Tier

    app = make_app(writable_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app._settled)
        refused: list[BaseException] = []

        def from_a_thread() -> None:
            try:
                app.set_disclosure("C1", Disclosure(Tier.FULL))
            except RuntimeError as error:
                refused.append(error)

        thread = threading.Thread(target=from_a_thread)
        thread.start()
        thread.join()
        assert refused and app.disclosure_for("C1").tier is Tier.MASKED
        app.set_disclosure("C1", Disclosure(Tier.BASIC))  # on the loop: as ever
        assert app.disclosure_for("C1").tier is Tier.BASIC


async def test_a_kind_failing_again_is_said_once_until_it_succeeds(writable_store, make_app):
    """A worker on a timer failing every time (the store gone) does not fill the screen."""
    from textual.worker import WorkerState

    app = make_app(writable_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app._settled)
        before = len(notifications(app))
        heard: list[WorkerState] = []
        policy = app.worker_policy.changed

        def hearing(host, worker, state) -> None:
            policy(host, worker, state)
            if worker.group == "sync-status":
                heard.append(state)

        app.worker_policy.changed = hearing

        def fail() -> None:
            raise sqlite3.OperationalError("disk I/O error")

        for times in (1, 2, 3):
            app.run_in_thread(fail, "sync-status")
            await wait_for(pilot, lambda times=times: heard.count(WorkerState.ERROR) == times)
        assert len(notifications(app)) == before + 1
        app.run_in_thread(lambda: None, "sync-status")  # it works again
        await wait_for(pilot, lambda: WorkerState.SUCCESS in heard)
        app.run_in_thread(fail, "sync-status")
        await wait_for(pilot, lambda: len(notifications(app)) == before + 2)
