"""The hostile corpus in every text and code column of the store, the config and the scripts
library, written behind the app's back; the real `agent-tui` at 80x24 in a pseudo-terminal walks
every screen and dialog in each language; and every byte it wrote is checked: no escape sequence
but Textual's own, no C1 control, NUL, DEL or bidi control, and no crash.

One process per language walks everything (tests/hostile_store.py spreads the corpus across rows,
so each string is in each column somewhere, and lists pass under the cursor row by row). Each step
waits for what the next screen draws (a translated marker), never for a fixed time.
"""

from __future__ import annotations

import codecs
import os
import sqlite3
import sys
import time
from pathlib import Path

import msgspec
import pytest

pytest.importorskip("ptyprocess")

from agent_tui.i18n import Catalog  # noqa: E402
from scripts_library import LIBRARY_DIR  # noqa: E402
from tests import hostile_store  # noqa: E402
from tests.conftest import FROZEN_NOW, shipped_library  # noqa: E402
from tests.pty_terminal import Terminal  # noqa: E402
from tests.terminal_bytes import foreign_sequences  # noqa: E402

KEYS = {"f1": "\x1bOP", "f2": "\x1bOQ", "f3": "\x1bOR", "f4": "\x1bOS", "f6": "\x1b[17~",
        "f7": "\x1b[18~", "f8": "\x1b[19~", "f9": "\x1b[20~", "f10": "\x1b[21~", "f11": "\x1b[23~",
        "f12": "\x1b[24~", "ctrl+n": "\x0e", "ctrl+q": "\x11", "ctrl+w": "\x17", "tab": "\t",
        "shift+tab": "\x1b[Z", "enter": "\r", "down": "\x1b[B", "right": "\x1b[C",
        "shift+f4": "\x1b[1;2S", "shift+f6": "\x1b[17;2~", "home": "\x1b[H", "ctrl+home": "\x1b[1;5H", "delete": "\x1b[3~"}


def _marker(catalog: Catalog, key: str, length: int = 8) -> str:
    """The start of a message, before its first value: drawn in one run, so findable. A
    message that starts with a value is known by its end."""
    message = catalog.messages[key]
    start, end = message.split("{")[0].strip(), message.rsplit("}", 1)[-1].strip(" ,:：")
    return (end if len(end) > len(start) < 6 else start)[:length]  # "Case {n}: what next?"


class Walk:
    """Keys in, and wait until the screen they lead to has been drawn."""

    def __init__(self, terminal: Terminal, catalog: Catalog) -> None:
        self.terminal, self.catalog = terminal, catalog
        self.mark = 0

    def press(self, *keys: str) -> None:
        self.terminal.drain()  # what the last screen drew is not taken for the next one
        self.mark = len(self.terminal.output)
        for key in keys:
            self.terminal.send(KEYS.get(key, key))

    def see(self, text: str, timeout: float = 30.0) -> None:
        self.terminal.read_until(text, timeout, since=self.mark)
        self.mark = len(self.terminal.output)

    def see_any(self, *texts: str, timeout: float = 30.0) -> None:
        self.until(lambda: any(self.terminal.output.find(text, self.mark) != -1
                               for text in texts), f"one of {texts!r}", timeout)

    def see_key(self, key: str, length: int = 8) -> None:
        self.see(_marker(self.catalog, key, length))

    def until(self, condition, what: str, timeout: float = 30.0) -> None:
        """Until ``condition()`` holds, reading what the program writes meanwhile."""
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, f"{what}: not within {timeout} s"
            self.terminal.settle(0.05)
        self.mark = len(self.terminal.output)

    def through(self, rows: int) -> None:
        """Down a list row by row, reading the output between keys, so each row is drawn as
        the cursor passes (the next ``see`` waits for whatever comes after)."""
        for _ in range(rows):
            self.press("down")
            self.terminal.settle(0.02)


def _snapshot() -> dict:
    """A call the workstation was killed in: offered back at start, with the corpus as notes."""
    from agent_tui.domain.call_session import CallSession
    from agent_tui.domain.phrasing import PhraseGuard

    library = shipped_library()
    call = CallSession("H-DRAFT", library, PhraseGuard(library.forbidden, library.allowed),
                       FROZEN_NOW)
    return {**msgspec.to_builtins(call.snapshot()), "customer_id": hostile_store.CALLER_ID}


@pytest.fixture
def hostile_workstation(writable_store, tmp_path, hostile_strings):
    corpus = [entry["text"] for entry in hostile_strings]
    uncovered = hostile_store.write_store(writable_store, corpus, _snapshot())
    assert uncovered == [], "text columns the corpus does not reach, and no reason why"
    library = tmp_path / "library"
    hostile_store.write_library(LIBRARY_DIR, library, corpus)

    def configure(language: str) -> Path:
        config = tmp_path / f"config-{language}.toml"
        hostile_store.write_config(config, writable_store, library, language, corpus)
        return config

    return writable_store, configure


