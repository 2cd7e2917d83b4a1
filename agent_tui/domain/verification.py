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
    birth_date: date | None  # None: not held or damaged: no answer matches it
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


def canonical_answer(factor: str, answer: str) -> str | None:
    """An answer as it is compared, the same wherever it is compared (the workstation, the hub,
    a sealed copy): None when it is not an answer of that kind at all."""
    if not answer or not answer.strip():
        return None
    if factor in ("name", "id_last6"):
        return normalise_text(answer) or None
    if factor == "mobile":
        return without_country_code(normalise_text(answer)) or None
    if factor == "birth_date":
        born = normalise_date(answer)
        return born.isoformat() if born else None
    if factor == "recent_amount":
        cents = normalise_amount(answer)
        return str(cents) if cents is not None else None
    raise ValueError(f"unknown verification factor {factor!r}")


def canonical_truths(factor: str, facts: Facts) -> tuple[str, ...]:
    """The answers that count as right for ``factor``, in canonical form (several recent
    amounts may each be right; none when there is nothing to ask about)."""
    if factor == "name":
        truths = (normalise_text(facts.name),)
    elif factor == "id_last6":
        truths = (normalise_text(facts.id_number[-6:]),)
    elif factor == "mobile":
        truths = (normalise_text(facts.mobile),)
    elif factor == "birth_date":
        truths = (facts.birth_date.isoformat(),) if facts.birth_date else ()
    elif factor == "recent_amount":
        truths = tuple(str(cents) for cents in facts.recent_amounts_cents)
    else:
        raise ValueError(f"unknown verification factor {factor!r}")
    return tuple(truth for truth in truths if truth)


def factor_matches(factor: str, answer: str, facts: Facts) -> bool:
    given = canonical_answer(factor, answer)
    if given is None:
        return False
    # Every truth is compared (constant-time each), so the time does not say which one matched.
    matched = False
    for truth in canonical_truths(factor, facts):
        matched |= hmac.compare_digest(given.encode(), truth.encode())
    return matched


class Comparison(msgspec.Struct, frozen=True):
    """What comparing one attempt's answers found, wherever it was done (the hub, a sealed copy,
    the store's facts): the factors that did not match, never the right values.

    ``ambiguous``: nothing matched and the comparison cannot say whether the name or the other
    answers were wrong (a sealed copy). ``locked``: the authority (the hub) has locked this
    call's verification, whatever the workstation counted. ``release``: the values the pass
    disclosed, when they came from elsewhere than the store (``domain.disclosed.Revealed``)."""

    failed: tuple[str, ...]
    ambiguous: bool = False
    locked: bool = False
    release: object | None = None
    source: str = "store"  # who compared: hub | sealed_copy | store (the audit says so)


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
    ambiguous: bool = False  # nothing matched, and which answer was wrong cannot be told
    release: object | None = None  # what the pass disclosed, from the hub or a sealed copy


