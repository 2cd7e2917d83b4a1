"""Identity verification: the agent types what the caller says; the rules compare.

Answers are normalised the way callers say them (full-width digits, spaces, 1990年1月1日,
¥1,234.50, 1234元). An outcome names which factors failed, never the right value: the agent must
not be able to read the answer off the screen before the caller has given it. After the policy's
number of failures the call's verification locks and the customer is flagged for review.
"""

from __future__ import annotations

import hmac
import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from enum import Enum

import msgspec

from agent_tui.domain.identifiers import without_country_code
from agent_tui.domain.masking import Tier
from agent_tui.domain.scripts import VerificationPolicy
from agent_tui.domain.text import sanitize, to_halfwidth

RECENT_AMOUNT_WINDOW = timedelta(days=30)
_DATE = re.compile(r"^(\d{4})\D{0,2}(\d{1,2})\D{0,2}(\d{1,2})\D{0,2}$")
_AMOUNT = re.compile(r"^[¥￥]?(?:rmb|cny)?(-?[\d,]+)(?:\.(\d{1,2}))?(?:元|块|rmb|cny)?$")


class Facts(msgspec.Struct, frozen=True):
    """What the store knows, to compare with what the caller says. Never shown."""

    name: str
    id_number: str
    mobile: str
    birth_date: date | None  # None: the stored date is damaged, and no answer matches it
    recent_amounts_cents: tuple[int, ...] = ()  # absolute amounts within the recent window


def normalise_text(value: str) -> str:
    value = to_halfwidth(unicodedata.normalize("NFC", sanitize(value)))
    return re.sub(r"[\s\-·.]", "", value).upper()


def normalise_date(value: str) -> date | None:
    match = _DATE.match(normalise_text(value).replace("年", "-").replace("月", "-"))
    if not match:
        digits = re.sub(r"\D", "", normalise_text(value))
        if len(digits) != 8:
            return None
        match = re.match(r"(\d{4})(\d{2})(\d{2})", digits)
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def normalise_amount(value: str) -> int | None:
    """Cents from how a caller says an amount; None if it is not one."""
    # Not normalise_text: its dots are the decimal point here.
    spoken = re.sub(r"\s", "", to_halfwidth(sanitize(value))).lower()
    match = _AMOUNT.match(spoken)
    if not match:
        return None
    whole = int(match[1].replace(",", "") or "0")
    fraction = int((match[2] or "0").ljust(2, "0"))
    return abs(whole) * 100 + fraction


def _same(answer: str, truth: str) -> bool:
    # Constant-time: how long a comparison takes must not hint at how close a guess was.
    return hmac.compare_digest(normalise_text(answer).encode(), normalise_text(truth).encode())


def factor_matches(factor: str, answer: str, facts: Facts) -> bool:
    if not answer or not answer.strip():
        return False
    if factor == "name":
        return _same(answer, facts.name)
    if factor == "id_last6":
        return _same(answer, facts.id_number[-6:])
    if factor == "mobile":
        return _same(without_country_code(normalise_text(answer)), facts.mobile)
    if factor == "birth_date":
        return facts.birth_date is not None and normalise_date(answer) == facts.birth_date
    if factor == "recent_amount":
        cents = normalise_amount(answer)
        return cents is not None and cents in facts.recent_amounts_cents
    raise ValueError(f"unknown verification factor {factor!r}")


class Status(Enum):
    OPEN = "open"
    PASSED = "passed"
    LOCKED = "locked"
    THIRD_PARTY = "third_party"


class Attempt(msgspec.Struct, frozen=True):
    at: datetime
    passed: bool
    failed_factors: tuple[str, ...]  # which answers did not match; never the right values
    answered: tuple[str, ...]


class Outcome(msgspec.Struct, frozen=True):
    status: Status
    passed: bool
    failed_factors: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # required answers not given, or too few of any_of
    attempts_left: int = 0
    suggest_escalation: bool = False  # locked: possible fraud, a supervisor should look


