"""The call flow: stages in order, required steps, verification gate, overrides, events."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from agent_tui.domain.callflow import CallFlow, EventKind
from tests.library_fixture import small_library

T0 = datetime(2026, 11, 23, 10, 0)


def _at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_a_stage_with_a_required_step_open_refuses_with_the_step():
    flow = CallFlow(small_library(), T0)
    refusal = flow.advance(_at(5))
    assert refusal is not None and refusal.reason_key == "flow.steps_open"
    assert refusal.open_steps == ("greeting.greet",)
    assert flow.stage == "greeting"
    flow.tick("greeting.greet", _at(6))
    assert flow.advance(_at(7)) is None
    assert flow.stage == "verification"


def test_verification_cannot_be_skipped_by_ticking_boxes():
    flow = CallFlow(small_library(), T0)
    flow.tick("greeting.greet", _at(1))
    flow.advance(_at(2))
    flow.tick("verification.ask", _at(3))
    refusal = flow.advance(_at(4))
    assert refusal is not None and refusal.reason_key == "flow.not_verified"
    flow.record_verification("failed", _at(5), factors="mobile")
    assert flow.advance(_at(6)).reason_key == "flow.not_verified"
    flow.record_verification("passed", _at(7))
    assert flow.advance(_at(8)) is None and flow.stage == "handling"


@pytest.mark.parametrize("status", ["locked", "third_party"])
def test_a_locked_or_third_party_verification_lets_the_call_go_on(status):
    flow = CallFlow(small_library(), T0)
    flow.tick("greeting.greet", _at(1))
    flow.advance(_at(2))
    flow.tick("verification.ask", _at(3))
    flow.record_verification(status, _at(4))
    assert flow.advance(_at(5)) is None


def _to_handling(flow: CallFlow) -> None:
    flow.tick("greeting.greet", _at(1))
    flow.advance(_at(2))
    flow.tick("verification.ask", _at(3))
    flow.record_verification("passed", _at(4))
    flow.advance(_at(5))


def test_handling_needs_a_request_type_and_takes_its_procedure_as_checklist():
    flow = CallFlow(small_library(), T0)
    _to_handling(flow)
    assert flow.advance(_at(10)).reason_key == "flow.no_request_type"
    flow.choose_request_type("complaint", _at(11))
    ids = [step.id for step in flow.checklist()]
    assert ids == ["complaint.hear", "complaint.empathize", "complaint.apologize",
                   "complaint.resolve", "complaint.thank", "handling.listen"]
    assert flow.open_required() == ("complaint.hear", "complaint.apologize",
                                    "complaint.resolve", "complaint.thank")
    with pytest.raises(KeyError):
        flow.choose_request_type("lottery", _at(12))


def test_an_override_needs_a_reason_and_is_recorded_with_what_was_open():
    flow = CallFlow(small_library(), T0)
    assert flow.advance(_at(3), override_reason="   ") is not None
    assert flow.advance(_at(4), override_reason="caller in a hurry") is None
    [override] = [event for event in flow.events if event.kind is EventKind.OVERRIDE]
    assert override.detail == {"reason": "caller in a hurry", "refused": "flow.steps_open",
                               "open_steps": "greeting.greet"}
    assert override.stage == "greeting" and override.at == _at(4)


def test_a_whole_complaint_call_leaves_an_adherence_record():
    flow = CallFlow(small_library(), T0, customer_id="C1")
    _to_handling(flow)
    flow.choose_request_type("complaint", _at(20))
    for second, step in enumerate(("complaint.hear", "complaint.apologize", "complaint.resolve",
                                   "complaint.thank"), start=21):
        flow.tick(step, _at(second))
    flow.phrase_used("complaint.empathize.1", _at(30))
    flow.forbidden_caught("dont_know", "不知道", _at(31))
    assert flow.advance(_at(40)) is None and flow.stage == "closing"
    assert flow.advance(_at(41)).reason_key == "flow.last_stage"
    flow.tick("closing.summarise", _at(50))
    flow.tick("closing.thank", _at(51))
    flow.end(_at(60))
    kinds = [event.kind for event in flow.events]
    assert kinds[:2] == [EventKind.CALL_STARTED, EventKind.STAGE_ENTERED]
    assert kinds[-1] is EventKind.CALL_ENDED
    assert [event.stage for event in flow.events if event.kind is EventKind.STAGE_ENTERED] == [
        "greeting", "verification", "handling", "closing"]
    assert flow.count(EventKind.PHRASE_USED) == 1 and flow.count(EventKind.FORBIDDEN_CAUGHT) == 1
    assert [event.at for event in flow.events] == sorted(event.at for event in flow.events)
    assert flow.elapsed(_at(999)) == timedelta(seconds=60)


def test_ticking_a_step_of_another_stage_is_refused():
    flow = CallFlow(small_library(), T0)
    with pytest.raises(ValueError):
        flow.tick("closing.thank", _at(1))


def test_the_aht_target_is_watched():
    flow = CallFlow(small_library(), T0)
    assert not flow.over_target(_at(299))
    assert flow.over_target(_at(301))


def test_phrases_for_a_moment_put_the_segment_and_step_first():
    library = small_library()
    ids = [phrase.id for phrase in library.phrases_for("greeting", "greeting.greet", {"elderly"})]
    assert ids == ["greeting.elderly", "greeting.standard", "greeting.any_step"]
    standard = library.phrases_for("greeting", "greeting.greet", set())
    assert "greeting.elderly" not in [phrase.id for phrase in standard]
    assert standard[0].render("zh-CN", {"greeting": "上午好", "staff_number": "1024"}) == (
        "上午好，工号1024")
    assert standard[0].render("en", {"greeting": "Good morning"}) == (
        "Good morning, staff number {staff_number}")