class Verification:
    """One call's identity verification of one customer.

    The answers are compared with the store's facts, or, where the workstation does not hold
    them (the hub's customers are masked on the workstation), elsewhere: the caller of
    ``attempt`` passes that ``Comparison`` in (from the hub, or from a sealed copy offline)."""

    def __init__(self, policy: VerificationPolicy, facts: Facts | None) -> None:
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

    def attempt(self, answers: Mapping[str, str], at: datetime,
                comparison: Comparison | None = None) -> Outcome:
        if self.status is not Status.OPEN:
            return self._outcome()
        missing = self.missing_answers(answers)
        if missing:  # not an attempt: nothing is counted until the answers are all in
            # The required answers given are checked already: a wrong name is worth knowing
            # before the other questions are asked (a third party, a wrong record).
            if comparison is None and self._facts is not None:
                comparison = self.compare({f: answers.get(f, "") for f in self.policy.required
                                           if answers.get(f)})
            wrong = tuple(f for f in (comparison.failed if comparison else ())
                          if f in self.policy.required and answers.get(f))
            return Outcome(Status.OPEN, False, failed_factors=wrong, missing=missing,
                           attempts_left=self._left())
        if comparison is None:
            comparison = self.compare(answers)
        failed = comparison.failed
        matched_optional = sum(
            1 for factor in self.policy.any_of if answers.get(factor) and factor not in failed
        )
        passed = not comparison.locked and not any(
            f in failed for f in self.policy.required) and matched_optional >= self.policy.need
        self.attempts.append(Attempt(at, passed, failed, tuple(sorted(answers))))
        if passed:
            self.status = Status.PASSED
        elif comparison.locked or self.failures >= self.policy.max_attempts:
            self.status = Status.LOCKED
        outcome = self._outcome(failed)
        return msgspec.structs.replace(outcome, ambiguous=comparison.ambiguous and not passed,
                                       release=comparison.release if passed else None)

    def compare(self, answers: Mapping[str, str]) -> Comparison:
        """The answers against the store's facts (the workstation holds them)."""
        if self._facts is None:
            raise ValueError("no facts here: compare elsewhere and pass the comparison in")
        checked = [*(f for f in self.policy.required if f in answers),
                   *(f for f in self.policy.any_of if answers.get(f))]
        return Comparison(tuple(f for f in checked
                                if not factor_matches(f, answers.get(f, ""), self._facts)))

    @property
    def has_facts(self) -> bool:
        return self._facts is not None

    def restore_passed(self) -> None:
        """A call resumed after a restart whose pass the record (or the hub) proves."""
        if self.status is Status.OPEN:
            self.status = Status.PASSED

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
    """The facts of one customer: recent transaction amounts within the window, unsigned, the
    most recent first (a sealed copy keeps only the newest few)."""
    since = now - RECENT_AMOUNT_WINDOW
    recent = sorted(((at, abs(cents)) for at, cents in transactions
                     if cents and since <= at <= now), reverse=True)
    amounts = tuple(dict.fromkeys(cents for _, cents in recent))
    return Facts(name, id_number, mobile, birth_date, amounts)


class StepUpResult(Enum):
    PASSED = "passed"
    WRONG = "wrong"
    EXPIRED = "expired"
    LOCKED = "locked"


class StepUp:
    """A one-time code sent to the registered mobile and read back by the caller, before a
    sensitive operation (freeze, reset, limits, large transfer).

    Without a hub the workstation makes the code (``secrets`` in the caller of this class, so
    the rule stays a pure function of its inputs) and checks it here. With a hub, the hub makes,
    sends and checks it: ``code`` is None, ``step_up_id`` names it at the hub, and ``settle``
    records the hub's answer."""

    LIFETIME = timedelta(minutes=5)
    MAX_TRIES = 3

    def __init__(self, operation: str, code: str | None, issued_at: datetime,
                 step_up_id: str = "") -> None:
        self.operation = operation
        self._code = code
        self.step_up_id = step_up_id
        self.expires_at = issued_at + self.LIFETIME
        self.tries = 0
        self.passed = False

    def check(self, answer: str, at: datetime) -> StepUpResult:
        if self._code is None:
            raise ValueError("the hub checks this code: settle() with its answer")
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

    def settle(self, result: StepUpResult) -> StepUpResult:
        """The hub's answer to what the caller read back."""
        if result in (StepUpResult.PASSED, StepUpResult.WRONG, StepUpResult.LOCKED):
            self.tries += 0 if self.passed else 1
        self.passed = self.passed or result is StepUpResult.PASSED
        return result

    @property
    def tries_left(self) -> int:
        return max(0, self.MAX_TRIES - self.tries)

    @property
    def tier(self) -> Tier:
        return Tier.FULL if self.passed else Tier.BASIC


def needs_step_up(operation: str, policy: VerificationPolicy) -> bool:
    return operation in policy.step_up_operations