def _verification(store: Path) -> str | None:
    """How the caller's verification went, as the call workspace saved it."""
    connection = sqlite3.connect(store)
    try:
        row = connection.execute(
            "SELECT verification FROM calls WHERE customer_id = ? AND verification = 'passed'",
            (hostile_store.CALLER_ID,)).fetchone()
    finally:
        connection.close()
    return row[0] if row else None


def _dropped(store: Path) -> int:
    connection = sqlite3.connect(store)
    try:
        return connection.execute("SELECT count(*) FROM sync_conflicts WHERE resolution = "
                                  "'dropped'").fetchone()[0]
    finally:
        connection.close()


def _walk(walk: Walk, store: Path) -> None:
    t = walk.catalog.text
    # At start: the interrupted call (its notes previewed), left; the drafts typed before the
    # workstation ended, the case note reopened in its case.
    walk.see_key("restore_call.title")
    walk.press("tab", "enter")
    walk.see_key("restore_drafts.title")
    walk.press("enter")
    walk.see_key("case.escalated_to", 12)  # the case screen, loaded: its head, notes, the note box
    walk.press("f7")
    walk.see_key("case_action.title")
    walk.through(3)
    walk.press("f3")
    walk.see_key("case.new_note")
    walk.press("f3")

    # The search, every hostile customer under the cursor; the caller's 360, masked.
    walk.press(*hostile_store.MOBILE)
    walk.see(t("search.found", count=39, kind=t("search.kind.mobile"))[:6])
    walk.press("down")
    walk.through(40)
    walk.press("ctrl+home", "enter")  # the caller: first of them
    walk.see_key("c360.tier.masked")  # loaded

    # A call with them: the library's phrases with the names filled in, a forbidden word
    # replaced; verification passes on the clean answers; the step-up, offline, gives the emergency route.
    walk.press("ctrl+n")
    walk.see_key("call.phrases")
    walk.press("f8")  # the highlighted phrase, with the customer's and the agent's names
    walk.press("tab", "tab", *"不知道")  # in the notes, after the checklist and the phrases
    walk.see("我来为您查询")  # the guard line: the library's replacement and reason
    walk.press("f8")
    walk.press("f7")
    walk.see_key("verify.title")
    walk.press(*hostile_store.CALLER_NAME_TYPED, "tab", *hostile_store.ID_NUMBER[-6:], "tab",
               *hostile_store.MOBILE, "enter")
    walk.until(lambda: _verification(store) == "passed", "verification")
    walk.press("f12")
    walk.see_key("step_up.title")
    walk.through(2)
    walk.press("home", "enter")  # freeze the active card, whose number ends in ESC [ 2 J
    # The hub is configured and cannot be reached: only it sends codes, so the freeze is refused
    # and the agent reads the library's emergency route (hostile text too) to the caller.
    walk.see_key("identity.offline_operation")
    walk.see_key("step_up.emergency", 4)
    walk.press("escape")

    # The 360 again, shown to the verified tier (the full one needs the hub's step-up): every
    # row of every tab under the cursor.
    walk.press("f2")
    walk.see_key("search.col_name", 4)
    walk.press("down", "ctrl+home", "enter")
    walk.see_key("c360.tier.basic")
    tabs = ("accounts", "transactions", "history", "cases")
    for before, (tab, column) in zip(tabs, (("transactions", "at"), ("history", "channel"),
                                             ("cases", "number")), strict=False):
        walk.through(42)
        walk.press("shift+tab")  # to the tabs: their labels redrawn as they take the focus
        walk.see_key(f"c360.tab.{before}", 4)
        walk.press("right")
        walk.see_key(f"c360.{tab}.{column}", 4)
        walk.press("tab")
    walk.through(42)
    walk.press("shift+f6")  # the products, as a terminal sends shift+F6: the assessment drawn
    walk.see_key("products.col_verdict", 6)
    walk.through(10)
    walk.press("f3")
    walk.see_key("c360.tier.basic")
    walk.press("f11")  # a case for the caller: their open consultation is offered instead
    walk.see_key("case_form.attach")
    walk.press("f3")

    # The call: past each stage's refusal (the library's step texts), the request types, the
    # closing summary.
    walk.press("ctrl+n")
    walk.see_key("call.phrases")
    walk.press("f6")  # the greeting's steps are open: a reason is asked
    walk.see_key("override.title")
    walk.press(*"test", "enter")
    walk.see("\u00bb " + t("stage.verification"))  # the stage bar
    walk.press("f6")  # verified: on to handling, which asks for the request type
    walk.see_key("request_type.title")
    walk.through(6)
    walk.press("enter")
    walk.see("\u00bb " + t("stage.handling"))
    walk.press("f6")
    walk.see_key("override.title")
    walk.press(*"test", "enter")
    walk.see("\u00bb " + t("stage.closing"))
    walk.press("f7")
    walk.see_key("closing.title")
    walk.press("f3")

    # The queue, every case and callback; a case and its escalation form with the rules'
    # suggestion; a callback's form.
    walk.press("f4")
    walk.see_key("queue.count")
    walk.through(50)
    walk.press("ctrl+home", "enter")  # HK00, the case due first
    # The case's head, drawn once it has loaded ("escalated to", which the queue never shows):
    # "HK00" alone is in the queue's rows too, and F7 pressed before the case loads opens nothing.
    walk.see_key("case.escalated_to", 12)
    walk.press("f7")
    walk.see_key("case_action.title")
    walk.press("home", *["down"] * 3, "enter")  # after the three statuses: escalate
    walk.see_key("case_action.reason")  # the form, with the rules' suggested target and reason
    walk.press("f3", "f7")
    walk.see_key("case_action.title")
    walk.press("home", *["down"] * 4, "enter")  # a callback, in its own form
    walk.see_key("callback_form.title", 6)
    walk.press("f3", "f3")
    walk.see_key("case.new_note")
    walk.press("f3")
    walk.see_key("queue.count")

    # The agent's QA reviews (shift+F4, as a terminal sends it): every comment and answer hostile.
    walk.press("shift+f4")
    walk.see_key("qa_view.count")
    walk.through(40)
    walk.press("f3")
    walk.see_key("queue.count")

    # The knowledge base (F9): the hub's hostile articles found and listed, one read.
    walk.press("f9")
    walk.see_any(_marker(walk.catalog, "kb.suggested", 6), _marker(walk.catalog, "kb.empty_query", 6))
    walk.press(*hostile_store.KB_WORD)
    walk.see_key("kb.results")
    walk.press("enter", "enter")  # to the list, then open the first
    walk.see_key("kb.helpful_key", 3)
    walk.press("f3", "f3")
    walk.see_key("queue.count")

    # What the hub refused (counted once the offline sync has run), redone, dropped.
    walk.press("ctrl+w")
    walk.see_key("conflicts.title")
    walk.through(40)
    walk.press("delete")
    walk.until(lambda: _dropped(store) == 1, "the drop")
    walk.press("f7")  # redo (queued again as it was; or refused, if the list was not re-read)
    walk.see_any(_marker(walk.catalog, "conflicts.redone"),
                 _marker(walk.catalog, "conflicts.cannot_redo"))
    walk.press("f1")
    walk.see_key("help.title")
    walk.press("f1", "f10")
    walk.see_key("palette.placeholder", 4)
    walk.press("f3", "ctrl+q")
    walk.see_key("quit_call.title")
    walk.press("f3")
    walk.see_key("conflicts.title")


