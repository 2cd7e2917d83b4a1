"""The scripts library as the rules see it: stages, procedures, phrases, verification policy.

Loaded and validated from TOML by ``agent_tui.library``; here only the values and the lookups the
call flow needs. Every text carries both languages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import msgspec

from agent_tui.domain.escalation import EscalationGroup, EscalationRule
from agent_tui.domain.kb import Article
from agent_tui.domain.kpi import KpiTarget
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
    # What the agent tells a caller when a sensitive operation cannot be done (the hub cannot
    # be reached to send and check the one-time code): the route that works without us.
    offline_emergency: Localized = Localized(
        "系统暂时无法办理此业务。如需紧急挂失，请您拨打本行24小时客服热线，或通过手机银行、"
        "网上银行自助挂失，也可携带有效身份证件前往任一网点办理。",
        "We cannot do this for you right now. To block a lost or stolen card at once, call our "
        "24-hour hotline, or block it yourself in mobile or online banking, or at any branch "
        "with your ID.")


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
    escalation_groups: tuple[EscalationGroup, ...] = ()  # where a case can be escalated to
    # The knowledge base's articles (kb/), every status: the store keeps the published ones.
    articles: tuple[Article, ...] = ()
    kpi_targets: tuple[KpiTarget, ...] = ()  # kpi.toml: DOMAIN.md's targets, as data

    def kpi_target(self, measure: str) -> KpiTarget | None:
        return next((target for target in self.kpi_targets if target.measure == measure), None)

    def escalation_group_name(self, group_id: str, language: str) -> str:
        """The group's name for the agent; its id if the library no longer lists it."""
        for group in self.escalation_groups:
            if group.id == group_id:
                return group.name(language)
        return group_id

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
