"""A training scenario as the simulator and the scorer read it (scripts_library/training/*.toml):
the synthetic customer, the persona that plays them, what they reveal when asked, the agenda of
what they want in order, what the call is expected to do, and the model line per rubric item.

Loaded and validated by ``agent_tui.library.scenarios``; played by ``agent_tui.training``.
"""

from __future__ import annotations

from datetime import date

import msgspec

from agent_tui.domain.localized import Localized, in_language
from agent_tui.domain.models import Customer, Segment
from agent_tui.domain.suitability import Product, SuitabilityRules

DIFFICULTIES = ("easy", "normal", "hard")
MOODS = ("calm", "worried", "angry", "confused")
# The call events an agenda step may wait for instead of (or as well as) something said.
EVENT_TRIGGERS = ("verification.passed", "verification.locked", "verification.third_party",
                  "step_up.sent", "step_up.passed", "operation")
# The simulator's own lines a persona may reword; intents.toml gives the defaults.
LINE_KINDS = ("confused", "repeat", "forbidden", "silence", "hang_up", "interrupt", "pardon",
              "calmed", "goodbye", "no_code", "code")


class Intent(msgspec.Struct, frozen=True):
    """What a trainee's line may mean, recognised from its examples (both languages)."""

    id: str
    zh: tuple[str, ...]
    en: tuple[str, ...]

    def examples(self, language: str) -> tuple[str, ...]:
        return in_language(language, self.zh, self.en)


class Reveal(msgspec.Struct, frozen=True):
    """Something the customer says only when asked (one of ``on``), or at once if volunteered
    at that difficulty."""

    on: tuple[str, ...]
    text: Localized
    volunteer: tuple[str, ...] = ()  # difficulties at which it is said unasked, with the opening


class AgendaStep(msgspec.Struct, frozen=True):
    """One thing the customer wants, in order: said once the trainee does one of ``on`` (an
    intent id, or ``event:`` and a call event, e.g. ``event:operation.freeze_card``)."""

    id: str
    on: tuple[str, ...]
    text: Localized
    line: int | None = None  # where it is written, for the checker


class Persona(msgspec.Struct, frozen=True):
    mood: str
    patience: float  # 0..1 at the normal difficulty
    opening: Localized  # the customer's first words, when the trainee has greeted them
    goal: Localized
    calmer: tuple[str, ...] = ()  # intents that calm them
    angrier: tuple[str, ...] = ()  # intents that upset them
    silence_seconds: float = 20.0  # how long a silence they bear before patience drains
    repeats: bool = False  # asks for long lines again (an elderly customer)
    private: tuple[str, ...] = ()  # values of the account: said by the trainee, a disclosure
    lines: dict[str, Localized] = msgspec.field(default_factory=dict)  # rewordings of LINE_KINDS


class CustomerRecord(msgspec.Struct, frozen=True):
    """The synthetic customer the trainee serves: never a real one."""

    id: str
    name: Localized
    gender: str
    birth_date: date
    id_number: str
    mobile: str
    segment: str
    elderly: bool = False
    risk_level: int = 2
    recent_amounts_cents: tuple[int, ...] = ()
    card: str = ""  # the debit card's number (active at the call's start), if the call needs it

    def customer(self, language: str) -> Customer:
        return Customer(
            id=self.id, name=self.name(language), gender=self.gender, birth_date=self.birth_date,
            id_number=self.id_number, mobile=self.mobile, segment=Segment(self.segment),
            is_elderly=self.elderly, is_disabled=False, risk_level=self.risk_level, address="",
            occupation="", customer_since=None, branch="",
        )


class Expect(msgspec.Struct, frozen=True):
    """What a good call of this scenario does."""

    request_type: str = ""
    operation: str = ""
    verification: str = "passed"  # passed | locked | third_party


class SuitabilityCase(msgspec.Struct, frozen=True):
    """A scenario about suitability (issue 18): the customer's assessment (its level, made this
    many days before the call) and the product the caller asks about, with the library's rules.
    Scoring asks the engine (``domain.suitability``) whether what the trainee offered may be sold."""

    level: str
    assessed_days_ago: int
    product: Product
    rules: SuitabilityRules


class Scenario(msgspec.Struct, frozen=True):
    id: str
    title_text: Localized
    summary_text: Localized
    difficulty: str  # the suggested one; all three can be played
    duration_minutes: int
    core: bool
    pass_mark: float
    customer_record: CustomerRecord
    persona: Persona
    reveals: tuple[Reveal, ...]
    agenda: tuple[AgendaStep, ...]
    expect: Expect
    tags: tuple[str, ...] = ()
    model: dict[str, Localized] = msgspec.field(default_factory=dict)  # rubric item -> line
    intents: tuple[Intent, ...] = ()  # the scenario's own, beside the shared ones
    path: str = ""
    languages: tuple[str, ...] = ("zh-CN", "en")
    difficulties: tuple[str, ...] = DIFFICULTIES
    suitability: SuitabilityCase | None = None

    def title(self, language: str) -> str:
        return self.title_text(language)

    def summary(self, language: str) -> str:
        return self.summary_text(language)

    @property
    def customer(self) -> Customer:
        """The synthetic customer, named in Chinese (``customer_for`` names them per language:
        the name the simulated caller gives is the one verification compares)."""
        return self.customer_record.customer("zh-CN")

    def customer_for(self, language: str) -> Customer:
        return self.customer_record.customer(language)

    @property
    def all_tags(self) -> frozenset[str]:
        """What the rubric's ``when``/``unless`` see: the tags, the expected request type,
        ``operation`` when one is expected, the verification expected and the segment."""
        tags = set(self.tags)
        if self.expect.request_type:
            tags.add(self.expect.request_type)
        if self.expect.operation:
            tags.add("operation")
        tags.add(f"verification_{self.expect.verification}")
        if self.customer_record.segment in ("vip", "private"):
            tags.add("vip")
        if self.customer_record.elderly:
            tags.add("elderly")
        return frozenset(tags)