@pytest.mark.slow
@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_no_hostile_string_reaches_the_terminal_on_any_screen(hostile_workstation, tmp_path,
                                                              language):
    store, configure = hostile_workstation
    env = {**os.environ, "TERM": "xterm-256color", "AGENT_TUI_CONFIG": str(configure(language)),
           "COLUMNS": "80", "LINES": "24", "HOME": str(tmp_path)}
    env.pop("COLORTERM", None)
    agent_tui = str(Path(sys.executable).with_name("agent-tui"))
    terminal = Terminal([agent_tui, "run", "--no-mouse"], env)
    catalog = Catalog.load(language)
    walk = Walk(terminal, catalog)
    walk_failed: AssertionError | None = None
    try:
        _walk(walk, store)
        assert terminal.process.isalive(), "the workstation ended during the walk"
    except AssertionError as failed:  # what it wrote until then is checked first
        walk_failed = failed
    finally:
        terminal.close()
        if os.environ.get("WALK_DUMP"):  # to look at what a failed walk saw
            Path(os.environ["WALK_DUMP"]).write_text(terminal.output, encoding="utf-8")
    output = terminal.output
    assert foreign_sequences(output) == []
    # Strict: nothing but UTF-8 was written; only a character cut by the test closing the
    # terminal mid-write may be incomplete at the very end (final=False allows that alone).
    codecs.getincrementaldecoder("utf-8")().decode(terminal.raw, final=False)
    assert catalog.messages["app.crash"].split("{")[0] not in output
    assert not (store.parent / "crash-reports").exists()
    if walk_failed is not None:
        raise walk_failed
    # Text no one cleans (the restored note, in a TextArea) was drawn with a picture of its ESC.
    assert "\u241b]52;c;" in output
