"""Sensitive operations in the store: refused without a passed step-up, audited when done; the
demo SMS outbox; flags raised by a locked verification; the recorder saving from threads."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from agent_tui.domain.callflow import CallFlow
from agent_tui.domain.scripts import VerificationPolicy
from agent_tui.domain.verification import StepUp
from agent_tui.store import Store, audit
from agent_tui.store.calls import CallRecorder, events
from agent_tui.store.flags import POSSIBLE_FRAUD, open_flags, raise_flag
from agent_tui.store.operations import OperationRefused, perform
from agent_tui.store.sms_outbox import new_code, outbox_path, send_code
from tests.library_fixture import small_library

T0 = datetime(2026, 11, 23, 10, 0)


def _active_card(connection) -> tuple[str, str]:
    return connection.execute(
        "SELECT id, customer_id FROM accounts WHERE kind = 'debit_card' AND status = 'active' "
        "LIMIT 1").fetchone()


def _status(connection, account_id: str) -> str:
    return connection.execute("SELECT status FROM accounts WHERE id = ?",
                              (account_id,)).fetchone()[0]


def test_freezing_a_card_needs_a_passed_step_up_and_is_audited(connection):
    account_id, customer_id = _active_card(connection)
    common = dict(operation="freeze_card", customer_id=customer_id, agent_id="A1024", at=T0,
                  policy=VerificationPolicy(), verified=True, account_id=account_id)
    step_up = StepUp("freeze_card", "123456", T0)
    for attempt in (None, step_up):
        with pytest.raises(OperationRefused) as refused:
            perform(connection, step_up=attempt, **common)
        assert refused.value.key == "operation.no_step_up"
    assert _status(connection, account_id) == "active"  # nothing changed
    step_up.check("123456", T0 + timedelta(seconds=30))
    perform(connection, step_up=step_up, **common)
    assert _status(connection, account_id) == "frozen"
    actions = [entry.action for entry in audit.entries(connection, customer_id)]
    assert actions[-1] == "operation.freeze_card"
    with pytest.raises(OperationRefused) as refused:  # frozen already: nothing to freeze
        perform(connection, step_up=step_up, **common)
    assert refused.value.key == "operation.wrong_state"


def test_the_one_time_code_goes_to_the_outbox_beside_the_store(tmp_path):
    outbox = outbox_path(tmp_path / "store.db")
    code = new_code()
    assert len(code) == 6 and code.isdigit()
    send_code(outbox, mobile="13812345678", code=code, operation="freeze_card", at=T0)
    assert outbox.name == "sms-outbox.log"
    assert f"to 13812345678\tcode {code}\tfor freeze_card" in outbox.read_text()


def test_a_flag_outlives_the_call_and_is_audited(connection):
    customer_id = connection.execute("SELECT id FROM customers LIMIT 1").fetchone()[0]
    raise_flag(connection, customer_id=customer_id, flag=POSSIBLE_FRAUD, agent_id="A1",
               at=T0, reason="locked\x1b[2J", call_id="call-1")
    (flag,) = open_flags(connection, customer_id)
    assert (flag.flag, flag.reason, flag.call_id) == (POSSIBLE_FRAUD, "locked", "call-1")
    assert audit.entries(connection, customer_id)[-1].action == "flag.possible_fraud"


def test_saves_from_several_threads_write_each_event_once(writable_store):
    store = Store.open(writable_store)
    flow = CallFlow(small_library(), T0)
    recorder = CallRecorder("call-t", "A1")
    barrier = threading.Barrier(4)

    def save_from_a_thread() -> None:
        barrier.wait()
        for second in range(20):
            flow.phrase_used(f"p{threading.get_ident()}", T0 + timedelta(seconds=second))
            recorder.save(store.connection(), flow)

    threads = [threading.Thread(target=save_from_a_thread) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    recorder.save(store.connection(), flow)
    assert len(events(store.connection(), "call-t")) == len(flow.events) == 2 + 80