class Verification:
    """One call's identity verification against one customer's facts."""

    def __init__(self, policy: VerificationPolicy, facts: Facts) -> None:
        self.policy = policy
        self._facts = facts
        self.attempts: list[Attempt] = []
        self.status = Status.OPEN
        self.third_party: Mapping[str, str] | None = None

    @property
    def tier(self) -> Tier:
        return Tier.BASIC if self.status is Status.PASSED else Tier.MASKED

    @property
    def failures(self) -> int:
        return sum(not attempt.passed for attempt in self.attempts)

    def missing_answers(self, answers: Mapping[str, str]) -> tuple[str, ...]:
        """Answers still to collect before an attempt is worth making."""
        given = {factor for factor, value in answers.items() if value and value.strip()}
        missing = [factor for factor in self.policy.required if factor not in given]
        optional = [factor for factor in self.policy.any_of if factor in given]
        if len(optional) < self.policy.need:
            missing.append(f"any_of:{self.policy.need - len(optional)}")
        return tuple(missing)

    def attempt(self, answers: Mapping[str, str], at: datetime) -> Outcome:
        if self.status is not Status.OPEN:
            return self._outcome()
        missing = self.missing_answers(answers)
        if missing:  # not an attempt: nothing is counted until the answers are all in
            return Outcome(Status.OPEN, False, missing=missing, attempts_left=self._left())
        checked = [*self.policy.required, *(f for f in self.policy.any_of if answers.get(f))]
        failed = tuple(f for f in checked if not factor_matches(f, answers.get(f, ""), self._facts))
        matched_optional = sum(
            1 for factor in self.policy.any_of if answers.get(factor) and factor not in failed
        )
        passed = not any(f in failed for f in self.policy.required) and (
            matched_optional >= self.policy.need
        )
        self.attempts.append(Attempt(at, passed, failed, tuple(sorted(answers))))
        if passed:
            self.status = Status.PASSED
        elif self.failures >= self.policy.max_attempts:
            self.status = Status.LOCKED
        return self._outcome(failed)

    def record_third_party(self, caller_name: str, relationship: str) -> Outcome:
        """Someone calls for the customer: note who; the customer's data stays masked."""
        if self.status is Status.OPEN:
            self.status = Status.THIRD_PARTY
            self.third_party = {"name": sanitize(caller_name), "relationship": sanitize(relationship)}
        return self._outcome()

    def _left(self) -> int:
        return max(0, self.policy.max_attempts - self.failures)

    def _outcome(self, failed: tuple[str, ...] = ()) -> Outcome:
        return Outcome(
            status=self.status,
            passed=self.status is Status.PASSED,
            failed_factors=failed,
            attempts_left=self._left(),
            suggest_escalation=self.status is Status.LOCKED,
        )

    @property
    def resolved(self) -> bool:
        """The call may move on: verified, locked (and flagged), or a third party recorded."""
        return self.status is not Status.OPEN


def facts_from(
    name: str, id_number: str, mobile: str, birth_date: date | None,
    transactions: list[tuple[datetime, int | None]], now: datetime,
) -> Facts:
    """The facts of one customer: recent transaction amounts within the window, unsigned."""
    since = now - RECENT_AMOUNT_WINDOW
    amounts = tuple(sorted({abs(cents) for at, cents in transactions
                            if cents and since <= at <= now}))
    return Facts(name, id_number, mobile, birth_date, amounts)


class StepUpResult(Enum):
    PASSED = "passed"
    WRONG = "wrong"
    EXPIRED = "expired"
    LOCKED = "locked"


class StepUp:
    """A one-time code sent to the registered mobile and read back by the caller, before a
    sensitive operation (freeze, reset, limits, large transfer). The code is made by the caller
    of this class (``secrets`` in the app) so the rule stays a pure function of its inputs."""

    LIFETIME = timedelta(minutes=5)
    MAX_TRIES = 3

    def __init__(self, operation: str, code: str, issued_at: datetime) -> None:
        self.operation = operation
        self._code = code
        self.expires_at = issued_at + self.LIFETIME
        self.tries = 0
        self.passed = False

    def check(self, answer: str, at: datetime) -> StepUpResult:
        if self.passed:
            return StepUpResult.PASSED
        if self.tries >= self.MAX_TRIES:
            return StepUpResult.LOCKED
        if at > self.expires_at:
            return StepUpResult.EXPIRED
        self.tries += 1
        if _same(answer, self._code):
            self.passed = True
            return StepUpResult.PASSED
        return StepUpResult.LOCKED if self.tries >= self.MAX_TRIES else StepUpResult.WRONG

    @property
    def tier(self) -> Tier:
        return Tier.FULL if self.passed else Tier.BASIC


def needs_step_up(operation: str, policy: VerificationPolicy) -> bool:
    return operation in policy.step_up_operations
