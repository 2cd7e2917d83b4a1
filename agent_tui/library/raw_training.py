"""The QA rubric's and the training scenarios' files as written: strict shapes that refuse
unknown or ill-typed keys (``agent_tui.library.raw`` does the same for the scripts library)."""

from __future__ import annotations

from datetime import date

import msgspec

Text = dict[str, str]


class _Entry(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


# ---- qa.toml ------------------------------------------------------------------------------------

class RawQa(_Entry, kw_only=True):
    pass_mark: float = 80


class RawSection(_Entry, kw_only=True):
    id: str
    weight: float
    name: Text
    compliance: bool = False


class RawItem(_Entry, kw_only=True):
    id: str
    section: str
    check: str
    name: Text
    points: float = 1
    fatal: bool = False
    when: list[str] = msgspec.field(default_factory=list)
    unless: list[str] = msgspec.field(default_factory=list)
    steps: list[str] = msgspec.field(default_factory=list)
    intents: list[str] = msgspec.field(default_factory=list)
    mode: str = "any"
    words: list[str] = msgspec.field(default_factory=list)
    stage: str = ""
    model: Text = msgspec.field(default_factory=dict)


class RawRubric(_Entry, kw_only=True):
    qa: RawQa = msgspec.field(default_factory=RawQa)
    section: list[RawSection] = msgspec.field(default_factory=list)
    item: list[RawItem] = msgspec.field(default_factory=list)


# ---- training/*.toml ------------------------------------------------------------------------------

class RawIntent(_Entry, kw_only=True):
    id: str
    examples: dict[str, list[str]]


class RawIntents(_Entry, kw_only=True):
    intent: list[RawIntent] = msgspec.field(default_factory=list)
    line: dict[str, Text] = msgspec.field(default_factory=dict)


class RawCustomer(_Entry, kw_only=True):
    id: str
    name: Text
    gender: str
    birth_date: date
    id_number: str
    mobile: str
    segment: str = "mass"
    elderly: bool = False
    risk_level: int = 2
    recent_amounts_cents: list[int] = msgspec.field(default_factory=list)
    card: str = ""  # a debit card's number, when the call freezes or unfreezes it


class RawPersona(_Entry, kw_only=True):
    mood: str = "calm"
    patience: float = 0.7
    opening: Text
    goal: Text
    calmer: list[str] = msgspec.field(default_factory=list)
    angrier: list[str] = msgspec.field(default_factory=list)
    silence_seconds: float = 20
    repeats: bool = False
    private: list[str] = msgspec.field(default_factory=list)
    lines: dict[str, Text] = msgspec.field(default_factory=dict)


class RawReveal(_Entry, kw_only=True):
    on: list[str]
    text: Text
    volunteer: list[str] = msgspec.field(default_factory=list)


class RawAgendaStep(_Entry, kw_only=True):
    id: str
    on: list[str]
    text: Text


class RawExpect(_Entry, kw_only=True):
    request_type: str = ""
    operation: str = ""
    verification: str = "passed"


class RawSuitabilityCase(_Entry, kw_only=True):
    level: str  # the customer's assessment, C1-C5
    assessed_days_ago: int  # made this many days before the call
    product: str  # the product the caller asks about (an id of suitability.toml)


class RawScenario(_Entry, kw_only=True):
    id: str
    title: Text
    summary: Text
    difficulty: str = "normal"
    duration_minutes: int = 5
    core: bool = True
    pass_mark: float = 80
    tags: list[str] = msgspec.field(default_factory=list)
    customer: RawCustomer
    persona: RawPersona
    reveal: list[RawReveal] = msgspec.field(default_factory=list)
    agenda: list[RawAgendaStep] = msgspec.field(default_factory=list)
    expect: RawExpect = msgspec.field(default_factory=RawExpect)
    model: dict[str, Text] = msgspec.field(default_factory=dict)
    intent: list[RawIntent] = msgspec.field(default_factory=list)
    suitability: RawSuitabilityCase | None = None
