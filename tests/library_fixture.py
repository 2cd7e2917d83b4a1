"""A small scripts library built in code, for rules tests that must not depend on the content."""

from __future__ import annotations

from agent_tui.domain.scripts import (
    Localized,
    Phrase,
    Procedure,
    ScriptsLibrary,
    Stage,
    Step,
    VerificationPolicy,
)


def _text(zh: str, en: str) -> Localized:
    return Localized(zh=zh, en=en)


def _step(step_id: str, required: bool = True) -> Step:
    return Step(step_id, required, _text(step_id, step_id))


def small_library() -> ScriptsLibrary:
    stages = (
        Stage("greeting", _text("开场", "Greeting"), (_step("greeting.greet"),)),
        Stage("verification", _text("身份验证", "Verification"), (_step("verification.ask"),)),
        Stage("handling", _text("问题处理", "Handling"), (_step("handling.listen", False),)),
        Stage("closing", _text("结束", "Closing"),
              (_step("closing.summarise"), _step("closing.thank"))),
    )
    procedures = (
        Procedure("complaint", _text("投诉", "Complaint"), (
            _step("complaint.hear"), _step("complaint.empathize", False),
            _step("complaint.apologize"), _step("complaint.resolve"), _step("complaint.thank"),
        )),
        Procedure("consultation", _text("咨询", "Consultation"), (
            _step("consultation.listen"), _step("consultation.answer"),
        )),
    )
    phrases = (
        Phrase("greeting.standard", "greeting", "greeting.greet", "any",
               _text("{greeting}，工号{staff_number}", "{greeting}, staff number {staff_number}")),
        Phrase("greeting.elderly", "greeting", "greeting.greet", "elderly",
               _text("{greeting}，我会说得慢一些", "{greeting}, I will speak slowly")),
        Phrase("greeting.any_step", "greeting", "", "any", _text("您好", "Hello")),
    )
    return ScriptsLibrary(stages, procedures, phrases, VerificationPolicy())
