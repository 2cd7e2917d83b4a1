"""The call in progress, pure: phrase values, the closing summary, counting catches, verification
ticking its steps, third parties, step-up and the rule that refuses an operation without it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from agent_tui.domain.call_session import CallSession, CaseLink, Closing
from agent_tui.domain.callflow import EventKind
from agent_tui.domain.models import Customer, Segment
from agent_tui.domain.operations import refusal
from agent_tui.domain.phrase_values import customer_title, fillable, greeting_for, phrase_values
from agent_tui.domain.phrasing import ForbiddenRule, PhraseGuard, new_catches
from agent_tui.domain.scripts import Localized, Phrase, VerificationPolicy
from agent_tui.domain.verification import Facts, StepUp, StepUpResult
from tests.library_fixture import small_library

T0 = datetime(2026, 11, 23, 10, 0)
FACTS = Facts("张三明", "11010519491231002X", "13812345678", date(1949, 12, 31), (123450,))
GUARD = PhraseGuard(
    [ForbiddenRule("dont_know", "zh-CN", ("不知道",), "我来为您查询", "推诿", "refusal")],
    {"zh-CN": ("不知道的话",)},
)
CUSTOMER = Customer("C1", "张三明", "M", date(1949, 12, 31), "11010519491231002X", "13812345678",
                    Segment.VIP, True, False, 3, "北京", "退休", date(2001, 1, 1), "北京分行")


def _at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def _session(customer: Customer | None = CUSTOMER) -> CallSession:
    return CallSession("call-1", small_library(), GUARD, T0, customer)


@pytest.mark.parametrize(("hour", "zh", "en"), [
    (3, "晚上好", "Good evening"), (7, "早上好", "Good morning"), (10, "上午好", "Good morning"),
    (12, "中午好", "Good afternoon"), (15, "下午好", "Good afternoon"),
    (19, "晚上好", "Good evening"),
])
def test_the_greeting_follows_the_time_of_day(hour, zh, en):
    at = T0.replace(hour=hour)
    assert (greeting_for(at, "zh-CN"), greeting_for(at, "en")) == (zh, en)


def test_the_customer_is_addressed_by_surname_and_title():
    assert customer_title("张三明", "M", "zh-CN") == "张先生"
    assert customer_title("欧阳明月", "F", "zh-CN") == "欧阳女士"
    assert customer_title("欧阳明月", "F", "en") == "madam"
    assert customer_title("", "", "zh-CN") == "尊敬的客户"


def test_a_phrase_needing_a_value_not_there_is_not_offered():
    values = phrase_values(at=T0, language="en", bank_name="XX Bank", agent_name="Li",
                           staff_number="1024")
    case = Phrase("p", "closing", "", "any", Localized("编号{case_number}", "ref {case_number}"))
    plain = Phrase("q", "greeting", "", "any", Localized("{greeting}", "{greeting}, {bank_name}"))
    assert not fillable(case, "en", values)
    assert fillable(plain, "en", values) and plain.render("en", values) == "Good morning, XX Bank"


def test_a_phrase_filled_from_outside_carries_nothing_a_terminal_would_obey(hostile_strings):
    """F8 puts the phrase into the notes: the customer's name, the agent's and the bank's come
    from the store and the config, and the phrase itself from the scripts library."""
    phrase = Phrase("p", "greeting", "", "any", Localized(
        "{greeting}，{bank_name}，{agent_name}为您服务，{customer_title}\x1b]0;t\x07",
        "{greeting}, {bank_name}, {agent_name} here, {customer_title}\x9b31m"))
    for entry in hostile_strings:
        text = entry["text"]
        for language in ("zh-CN", "en"):
            values = phrase_values(at=T0, language=language, bank_name=text, agent_name=text,
                                   staff_number="1024", customer_name=text + "明",
                                   customer_gender="M")
            rendered = phrase.render(language, values)
            assert not [char for char in rendered if char in "\x1b\x9b\x00\x07\x7f\u202e\u2067"
                        or (char < " " and char != "\n")], (entry["what"], language)


def test_catches_are_counted_once_however_the_text_moves():
    first = GUARD.check("不知道")
    assert len(new_catches([], first)) == 1
    assert new_catches(first, GUARD.check("客户说不知道")) == []  # typed before it: same catch
    assert len(new_catches(first, GUARD.check("不知道，不知道"))) == 1  # typed again: a new one


def test_the_notes_count_what_the_guard_catches_on_the_call():
    call = _session()
    for at, text in enumerate(("客", "客户不", "客户不知道", "客户不知道。", "客户不知道的话")):
        call.notes_changed(text, _at(at))
    assert call.flow.count(EventKind.FORBIDDEN_CAUGHT) == 1
    assert call.hits == []  # the allowed longer word hides it


def test_passing_verification_ticks_its_steps_and_a_failure_is_recorded():
    call = _session()
    call.flow.tick("greeting.greet", _at(1))
    call.flow.advance(_at(2))
    call.start_verification(FACTS)
    assert call.verify({"name": "张三明"}, _at(3)).missing  # not an attempt yet
    assert call.verify({"name": "张三明", "mobile": "13800000000", "id_last6": "31002x"},
                       _at(4)).failed_factors == ("mobile",)
    assert call.verify({"name": "张三明", "mobile": "138 1234 5678", "id_last6": "31002x"},
                       _at(5)).passed
    assert call.verified
    statuses = [event.detail["status"] for event in call.flow.events
                if event.kind is EventKind.VERIFICATION]
    assert statuses == ["failed", "passed"]
    # This library's step is not one the form does (VERIFICATION_STEPS): the agent ticks it.
    assert call.flow.open_required() == ("verification.ask",)
    call.flow.tick("verification.ask", _at(6))
    assert call.flow.advance(_at(7)) is None


def test_a_third_party_is_recorded_and_stays_unverified():
    call = _session()
    call.start_verification(FACTS)
    call.third_party("李四", "son", _at(1))
    assert not call.verified and call.flow.verification_status == "third_party"
    call.third_party("王五", "friend", _at(2))  # recorded once
    assert call.flow.count(EventKind.VERIFICATION) == 1


def test_an_operation_is_refused_without_verification_or_a_passed_step_up():
    policy = VerificationPolicy()
    step_up = StepUp("freeze_card", "123456", T0)
    assert refusal("freeze_card", policy, False, None) == "operation.not_verified"
    assert refusal("freeze_card", policy, True, None) == "operation.no_step_up"
    assert refusal("freeze_card", policy, True, step_up) == "operation.no_step_up"
    step_up.check("123456", _at(1))
    assert refusal("freeze_card", policy, True, step_up) is None
    assert refusal("reset_password", policy, True, step_up) == "operation.no_step_up"
    assert refusal("launch_rocket", policy, True, step_up) == "operation.unknown"


def test_a_step_up_and_its_operation_are_events_of_the_call():
    call = _session()
    call.send_step_up("freeze_card", "654321", _at(1))
    assert call.check_step_up("111111", _at(2)) is StepUpResult.WRONG
    assert call.check_step_up("654321", _at(3)) is StepUpResult.PASSED
    call.operation_done("freeze_card", _at(4), account_id="A1")
    results = [event.detail["result"] for event in call.flow.events
               if event.kind is EventKind.STEP_UP]
    assert results == ["sent", "wrong", "passed"]
    assert call.step_up is None and call.operations == ["freeze_card"]


def test_the_summary_says_what_was_asked_and_done():
    call = _session()
    for _ in range(2):
        call.flow.tick(call.flow.open_required()[0], _at(1)) if call.flow.open_required() else None
        call.flow.advance(_at(2), override_reason="test")
    call.flow.choose_request_type("complaint", _at(3))
    call.notes_changed("ATM吞卡。已为客户登记并安排网点取卡。", _at(4))
    call.operations.append("freeze_card")
    call.case = CaseLink("case-1", "C2026-0001", "11-25 18:00")  # the case this call opened
    summary = call.summary()
    assert summary.sentence("zh-CN") == (
        "投诉：ATM吞卡；已冻结银行卡；已为客户登记并安排网点取卡；编号C2026-0001，11-25 18:00前答复")
    assert summary.sentence("en").startswith("Complaint: ATM吞卡; card frozen; ")


def test_ending_with_a_required_step_open_needs_a_reason():
    call = _session()
    assert call.end(Closing(wrap_up="caller_hung_up"), _at(5)).reason_key == "flow.steps_open"
    assert call.flow.ended_at is None
    assert call.end(Closing(wrap_up="caller_hung_up"), _at(6), "caller hung up") is None
    assert call.flow.events[-2].kind is EventKind.OVERRIDE
    assert call.closing.wrap_up == "caller_hung_up"


def test_the_summary_leaves_out_the_phrases_read_from_the_library():
    call = _session()
    greeting = call.library.phrases[0]
    call.phrase_used(greeting, _at(1), "上午好，工号1024")
    call.notes_changed("上午好，工号1024\n客户咨询信用卡年费。已告知免年费条件。", _at(2))
    assert call.summary().asked == "客户咨询信用卡年费"
    assert call.summary().done == ("已告知免年费条件",)


def test_a_call_restored_from_its_draft_is_the_call_it_was():
    import msgspec

    from agent_tui.domain.call_session import CallSnapshot

    session = _session()
    session.flow.tick("greeting.greet", _at(5))
    session.flow.advance(_at(6))
    session.start_verification(FACTS)
    session.verify({"name": "张三明", "id_last6": "000000", "mobile": "13800000000"}, _at(10))
    session.notes_changed("客户说不知道怎么转账", _at(12))
    session.operations.append("freeze_card")
    # Through the store: JSON and back, as the draft is written and read.
    stored = msgspec.json.decode(msgspec.json.encode(msgspec.to_builtins(session.snapshot())))
    restored = CallSession.restore(msgspec.convert(stored, CallSnapshot), small_library(), GUARD,
                                   CUSTOMER)
    assert restored.flow.stage == session.flow.stage == "verification"
    assert restored.flow.ticked == session.flow.ticked
    assert restored.flow.events == session.flow.events
    assert (restored.notes, restored.operations) == (session.notes, ["freeze_card"])
    assert restored.hits == session.hits
    # The catch was counted before the restart and is not counted again.
    restored.notes_changed(restored.notes + "。", _at(20))
    assert restored.flow.count(EventKind.FORBIDDEN_CAUGHT) == 1
    # A failed attempt still counts towards the lock: a restart is no way round it.
    assert restored.start_verification(FACTS).failures == 1
