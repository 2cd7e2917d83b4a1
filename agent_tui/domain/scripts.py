"""The scripts library as the rules see it: stages, procedures, phrases, verification policy.

Loaded and validated from TOML by ``agent_tui.library``; here only the values and the lookups the
call flow needs. Every text carries both languages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import msgspec

from agent_tui.domain.escalation import EscalationRule
from agent_tui.domain.localized import Localized
from agent_tui.domain.sla import SlaPolicy
from agent_tui.domain.text import sanitize

STAGE_ORDER = ("greeting", "verification", "handling", "closing")
SEGMENTS = ("any", "vip", "elderly", "disabled")
VARIABLES = frozenset(
    {"greeting", "bank_name", "agent_name", "staff_number", "customer_title", "case_number",
     "due_time", "summary"}
)
VERIFICATION_FACTORS = ("name", "id_last6", "mobile", "birth_date", "recent_amount")
_VARIABLE = re.compile(r"\{([^{}]*)\}")


class Step(msgspec.Struct, frozen=True):
    id: str
    required: bool
    text: Localized
    phrases: tuple[str, ...] = ()  # phrase ids suggested first for this step


class Stage(msgspec.Struct, frozen=True):
    id: str
    name: Localized
    steps: tuple[Step, ...]


class Procedure(msgspec.Struct, frozen=True):
    id: str
    name: Localized
    steps: tuple[Step, ...]


class Phrase(msgspec.Struct, frozen=True):
    id: str
    stage: str
    step: str
    segment: str
    text: Localized

    def render(self, language: str, values: Mapping[str, str]) -> str:
        """The phrase with its variables filled; a variable without a value stays visible.
        Cleaned: F8 puts it into the notes, and the values come from outside (the customer's
        name, the config's agent and bank)."""
        filled = _VARIABLE.sub(lambda match: values.get(match[1], match[0]), self.text(language))
        return sanitize(filled, multiline=True)


class VerificationPolicy(msgspec.Struct, frozen=True):
    required: tuple[str, ...] = ("name",)
    any_of: tuple[str, ...] = ("id_last6", "mobile", "birth_date", "recent_amount")
    need: int = 2
    max_attempts: int = 3
    step_up_operations: tuple[str, ...] = (
        "freeze_card", "unfreeze_card", "reset_password", "change_limit", "large_transfer",
    )


def variables_in(text: str) -> list[str]:
    return _VARIABLE.findall(text)


class ScriptsLibrary(msgspec.Struct, frozen=True):
    stages: tuple[Stage, ...]
    procedures: tuple[Procedure, ...]
    phrases: tuple[Phrase, ...]
    verification: VerificationPolicy
    # The forbidden-phrase rules and allowed words, as agent_tui.domain.phrasing takes them.
    forbidden: tuple[object, ...] = ()
    allowed: Mapping[str, tuple[str, ...]] = msgspec.field(default_factory=dict)
    # Cases: SLA targets and calendar, escalation rules, and how far back an open case of the
    # same category is offered for attaching instead of opening another.
    sla: SlaPolicy = SlaPolicy()
    escalation: tuple[EscalationRule, ...] = ()
    attach_window_days: int = 7

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(f"no stage {stage_id!r} in the scripts library")

    def procedure(self, procedure_id: str) -> Procedure:
        for procedure in self.procedures:
            if procedure.id == procedure_id:
                return procedure
        raise KeyError(f"no request type {procedure_id!r} in the scripts library")

    def phrases_for(self, stage: str, step: str | None, segments: set[str]) -> list[Phrase]:
        """Approved phrases for this moment: the step's own first, then the stage's; a segment
        variant (elderly, VIP) before the general one."""
        wanted = {"any", *segments}
        candidates = [
            phrase for phrase in self.phrases
            if phrase.stage == stage and phrase.segment in wanted
            and (not phrase.step or phrase.step == step)
        ]
        return sorted(
            candidates,
            key=lambda phrase: (phrase.step != step, phrase.segment == "any"),
        )
