"""The call engine without Textual (agent_tui.call_engine): a call driven from a script, as the
training simulator will, through its stages, verification, notes, its record and its draft, and
back after the process is gone. No App, no screen, and nothing of the UI loaded."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from agent_tui.call_engine import CallController, draft_key
from agent_tui.domain.call_session import Closing
from agent_tui.domain.masking import Tier
from agent_tui.store import Store, calls, drafts
from agent_tui.store.customers import CustomerRepository
from tests.call_driver import a_caller
from tests.conftest import FROZEN_NOW, shipped_library

ROOT = Path(__file__).resolve().parents[2]


class Clock:
    """The engine's clock, moved on by the script: one second a step."""

    def __init__(self) -> None:
        self.now = FROZEN_NOW

    def __call__(self):
        self.now += timedelta(seconds=1)
        return self.now


def _walk_to_closing(engine: CallController) -> None:
    """Tick every required step of each stage, choose the request type, advance: as an agent."""
    call = engine.call
    while call.flow.stage != "closing":
        if call.flow.stage == "handling" and call.flow.request_type is None:
            call.flow.choose_request_type("consultation", engine.clock())
        for step_id in call.flow.open_required():
            call.flow.tick(step_id, engine.clock())
        assert call.flow.advance(engine.clock()) is None, call.flow.stage
    for step_id in call.flow.open_required():
        call.flow.tick(step_id, engine.clock())


@pytest.fixture
def store(writable_store):
    opened = Store.open(writable_store)
    yield opened
    opened.close()


def test_a_call_is_driven_headless_and_comes_back_after_the_process_is_gone(store,
                                                                              writable_store):
    caller = a_caller(writable_store)
    connection = store.connection()
    engine = CallController(shipped_library(), lambda: "A1024", Clock())
    customer = CustomerRepository(connection).customer(caller.id)
    call = engine.start(customer)

    for step_id in call.flow.open_required():  # the greeting
        call.flow.tick(step_id, engine.clock())
    assert call.flow.advance(engine.clock()) is None
    facts = CustomerRepository(connection).verification_facts(caller.id, engine.clock())
    call.start_verification(facts)
    outcome = call.verify({"name": caller.name, "id_last6": caller.id_number[-6:],
                           "mobile": caller.mobile}, engine.clock())
    assert outcome.passed and call.verified
    call.notes_changed("客户咨询信用卡年费", engine.clock())
    saved = engine.save(connection)
    assert saved == len(call.flow.events) == calls.stored_count(connection, call.id)
    engine.write_draft(connection)

    # The process is gone: a new engine finds the call in its draft, as it was left.
    again = CallController(shipped_library(), lambda: "A1024", Clock())
    snapshot = again.interrupted(connection)
    assert snapshot is not None and snapshot.call_id == call.id
    restored, recorder = again.restore(snapshot, connection)
    assert restored.flow.events == call.flow.events and restored.notes == call.notes
    assert recorder.saved == saved  # nothing written twice
    disclosure = again.reprove_verification(connection, restored, hub=None)
    assert disclosure is not None and disclosure.tier is Tier.BASIC and restored.verified
    again.install(restored, recorder)

    _walk_to_closing(again)
    closing = Closing(csat=5, first_contact_resolution=True, wrap_up="CONSULT")
    assert restored.end(closing, again.clock()) is None
    again.save(connection)
    again.discard_draft(connection, restored.id)
    assert again.finish() is restored and again.call is None
    row = connection.execute("SELECT customer_id, verification, ended_at IS NOT NULL, wrap_up "
                             "FROM calls WHERE id = ?", (restored.id,)).fetchone()
    assert row == (caller.id, "passed", 1, "CONSULT")
    assert all(draft.key != draft_key(restored.id)
               for draft in drafts.pending(connection, "A1024"))


def test_one_call_at_a_time_and_an_unknown_caller_is_attached_once(store, writable_store):
    caller = a_caller(writable_store)
    connection = store.connection()
    engine = CallController(shipped_library(), lambda: "A1024", Clock())
    call = engine.start(None)
    with pytest.raises(AssertionError):
        engine.start(None)
    customer = CustomerRepository(connection).customer(caller.id)
    assert engine.attach(customer) and call.customer_id == caller.id
    assert not engine.attach(customer)  # the call is theirs already
    assert engine.interrupted(connection) is None  # no draft written: nothing to offer back


def test_the_engine_loads_no_ui():
    """The simulator imports the engine in a process with no terminal: no Textual, no Rich."""
    code = ("import sys, agent_tui.call_engine; print(sorted({m.split('.')[0] for m in "
            "sys.modules} & {'textual', 'rich', 'screens'}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
