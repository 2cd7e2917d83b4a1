"""The scripts library's files as written: strict shapes that refuse unknown or ill-typed keys."""

from __future__ import annotations

import msgspec


class _Entry(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class RawStep(_Entry, kw_only=True):
    id: str
    required: bool = False
    text: dict[str, str]
    phrases: list[str] = msgspec.field(default_factory=list)


class RawStage(_Entry, kw_only=True):
    id: str
    name: dict[str, str]
    step: list[RawStep] = msgspec.field(default_factory=list)


class RawProcedure(_Entry, kw_only=True):
    id: str
    name: dict[str, str]
    step: list[RawStep] = msgspec.field(default_factory=list)


class RawPhrase(_Entry, kw_only=True):
    id: str
    stage: str
    step: str = ""
    segment: str = "any"
    text: dict[str, str]


class RawForbidden(_Entry, kw_only=True):
    id: str
    language: str
    words: list[str]
    replacement: str
    reason: dict[str, str]
    clause: bool = False


class RawAllowed(_Entry, kw_only=True):
    language: str
    words: list[str]


class RawVerification(_Entry, kw_only=True):
    required: list[str] = msgspec.field(default_factory=lambda: ["name"])
    any_of: list[str] = msgspec.field(
        default_factory=lambda: ["id_last6", "mobile", "birth_date", "recent_amount"]
    )
    need: int = 2
    max_attempts: int = 3
    step_up_operations: list[str] = msgspec.field(default_factory=list)
    offline_emergency: dict[str, str] = msgspec.field(default_factory=dict)


class RawSlaRule(_Entry, kw_only=True):
    category: str = "*"
    priority: str = "*"
    first_response_minutes: float = 2
    resolution_hours: float


class RawBusinessHours(_Entry, kw_only=True):
    start: str  # "09:00"
    end: str
    weekdays: list[int] = msgspec.field(default_factory=lambda: [1, 2, 3, 4, 5])
    holidays: list[str] = msgspec.field(default_factory=list)  # "2026-10-01"


class RawSla(_Entry, kw_only=True):
    pause_when_pending: bool = True
    warn_at: float = 0.8
    attach_window_days: int = 7
    business_hours: RawBusinessHours | None = None
    rule: list[RawSlaRule] = msgspec.field(default_factory=list)


class RawEscalation(_Entry, kw_only=True):
    id: str
    target: str
    reason: dict[str, str]
    category: list[str] = msgspec.field(default_factory=list)
    priority: list[str] = msgspec.field(default_factory=list)
    segment: list[str] = msgspec.field(default_factory=list)
    flag: list[str] = msgspec.field(default_factory=list)
    words: dict[str, list[str]] = msgspec.field(default_factory=dict)
    repeat_within_days: int = 0
    repeat_count: int = 1


class RawEscalationGroup(_Entry, kw_only=True):
    id: str
    name: dict[str, str]


class RawKpiTarget(_Entry, kw_only=True):
    measure: str
    at_least: float | None = None
    at_most: float | None = None
    source: str = ""  # where the target comes from (DOMAIN.md's wording), for the reader


class RawFile(_Entry, kw_only=True):
    stage: list[RawStage] = msgspec.field(default_factory=list)
    procedure: list[RawProcedure] = msgspec.field(default_factory=list)
    phrase: list[RawPhrase] = msgspec.field(default_factory=list)
    forbidden: list[RawForbidden] = msgspec.field(default_factory=list)
    allowed: list[RawAllowed] = msgspec.field(default_factory=list)
    verification: RawVerification | None = None
    sla: RawSla | None = None
    escalation: list[RawEscalation] = msgspec.field(default_factory=list)
    escalation_group: list[RawEscalationGroup] = msgspec.field(default_factory=list)
    kpi_target: list[RawKpiTarget] = msgspec.field(default_factory=list)
